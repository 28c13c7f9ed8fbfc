"""All the facts of one brief, loaded together and checked across files."""
from __future__ import annotations

import os
import typing
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from generator.errors import Problem, ValidationFailed, field_label
from generator import disk
from generator.geo.tracks import MAX_TRACK_BYTES, load_track, track_marking
from generator.facts import loader, parsecache, rules
from generator.facts.markings import Withheld, misplaced_marking
from generator.facts.models import KINDS, SINGULAR, TLP_LABELS, Assessment, Base, Brief, Event, Flight, Indicator, Source

BRIEF_FILE = "brief.yml"
BRIEF = "brief"  # the kind and id under which references from data/brief.yml are named
TRACKS = "tracks"  # position tracks kept beside the flights that cite them
SUFFIXES = (".yml", ".yaml")


@dataclass
class Dataset:
    """The validated facts, by kind and id, with where each came from."""

    brief: Brief
    sources: dict[str, Source] = field(default_factory=dict)
    bases: dict[str, Base] = field(default_factory=dict)
    flights: dict[str, Flight] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    tracks: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # kept tracks: id → (lat, lon) path
    track_markings: dict[str, str] = field(default_factory=dict)  # track id → its own TLP label, when it has one
    withheld: "Withheld" = field(default_factory=lambda: _nothing_withheld())  # what a release left out
    documents: dict[tuple[str, str], loader.Located] = field(default_factory=dict, repr=False)  # where each fact is written
    brief_document: loader.Document | None = field(default=None, repr=False)  # data/brief.yml, for locating problems

    def of_kind(self, kind: str) -> dict:
        return getattr(self, kind)

    def references(self) -> Iterator[Reference]:
        """Every reference one fact makes to another, with where in its file it is written."""
        for kind in ("bases", "flights", "assessments", "events", "indicators"):
            for fact_id, fact in self.of_kind(kind).items():
                for i, source in enumerate(fact.sources):
                    yield Reference(kind, fact_id, ("sources", i), "sources", source)
        for base_id, base in self.bases.items():
            if base.location.coordinates:
                yield Reference("bases", base_id, ("location", "coordinates", "source"), "sources",
                                base.location.coordinates.source)
            for n, obs in enumerate(base.observations):
                for i, source in enumerate(obs.sources):
                    yield Reference("bases", base_id, ("observations", n, "sources", i), "sources", source)
        for source_id, source in self.sources.items():
            if source.via:
                yield Reference("sources", source_id, ("via",), "sources", source.via)
        for flight_id, flight in self.flights.items():
            yield from _flight_references(flight_id, flight)
        for event_id, event in self.events.items():
            if event.base:
                yield Reference("events", event_id, ("base",), "bases", event.base)
            if event.coordinates:
                yield Reference("events", event_id, ("coordinates", "source"), "sources", event.coordinates.source)
        for assessment_id, assessment in self.assessments.items():
            for i, item in enumerate(assessment.evidence):
                kind, target = item.target
                yield Reference("assessments", assessment_id, ("evidence", i, SINGULAR[kind]), kind, target)
            if assessment.superseded_by:
                yield Reference("assessments", assessment_id, ("superseded_by",), "assessments", assessment.superseded_by)
        for indicator_id, indicator in self.indicators.items():
            for i, bearing in enumerate(indicator.bears_on):
                yield Reference("indicators", indicator_id, ("bears_on", i, "assessment"), "assessments", bearing.assessment)
            if indicator.watch.base:
                yield Reference("indicators", indicator_id, ("watch", "base", "id"), "bases", indicator.watch.base.id)
        if self.brief is not None:
            for i, implication in enumerate(self.brief.implications):
                for n, target in enumerate(implication.rests_on):
                    yield Reference(BRIEF, BRIEF, ("implications", i, "rests_on", n), "assessments", target)
            for i, gap in enumerate(self.brief.gaps):
                for n, target in enumerate(gap.bears_on):
                    yield Reference(BRIEF, BRIEF, ("gaps", i, "bears_on", n), "assessments", target)
    # -- indexes computed once, each in one pass over the facts

    @cached_property
    def cited_by(self) -> dict[str, list[tuple[str, str]]]:
        """Source id → the (kind, id) of every fact that cites it, in a stable order."""
        index: dict[str, dict] = defaultdict(dict)
        for ref in self.references():
            if ref.target_kind == "sources":
                index[ref.target][(ref.kind, ref.id)] = None  # a dict keeps first-seen order and drops repeats in O(1)
        return defaultdict(list, {source_id: list(citers) for source_id, citers in index.items()})

    @cached_property
    def indicators_on(self) -> dict[str, list[tuple[str, str]]]:
        """Assessment id → (indicator id, direction) of every indicator bearing on it, by indicator id."""
        index: dict[str, list] = defaultdict(list)
        for indicator_id, indicator in sorted(self.indicators.items()):
            for bearing in indicator.bears_on:
                index[bearing.assessment].append((indicator_id, bearing.direction))
        return index

    @cached_property
    def incidents_at(self) -> dict[str, list[str]]:
        """Base id → ids of the events that happened there, in time order."""
        index: dict[str, list] = defaultdict(list)
        for event_id, event in sorted(self.events.items(), key=lambda kv: (kv[1].date.sort_key(), kv[0])):
            if event.base:
                index[event.base].append(event_id)
        return index

    @cached_property
    def flights_by_base(self) -> dict[str, list[str]]:
        """Base id → ids of flights from, to or through it, in time order."""
        index: dict[str, list] = defaultdict(list)
        for flight_id, flight in self.flights_in_order():
            for base_id in dict.fromkeys(end.base for end in flight.points() if end.base):  # a round trip once
                index[base_id].append(flight_id)
        return index

    @cached_property
    def assessments_citing(self) -> dict[tuple[str, str], list[str]]:
        """(kind, id) of a fact → ids of assessments whose evidence names it."""
        index: dict[tuple, list] = defaultdict(list)
        for assessment_id, assessment in self.assessments.items():
            for item in assessment.evidence:
                index[item.target].append(assessment_id)
        return index

    def assessments_newest_first(self) -> list[tuple[str, Assessment]]:
        return sorted(self.assessments.items(), key=lambda kv: (kv[1].date.sort_key(), kv[0]), reverse=True)

    def flights_in_order(self) -> list[tuple[str, Flight]]:
        return list(self._flights_in_order)

    @cached_property
    def _flights_in_order(self) -> list[tuple[str, Flight]]:
        return sorted(self.flights.items(), key=lambda kv: (kv[1].when.sort_key(), kv[0]))

    def top_level(self) -> list[tuple[str, Flight]]:
        """Flights in time order that are not counted inside a group, so nothing is counted twice."""
        return list(self._top_level)

    @cached_property
    def _top_level(self) -> list[tuple[str, Flight]]:
        return [(fid, f) for fid, f in self._flights_in_order if not f.part_of]

    def remember(self, key: tuple, make: Callable[[], typing.Any]):
        """make(), computed once per key for these facts: a value every page of one generation asks for (the
        timeline, a chart, a count) is made once. Forgotten when the flights are replaced or their number changes."""
        kept = self.__dict__.get("_remembered")
        if kept is None or kept[0] is not self.flights or kept[1] != len(self.flights):
            kept = self.__dict__["_remembered"] = (self.flights, len(self.flights), {})
        values = kept[2]
        if key not in values:
            values[key] = make()
        return values[key]

    def kept_for_publishing(self, keys: list[tuple]) -> Dataset:
        """These facts reduced to what a build reads once its pages are written: the brief, what a release left out
        and the values remembered under keys. Small, so that the facts may be let go
        of (or the process that loaded them end) before the site engine runs."""
        light = Dataset(brief=self.brief, withheld=self.withheld)
        values = self.__dict__.get("_remembered", (None, 0, {}))[2]
        for key in keys:
            if key in values:
                light.remember(key, lambda kept=values[key]: kept)
        return light


