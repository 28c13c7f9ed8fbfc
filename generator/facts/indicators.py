"""Indicators: each watch condition evaluated against the facts at the edition date.

An indicator is met when the facts prove its condition, possibly met when they would prove it only if flights
dated to a range that overlaps the window fell inside it, and not met otherwise. Flights are counted by the one
counting function (facts/counting.py): groups once, "at least N" at N, ranged dates never spread. The same
dataset a release keeps is the one evaluated, so a tearline edition shows the status its own facts give.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from generator.facts import counting
from generator.facts.models import INDICATOR_STATUSES, Indicator

MET, POSSIBLY, NOT_MET = INDICATOR_STATUSES


class Reading(NamedTuple):
    """One indicator's status at the edition date, and the facts behind it."""

    status: str                          # met, possibly met or not met
    since: date | None                   # the day the deciding fact is dated to (its latest possible day)
    facts: tuple[tuple[str, str], ...]   # (kind, id) of the facts that meet it, surely
    possible: tuple[tuple[str, str], ...]  # (kind, id) of facts that meet it only if their ranged date falls in the window
    found: str                           # what the facts show, in words: "3 flights (at least)", "status uncertain"
    window: tuple[date, date] | None     # the days counted, for a flights or event condition


def window(edition: date, days: int) -> tuple[date, date]:
    """The given number of days ending on the edition date, both ends included."""
    return edition - timedelta(days=days - 1), edition


def evaluate(data) -> dict[str, Reading]:
    """Indicator id → its reading, for every indicator of the dataset, in id order."""
    return {iid: reading(data, indicator) for iid, indicator in sorted(data.indicators.items())}


def reading(data, indicator: Indicator) -> Reading:
    watch = indicator.watch
    if watch.manual:
        sources = tuple(("sources", s) for s in indicator.sources if s in data.sources)
        return Reading(indicator.status, indicator.since, sources if indicator.status == MET else (), (),
                       "set by the analysts", None)
    if watch.flights:
        return _flights(data, watch.flights)
    if watch.base:
        return _base(data, watch.base)
    return _events(data, watch.event)


def _flights(data, condition) -> Reading:
    days = window(data.brief.edition, condition.within_days)
    tally = counting.count_flights(data, origin=condition.origin, destination=condition.destination, within=days)
    sure, maybe = [], []
    for flight_id in tally.flights:
        span = counting.days(data.flights[flight_id])
        inside = span is not None and days[0] <= span[0] and span[1] <= days[1]
        (sure if inside else maybe).append(flight_id)
    if tally.certain >= condition.at_least:
        status = MET
    elif tally.certain + tally.possible >= condition.at_least:
        status = POSSIBLY
    else:
        status = NOT_MET
    since = max((counting.days(data.flights[f])[1] for f in sure), default=None) if status == MET else None
    found = ("at least " if tally.at_least else "") + f"{tally.certain} flight{'s' if tally.certain != 1 else ''}"
    if tally.possible:
        found += f", and {tally.possible} more if their ranged dates fall in the window"
    return Reading(status, since, tuple(("flights", f) for f in sure), tuple(("flights", f) for f in maybe), found, days)


def _base(data, condition) -> Reading:
    base = data.bases.get(condition.id)
    latest = base.current() if base else None
    if latest is None:
        return Reading(NOT_MET, None, (), (), "no observation states a status" if base else "base not in this edition", None)
    met = latest.status == condition.status
    since = latest.date.latest.end.date() if met and latest.date.known else None
    return Reading(MET if met else NOT_MET, since, (("bases", condition.id),) if met else (), (),
                   f"latest status {latest.status}", None)


def _events(data, condition) -> Reading:
    days = (condition.since, data.brief.edition)
    sure, maybe = [], []
    words = condition.mentions.casefold() if condition.mentions else None
    for event_id, event in sorted(data.events.items(), key=lambda kv: (kv[1].date.sort_key(), kv[0])):
        if condition.country and event.country != condition.country:
            continue
        if words and words not in f"{event.title} {event.summary}".casefold():
            continue
        if not event.date.known:
            continue
        first, last = counting.first_day(event.date), counting.last_day(event.date)
        if days[0] <= first and last <= days[1]:
            sure.append(event_id)
        elif first <= days[1] and days[0] <= last:
            maybe.append(event_id)
    if len(sure) >= condition.at_least:
        status = MET
    elif len(sure) + len(maybe) >= condition.at_least:
        status = POSSIBLY
    else:
        status = NOT_MET
    since = max(counting.last_day(data.events[e].date) for e in sure) if status == MET else None
    found = f"{len(sure)} event{'s' if len(sure) != 1 else ''}" + (
        f", and {len(maybe)} more if their ranged dates fall in the window" if maybe else "")
    return Reading(status, since, tuple(("events", e) for e in sure), tuple(("events", e) for e in maybe), found, days)


def condition(indicator: Indicator, bases: dict) -> str:
    """The watch condition in words."""
    watch = indicator.watch
    if watch.manual:
        return "set by the analysts from the sources (no fact can compute it)"
    if watch.flights:
        f = watch.flights
        route = " ".join(part for part in (f"from {_place(f.origin, bases)}" if f.origin else "",
                                           f"to {_place(f.destination, bases)}" if f.destination else "") if part)
        return (f"at least {f.at_least} flight{'s' if f.at_least != 1 else ''} {route} in the {f.within_days} "
                f"day{'s' if f.within_days != 1 else ''} up to the edition date")
    if watch.base:
        name = bases[watch.base.id].name if watch.base.id in bases else watch.base.id
        return f"the latest observation of {name} has status {watch.base.status}"
    e = watch.event
    what = f"at least {e.at_least} event{'s' if e.at_least != 1 else ''}"
    where = f" in {e.country}" if e.country else ""
    mentions = f" mentioning \u201c{e.mentions}\u201d" if e.mentions else ""
    return f"{what}{where}{mentions} dated from {e.since.isoformat()} to the edition date"


def _place(text: str, bases: dict) -> str:
    """A watched place in words: a base's name, a country's name for its code, else as written."""
    if text in bases:
        return bases[text].name
    code = text.strip().upper()
    if len(code) == 2:
        import pycountry

        found = pycountry.countries.get(alpha_2=code)
        if found:
            return getattr(found, "common_name", None) or found.name
    return text

