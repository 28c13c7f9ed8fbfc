"""Plotly figures computed from the facts, and the markup that embeds them in a page.

Figures are plain dicts in Plotly's JSON schema with a small shared template, so a page carries
only its own data; plotly.js itself is loaded once, from the site, by brief-charts.js.
Everything is aggregated (routes drawn once with counts, flights counted per day), so chart
size grows with routes and days, not with flights.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from markupsafe import Markup

from generator.facts import counting
from generator.facts.dataset import Dataset
from generator.facts.models import STATUSES, Count, Endpoint
from generator.geo.places import endpoint_point
from generator.site import figures, present
from generator.site.render import attr, cell

TEMPLATE = {
    "layout": {
        "font": {"family": "'IBM Plex Sans', sans-serif", "size": 13},  # the site's own font (assets/brief/fonts)
        "colorway": ["#3366cc", "#dc7633", "#2e8b57", "#9b59b6", "#c0392b", "#17a2b8", "#7f8c8d", "#b7950b"],
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "hoverlabel": {"namelength": -1},
    }
}
WEIGHTS = ((2, 1), (3, 5), (5, 20), (8, 10**9))  # line width for routes with up to N flights
MAX_ROUTES = 8
MAX_LABELLED_ROUTES = 300  # the busiest routes carry hover labels; quieter ones are drawn unlabelled
MAP_ROUTES = 150  # the map draws this many of the busiest routes; the flight log lists every one
MAX_SPANS = 60  # range-dated flights drawn as spans; beyond this, windows are merged and the busiest drawn
LANE_LABELLED = 150  # a timeline lane with more facts than this is drawn as one marker per day with its count
MAX_TABLE_ROWS = 120  # beyond this, a chart's numbers are tabled per month instead of per day
FOCUS_DAYS = 40  # facts dated to a window this short or shorter set the timeline's opening view
STATUS_COLOURS = {
    "active": "#2e8b57", "expanding": "#3366cc", "drawing down": "#dc7633", "evacuating": "#c0392b",
    "uncertain": "#b7950b", "inactive": "#7f8c8d", "unknown": "#7f8c8d",
}


@dataclass(frozen=True)
class Chart:
    """A figure with its caption and the numbers behind it, for readers who cannot see it."""

    id: str
    title: str
    figure: dict
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    geo: bool = False


def _figure(data: list, layout: dict) -> dict:
    """A figure whose every label is escaped for Plotly's markup: the one place chart text is made inert."""
    return {"data": [_labels(trace) for trace in data], "layout": {"template": TEMPLATE, **_labels(layout)}}


# Keys whose strings Plotly draws through its small HTML subset (<a href>, <b>, <br>, <span style>):
# trace and legend names, point and hover text, data shown by hover templates, and every title's text.
LABEL_KEYS = frozenset({"name", "text", "hovertext", "customdata"})


def _labels(node, label: bool = False):
    """node with every string under a label key escaped (& < >), so fact text shows literally in a chart."""
    if isinstance(node, dict):
        return {key: _labels(value, label or key in LABEL_KEYS) for key, value in node.items()}
    if isinstance(node, (list, tuple)):
        return [_labels(item, label) for item in node]
    if label and isinstance(node, str):
        return node.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return node


# ---------------------------------------------------------------- routes


WHOLE_TICKS_UP_TO = 10  # above it Plotly's own tick spacing is already a whole number of flights


def count_ticks(peak: float) -> dict:
    """Axis settings that put ticks on whole numbers only: a chart of flights never reads "0.5"."""
    return {"tick0": 0, "dtick": 1} if peak <= WHOLE_TICKS_UP_TO else {}


def route_key(data: Dataset, flight) -> tuple[str, str]:
    return present.endpoint(flight.origin, data.bases), present.endpoint(flight.destination, data.bases)