class Reference(NamedTuple):
    """One fact naming another: who, where in its file, and what it names."""

    kind: str
    id: str
    loc: tuple
    target_kind: str
    target: str


def _flight_references(flight_id: str, flight: Flight) -> Iterator[Reference]:
    ends = [(("origin",), flight.origin), *((("stops", i), stop) for i, stop in enumerate(flight.stops)),
            (("destination",), flight.destination)]
    for loc, point in ends:
        if point.base:
            yield Reference("flights", flight_id, (*loc, "base"), "bases", point.base)
        if point.coordinates:
            yield Reference("flights", flight_id, (*loc, "coordinates", "source"), "sources", point.coordinates.source)
    claims = [(("cargo", i), cargo) for i, cargo in enumerate(flight.cargo)]
    claims += [(("personnel",), flight.personnel)] if flight.personnel else []
    for loc, claim in claims:
        for i, source in enumerate(claim.sources):
            yield Reference("flights", flight_id, (*loc, "sources", i), "sources", source)
    if flight.part_of:
        yield Reference("flights", flight_id, ("part_of",), "flights", flight.part_of)
    if flight.track:
        yield Reference("flights", flight_id, ("track",), "tracks", flight.track)


def _nothing_withheld():
    return Withheld()


# ---------------------------------------------------------------- loading


