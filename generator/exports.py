"""The brief's facts for other tools: one JSON file, CSV per kind, GeoJSON and a STIX 2.1 bundle.

Every export is a pure function of the dataset, written into the site with each build, and the same
facts always give the same bytes (ids are UUIDv5 from fact ids, times come from the facts).
"""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, time, timezone

from generator.dataset import Dataset
from generator.places import endpoint_label, endpoint_point

FOLDER = "exports"
FORMAT_VERSION = 1
NAMESPACE = uuid.UUID("6c1f9f8e-2b7a-5d3e-9a41-5b0e6f0c2d11")  # intelbrief's namespace for STIX ids
# OASIS TLP 2.0 marking definitions (fixed, standard ids) and their extension definition.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_IDS = {
    "TLP:CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "TLP:GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "TLP:AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "TLP:AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "TLP:RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# STIX 2.1 appendix: Admiralty credibility 1..6 → confidence; analytic confidence words → confidence.
CREDIBILITY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
ANALYTIC_CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}
CSV_FIELDS = {
    "sources": ["id", "title", "publisher", "url", "published", "kind", "reliability", "via"],
    "bases": ["id", "name", "aliases", "country", "icao", "lat", "lon", "kind", "operator", "status", "sources"],
    "observations": ["base", "date", "status", "summary", "credibility", "sources"],
    "flights": ["id", "count", "lower_bound", "part_of", "departure", "arrival", "origin", "destination",
                "aircraft_type", "registration", "icao24", "callsign", "operator", "basis", "credibility", "sources"],
    "assessments": ["id", "title", "date", "likelihood", "confidence", "attribution", "status", "superseded_by",
                    "judgment", "sources"],
    "events": ["id", "title", "date", "country", "credibility", "summary", "sources"],
}


def files(data: Dataset) -> dict[str, bytes]:
    """Every export as {site path: bytes}."""
    out = {f"{FOLDER}/brief.json": _json(facts_json(data)),
           f"{FOLDER}/brief.geojson": _json(geojson(data)),
           f"{FOLDER}/brief.stix.json": _json(stix_bundle(data))}
    for kind, rows in csv_rows(data).items():
        out[f"{FOLDER}/{kind}.csv"] = to_csv(CSV_FIELDS[kind], rows)
    return out


def _json(value) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode()


def facts_json(data: Dataset) -> dict:
    """All facts in one document, with a versioned format name."""
    dump = lambda fact: fact.model_dump(mode="json", exclude_none=True)  # noqa: E731
    return {"format": "intelbrief-facts", "version": FORMAT_VERSION, "brief": dump(data.brief),
            **{kind: [dump(f) for _, f in sorted(data.of_kind(kind).items())]
               for kind in ("sources", "bases", "flights", "assessments", "events")}}


# ---------------------------------------------------------------- CSV


def csv_rows(data: Dataset) -> dict[str, list[dict]]:
    joined = ";".join
    rows: dict[str, list[dict]] = {kind: [] for kind in CSV_FIELDS}
    for sid, s in sorted(data.sources.items()):
        rows["sources"].append({"id": sid, "title": s.title, "publisher": s.publisher, "url": s.url or "",
                                "published": s.published.iso(), "kind": s.kind, "reliability": s.reliability,
                                "via": s.via or ""})
    for bid, b in sorted(data.bases.items()):
        point = b.location.point()
        current = b.current()
        rows["bases"].append({"id": bid, "name": b.name, "aliases": joined(b.aliases), "country": b.country,
                              "icao": b.location.icao or "", "lat": point[0] if point else "",
                              "lon": point[1] if point else "", "kind": b.kind, "operator": b.operator or "",
                              "status": current.status if current else "", "sources": joined(b.sources)})
        for o in b.observations_in_order():
            rows["observations"].append({"base": bid, "date": o.date.iso(), "status": o.status, "summary": o.summary,
                                         "credibility": o.credibility, "sources": joined(o.sources)})
    for fid, f in sorted(data.flights.items()):
        a = f.aircraft
        rows["flights"].append({"id": fid, "count": f.count.number, "lower_bound": str(f.count.lower_bound).lower(),
                                "part_of": f.part_of or "", "departure": f.departure.iso(), "arrival": f.arrival.iso(),
                                "origin": endpoint_label(f.origin, data.bases),
                                "destination": endpoint_label(f.destination, data.bases),
                                "aircraft_type": a.type or "", "registration": a.registration or "",
                                "icao24": a.icao24 or "", "callsign": a.callsign or "", "operator": f.operator or "",
                                "basis": f.basis, "credibility": f.credibility or "", "sources": joined(f.sources)})
    for aid, a in sorted(data.assessments.items()):
        rows["assessments"].append({"id": aid, "title": a.title, "date": a.date.iso(), "likelihood": a.likelihood or "",
                                    "confidence": a.confidence or "",
                                    "attribution": "brief" if a.by_brief else a.attribution.name,
                                    "status": a.status, "superseded_by": a.superseded_by or "",
                                    "judgment": a.judgment, "sources": joined(a.sources)})
    for eid, e in sorted(data.events.items()):
        rows["events"].append({"id": eid, "title": e.title, "date": e.date.iso(), "country": e.country or "",
                               "credibility": e.credibility or "", "summary": e.summary, "sources": joined(e.sources)})
    return rows


