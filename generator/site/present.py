"""The one place that words facts for readers: scale words, counts, times, names, and the rows templates lay out.

Templates only lay things out; every rule about what to show and every phrase built from a fact lives here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.facts import counting, markings, ranking
from generator.facts.models import CONFIDENCES, LIKELIHOODS, SINGULAR, Assessment, Base, Count, Endpoint, Flight, When
from generator.facts.timeref import Instant
from generator.geo.airfields import airports
from generator import words

# ICD 203 estimative terms and the probability range each stands for.
PROBABILITY = {
    "almost no chance": "1–5 %", "very unlikely": "5–20 %", "unlikely": "20–45 %",
    "roughly even chance": "45–55 %", "likely": "55–80 %", "very likely": "80–95 %",
    "almost certain": "95–99 %",
}
# Admiralty (NATO) source reliability and information credibility.
RELIABILITY = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}
SCALES = {"probability": PROBABILITY, "reliability": RELIABILITY, "credibility": CREDIBILITY}


# ---------------------------------------------------------------- words for values


NOUNS = {**SINGULAR, "observations": "observation", "captures": "capture"}


def noun(kind: str) -> str:
    """One fact of a kind: 'flights' → 'flight'."""
    return NOUNS[kind]


def tally(number: int, lower_bound: bool = False) -> str:
    """A count as a reader sees it: '5', '1,234', or 'at least 5' when the sources give only a lower bound."""
    return f"at least {words.number(number)}" if lower_bound else words.number(number)


def count(value: Count) -> str:
    return tally(value.number, value.lower_bound)


def flights(found: counting.Tally, noun: str = "flight") -> str:
    """A counted number of flights in words: '3 flights', 'at least 3 flights', and the ones only possibly in
    the period: '1 flight, and 4 more possibly'."""
    text = words.counted(found.certain, noun, found.at_least and bool(found.certain))
    if found.possible:
        more = "more " if found.certain else ""
        text += f" (and {'at least ' if found.at_least else ''}{words.number(found.possible)} {more}possibly)"
    return text


def number_of(found: counting.Tally) -> str:
    """The figure of a tally for a table cell: '3', 'at least 3', '1 (+4 possibly)'."""
    text = tally(found.certain, found.at_least and bool(found.certain))
    return text + (f" (+{words.number(found.possible)} possibly)" if found.possible else "")


def route_count(found: counting.RouteCount, bases: dict) -> str:
    """A route's flights, with the members of its groups named with another route inside it: 'at least 3, of
    which 1 to Benghazi, Libya on 14 Dec 2024'."""
    text = number_of(found.tally)
    inner = []
    for member in found.within:
        dates = sorted({when_short(w) for w in member.dates if w.known})
        where = endpoint(member.destination, bases) if member.key[0] == found.key[0] else \
            f"{endpoint(member.origin, bases)} → {endpoint(member.destination, bases)}"
        inner.append(f"{number_of(member.tally)} to {where}" + (f" on {', '.join(dates)}" if dates else ""))
    return text + (f", of which {'; '.join(inner)}" if inner else "")


def record_count(data, flight_id: str, noun: bool = False) -> str:
    """The flights one record stands for, its listed members inside it: 'at least 3, of which 1 to Benghazi,
    Libya on 14 Dec 2024' ('at least 3 flights, of which …' with noun); a member says it is counted in its group."""
    flight = data.flights[flight_id]
    if flight.part_of and flight.part_of in data.flights:
        return "1, counted in its group"
    record = counting.record(data, flight_id)
    text = words.counted(flight.count.number, "flight", flight.count.lower_bound) if noun else count(flight.count)
    if not record or not record.members:
        return text
    inner: dict[str, list] = {}
    for _, member in record.members:
        differs = counting.endpoint_key(member.destination) != counting.endpoint_key(flight.destination)
        where = f"to {endpoint(member.destination, data.bases)}" if differs else "listed"
        inner.setdefault(where, []).append(member.when)
    parts = []
    for where, whens in inner.items():
        dates = sorted({when_short(w) for w in whens if w.known})
        parts.append(f"{words.number(len(whens))} {where}" + (f" on {', '.join(dates)}" if dates else ""))
    return f"{text}, of which {'; '.join(parts)}"