def read_folder(data_dir: Path, kept: dict | None = None) -> dict[str, bytes | Problem]:
    """Every fact file under data_dir as {'data/<kind>/…': bytes}, plus the names of its folders.

    A file that may not be read (a link out of the brief or to nothing, a pipe, a folder named like a
    file, a file over its size limit) stands as its Problem. kept, held between calls (the live preview
    does), spares reading files whose size and change times are as they were.
    """
    files: dict[str, bytes | Problem] = {}
    if not data_dir.is_dir():
        return files
    root = data_dir.parent
    found, refused = disk.scan(root, data_dir, SUFFIXES + (".json",))
    files.update((p.file, p) for p in refused)
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.is_symlink()):
        files[f"{data_dir.name}/{folder.name}/"] = b""  # an empty marker keeps unknown folders visible
    prefix = os.path.join(root, "")
    for path in found:
        name = os.fspath(path)  # under root: its name relative to root is what follows (no Path arithmetic per file)
        rel = name[len(prefix):].replace(os.sep, "/") if name.startswith(prefix) else path.relative_to(root).as_posix()
        if wanted(rel):
            info = os.stat(name)
            stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            if kept is not None and rel in kept and kept[rel][0] == stamp:
                files[rel] = kept[rel][1]
                continue
            files[rel] = too_large(rel, info.st_size) or path.read_bytes()
            if kept is not None:
                kept[rel] = (stamp, files[rel])
    return files


def wanted(rel: str) -> bool:
    """Whether a path under the data folder is one the facts are read from: brief.yml, fact files, kept tracks."""
    parts = rel.split("/")
    if len(parts) == 2:
        return parts[1] == BRIEF_FILE
    if parts[1] == TRACKS:
        return len(parts) == 3 and rel.endswith(".json")
    return parts[1] in KINDS and rel.endswith(SUFFIXES)


def too_large(rel: str, size: int) -> Problem | None:
    """A problem when a file is larger than one of its kind may be, so it is never read at all."""
    limit, what = (MAX_TRACK_BYTES, "track file") if rel.split("/")[1] == TRACKS else (loader.MAX_BYTES, "fact file")
    if size <= limit:
        return None
    return Problem(rel, 1, 1, "", f"file is {size:,} bytes, expected at most {limit:,} bytes per {what}",
                   code="file-too-large")


def load(data_dir: Path, progress=None, memo: dict | None = None, kept: dict | None = None,
         cache: parsecache.ParseCache | None = None) -> Dataset:
    """Read and check every fact under data_dir; raise ValidationFailed listing every problem.

    cache, a build's signed record of what the last one parsed, spares parsing the files whose bytes are unchanged.
    """
    say = progress or (lambda message: None)
    say("reading the fact files")
    files = read_folder(data_dir, kept)
    say(f"validating {sum(1 for path in files if not path.endswith('/'))} fact files")
    data, problems = collect(files, data_dir.name, memo, cache=cache)
    if cache is not None and not problems:  # a build that stops here writes nothing
        cache.save()
    if problems:
        raise ValidationFailed(problems)
    return data


