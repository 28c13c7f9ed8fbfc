"""Headline numbers computed from the facts, for the overview and for hand-written prose."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.facts.dataset import Dataset


@dataclass(frozen=True)
class Tally:
    """A count that may be a lower bound: 'at least 5'."""

    number: int
    lower_bound: bool

    def __str__(self) -> str:
        return f"at least {self.number}" if self.lower_bound else str(self.number)


def flights(data: Dataset, only=None) -> Tally:
    """Flights counted once each: groups by their count, members inside a group not again."""
    number, lower = 0, False
    for fid, flight in data.flights.items():
        if flight.part_of or (only and not only(flight)):
            continue
        number += flight.count.number
        lower = lower or flight.count.lower_bound
    return Tally(number, lower)


def headline(data: Dataset) -> dict:
    """The numbers a reader sees first; every one computed here, none typed in prose."""
    statuses = Counter((b.current().status if b.current() else "unknown") for b in data.bases.values())
    dated = [f.when for f in data.flights.values() if f.when.known]
    return {
        "flights": flights(data),
        "flights_tracked": flights(data, lambda f: f.basis == "tracked"),
        "flights_reported": flights(data, lambda f: f.basis == "reported"),
        "flight_records": len(data.flights),
        "bases": len(data.bases),
        "bases_by_status": dict(sorted(statuses.items())),
        "assessments": len(data.assessments),
        "current_assessments": sum(1 for a in data.assessments.values() if a.status == "current"),
        "sources": len(data.sources),
        "events": len(data.events),
        "first_flight": min((w.earliest for w in dated), default=None),
        "last_flight": max((w.latest for w in dated), default=None),
    }