def dating(value: When) -> str:
    """How surely a fact is dated, in words: 'on a day', 'within a range', 'in a month', 'undated'."""
    if not value.known:
        return "undated"
    if value.between:
        return "within a range"
    return {"year": "in a year", "month": "in a month"}.get(value.at.precision, "on a day")


def when_short(value: When) -> str:
    """A time as a short phrase, without the part of the day: '14 Dec 2024', 'between 7 and 15 Dec 2024'."""
    return when(value.model_copy(update={"part_of_day": None})) if value.part_of_day else when(value)


def instant(value: Instant) -> str:
    """A time to the precision it is known: '2024', 'Dec 2024', '14 Dec 2024', '14 Dec 2024 03:10 UTC'."""
    if value.precision == "year":
        return str(value.start.year)
    if value.precision == "month":
        return words.month(value.start.date())
    clock = {"minute": " %H:%M UTC", "second": " %H:%M:%S UTC"}.get(value.precision)
    return words.day(value.start.date()) + (value.start.strftime(clock) if clock else "")


def capitalize_first(value: str) -> str:
    """A phrase opening a sentence or a cell: its first letter capital, the rest as written ('Flights dated …')."""
    return value[:1].upper() + value[1:]


def day(value) -> str:
    """A calendar day as readers see it: 14 Dec 2024."""
    return words.day(value)


def when(value: When) -> str:
    """A time, a range or 'unknown', with the part of the day when that is all the source gives."""
    if not value.known:
        return "unknown"
    if value.at:
        text = instant(value.at)
    elif all(i.precision == "day" for i in value.between):
        text = "between " + words.days_between(value.between[0].day, value.between[1].day)
    else:
        text = f"between {instant(value.between[0])} and {instant(value.between[1])}"
    return f"{text}, {value.part_of_day}" if value.part_of_day else text


