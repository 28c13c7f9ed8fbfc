"""The brief as a STIX 2.1 bundle: a report, its TLP 2.0 marking, locations, notes and source references."""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone
from functools import partial

from generator.facts.dataset import Dataset
from generator.outputs import jsonstream
from generator.outputs.jsonstream import Lazy, Raw, Stream, plain, write_json
from generator.facts import indicators, markings
from generator.site import present
from generator.site.present import RELIABILITY
from generator.geo.airfields import airports

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


# MISP taxonomies (admiralty-scale, estimative-language) as labels: MISP keeps them as tags and OpenCTI as labels.
def _tag(namespace: str, predicate: str, value) -> str:
    return f'{namespace}:{predicate}="{str(value).lower()}"'


class Builder:
    """Collects the bundle's objects (content only; times are set afterwards) with the author and marking."""

    def __init__(self, data: Dataset, sink=None, kept=None):
        self.data = data
        self.sink = sink  # told each object as it is made; without one they are kept in objects
        self.kept = kept  # kept(fact id, label, make): a flight's note from the last build's pieces, or made now
        self.marking = TLP_MARKINGS[data.brief.tlp]
        self.author = stix_id("identity", data.brief.publisher or data.brief.title)
        self.report = stix_id("report", data.brief.title)
        self.objects: list[dict] = []
        self.ids: list[str] = []  # every object's id, in order
        self.labels: set[str] = {data.brief.tlp}  # every TLP label an object is marked with
        self.places: dict[tuple[str, str], str] = {}  # ("bases", id) or ("airfields", ICAO) → location id
        self.notes: dict[tuple[str, str], str] = {}  # (kind, fact id) → note id

    def add(self, kind: str, key: str, tlp: str | None = None, **properties) -> str:
        """One object, marked with its own fact's TLP label (the edition's when it has none)."""
        obj = self._made(kind, key, tlp, properties)
        if self.sink:
            self.sink(obj)
        else:
            self.objects.append(obj)
        return obj["id"]

    def _made(self, kind: str, key: str, tlp: str | None, properties: dict) -> dict:
        label = tlp or self.data.brief.tlp
        self.labels.add(label)
        obj = {"type": kind, "spec_version": "2.1", "id": stix_id(kind, key), "created_by_ref": self.author,
               "object_marking_refs": [TLP_MARKINGS[label]]}
        obj.update({k: v for k, v in properties.items() if v not in (None, [], "")})
        self.ids.append(obj["id"])
        return obj

    def add_kept(self, fid: str, kind: str, key: str, tlp: str | None, properties) -> str:
        """add for a fact whose object may be kept from the last build: properties() is asked for only when its
        object must be made again; the same id, label and place in the bundle either way."""
        label = tlp or self.data.brief.tlp
        if not self.kept:
            return self.add(kind, key, tlp, **properties())
        made = []
        self.kept(fid, TLP_MARKINGS[label], lambda: made.append(self._made(kind, key, tlp, properties())) or made[0])
        found = stix_id(kind, key)
        if not made:  # kept: listed here as _made would have
            self.labels.add(label)
            self.ids.append(found)
        return found

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

    def source_titles(self, source_ids) -> list[str]:
        return [self.data.sources[sid].title for sid in dict.fromkeys(source_ids) if sid in self.data.sources]

    def cited(self, source_ids) -> list[str]:
        """Lines naming each cited source with its reliability grade, for the text every platform keeps."""
        return [f"Source: {s.title} ({s.publisher}), reliability {s.reliability} ({RELIABILITY[s.reliability]})."
                for s in (self.data.sources.get(sid) for sid in dict.fromkeys(source_ids)) if s]


def _credibility(value: int | None) -> tuple[int | None, list[str], list[str]]:
    """STIX confidence, labels and a line of text for an Admiralty information-credibility grade."""
    if value is None:
        return None, [], []
    return (CREDIBILITY_CONFIDENCE.get(value), [_tag("admiralty-scale", "information-credibility", value)],
            [f"Information credibility: {present.credibility(value)}."])


def objects(data: Dataset) -> list[dict]:
    """The bundle's objects without their created/modified times: what a platform stores, in a stable order."""
    b = Builder(data)
    identity, report = made(b)
    return [identity, report, *b.objects]


def made(b: Builder) -> tuple[dict, dict]:
    """Make every object of the facts (each told to the builder's sink, or kept), then the identity and the report
    that come first in the bundle and refer to them all."""
    data = b.data
    _locations(b)
    _sources(b)
    _bases(b)
    _flights(b)
    _events(b)
    _assessments(b)
    _indicators(b)
    identity = {"type": "identity", "spec_version": "2.1", "id": b.author, "name": data.brief.publisher or data.brief.title,
                "identity_class": "organization", "object_marking_refs": [b.marking]}
    report = {"type": "report", "spec_version": "2.1", "id": b.report, "created_by_ref": b.author,
              "name": data.brief.title, "description": data.brief.summary, "report_types": ["threat-report"],
              "object_refs": b.ids, "labels": [data.brief.tlp.lower()],
              "object_marking_refs": [b.marking], "external_references": b.references(sorted(data.sources))}
    return identity, {k: v for k, v in report.items() if v not in (None, [])}


