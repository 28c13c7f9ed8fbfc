"""The one way flights are counted: per route, base, country and period.

Every page, table, chart and export that says how many flights asks here, so one flight is never counted
differently in two places. Three rules are applied once, in `_contribution`:

- A flight that is `part_of` a group is counted inside its group, never beside it: when the group matches,
  its count stands for its members too; when only a member matches (the group names Libya, the member
  Benghazi), the member is counted, under its group's id.
- An "at least N" count contributes its lower bound N, and the tally says "at least".
- A flight dated only to a range is counted with its whole range, never spread over it as a rate: it is
  counted in a period only when its whole range falls inside the period, and is "possibly" in every period
  its range overlaps. A flight with no known date is in no period.

A flight's places are read in one place (`_places`, its origin, stops and destination), so a base or a
country a flight stops at counts it, and counting per leg would extend that one place.
"""
from __future__ import annotations

import datetime
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from generator.facts.models import Endpoint, Flight, When
from generator.geo.airfields import airports

Window = tuple[datetime.date, datetime.date]


class Tally(NamedTuple):
    certain: int                 # flights surely matching; an at-least count contributes its lower bound
    possible: int                # further flights that match only if their ranged date falls in the window
    at_least: bool               # True when any counted part is an at-least count (so "at least N")
    flights: tuple[str, ...]     # ids of the top-level flight records counted (a group, not its members)

    @property
    def any(self) -> bool:
        """Whether anything was counted, surely or possibly."""
        return bool(self.certain or self.possible)

    def __add__(self, other: "Tally") -> "Tally":  # type: ignore[override]
        return Tally(self.certain + other.certain, self.possible + other.possible, self.at_least or other.at_least,
                     tuple(dict.fromkeys(self.flights + other.flights)))


NOTHING = Tally(0, 0, False, ())


# ---------------------------------------------------------------- what a flight record is


class Record(NamedTuple):
    """A top-level flight record and the members counted inside it (none for a single flight)."""

    id: str
    flight: Flight
    members: tuple[tuple[str, Flight], ...]


class Place(NamedTuple):
    """What one end of a flight is called, read once: its country, its ICAO code, and its names (any case)."""

    country: str | None
    icao: str | None
    names: frozenset[str]

    def tokens(self) -> set[str]:
        return {t.casefold() for t in (self.country, self.icao) if t} | self.names


class _Index:
    """Everything counting reads from the flights, computed once per dataset: the records, each flight's places
    and days, and which records touch a place (so asking about one base reads only its records)."""

    def __init__(self, data):
        self.flights, self.size, self.bases = data.flights, len(data.flights), data.bases
        members: dict[str, list] = defaultdict(list)
        ordered = data.flights_in_order()
        for fid, flight in ordered:
            if flight.part_of and flight.part_of in data.flights:
                members[flight.part_of].append((fid, flight))
        self.records = [Record(fid, f, tuple(members.get(fid, ()))) for fid, f in ordered
                        if not (f.part_of and f.part_of in data.flights)]
        self.by_id = {r.id: r for r in self.records}
        self.places: dict[str, tuple[Place, ...]] = {}
        self.days: dict[str, Window | None] = {}
        self.touching: dict[str, array] = defaultdict(lambda: array("i"))  # token → positions of records, ascending
        self.touched: dict[tuple[str, Window | None], list[Window]] = {}  # (unit, span of days) → its periods
        self.bare: dict[str, set[str]] = defaultdict(set)  # country → flights with an end known only as it
        self.country_only: dict[str, Tally] = {}
        self.answers: dict[tuple, object] = {}  # (question, its arguments) → the answer, for questions asked again
        shared: dict = {}  # one object for each place and span of days, however many flights share it
        last = data.__dict__.get("_counting_before")  # the index of an earlier state of these facts (see follow)
        if last is not None and not _same_objects(last.bases, data.bases):
            last = None  # a base's names or country changed: every place is read again
        for position, record in enumerate(self.records):
            for fid, flight in ((record.id, record.flight), *record.members):
                if last is not None and last.flights.get(fid) is flight:
                    self.places[fid], self.days[fid] = last.places[fid], last.days[fid]
                else:
                    self.places[fid] = tuple(shared.setdefault(p, p) for p in (_place(end, data.bases)
                                                                                for end in _places(flight)))
                    when = flight.when
                    span = (first_day(when), last_day(when)) if when.known else None
                    self.days[fid] = shared.setdefault(span, span)
                for place in self.places[fid]:
                    for token in place.tokens():
                        found = self.touching[token]
                        if not found or found[-1] != position:  # a round trip names a place twice
                            found.append(position)
                    if place.country and not place.names and not place.icao:
                        self.bare[place.country].add(fid)

    def current(self, data) -> bool:
        return self.flights is data.flights and self.size == len(data.flights)


