"""`brief new`: a correctly named, valid fact file from a few options, so nobody copies and pastes."""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from generator import disk
from generator.errors import BriefError
from generator.facts.models import KINDS
from generator.facts.text import visible
from generator.tools.schema import SINGULAR, modeline

KIND_OF = {singular: kind for kind, singular in SINGULAR.items()}
REQUIRED = {
    "source": ["title", "kind", "reliability"],
    "base": ["name", "country", "kind", "source"],
    "flight": ["origin", "destination", "basis", "source"],
    "assessment": ["title", "judgment", "likelihood", "confidence", "source"],
    "event": ["title", "date", "summary", "source"],
    "indicator": ["title", "signals"],
}


def endpoint(text: str) -> dict:
    """OSLK → an airfield, SY → a country, anything else → a base id; 'unknown' stays unknown."""
    if text == "unknown":
        return {}
    if re.fullmatch(r"[A-Z0-9]{4}", text):
        return {"airfield": text}
    if re.fullmatch(r"[A-Z]{2}", text):
        return {"country": text}
    return {"base": text}


def watch(o: dict) -> dict:
    """An indicator's watch condition from the options: flights (--from/--to with --at-least and --within-days), a
    base's status (--base with --status), else manual with --status (default: not met)."""
    if o.get("from") or o.get("to"):
        missing = [name for name in ("at_least", "within_days") if not o.get(name)]
        if missing:
            raise BriefError(f"brief new indicator: --{missing[0].replace('_', '-')} is required with --from or --to, "
                             "expected --at-least N --within-days D")
        flights = {"from": o.get("from"), "to": o.get("to"), "at_least": _number(o["at_least"]),
                   "within_days": _number(o["within_days"])}
        return {"watch": {"flights": {k: v for k, v in flights.items() if v is not None}}}
    if o.get("base"):
        if not o.get("status"):
            raise BriefError("brief new indicator: --status is required with --base, expected a base status such as "
                             "'drawing down'")
        return {"watch": {"base": {"id": o["base"], "status": o["status"]}}}
    return {"watch": "manual", "status": o.get("status") or "not met"}


def _number(text: str):
    """A whole number written as one in the file; anything else as given, for the model to refuse by name."""
    return int(text) if str(text).isdigit() else text


def record(kind: str, options: dict) -> dict:
    """The fact as YAML-ready data, from the options given."""
    missing = [name for name in REQUIRED[kind] if not options.get(name)]
    if missing:
        raise BriefError(f"brief new {kind}: --{missing[0]} is required, expected "
                         + ", ".join(f"--{m}" for m in REQUIRED[kind]))
    o = options
    sources = o.get("source") or []
    if kind == "source":
        fact = {"id": o["id"], "title": o["title"], "publisher": o.get("publisher") or "unknown",
                "url": o.get("url"), "published": o.get("published") or "unknown", "kind": o["kind"],
                "reliability": o["reliability"]}
    elif kind == "base":
        fact = {"id": o["id"], "name": o["name"], "country": o["country"],
                "location": {"icao": o["icao"]} if o.get("icao") else "unknown", "kind": o["kind"], "sources": sources}
    elif kind == "flight":
        fact = {"id": o["id"], "departure": o.get("departure") or "unknown", "arrival": o.get("arrival") or "unknown",
                "origin": endpoint(o["origin"]) or "unknown", "destination": endpoint(o["destination"]) or "unknown",
                "basis": o["basis"], "sources": sources}
    elif kind == "assessment":
        fact = {"id": o["id"], "title": o["title"], "date": o.get("date") or "unknown", "judgment": o["judgment"],
                "likelihood": o["likelihood"], "confidence": o["confidence"], "attribution": "brief", "sources": sources}
    elif kind == "indicator":
        fact = {"id": o["id"], "title": o["title"], "signals": o["signals"],
                "bears_on": [{"assessment": a, "direction": "supports"} for a in o.get("supports") or []]
                + [{"assessment": a, "direction": "undermines"} for a in o.get("undermines") or []] or None,
                **watch(o), "sources": sources or None}
    else:
        fact = {"id": o["id"], "title": o["title"], "date": o["date"], "summary": o["summary"], "sources": sources}
    fact["tlp"] = o.get("tlp")  # its own marking; left out, it takes the brief's
    return {k: v for k, v in fact.items() if v is not None}


def create(data_dir: Path, kind: str, options: dict) -> Path:
    """Write data/<kind>s/<id>.yml after checking it against the model; never overwrite."""
    fact = record(kind, options)
    try:
        KINDS[KIND_OF[kind]].model_validate(_as_text(fact))
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BriefError(visible(f"brief new {kind}: {where}: {first['msg']}")) from None
    path = data_dir / KIND_OF[kind] / f"{fact['id']}.yml"
    if os.path.lexists(path):
        raise BriefError(f"{path}: already exists, expected a new id")
    body = yaml.safe_dump(fact, sort_keys=False, allow_unicode=True, width=100)
    disk.write_new(path, (modeline(KIND_OF[kind], 2) + body).encode("utf-8"))
    return path


def _as_text(value):
    """Options as the loader would hand them over: every scalar a string."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return value if isinstance(value, str) else str(value)