def flights_per_day(data: Dataset, flights=None, chart_id: str = "flights-per-day", max_routes: int = MAX_ROUTES) -> Chart:
    """Stacked daily counts for the busiest routes (the rest as one series); range-dated flights as spans."""
    flights = data.top_level() if flights is None else flights
    per_day: dict[str, Counter] = defaultdict(Counter)
    lower: set[tuple[str, str]] = set()
    spans = []
    for fid, flight in flights:
        route = " → ".join(route_key(data, flight))
        day = flight.when.day
        if day:
            per_day[route][day.isoformat()] += flight.count.number
            if flight.count.lower_bound or data.withheld.any("flights"):  # a release may leave flights out
                lower.add((route, day.isoformat()))
        elif flight.when.known:
            spans.append((route, flight))
    busiest = sorted(per_day, key=lambda r: (-sum(per_day[r].values()), r))
    shown = {r: r for r in busiest[:max_routes]}
    if len(busiest) > max_routes:
        other = f"other routes ({len(busiest) - max_routes})"
        shown.update({r: other for r in busiest[max_routes:]})
    series: dict[str, Counter] = defaultdict(Counter)
    marked: set[tuple[str, str]] = set()
    for route, days in per_day.items():
        series[shown[route]].update(days)
        marked |= {(shown[route], d) for (r, d) in lower if r == route}
    traces, rows = [], []
    for name in sorted(series, key=lambda n: (n.startswith("other routes"), n)):
        days = sorted(series[name])
        counts = [series[name][d] for d in days]
        lower_days = [(name, d) in marked for d in days]
        trace = {"type": "bar", "name": name, "x": days, "y": counts,
                 "hovertemplate": "%{x}: %{y} flight(s)<extra>%{fullData.name}</extra>"}
        if any(lower_days):
            trace.update(customdata=[present.tally(c, low).removesuffix(str(c)) for c, low in zip(counts, lower_days)],
                         hovertemplate=trace["hovertemplate"].replace("%{y}", "%{customdata}%{y}"))
        traces.append(trace)
        rows += [(d, name, Count.of(c, low)) for d, c, low in zip(days, counts, lower_days)]
    if len(rows) > MAX_TABLE_ROWS:
        rows = _by_month(rows)
    rows = [(when, route, present.count(n)) for when, route, n in rows]
    if spans:  # every flight known only to a window, as one series of dotted spans
        xs, ys, texts = [], [], []
        drawn, more = _spans(spans)
        for start, end, route, count, shown, label in drawn:
            xs += [start, end, None]
            ys += [count] * 2 + [None]
            texts += [label, label, None]
            rows.append((f"{start} – {end}", route, shown))
        rows += more
        traces.append({"type": "scatter", "mode": "lines+markers", "name": "date known only as a range",
                       "x": xs, "y": ys, "text": texts, "line": {"dash": "dot", "width": 3},
                       "hovertemplate": "%{text}<extra></extra>"})
    stacked = Counter()
    for trace in traces:
        if trace["type"] == "bar":
            stacked.update(dict(zip(trace["x"], trace["y"])))
    peak = max([*stacked.values(), *(y for t in traces if t["type"] != "bar" for y in t["y"] if y is not None)], default=0)
    layout = {"barmode": "stack", "xaxis": {"type": "date", "title": {"text": "Day (UTC)"}},
              "yaxis": {"title": {"text": "Flights"}, "rangemode": "tozero", **count_ticks(peak)},
              "legend": {"orientation": "h", "y": -0.25}, "height": 380}
    caption = "Flights per day by route; dotted spans are flights whose date is known only as a range."
    columns = ("Day or month", "Route", "Flights") if len(rows) and len(rows[0][0]) == 7 else ("Day", "Route", "Flights")
    return Chart(chart_id, "Flights over time", _figure(traces, layout), caption, columns, tuple(rows))


