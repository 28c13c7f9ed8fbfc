"""The route map: bases and places as labelled markers, countries known only as countries shaded, and routes along
great circles that stop at a country's border, each counted by the one counting function.

The figure is a Plotly dict like every chart's (charts.py); its labels are placed in the browser, where their size
is known, by assets/brief/brief-maplabels.js, on the site and in the printed edition alike.
"""
from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.facts import counting
from generator.facts.dataset import Dataset
from generator.facts.models import STATUSES, Endpoint
from generator.geo import borders
from generator.geo.places import country_centroid, endpoint_point
from generator.site import present
from generator.site.charts import MAX_TABLE_ROWS, Chart, _figure, route_key

WEIGHTS = ((2, 1), (3, 5), (5, 20), (8, 10**9))  # line width for routes with up to N flights
MAP_ROUTES = 150  # the map draws this many of the busiest routes; the flight log lists every one
AGGREGATE_ROUTES = 40  # past this many routes, ends close to each other are drawn as one area
CLUSTER_KM = 150  # ends closer than this are one area when routes are aggregated
HUBS = 8  # past AGGREGATE_ROUTES, the busiest places named on the map
HOVER_LINE = 44  # characters in a line of a route's hover text, which a phone's screen holds whole
AGGREGATED_DRAWN = 30  # past AGGREGATE_ROUTES, the busiest routes between areas drawn (both ways as one) …
AGGREGATED_SHARE = 8  # … that carry at least an eighth of the busiest one's flights
STATUS_COLOURS = {
    "active": "#2e8b57", "expanding": "#3366cc", "drawing down": "#dc7633", "evacuating": "#c0392b",
    "uncertain": "#b7950b", "inactive": "#7f8c8d", "unknown": "#7f8c8d",
}


@dataclass(frozen=True)
class Spot:
    """Where one end of a route is drawn: a named point (base, airfield, place) or a country's shape."""

    key: str  # what the reader is told: a name, or a country's name with "airfield unknown"
    point: tuple[float, float] | None  # (lat, lon) of a named point; for a country, the centre its label sits at
    country: str | None  # ISO alpha-2, for a country known only as a country
    base: str | None = None  # the base fact drawn here, if any


def _spot(end: Endpoint, data: Dataset) -> Spot | None:
    point = endpoint_point(end, data.bases, exact=True)
    name = present.endpoint(end, data.bases)
    base = end.base if end.base in data.bases else None
    if point:
        return Spot(name, point, None, base)
    country = data.bases[base].country if base else end.country
    centre = country_centroid(country) if country else None
    return Spot(name, centre, country, base) if centre else None


def _clusters(spots: Counter) -> dict[Spot, Spot]:
    """Each named point mapped onto the busiest point within CLUSTER_KM of it, so one area draws as one end."""
    hubs: list[Spot] = []
    merged = {}
    for spot, _ in sorted(spots.items(), key=lambda kv: (-kv[1], kv[0].key)):
        if spot.country:
            merged[spot] = spot
            continue
        near = next((h for h in hubs if borders.distance_km(h.point, spot.point) < CLUSTER_KM), None)
        merged[spot] = near or spot
        if not near:
            hubs.append(spot)
    return merged


@dataclass
class _Route:
    """A route as the map draws it: its flights (the ranking figure), their words, and what it stands for."""

    flights: int
    shown: str
    note: str = ""  # for a member route: the group it is counted in
    routes: int = 1  # how many routes of the facts it draws, once aggregated
    back: int = 0  # once aggregated, the flights of these that went the other way
    via: tuple = ()  # the located stops a route's flights make on the way, drawn through in order


