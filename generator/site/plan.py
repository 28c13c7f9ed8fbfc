"""Which pages the brief has, where each fact is shown, and how pages link to each other."""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, partial

from generator import words
from generator.facts import counting
from generator.facts.dataset import Dataset
from generator.facts.models import KINDS, When
from generator.site import analytic, charts, figures, present, routemap, sourcegraph
from generator.site.render import anchor
from generator.site.standin import StandIn

UNDATED = "undated"
MONTH_KEY = re.compile(r"\d{4}-\d{2}")
LOG_PAGE_SIZE = 100  # flight-log records per page: a busy month is split into parts
ASSESSMENTS_PAGE_SIZE = 25
BASE_RECENT_FLIGHTS = 50  # a base page lists its latest flights and counts the rest per month
CITED_SHOWN = 12  # "cited by" links listed per source before the rest are counted
SOURCES_PAGE_SIZE = 50
BOTTOM_LINE_SHOWN = 6  # the overview leads with this many of the brief's own judgments, the rest a link away
ROUTES_PAGE_SIZE = 400  # routes per page of the route index
SOURCING_ROWS = 50  # judgments or sources tabled per page of the Sourcing page, once it has more than one page
BASES_PAGE_SIZE = 50  # bases per page of the bases list (a country is never split): a phone lays out each page fast
TIMELINE_PAGE_ROWS = 400  # a longer timeline lists its rows on one page per month
TIMELINE_PART_ROWS = 1000  # a month's rows per page (about 230 KB): a busier month is split into parts
RECENT_ROWS = 8  # the overview's most recent dated facts
INDICATORS_PAGE = "indicators.md"


@dataclass(frozen=True)
class Page:
    """One generated Markdown page: where it goes, its template and what it shows."""

    path: str
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Part:
    """One page of a list split over several: its path, title words, and its place among its siblings."""

    path: str
    name: str  # "2024-12", "assessments"
    number: int  # 1-based
    of: int
    items: list = field(hash=False, compare=False)

    @property
    def title(self) -> str:
        """'Dec 2024' or 'Dec 2024, part 2' (a month in the reader's date style), 'Assessments, part 2'."""
        name = words.month(self.name) if MONTH_KEY.fullmatch(self.name) else self.name
        return name if self.of == 1 else f"{name}, part {self.number}"


def split(items: list, size: int, name: str, first: str, rest: str) -> list[Part]:
    """Items over pages of at most size: first, then rest with {n} = 2, 3, …"""
    starts = range(0, max(len(items), 1), size)
    return [Part(first if n == 0 else rest.format(n=n + 1), name, n + 1, len(starts), items[i:i + size])
            for n, i in enumerate(starts)]


def flight_month(flight) -> str:
    """The flight-log month a flight is listed in: the month of its earliest possible time."""
    when = flight.when
    return when.earliest.start.strftime("%Y-%m") if when.known else UNDATED


def flight_log(data: Dataset) -> list[Part]:
    """The flight log: a page per month, busy months in parts, undated last."""
    by_month: dict[str, list] = defaultdict(list)
    for flight_id, flight in data.flights_in_order():
        by_month[flight_month(flight)].append((flight_id, flight))
    months = sorted(m for m in by_month if m != UNDATED) + ([UNDATED] if UNDATED in by_month else [])
    return [part for month in months for part in split(by_month[month], LOG_PAGE_SIZE, month, f"flights/{month}.md",
                                                         f"flights/{month}-part-{{n}}.md")]


def assessment_pages(data: Dataset) -> list[Part]:
    """Assessments pages: current ones first, each group in the one order of judgments (key first, then newest)."""
    ordered = present.judgment_order(list(data.assessments.items()))
    ordered = [x for x in ordered if x[1].status == "current"] + [x for x in ordered if x[1].status != "current"]
    return split(ordered, ASSESSMENTS_PAGE_SIZE, "Assessments", "assessments.md", "assessments-{n}.md")


