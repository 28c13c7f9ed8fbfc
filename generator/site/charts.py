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
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from markupsafe import Markup

from generator import words
from generator.facts import counting
from generator.facts.dataset import Dataset
from generator.facts.models import Endpoint
from generator.site import figures, present, svgchart
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
MAX_ROUTES = 8
MAX_LANES = 12  # range-dated records drawn as lanes; beyond this, records with the same range are merged
MAX_EVENTS = 3  # context events marked on the flights chart, each label on a row of its own above it
WEEKLY_AFTER_DAYS = 92  # flights spanning longer than this are counted per week, not per day
LANE_LABELLED = 150  # a timeline lane with more facts than this is drawn as one marker per day with its count
MAX_TABLE_ROWS = 120  # beyond this, a chart's numbers are tabled per month instead of per day
FOCUS_DAYS = 40  # facts dated to a window this short or shorter set the timeline's opening view


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


def route_key(data: Dataset, flight) -> tuple[str, ...]:
    """The names of the places a flight went through, origin first: a route is drawn and counted by these."""
    return tuple(present.endpoint(point, data.bases) for point in flight.points())


def _period_start(day: date, unit: str) -> date:
    return day - timedelta(days=day.weekday()) if unit == "week" else day


def _placements(data: Dataset, unit: str) -> tuple[dict, list]:
    """Where each record's flights are drawn: {(route, period): flights} for flights surely in one period (a day, or
    a week past WEEKLY_AFTER_DAYS), counted on their group's route; and the records dated to a longer range, each
    drawn as one interval. The same rules as the one count (counting.py), so the periods add up to its totals."""
    placed: dict[tuple[str, date], list] = defaultdict(lambda: [0, False])
    ranged = []
    for record in counting.records(data):
        window = counting.days(record.flight)
        if window is None:
            continue
        route = _short_route(data, record.flight.origin, record.flight.destination)
        start, end = (_period_start(d, unit) for d in window)
        if start != end:
            ranged.append((route, record))
        if start == end:
            entry = placed[(route, start)]
            entry[0] += record.flight.count.number
            entry[1] = entry[1] or record.flight.count.lower_bound
            continue
        for _, member in record.members:
            inside = counting.days(member)
            if inside and _period_start(inside[0], unit) == _period_start(inside[1], unit):
                entry = placed[(route, _period_start(inside[0], unit))]
                entry[0] += 1
                entry.append(record.id)  # a member of a range-dated group: drawn on its day, counted in its group
    return placed, ranged


