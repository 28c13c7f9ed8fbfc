"""The brief as a STIX 2.1 bundle: a report, its TLP 2.0 marking, locations, notes and source references."""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

from generator.facts.dataset import Dataset
from generator.facts.models import SINGULAR
from generator.site import present
from generator.site.present import PROBABILITY, RELIABILITY

# Fixed namespace for the brief's ids: the same fact id always gives the same STIX id, so a
# re-export updates the objects a platform already holds instead of adding copies.
NAMESPACE = uuid.UUID("6f0b3c1e-52a4-5d8e-9b7a-1c2d3e4f5a6b")

# OASIS TLP 2.0 marking definitions (cti-stix-common-objects, extension-definition-specifications/tlp-2.0).
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_MARKINGS = {
    "TLP:CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "TLP:GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "TLP:AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "TLP:AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "TLP:RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_CREATED = "2022-10-01T00:00:00.000Z"

# STIX 2.1 Appendix A: the None/Low/Med/High scale, and the Admiralty information-credibility scale
# (6, "truth cannot be judged", has no STIX value: confidence is left out).
ANALYTIC_CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}
CREDIBILITY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id for a fact: UUIDv5 of '<kind>/<key>' under the brief's namespace."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}/{key}')}"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def marking(tlp: str) -> dict:
    """The standard OASIS marking-definition object for a TLP 2.0 label."""
    return {"type": "marking-definition", "spec_version": "2.1", "id": TLP_MARKINGS[tlp], "created": TLP_CREATED,
            "name": tlp, "extensions": {TLP_EXTENSION: {"extension_type": "property-extension",
                                                        "tlp_2_0": tlp.removeprefix("TLP:").lower()}}}


class _Builder:
    """Collects the bundle's objects with shared creation times, author and marking."""

    def __init__(self, data: Dataset, epoch: int):
        edition = datetime.combine(data.brief.edition, time(), tzinfo=timezone.utc)
        self.data = data
        self.created = timestamp(edition)
        self.modified = timestamp(max(edition, datetime.fromtimestamp(epoch, tz=timezone.utc)))
        self.marking = TLP_MARKINGS[data.brief.tlp]
        self.author = stix_id("identity", data.brief.publisher or data.brief.title)
        self.report = stix_id("report", data.brief.title)
        self.objects: list[dict] = []
        self.labels: set[str] = {data.brief.tlp}  # every TLP label an object is marked with

    def add(self, kind: str, key: str, tlp: str | None = None, **properties) -> str:
        """One object, marked with its own fact's TLP label (the edition's when it has none)."""
        label = tlp or self.data.brief.tlp
        self.labels.add(label)
        obj = {"type": kind, "spec_version": "2.1", "id": stix_id(kind, key), "created": self.created,
               "modified": self.modified, "created_by_ref": self.author, "object_marking_refs": [TLP_MARKINGS[label]]}
        obj.update({k: v for k, v in properties.items() if v not in (None, [], "")})
        self.objects.append(obj)
        return obj["id"]

    def references(self, source_ids) -> list[dict]:
        """External references for the cited sources, each with its publisher and reliability grade."""
        refs = []
        for sid in dict.fromkeys(source_ids):
            source = self.data.sources.get(sid)
            if source is None:
                continue
            ref = {"source_name": source.title, "external_id": sid,
                   "description": f"{source.publisher}; {source.kind}; reliability {source.reliability} "
                                  f"({RELIABILITY[source.reliability]})"}
            if source.url:
                ref["url"] = source.url
            refs.append(ref)
        return refs


def _credibility(value: int | None) -> tuple[int | None, list[str]]:
    if value is None:
        return None, []
    return CREDIBILITY_CONFIDENCE.get(value), [f"admiralty-credibility:{value}"]


def bundle(data: Dataset, epoch: int = 0) -> dict:
    """The whole brief as one STIX 2.1 bundle (a dict ready for JSON)."""
    b = _Builder(data, epoch)
    identity = {"type": "identity", "spec_version": "2.1", "id": b.author, "created": b.created,
                "modified": b.modified, "name": data.brief.publisher or data.brief.title,
                "identity_class": "organization", "object_marking_refs": [b.marking]}
    places = _locations(b)
    refs = _flights(b, places) | _bases(b, places)
    _events(b)
    _assessments(b, refs)
    content = [o["id"] for o in b.objects]
    report = {"type": "report", "spec_version": "2.1", "id": b.report, "created": b.created, "modified": b.modified,
              "created_by_ref": b.author, "name": data.brief.title, "description": data.brief.summary,
              "report_types": ["threat-report"], "published": b.created, "object_refs": content,
              "labels": [data.brief.tlp.lower()], "object_marking_refs": [b.marking],
              "external_references": b.references(sorted(data.sources))}
    report = {k: v for k, v in report.items() if v not in (None, [])}
    definitions = [marking(label) for label in TLP_MARKINGS if label in b.labels]
    objects = [*definitions, identity, report, *b.objects]
    return {"type": "bundle", "id": stix_id("bundle", data.brief.title), "objects": objects}


