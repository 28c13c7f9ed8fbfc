"""The brief's facts as data files for other tools: JSON, CSV per kind, GeoJSON and STIX 2.1."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
import dataclasses
from dataclasses import dataclass
from functools import partial

from generator.facts import counting, indicators, markings, sourcing
from generator.facts.dataset import Dataset
from generator.facts.models import Endpoint
from generator.geo.places import endpoint_point
from generator.outputs import pieces, stix
from generator.outputs.jsonstream import Encoded, Lazy, Later, Stream, encoded, joined, plain, write_json
from generator.site import present
from generator.site.present import PROBABILITY

SCHEMA = "intelbrief-facts/1"
FOLDER = "data"
CSV_KINDS = ("flights", "bases", "observations", "assessments", "sources", "events", "indicators")


@dataclass(frozen=True)
class Export:
    """One exported file: where it goes in the site, what it holds, and its bytes (or, once written to disk, a
    stand-in that knows only their number)."""

    path: str
    title: str
    description: str
    body: bytes | Written

    @property
    def size(self) -> int:
        return len(self.body)


class Written:
    """The bytes of an export written straight to disk: only their number is kept."""

    def __init__(self, size: int):
        self.size = size

    def __len__(self) -> int:
        return self.size


KINDS = {"brief.json": ("All facts (JSON)", f"Every fact of the brief in one file; schema `{SCHEMA}`."),
         "brief.geojson": ("Map data (GeoJSON)", "Bases as points with their latest status, incidents as points, "
                           "flights as lines through their known stops, tracks as lines."),
         "brief.stix.json": ("STIX 2.1 bundle", "A report with its TLP 2.0 marking, locations, a note per fact and "
                             "links to the evidence, for OpenCTI and MISP.")}


def write_exports(data: Dataset, opened, epoch: int = 0, times: dict | None = None,
                  csv_bom: bool = False, kept: pieces.Pieces | None = None) -> list[Export]:
    """Write every export file piece by piece, a fact at a time, never whole in memory; in the order the Data page
    lists them. opened(path) is a context manager giving a binary file to write the export at that site path to.
    With kept (the last build's pieces), each flight's parts unchanged since are copied from there (the same bytes)."""
    reuse = Reuse(kept, flight_keys(data, epoch, times, csv_bom)) if kept is not None and kept.key else None
    writers = {"brief.json": lambda text: write_json(facts_stream(data, reuse), text),
               "brief.geojson": lambda text: write_json(geojson_stream(data, reuse), text),
               "brief.stix.json": lambda text: stix.write_bundle(data, text, epoch, times,
                                                                 reuse and partial(reuse.text, "stix"))}
    writers.update({f"{kind}.csv": partial(_write_kind, data, kind, csv_bom, reuse) for kind in CSV_KINDS})
    found = []
    for name, write in writers.items():
        path = f"{FOLDER}/{name}"
        with opened(path) as out:
            counted = _Counted(out)
            text = io.TextIOWrapper(counted, encoding="utf-8", newline="", write_through=False)
            write(text)
            text.flush()
            text.detach()
        title, description = KINDS.get(name) or _csv_kind(name)
        found.append(Export(path, title, description, Written(counted.size)))
    return found


def _csv_kind(name: str) -> tuple[str, str]:
    kind = name.removesuffix(".csv")
    return f"{kind.capitalize()} (CSV)", f"One row per {present.noun(kind)}."


def _write_kind(data: Dataset, kind: str, bom: bool, reuse: Reuse | None, text) -> None:
    write_csv(_flight_rows(data, reuse) if kind == "flights" and reuse else row_stream(data, kind), text, bom=bom)


class Reuse:
    """The last build's pieces and each flight's key: what its parts are made from, as one digest."""

    def __init__(self, kept: pieces.Pieces, keys: dict[str, str]):
        self.kept, self.keys = kept, keys

    def text(self, part: str, fid: str, make) -> str:
        return self.kept.text(part, fid, self.keys[fid], make)

    def item(self, part: str, fid: str, make_items) -> Encoded:
        """A Lazy list's items for this flight (make_items() gives them as values), kept at their depth."""
        return Encoded(lambda depth: self.kept.text(part, fid, f"{self.keys[fid]}.{depth}",
                                                    lambda: joined(make_items(), depth)))


def flight_keys(data: Dataset, epoch: int, times: dict | None, csv_bom: bool) -> dict[str, str]:
    """Each flight's key: a digest of everything its parts of the exports read. The flight itself; the facts any
    flight's parts may name (the brief, every base, every source); its group (whether it is a member, counted at the
    top, and its members as they are); its marking, its track and its track's marking; its STIX note's times; the
    build time and the CSV byte-order mark. intelbrief's code is in the pieces' version (pieces.code_version)."""
    common = pieces.digest(str(epoch), str(csv_bom), data.brief.model_dump_json(), _dumped(data.bases),
                           _dumped(data.sources), str(stix.default_times(data, epoch)))
    own = {fid: pieces.digest(fid, flight.model_dump_json()) for fid, flight in data.flights.items()}
    top = {r.id for r in counting.records(data)}
    keys = {}
    for fid, flight in data.flights.items():
        record = counting.record(data, fid)
        members = [own[mid] for mid, _ in record.members] if record else []
        track = data.tracks.get(flight.track) if flight.track else None
        note = (times or {}).get(stix.stix_id("note", f"flight/{fid}"))
        keys[fid] = pieces.digest(common, own[fid], str(fid in top), str(flight.part_of in data.flights), *members,
                                  markings.of(data, "flights", fid), json.dumps(track),
                                  str(data.track_markings.get(flight.track)), json.dumps(note))
    return keys


def _dumped(facts: dict) -> str:
    return "\n".join(f"{fid}\t{fact.model_dump_json()}" for fid, fact in sorted(facts.items()))


class _Counted(io.RawIOBase):
    """A binary file that counts the bytes written through it."""

    def __init__(self, out):
        self.out, self.size = out, 0

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.out.write(chunk)
        self.size += len(chunk)
        return len(chunk)


def exports(data: Dataset, epoch: int = 0, times: dict | None = None, csv_bom: bool = False) -> list[Export]:
    """Every export file of the brief with its bytes, in the order the Data page lists them (the same bytes
    write_exports puts on disk)."""
    held: dict[str, io.BytesIO] = {}

    @contextmanager
    def opened(path: str):
        held[path] = io.BytesIO()
        yield held[path]

    return [dataclasses.replace(e, body=held[e.path].getvalue())
            for e in write_exports(data, opened, epoch, times, csv_bom)]


# ---------------------------------------------------------------- JSON


def facts_json(data: Dataset) -> dict:
    """Every fact as plain JSON values, by kind and sorted by id, with the schema version."""
    return plain(facts_stream(data))


def facts_stream(data: Dataset, reuse: Reuse | None = None) -> Stream:
    """What facts_json holds, with each kind's facts made one at a time as they are written (the flights kept from
    the last build where unchanged, with reuse)."""
    out = Stream({"schema": SCHEMA, "brief": data.brief.model_dump(mode="json", exclude_none=True),
                  "edition": {"tlp": data.withheld.label or data.brief.tlp, "release": data.withheld.release}})
    for kind in ("sources", "bases", "flights", "assessments", "events", "indicators"):
        out[kind] = Lazy(_facts_json(data, kind) if kind != "flights" or not reuse else
                         (reuse.item("json", fid, partial(lambda *a: [_fact_json(*a)], data, kind, fid, fact))
                          for fid, fact in sorted(data.flights.items())))
    out["counts"] = Later(partial(counts_json, data))
    out["indicator_status"] = Later(partial(indicator_status, data))
    out["sourcing"] = Later(partial(sourcing_json, data))
    return out


def _facts_json(data: Dataset, kind: str) -> Iterator[dict]:
    """The facts of one kind as written, sorted by id, one at a time."""
    for fid, fact in sorted(data.of_kind(kind).items()):
        yield _fact_json(data, kind, fid, fact)


def _fact_json(data: Dataset, kind: str, fid: str, fact) -> dict:
    """One fact as written, with each base observation's id (given or computed) and an assessment's withheld
    evidence."""
    written = _as_written(fact)
    if kind == "bases":
        for item, observation in zip(written.get("observations", []), fact.observations):
            item["id"] = observation.identifier
    if kind == "assessments" and data.withheld.evidence.get(fid):
        written["withheld_evidence"] = data.withheld.evidence[fid]
    return written


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
    """A count as data: the flights surely counted, those only possibly in a period, whether a lower bound, and how
    many flight records it rests on."""
    return {"flights": found.certain, **({"possibly": found.possible} if found.possible else {}),
            "at_least": found.at_least, "records": len(found.flights)}


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


def indicator_status(data: Dataset) -> list[dict]:
    """Each indicator's status as evaluated against this edition's facts at its date, by id."""
    return [{"id": iid, "status": r.status, "since": r.since and r.since.isoformat(), "evaluated_at": data.brief.edition.isoformat(),
             "window": [d.isoformat() for d in r.window] if r.window else None, "found": r.found,
             "met_by": [{"kind": kind, "id": fid} for kind, fid in r.facts],
             "possibly_met_by": [{"kind": kind, "id": fid} for kind, fid in r.possible]}
            for iid, r in indicators.evaluate(data).items()]


def _as_written(fact) -> dict:
    """A fact as its YAML file gives it, unknowns left out; the brief's own judgment keeps 'attribution: brief'."""
    dumped = fact.model_dump(mode="json", exclude_none=True)
    if getattr(fact, "by_brief", False):
        dumped = {**dumped, "attribution": "brief"}
    return dumped


# ---------------------------------------------------------------- CSV


def to_csv(rows: Iterable[dict], bom: bool = False) -> bytes:
    """Rows of text as CSV with a header line (RFC 4180 quoting, CRLF line ends), safe to open in a spreadsheet."""
    buffer = io.StringIO()
    write_csv(rows, buffer, bom)
    return buffer.getvalue().encode("utf-8")


def write_csv(rows: Iterable[dict], out, bom: bool = False) -> None:
    """to_csv's text written to a text file row by row (a byte-order mark first if asked)."""
    if bom:
        out.write("\ufeff")
    rows = iter(rows)
    first = next(rows, None)
    if first is not None:
        writer = csv.DictWriter(out, fieldnames=list(first), lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for row in (first, *()), rows:
            for one in row:  # a row's mapping, or its line as csv_line gave it (kept from the last build)
                if isinstance(one, str):
                    out.write(one)
                else:
                    writer.writerow({key: inert_cell(value) for key, value in one.items()})


def csv_line(row: dict) -> str:
    """One row's line as write_csv writes it after the header."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow([inert_cell(v) for v in row.values()])
    return buffer.getvalue()


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
    return list(row_stream(data, kind))


def row_stream(data: Dataset, kind: str) -> Iterator[dict]:
    """csv_rows made one row at a time."""
    return {"flights": _flight_rows, "bases": _base_rows, "observations": _observation_rows,
            "assessments": _assessment_rows, "sources": _source_rows, "events": _event_rows,
            "indicators": _indicator_rows}[kind](data)


def _flight_rows(data: Dataset, reuse: Reuse | None = None) -> Iterator[dict | str]:
    """A row per flight record; counted_flights is what the row adds to the brief's totals (a group's members add
    nothing: they are counted in their group), so summing it gives every total the pages show. With reuse, each row
    after the first (which names the columns) is its line, kept from the last build where unchanged."""
    top = {r.id for r in counting.records(data)}
    for n, (fid, flight) in enumerate(sorted(data.flights.items())):
        row = partial(_flight_row, data, top, fid, flight)
        yield row() if not reuse or n == 0 else reuse.text("csv", fid, lambda: csv_line(row()))


def _flight_row(data: Dataset, top: set[str], fid: str, f) -> dict:
    return {"id": fid, "summary": _text(f.summary), "count": str(f.count.number),
             "count_is_lower_bound": "yes" if f.count.lower_bound else "no", "part_of": _text(f.part_of),
             "departure": f.departure.iso(), "arrival": f.arrival.iso(),
             **_endpoint_columns("origin", f.origin, data), **_endpoint_columns("destination", f.destination, data),
             "stops": _joined(_stop(stop, data) for stop in f.stops),
             "aircraft_type": _text(f.aircraft.type), "registration": _text(f.aircraft.registration),
             "icao24": _text(f.aircraft.icao24), "callsign": _text(f.aircraft.callsign),
             "operator": _text(f.operator), "cargo": _joined(_claim(c.kind, c) for c in f.cargo),
             "personnel": _claim(present.count(f.personnel.count) if f.personnel.count else "number not reported",
                                 f.personnel) if f.personnel else "",
             "basis": f.basis, "credibility": _text(f.credibility),
             "track": _text(f.track), "sources": _joined(f.sources), "note": _text(f.note), "tlp": _text(f.tlp),
             "counted_flights": str(f.count.number) if fid in top else "0"}


def _stop(stop, data: Dataset) -> str:
    """One stop in a cell: its place and its times, as 'Latakia, Syria (2023-10-16/2023-10-17 → unknown)'."""
    return f"{present.endpoint(stop.endpoint, data.bases)} ({stop.arrival.iso()} → {stop.departure.iso()})"


def _claim(head: str, claim) -> str:
    """A cargo or personnel claim in a cell: what, described, its credibility and its sources."""
    described = f": {claim.description}" if claim.description else ""
    return f"{head}{described} (credibility {claim.credibility}; sources {','.join(claim.sources)})"


def _base_rows(data: Dataset) -> Iterator[dict]:
    for bid, b in sorted(data.bases.items()):
        point, current = b.location.point(), b.current()
        yield {"id": bid, "name": b.name, "aliases": _joined(b.aliases), "country": b.country, "kind": b.kind,
                     "icao": _text(b.location.icao), "lat": _text(point and point[0]), "lon": _text(point and point[1]),
                     "status": current.status if current else "unknown",
                     "status_date": current.date.iso() if current else "", "operator": _text(b.operator),
                     "sources": _joined(b.sources), "tlp": _text(b.tlp)}


def _observation_rows(data: Dataset) -> Iterator[dict]:
    return ({"base": bid, "id": o.identifier, "date": o.date.iso(), "status": _text(o.status), "summary": o.summary,
             "credibility": str(o.credibility), "sources": _joined(o.sources), "note": _text(o.note),
             "tlp": _text(o.tlp)}
            for bid, b in sorted(data.bases.items()) for o in b.observations)


def _assessment_rows(data: Dataset) -> Iterator[dict]:
    return ({"id": aid, "title": a.title, "date": a.date.iso(), "judgment": a.judgment,
             "likelihood": _text(a.likelihood), "probability": PROBABILITY.get(a.likelihood, ""),
             "confidence": _text(a.confidence), "attribution": a.attribution.name if a.attribution else "brief",
             "status": a.status, "superseded_by": _text(a.superseded_by),
             "evidence": _joined(f"{present.noun(k)}:{t}" for k, t in (e.target for e in a.evidence)), "sources": _joined(a.sources),
             "withheld_evidence": str(data.withheld.evidence.get(aid, 0)), "tlp": _text(a.tlp)}
            for aid, a in sorted(data.assessments.items()))


def _source_rows(data: Dataset) -> Iterator[dict]:
    return ({"id": sid, "title": s.title, "publisher": s.publisher, "author": _text(s.author), "url": _text(s.url),
             "published": s.published.iso(), "accessed": _text(s.accessed and s.accessed.isoformat()), "kind": s.kind,
             "reliability": s.reliability, "via": _text(s.via), "tlp": _text(s.tlp)}
            for sid, s in sorted(data.sources.items()))


def _event_rows(data: Dataset) -> Iterator[dict]:
    return ({"id": eid, "title": e.title, "kind": _text(e.kind), "date": e.date.iso(), "summary": e.summary,
             "base": _text(e.base), "place": _text(e.place), "country": _text(e.country),
             "aircraft": present.aircraft(e) if e.aircraft else "",
             "credibility": _text(e.credibility), "sources": _joined(e.sources), "tlp": _text(e.tlp)}
            for eid, e in sorted(data.events.items()))


def _indicator_rows(data: Dataset) -> Iterator[dict]:
    readings = indicators.evaluate(data)
    return ({"id": iid, "title": i.title, "status": readings[iid].status,
             "since": _text(readings[iid].since and readings[iid].since.isoformat()),
             "evaluated_at": data.brief.edition.isoformat(), "condition": indicators.condition(i, data.bases),
             "found": readings[iid].found, "met_by": _joined(f"{present.noun(k)}:{t}" for k, t in readings[iid].facts),
             "possibly_met_by": _joined(f"{present.noun(k)}:{t}" for k, t in readings[iid].possible), "signals": i.signals,
             "bears_on": _joined(f"{b.assessment}:{b.direction}" for b in i.bears_on), "sources": _joined(i.sources),
             "tlp": _text(i.tlp)}
            for iid, i in sorted(data.indicators.items()))


# ---------------------------------------------------------------- GeoJSON


def _position(lat: float, lon: float) -> list[float]:
    return [round(lon, 6), round(lat, 6)]  # RFC 7946: longitude first


def _feature(geometry: dict, properties: dict) -> dict:
    """A Feature whose id (also a property, for tools that read only properties) is unique: '<kind>/<fact id>'."""
    unique = f"{properties['kind']}/{properties['fact']}"
    return {"type": "Feature", "id": unique, "geometry": geometry, "properties": {"id": unique, **properties}}


def geojson(data: Dataset) -> dict:
    """An RFC 7946 FeatureCollection: bases, flights between known endpoints, and flight tracks."""
    return plain(geojson_stream(data))


def geojson_stream(data: Dataset, reuse: Reuse | None = None) -> Stream:
    """What geojson holds, with its features made one at a time as they are written (each flight's kept from the
    last build where unchanged, with reuse)."""
    return Stream({"type": "FeatureCollection", "features": Lazy(_features(data, reuse))})


def _features(data: Dataset, reuse: Reuse | None = None) -> Iterator:
    for bid, base in sorted(data.bases.items()):
        point = base.location.point()
        if point:
            current = base.current()
            yield _feature({"type": "Point", "coordinates": _position(*point)}, {
                "kind": "base", "fact": bid, "name": base.name, "country": base.country, "base_kind": base.kind,
                "status": current.status if current else "unknown", "status_date": current.date.iso() if current else None,
                "tlp": base.tlp or data.brief.tlp})
    for fid, flight in sorted(data.flights.items()):
        if reuse:
            yield reuse.item("geojson", fid, partial(lambda *a: list(_flight_features(*a)), data, fid, flight))
        else:
            yield from _flight_features(data, fid, flight)
    for eid, event in sorted(data.events.items()):
        point = endpoint_point(event.where, data.bases, exact=True) if event.kind and event.where else None
        if point:
            yield _feature({"type": "Point", "coordinates": _position(*point)}, {
                "kind": "incident", "fact": eid, "incident": event.kind, "title": event.title, "date": event.date.iso(),
                "base": event.base, "tlp": event.tlp or data.brief.tlp})


def _flight_features(data: Dataset, fid: str, flight) -> Iterator[dict]:
    """A flight's features: its line through the known places, and its track's."""
    points = [endpoint_point(end, data.bases, exact=True) for end in flight.points()]
    properties = {"fact": fid, "departure": flight.departure.iso(), "arrival": flight.arrival.iso(),
                  "count": present.count(flight.count), "basis": flight.basis, "callsign": flight.aircraft.callsign,
                  "icao24": flight.aircraft.icao24, "tlp": flight.tlp or data.brief.tlp}
    if all(points) and len(set(points)) > 1:
        line = "through its stops" if flight.stops else "between the known endpoints"
        yield _feature({"type": "LineString", "coordinates": [_position(*p) for p in points]},
                       {"kind": "flight", "line": line, **properties})
    track = data.tracks.get(flight.track) if flight.track else None
    if track and len(track) >= 2:
        yield _feature({"type": "LineString", "coordinates": [_position(p[0], p[1]) for p in track]},
                       {"kind": "track", "line": "tracked positions", **properties,
                        "tlp": data.track_markings.get(flight.track) or data.brief.tlp})