def default_times(data: Dataset, epoch: int) -> tuple[str, str]:
    """(created, modified) when no history is known: the edition date, and the build time if later."""
    edition = datetime.combine(data.brief.edition, time(), tzinfo=timezone.utc)
    return timestamp(edition), timestamp(max(edition, datetime.fromtimestamp(epoch, tz=timezone.utc)))


def bundle(data: Dataset, epoch: int = 0, times: dict[str, tuple[str, str]] | None = None) -> dict:
    """The whole brief as one STIX 2.1 bundle (a dict ready for JSON); times maps object id → (created, modified)."""
    return plain(_bundle(data, epoch, times, None))


def write_bundle(data: Dataset, out, epoch: int = 0, times: dict[str, tuple[str, str]] | None = None,
                 kept=None) -> None:
    """Write the bundle as JSON text (json.dumps(bundle(...), indent=2, ensure_ascii=False) and a line end) an object at a time: the objects, made
    before the report that lists them, are encoded into a temporary file as they come and copied after it. With
    kept(fact id, make text), each flight's note is the text it gives (the last build's where unchanged)."""
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        write_json(_bundle(data, epoch, times, spool, kept), out)


def _bundle(data: Dataset, epoch: int, times: dict | None, spool, kept=None) -> Stream:
    """The bundle with its objects as a Lazy list; with a spool, the objects after the report are written there
    (encoded as items of the list) instead of kept."""
    fallback = default_times(data, epoch)
    used: set[str] = set()
    held: list[dict] = []

    def dated(obj: dict) -> dict:
        used.update(obj.get("object_marking_refs", []))
        created, modified = (times or {}).get(obj["id"], fallback)
        obj = {**obj, "created": created, "modified": modified}
        if obj["type"] == "report":
            obj["published"] = fallback[0]  # the edition's date
        return obj

    def encoded(obj: dict) -> str:
        return jsonstream.dumps(dated(obj), 2)  # json.dumps(…, indent=2, ensure_ascii=False) two levels in

    def spool_text(text: str) -> None:
        spool.write(f",\n    {text}" if spool.tell() else text)

    def spool_kept(fid: str, marking_ref: str, make) -> None:
        used.add(marking_ref)
        spool_text(kept(fid, lambda: encoded(make())))

    b = Builder(data, (lambda obj: spool_text(encoded(obj))) if spool else lambda obj: held.append(dated(obj)),
                spool_kept if spool and kept else None)
    identity, report = (dated(obj) for obj in made(b))
    definitions = [marking(label) for label, ref in TLP_MARKINGS.items() if ref in used]
    rest = ([Raw(spool)] if spool.tell() else []) if spool else held
    return Stream({"type": "bundle", "id": stix_id("bundle", data.brief.title),
                   "objects": Lazy([*definitions, identity, report, *rest])})


def _location(b: Builder, key: tuple[str, str], tlp: str, name: str, point, country: str | None, **more) -> str:
    if key not in b.places:
        b.places[key] = b.add("location", f"{key[0][:-1]}/{key[1]}", tlp, name=name, latitude=point and round(point[0], 6),
                              longitude=point and round(point[1], 6), country=country,
                              x_opencti_location_type="Position" if point else "Country", **more)
    return b.places[key]


def _locations(b: Builder) -> None:
    """A location per base (coordinates where known, else its country) and per airfield a flight ends at."""
    for bid, base in sorted(b.data.bases.items()):
        current = base.current()
        status = f"Latest status: {current.status} ({present.when(current.date)})." if current else "Status unknown."
        _location(b, ("bases", bid), markings.of(b.data, "bases", bid), base.name, base.location.point(), base.country,
                  description=f"{base.name}: {base.kind}. {status}",
                  labels=[base.kind, f"status:{current.status if current else 'unknown'}"],
                  external_references=b.references(base.sources))
    ends = {}  # airfield → the markings of the flights that end there
    for fid, flight in sorted(b.data.flights.items()):
        for end in (flight.origin, flight.destination):
            if end.airfield and not end.base:
                ends.setdefault(end.airfield, []).append(markings.of(b.data, "flights", fid))
    for code, labels in sorted(ends.items()):
        record = airports()[code]
        _location(b, ("airfields", code), markings.highest(labels), f"{record['name']} ({code})",
                  (record["lat"], record["lon"]), record["country"], description=f"{record['name']}: airfield.")