def flights_per_day(data: Dataset, chart_id: str = "flights-per-day", max_routes: int = MAX_ROUTES,
                    max_lanes: int = MAX_LANES) -> Chart:
    """Flights on their known day (or week, for a long span), by route; below, each flight or group dated only to
    a range as one labelled interval in its own lane; key context events as labelled vertical marks."""
    spans = [counting.days(r.flight) for r in counting.records(data) if r.flight.when.known]
    unit = "week" if spans and (max(e for _, e in spans) - min(s for s, _ in spans)).days > WEEKLY_AFTER_DAYS else "day"
    totals = {p.start: p.tally for p in counting.periods(data, unit) if p.tally.certain}
    placed, ranged = _placements(data, unit)
    ranking = [_short_route(data, r.origin, r.destination) for r in counting.routes(data)]
    with_days = {route for route, _ in placed}
    named = [r for r in ranking if r in with_days][:max_routes]
    others = len(ranking) - len(named)
    stacked = len(ranking) <= max_routes  # few routes: one stacked bar per period; many: the total, routes apart
    traces, rows = [], []
    withheld = data.withheld.any("flights")  # a release left flights out: any count here may be higher
    periods = sorted(totals)
    width = 0.8 * 86_400_000 * (7 if unit == "week" else 1)  # set, as bars of another panel share the time axis
    noun = "Day (UTC)" if unit == "day" else "Week (UTC, starting Monday)"
    if stacked:
        for route in named:
            xs = [d for d in periods if (route, d) in placed]
            ys = [placed[(route, d)][0] for d in xs]
            traces.append({"type": "bar", "name": _wrapped(route), "x": [_centre(d, unit) for d in xs], "y": ys, "width": width,
                           "xaxis": "x", "yaxis": "y", "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"})
            rows += [(_period_label(d, unit), route, present.tally(placed[(route, d)][0], placed[(route, d)][1] or withheld) + (
                ", one of the group dated only to a range below" if len(placed[(route, d)]) > 2 else "")) for d in xs]
        rest = [(d, totals[d].certain - sum(placed[(r, d)][0] for r in named if (r, d) in placed)) for d in periods]
        rest = [(d, n) for d, n in rest if n > 0]
        if rest:
            name = f"other routes ({words.number(others)})"
            traces.append({"type": "bar", "name": name, "x": [_centre(d, unit) for d, _ in rest], "y": [n for _, n in rest],
                           "width": width, "xaxis": "x", "yaxis": "y", "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"})
            rows += [(_period_label(d, unit), name, present.tally(n, withheld)) for d, n in rest]
    else:
        traces.append({"type": "bar", "name": "all flights", "x": [_centre(d, unit) for d in periods],
                       "y": [totals[d].certain for d in periods], "xaxis": "x", "yaxis": "y", "width": width,
                       "marker": {"color": "#7f8c8d"}, "hovertemplate": "%{x}: %{y}<extra>all flights</extra>"})
        rows += [(_period_label(d, unit), "all routes", present.tally(totals[d].certain, totals[d].at_least or withheld))
                 for d in periods]
        for route in named:
            traces.append({"type": "scatter", "mode": "lines", "name": _wrapped(route), "x": [_centre(d, unit) for d in periods],
                           "y": [placed[(route, d)][0] if (route, d) in placed else 0 for d in periods],
                           "xaxis": "x", "yaxis": "y2", "line": {"width": 1.6},
                           "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"})
    if len(rows) > MAX_TABLE_ROWS:
        rows = _by_month(rows)
    lanes, lane_rows, ranges = _lanes(data, ranged, max_lanes)
    traces += lanes
    rows += lane_rows
    events, in_period = _event_marks(data, spans)
    spread = (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None
    layout = _panels(traces, stacked, len(lanes) and len(lanes[0]["y"]), noun, events, spread)
    drawn = [t for t in traces if t.get("showlegend", True)]
    layout["showlegend"] = bool(drawn)  # the bars' routes are named in the legend, even when there is one
    per = "day" if unit == "day" else "week (Monday to Sunday, UTC)"
    caption = (f"Flights per {per}: each flight with a known {unit} is counted in it"
               + (", stacked by route (the busiest routes named, the rest together)" if stacked and len(drawn) > 1 else "")
               + ("" if stacked else f"; the total above, and below, on their own scale, the {len(named)} busiest routes")
               + ". " + ("A flight or group of flights dated only to a range is one bar across its range, in a lane of its "
                         "own, labelled with its route and count (never spread as a rate per day). " if lanes else "")
               + (f"The {len(lane_rows)} busiest of {ranges} date ranges are drawn. " if lanes and ranges > len(lane_rows)
                  else "")
               + ("Vertical lines mark context events. " if events and in_period == len(events) else
                  f"Vertical lines mark the {len(events)} earliest of the {in_period} context events in this period. "
                  if events else "")
               + ("Counts given only as a lower bound say \"at least\"." if any("at least" in str(r[2]) for r in rows) else ""))
    period = "Month" if rows and len(str(rows[0][0])) <= 8 else noun.split(" ")[0]
    columns = (period + (" or date range" if lane_rows else ""), "Route", "Flights")
    figure = _figure(traces, layout)
    for note in figure["layout"]["annotations"]:  # line breaks, put in once the text is escaped
        note["text"] = note["text"].replace("\n", "<br>")
    for trace in figure["data"]:
        trace["name"] = trace["name"].replace("\n", "<br>")
    return Chart(chart_id, "Flights over time", figure, caption.strip(), columns, tuple(rows))


def _short_route(data: Dataset, origin: Endpoint, destination: Endpoint) -> str:
    """A route as a chart's label names it: a country known only as a country by its name alone."""
    def end(e: Endpoint) -> str:
        only_country = e.country and not (e.base or e.airfield or e.place)
        return present.country(e.country) if only_country else present.endpoint(e, data.bases)
    return f"{end(origin)} → {end(destination)}"


LABEL_LINE = 40  # characters on one line of a chart's label, so it fits a phone's width


def _wrapped(text: str) -> str:
    """text broken between words into lines of at most LABEL_LINE characters (joined by newlines, made <br> once
    the figure's labels are escaped)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > LABEL_LINE:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _centre(day: date, unit: str) -> str:
    """Where a period's bar stands on the time axis: the middle of its day or week."""
    return (datetime.combine(day, datetime.min.time()) + timedelta(days=3.5 if unit == "week" else 0.5)).strftime(
        "%Y-%m-%d %H:%M")


def _period_label(day: date, unit: str) -> str:
    return words.day(day) if unit == "day" else f"week of {words.day(day)}"


def _lanes(data: Dataset, ranged: list, max_lanes: int = MAX_LANES) -> tuple[list[dict], list[tuple], int]:
    """Range-dated records as one horizontal bar each, in its own lane, labelled with its route and count; past
    max_lanes, records with the same range are merged and the busiest ranges drawn. Also: how many ranges there are."""
    entries = []
    for route, record in ranged:
        first, last = counting.days(record.flight)
        shown = present.record_count(data, record.id)
        entries.append((first, last, route, record.flight.count.number, f"{route}: {shown}"))
    total = len(entries)
    if len(entries) > max_lanes:
        merged: dict[tuple, list] = {}
        for first, last, route, n, _ in entries:
            entry = merged.setdefault((first, last), [0, set()])
            entry[0] += n
            entry[1].add(route)
        total = len(merged)
        busiest = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))[:max_lanes]
        entries = [(first, last, next(iter(routes)) if len(routes) == 1 else "",
                    n, f"{next(iter(routes))}: {words.counted(n, 'flight')}" if len(routes) == 1
                    else f"{words.counted(n, 'flight')} on {words.counted(len(routes), 'route')}")
                   for (first, last), (n, routes) in busiest]
    if not entries:
        return [], [], 0
    entries.sort(key=lambda e: (e[0], e[1], e[4]))
    rows = [(f"between {words.days_between(first, last)}", route or "several routes", label.split(": ", 1)[-1])
            for first, last, route, _, label in entries]
    lanes = [f"lane {i + 1}" for i in range(len(entries))]
    bar = {"type": "bar", "orientation": "h", "name": "dated only to a range", "showlegend": False,
           "xaxis": "x", "yaxis": "y3", "y": lanes,
           "base": [first.isoformat() for first, *_ in entries],
           "x": [((last - first).days + 1) * 86_400_000 for first, last, *_ in entries],
           "text": [label for *_, label in entries], "textposition": "none", "width": 0.4,
           "hovertemplate": "%{text}<extra>dated only to a range</extra>",
           "marker": {"color": "rgba(51,102,204,0.35)", "line": {"color": "#3366cc", "width": 1.5}}}
    return [bar], rows, total