class Links:
    """Where each fact lives, and relative Markdown links between pages."""

    def __init__(self, data: Dataset):
        self.log = flight_log(data)
        self.assessment_pages = assessment_pages(data)
        self.source_pages = split(sorted(data.sources.items()), SOURCES_PAGE_SIZE, "Sources", "sources.md",
                                  "sources-{n}.md")
        self.pages: dict[tuple[str, str], str] = {("bases", base_id): f"bases/{base_id}.md" for base_id in data.bases}
        for kind, parts in (("flights", self.log), ("assessments", self.assessment_pages), ("sources", self.source_pages)):
            for part in parts:
                self.pages.update(((kind, fact_id), part.path) for fact_id, _ in part.items)
        self.pages.update((("events", fact_id), "timeline.md") for fact_id in data.events)
        self.pages.update((("indicators", fact_id), INDICATORS_PAGE) for fact_id in data.indicators)

    def href(self, from_path: str, kind: str, fact_id: str) -> str:
        """A link from one page to a fact's anchor; base pages are the anchor's page itself."""
        return f"{relative(self.pages[(kind, fact_id)], from_path)}#{anchor(kind, fact_id)}"

    def detail(self, from_path: str, flight_id: str) -> str:
        """A link to a flight's detailed entry below its month's table."""
        return f"{relative(self.pages[('flights', flight_id)], from_path)}#detail-{flight_id}"

    def page(self, from_path: str, target: str) -> str:
        return relative(target, from_path)

    def html_href(self, from_path: str, kind: str, fact_id: str) -> str:
        """href() for project-written HTML, which the site engine passes through as it is."""
        return as_html(self.href(from_path, kind, fact_id))

    def html_detail(self, from_path: str, flight_id: str) -> str:
        return as_html(self.detail(from_path, flight_id))

    def html_page(self, from_path: str, target: str) -> str:
        return as_html(relative(target, from_path))


def as_html(href: str) -> str:
    """A link to a generated page as the built site names it: page.md#anchor → page.html#anchor."""
    path, hash_, fragment = href.partition("#")
    return path.removesuffix(".md") + ".html" + hash_ + fragment


@cache
def relative(target: str, from_path: str) -> str:
    """The path of target as seen from the page at from_path (few distinct pairs, so remembered): the way from
    folder to folder is found once per pair of folders, the file's name put after it."""
    folder, _, name = target.rpartition("/")
    if name in ("", ".", ".."):
        return posixpath.relpath(target, posixpath.dirname(from_path) or ".")
    way = _between(folder or ".", posixpath.dirname(from_path) or ".")
    return name if way == "." else f"{way}/{name}"


@cache
def _between(folder: str, start: str) -> str:
    return posixpath.relpath(folder, start)


def plan(data: Dataset, links: Links | None = None) -> list[Page]:
    """Every generated page, in a stable order: the pages that sum up facts, then those that list them one by one."""
    links = links or Links(data)
    return [*summary_pages(data, links), *fact_pages(data, links, data.bases)]


def summary_pages(data: Dataset, links: Links) -> list[Page]:
    """The pages that sum up many facts: the overview, the lists of bases and flights, the timeline, the routes,
    the Sourcing page and the indicators."""
    route_map, per_day = chart(data, "route_map"), chart(data, "flights_per_day")
    return [
        Page("index.md", "overview.md.j2", {"charts": [route_map, per_day]}),
        *bases_index_pages(data),
        Page("flights/index.md", "flights_index.md.j2", {"log": links.log, "log_rows": log_rows(data, links.log),
                                                         "charts": [per_day, route_map]}),
        *timeline_pages(data),
        *route_pages(data, links),
        *sourcing_pages(data),
        Page(INDICATORS_PAGE, "indicators.md.j2"),
    ]


def fact_pages(data: Dataset, links: Links, bases=()) -> list[Page]:
    """The pages that list facts one by one, as plan gives them: the assessments, the sources and the flight log, whose
    contexts come from where each fact lives alone, and the pages of these bases."""
    return [*assessments_pages(links), *sources_pages(links),
            *[Page(f"bases/{base_id}.md", "base.md.j2", base_context(data, links, base_id))
              for base_id in sorted(bases) if base_id in data.bases],
            *log_pages(links)]


def assessments_pages(links: Links) -> list[Page]:
    return [Page(p.path, "assessments.md.j2", {"part": p, "parts": links.assessment_pages,
                                               "groups": present.by_status(p.items)}) for p in links.assessment_pages]


def sources_pages(links: Links) -> list[Page]:
    return [Page(p.path, "sources.md.j2", {"part": p, "parts": links.source_pages}) for p in links.source_pages]


