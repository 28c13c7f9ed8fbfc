"""JSON Schema for each fact kind, made from the models, describing the YAML as analysts write it."""
from __future__ import annotations

import json
from pathlib import Path

from generator.facts.models import KINDS, SINGULAR, Brief

SCHEMA_DIR = "schemas"
# Shorthands the models accept besides the full mapping: "2024-12-14" for a time, "unknown", a bare count.
SHORTHANDS = {
    "When": [{"const": "unknown"}, {"$ref": "#/$defs/Instant"}],
    "Location": [{"const": "unknown"}],
    "Endpoint": [{"const": "unknown"}],
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
    attribution = schema.get("properties", {}).get("attribution")
    if attribution:
        attribution["anyOf"] = [{"const": "brief"}, {"$ref": "#/$defs/Expert"}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def all_schemas() -> dict[str, str]:
    """File name → JSON text, for every fact kind and the brief file."""
    out = {f"{SINGULAR[kind]}.schema.json": schema_for(model) for kind, model in KINDS.items()}
    out["brief.schema.json"] = schema_for(Brief)
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
