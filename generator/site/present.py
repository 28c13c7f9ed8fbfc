"""The one place that words facts for readers: scale words, counts, times, names, and the rows templates lay out.

Templates only lay things out; every rule about what to show and every phrase built from a fact lives here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.facts import ranking
from generator.facts.models import CONFIDENCES, LIKELIHOODS, SINGULAR, Assessment, Base, Count, Endpoint, Flight, When
from generator.facts.timeref import Instant
from generator.geo.airfields import airports

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
_INSTANT_FORMATS = {"year": "%Y", "month": "%b %Y", "day": "%-d %b %Y", "minute": "%-d %b %Y %H:%M UTC",
                    "second": "%-d %b %Y %H:%M:%S UTC"}


# ---------------------------------------------------------------- words for values


NOUNS = {**SINGULAR, "observations": "observation"}


def noun(kind: str) -> str:
    """One fact of a kind: 'flights' → 'flight'."""
    return NOUNS[kind]


def tally(number: int, lower_bound: bool = False) -> str:
    """A count as a reader sees it: '5', or 'at least 5' when the sources give only a lower bound."""
    return f"at least {number}" if lower_bound else str(number)


def count(value: Count) -> str:
    return tally(value.number, value.lower_bound)


def instant(value: Instant) -> str:
    """A time to the precision it is known: '2024', 'Dec 2024', '14 Dec 2024', '14 Dec 2024 03:10 UTC'."""
    return value.start.strftime(_INSTANT_FORMATS[value.precision])


def when(value: When) -> str:
    """A time, a range or 'unknown', with the part of the day when that is all the source gives."""
    if not value.known:
        return "unknown"
    text = instant(value.at) if value.at else f"between {instant(value.between[0])} and {instant(value.between[1])}"
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
    """'Origin → Destination' in words."""
    return f"{endpoint(flight.origin, bases)} → {endpoint(flight.destination, bases)}"


def aircraft(flight: Flight) -> str:
    """What is known of the aircraft, or 'not reported'."""
    a = flight.aircraft
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
    """The one order of judgments the overview and the distribution edition share (generator/facts/ranking.py):
    priority, then recent change (moved: ranking.shifts since the previous edition), then likelihood and
    confidence."""
    return ranking.judgment_order(items, moved)


def bottom_line(assessments: dict[str, Assessment], moved: dict | None = None) -> list[tuple[str, Assessment]]:
    """What the overview leads with, in the brief's ranking: its current key judgments, or all its own current
    judgments when none is marked key."""
    return key_judgments(judgment_order(sorted(assessments.items()), moved))


def shift(moved: ranking.Shift | None) -> str:
    """How a judgment moved since the previous edition: 'raised from almost no chance to very likely since
    2025-02-01', 'new since 2025-02-01', or '' when it did not."""
    if moved is None:
        return ""
    since = f"since {moved.since.isoformat()}"
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


def fact_title(data, kind: str, fact_id: str) -> str:
    """The words a link to a fact shows."""
    if kind == "flights":
        flight = data.flights[fact_id]
        return f"flight {route(flight, data.bases)}, {when(flight.when)}"
    if kind == "bases":
        return data.bases[fact_id].name
    return data.of_kind(kind)[fact_id].title


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
    number = len(sourced.lines)
    graded = f", best chain graded {sourced.best_grade}" if sourced.best_grade else ""
    return f"{number} independent line{'' if number == 1 else 's'}{graded}"


def more(number: int, what: str) -> str:
    """'and 3 more origins' for items left out of a list, or '' when none are."""
    return f"and {number} more {what}{'' if number == 1 else 's'}" if number > 0 else ""


def rest(direct: int, relayed: int, after: bool) -> str:
    """What an evidence item's shown chains leave out: 'plus 1 source read directly and 3 more relayed sources'."""
    parts = [f"{direct} source{'' if direct == 1 else 's'} read directly" if direct else "",
             f"{relayed} more relayed source{'' if relayed == 1 else 's'}" if relayed else ""]
    shown = " and ".join(p for p in parts if p)
    return f"plus {shown}" if shown and after else shown


def reported(sourced) -> str:
    """'2 of 4 reported' for the facts an assessment cites, or that it cites none."""
    return f"{sourced.reported} of {sourced.counted} reported" if sourced.counted else "no facts cited"


def newest(sourced) -> str:
    """'2024-12-15, 1 day before the edition' for an assessment's newest evidence, or 'undated'."""
    if sourced.newest is None:
        return "undated"
    days = sourced.age_days
    return f"{sourced.newest.isoformat()}, {days} day{'' if days == 1 else 's'} before the edition"


def citing(counts: tuple[tuple[str, int], ...]) -> str:
    """'4 flights, 1 base' for the facts citing a source, or 'nothing'."""
    return ", ".join(f"{n} {kind if n != 1 else noun(kind)}" for kind, n in counts) or "nothing"


def relays(depth: int) -> str:
    """How far a source is from the channel it was read in: 'read directly', '1 relay away'."""
    return "read directly" if depth == 0 else f"{depth} relay{'' if depth == 1 else 's'} away"


def statuses(counts: dict[str, int]) -> str:
    """'1 drawing down, 1 expanding' for a count of bases by status."""
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def portion(label: str | None) -> str:
    """A fact's portion mark: its TLP label in words, as it opens the fact's block."""
    return f"({label})" if label else ""


def withheld_evidence(items: int, label: str) -> str:
    """What an assessment in a release lost: 'Rests in part on 2 withheld items (marked above TLP:CLEAR).'"""
    if not items:
        return ""
    return f"Rests in part on {items} withheld item{'s' if items != 1 else ''} (marked above {label})."


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
    words = {}
    for key, value in numbers.items():
        if isinstance(value, Count):
            words[key] = count(value)
        elif isinstance(value, Instant):
            words[key] = instant(value)
        else:
            words[key] = value
    words["statuses"] = statuses(numbers.get("bases_by_status", {}))
    return words