def log_pages(links: Links) -> list[Page]:
    pages = []
    for part in links.log:
        siblings = [p for p in links.log if p.name == part.name]
        pages.append(Page(part.path, "flight_log.md.j2", {"part": part, "parts": siblings, "flights": part.items,
                                                          "aboard": present.aboard(part.items)}))
    return pages


def log_rows(data: Dataset, log: list[Part]) -> list[tuple]:
    """The flight log's pages as (title, path, records listed, flights in that month): a month's flights counted
    once (a flight dated to a range inside the month counts in it, one whose range crosses months possibly), on the
    row of its first page."""
    per_month = {p.start.strftime("%Y-%m"): present.number_of(p.tally) for p in counting.periods(data, "month")}
    undated = [r for r in counting.records(data) if not r.flight.when.known]  # summed in one pass, not pair by pair
    per_month[UNDATED] = present.number_of(counting.Tally(
        sum(r.flight.count.number for r in undated), 0, any(r.flight.count.lower_bound for r in undated),
        tuple(dict.fromkeys(r.id for r in undated))))
    return [(part.title, part.path, words.number(len(part.items)),
             per_month.get(part.name, "0") if part.number == 1 else "see part 1") for part in log]


def route_pages(data: Dataset, links: Links) -> list[Page]:
    """The route index: every route once, busiest first, with its flights (by the one counting function; a group's
    members named with another route shown inside it) and the flight-log months that list its records."""
    first_page: dict[str, str] = {}
    month_of: dict[str, str] = {}  # flight id → the month of the log that lists it
    for part in links.log:
        first_page.setdefault(part.name, part.path)
        month_of.update((fid, part.name) for fid, _ in part.items)
    members = {r.id: [mid for mid, _ in r.members] for r in counting.records(data)}
    rows = []
    for found in counting.routes(data):
        months = {month_of[fid] for rid in found.tally.flights for fid in (rid, *members[rid]) if fid in month_of}
        rows.append((present.endpoint(found.origin, data.bases) + " → " + present.endpoint(found.destination, data.bases),
                     present.route_count(found, data.bases),
                     [(Part("", m, 1, 1, []).title, first_page[m]) for m in sorted(months, key=_month_order)]))
    parts = split(rows, ROUTES_PAGE_SIZE, "Routes", "flights/routes.md", "flights/routes-{n}.md")
    # the rows again as a plain value: the preview compares it, so a changed count renders the page again
    return [Page(p.path, "routes.md.j2", {"part": p, "parts": parts, "rows": list(p.items)}) for p in parts]


def sourcing_pages(data: Dataset) -> list[Page]:
    """The Sourcing page, one page while its tables hold SOURCING_ROWS rows or fewer together; past that in parts:
    the introduction and the first judgments; the other judgments SOURCING_ROWS a page; the findings; then the
    source graph with the first sources, and the other sources (sourcing.md, sourcing-2.md, …)."""
    found = sourcing_context(data)
    judged, sources = found["judgment_rows"], found["source_rows"]
    if len(judged) + len(sources) <= SOURCING_ROWS:
        return [Page(sourcegraph.PAGE, "sourcing.md.j2")]
    cuts = [("judgments", i) for i in range(0, max(len(judged), 1), SOURCING_ROWS)] + [("findings", 0)]
    cuts += [("sources", i) for i in range(0, len(sources), SOURCING_ROWS)]
    parts = split(cuts, 1, "Sourcing", sourcegraph.PAGE, "sourcing-{n}.md")
    graph = next((p for p in parts if p.items[0] == ("sources", 0)), parts[-1])
    findings = next(p for p in parts if p.items[0] == ("findings", 0))
    pages = []
    for part in parts:
        kind, start = part.items[0]
        rows = judged if kind == "judgments" else sources
        shown = rows[start:start + SOURCING_ROWS]
        sections = (("intro", "judgments") if part.number == 1 else (kind,)) + (
            ("graph",) if part is graph and sources else ())
        context = {"part": part, "parts": parts, "sections": sections, "graph_part": graph, "findings_part": findings,
                   "judgments_tabled": len(judged), "sources_tabled": len(sources)}
        if kind == "judgments" and shown:
            context.update(judgment_rows=shown, rows_shown=(start + 1, start + len(shown)))
        elif kind == "sources":
            context.update(source_rows=shown, sources_shown=(start + 1, start + len(shown)))
        pages.append(Page(part.path, "sourcing.md.j2", context))
    return pages