def _routes(data: Dataset) -> tuple[dict[tuple[Spot, Spot], _Route], dict]:
    """Every mappable route from the one count (groups hold their members), and the tracked paths drawn instead."""
    routes: dict[tuple[Spot, Spot], _Route] = {}
    tracked = {"lat": [], "lon": [], "meta": _hover()}  # imported tracks are drawn as flown, not as an arc
    for record in counting.records(data):
        path = data.tracks.get(record.flight.track) if record.flight.track else None
        if path:
            tracked["lat"] += [round(p[0], 3) for p in path] + [None]
            tracked["lon"] += [round(p[1], 3) for p in path] + [None]
            label = f"{' → '.join(route_key(data, record.flight))}: tracked path of {record.id}"
            _add_hover(tracked["meta"], label, len(path))
    drawn_as_tracks = {record.id for record in counting.records(data) if record.flight.track in data.tracks}
    for found in counting.routes(data):
        if set(found.tally.flights) <= drawn_as_tracks:
            continue
        a, b = _spot(found.origin, data), _spot(found.destination, data)
        if a and b and a != b:
            stops = [_spot(stop.endpoint, data) for stop in data.flights[found.tally.flights[0]].stops]
            routes[(a, b)] = _Route(found.tally.certain + found.tally.possible, present.route_count(found, data.bases),
                                    via=tuple(stops) if all(stops) else ())
        for member in found.within:
            ma, mb = _spot(member.origin, data), _spot(member.destination, data)
            if ma and mb and ma != mb and (ma, mb) not in routes:
                group = f"{present.endpoint(found.origin, data.bases)} → {present.endpoint(found.destination, data.bases)}"
                routes[(ma, mb)] = _Route(member.tally.certain + member.tally.possible, present.number_of(member.tally),
                                          f", counted within the {present.number_of(found.tally)} flights {group}")
    return routes, tracked


def _aggregate(routes: dict[tuple[Spot, Spot], _Route]) -> dict[tuple[Spot, Spot], _Route]:
    """Routes between the same areas (ends within CLUSTER_KM of each other) merged into one."""
    ends = Counter()
    for (a, b), route in routes.items():
        ends[a] += route.flights
        ends[b] += route.flights
    onto = _clusters(ends)
    ways: dict[tuple[Spot, Spot], list] = {}  # per pair of areas: flights each way, routes, lower bound
    for (a, b), route in routes.items():
        a, b = onto[a], onto[b]
        if a != b and not route.note:
            pair = tuple(sorted((a, b), key=lambda s: s.key))
            entry = ways.setdefault(pair, [0, 0, 0, False])
            entry[0 if pair[0] == a else 1] += route.flights
            entry[2] += 1
            entry[3] = entry[3] or "at least" in route.shown
    merged: dict[tuple[Spot, Spot], _Route] = {}
    for (a, b), (there, back, count, lower) in ways.items():
        if back > there:  # drawn the way most flights went
            a, b, there, back = b, a, back, there
        least = "at least " if lower else ""
        shown = f"{least}{present.tally(there + back)}"
        if back:
            shown += f" ({least}{present.tally(there)} {a.key} → {b.key}, {present.tally(back)} back)"
        merged[(a, b)] = _Route(there + back, shown, routes=count, back=back)
    return merged


