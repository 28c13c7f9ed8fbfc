"""Rules across fact files: every reference lands, no cycles, groups add up."""
from __future__ import annotations

from generator.facts.dataset import Dataset, field_label
from generator.errors import Problem

SINGULAR = {"sources": "source", "bases": "base", "flights": "flight", "assessments": "assessment", "events": "event", "tracks": "track"}


def check(data: Dataset) -> list[Problem]:
    """Every cross-file problem in the dataset, none short-circuiting another."""
    return [*_references(data), *_cycles(data, "sources", "via"),
            *_cycles(data, "assessments", "superseded_by"), *_groups(data)]


def _at(data: Dataset, kind: str, fact_id: str, loc: tuple, message: str) -> Problem:
    doc = data.documents[(kind, fact_id)]
    line, column = doc.where(loc)
    return Problem(doc.path, line, column, field_label(loc), message)


def _references(data: Dataset):
    for kind, fact_id, loc, target_kind, target in _all_references(data):
        if target not in data.of_kind(target_kind):
            noun = SINGULAR[target_kind]
            yield _at(data, kind, fact_id, loc, f"no {noun} with id '{target}', expected the id of a fact in data/{target_kind}/")


def _all_references(data: Dataset):
    """(kind, id, location, target kind, target id) for every reference a fact makes."""
    for kind in ("bases", "flights", "assessments", "events"):
        for fact_id, fact in data.of_kind(kind).items():
            for i, source in enumerate(fact.sources):
                yield kind, fact_id, ("sources", i), "sources", source
    for base_id, base in data.bases.items():
        if base.location.coordinates:
            yield "bases", base_id, ("location", "coordinates", "source"), "sources", base.location.coordinates.source
        for n, obs in enumerate(base.observations):
            for i, source in enumerate(obs.sources):
                yield "bases", base_id, ("observations", n, "sources", i), "sources", source
    for source_id, source in data.sources.items():
        if source.via:
            yield "sources", source_id, ("via",), "sources", source.via
    for flight_id, flight in data.flights.items():
        for end in ("origin", "destination"):
            point = getattr(flight, end)
            if point.base:
                yield "flights", flight_id, (end, "base"), "bases", point.base
            if point.coordinates:
                yield "flights", flight_id, (end, "coordinates", "source"), "sources", point.coordinates.source
        if flight.part_of:
            yield "flights", flight_id, ("part_of",), "flights", flight.part_of
        if flight.track:
            yield "flights", flight_id, ("track",), "tracks", flight.track
    for assessment_id, assessment in data.assessments.items():
        for i, item in enumerate(assessment.evidence):
            kind, target = item.target
            yield "assessments", assessment_id, ("evidence", i, kind), kind + "s", target
        if assessment.superseded_by:
            yield "assessments", assessment_id, ("superseded_by",), "assessments", assessment.superseded_by


def _cycles(data: Dataset, kind: str, link: str):
    facts = data.of_kind(kind)
    reported: set[str] = set()
    for start in sorted(facts):
        path, current = [], start
        while current in facts and getattr(facts[current], link) and current not in path:
            path.append(current)
            current = getattr(facts[current], link)
        if current in path and current not in reported:
            loop = path[path.index(current):]
            reported.update(loop)
            chain = " → ".join([*loop, current])
            yield _at(data, kind, loop[0], (link,), f"{link} forms a cycle ({chain}), expected a chain that ends")


def _groups(data: Dataset):
    members: dict[str, list[str]] = {}
    for flight_id, flight in sorted(data.flights.items()):
        if not flight.part_of or flight.part_of not in data.flights:
            continue
        group = data.flights[flight.part_of]
        if flight.count.number != 1 or flight.count.lower_bound:
            yield _at(data, "flights", flight_id, ("count",), "a flight that is part_of a group must count 1, expected count: 1")
        elif group.part_of:
            yield _at(data, "flights", flight_id, ("part_of",), f"'{flight.part_of}' is itself part of a group, expected the outermost group")
        elif group.count.number < 2 and not group.count.lower_bound:
            yield _at(data, "flights", flight_id, ("part_of",), f"'{flight.part_of}' counts a single flight, expected a group with a count above 1")
        else:
            members.setdefault(flight.part_of, []).append(flight_id)
    for group_id, ids in members.items():
        group = data.flights[group_id]
        if not group.count.lower_bound and len(ids) > group.count.number:
            yield _at(data, "flights", group_id, ("count",),
                      f"{len(ids)} flights name this group in part_of, expected a count of at least {len(ids)}")