def sourcing_context(data: Dataset) -> dict:
    """sourcegraph.context, worked out once for these facts (every page's context and the Sourcing page's parts),
    as the charts are."""
    return data.remember(("sourcing context",), lambda: sourcegraph.context(data))


def bases_index_pages(data: Dataset) -> list[Page]:
    """The bases list, countries in alphabetical order, over pages of about BASES_PAGE_SIZE bases: bases/index.md,
    then bases-2.md, … (outside bases/, where every name but index is a base's page)."""
    groups: list[list] = [[]]
    for country, items in bases_by_country(data).items():
        if groups[-1] and sum(len(i) for _, i in groups[-1]) + len(items) > BASES_PAGE_SIZE:
            groups.append([])
        groups[-1].append((country, items))
    parts = [Part("bases/index.md" if n == 0 else f"bases-{n + 1}.md", "Bases", n + 1, len(groups), group)
             for n, group in enumerate(groups)]
    return [Page(p.path, "bases_index.md.j2", {"by_country": dict(p.items), "part": p, "parts": parts}) for p in parts]


def bases_by_country(data: Dataset) -> dict[str, list]:
    """Country name → its bases by name, countries in alphabetical order."""
    by_country: dict[str, list] = defaultdict(list)
    for base_id, base in sorted(data.bases.items(), key=lambda kv: (kv[1].name.lower(), kv[0])):
        by_country[present.country(base.country)].append((base_id, base))
    return dict(sorted(by_country.items()))


def _month_order(name: str) -> tuple:
    return (name == UNDATED, name)


def base_context(data: Dataset, links: Links, base_id: str) -> dict:
    """A base page: the base, its latest flights, its flights counted once per month, and why none when none."""
    base = data.bases[base_id]
    own = [(fid, data.flights[fid]) for fid in data.flights_by_base.get(base_id, [])]
    counted = counting.count_flights(data, base=base_id)
    months = counting.periods(data, "month", base=base_id)
    per_month = [(words.month(p.start), present.number_of(p.tally), links.pages[("flights", p.tally.flights[0])])
                 for p in months]
    outside = counted.certain - sum(p.tally.certain for p in months)
    if outside > 0:
        per_month.append(("in no single month (undated, or dated to a range across months)",
                          words.number(outside), links.pages[("flights", counted.flights[-1])]))
    return {"base_id": base_id, "base": base, "flights": own[-BASE_RECENT_FLIGHTS:],
            "flight_total": len(own), "flights_counted": present.flights(counted), "per_month": per_month,
            "why_none": present.no_flights_here(base, counting.country_only(data, base.country)),
            "incidents": [(eid, data.events[eid]) for eid in data.incidents_at.get(base_id, [])]}


def shared_context(data: Dataset, moved: dict | None = None) -> dict:
    """What every template may use, beside its own page context: words and lookups, never the whole dataset.

    The values summed up from many facts (the figures, the timeline, the Sourcing page's tables) are worked out when a
    template first uses them, so that the preview's first pass, which draws only the pages of changed facts, never
    works them out. moved: how judgments moved since the previous edition (ranking.shifts), which the bottom line
    ranks and says."""
    leading = present.bottom_line(data.assessments, moved)
    return {
        "brief": data.brief,
        "facts": Facts(data),
        "figures": Later(lambda: present.headline(figures.headline(data))),
        "route": routes_of(data),
        "endpoint": lambda end: present.endpoint(end, data.bases),
        "cited_shown": CITED_SHOWN,
        "cited_more": present.cited_more,
        "embed": embedded(),
        "chart": lambda name: data.remember(("embedded chart", name), lambda: charts.embed(chart(data, name))),
        "timeline": Later(partial(timeline, data)),
        "recent": Later(lambda: timeline(data)[::-1][:RECENT_ROWS]),
        "bottom_line": leading[:BOTTOM_LINE_SHOWN],
        "bottom_line_total": len(leading),
        "bottom_line_keyed": any(a.key for _, a in leading),
        "bottom_line_moved": {aid: present.shift((moved or {}).get(aid)) for aid, _ in leading[:BOTTOM_LINE_SHOWN]},
        "edition_note": present.edition_note(data.withheld),
        "portions": present.portions_shown(data),
        "no_facts": not (data.sources or data.bases or data.flights or data.assessments or data.events),
        **present.SCALES,
        **{name: Later(partial(_sourcing_value, data, name)) for name in sourcegraph.CONTEXT_NAMES},
        **{name: Later(partial(_analytic_value, data, name)) for name in analytic.CONTEXT_NAMES},
    }