def _event_marks(data: Dataset, spans: list) -> tuple[list[tuple[date, str]], int]:
    """Context events known to the day that fall within the flights' dates: the earliest MAX_EVENTS, which the chart
    marks, and how many there are."""
    if not spans:
        return [], 0
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    marks = sorted((e.date.day, e.title) for e in data.events.values() if e.date.day and first <= e.date.day <= last)
    return marks[:MAX_EVENTS], len(marks)


def _panels(traces: list, stacked: bool, lanes: int, noun: str, events: list, spread: tuple | None) -> dict:
    """Axes for the panels drawn: counts on top, the busiest routes on their own scale (past MAX_ROUTES routes),
    one lane per range-dated record below, sharing one time axis; vertical marks for events across them all."""
    count_h, routes_h, lanes_h = 190, (0 if stacked else 150), (lanes * 52 + 10 if lanes else 0)
    gap = 46
    total = count_h + routes_h + lanes_h + gap * (bool(routes_h) + bool(lanes_h))
    top = 1.0
    layout = {"barmode": "stack", "bargap": 0.25, "height": total + 150,
              "margin": {"l": 60, "r": 20, "t": 6 + 30 * len(events) if events else 20, "b": 40},
              "legend": {"orientation": "h", "y": -72 / (total + 80), "yanchor": "top"}}  # below the time axis' title
    domain = [top - count_h / total, top]
    layout["yaxis"] = {"domain": domain, "title": {"text": "Flights", "standoff": 10}, "automargin": True,
                       "rangemode": "tozero", **count_ticks(_stack_peak(traces, "y"))}
    top = domain[0] - gap / total
    if routes_h:
        domain = [top - routes_h / total, top]
        layout["yaxis2"] = {"domain": domain, "anchor": "x", "title": {"text": "Busiest routes", "standoff": 10},
                            "automargin": True, "rangemode": "tozero",
                            **(count_ticks(_stack_peak(traces, "y2")) if _stack_peak(traces, "y2") <= 5 else {})}
        top = domain[0] - gap / total
    if lanes_h:
        layout["yaxis3"] = {"domain": [max(0.0, top - lanes_h / total), top], "anchor": "x", "showticklabels": False,
                            "autorange": "reversed", "title": {"text": ""}, "fixedrange": True}
    layout["xaxis"] = {"type": "date", "anchor": "y3" if lanes_h else ("y2" if routes_h else "y"),
                       "title": {"text": noun, "standoff": 8}, "automargin": True}
    annotations, shapes = [], []
    bar = next((t for t in traces if t.get("yaxis") == "y3"), None)
    if bar:  # each lane's label above its bar
        for lane, text in zip(bar["y"], bar["text"]):  # at the plot's left edge, so no label runs off either side
            annotations.append({"x": 0, "y": lane, "xref": "paper", "yref": "y3", "text": _wrapped(text),
                                "showarrow": False, "xanchor": "left", "yanchor": "bottom", "yshift": 8,
                                "font": {"size": 12}, "align": "left"})
    for row, (day, title) in enumerate(events):  # a row of its own each, so no two labels meet at any width
        late = spread and (day - spread[0]).days > (spread[1] - spread[0]).days / 2
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": day.isoformat(), "x1": day.isoformat(),
                       "y0": 0, "y1": 1, "line": {"color": "#c0392b", "width": 1.5, "dash": "dash"}})
        annotations.append({"x": day.isoformat(), "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                            "xanchor": "right" if late else "left", "yshift": 2 + 30 * row, "showarrow": False,
                            "font": {"size": 11}, "align": "right" if late else "left",
                            "text": _wrapped(f"{title} ({words.day(day)})")})
    if spread:
        layout["xaxis"]["range"] = [(spread[0] - timedelta(days=1)).isoformat(), (spread[1] + timedelta(days=2)).isoformat()]
    layout["annotations"], layout["shapes"] = annotations, shapes
    return layout