def route_map(data: Dataset, chart_id: str = "route-map", max_routes: int = MAP_ROUTES) -> Chart:
    """Bases and named places as labelled markers, countries known only as countries shaded, and every route drawn
    once along its great circle with an arrow for its direction, ending at a country's border where only the
    country is known. Past AGGREGATE_ROUTES routes, ends within CLUSTER_KM of each other are drawn as one."""
    bases = data.bases
    routes, tracked = _routes(data)
    aggregated = len(routes) > AGGREGATE_ROUTES
    if aggregated:
        routes = _aggregate(routes)
        max_routes = min(max_routes, AGGREGATED_DRAWN)
    ranked = sorted(routes.items(), key=lambda kv: (-kv[1].flights, kv[0][0].key, kv[0][1].key))
    drawn = ranked[:max_routes]
    if aggregated and drawn:  # the routes that carry the traffic; a long tail of one-off routes would hide them
        drawn = [r for r in drawn if r[1].flights * AGGREGATED_SHARE >= drawn[0][1].flights]
    traffic: Counter = Counter()
    for (a, b), route in drawn:
        traffic[a] += route.flights
        traffic[b] += route.flights
    traces, rows, extent = [], [], []
    areas = sorted({s.country for (a, b), _ in drawn for s in (a, b) if s.country}
                   | {b.country for b in bases.values() if not b.location.point() and not aggregated})
    arrows = _arrows()
    traces += [arrows, *_areas(data, bases, areas, extent)]
    bundles: dict[tuple[bool, int], list] = defaultdict(list)  # routes of one weight and style share a trace
    busiest = drawn[0][1].flights if drawn else 1
    for route in drawn:
        weight = (round(1.5 + 4 * route[1].flights / busiest) if aggregated  # relative: every route here is busy
                  else next(w for w, top in WEIGHTS if route[1].flights <= top))
        bundles[(_approximate_spots(*route[0]), weight)].append(route)
    legend: set[bool] = set()
    for (approx, weight), bundle in sorted(bundles.items()):
        traces.append(_route_trace(bundle, approx, weight, extent, approx not in legend, arrows))
        legend.add(approx)
    for (a, b), route in drawn:
        rows.append(("route", f"{a.key} {'⇄' if route.back else '→'} {b.key}", route.shown + route.note + (
            f" on {route.routes} routes" if route.routes > 1 else "")))
    table_rows = min(MAX_TABLE_ROWS, max_routes)
    if len(ranked) > table_rows:
        rest = ranked[table_rows:]
        more = sum(entry.flights for _, entry in rest)
        rows = rows[:table_rows] + [("routes", f"{len(rest)} more routes, not drawn" if len(ranked) > max_routes
                                     else f"{len(rest)} more routes", f"{present.tally(more)}: see the flight log")]
    if tracked["lat"]:
        traces.append({"type": "scattergeo", "mode": "lines", "name": "tracks", "showlegend": False, **tracked,
                       "hoverinfo": "text", "line": {"width": 2, "color": "#b3541e"}})
        rows.append(("tracks", "imported position tracks", str(tracked["lat"].count(None))))
        extent += [(lat, lon) for lat, lon in zip(tracked["lat"], tracked["lon"]) if lat is not None]
    for (a, b), route in drawn:  # a stop is a place on the map too
        for stop in route.via:
            traffic[stop] += 0
    marked = _markers(data, bases, drawn, traffic, aggregated, extent)
    traces += marked[0]
    rows += marked[1]
    traces, rows = _incidents(data, traces, rows, extent)
    layout = {"geo": {**_frame(extent), "showcountries": True, "showland": True, "showocean": True,
                      "resolution": 110, "showframe": False},
              "legend": {"orientation": "h", "y": 0, "yanchor": "top"}, "height": 460,
              "margin": {"l": 0, "r": 0, "t": 10, "b": 10}}
    caption = ("Bases coloured by their latest observed status and named places as squares, each labelled; routes "
               "follow the great circle, with an arrow showing the direction and line weight growing with the "
               "flights; a country known only as a country is shaded, and a route to it ends at its border.")
    if any(t["name"] == "Incident" for t in traces):
        caption += " Crosses mark incidents (crash, damage, strike, seizure, sighting) where they happened."
    if aggregated:
        caption += (f" Ends within {CLUSTER_KM} km of each other are drawn as one, named after the busiest, and both "
                    f"directions as one line (⇄); the {len(drawn)} busiest of {len(ranked)} such routes are drawn"
                    f" (line weight relative to the busiest) and the {min(HUBS, len(traffic))} busiest places named; "
                    "the flight log lists every flight.")
    elif len(ranked) > max_routes:
        caption += f" The {max_routes} busiest of {len(ranked)} routes are drawn; the flight log lists every flight."
    return Chart(chart_id, "Route map", _broken(_figure(traces, layout)), caption, ("What", "Name", "Status or flights"),
                 tuple(rows), geo=True)


def _incidents(data: Dataset, traces: list, rows: list, extent: list) -> tuple[list, list]:
    """Incidents (crash, strike, …) as crosses where they happened, when their base or place is located."""
    found = [(event, endpoint_point(event.where, data.bases, exact=True))
             for _, event in sorted(data.events.items(), key=lambda kv: (kv[1].date.sort_key(), kv[0]))
             if event.kind and event.where]
    found = [(event, point) for event, point in found if point]
    if not found:
        return traces, rows
    labels = [f"{event.title} ({event.kind}, {present.when(event.date)})" for event, _ in found]
    extent += [point for _, point in found]
    traces = [*traces, {"type": "scattergeo", "mode": "markers", "name": "Incident", "text": labels,
                        "lat": [round(p[0], 3) for _, p in found], "lon": [round(p[1], 3) for _, p in found],
                        "marker": {"size": 12, "symbol": "x", "color": "#8e44ad",
                                   "line": {"width": 1, "color": "#ffffff"}},
                        "hovertemplate": "%{text}<extra>Incident</extra>"}]
    rows = [*rows, *(("incident", event.title, f"{event.kind}, {present.when(event.date)}") for event, _ in found)]
    return traces, rows


def _approximate_spots(a: Spot, b: Spot) -> bool:
    return bool(a.country or b.country)