def _about(b: Builder, *places: str | None) -> list[str]:
    """object_refs of a note: what it is about, and always the report, so platforms that attach notes keep it."""
    return list(dict.fromkeys([*(p for p in places if p), b.report]))


def _sources(b: Builder) -> None:
    """A note per source: its title, publisher and reliability grade, so the source survives as data of its own."""
    for sid, source in sorted(b.data.sources.items()):
        lines = [f"{source.title}.", f"Publisher: {source.publisher}.", f"Kind: {source.kind}.",
                 f"Published: {present.when(source.published)}.",
                 f"Reliability: {source.reliability} ({RELIABILITY[source.reliability]})."]
        lines += [f"Address: {source.url}."] if source.url else []
        lines += [f"Reported through: {b.data.sources[source.via].title}."] if source.via in b.data.sources else []
        b.notes[("sources", sid)] = b.add(
            "note", f"source/{sid}", markings.of(b.data, "sources", sid), abstract=f"Source: {source.title}",
            content="\n".join(lines), object_refs=_about(b), labels=["source", _tag("admiralty-scale", "source-reliability", source.reliability)],
            external_references=b.references([sid]))


def _bases(b: Builder) -> None:
    """A note per base observation, about the base's location and the report."""
    for bid, base in sorted(b.data.bases.items()):
        for n, obs in enumerate(base.observations, 1):  # n: its place in this edition, which its id does not tell
            confidence, labels, graded = _credibility(obs.credibility)
            status = obs.status or "not stated"
            lines = [obs.summary, *([obs.note] if obs.note else []), f"Status: {status}.", *graded,
                     *b.cited(obs.sources)]
            b.add("note", f"observation/{bid}/{obs.identifier}", markings.of_observation(b.data, bid, n - 1),
                  abstract=f"{base.name}: {status} ({present.when(obs.date)})", content="\n".join(lines), object_refs=_about(b, b.places[("bases", bid)]), confidence=confidence,
                  labels=["observation", *([f"status:{obs.status}"] if obs.status else []), *labels],
                  external_references=b.references(obs.sources))


def _flights(b: Builder) -> None:
    """A note per flight, about the locations of its ends and the report."""
    for fid, flight in sorted(b.data.flights.items()):
        b.notes[("flights", fid)] = b.add_kept(fid, "note", f"flight/{fid}", markings.of(b.data, "flights", fid),
                                               partial(_flight_note, b, fid, flight))


def _flight_note(b: Builder, fid: str, flight) -> dict:
    """A flight note's properties."""
    route = present.route(flight, b.data.bases)
    lines = [flight.summary or "Flight", f"Route: {route}.", f"Departure: {present.when(flight.departure)}.",
             f"Arrival: {present.when(flight.arrival)}.", f"Flights: {present.record_count(b.data, fid)}.",
             f"Basis: {flight.basis}."]
    aircraft = flight.aircraft
    lines += [f"{name}: {value}." for name, value in (("Aircraft type", aircraft.type),
              ("Registration", aircraft.registration), ("ICAO 24-bit address", aircraft.icao24),
              ("Callsign", aircraft.callsign), ("Operator", flight.operator)) if value]
    lines += [f"Stop {n}: {present.endpoint(stop.endpoint, b.data.bases)}, landed {present.when(stop.arrival)}, "
              f"left {present.when(stop.departure)}." for n, stop in enumerate(flight.stops, 1)]
    lines += _carried(b, flight)
    confidence, labels, graded = _credibility(flight.credibility)
    lines += [*([flight.note] if flight.note else []), *graded, *b.cited(flight.sources)]
    ends = [b.places.get(("bases", e.base)) or b.places.get(("airfields", e.airfield)) for e in flight.points()]
    return {"abstract": f"Flight {route}", "content": "\n".join(lines), "object_refs": _about(b, *ends),
            "confidence": confidence, "labels": ["flight", f"basis:{flight.basis}", *labels],
            "external_references": b.references([*flight.sources, *(sid for c in flight.cargo for sid in c.sources),
                                                 *(flight.personnel.sources if flight.personnel else [])])}


def _carried(b: Builder, flight) -> list[str]:
    """What a flight carried, a line per claim with its own grade and sources."""
    claims = [(f"Cargo: {c.kind}", c) for c in flight.cargo]
    if flight.personnel:
        count = present.count(flight.personnel.count) if flight.personnel.count else "number not reported"
        claims.append((f"Personnel: {count}", flight.personnel))
    return [f"{head}{f', {claim.description}' if claim.description else ''} (credibility "
            f"{present.credibility(claim.credibility)}; sources: {', '.join(b.source_titles(claim.sources))})."
            for head, claim in claims]