def _locations(b: _Builder) -> dict[str, str]:
    """A location per base: coordinates where known, else its country. Returns base id → STIX id."""
    out = {}
    for bid, base in sorted(b.data.bases.items()):
        point = base.location.point()
        current = base.current()
        status = f"Latest status: {current.status} ({present.when(current.date)})." if current else "Status unknown."
        out[bid] = b.add("location", f"base/{bid}", base.tlp, name=base.name, description=f"{base.kind}. {status}",
                         latitude=point and round(point[0], 6), longitude=point and round(point[1], 6),
                         country=base.country, labels=[base.kind, f"status:{current.status if current else 'unknown'}"],
                         external_references=b.references(base.sources))
    return out


def _bases(b: _Builder, places: dict[str, str]) -> dict[tuple[str, str], str]:
    """A note per base observation, about the base's location."""
    for bid, base in sorted(b.data.bases.items()):
        for n, obs in enumerate(base.observations, 1):
            confidence, labels = _credibility(obs.credibility)
            b.add("note", f"observation/{bid}/{n}", obs.tlp, abstract=f"{base.name}: {obs.status} ({present.when(obs.date)})",
                  content=obs.summary + (f"\n\n{obs.note}" if obs.note else ""),
                  object_refs=[places[bid]], confidence=confidence,
                  labels=["observation", f"status:{obs.status}", *labels],
                  external_references=b.references(obs.sources))
    return {("bases", bid): sid for bid, sid in places.items()}


def _flights(b: _Builder, places: dict[str, str]) -> dict[tuple[str, str], str]:
    """A note per flight, about the locations of its known bases."""
    out = {}
    for fid, flight in sorted(b.data.flights.items()):
        route = present.route(flight, b.data.bases)
        lines = [flight.summary or "Flight", f"Route: {route}.", f"Departure: {present.when(flight.departure)}.",
                 f"Arrival: {present.when(flight.arrival)}.", f"Flights: {present.count(flight.count)}.", f"Basis: {flight.basis}."]
        aircraft = flight.aircraft
        lines += [f"{name}: {value}." for name, value in (("Aircraft type", aircraft.type),
                  ("Registration", aircraft.registration), ("ICAO 24-bit address", aircraft.icao24),
                  ("Callsign", aircraft.callsign), ("Operator", flight.operator)) if value]
        if flight.note:
            lines.append(flight.note)
        about = [places[e.base] for e in (flight.origin, flight.destination) if e.base in places]
        confidence, labels = _credibility(flight.credibility)
        out[("flights", fid)] = b.add(
            "note", f"flight/{fid}", flight.tlp, abstract=f"Flight {route}", content="\n".join(lines),
            object_refs=list(dict.fromkeys(about)) or [b.report], confidence=confidence,
            labels=["flight", f"basis:{flight.basis}", *labels], external_references=b.references(flight.sources))
    return out


def _events(b: _Builder) -> None:
    for eid, event in sorted(b.data.events.items()):
        confidence, labels = _credibility(event.credibility)
        b.add("note", f"event/{eid}", event.tlp, abstract=f"{event.title} ({present.when(event.date)})", content=event.summary,
              object_refs=[b.report], confidence=confidence, labels=["event", *labels],
              external_references=b.references(event.sources))


def _assessments(b: _Builder, refs: dict[tuple[str, str], str]) -> None:
    """A note per assessment: analytic confidence as STIX confidence, likelihood kept apart in labels and text."""
    for aid, a in sorted(b.data.assessments.items()):
        about = [refs.get((kind, target)) or stix_id("note", f"{SINGULAR[kind]}/{target}")
                 for kind, target in (e.target for e in a.evidence) if kind != "sources"]
        lines = [a.judgment]
        if a.likelihood:
            lines.append(f"Likelihood: {a.likelihood} ({PROBABILITY[a.likelihood]}).")
        if a.confidence:
            lines.append(f"Analytic confidence: {a.confidence}.")
        if a.attribution:
            lines.append(f"View of {a.attribution.name}" + (f", {a.attribution.affiliation}" if a.attribution.affiliation else "") + ".")
        withheld = b.data.withheld
        if withheld.evidence.get(aid):
            lines.append(present.withheld_evidence(withheld.evidence[aid], withheld.label))
        labels = ["assessment", f"status:{a.status}"]
        labels += [f"likelihood:{a.likelihood}"] if a.likelihood else []
        labels += [f"analytic-confidence:{a.confidence}"] if a.confidence else []
        b.add("note", f"assessment/{aid}", a.tlp, abstract=a.title, content="\n".join(lines),
              authors=[a.attribution.name] if a.attribution else [b.data.brief.publisher or b.data.brief.title],
              object_refs=list(dict.fromkeys(about)) or [b.report],
              confidence=ANALYTIC_CONFIDENCE.get(a.confidence), labels=labels,
              external_references=b.references(a.sources + [e.source for e in a.evidence if e.source]))

