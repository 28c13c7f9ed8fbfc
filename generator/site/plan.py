"""Which pages the brief has, where each fact is shown, and how pages link to each other."""
from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, partial

from generator.site import charts, figures
from generator.facts.dataset import Dataset
from generator.facts.models import CREDIBILITY, PROBABILITY, RELIABILITY
from generator.geo.places import country_name, endpoint_label
from generator.site.render import anchor

UNDATED = "undated"
LOG_PAGE_SIZE = 250  # flight-log records per page: a busy month is split into parts
ASSESSMENTS_PAGE_SIZE = 200
BASE_RECENT_FLIGHTS = 50  # a base page lists its latest flights and counts the rest per month
CITED_SHOWN = 12  # "cited by" links listed per source before the rest are counted
SOURCES_PAGE_SIZE = 150
TIMELINE_PAGE_ROWS = 400  # a longer timeline lists its rows on one page per month


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


def chunked(items: list, size: int, first: str, rest: str) -> dict[str, list]:
    """Split items over pages of at most size: first, then rest with {n} = 2, 3, …"""
    return {(first if n == 0 else rest.format(n=n + 1)): items[i:i + size]
            for n, i in enumerate(range(0, max(len(items), 1), size))}


def flight_log(data: Dataset) -> dict[str, list]:
    """Flight-log page → its flights: a page per month, busy months in parts, undated last."""
    by_month: dict[str, list] = defaultdict(list)
    for flight_id, flight in data.flights_in_order():
        by_month[flight_month(flight)].append((flight_id, flight))
    months = sorted(m for m in by_month if m != UNDATED) + ([UNDATED] if UNDATED in by_month else [])
    log: dict[str, list] = {}
    for month in months:
        log.update(chunked(by_month[month], LOG_PAGE_SIZE, f"flights/{month}.md", f"flights/{month}-part-{{n}}.md"))
    return log


def assessment_pages(data: Dataset) -> dict[str, list]:
    """Assessments page(s) → their assessments: current ones first, newest first."""
    ordered = data.assessments_newest_first()
    ordered = [x for x in ordered if x[1].status == "current"] + [x for x in ordered if x[1].status != "current"]
    return chunked(ordered, ASSESSMENTS_PAGE_SIZE, "assessments.md", "assessments-{n}.md")


class Links:
    """Where each fact lives, and relative Markdown links between pages."""

    def __init__(self, data: Dataset):
        self.log = flight_log(data)
        self.assessment_pages = assessment_pages(data)
        self.pages: dict[tuple[str, str], str] = {}
        for base_id in data.bases:
            self.pages[("bases", base_id)] = f"bases/{base_id}.md"
        for path, flights in self.log.items():
            for flight_id, _ in flights:
                self.pages[("flights", flight_id)] = path
        for path, items in self.assessment_pages.items():
            for assessment_id, _ in items:
                self.pages[("assessments", assessment_id)] = path
        self.source_pages = chunked(sorted(data.sources.items()), SOURCES_PAGE_SIZE, "sources.md", "sources-{n}.md")
        for path, items in self.source_pages.items():
            for source_id, _ in items:
                self.pages[("sources", source_id)] = path
        for fact_id in data.events:
            self.pages[("events", fact_id)] = "timeline.md"

    def href(self, from_path: str, kind: str, fact_id: str) -> str:
        """A link from one page to a fact's anchor; base pages are the anchor's page itself."""
        return f"{relative(self.pages[(kind, fact_id)], from_path)}#{anchor(kind, fact_id)}"

    def page(self, from_path: str, target: str) -> str:
        return relative(target, from_path)


@cache
def relative(target: str, from_path: str) -> str:
    """The path of target as seen from the page at from_path (few distinct pairs, so remembered)."""
    return posixpath.relpath(target, posixpath.dirname(from_path) or ".")