def _same_objects(before: dict, now: dict) -> bool:
    return before.keys() == now.keys() and all(now[key] is fact for key, fact in before.items())


def follow(before, now) -> None:
    """Let the counting index of now (a later state of the same facts: the live preview's after a save) take each
    flight's places and days from before's, for every flight that is the very same object (nothing in it changed),
    when the bases are the same objects too. Only the index built from them is kept, not before itself."""
    index = before.__dict__.get("_counting_index")
    if index is not None:
        now.__dict__["_counting_before"] = index


def _index(data) -> _Index:
    found = data.__dict__.get("_counting_index")
    if found is None or not found.current(data):
        found = data.__dict__["_counting_index"] = _Index(data)
        data.__dict__.pop("_counting_before", None)
    return found


def records(data) -> list[Record]:
    """Every top-level flight record in time order, each with its members; a member never stands on its own."""
    return _index(data).records


def record(data, flight_id: str) -> Record | None:
    """The top-level record of this id, with its members (None for a member or an unknown id)."""
    return _index(data).by_id.get(flight_id)


def _places(flight: Flight) -> tuple[Endpoint, ...]:
    """The places a flight touches, in order: its origin, each stop, its destination. A base or country asked for
    matches a stop too; a route is named by the two ends (counting per leg would start from Flight.legs here)."""
    return tuple(flight.points())


def _place(end: Endpoint, bases: dict) -> Place:
    return Place(country_of(end, bases), _icao_of(end, bases), frozenset(_names_of(end, bases)))


def first_day(when: When) -> datetime.date | None:
    """The earliest day a time could stand for (None when unknown)."""
    return when.earliest.start.date() if when.known else None


def last_day(when: When) -> datetime.date | None:
    """The latest day a time could stand for (None when unknown)."""
    return when.latest.end.date() if when.known else None


def days(flight: Flight) -> Window | None:
    """The first and last day the flight could be dated to (by arrival if known, else departure)."""
    when = flight.when
    return (first_day(when), last_day(when)) if when.known else None


def _placed(span: Window | None, window: Window | None) -> str:
    """'in' when a flight of these days surely falls in the window, 'maybe' when its range overlaps it, 'out'
    otherwise."""
    if window is None:
        return "in"
    if span is None:
        return "out"
    if window[0] <= span[0] and span[1] <= window[1]:
        return "in"
    if span[0] <= window[1] and window[0] <= span[1]:
        return "maybe"
    return "out"


# ---------------------------------------------------------------- matching places


def country_of(end: Endpoint, bases: dict) -> str | None:
    """The country of one end: a base's, an airfield's, or the one given."""
    if end.base and end.base in bases:
        return bases[end.base].country
    if end.airfield:
        return airports()[end.airfield]["country"]
    return end.country


def _icao_of(end: Endpoint, bases: dict) -> str | None:
    if end.base and end.base in bases:
        return bases[end.base].location.icao
    return end.airfield


def _names_of(end: Endpoint, bases: dict) -> set[str]:
    names = set()
    if end.base:
        names.add(end.base.casefold())
        if end.base in bases:
            names |= {n.casefold() for n in (bases[end.base].name, *bases[end.base].aliases)}
    if end.airfield:
        names.add(airports()[end.airfield]["name"].casefold())
    if end.place:
        names.add(end.place.casefold())
    return names


def matches(end: Endpoint, wanted: str, bases: dict) -> bool:
    """Whether one end of a flight is the place asked for: a base id, a place name (any case), an ICAO code,
    or an ISO country code (an end in that country, whether a base, an airfield, a place or the country only)."""
    return _is(_place(end, bases), wanted)


def _is(place: Place, wanted: str) -> bool:
    """Whether a place is the one asked for: an ISO country code, an ICAO code or a name in any case."""
    return _is_asked(place, _asked(wanted))


def _of_basis(data, basis: str | None) -> list[Record]:
    """The records of one basis (a group's basis is its members' too, so the parts by basis add up to the total)."""
    return records(data) if basis is None else [r for r in records(data) if r.flight.basis == basis]