@cache
def country(code: str) -> str:
    """A country's common name from its ISO 3166-1 alpha-2 code."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or found.name


def endpoint(end: Endpoint, bases: dict | None = None) -> str:
    """A short name for one end of a flight, saying only what is known."""
    if end.base:
        return end.base if bases is None or end.base not in bases else bases[end.base].name
    if end.airfield:
        return f"{airports()[end.airfield]['name']} ({end.airfield})"
    if end.place:
        return f"{end.place}, {country(end.country)}" if end.country else end.place
    if end.country:
        return f"{country(end.country)} (airfield unknown)"
    return "unknown"


def route(flight: Flight, bases: dict) -> str:
    """'Origin → Destination' in words, through each stop ('Origin → Stop → Destination')."""
    return " → ".join(endpoint(point, bases) for point in flight.points())


def ends(flight: Flight) -> list[tuple]:
    """Each place of a flight with its label: ('From', origin, None), ('Stop 1', place, stop), …, ('To', …, None)."""
    stops = [(f"Stop {n}", stop.endpoint, stop) for n, stop in enumerate(flight.stops, 1)]
    return [("From", flight.origin, None), *stops, ("To", flight.destination, None)]


def aircraft(fact) -> str:
    """What is known of a flight's or an incident's aircraft, or 'not reported'."""
    a = fact.aircraft
    if a is None:
        return "not reported"
    parts = [a.type, a.registration, a.icao24 and f"ICAO {a.icao24}", a.callsign and f"callsign {a.callsign}"]
    return ", ".join(p for p in parts if p) or "not reported"


def aboard(flights: list[tuple[str, Flight]]) -> list[str]:
    """The registrations and callsigns on a page of flights, each once: what a reader searches a flight log by."""
    found = {value for _, f in flights for value in (f.aircraft.registration, f.aircraft.callsign) if value}
    return sorted(found)


def likelihood(a: Assessment) -> str:
    """'likely (55–80 %)', or a plain statement that the source gave none."""
    return f"{a.likelihood} ({PROBABILITY[a.likelihood]})" if a.likelihood else "not stated by the source"


def confidence(a: Assessment) -> str:
    return a.confidence or "not stated by the source"


def attribution(a: Assessment) -> str:
    """Whose judgment this is."""
    if a.by_brief:
        return "The brief's own judgment"
    expert = a.attribution
    role = f", {expert.role}" if expert.role else ""
    affiliation = f" ({expert.affiliation})" if expert.affiliation else ""
    return f"View of {expert.name}{role}{affiliation}"


def reliability(grade: str) -> str:
    return f"{grade}: {RELIABILITY[grade]}"


def credibility(grade: int) -> str:
    return f"{grade} ({CREDIBILITY[grade]})"


def location(base: Base) -> LocationView:
    """Where a base is, in words, with the source of its coordinates when they come from one."""
    loc = base.location
    if loc.icao:
        lat, lon = loc.point()
        return LocationView(f"{lat:.4f}, {lon:.4f} (airfield {loc.icao}, coordinates from airportsdata)", None, loc.note)
    if loc.coordinates:
        c = loc.coordinates
        return LocationView(f"{c.lat:.4f}, {c.lon:.4f}", c.source, loc.note)
    return LocationView("unknown", None, loc.note)


@dataclass(frozen=True)
class LocationView:
    text: str
    source: str | None  # id of the source the coordinates come from
    note: str | None


# ---------------------------------------------------------------- what pages show


def judgment_order(items, moved: dict | None = None) -> list[tuple[str, Assessment]]:
    """The one order of judgments on every page and in the PDF (generator/facts/ranking.py): key judgments first, then
    priority, recent change (moved: ranking.shifts since the previous edition), likelihood and confidence, newest."""
    return ranking.judgment_order(items, moved)


def bottom_line(assessments: dict[str, Assessment], moved: dict | None = None) -> list[tuple[str, Assessment]]:
    """What the overview leads with, in the brief's ranking: its current key judgments, or all its own current
    judgments when none is marked key."""
    return key_judgments(judgment_order(list(assessments.items()), moved))


def shift(moved: ranking.Shift | None) -> str:
    """How a judgment moved since the previous edition: 'raised from almost no chance to very likely since
    1 Feb 2025', 'new since 1 Feb 2025', or '' when it did not."""
    if moved is None:
        return ""
    since = f"since {words.day(moved.since)}"
    if moved.added:
        return f"new {since}"
    parts = []
    if moved.old_likelihood != moved.new_likelihood:
        parts.append(_moved(LIKELIHOODS, moved.old_likelihood, moved.new_likelihood))
    if moved.old_confidence != moved.new_confidence:
        parts.append("confidence " + _moved(CONFIDENCES, moved.old_confidence, moved.new_confidence))
    return f"{', '.join(parts)} {since}"


def _moved(scale: tuple[str, ...], old: str | None, new: str | None) -> str:
    if old is None or new is None:
        return f"changed from {old or 'not stated'} to {new or 'not stated'}"
    return f"{'raised' if scale.index(new) > scale.index(old) else 'lowered'} from {old} to {new}"


def key_judgments(items: list[tuple[str, Assessment]]) -> list[tuple[str, Assessment]]:
    """Of these, in their order, the brief's own current judgments marked key; all of them when none is."""
    own = [(aid, a) for aid, a in items if a.status == "current" and a.by_brief]
    return [(aid, a) for aid, a in own if a.key] or own


def by_status(items: list[tuple[str, Assessment]]) -> list[tuple[str, list]]:
    """Assessments grouped as a reader looks for them: current first, then superseded, then withdrawn; empty groups
    left out."""
    groups = [("Current", [x for x in items if x[1].status == "current"]),
              ("Superseded", [x for x in items if x[1].status == "superseded"]),
              ("Withdrawn", [x for x in items if x[1].status == "withdrawn"])]
    return [(title, found) for title, found in groups if found]


