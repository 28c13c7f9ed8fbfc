"""Numbers computed from the facts, for the overview, the charts and hand-written prose."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

from generator.facts import counting
from generator.facts.dataset import Dataset
from generator.facts.models import Count, When
from generator.facts.timeref import Instant


def flights(data: Dataset, basis: str | None = None) -> Count:
    """Flights counted once each (by the one counting function): groups by their count, members not again."""
    found = counting.count_flights(data, basis=basis)
    return Count.of(found.certain, found.at_least)


def headline(data: Dataset) -> dict:
    """The numbers a reader sees first; every one computed here, none typed in prose."""
    statuses = Counter((b.current().status if b.current() else "unknown") for b in data.bases.values())
    dated = [f.when for f in data.flights.values() if f.when.known]
    return {
        "flights": flights(data),
        "flights_tracked": flights(data, "tracked"),
        "flights_reported": flights(data, "reported"),
        "flights_inferred": flights(data, "inferred"),
        "flights_by_basis": [(basis, Count.of(t.certain, t.at_least)) for basis, t in counting.by_basis(data)],
        "flight_span": counting.span(data),
        "cutoff": cutoff(data),
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


def day_when(day: date) -> When:
    """A calendar day as a time known to the day."""
    return When(at=Instant(datetime(day.year, day.month, day.day, tzinfo=timezone.utc), "day"))


def cutoff(data: Dataset) -> date:
    """The information cut-off: the newest day a source of the brief could have been published, the edition's day
    at most (a source dated only to a range or a month counts by its last possible day)."""
    days = [s.published.latest.end.date() for s in data.sources.values() if s.published.known]
    return min(max(days, default=data.brief.edition), data.brief.edition)