Match = Callable[[str], bool]  # asked of a flight id


def _matcher(data, origin, destination, base, country) -> Match | None:
    """Whether a flight's places are those asked for; None when no place is asked for."""
    if all(v is None for v in (origin, destination, base, country)):
        return None
    places = _index(data).places
    code = country.strip().upper() if country is not None else None
    start, end, through = (_asked(w) if w is not None else None for w in (origin, destination, base))

    def match(flight_id: str) -> bool:
        found = places[flight_id]
        if start is not None and not _is_asked(found[0], start):
            return False
        if end is not None and not _is_asked(found[-1], end):
            return False
        if through is not None and not any(_is_asked(p, through) for p in found):
            return False
        return code is None or any(p.country == code for p in found)
    return match


def _asked(wanted: str) -> tuple[str | None, str | None, str]:
    """A place asked for, read once: (country code, ICAO code, name in any case)."""
    text = wanted.strip()
    code = text.upper()
    return (code if len(code) == 2 else None, code if len(code) == 4 else None, text.casefold())


def _is_asked(place: Place, asked: tuple) -> bool:
    """Whether a place is the one asked for, as _asked gives it."""
    two, four, name = asked
    return (two is not None and place.country == two) or (four is not None and place.icao == four) \
        or name in place.names


def _candidates(data, items: list[Record], *wanted) -> list[Record]:
    """Of these records, those that touch every place asked for, found through the index (a superset of the
    matches, in the same order): asking about one base reads only the records that name something like it."""
    index = _index(data)
    asked = [w.strip().casefold() for w in wanted if w is not None]
    if not asked:
        return items
    first, *more = (index.touching.get(token, ()) for token in asked)
    positions = set(first).intersection(*more)
    if items is index.records:
        return [index.records[i] for i in sorted(positions)]
    ids = {index.records[i].id for i in positions}
    return [r for r in items if r.id in ids]


# ---------------------------------------------------------------- counting


def _contribution(index: _Index, record: Record, match: Match | None, window: Window | None) -> Tally:
    """What one top-level record adds to a count: the one place groups, lower bounds and ranges are handled."""
    days = index.days
    flight = record.flight
    number, lower = flight.count.number, flight.count.lower_bound
    if match is None or match(record.id):
        placed = _placed(days[record.id], window)
        if placed == "in":
            return Tally(number, 0, lower, (record.id,))
        where = [_placed(days[mid], window) for mid, _ in record.members]
        inside, outside = where.count("in"), where.count("out")
        if placed == "out" and not inside:
            return NOTHING
        # a group only partly in the window: its members dated inside are sure, those dated outside are not in
        # it, and the rest are only possible
        rest = max(number - inside - outside, 0) if placed == "maybe" else 0
        return Tally(inside, rest, lower and rest > 0, (record.id,))
    # the group does not match as a whole (it names Libya, a member Benghazi): count the members that match
    certain = possible = 0
    for mid, _ in record.members:
        if match(mid):
            placed = _placed(days[mid], window)
            certain += placed == "in"
            possible += placed == "maybe"
    if not certain and not possible:
        return NOTHING
    return Tally(certain, possible, False, (record.id,))


def _sum(data, items: Iterable[Record], match, window) -> Tally:
    certain = possible = 0
    lower = False
    ids: list[str] = []
    index = _index(data)
    for one in items:
        part = _contribution(index, one, match, window)
        if part.flights:
            certain += part.certain
            possible += part.possible
            lower = lower or part.at_least
            ids += part.flights
    lower = lower or data.withheld.any("flights")  # a release that left flights out counts a lower bound
    return Tally(certain, possible, lower, tuple(ids))


def count_flights(data, *, origin=None, destination=None, base=None, country=None,
                  within: Window | None = None, basis: str | None = None) -> Tally:
    """How many flights match: from origin, to destination, touching base, touching country, basis, within dates.

    origin/destination/base each: a base id, a place name (case-insensitive), an ICAO code, or an ISO country
    code; a country matches an end in that country (a base's, an airfield's, or a country-only end).
    """
    return _answer(data, ("count", origin, destination, base, country, within, basis),
                   lambda: _count_flights(data, origin, destination, base, country, within, basis))


def _answer(data, question: tuple, work: Callable):
    """The answer to a question about the flights, worked out once per dataset (pages ask the same ones again)."""
    answers = _index(data).answers
    if question not in answers:
        answers[question] = work()
    return answers[question]