def base_flights(base: Base, found: counting.Tally, country_only: counting.Tally) -> str:
    """A base's flights for a table cell: '2', or for a base no flight names, how many name only its country
    ('none named; at least 4 name Libya only')."""
    if found.any or not country_only.certain:
        return number_of(found)
    return (f"none named; {tally(country_only.certain, country_only.at_least)} "
            f"{words.form('names', country_only.certain)} {country(base.country)} only")


def no_flights_here(base: Base, country_only: counting.Tally) -> str:
    """Why a base has no flights, when flights name only its country: 'No flight names this base; at least 4 name
    Libya only, without an airfield.'"""
    if not country_only.certain:
        return "No flight in the brief names this base."
    return (f"No flight names this base; {words.counted(country_only.certain, 'flight', country_only.at_least)} "
            f"{words.form('names', country_only.certain)} {country(base.country)} only, without an airfield, "
            "so any of them may have used it.")


def fact_title(data, kind: str, fact_id: str) -> str:
    """The words a link to a fact shows."""
    if kind == "flights":
        flight = data.flights[fact_id]
        return f"flight {route(flight, data.bases)}, {when(flight.when)}"
    if kind == "bases":
        return data.bases[fact_id].name
    return data.of_kind(kind)[fact_id].title


def fact_summary(data, kind: str, fact_id: str) -> str:
    """A fact in a few words, so a reviewer sees what was added or removed without opening its file."""
    if kind == "brief":
        return ""
    if kind == "flights":
        flight = data.flights[fact_id]
        return f"{route(flight, data.bases)}, {when(flight.when)}"
    return fact_title(data, kind, fact_id)


def cited_more(citers: list[tuple[str, str]], shown: int) -> str:
    """'and 14 more: 9 flights, 5 assessments' for the citations beyond those listed."""
    rest = citers[shown:]
    if not rest:
        return ""
    kinds: dict[str, int] = {}
    for kind, _ in rest:
        kinds[kind] = kinds.get(kind, 0) + 1
    return f"and {len(rest)} more: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))


def lines(sourced) -> str:
    """'1 independent line, best chain graded F' for a judgment's sourcing, or '0 independent lines'."""
    graded = f", best chain graded {sourced.best_grade}" if sourced.best_grade else ""
    return words.counted(len(sourced.lines), "independent line") + graded


def more(number: int, what: str) -> str:
    """'and 3 more origins' for items left out of a list, or '' when none are."""
    return f"and {words.number(number)} more {words.form(what, number)}" if number > 0 else ""


def rest(direct: int, relayed: int, after: bool) -> str:
    """What an evidence item's shown chains leave out: 'plus 1 source read directly and 3 more relayed sources'."""
    parts = [f"{words.counted(direct, 'source')} read directly" if direct else "",
             f"{words.number(relayed)} more {words.form('relayed source', relayed)}" if relayed else ""]
    shown = " and ".join(p for p in parts if p)
    return f"plus {shown}" if shown and after else shown


def reported(sourced) -> str:
    """'2 of 4 reported' for the facts an assessment cites, or that it cites none."""
    return f"{sourced.reported} of {sourced.counted} reported" if sourced.counted else "no facts cited"


def newest(sourced) -> str:
    """'14 Dec 2024, 2 days before the edition' for an assessment's newest evidence (by the earliest day its date
    could stand for), or 'undated'."""
    if sourced.newest is None:
        return "undated"
    days = sourced.age_days
    if days == 0:
        return f"{words.day(sourced.newest)}, the edition's day"
    return f"{words.day(sourced.newest)}, {words.counted(days, 'day')} before the edition"


def citing(counts: tuple[tuple[str, int], ...]) -> str:
    """'4 flights, 1 base' for the facts citing a source, or 'nothing'."""
    return ", ".join(words.counted(n, noun(kind)) for kind, n in counts) or "nothing"


