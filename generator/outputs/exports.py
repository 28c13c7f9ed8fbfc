"""The brief's facts as data files for other tools: JSON, CSV per kind, GeoJSON and STIX 2.1."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from generator.facts import counting, sourcing
from generator.facts.dataset import Dataset
from generator.facts.models import Endpoint
from generator.geo.places import endpoint_point
from generator.site import present
from generator.site.present import PROBABILITY

SCHEMA = "intelbrief-facts/1"
FOLDER = "data"
CSV_KINDS = ("flights", "bases", "observations", "assessments", "sources", "events")


@dataclass(frozen=True)
class Export:
    """One exported file: where it goes in the site, what it holds, and its bytes."""

    path: str
    title: str
    description: str
    body: bytes


def exports(data: Dataset, epoch: int = 0, times: dict | None = None, csv_bom: bool = False) -> list[Export]:
    """Every export file of the brief, in the order the Data page lists them."""
    from generator.outputs import stix

    found = [
        Export(f"{FOLDER}/brief.json", "All facts (JSON)", f"Every fact of the brief in one file; schema `{SCHEMA}`.",
               dump_json(facts_json(data))),
        Export(f"{FOLDER}/brief.geojson", "Map data (GeoJSON)",
               "Bases as points with their latest status, flights as lines between known endpoints, tracks as lines.",
               dump_json(geojson(data))),
        Export(f"{FOLDER}/brief.stix.json", "STIX 2.1 bundle",
               "A report with its TLP 2.0 marking, locations, a note per fact and links to the evidence, for OpenCTI and MISP.",
               dump_json(stix.bundle(data, epoch, times))),
    ]
    for kind in CSV_KINDS:
        found.append(Export(f"{FOLDER}/{kind}.csv", f"{kind.capitalize()} (CSV)", f"One row per {present.noun(kind)}.",
                            to_csv(csv_rows(data, kind), bom=csv_bom)))
    return found


def dump_json(value) -> bytes:
    """Stable, readable JSON bytes."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------- JSON


def facts_json(data: Dataset) -> dict:
    """Every fact as plain JSON values, by kind and sorted by id, with the schema version."""
    out = {"schema": SCHEMA, "brief": data.brief.model_dump(mode="json", exclude_none=True),
           "edition": {"tlp": data.withheld.label or data.brief.tlp, "release": data.withheld.release}}
    for kind in ("sources", "bases", "flights", "assessments", "events"):
        out[kind] = [_as_written(fact) for _, fact in sorted(data.of_kind(kind).items())]
    for fact in out["assessments"]:
        if data.withheld.evidence.get(fact["id"]):
            fact["withheld_evidence"] = data.withheld.evidence[fact["id"]]
    out["counts"] = counts_json(data)
    out["sourcing"] = sourcing_json(data)
    return out


def sourcing_json(data: Dataset) -> dict:
    """Assessment id → its independent lines, best chain grade and every chain by both ends (sourcing.py)."""
    out = {}
    for aid, found in sorted(sourcing.all_sourcing(data).items()):
        lines = set(found.lines)
        out[aid] = {"independent_lines": len(found.lines), "best_grade": found.best_grade,
                    "chains": [{"originator": c.originator, "channel": c.channel, "grade": c.grade,
                                "independent": c in lines} for c in found.chains]}
    return out


def _tally(found: counting.Tally) -> dict:
    """A count as data: the flights surely counted, those only possibly in a period, and whether a lower bound."""
    return {"flights": found.certain, **({"possibly": found.possible} if found.possible else {}),
            "at_least": found.at_least, "records": list(found.flights)}


def _end(end: Endpoint) -> dict:
    return dict(zip(("kind", "id", "country"), counting.endpoint_key(end)))