def _route_trace(drawn: list, approx: bool, weight: int, extent: list, legend: bool, arrows: dict) -> dict:
    """Routes of one style and weight as one trace along great circles cut at country borders; each route's arrow,
    at 80% of its way, goes into arrows."""
    lat, lon, hover = [], [], _hover()
    for (a, b), route in drawn:
        stops = [a, *route.via, b]
        path = [point for n, (x, y) in enumerate(zip(stops, stops[1:]))
                for point in borders.between(x.point, y.point, _shape(x), _shape(y))[1 if n else 0:]]
        through = f" via {', then '.join(stop.key for stop in route.via)}" if route.via else ""
        label = f"{a.key} {'⇄' if route.back else '→'} {b.key}{through}, flights: {route.shown}{route.note}"
        if route.routes > 1:
            label += f" on {route.routes} routes between these areas"
        lat += [round(y, 3) for y, _ in path] + [None]
        lon += [round(x, 3) for _, x in path] + [None]
        _add_hover(hover, label, len(path))
        extent += path
        ways = ([(0.8, 1)] if route.flights > route.back else []) + ([(0.2, -1)] if route.back else [])
        for share, way in ways:
            at = round((len(path) - 1) * share)
            at = max(1, min(len(path) - 1, at)) if way == 1 else max(0, min(len(path) - 2, at))
            arrows["lat"].append(round(path[at][0], 3))
            arrows["lon"].append(round(path[at][1], 3))
            arrows["marker"]["size"].append(11 + 2 * weight)
            # Plotly's "north" angles turn counter-clockwise, compass bearings clockwise
            arrows["marker"]["angle"].append(round(-borders.bearing(path[at - way], path[at]) % 360, 1))
    name = "route to or from a country known only as a country" if approx else "route (arrow: direction)"
    return {"type": "scattergeo", "mode": "lines", "name": name, "lat": lat, "lon": lon, "meta": hover,
            "hoverinfo": "text", "showlegend": legend, "legendgroup": name,
            "line": {"width": weight, "color": "#3366cc", "dash": "dot" if approx else "solid"}}


def _hover() -> dict:
    """A line trace's hover text with each line's label written once: text[i] is the hover text of the next
    points[i] points, after which a gap (None) ends the line. The chart script (brief-charts.js) expands it into
    Plotly's per-point text before drawing; sent per point, the label of a long great circle was repeated at each
    of its points and made most of the map's bytes."""
    return {"text": [], "points": []}


def _add_hover(runs: dict, label: str, points: int) -> None:
    """A line's label, in lines of at most HOVER_LINE characters (broken between words), so that its hover box fits
    a phone's screen; the breaks become Plotly's <br> once the text is escaped (route_map)."""
    runs["text"].append("\n".join(textwrap.wrap(label, HOVER_LINE, break_long_words=False, break_on_hyphens=False)))
    runs["points"].append(points)


def _broken(figure: dict) -> dict:
    """The figure with the line breaks of its lines' hover text put in as Plotly's <br>, after escaping."""
    for trace in figure["data"]:
        hover = trace.get("meta")
        if isinstance(hover, dict) and "points" in hover:
            hover["text"] = [text.replace("\n", "<br>") for text in hover["text"]]
    return figure


def _arrows() -> dict:
    """One trace for every route's arrow: Plotly turns "north"-referenced markers only in a map's first trace."""
    return {"type": "scattergeo", "mode": "markers", "name": "direction", "showlegend": False, "lat": [], "lon": [],
            "hoverinfo": "skip", "marker": {"size": [], "angle": [], "symbol": "arrow", "angleref": "north",
                                            "color": "#3366cc"}}


def _shape(spot: Spot) -> tuple:
    return borders.outline(_alpha3(spot.country)) if spot.country else ()


def _alpha3(code: str) -> str:
    import pycountry

    return pycountry.countries.get(alpha_2=code).alpha_3