def _stack_peak(traces: list, axis: str) -> int:
    """The highest value an axis shows: a stacked bar's total, or a line's top."""
    stacked: Counter = Counter()
    peak = 0
    for trace in traces:
        if trace.get("yaxis") != axis:
            continue
        if trace["type"] == "bar":
            stacked.update(dict(zip(trace["x"], trace["y"])))
        else:
            peak = max([peak, *trace["y"]])
    return max([peak, *stacked.values()])


def _by_month(rows: list[tuple]) -> list[tuple]:
    """The same counts summed per month, for a table a reader can take in."""
    totals: dict[tuple[str, str], list] = {}
    for label, route, value in rows:
        day = _parse_label(label)
        entry = totals.setdefault((day.strftime("%Y-%m"), route), [0, False])
        entry[0] += int(re.search(r"[\d,]+", value).group().replace(",", ""))  # "1", "at least 1,234", "1, one of …"
        entry[1] = entry[1] or value.startswith("at least")
    return [(words.month(month), route, present.tally(n, lower)) for (month, route), (n, lower) in sorted(totals.items())]


def _parse_label(label: str) -> date:
    return datetime.strptime(label.removeprefix("week of "), "%d %b %Y").date()


def timeline(data: Dataset, chart_id: str = "timeline") -> Chart:
    """Every dated fact on one time axis; flights aggregated per day."""
    lanes: dict[str, list] = defaultdict(list)
    for event in data.events.values():
        if event.kind:
            lanes["Incidents"].append((event.date, f"{event.kind}: {event.title}"))
        else:
            lanes["Events"].append((event.date, event.title))
    for base in data.bases.values():
        for obs in base.observations:
            lanes["Base observations"].append((obs.date, f"{base.name}: {obs.status}" if obs.status else base.name))
    for assessment in data.assessments.values():
        lanes["Assessments"].append((assessment.date, assessment.title))
    for when, label in flight_days(data):
        lanes["Flights"].append((when, label))
    traces, rows, focus = [], [], []
    for lane in ("Events", "Incidents", "Base observations", "Flights", "Assessments"):
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
    if focus:  # open on the period the precisely dated facts cover; a double-click (interactive) shows all
        pad = timedelta(days=2)
        xaxis["range"] = [(min(focus) - pad).strftime("%Y-%m-%d"), (max(focus) + pad).strftime("%Y-%m-%d")]
    layout = {"xaxis": xaxis, "yaxis": {"type": "category", "automargin": True}, "showlegend": False, "height": 320}
    caption = ("Dated facts by kind; grey bars show the window of facts dated only to a range, the marker its middle. "
               "The view opens on the precisely dated facts; in the interactive chart, a double-click shows the whole span.")
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
    height = chart.figure["layout"].get("height")
    # the figure's height is kept in the markup, so the first paint (before any script runs) already leaves its room
    reserved = f' style="min-height: {height:g}px"' if isinstance(height, (int, float)) and height > 0 else ""
    drawn = static(chart) if reserved else ""
    control = ('<button type="button" class="brief-interact">Interactive chart</button>'
               if drawn else "")  # the interactive chart is drawn (plotly.js loaded) only when the reader asks for it
    return Markup(
        f'<figure class="brief-chart" id="{chart.id}-chart">\n'
        f'<div class="brief-plot" data-figure="{chart.id}-data" data-geo="{str(chart.geo).lower()}"{reserved}'
        f'{" data-search-exclude" if drawn else ""}>{drawn}</div>\n'
        f'<script type="application/json" id="{chart.id}-data">{figure_json(chart)}</script>\n'
        f"<figcaption>{attr(chart.caption)}{' ' + control if control else ''}</figcaption>\n"
        f"</figure>\n\n"
        f'<details class="info">\n<summary>The numbers behind: {attr(chart.title)}</summary>\n{table}</details>\n\n'
    )


def static(chart: Chart) -> str:
    """The chart drawn at build time (svgchart), at a desktop's and a phone's width, for the page to show until the
    reader asks for the interactive chart; nothing for a map or the source graph (svgchart.drawable), which plotly.js
    draws when they come into view."""
    if chart.geo or not svgchart.drawable(chart.figure):
        return ""
    label = f"{chart.title}: {chart.caption}"
    return "".join(svgchart.draw(chart.figure, width, label, f"brief-static brief-static-{name}")[0]
                   for name, width in (("wide", svgchart.WIDE), ("narrow", svgchart.NARROW)))


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