def collect(files: dict[str, bytes], folder: str = "data", memo: dict | None = None,
            release: str | None = None, cache: parsecache.ParseCache | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Parse and check facts given as {path: bytes}: the facts that hold up, and every problem found.

    memo, kept between calls (the live preview does), spares parsing files whose bytes are unchanged. With a
    release label, problems across files are worded for that release's readers (see rules).
    """
    problems: list[Problem] = []
    brief_path = f"{folder}/{BRIEF_FILE}"
    brief_doc = _parse(brief_path, files[brief_path], problems) if brief_path in files else None
    brief = _validate_doc(brief_doc, Brief, problems)
    if brief_path not in files:
        problems.append(Problem(brief_path, 1, 1, "", "file is missing, expected the brief's title, edition and tlp",
                                code="missing-file"))
    dataset = Dataset(brief=brief, brief_document=brief_doc)
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(files):
        parts = path.split("/")
        if isinstance(files[path], Problem):
            problems.extend([files[path]] if path != brief_path else [])  # brief.yml's is reported once, below
            continue
        if len(parts) == 3 and parts[1] == TRACKS:
            _load_track(dataset, path, files[path], problems)
            continue
        if len(parts) == 3 and parts[2] == "" and parts[1] not in KINDS:
            problems.append(Problem(f"{folder}/{parts[1]}", 1, 1, "",
                                    f"unknown fact folder '{parts[1]}', expected one of: {', '.join(KINDS)}",
                                    code="unknown-folder"))
            continue
        if len(parts) < 3 or parts[1] not in KINDS or not path.endswith(SUFFIXES):
            continue
        kind = parts[1]
        doc, fact = _read_fact(path, files[path], KINDS[kind], problems, {} if memo is None else memo, cache)
        if fact is None:
            continue
        _check_file_name(doc, PurePosixPath(path), fact.id, problems)
        key = (kind, fact.id)
        if key in seen:
            line, column = doc.where(("id",))
            problems.append(Problem(doc.path, line, column, "id",
                                    f"duplicate id '{fact.id}', also in {seen[key]}, expected each id once",
                                    code="duplicate-id"))
            continue
        seen[key] = doc.path
        dataset.of_kind(kind)[fact.id] = fact
        dataset.documents[key] = doc
    for gone in set(memo or ()) - set(files):
        del memo[gone]
    if brief is not None:
        problems.extend(rules.check(dataset, release))
    return (dataset if brief is not None else None), problems


def _read_fact(path: str, raw: bytes, model, problems: list[Problem], memo: dict,
               cache: parsecache.ParseCache | None = None):
    """The parsed document and validated fact of one file (None if invalid), remembered by its bytes."""
    known = memo.get(path)
    if known is None or known[0] != raw:
        found: list[Problem] = []
        data = cache.data(path, raw) if cache is not None else None
        if data is not None:
            doc = loader.Reparsed(path, data, raw)
        else:
            doc = _parse(path, raw, found)
            if doc is not None and cache is not None:
                cache.keep(path, raw, doc.data)
        fact = _validate_doc(doc, model, found)
        if fact is not None:  # from here only where its values stand is asked, and that rarely
            doc = loader.Located(path, raw)
        known = memo[path] = (raw, doc, fact, found)
    problems.extend(known[3])
    return known[1], known[2]


def _load_track(dataset: Dataset, path: str, raw: bytes, problems: list[Problem]) -> None:
    if not path.endswith(".json"):
        return
    points, found = load_track(raw, path)
    label, bad_label = track_marking(raw, path, TLP_LABELS)
    problems.extend(found + bad_label)
    if not found and not bad_label:
        dataset.tracks[PurePosixPath(path).stem] = points
        if label:
            dataset.track_markings[PurePosixPath(path).stem] = label


def _parse(path: str, raw: bytes | Problem, problems: list[Problem]) -> loader.Document | None:
    if isinstance(raw, Problem):
        problems.append(raw)
        return None
    try:
        return loader.parse(raw, path)
    except loader.ProblemError as err:
        problems.append(err.problem)
        return None


def _validate_doc(doc: loader.Document | None, model, problems: list[Problem]):
    return _validate(doc, model, problems) if doc is not None else None


def _check_file_name(doc: loader.Document, path: Path, fact_id: str, problems: list[Problem]) -> None:
    if path.stem != fact_id:
        line, column = doc.where(("id",))
        problems.append(Problem(doc.path, line, column, "id",
                                f"id '{fact_id}' does not match the file name '{path.name}', "
                                f"expected the file to be named {fact_id}{path.suffix}", code="id-file-mismatch"))


def _validate(doc: loader.Document, model: type[BaseModel], problems: list[Problem]):
    try:
        return model.model_validate(doc.data)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            problems.append(_problem(doc, model, error))
        return None


# ---------------------------------------------------------------- messages


def _problem(doc: loader.Document, model: type[BaseModel], error: dict) -> Problem:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    ctx = error.get("ctx") or {}
    if "field" in ctx:
        loc = loc + tuple(int(part) if part.isdigit() else part for part in str(ctx["field"]).split("."))
    kind = error["type"]
    if kind not in ("missing", "extra_forbidden"):
        while len(loc) > 1 and loc not in doc.marks and loc[:-1] in doc.marks:
            loc = loc[:-1]  # 'departure: 2024-12-14' is short for 'departure: {at: …}': name what was written
    line, column = doc.where(loc, key=kind == "extra_forbidden")
    return Problem(doc.path, line, column, field_label(loc), _message(model, loc, error), code=_code(kind, loc))


# pydantic's own error types, as the stable codes users see; the models' own errors name theirs
_CODES = {"missing": "missing-field", "extra_forbidden": "unknown-field", "model_type": "not-a-mapping",
          "model_attributes_type": "not-a-mapping", "dict_type": "not-a-mapping", "list_type": "not-a-list",
          "tuple_type": "not-a-list", "too_short": "empty-list", "too_long": "too-many", "string_type": "not-text",
          "base_country": "country-mismatch",
          "brief_judgment": "judgment-without-scale", "outside_key": "outside-key-judgment",
          "callsign": "invalid-callsign",
          "duplicate_observation": "duplicate-id",
          "choice": "unknown-choice",
          "coordinate": "invalid-coordinate",
          "count_form": "invalid-count",
          "country": "invalid-country",
          "date": "invalid-date",
          "empty_text": "empty-text",
          "endpoint_both": "conflicting-fields",
          "endpoint_coords": "coordinates-without-place",
          "endpoint_country": "country-mismatch",
          "evidence_target": "invalid-evidence",
          "flight_order": "arrival-before-departure",
          "stop_order": "arrival-before-departure",
          "event_both": "conflicting-fields",
          "event_aircraft": "aircraft-without-incident",
          "icao": "invalid-icao",
          "icao24": "invalid-icao24",
          "icao_unknown": "unknown-airfield",
          "location_both": "conflicting-fields",
          "number": "invalid-number",
          "superseded": "superseded-without-successor",
          "hypothesis_id": "duplicate-hypothesis",
          "unknown_hypothesis": "unknown-hypothesis",
          "watch_flights": "watch-without-place",
          "watch_form": "invalid-watch",
          "manual_status": "manual-indicator-without-status",
          "computed_status": "status-on-computed-indicator",
          "manual_unsourced": "manual-indicator-unsourced",
          "withdrawn": "withdrawn-without-reason",
          "url": "invalid-url",
          "when_both": "conflicting-fields",
          "when_order": "range-reversed",
          "when_part": "part-of-day-without-day",
          "when": "invalid-time",
          "when_naive": "time-without-zone",
          "when_impossible": "impossible-date",
          "fact_id": "invalid-id",
          "flag": "invalid-flag"}


def _code(kind: str, loc: tuple = ()) -> str:
    if kind == "extra_forbidden" and loc[-1:] == ("tlp",):
        return "misplaced-marking"
    return _CODES.get(kind, kind.replace("_", "-"))


def _message(model, loc: tuple, error: dict) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "missing, expected a value for this required field"
    if kind == "extra_forbidden" and loc[-1] == "tlp":
        return misplaced_marking()
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, loc[:-1]))
        return f"unknown field '{loc[-1]}', expected one of: {allowed}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{_shown(given)} is not a mapping, expected fields such as {', '.join(_fields_at(model, loc)[:3])}"
    if kind in ("list_type", "tuple_type"):
        return f"{_shown(given)} is not a list, expected a list of entries"
    if kind == "too_short":
        return "list is empty, expected at least one entry" if isinstance(given, list) else error["msg"]
    if kind in ("too_long",):
        return f"list has {len(given)} entries, expected {error['ctx'].get('max_length', 'fewer')}"
    if kind == "string_type":
        return f"{_shown(given)} is not text, expected a single line of text"
    return error["msg"]


def _shown(value) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _fields_at(model, loc: tuple) -> list[str]:
    """The field names of the model that sits at loc inside model, for 'expected one of' messages."""
    current = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return list(current.model_fields) if current else []


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None
