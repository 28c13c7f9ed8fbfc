"""JSON Schema for each fact kind, made from the models, describing the YAML as analysts write it."""
from __future__ import annotations

import json
from pathlib import Path

from generator.facts.models import INDICATOR_STATUSES, INTERVAL_PATTERN, KINDS, SINGULAR, Brief

SCHEMA_DIR = "schemas"
# Shorthands the models accept besides the full mapping: "2024-12-14" for a time, "unknown", a bare count.
SHORTHANDS = {
    "When": [{"const": "unknown"}, {"$ref": "#/$defs/Instant"}, {"$ref": "#/$defs/Interval"}],
    "Location": [{"const": "unknown"}],
    "Endpoint": [{"const": "unknown"}],
    "Stop": [{"const": "unknown"}],
    "Count": [{"type": "integer", "minimum": 1}],
    "Watch": [{"const": "manual"}],
}


def schema_for(model) -> dict:
    """The model's JSON Schema with the shorthand forms it also accepts."""
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    defs = schema.setdefault("$defs", {})
    for name, alternatives in SHORTHANDS.items():
        if name in defs:
            defs[f"{name}Fields"] = defs.pop(name)
            defs[name] = {"anyOf": [*alternatives, {"$ref": f"#/$defs/{name}Fields"}],
                          "description": defs[f"{name}Fields"].get("description", "")}
    if "When" in defs:
        at = defs["WhenFields"]["properties"]["at"]["anyOf"][0]
        defs["Instant"] = at
        defs["Interval"] = {"type": "string", "pattern": INTERVAL_PATTERN,
                            "description": "Earliest and latest possible times as an ISO 8601 interval: 2023-10-16/2023-10-20."}
    attribution = schema.get("properties", {}).get("attribution")
    if attribution:
        attribution["anyOf"] = [{"const": "brief"}, {"$ref": "#/$defs/Expert"}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


EXPORT_SCHEMA = "brief-json.schema.json"  # the site's data/brief.json


def export_schema() -> dict:
    """data/brief.json as the build writes it: every fact by kind (each as its kind's schema describes the file),
    and every indicator's status as evaluated at the edition date."""
    fact = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    reference = {"type": "object", "required": ["kind", "id"], "additionalProperties": False,
                 "properties": {"kind": {"enum": list(KINDS)}, "id": {"type": "string"}}}
    day = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
    status = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "status", "since", "evaluated_at", "window", "found", "met_by", "possibly_met_by"],
        "properties": {
            "id": {"type": "string", "description": "The indicator's id."},
            "status": {"enum": list(INDICATOR_STATUSES), "description": "met: the facts prove it; possibly met: only "
                       "if flights or events dated to a range overlapping the window fall inside it; not met."},
            "since": {"anyOf": [day, {"type": "null"}], "description": "Latest possible day of the fact that meets it."},
            "evaluated_at": {**day, "description": "The edition date the condition is evaluated at."},
            "window": {"anyOf": [{"type": "array", "items": day, "minItems": 2, "maxItems": 2}, {"type": "null"}],
                       "description": "First and last day counted, for a flights or event condition."},
            "found": {"type": "string", "description": "What the facts show, in words."},
            "met_by": {"type": "array", "items": reference, "description": "The facts that meet it."},
            "possibly_met_by": {"type": "array", "items": reference,
                                "description": "Facts that meet it only if their ranged date falls in the window."},
        }}
    properties = {"schema": {"const": "intelbrief-facts/1"},
                  "brief": {"type": "object", "description": "data/brief.yml: see brief.schema.json."},
                  "edition": {"type": "object", "required": ["tlp", "release"],
                              "properties": {"tlp": {"type": "string"}, "release": {"type": "boolean"}}},
                  **{kind: {"type": "array", "items": fact, "description": f"Every {SINGULAR[kind]}, as "
                            f"{SINGULAR[kind]}.schema.json describes its file."} for kind in KINDS},
                  "indicator_status": {"type": "array", "items": status},
                  "counts": _counts_schema()}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "intelbrief data/brief.json",
            "type": "object", "required": list(properties), "properties": properties}


def _counts_schema() -> dict:
    """brief.json's counts: the flight counts the pages show, from the one counting function."""
    tally = {"flights": {"type": "integer", "minimum": 0, "description": "Flights surely counted; an 'at least' "
                         "count adds its lower bound."},
             "possibly": {"type": "integer", "minimum": 0, "description": "Further flights dated only to a range "
                          "that overlaps the period."},
             "at_least": {"type": "boolean", "description": "True when the count is a lower bound."},
             "records": {"type": "integer", "minimum": 0, "description": "Flight records counted (a group once)."}}
    counted = {"type": "object", "required": ["flights", "at_least", "records"], "properties": tally}
    end = {"type": "object", "required": ["kind"], "properties": {
        "kind": {"enum": ["base", "airfield", "place", "country", "unknown"]}, "id": {"type": "string"},
        "country": {"type": "string"}}}
    route = {"type": "object", "required": ["origin", "destination", "flights", "at_least", "records"],
             "properties": {**tally, "origin": end, "destination": end,
                            "of_which": {"type": "array", "description": "A group's flights named with another "
                                         "route, counted inside this one.", "items": {"type": "object"}}}}
    return {"type": "object", "description": "Flight counts: total, by basis, per route (busiest first), base, "
            "country and month.", "required": ["total", "by_basis", "routes", "bases", "countries", "months",
                                               "in_no_single_month"],
            "properties": {
                "total": counted, "by_basis": {"type": "object", "additionalProperties": counted},
                "routes": {"type": "array", "items": route},
                "bases": {"type": "array", "items": {"type": "object", "required": ["base", "flights", "country_only"],
                                                     "properties": {**tally, "base": {"type": "string"},
                                                                    "country_only": counted}}},
                "countries": {"type": "array", "items": {"type": "object", "required": ["country", "flights"],
                                                         "properties": {**tally, "country": {"type": "string"}}}},
                "months": {"type": "array", "items": {"type": "object", "required": ["month", "flights"],
                                                      "properties": {**tally, "month": {"type": "string"}}}},
                "in_no_single_month": counted}}


def all_schemas() -> dict[str, str]:
    """File name → JSON text, for every fact kind, the brief file and the brief.json export."""
    out = {f"{SINGULAR[kind]}.schema.json": schema_for(model) for kind, model in KINDS.items()}
    out["brief.schema.json"] = schema_for(Brief)
    out[EXPORT_SCHEMA] = export_schema()
    return {name: json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n" for name, schema in out.items()}


def modeline(kind: str, depth: int) -> str:
    """The yaml-language-server comment that points a fact file at its schema."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{SINGULAR[kind]}.schema.json\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