def relays(depth: int) -> str:
    """How far a source is from the channel it was read in: 'read directly', '1 relay away'."""
    return "read directly" if depth == 0 else f"{words.counted(depth, 'relay')} away"


def statuses(counts: dict[str, int]) -> str:
    """'1 drawing down, 1 expanding' for a count of bases by status."""
    return ", ".join(f"{words.number(n)} {status}" for status, n in counts.items())


def portion(label: str | None) -> str:
    """A fact's portion mark: its TLP label in words, as it opens the fact's block."""
    return f"({label})" if label else ""


def portions_shown(data) -> bool:
    """Whether facts carry portion marks: when the document holds more than one marking, or brief.yml asks for
    them on every portion (portion_marks: true); a document all of one marking says it once, in its banner."""
    return bool(getattr(data.brief, "portion_marks", False)) or len(set(markings.present(data))) > 1


def withheld_evidence(items: int, label: str) -> str:
    """What an assessment in a release lost: 'Rests in part on 2 withheld items (marked above TLP:CLEAR).'"""
    if not items:
        return ""
    return f"Rests in part on {words.counted(items, 'withheld item')} (marked above {label})."


def edition_note(withheld) -> str:
    """The tearline statement a release opens with; empty for an edition that leaves nothing out."""
    if not withheld.release or not withheld.any():
        return ""
    label = withheld.label
    if not withheld.kept:
        return (f"This {label} edition holds no facts: every fact of the brief is marked above {label}, "
                "so all are left out.")
    return (f"This is the {label} edition: facts marked above {label} are left out of every page, chart, count "
            "and export. Counts that could include them say \"at least\", and judgments that rest in part on them "
            "say how many items were withheld.")


def headline(numbers: dict) -> dict:
    """The headline figures in words, as pages and hand-written prose show them."""
    found = {}
    for key, value in numbers.items():
        if isinstance(value, Count):
            found[key] = count(value)
        elif isinstance(value, Instant):
            found[key] = instant(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            found[key] = words.number(value)
        else:
            found[key] = value
    found["statuses"] = statuses(numbers.get("bases_by_status", {}))
    if isinstance(numbers.get("flights"), Count):
        found["flights_counted"] = words.counted(numbers["flights"].number, "flight", numbers["flights"].lower_bound)
    records = numbers.get("flight_records")
    if records is not None:
        found["records_counted"] = words.counted(records.number, "record", records.lower_bound) \
            if isinstance(records, Count) else words.counted(records, "record")
    found["by_basis"] = by_basis(numbers.get("flights_by_basis", []))
    found["flight_dates"] = flight_dates(numbers["flight_span"]) if "flight_span" in numbers else ""
    return found


def by_basis(parts: list[tuple[str, Count]]) -> str:
    """'at least 3 tracked, 2 reported': the parts of a flight total, every basis with flights named."""
    return ", ".join(f"{count(value)} {basis}" for basis, value in parts)


def flight_dates(span: counting.Span) -> str:
    """What the flights' dates cover, said for what it is: 'flights dated between 7 and 15 Dec 2024; the earliest
    known day is 14 Dec 2024'."""
    if span.first is None:
        return "no flight is dated"
    if span.first == span.last:
        text = f"every dated flight is dated {words.day(span.first)}"
    else:
        text = f"flights dated between {words.days_between(span.first, span.last)}"
    if span.first_known is None:
        return text + "; none is known to the day"
    if span.first == span.last and span.first_known == span.first:
        return text
    if span.first_known == span.last_known:
        return text + f"; the only day known for a flight is {words.day(span.first_known)}"
    return text + (f"; the earliest known day is {words.day(span.first_known)}, "
                   f"the latest {words.day(span.last_known)}")


def file_size(size: int) -> str:
    """A file's size as a reader reads it: '870 bytes', '12.3 KB', '4.1 MB' (1 KB = 1,024 bytes)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return words.counted(size, "byte")