def _count_flights(data, origin, destination, base, country, within, basis) -> Tally:
    items = _candidates(data, _of_basis(data, basis), origin, destination, base, country)
    return _sum(data, items, _matcher(data, origin, destination, base, country), within)


def flights_total(data, basis: str | None = None) -> Tally:
    """Every flight of the brief, counted once (of one basis when given)."""
    return count_flights(data, basis=basis)


def by_basis(data) -> list[tuple[str, Tally]]:
    """The total split by basis (tracked, reported, inferred), every basis with flights named: the parts add up
    to the total because each record has exactly one basis."""
    found = []
    for basis in ("tracked", "reported", "inferred"):
        part = count_flights(data, basis=basis)
        if part.flights:
            found.append((basis, part))
    return found


# ---------------------------------------------------------------- routes


def endpoint_key(end: Endpoint) -> tuple:
    """What identifies one end of a route: the base, the airfield, the place in its country, or the country only."""
    if end.base:
        return ("base", end.base)
    if end.airfield:
        return ("airfield", end.airfield)
    if end.place:
        return ("place", end.place.casefold(), end.country or "")
    if end.country:
        return ("country", end.country)
    return ("unknown",)


def route_key(flight: Flight) -> tuple[tuple, tuple]:
    places = _places(flight)
    return endpoint_key(places[0]), endpoint_key(places[-1])


class RouteCount(NamedTuple):
    """One route (origin → destination as the records name them), its flights, and the routes of group members
    that differ from their group's, counted inside it."""

    key: tuple[tuple, tuple]
    origin: Endpoint
    destination: Endpoint
    tally: Tally
    within: tuple["RouteCount", ...]   # members of groups on this route named with another route: "of which …"
    dates: tuple[When, ...]            # the time of each record counted (each member's, for a route in `within`)


def _rank(item) -> tuple:
    return (-(item.tally.certain + item.tally.possible), item.key)


def routes(data, *, within: Window | None = None, basis: str | None = None) -> list[RouteCount]:
    """Every route with its flights, busiest first (ties by route), each record on its own route only."""
    return list(_answer(data, ("routes", within, basis), lambda: _routes(data, within, basis)))


def _routes(data, within: Window | None, basis: str | None) -> list[RouteCount]:
    match = None
    grouped: dict[tuple, list[Record]] = defaultdict(list)
    for record in _of_basis(data, basis):
        grouped[route_key(record.flight)].append(record)
    found = []
    for key, items in grouped.items():
        tally = _sum(data, items, match, within)
        if not tally.flights:
            continue
        inner: dict[tuple, list] = defaultdict(list)
        for record in items:
            for mid, member in record.members:
                if route_key(member) != key:
                    inner[route_key(member)].append((record, mid, member))
        members = []
        for mkey, found_members in inner.items():
            part = _sum(data, [Record(r.id, r.flight, ((mid, m),)) for r, mid, m in found_members],
                        _only_members(found_members), within)
            if part.flights:
                first = found_members[0][2]
                members.append(RouteCount(mkey, _places(first)[0], _places(first)[-1], part, (),
                                          tuple(m.when for _, _, m in found_members)))
        first = items[0].flight
        found.append(RouteCount(key, _places(first)[0], _places(first)[-1], tally, tuple(sorted(members, key=_rank)),
                                tuple(r.flight.when for r in items)))
    return sorted(found, key=_rank)


def _only_members(found_members) -> Match:
    """A matcher that takes the given members and never their groups, so a member route counts its members."""
    wanted = {mid for _, mid, _ in found_members}
    return lambda flight_id: flight_id in wanted


# ---------------------------------------------------------------- bases and countries


class BaseCount(NamedTuple):
    """A base, the flights naming it, and the flights that name only its country."""

    id: str
    tally: Tally
    country_only: Tally   # flights with an end known only as the base's country: they may have used it


def bases(data) -> list[BaseCount]:
    """Every base with its flights, busiest first (ties by name)."""
    found = []
    for base_id, base in data.bases.items():
        tally = count_flights(data, base=base_id) if _names_base(data, base_id) else Tally(0, 0, False, ())
        found.append(BaseCount(base_id, tally, country_only(data, base.country)))
    return sorted(found, key=lambda b: (-(b.tally.certain + b.tally.possible), data.bases[b.id].name, b.id))


def _names_base(data, base_id: str) -> bool:
    return bool(_index(data).touching.get(base_id.casefold()))


