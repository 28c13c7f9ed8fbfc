"""Numbers computed from the facts, for the overview, the charts and hand-written prose."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from generator.facts.dataset import Dataset
from generator.facts.models import Count, When


def flights(data: Dataset, only=None) -> Count:
    """Flights counted once each: groups by their count, members inside a group not again."""
    number, lower = 0, data.withheld.any("flights")  # a release that left flights out counts a lower bound
    for flight in data.flights.values():
        if flight.part_of or (only and not only(flight)):
            continue
        number += flight.count.number
        lower = lower or flight.count.lower_bound
    return Count.of(number, lower)


def headline(data: Dataset) -> dict:
    """The numbers a reader sees first; every one computed here, none typed in prose."""
    statuses = Counter((b.current().status if b.current() else "unknown") for b in data.bases.values())
    dated = [f.when for f in data.flights.values() if f.when.known]
    return {
        "flights": flights(data),
        "flights_tracked": flights(data, lambda f: f.basis == "tracked"),
        "flights_reported": flights(data, lambda f: f.basis == "reported"),
        "flight_records": _counted(data, "flights", len(data.flights)),
        "bases": _counted(data, "bases", len(data.bases)),
        "bases_by_status": dict(sorted(statuses.items())),
        "assessments": _counted(data, "assessments", len(data.assessments)),
        "current_assessments": _counted(data, "assessments", sum(1 for a in data.assessments.values()
                                                                 if a.status == "current")),
        "sources": _counted(data, "sources", len(data.sources)),
        "events": _counted(data, "events", len(data.events)),
        "first_flight": min((w.earliest for w in dated), default=None),
        "last_flight": max((w.latest for w in dated), default=None),
    }


def _counted(data: Dataset, kind: str, number: int) -> int | Count:
    """A number of facts; a lower bound when a release left facts of that kind out."""
    return Count.of(number, True) if data.withheld.any(kind) else number


@dataclass(frozen=True)
class Day:
    """The flights of one day: how many, and the first of them to link to."""

    day: date
    when: When  # the day itself
    first: str  # id of the day's first flight
    first_when: When  # that flight's time, as precise as it is known
    count: Count


def flights_per_day(data: Dataset) -> list[Day]:
    """Day-dated flights summed per day, in time order; flights inside a group are counted by their group."""
    days: dict[date, list] = {}
    for fid, flight in data.top_level():
        if flight.when.day:
            entry = days.setdefault(flight.when.day, [fid, flight.when, 0, data.withheld.any("flights")])
            entry[2] += flight.count.number
            entry[3] = entry[3] or flight.count.lower_bound
    return [Day(day, When(at=_day(day)), first, first_when, Count.of(n, lower))
            for day, (first, first_when, n, lower) in days.items()]


def _day(day: date):
    from datetime import datetime, timezone

    from generator.facts.timeref import Instant

    return Instant(datetime(day.year, day.month, day.day, tzinfo=timezone.utc), "day")