def counts_json(data: Dataset) -> dict:
    """The flight counts every page shows, from the one counting function: in total and by basis, per route
    (busiest first, a group's members named with another route inside it), per base, per country and per month."""
    def route(found: counting.RouteCount) -> dict:
        return {"origin": _end(found.origin), "destination": _end(found.destination), **_tally(found.tally),
                **({"of_which": [route(m) for m in found.within]} if found.within else {})}
    return {
        "total": _tally(counting.count_flights(data)),
        "by_basis": {basis: _tally(t) for basis, t in counting.by_basis(data)},
        "routes": [route(r) for r in counting.routes(data)],
        "bases": [{"base": b.id, **_tally(b.tally), "country_only": _tally(b.country_only)} for b in counting.bases(data)],
        "countries": [{"country": code, **_tally(t)} for code, t in counting.countries(data)],
        "months": [{"month": p.start.strftime("%Y-%m"), **_tally(p.tally)} for p in counting.periods(data, "month")],
        "in_no_single_month": _tally(counting.unplaced(data, "month")),
    }


def _as_written(fact) -> dict:
    """A fact as its YAML file gives it, unknowns left out; the brief's own judgment keeps 'attribution: brief'."""
    dumped = fact.model_dump(mode="json", exclude_none=True)
    if getattr(fact, "by_brief", False):
        dumped = {**dumped, "attribution": "brief"}
    return dumped


# ---------------------------------------------------------------- CSV


def to_csv(rows: list[dict], bom: bool = False) -> bytes:
    """Rows of text as CSV with a header line (RFC 4180 quoting, CRLF line ends), safe to open in a spreadsheet."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows({key: inert_cell(value) for key, value in row.items()} for row in rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def inert_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs (OWASP CSV injection): a leading ' before a formula start."""
    if value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def _text(value) -> str:
    return "" if value is None else str(value)


def _joined(values) -> str:
    return ";".join(values)


def _endpoint_columns(prefix: str, end: Endpoint, data: Dataset) -> dict:
    """One end's columns, filled with what the facts imply: a base's or an airfield's country too."""
    point = endpoint_point(end, data.bases, exact=True)
    country = counting.country_of(end, data.bases)
    return {f"{prefix}_base": _text(end.base), f"{prefix}_airfield": _text(end.airfield),
            f"{prefix}_place": _text(end.place), f"{prefix}_country": _text(country),
            f"{prefix}_lat": _text(point and point[0]), f"{prefix}_lon": _text(point and point[1])}


def csv_rows(data: Dataset, kind: str) -> list[dict]:
    """The rows of one CSV export, each a mapping of column → text."""
    return {"flights": _flight_rows, "bases": _base_rows, "observations": _observation_rows,
            "assessments": _assessment_rows, "sources": _source_rows, "events": _event_rows}[kind](data)


def _flight_rows(data: Dataset) -> list[dict]:
    """A row per flight record; counted_flights is what the row adds to the brief's totals (a group's members add
    nothing: they are counted in their group), so summing it gives every total the pages show."""
    top = {r.id for r in counting.records(data)}
    return [{"id": fid, "summary": _text(f.summary), "count": str(f.count.number),
             "count_is_lower_bound": "yes" if f.count.lower_bound else "no", "part_of": _text(f.part_of),
             "departure": f.departure.iso(), "arrival": f.arrival.iso(),
             **_endpoint_columns("origin", f.origin, data), **_endpoint_columns("destination", f.destination, data),
             "aircraft_type": _text(f.aircraft.type), "registration": _text(f.aircraft.registration),
             "icao24": _text(f.aircraft.icao24), "callsign": _text(f.aircraft.callsign),
             "operator": _text(f.operator), "basis": f.basis, "credibility": _text(f.credibility),
             "track": _text(f.track), "sources": _joined(f.sources), "note": _text(f.note), "tlp": _text(f.tlp),
             "counted_flights": str(f.count.number) if fid in top else "0"}
            for fid, f in sorted(data.flights.items())]


def _base_rows(data: Dataset) -> list[dict]:
    rows = []
    for bid, b in sorted(data.bases.items()):
        point, current = b.location.point(), b.current()
        rows.append({"id": bid, "name": b.name, "aliases": _joined(b.aliases), "country": b.country, "kind": b.kind,
                     "icao": _text(b.location.icao), "lat": _text(point and point[0]), "lon": _text(point and point[1]),
                     "status": current.status if current else "unknown",
                     "status_date": current.date.iso() if current else "", "operator": _text(b.operator),
                     "sources": _joined(b.sources), "tlp": _text(b.tlp)})
    return rows