def _spans(spans: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Range-dated flights as (start, end, route, count, count shown, label) to draw, and table rows for those left out.

    Up to MAX_SPANS flights are drawn one by one; more are merged per window and the busiest windows drawn.
    """
    def window(flight):
        return flight.when.earliest.start.date().isoformat(), flight.when.latest.end.date().isoformat()

    if len(spans) <= MAX_SPANS:
        return [(*window(f), route, f.count.number, present.count(f.count),
                 f"{route}: {present.count(f.count)} flight(s), {present.when(f.when)}")
                for route, f in spans], []
    merged: dict[tuple, list] = {}
    for route, flight in spans:
        entry = merged.setdefault(window(flight), [0, False, set()])
        entry[0] += flight.count.number
        entry[1] = entry[1] or flight.count.lower_bound
        entry[2].add(route)
    busiest = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))
    drawn = [(start, end, f"{len(routes)} route(s)", n, present.tally(n, lower),
              f"{start} – {end}, {len(routes)} route(s): {present.tally(n, lower)} flight(s)")
             for (start, end), (n, lower, routes) in sorted(busiest[:MAX_SPANS])]
    rest = busiest[MAX_SPANS:]
    more = [(f"{len(rest)} more windows", "see the flight log", str(sum(v[0] for _, v in rest)))] if rest else []
    return drawn, more


def _by_month(rows: list[tuple]) -> list[tuple]:
    """The same counts summed per month, for a table a reader can take in."""
    totals: dict[tuple[str, str], list] = {}
    for day, route, value in rows:
        entry = totals.setdefault((day[:7], route), [0, False])
        entry[0] += value.number
        entry[1] = entry[1] or value.lower_bound
    return [(month, route, Count.of(n, lower)) for (month, route), (n, lower) in sorted(totals.items())]


def route_map(data: Dataset, flights=None, bases=None, chart_id: str = "route-map") -> Chart:
    """Bases by current status and every route drawn once, with its flight count."""
    flights = data.flights_in_order() if flights is None else flights
    bases = data.bases if bases is None else bases
    routes: dict[tuple, list] = {}
    tracked = {"lat": [], "lon": [], "text": []}  # imported tracks are drawn as flown, not as an arc
    for fid, flight in flights:
        path = data.tracks.get(flight.track) if flight.track else None
        if path:
            tracked["lat"] += [round(p[0], 3) for p in path] + [None]
            tracked["lon"] += [round(p[1], 3) for p in path] + [None]
            tracked["text"] += [f"{' → '.join(route_key(data, flight))}: tracked path of {fid}"] * len(path) + [None]
            continue
        a, b = endpoint_point(flight.origin, data.bases), endpoint_point(flight.destination, data.bases)
        if not a or not b:
            continue
        key = route_key(data, flight)
        entry = routes.setdefault(key, [a, b, 0, False, _approximate(flight.origin, flight.destination)])
        entry[2] += flight.count.number
        entry[3] = entry[3] or flight.count.lower_bound or data.withheld.any("flights")
        if flight.part_of:
            entry.append(flight.part_of)
    bundles: dict[tuple, dict] = {}  # routes of similar weight and style share one trace
    rows = []
    ranked = sorted(routes.items(), key=lambda kv: (-kv[1][2], kv[0]))
    for (origin, destination), (a, b, count, lower, approx, *groups) in ranked[:MAP_ROUTES]:
        label = f"{origin} → {destination}: {present.tally(count, lower)} flight(s)"
        if groups:
            group = data.flights[groups[0]]
            label += f", counted within the {present.count(group.count)} flights {present.route(group, data.bases)}"
        if approx:
            label += " (line drawn to a country's centre: exact airfield unknown)"
        weight = next(w for w, top in WEIGHTS if count <= top)
        bundle = bundles.setdefault((weight, approx), {"lat": [], "lon": [], "text": []})
        bundle["lat"] += [round(a[0], 3), round(b[0], 3), None]
        bundle["lon"] += [round(a[1], 3), round(b[1], 3), None]
        bundle["text"] += [label if len(rows) < MAX_LABELLED_ROUTES else "", "", None]
        rows.append(("route", f"{origin} → {destination}", present.tally(count, lower)))
    table_rows = min(MAX_TABLE_ROWS, MAP_ROUTES)
    if len(ranked) > table_rows:
        rest = ranked[table_rows:]
        flights = sum(entry[2] for _, entry in rest)
        rows = rows[:table_rows] + [("routes", f"{len(rest)} more routes, not drawn" if len(ranked) > MAP_ROUTES
                                     else f"{len(rest)} more routes", f"{flights}: see the flight log")]
    traces = [{"type": "scattergeo", "mode": "lines", "name": "routes", "showlegend": False,
               "lat": bundle["lat"], "lon": bundle["lon"], "text": bundle["text"], "hoverinfo": "text",
               "line": {"width": weight, "color": "#3366cc", "dash": "dot" if approx else "solid"}}
              for (weight, approx), bundle in sorted(bundles.items())]
    if tracked["lat"]:
        traces.append({"type": "scattergeo", "mode": "lines", "name": "tracks", "showlegend": False, **tracked,
                       "hoverinfo": "text", "line": {"width": 2, "color": "#b3541e"}})
        rows.append(("tracks", "imported position tracks", str(tracked["lat"].count(None))))
    by_status: dict[str, list] = defaultdict(list)
    for base_id, base in sorted(bases.items()):
        point = base.location.point()
        if point:
            current = base.current()
            by_status[current.status if current else "unknown"].append((base, point))
    for status in [s for s in STATUSES if s in by_status]:
        items = by_status[status]
        traces.append({"type": "scattergeo", "mode": "markers+text", "name": f"Base: {status}",
                       "lat": [p[0] for _, p in items], "lon": [p[1] for _, p in items],
                       "text": [b.name for b, _ in items],
                       "textposition": [_label_side(p, bases) for _, p in items],
                       "marker": {"size": 11, "color": STATUS_COLOURS[status], "line": {"width": 1, "color": "#ffffff"}},
                       "hovertemplate": "%{text}<extra>%{fullData.name}</extra>"})
        rows += [("base", b.name, status) for b, _ in items] if len(bases) <= MAX_TABLE_ROWS // 2 else [
            ("bases", f"{len(items)} bases", f"{status}: see the bases index")]
    layout = {"geo": {"projection": {"type": "natural earth"}, "showcountries": True, "showland": True,
                      "showocean": True, "resolution": 110, "fitbounds": "locations", "showframe": False},
              "legend": {"orientation": "h", "y": -0.05}, "height": 460, "margin": {"l": 0, "r": 0, "t": 10, "b": 10}}
    caption = ("Bases coloured by their latest observed status, and routes drawn once with their flight count; "
               "dotted lines end at a country's centre where only the country is known.")
    if len(ranked) > MAP_ROUTES:
        caption += f" The {MAP_ROUTES} busiest of {len(ranked)} routes are drawn; the flight log lists every flight."
    return Chart(chart_id, "Route map", _figure(traces, layout), caption, ("What", "Name", "Status or flights"),
                 tuple(rows), geo=True)


def _label_side(point: tuple[float, float], bases: dict) -> str:
    """Put a base's name below it when another base sits just north, so close names do not overlap."""
    crowded = any(0 < (other[0] - point[0]) < 1.5 and abs(other[1] - point[1]) < 3
                  for other in (b.location.point() for b in bases.values()) if other)
    return "bottom center" if crowded else "top center"


def _approximate(*ends: Endpoint) -> bool:
    return any(not (e.base or e.airfield or e.coordinates) for e in ends)


def timeline(data: Dataset, chart_id: str = "timeline") -> Chart:
    """Every dated fact on one time axis; flights aggregated per day."""
    lanes: dict[str, list] = defaultdict(list)
    for event in data.events.values():
        lanes["Events"].append((event.date, event.title))
    for base in data.bases.values():
        for obs in base.observations:
            lanes["Base observations"].append((obs.date, f"{base.name}: {obs.status}"))
    for assessment in data.assessments.values():
        lanes["Assessments"].append((assessment.date, assessment.title))
    for when, label in flight_days(data):
        lanes["Flights"].append((when, label))
    traces, rows, focus = [], [], []
    for lane in ("Events", "Base observations", "Flights", "Assessments"):
        xs, ys, texts, spans = [], [], [], set()
        dated = [(w, label) for w, label in sorted(lanes[lane], key=lambda i: (i[0].sort_key(), i[1])) if w.known]
        for when, label in dated:
            start, end = when.earliest.start, when.latest.end
            if end - start > timedelta(days=1):
                spans.add((start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")))
            if end - start <= timedelta(days=FOCUS_DAYS):
                focus += [start, end]
            rows.append((when, lane, label))
        for x, text in (_per_day(dated, lane) if len(dated) > LANE_LABELLED else _each(dated)):
            xs.append(x)
            ys.append(lane)
            texts.append(text)
        span_x = [x for start, end in sorted(spans) for x in (start, end, None)]
        span_y = [lane if x else None for x in span_x]
        if span_x:
            traces.append({"type": "scatter", "mode": "lines", "x": span_x, "y": span_y, "showlegend": False,
                           "hoverinfo": "skip", "line": {"width": 6, "color": "rgba(120,120,120,0.35)"}})
        if xs:
            traces.append({"type": "scatter", "mode": "markers", "name": lane, "x": xs, "y": ys, "text": texts,
                           "hovertemplate": "%{text}<extra></extra>", "marker": {"size": 10}})
    rows = _lanes_by_month(rows) if len(rows) > MAX_TABLE_ROWS else [(present.when(w), lane, label) for w, lane, label in rows]
    xaxis = {"type": "date"}
    if focus:  # open on the period the precisely dated facts cover; a double-click shows everything
        pad = timedelta(days=2)
        xaxis["range"] = [(min(focus) - pad).strftime("%Y-%m-%d"), (max(focus) + pad).strftime("%Y-%m-%d")]
    layout = {"xaxis": xaxis, "yaxis": {"type": "category", "automargin": True}, "showlegend": False, "height": 320}
    caption = ("Dated facts by kind; grey bars show the window of facts dated only to a range, the marker its middle. "
               "The view opens on the precisely dated facts: double-click the chart to see the whole span.")
    return Chart(chart_id, "Timeline", _figure(traces, layout), caption, ("When", "Kind", "What"), tuple(rows))


def _middle(when) -> str:
    start, end = when.earliest.start, when.latest.end
    return (start + (end - start) / 2).strftime("%Y-%m-%d %H:%M")


def _each(dated: list[tuple]) -> list[tuple[str, str]]:
    """One marker per fact, at the middle of its window, labelled with its date and what it is."""
    return [(_middle(when), f"{present.when(when)}: {label}") for when, label in dated]


def _per_day(dated: list[tuple], lane: str) -> list[tuple[str, str]]:
    """One marker per day at noon, labelled with how many facts of the lane fall on it (by their middle)."""
    days = Counter(_middle(when)[:10] for when, _ in dated)
    noun = lane.lower() if lane != "Flights" else "flight entries (a day's flights, or flights dated to a window)"
    return [(f"{day} 12:00", f"{day}: {n} {noun}") for day, n in sorted(days.items())]


def _lanes_by_month(rows: list[tuple]) -> list[tuple]:
    """Timeline rows counted per month and kind, for a table a reader can take in; the month pages list each."""
    months = Counter((when.earliest.start.strftime("%Y-%m"), lane) for when, lane, _ in rows)
    return [(month, lane, f"{n} dated facts") for (month, lane), n in sorted(months.items())]


def flight_days(data: Dataset) -> list[tuple]:
    """Flights for a timeline: one entry per day for day-dated flights, one per flight dated to a range."""
    entries = [(r.flight.when, f"{present.route(r.flight, data.bases)}: {present.record_count(data, r.id, noun=True)}")
               for r in counting.records(data) if r.flight.when.known and not r.flight.when.day]
    entries += [(figures.day_when(p.start), present.flights(p.tally._replace(possible=0)))
                for p in counting.periods(data, "day") if p.tally.certain]
    return entries


# ---------------------------------------------------------------- embedding


def figure_json(chart: Chart) -> str:
    """Deterministic JSON that cannot end the script element it sits in; traces get fixed ids, not random ones."""
    figure = {**chart.figure, "data": [{**trace, "uid": f"{chart.id}-{i}"} for i, trace in enumerate(chart.figure["data"])]}
    raw = json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def embed(chart: Chart) -> Markup:
    """The chart as page markup: plot, caption, and its numbers as a table (HTML, kept out of the search index)."""
    head = "".join(f"<th>{attr(c)}</th>" for c in chart.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>\n" for row in chart.rows)
    table = (f"<table data-search-exclude>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n" if chart.rows
             else "<p>No dated data to show yet.</p>\n")
    return Markup(
        f'<figure class="brief-chart" id="{chart.id}">\n'
        f'<div class="brief-plot" data-figure="{chart.id}-data" data-geo="{str(chart.geo).lower()}"></div>\n'
        f'<script type="application/json" id="{chart.id}-data">{figure_json(chart)}</script>\n'
        f"<figcaption>{attr(chart.caption)}</figcaption>\n"
        f"</figure>\n\n"
        f'<details class="info">\n<summary>The numbers behind: {attr(chart.title)}</summary>\n{table}</details>\n\n'
    )


PLOTLY_JS = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "plotly-brief.min.js"


def plotly_js() -> Path:
    """The site's plotly.js: a partial bundle holding only the trace types these charts draw."""
    return PLOTLY_JS


@cache
def bundled_traces(bundle: Path = PLOTLY_JS) -> frozenset[str]:
    """The trace types a plotly.js bundle registers, read from the bundle itself."""
    return frozenset(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle.read_text(encoding="utf-8")))


def trace_types(chart: Chart) -> set[str]:
    """The plotly.js trace types a chart draws."""
    return {trace.get("type", "scatter") for trace in chart.figure["data"]}


def world_map_js() -> bytes:
    """The base map as a script, so charts draw from file:// where fetching JSON is not allowed."""
    topo = (Path(__file__).resolve().parent.parent / "assets" / "vendor" / "world_110m.json").read_bytes()
    return b"window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};window.PlotlyGeoAssets.topojson.world_110m=" + topo + b";\n"