def _areas(data: Dataset, bases: dict, countries: list[str], extent: list) -> list[dict]:
    """Countries known only as countries: each shaded, and a label saying what is not known there."""
    if not countries:
        return []
    lat, lon, label_lat, label_lon, labels = [], [], [], [], []
    for code in countries:
        centre = country_centroid(code)
        if not centre:
            continue
        for ring in _shape(Spot("", None, code)):
            lat += [round(p[0], 3) for p in ring] + [round(ring[0][0], 3), None]
            lon += [round(p[1], 3) for p in ring] + [round(ring[0][1], 3), None]
        unlocated = [b.name for b in sorted(bases.values(), key=lambda b: b.name)
                     if b.country == code and not b.location.point()]
        label = f"{present.country(code)}, airfield unknown"
        label += "".join(f"\n{name}: somewhere in {present.country(code)}" for name in unlocated[:3])
        label_lat.append(centre[0])
        label_lon.append(centre[1])
        labels.append(label)
        extent.append(centre)
    return [{"type": "scattergeo", "mode": "lines", "fill": "toself", "name": "country known, place within it not",
             "lat": lat, "lon": lon, "hoverinfo": "skip", "fillcolor": "rgba(220,118,51,0.22)",
             "line": {"width": 0.8, "color": "#b3541e"}},
            {"type": "scattergeo", "mode": "markers", "name": "area labels", "showlegend": False, "lat": label_lat,
             "lon": label_lon, "text": labels, "hoverinfo": "skip", "marker": {"size": 1, "opacity": 0},
             "meta": {"labels": "area"}}]  # the label is placed by the map's layout script (brief-maplabels.js)


def _markers(data: Dataset, bases: dict, drawn: list, traffic: Counter, aggregated: bool, extent: list):
    """Base markers by status and named places as squares, each carrying its label and its rank for labelling."""
    rank = {spot.key: i for i, (spot, _) in enumerate(sorted(traffic.items(), key=lambda kv: (-kv[1], kv[0].key)))}
    on_routes = {spot.base for spot in traffic if spot.base}
    traces, rows = [], []
    by_status: dict[str, list] = defaultdict(list)
    for base_id, base in sorted(bases.items()):
        point = base.location.point()
        if point and (not aggregated or base_id in on_routes):
            current = base.current()
            by_status[current.status if current else "unknown"].append((base, point))
    named = max(HUBS, 0) if aggregated else 10**9
    for status in [s for s in STATUSES if s in by_status]:
        items = by_status[status]
        traces.append({"type": "scattergeo", "mode": "markers", "name": f"Base: {status}",
                       "lat": [p[0] for _, p in items], "lon": [p[1] for _, p in items],
                       "text": [b.name for b, _ in items],
                       "marker": {"size": 11, "color": STATUS_COLOURS[status], "line": {"width": 1, "color": "#ffffff"}},
                       "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
                       "meta": {"labels": "point", "rank": [_rank(rank, b.name, named) for b, _ in items]}})
        extent += [p for _, p in items]
        rows += [("base", b.name, status) for b, _ in items] if len(bases) <= MAX_TABLE_ROWS // 2 else [
            ("bases", f"{len(items)} bases", f"{status}: see the bases index")]
    places = sorted((s for s in traffic if not s.base and not s.country), key=lambda s: s.key)
    if places:
        traces.append({"type": "scattergeo", "mode": "markers", "name": "airfield or place",
                       "lat": [s.point[0] for s in places], "lon": [s.point[1] for s in places],
                       "text": [s.key for s in places], "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
                       "marker": {"size": 9, "symbol": "square", "color": "#1f2328", "line": {"width": 1, "color": "#ffffff"}},
                       "meta": {"labels": "point", "rank": [_rank(rank, s.key, named) for s in places]}})
        extent += [s.point for s in places]
    return traces, rows


def _rank(rank: dict, key: str, named: int) -> int:
    """A label's priority (0 first); -1 when it is left to hover, beyond the named few."""
    position = rank.get(key, len(rank))
    return position if position < named else -1


def _frame(extent: list) -> dict:
    """Projection and ranges that show everything drawn with a margin: a route never leaves the frame."""
    if not extent:
        return {"projection": {"type": "natural earth"}}
    lats = [p[0] for p in extent]
    lons = [p[1] for p in extent]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    margin_lat = max(2.0, (north - south) * 0.12)
    margin_lon = max(3.0, (east - west) * 0.12)
    south, north = max(-85.0, south - margin_lat), min(85.0, north + margin_lat)
    west, east = max(-180.0, west - margin_lon), min(180.0, east + margin_lon)
    world = east - west > 200 or north - south > 120
    return {"projection": {"type": "natural earth" if world else "mercator"},
            "lataxis": {"range": [round(south, 2), round(north, 2)]},
            "lonaxis": {"range": [round(west, 2), round(east, 2)]}}
