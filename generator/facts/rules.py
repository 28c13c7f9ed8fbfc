"""Rules across fact files: every reference lands, no cycles, groups add up."""
from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import Problem, field_label
from generator.facts import markings
from generator.facts.models import SINGULAR

if TYPE_CHECKING:
    from generator.facts.dataset import Dataset


def check(data: Dataset) -> list[Problem]:
    """Every cross-file problem in the dataset, none short-circuiting another."""
    return [*_references(data), *_cycles(data, "sources", "via"),
            *_cycles(data, "assessments", "superseded_by"), *_groups(data), *markings.check(data)]


def _at(data: Dataset, kind: str, fact_id: str, loc: tuple, message: str, code: str) -> Problem:
    doc = data.brief_document if kind == "brief" else data.documents[(kind, fact_id)]
    line, column = doc.where(loc)
    return Problem(doc.path, line, column, field_label(loc), message, code=code)


def _references(data: Dataset):
    for ref in data.references():
        if ref.target not in data.of_kind(ref.target_kind):
            yield _at(data, ref.kind, ref.id, ref.loc, f"no {SINGULAR[ref.target_kind]} with id '{ref.target}', "
                      f"expected the id of a fact in data/{ref.target_kind}/", "unknown-reference")


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
            yield _at(data, kind, loop[0], (link,), f"{link} forms a cycle ({chain}), expected a chain that ends", "cycle")


def _groups(data: Dataset):
    members: dict[str, list[str]] = {}
    for flight_id, flight in sorted(data.flights.items()):
        if not flight.part_of or flight.part_of not in data.flights:
            continue
        group = data.flights[flight.part_of]
        if flight.count.number != 1 or flight.count.lower_bound:
            yield _at(data, "flights", flight_id, ("count",), "a flight that is part_of a group must count 1, expected count: 1",
                      "group-member-count")
        elif group.part_of:
            yield _at(data, "flights", flight_id, ("part_of",), f"'{flight.part_of}' is itself part of a group, expected the outermost group",
                      "nested-group")
        elif group.count.number < 2 and not group.count.lower_bound:
            yield _at(data, "flights", flight_id, ("part_of",), f"'{flight.part_of}' counts a single flight, expected a group with a count above 1",
                      "group-of-one")
        else:
            members.setdefault(flight.part_of, []).append(flight_id)
    for group_id, ids in members.items():
        group = data.flights[group_id]
        if not group.count.lower_bound and len(ids) > group.count.number:
            yield _at(data, "flights", group_id, ("count",),
                      f"{len(ids)} flights name this group in part_of, expected a count of at least {len(ids)}",
                      "group-undercounted")
