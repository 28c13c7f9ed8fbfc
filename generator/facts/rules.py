"""Rules across fact files: every reference lands, no cycles, groups add up.

Each function takes the loaded facts (a dataset.Dataset, which calls check() while it loads: this module sits
below it and never imports it). Checked for a release (brief diff --release), each message names only the facts
that release shows and counts the others, so a problem in a cleared file does not name a withheld fact.
"""
from __future__ import annotations

from generator.errors import Problem, field_label, plural
from generator.facts import markings
from generator.facts.models import SINGULAR


def check(data, release: str | None = None) -> list[Problem]:
    """Every cross-file problem in the dataset, none short-circuiting another; with a release label, worded for the
    readers of that release."""
    shown = markings.shown_in(data, release)
    return [*_references(data), *_cycles(data, "sources", "via", shown),
            *_cycles(data, "assessments", "superseded_by", shown), *_groups(data, shown),
            *markings.check(data, release)]


def _at(data, kind: str, fact_id: str, loc: tuple, message: str, code: str) -> Problem:
    doc = data.brief_document if kind == "brief" else data.documents[(kind, fact_id)]
    line, column = doc.where(loc)
    return Problem(doc.path, line, column, field_label(loc), message, code=code)


def _references(data):
    for ref in data.references():
        if ref.target not in data.of_kind(ref.target_kind):
            yield _at(data, ref.kind, ref.id, ref.loc, f"no {SINGULAR[ref.target_kind]} with id '{ref.target}', "
                      f"expected the id of a fact in data/{ref.target_kind}/", "unknown-reference")


def _cycles(data, kind: str, link: str, shown):
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
            visible = [fact_id for fact_id in loop if shown(kind, fact_id)]
            loop = loop[loop.index(visible[0]):] + loop[:loop.index(visible[0])] if visible else loop
            chain = " → ".join([*visible, visible[0]] if visible else [])
            hidden = len(loop) - len(visible)
            chain += f"{', and ' if visible else ''}{plural(hidden, 'withheld ' + SINGULAR[kind])}" if hidden else ""
            yield _at(data, kind, loop[0], (link,), f"{link} forms a cycle ({chain}), expected a chain that ends", "cycle")


def _groups(data, shown):
    members: dict[str, list[str]] = {}
    for flight_id, flight in sorted(data.flights.items()):
        if not flight.part_of or flight.part_of not in data.flights:
            continue
        group = data.flights[flight.part_of]
        named = f"'{flight.part_of}'" if shown("flights", flight.part_of) else "the group it names (withheld)"
        if flight.count.number != 1 or flight.count.lower_bound:
            yield _at(data, "flights", flight_id, ("count",), "a flight that is part_of a group must count 1, expected count: 1",
                      "group-member-count")
        elif group.part_of:
            yield _at(data, "flights", flight_id, ("part_of",), f"{named} is itself part of a group, expected the outermost group",
                      "nested-group")
        elif group.count.number < 2 and not group.count.lower_bound:
            yield _at(data, "flights", flight_id, ("part_of",), f"{named} counts a single flight, expected a group with a count above 1",
                      "group-of-one")
        else:
            members.setdefault(flight.part_of, []).append(flight_id)
    for group_id, ids in members.items():
        group = data.flights[group_id]
        if not group.count.lower_bound and len(ids) > group.count.number:
            hidden = sum(1 for member in ids if not shown("flights", member))
            who = plural(len(ids) - hidden, "flight") + (f" and {plural(hidden, 'withheld flight')}" if hidden else "")
            yield _at(data, "flights", group_id, ("count",),
                      f"{who} name this group in part_of, expected a count of at least {len(ids)}",
                      "group-undercounted")