def plan(data: Dataset, links: Links | None = None) -> list[Page]:
    """Every generated page, in a stable order."""
    links = links or Links(data)
    log = links.log
    by_country: dict[str, list] = defaultdict(list)
    for base_id, base in sorted(data.bases.items(), key=lambda kv: (kv[1].name.lower(), kv[0])):
        by_country[country_name(base.country)].append((base_id, base))
    route_map, per_day = charts.route_map(data), charts.flights_per_day(data)
    pages = [
        Page("index.md", "overview.md.j2", {"charts": [route_map, per_day]}),
        Page("bases/index.md", "bases_index.md.j2", {"by_country": dict(sorted(by_country.items()))}),
        Page("flights/index.md", "flights_index.md.j2", {"log": [(p, len(f)) for p, f in log.items()],
                                                           "charts": [per_day, route_map]}),
        *timeline_pages(data),
    ]
    source_parts = list(links.source_pages)
    for path, items in links.source_pages.items():
        pages.append(Page(path, "sources.md.j2", {"items": items, "parts": source_parts,
                                                  "part": source_parts.index(path) + 1}))
    parts = list(links.assessment_pages)
    for path, items in links.assessment_pages.items():
        pages.insert(3 if path == "assessments.md" else len(pages), Page(path, "assessments.md.j2", {
            "items": items, "parts": parts, "part": parts.index(path) + 1}))
    for base_id, base in sorted(data.bases.items()):
        own = [(fid, data.flights[fid]) for fid in data.flights_by_base.get(base_id, [])]
        per_month: dict[str, list] = {}
        for fid, flight in own:
            per_month.setdefault(flight_month(flight), [0, links.pages[("flights", fid)]])[0] += 1
        pages.append(Page(f"bases/{base_id}.md", "base.md.j2", {
            "base_id": base_id, "base": base, "flights": own[-BASE_RECENT_FLIGHTS:], "flight_total": len(own),
            "per_month": sorted(per_month.items())}))
    log_paths = list(log)
    for path, flights in log.items():
        month = path.removeprefix("flights/").removesuffix(".md").split("-part-")[0]
        siblings = [p for p in log_paths if p == f"flights/{month}.md" or p.startswith(f"flights/{month}-part-")]
        pages.append(Page(path, "flight_log.md.j2", {"month": month, "flights": flights, "siblings": siblings,
                                                     "part": siblings.index(path) + 1}))
    return pages


def shared_context(data: Dataset) -> dict:
    """What every template may use, beside its own page context."""
    events = timeline(data)
    return {
        "data": data,
        "brief": data.brief,
        "figures": figures.headline(data),
        "route": lambda flight: " → ".join(charts.route_key(data, flight)),
        "cited_shown": CITED_SHOWN,
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
        items += [TimelineItem(o.date, f"Base: {o.status}", "bases", bid) for o in base.observations]
    first_of_day: dict = {}
    for fid, f in data.flights_in_order():
        if f.part_of:
            continue
        if f.when.day:  # day-dated flights are listed per day, linked to the first of them
            entry = first_of_day.setdefault(f.when.day, [f.when, fid, 0, False])
            entry[2] += f.count.number
            entry[3] = entry[3] or f.count.lower_bound
        else:
            items.append(TimelineItem(f.when, f"Flights: {f.count.label()}", "flights", fid))
    items += [TimelineItem(when, f"Flights that day: {'at least ' if lower else ''}{n}", "flights", fid)
              for when, fid, n, lower in first_of_day.values()]
    items += [TimelineItem(a.date, "Assessment", "assessments", aid) for aid, a in data.assessments.items()]
    return sorted((i for i in items if i.when.known), key=lambda i: (i.when.sort_key(), i.kind, i.id, i.detail or ""))


def timeline_pages(data: Dataset) -> list[Page]:
    """The timeline: one page, or an overview page and a page of rows per month when it is long."""
    items = timeline(data)
    chart = charts.timeline(data)
    if len(items) <= TIMELINE_PAGE_ROWS:
        return [Page("timeline.md", "timeline.md.j2", {"charts": [chart], "rows": items, "months": []})]
    by_month: dict[str, list] = defaultdict(list)
    for item in items:
        by_month[item.when.earliest.start.strftime("%Y-%m")].append(item)
    months = [(m, f"timeline-{m}.md", len(rows)) for m, rows in sorted(by_month.items())]
    pages = [Page("timeline.md", "timeline.md.j2", {"charts": [chart], "rows": [], "months": months})]
    pages += [Page(path, "timeline_month.md.j2", {"month": m, "rows": by_month[m]}) for m, path, _ in months]
    return pages


CHARTS = {"route_map": charts.route_map, "flights_per_day": charts.flights_per_day, "timeline": charts.timeline}


def page_context(page: Page, links: Links, shared: dict) -> dict:
    """The full context for one page: shared values plus links relative to this page."""
    return {**shared, **page.context, "page_path": page.path,
            "link": partial(links.href, page.path), "page_link": partial(links.page, page.path)}
