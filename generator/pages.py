"""Which pages the brief has, where each fact is shown, and how pages link to each other."""
from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from generator import charts, figures
from generator.dataset import Dataset
from generator.models import CREDIBILITY, PROBABILITY, RELIABILITY
from generator.places import country_name, endpoint_label
from generator.render import anchor

UNDATED = "undated"


@dataclass(frozen=True)
class Page:
    """One generated Markdown page: where it goes, its template and what it shows."""

    path: str
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)


def flight_month(flight) -> str:
    """The flight-log page a flight is listed on: the month of its earliest possible time."""
    when = flight.when
    return when.earliest.start.strftime("%Y-%m") if when.known else UNDATED


class Links:
    """Where each fact lives, and relative Markdown links between pages."""

    def __init__(self, data: Dataset):
        self.pages: dict[tuple[str, str], str] = {}
        for base_id in data.bases:
            self.pages[("bases", base_id)] = f"bases/{base_id}.md"
        for flight_id, flight in data.flights.items():
            self.pages[("flights", flight_id)] = f"flights/{flight_month(flight)}.md"
        for kind, path in (("assessments", "assessments.md"), ("sources", "sources.md"), ("events", "timeline.md")):
            for fact_id in data.of_kind(kind):
                self.pages[(kind, fact_id)] = path

    def href(self, from_path: str, kind: str, fact_id: str) -> str:
        """A link from one page to a fact's anchor; base pages are the anchor's page itself."""
        target = self.pages[(kind, fact_id)]
        relative = posixpath.relpath(target, posixpath.dirname(from_path) or ".")
        return f"{relative}#{anchor(kind, fact_id)}"

    def page(self, from_path: str, target: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(from_path) or ".")


def plan(data: Dataset) -> list[Page]:
    """Every generated page, in a stable order."""
    by_month: dict[str, list] = defaultdict(list)
    for flight_id, flight in data.flights_in_order():
        by_month[flight_month(flight)].append((flight_id, flight))
    months = sorted(m for m in by_month if m != UNDATED) + ([UNDATED] if UNDATED in by_month else [])
    by_country: dict[str, list] = defaultdict(list)
    for base_id, base in sorted(data.bases.items(), key=lambda kv: (kv[1].name.lower(), kv[0])):
        by_country[country_name(base.country)].append((base_id, base))
    route_map, per_day = charts.route_map(data), charts.flights_per_day(data)
    pages = [
        Page("index.md", "overview.md.j2", {"charts": [route_map, per_day]}),
        Page("bases/index.md", "bases_index.md.j2", {"by_country": dict(sorted(by_country.items()))}),
        Page("flights/index.md", "flights_index.md.j2", {"months": [(m, len(by_month[m])) for m in months],
                                                           "charts": [per_day, route_map]}),
        Page("assessments.md", "assessments.md.j2"),
        Page("timeline.md", "timeline.md.j2", {"charts": [charts.timeline(data)]}),
        Page("sources.md", "sources.md.j2"),
    ]
    for base_id, base in sorted(data.bases.items()):
        own = [(fid, data.flights[fid]) for fid in data.flights_by_base.get(base_id, [])]
        pages.append(Page(f"bases/{base_id}.md", "base.md.j2", {"base_id": base_id, "base": base, "flights": own}))
    for month in months:
        pages.append(Page(f"flights/{month}.md", "flight_log.md.j2", {"month": month, "flights": by_month[month]}))
    return pages


def shared_context(data: Dataset) -> dict:
    """What every template may use, beside its own page context."""
    events = timeline(data)
    return {
        "data": data,
        "brief": data.brief,
        "figures": figures.headline(data),
        "route": lambda flight: " → ".join(charts.route_key(data, flight)),
        "endpoint": partial(endpoint_label, bases=data.bases),
        "country_name": country_name,
        "embed": charts.embed,
        "chart": lambda name: charts.embed(CHARTS[name](data)),
        "timeline": events,
        "recent": events[::-1][:8],
        "probability": PROBABILITY,
        "credibility": CREDIBILITY,
        "reliability": RELIABILITY,
    }


@dataclass(frozen=True)
class TimelineItem:
    """One dated fact as the timeline lists it."""

    when: object
    label: str
    kind: str
    id: str
    detail: str | None = None


def timeline(data: Dataset) -> list[TimelineItem]:
    """Every dated fact, oldest first; flights inside a group are shown by their group."""
    items = [TimelineItem(e.date, "Event", "events", eid) for eid, e in data.events.items()]
    for bid, base in data.bases.items():
        items += [TimelineItem(o.date, f"Base: {o.status}", "bases", bid, o.summary) for o in base.observations]
    items += [TimelineItem(f.when, f"Flights: {f.count.label()}", "flights", fid)
              for fid, f in data.flights.items() if not f.part_of]
    items += [TimelineItem(a.date, "Assessment", "assessments", aid) for aid, a in data.assessments.items()]
    return sorted((i for i in items if i.when.known), key=lambda i: (i.when.sort_key(), i.kind, i.id, i.detail or ""))


CHARTS = {"route_map": charts.route_map, "flights_per_day": charts.flights_per_day, "timeline": charts.timeline}


def page_context(page: Page, links: Links, shared: dict) -> dict:
    """The full context for one page: shared values plus links relative to this page."""
    return {**shared, **page.context, "page_path": page.path,
            "link": partial(links.href, page.path), "page_link": partial(links.page, page.path)}