def _analytic_value(data: Dataset, name: str):
    return data.remember(("analytic context",), partial(analytic.context, data))[name]


def _sourcing_value(data: Dataset, name: str):
    return sourcing_context(data)[name]


class Later(StandIn):
    """A value worked out by make() the first time a template uses it, then used as itself."""

    __slots__ = ("_make", "_value")

    def __init__(self, make):
        self._make, self._value = make, Later

    def value(self):
        if self._value is Later:
            self._value = self._make()
        return self._value


def routes_of(data: Dataset):
    """present.route for one generation's pages, each flight's route worked out once."""
    made: dict[int, tuple] = {}

    def route(flight) -> str:
        kept = made.get(id(flight))
        if kept is None or kept[0] is not flight:
            kept = made[id(flight)] = (flight, present.route(flight, data.bases))
        return kept[1]
    return route


class Facts:
    """The lookups templates may make: one fact's words, what cites what; nothing else of the dataset."""

    def __init__(self, data: Dataset):
        self._data = data
        self._titles: dict[tuple[str, str], str] = {}  # a flight's title is asked for on several pages

    def source(self, source_id: str):
        return self._data.sources[source_id]

    def assessment(self, assessment_id: str):
        return self._data.assessments[assessment_id]

    def title(self, kind: str, fact_id: str) -> str:
        found = self._titles.get((kind, fact_id))
        if found is None:
            found = self._titles[(kind, fact_id)] = present.fact_title(self._data, kind, fact_id)
        return found

    def cited_by(self, source_id: str) -> list[tuple[str, str]]:
        return self._data.cited_by.get(source_id, [])

    def citing(self, kind: str, fact_id: str) -> list[str]:
        """Ids of the assessments whose evidence names this fact."""
        return self._data.assessments_citing.get((kind, fact_id), [])

    def flights_at(self, base_id: str) -> str:
        """A base's flights, counted once; for a base no flight names, how many name only its country."""
        base = self._data.bases[base_id]
        return present.base_flights(base, counting.count_flights(self._data, base=base_id),
                                    counting.country_only(self._data, base.country))

    def record_count(self, flight_id: str) -> str:
        return present.record_count(self._data, flight_id)

    def track_positions(self, track_id: str | None) -> int:
        return len(self._data.tracks.get(track_id, [])) if track_id else 0

    def withheld_evidence(self, assessment_id: str) -> str:
        """'Rests in part on 2 withheld items …' for an assessment a release took evidence from."""
        withheld = self._data.withheld
        return present.withheld_evidence(withheld.evidence.get(assessment_id, 0), withheld.label)

    def events(self) -> list:
        """Context events in date order (by the earliest time each could stand for), undated ones last."""
        return sorted(self._data.events.items(), key=lambda kv: (kv[1].date.sort_key(), kv[0]))

    def ach(self, assessment_id: str):
        """The judgment's analysis-of-competing-hypotheses table, or None when it lists no alternatives."""
        return analytic.ach(self._data, assessment_id)

    def indicators_on(self, assessment_id: str) -> list[tuple[str, str]]:
        """(indicator id, direction) of the indicators bearing on a judgment."""
        return self._data.indicators_on.get(assessment_id, [])

    def exists(self, kind: str, fact_id: str) -> bool:
        """Whether this edition holds the fact (so a link to it lands)."""
        return kind in KINDS and fact_id in self._data.of_kind(kind)

    def fact_summary(self, kind: str, fact_id: str) -> str:
        return present.fact_summary(self._data, kind, fact_id)


@dataclass(frozen=True)
class TimelineItem:
    """One dated fact as the timeline lists it."""

    when: When
    label: str
    kind: str
    id: str
    detail: str | None = None


def timeline(data: Dataset, dated: bool = True) -> list[TimelineItem]:
    """Every dated fact, oldest first (by the earliest time its date could stand for), each flight once: a group
    with its count, and its members dated on their own inside it. Each row says what happened and how surely it
    is dated. dated=False gives the undated facts instead, in the same order of kinds. Made once per dataset (the
    overview, the timeline pages and the shared values all list it)."""
    return data.remember(("timeline", dated), lambda: [i for i in _timeline(data) if i.when.known == dated])