def _events(b: Builder) -> None:
    for eid, event in sorted(b.data.events.items()):
        confidence, labels, graded = _credibility(event.credibility)
        lines = [event.summary]
        if event.kind:
            where = present.endpoint(event.where, b.data.bases) if event.where else "place not reported"
            lines.append(f"Incident: {event.kind}, {where}.")
            lines += [f"Aircraft: {present.aircraft(event)}."] if event.aircraft else []
        place = b.places.get(("bases", event.base)) if event.base else None
        b.notes[("events", eid)] = b.add(
            "note", f"event/{eid}", markings.of(b.data, "events", eid), abstract=f"{event.title} ({present.when(event.date)})",
            content="\n".join([*lines, *graded, *b.cited(event.sources)]), object_refs=_about(b, place),
            confidence=confidence, labels=["event", *([f"incident:{event.kind}"] if event.kind else []), *labels],
            external_references=b.references(event.sources))


def _assessments(b: Builder) -> None:
    """A note per assessment about the report, and a relationship to each fact it rests on."""
    for aid, a in sorted(b.data.assessments.items()):
        b.notes[("assessments", aid)] = stix_id("note", f"assessment/{aid}")
    for aid, a in sorted(b.data.assessments.items()):
        lines = [a.judgment, f"Likelihood: {present.likelihood(a)}.", f"Analytic confidence: {present.confidence(a)}.",
                 f"{present.attribution(a)}.", f"Status: {a.status}.", *b.cited(a.sources)]
        withheld = b.data.withheld
        if withheld.evidence.get(aid):
            lines.append(present.withheld_evidence(withheld.evidence[aid], withheld.label))
        labels = ["assessment", f"status:{a.status}", *(["key-judgment"] if a.key else [])]
        labels += [_tag("estimative-language", "likelihood-probability", a.likelihood)] if a.likelihood else []
        labels += [_tag("estimative-language", "confidence-in-analytic-judgment", a.confidence)] if a.confidence else []
        mark = markings.of(b.data, "assessments", aid)
        note = b.add("note", f"assessment/{aid}", mark, abstract=a.title, content="\n".join(lines),
                     authors=[a.attribution.name] if a.attribution else [b.data.brief.publisher or b.data.brief.title],
                     object_refs=_about(b), confidence=ANALYTIC_CONFIDENCE.get(a.confidence), labels=labels,
                     external_references=b.references(a.sources + [e.source for e in a.evidence if e.source]))
        for kind, target in (e.target for e in a.evidence):
            cited = b.notes.get((kind, target)) or b.places.get((kind, target))
            if cited:
                both = markings.highest([mark, markings.of(b.data, kind, target)])
                b.add("relationship", f"assessment/{aid}/{kind}/{target}", both, relationship_type="related-to",
                      source_ref=note, target_ref=cited, description=f"The assessment rests on this {present.noun(kind)}.")


def _indicators(b: Builder) -> None:
    """A note per indicator (not a STIX indicator, which is a detection pattern): its condition, its status at the
    edition date, what it signals and the facts that meet it; related to the judgments it bears on. The facts are
    named in its text, not related: which facts meet it changes with the edition date, its ids must not."""
    readings = indicators.evaluate(b.data)
    for iid, ind in sorted(b.data.indicators.items()):
        r = readings[iid]
        lines = [f"Signals: {ind.signals}", f"Condition: {indicators.condition(ind, b.data.bases)}.",
                 f"Status at {b.data.brief.edition.isoformat()}: {r.status}" + (f", since {r.since.isoformat()}" if r.since else "") + ".",
                 *([f"Found: {r.found}."] if not ind.manual else []),
                 *[f"Met by {present.noun(kind)} {present.fact_summary(b.data, kind, fid)}." for kind, fid in r.facts],
                 *[f"Possibly met by {present.noun(kind)} {present.fact_summary(b.data, kind, fid)}, if its ranged date "
                   "falls in the window." for kind, fid in r.possible], *([ind.note] if ind.note else []),
                 *b.cited(ind.sources)]
        mark = markings.of(b.data, "indicators", iid)
        note = b.add("note", f"indicator/{iid}", mark, abstract=f"Indicator: {ind.title} ({r.status})",
                     content="\n".join(lines), object_refs=_about(b),
                     labels=["intelligence-indicator", f"indicator-status:{r.status.replace(' ', '-')}"],
                     external_references=b.references(ind.sources))
        for bearing in ind.bears_on:
            target = b.notes.get(("assessments", bearing.assessment))
            if target:
                both = markings.highest([mark, markings.of(b.data, "assessments", bearing.assessment)])
                b.add("relationship", f"indicator/{iid}/bears-on/{bearing.assessment}", both,
                      relationship_type="related-to", source_ref=note, target_ref=target,
                      description=f"If met, this indicator {bearing.direction} the assessment.")