def to_csv(fields: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------- GeoJSON (RFC 7946)


def geojson(data: Dataset) -> dict:
    """Bases as points with their status; flights as lines where both ends can be placed."""
    features = []
    for bid, b in sorted(data.bases.items()):
        point = b.location.point()
        if point:
            current = b.current()
            features.append({"type": "Feature", "id": f"base/{bid}",
                             "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                             "properties": {"kind": "base", "id": bid, "name": b.name, "country": b.country,
                                            "status": current.status if current else "unknown"}})
    for fid, f in sorted(data.flights.items()):
        a, b = endpoint_point(f.origin, data), endpoint_point(f.destination, data)
        if a and b:
            approximate = any(not (e.base or e.airfield or e.coordinates) for e in (f.origin, f.destination))
            features.append({"type": "Feature", "id": f"flight/{fid}",
                             "geometry": {"type": "LineString", "coordinates": [[a[1], a[0]], [b[1], b[0]]]},
                             "properties": {"kind": "flight", "id": fid, "count": f.count.number,
                                            "lower_bound": f.count.lower_bound, "departure": f.departure.iso(),
                                            "arrival": f.arrival.iso(), "basis": f.basis,
                                            "approximate_end": approximate}})
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- STIX 2.1


def stix_id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, name)}"


def _stamp(when) -> str:
    if when is not None and when.known:
        return when.earliest.start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return None


def stix_bundle(data: Dataset) -> dict:
    """A STIX 2.1 bundle: a report marked with the brief's TLP, locations, notes and opinions."""
    brief = data.brief
    published = datetime.combine(brief.edition, time(0), tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    author = stix_id("identity", "brief")
    marking = TLP_IDS[brief.tlp]
    common = {"spec_version": "2.1", "created": published, "modified": published, "created_by_ref": author,
              "object_marking_refs": [marking]}
    refs = {sid: _external_reference(sid, s) for sid, s in data.sources.items()}
    objects = [
        {"type": "identity", "spec_version": "2.1", "id": author, "created": published, "modified": published,
         "name": brief.publisher or brief.title, "identity_class": "organization"},
        _tlp_marking(brief.tlp),
    ]
    for bid, b in sorted(data.bases.items()):
        location = {"type": "location", "id": stix_id("location", f"base/{bid}"), **common, "name": b.name,
                    "country": b.country, "external_references": [refs[s] for s in b.sources]}
        point = b.location.point()
        if point:
            location.update(latitude=round(point[0], 6), longitude=round(point[1], 6))
        objects.append(location)
        for n, o in enumerate(b.observations_in_order()):
            objects.append({"type": "note", "id": stix_id("note", f"base/{bid}/observation/{n}"), **common,
                            "abstract": f"{b.name}: {o.status}, {o.date.label()}",
                            "content": o.summary, "object_refs": [location["id"]], "labels": [f"status:{o.status}"],
                            **_confidence(CREDIBILITY_CONFIDENCE.get(o.credibility)),
                            "external_references": [refs[s] for s in o.sources]})
    for fid, f in sorted(data.flights.items()):
        linked = [stix_id("location", f"base/{e.base}") for e in (f.origin, f.destination) if e.base in data.bases]
        objects.append({"type": "note", "id": stix_id("note", f"flight/{fid}"), **common,
                        "abstract": f"Flight {endpoint_label(f.origin, data.bases)} → {endpoint_label(f.destination, data.bases)}",
                        "content": (f"{f.count.label()} flight(s); departure {f.departure.label()}; arrival "
                                    f"{f.arrival.label()}; basis {f.basis}." + (f" {f.summary}" if f.summary else "")),
                        "object_refs": linked or [author], "labels": [f"basis:{f.basis}"],
                        **_confidence(CREDIBILITY_CONFIDENCE.get(f.credibility)),
                        "external_references": [refs[s] for s in f.sources]})
    for aid, a in sorted(data.assessments.items()):
        likelihood = f"Likelihood: {a.likelihood}." if a.likelihood else "Likelihood: not stated."
        confidence = f"Confidence: {a.confidence}." if a.confidence else "Confidence: not stated."
        by = "the brief" if a.by_brief else a.attribution.name
        objects.append({"type": "note", "id": stix_id("note", f"assessment/{aid}"), **common,
                        "abstract": a.title, "authors": [by],
                        "content": f"{a.judgment}\n\n{likelihood} {confidence}",
                        "labels": [f"likelihood:{a.likelihood or 'not-stated'}", f"status:{a.status}"],
                        "object_refs": _evidence_refs(data, a) or [author],
                        **_confidence(ANALYTIC_CONFIDENCE.get(a.confidence)),
                        "external_references": [refs[s] for s in a.sources]})
    report_refs = [o["id"] for o in objects if o["type"] in ("location", "note")]
    objects.append({"type": "report", "id": stix_id("report", "brief"), **common, "name": brief.title,
                    "description": brief.summary or brief.title, "published": published,
                    "report_types": ["threat-report"], "object_refs": report_refs or [author]})
    return {"type": "bundle", "id": stix_id("bundle", f"brief/{brief.edition.isoformat()}"), "objects": objects}


def _confidence(value: int | None) -> dict:
    return {"confidence": value} if value is not None else {}


def _evidence_refs(data: Dataset, assessment) -> list[str]:
    refs = []
    for item in assessment.evidence:
        kind, target = item.target
        if kind == "base":
            refs.append(stix_id("location", f"base/{target}"))
        elif kind in ("flight", "assessment"):
            refs.append(stix_id("note", f"{kind}/{target}"))
    return sorted(set(refs))


def _external_reference(sid: str, source) -> dict:
    ref = {"source_name": source.title, "description": f"{source.kind}; publisher {source.publisher}; "
           f"reliability {source.reliability}", "external_id": sid}
    if source.url:
        ref["url"] = source.url
    return ref


def _tlp_marking(label: str) -> dict:
    return {"type": "marking-definition", "spec_version": "2.1", "id": TLP_IDS[label],
            "created": "2022-10-01T00:00:00.000Z", "name": label,
            "extensions": {TLP_EXTENSION: {"extension_type": "property-extension",
                                           "tlp_2_0": label.split(":", 1)[1].lower()}}}