def country_only(data, code: str) -> Tally:
    """Flights with an end known only as this country (no base, airfield or place)."""
    index = _index(data)
    if code not in index.country_only:  # asked once per base: remembered per country
        bare = index.bare.get(code, set())
        index.country_only[code] = _sum(data, _candidates(data, index.records, code), lambda fid: fid in bare, None)
    return index.country_only[code]


def countries(data) -> list[tuple[str, Tally]]:
    """Every country a flight touches, with its flights, busiest first (ties by code)."""
    codes = {p.country for places in _index(data).places.values() for p in places if p.country}
    found = [(code, count_flights(data, country=code)) for code in codes]
    return sorted(found, key=lambda kv: (-(kv[1].certain + kv[1].possible), kv[0]))


# ---------------------------------------------------------------- periods


class PeriodCount(NamedTuple):
    """The flights of one period: surely in it (a known day, or a range inside it), and possibly in it."""

    start: datetime.date
    end: datetime.date
    tally: Tally


def _period(day: datetime.date, unit: str) -> Window:
    if unit == "day":
        return day, day
    if unit == "week":  # ISO weeks, Monday first
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if unit == "month":
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    if unit == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    raise ValueError(f"unknown period '{unit}', expected day, week, month or year")


def _touched(data, flight_id: str, unit: str) -> list[Window]:
    """The periods of a unit a flight's days fall in (one for a flight known to the day), remembered for its span of
    days (which many flights share)."""
    index = _index(data)
    span = index.days[flight_id]
    found = index.touched.get((unit, span))
    if found is None:
        found = []
        if span is not None:
            period = _period(span[0], unit)
            while period[0] <= span[1]:
                found.append(period)
                period = _period(period[1] + datetime.timedelta(days=1), unit)
        index.touched[(unit, span)] = found
    return found


def periods(data, unit: str = "month", *, origin=None, destination=None, base=None, country=None,
            basis: str | None = None) -> list[PeriodCount]:
    """Flights per day, week, month or year, in date order, each period holding only what it holds: a flight
    counts in a period when its whole date range is inside it, and possibly in each period its range overlaps.
    Periods where nothing could fall are left out. The other arguments select flights as count_flights does."""
    return list(_answer(data, ("periods", unit, origin, destination, base, country, basis),
                        lambda: _periods(data, unit, origin, destination, base, country, basis)))


def _periods(data, unit: str, origin, destination, base, country, basis: str | None) -> list[PeriodCount]:
    match = _matcher(data, origin, destination, base, country)
    touching: dict[Window, list[Record]] = defaultdict(list)
    for record in _candidates(data, _of_basis(data, basis), origin, destination, base, country):
        windows = set(_touched(data, record.id, unit))
        for mid, _ in record.members:
            windows.update(_touched(data, mid, unit))
        for window in windows:
            touching[window].append(record)
    found = []
    for window in sorted(touching):
        tally = _sum(data, touching[window], match, window)
        if tally.flights:
            found.append(PeriodCount(window[0], window[1], tally))
    return found


def unplaced(data, unit: str = "month", *, basis: str | None = None) -> Tally:
    """The flights that fall surely in no single period of this unit: undated, or dated to a range across periods.
    With the periods' sure counts they add up to the total."""
    total = count_flights(data, basis=basis).certain
    placed = sum(p.tally.certain for p in periods(data, unit, basis=basis))
    rest = [r for r in records(data) if len(_touched(data, r.id, unit)) != 1]
    ids = tuple(r.id for r in rest if basis is None or r.flight.basis == basis)
    return Tally(total - placed, 0, any(r.flight.count.lower_bound for r in rest), ids)


# ---------------------------------------------------------------- spans


class Span(NamedTuple):
    """When the flights were: the first and last day any could be dated to, and the first and last known day."""

    first: datetime.date | None        # earliest possible day of any dated flight
    last: datetime.date | None         # latest possible day of any dated flight
    first_known: datetime.date | None  # earliest flight known to the day
    last_known: datetime.date | None


def span(data) -> Span:
    """The dates the flights cover, members included (their own days are often the only exact ones)."""
    whens = [f.when for _, f in data.flights.items() if f.when.known]
    known = [w.day for w in whens if w.day]
    return Span(min((first_day(w) for w in whens), default=None), max((last_day(w) for w in whens), default=None),
                min(known, default=None), max(known, default=None))