def _observation_rows(data: Dataset) -> list[dict]:
    return [{"base": bid, "number": str(o.number), "date": o.date.iso(), "status": o.status, "summary": o.summary,
             "credibility": str(o.credibility), "sources": _joined(o.sources), "note": _text(o.note),
             "tlp": _text(o.tlp)}
            for bid, b in sorted(data.bases.items()) for o in b.observations]


def _assessment_rows(data: Dataset) -> list[dict]:
    return [{"id": aid, "title": a.title, "date": a.date.iso(), "judgment": a.judgment,
             "likelihood": _text(a.likelihood), "probability": PROBABILITY.get(a.likelihood, ""),
             "confidence": _text(a.confidence), "attribution": a.attribution.name if a.attribution else "brief",
             "status": a.status, "superseded_by": _text(a.superseded_by),
             "evidence": _joined(f"{present.noun(k)}:{t}" for k, t in (e.target for e in a.evidence)), "sources": _joined(a.sources),
             "withheld_evidence": str(data.withheld.evidence.get(aid, 0)), "tlp": _text(a.tlp)}
            for aid, a in sorted(data.assessments.items())]


def _source_rows(data: Dataset) -> list[dict]:
    return [{"id": sid, "title": s.title, "publisher": s.publisher, "author": _text(s.author), "url": _text(s.url),
             "published": s.published.iso(), "accessed": _text(s.accessed and s.accessed.isoformat()), "kind": s.kind,
             "reliability": s.reliability, "via": _text(s.via), "tlp": _text(s.tlp)}
            for sid, s in sorted(data.sources.items())]


def _event_rows(data: Dataset) -> list[dict]:
    return [{"id": eid, "title": e.title, "date": e.date.iso(), "summary": e.summary, "country": _text(e.country),
             "credibility": _text(e.credibility), "sources": _joined(e.sources), "tlp": _text(e.tlp)}
            for eid, e in sorted(data.events.items())]


# ---------------------------------------------------------------- GeoJSON


def _position(lat: float, lon: float) -> list[float]:
    return [round(lon, 6), round(lat, 6)]  # RFC 7946: longitude first


def _feature(geometry: dict, properties: dict) -> dict:
    """A Feature whose id (also a property, for tools that read only properties) is unique: '<kind>/<fact id>'."""
    unique = f"{properties['kind']}/{properties['fact']}"
    return {"type": "Feature", "id": unique, "geometry": geometry, "properties": {"id": unique, **properties}}


def geojson(data: Dataset) -> dict:
    """An RFC 7946 FeatureCollection: bases, flights between known endpoints, and flight tracks."""
    features = []
    for bid, base in sorted(data.bases.items()):
        point = base.location.point()
        if point:
            current = base.current()
            features.append(_feature({"type": "Point", "coordinates": _position(*point)}, {
                "kind": "base", "fact": bid, "name": base.name, "country": base.country, "base_kind": base.kind,
                "status": current.status if current else "unknown", "status_date": current.date.iso() if current else None,
                "tlp": base.tlp or data.brief.tlp}))
    for fid, flight in sorted(data.flights.items()):
        a, b = (endpoint_point(end, data.bases, exact=True) for end in (flight.origin, flight.destination))
        properties = {"fact": fid, "departure": flight.departure.iso(), "arrival": flight.arrival.iso(),
                      "count": present.count(flight.count), "basis": flight.basis, "callsign": flight.aircraft.callsign,
                      "icao24": flight.aircraft.icao24, "tlp": flight.tlp or data.brief.tlp}
        if a and b and a != b:
            features.append(_feature({"type": "LineString", "coordinates": [_position(*a), _position(*b)]},
                                     {"kind": "flight", "line": "between the known endpoints", **properties}))
        track = data.tracks.get(flight.track) if flight.track else None
        if track and len(track) >= 2:
            features.append(_feature({"type": "LineString", "coordinates": [_position(p[0], p[1]) for p in track]},
                                     {"kind": "track", "line": "tracked positions", **properties,
                                      "tlp": data.track_markings.get(flight.track) or data.brief.tlp}))
    return {"type": "FeatureCollection", "features": features}