def _timeline(data: Dataset) -> list[TimelineItem]:
    """Every fact's rows in timeline order, dated or not (the two lists are taken from it)."""
    return data.remember(("timeline rows",), lambda: _timeline_rows(data))


def _timeline_rows(data: Dataset) -> list[TimelineItem]:
    items = [TimelineItem(e.date, f"{f'Incident ({e.kind})' if e.kind else 'Event'}, {present.dating(e.date)}", "events", eid)
             for eid, e in data.events.items()]
    for bid, base in data.bases.items():
        items += [TimelineItem(o.date, f"Observation, {present.dating(o.date)}", "bases", bid,
                               f"{o.status}: {o.summary}" if o.status else o.summary)
                  for o in base.observations_in_order()]
    for record in counting.records(data):
        f = record.flight
        noun = "Flight" if f.count.number == 1 and not f.count.lower_bound else "Flights"
        exact = f.count.number == 1 and not f.count.lower_bound
        items.append(TimelineItem(f.when, f"{noun}, {present.dating(f.when)}", "flights", record.id,
                                  None if exact else present.record_count(data, record.id, noun=True)))
        if record.members:
            group = f"one of the {words.counted(f.count.number, 'flight', f.count.lower_bound)} " \
                    f"{present.route(f, data.bases)}, counted there"
            items += [TimelineItem(m.when, f"Flight, {present.dating(m.when)}", "flights", mid, group)
                      for mid, m in record.members]
    items += [TimelineItem(a.date, f"Assessment, {present.dating(a.date)}", "assessments", aid)
              for aid, a in data.assessments.items()]
    order = {"events": 0, "bases": 1, "flights": 2, "assessments": 3}
    return sorted(items, key=lambda i: (i.when.sort_key(), order[i.kind], i.id, i.detail or ""))


def timeline_pages(data: Dataset) -> list[Page]:
    """The timeline: one page, or an overview page and a page of rows per month when it is long."""
    items = timeline(data)
    drawn = chart(data, "timeline")
    if len(items) <= TIMELINE_PAGE_ROWS:
        return [Page("timeline.md", "timeline.md.j2", {"charts": [drawn], "rows": items, "months": [],
                                                        "undated": timeline(data, dated=False)})]
    by_month: dict[str, list] = defaultdict(list)
    for item in items:
        by_month[item.when.earliest.start.strftime("%Y-%m")].append(item)
    parts = {m: split(rows, TIMELINE_PART_ROWS, m, f"timeline-{m}.md", f"timeline-{m}-part-{{n}}.md")
             for m, rows in sorted(by_month.items())}
    months = [(words.month(m), month_parts[0].path, len(by_month[m])) for m, month_parts in parts.items()]
    pages = [Page("timeline.md", "timeline.md.j2", {"charts": [drawn], "rows": [], "months": months,
                                                     "month_parts": {p[0].path: p for p in parts.values()},
                                                     "undated": timeline(data, dated=False)})]
    pages += [Page(part.path, "timeline_month.md.j2", {"month": words.month(m), "part": part, "parts": month_parts,
                                                       "rows": part.items, "total": len(by_month[m])})
              for m, month_parts in parts.items() for part in month_parts]
    return pages


CHARTS = {"route_map": routemap.route_map, "flights_per_day": charts.flights_per_day, "timeline": charts.timeline}


def chart(data: Dataset, name: str) -> charts.Chart:
    """One of the site's charts (CHARTS), drawn once per dataset however many pages show it."""
    return data.remember(("chart", name), lambda: CHARTS[name](data))


def embedded():
    """charts.embed for one generation's pages, each chart's markup made once (a chart is shown on several pages)."""
    made: dict[int, tuple] = {}

    def embed(drawn: charts.Chart):
        kept = made.get(id(drawn))
        if kept is None or kept[0] is not drawn:
            kept = made[id(drawn)] = (drawn, charts.embed(drawn))
        return kept[1]
    return embed


def page_context(page: Page, links: Links, shared: dict) -> dict:
    """The full context for one page: shared values plus links relative to this page."""
    return {**shared, **page.context, "page_path": page.path, "link": partial(links.href, page.path),
            "detail_link": partial(links.detail, page.path), "page_link": partial(links.page, page.path),
            "html_link": partial(links.html_href, page.path), "html_detail": partial(links.html_detail, page.path),
            "html_page": partial(links.html_page, page.path)}
