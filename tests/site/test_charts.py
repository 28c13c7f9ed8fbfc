"""Charts: aggregated from the facts, honest about ranges and lower bounds, inert when embedded."""
import json

import pytest

from generator.site import charts, routemap

from generator.facts import dataset
from tests.trees import flight
from tests.trees import BASE


def load(brief, files):
    return dataset.load(brief(files).data)


def test_flights_per_day_counts_by_route_and_marks_lower_bounds(brief):
    data = load(brief, {
        "data/bases/hmeimim.yml": BASE,
        "data/flights/a.yml": flight("a"),
        "data/flights/b.yml": flight("b", "count: {at_least: 3}\n"),
        "data/flights/c.yml": flight("c").replace("2024-12-14", "{between: [2024-12-08, 2024-12-13]}"),
        "data/flights/d.yml": flight("d").replace("{country: BY}", "{base: hmeimim}"),
    })
    chart = charts.flights_per_day(data)
    bars = {t["name"]: (t["x"], t["y"]) for t in chart.figure["data"] if t["type"] == "bar" and t.get("yaxis") == "y"}
    assert bars == {"Belarus → Libya": (["2024-12-14 12:00"], [4]),  # drawn across the day it stands for
                    "Hmeimim Air Base → Libya": (["2024-12-14 12:00"], [1])}
    assert ("14 Dec 2024", "Belarus → Libya", "at least 4") in chart.rows
    lanes = [t for t in chart.figure["data"] if t.get("yaxis") == "y3"]
    assert [(t["base"], t["x"], t["text"]) for t in lanes] == [(["2024-12-08"], [6 * 86_400_000], ["Belarus → Libya: 1"])]
    assert ("between 8 and 13 Dec 2024", "Belarus → Libya", "1") in chart.rows
    assert chart.figure["layout"]["showlegend"] is True


def test_a_group_dated_to_a_range_is_one_interval_and_its_member_with_a_day_a_bar_on_that_day(example):
    data = dataset.load(example.data)
    chart = charts.flights_per_day(data)
    lanes = next(t for t in chart.figure["data"] if t.get("yaxis") == "y3")
    group = next(text for text in lanes["text"] if text.startswith("Belarus → Libya"))
    assert group == "Belarus → Libya: at least 3, of which 1 to Benghazi, Libya on 14 Dec 2024"
    assert lanes["text"].count(group) == 1 and len(lanes["text"]) == 3  # one lane per range-dated record, no rate
    bars = [t for t in chart.figure["data"] if t.get("yaxis") == "y"]
    assert [(t["name"], t["x"], t["y"]) for t in bars] == [("Belarus → Libya", ["2024-12-14 12:00"], [1])]
    labels = [a["text"] for a in chart.figure["layout"]["annotations"]]
    assert "Assad government falls as rebels take<br>Damascus (8 Dec 2024)" in labels
    assert [s["x0"] for s in chart.figure["layout"]["shapes"]] == ["2024-12-08"]
    assert chart.caption.startswith("Flights per day: each flight with a known day is counted in it")


def test_a_long_span_is_counted_per_week_and_the_table_says_so(brief):
    files = {"data/flights/early.yml": flight("early").replace("2024-12-14", "2024-09-02"),
             "data/flights/late.yml": flight("late", "count: 2\n").replace("2024-12-14", "2025-01-08")}
    chart = charts.flights_per_day(load(brief, files))
    assert chart.columns[0] == "Week"  # no flight here is dated only to a range
    assert ("week of 2 Sept 2024", "Belarus → Libya", "1") in chart.rows or ("week of 2 Sep 2024", "Belarus → Libya", "1") in chart.rows
    assert ("week of 6 Jan 2025", "Belarus → Libya", "2") in chart.rows
    assert chart.caption.startswith("Flights per week (Monday to Sunday, UTC)")


def test_route_map_draws_each_route_once_with_its_count(brief):
    data = load(brief, {
        "data/bases/hmeimim.yml": BASE,
        "data/flights/a.yml": flight("a").replace("{country: BY}", "{base: hmeimim}"),
        "data/flights/b.yml": flight("b").replace("{country: BY}", "{base: hmeimim}"),
    })
    chart = routemap.route_map(data)
    routes = [t for t in chart.figure["data"] if t["name"].startswith("route")]
    assert len(routes) == 1 and routes[0]["line"]["dash"] == "dot"  # Libya: the country only
    assert routes[0]["meta"]["text"] == ["Hmeimim Air Base → Libya (airfield unknown),<br>flights: 2"]  # once per
    # line, broken between words so that its hover box fits a phone
    markers = [t for t in chart.figure["data"] if (t.get("meta") or {}).get("labels") == "point"]
    assert [(m["name"], m["text"]) for m in markers] == [("Base: unknown", ["Hmeimim Air Base"])]
    area = next(t for t in chart.figure["data"] if t.get("fill") == "toself")
    assert area["name"] == "country known, place within it not" and len(area["lat"]) > 20
    labels = next(t for t in chart.figure["data"] if (t.get("meta") or {}).get("labels") == "area")
    assert labels["text"] == ["Libya, airfield unknown"]


def test_a_route_to_a_country_ends_on_its_border_not_inside_it(example):
    import shapely.geometry as geometry

    from generator.geo import borders

    data = dataset.load(example.data)
    chart = routemap.route_map(data)
    libya = geometry.Polygon([(lon, lat) for lat, lon in borders.outline("LBY")[0]])
    ends = []
    for trace in chart.figure["data"]:
        if trace["name"].startswith("route"):
            points = list(zip(trace["lat"], trace["lon"]))
            ends += [points[i - 1] for i, p in enumerate(points) if p == (None, None)]
    to_libya = [(lat, lon) for lat, lon in ends if libya.buffer(0.5).contains(geometry.Point(lon, lat))]
    assert len(to_libya) == 3  # Benghazi, and the two routes to Libya known only as a country
    assert (32.115, 20.069) in to_libya, "the route to Benghazi ends at Benghazi"
    country_ends = [e for e in to_libya if e != (32.115, 20.069)]
    assert all(libya.exterior.distance(geometry.Point(lon, lat)) < 0.002 for lat, lon in country_ends), \
        "a route to Libya known only as a country ends on its border"


def test_every_named_end_has_a_labelled_marker(example):
    data = dataset.load(example.data)
    chart = routemap.route_map(data)
    named = [name for t in chart.figure["data"] if (t.get("meta") or {}).get("labels") == "point" for name in t["text"]]
    assert sorted(named) == ["Benghazi, Libya", "Hmeimim Air Base", "Tartus naval facility"]
    areas = next(t["text"] for t in chart.figure["data"] if (t.get("meta") or {}).get("labels") == "area")
    assert areas == ["Belarus, airfield unknown", "Libya, airfield unknown\nRussian-used air bases in Libya (not named "
                     "in the report): somewhere in Libya"]  # a base known only by its country is shown there


def test_routes_point_their_way_along_the_great_circle():
    from generator.geo import borders

    path = borders.great_circle((53.9, 27.6), (32.1, 20.1))
    assert path[0] == (53.9, 27.6) and all(abs(a - b) < 1e-9 for a, b in zip(path[-1], (32.1, 20.1)))
    assert all(borders.distance_km(a, b) <= borders.STEP_KM for a, b in zip(path, path[1:]))
    assert 190 < borders.bearing((53.9, 27.6), (32.1, 20.1)) < 200  # south by south-west


def test_at_scale_routes_between_the_same_areas_are_one_line_and_the_hubs_are_named(brief):
    moscow = [("UUEE", "Sheremetyevo"), ("UUWW", "Vnukovo")]
    files = {}
    for n in range(routemap.AGGREGATE_ROUTES + 5):  # one-off routes from many airfields to Minsk
        icao = ["EGLL", "LFPG", "EDDF", "LIRF", "LEMD", "EHAM", "EBBR", "LOWW", "LSZH", "EKCH", "ESSA", "ENGM", "EFHK",
                "EPWA", "LKPR", "LHBP", "LROP", "LBSF", "LGAV", "LTFM", "OLBA", "OJAI", "OMDB", "OTHH", "OERK", "HECA",
                "HLLT", "DTTA", "DAAG", "GMMN", "KJFK", "KLAX", "CYYZ", "SBGR", "SAEZ", "FAOR", "HKJK", "VIDP", "ZBAA",
                "RJTT", "YSSY", "WSSS", "VTBS", "RKSI", "NZAA"][n]
        files[f"data/flights/f{n}.yml"] = flight(f"f{n}").replace("{country: BY}", f"{{airfield: {icao}}}").replace(
            "{country: LY}", "{airfield: UMMS}")
    for i, (icao, _) in enumerate(moscow):
        for k in range(10):
            files[f"data/flights/m{i}{k}.yml"] = flight(f"m{i}{k}").replace("{country: BY}", f"{{airfield: {icao}}}").replace(
                "{country: LY}", "{airfield: UMMS}")
    chart = routemap.route_map(load(brief, files))
    routes = [r for r in chart.rows if r[0] == "route"]
    assert routes[0] == ("route", "Sheremetyevo International Airport (UUEE) → Minsk International Airport (UMMS)",
                         "20 on 2 routes")  # Vnukovo is as busy and within 150 km: drawn as one end
    assert "both directions as one line" in chart.caption
    named = [t for t in chart.figure["data"] if (t.get("meta") or {}).get("labels") == "point"]
    assert sorted(n for t in named for n in t["text"]) == ["Minsk International Airport (UMMS)",
                                                         "Sheremetyevo International Airport (UUEE)"]


def test_embedded_figure_cannot_close_its_script_element(brief):
    data = load(brief, {"data/bases/hmeimim.yml": BASE.replace("Hmeimim Air Base", "</script><script>x()</script>")})
    markup = str(charts.embed(routemap.route_map(data)))
    script = markup.split('<script type="application/json" id="route-map-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    names = [t["text"] for t in json.loads(script)["data"] if (t.get("meta") or {}).get("labels") == "point"]
    assert names == [["&lt;/script&gt;&lt;script&gt;x()&lt;/script&gt;"]]


def test_figures_use_the_small_shared_template_only(brief):
    data = load(brief, {"data/flights/a.yml": flight("a")})
    size = len(json.dumps(charts.TEMPLATE))
    assert size < 600
    assert charts.flights_per_day(data).figure["layout"]["template"] == charts.TEMPLATE


def test_every_label_of_every_chart_is_escaped_for_plotly_markup(brief):
    markup = '<a href="https://evil.example/">x</a> & <b>'
    data = load(brief, {
        "data/bases/hmeimim.yml": BASE.replace("Hmeimim Air Base", markup),
        "data/flights/a.yml": flight("a", "count: {at_least: 2}\n").replace("{country: BY}", "{base: hmeimim}"),
        "data/flights/b.yml": flight("b").replace("2024-12-14", "{between: [2024-12-08, 2024-12-13]}").replace(
            "{country: LY}", f"{{place: '{markup}', country: LY}}"),
    })
    escaped = "&lt;a href=\"https://evil.example/\"&gt;x&lt;/a&gt; &amp; &lt;b&gt;"
    for chart in (routemap.route_map(data), charts.flights_per_day(data), charts.timeline(data)):
        labels = [v for t in chart.figure["data"] for key in charts.LABEL_KEYS for v in _strings(t.get(key))]
        assert any(escaped in label for label in labels), chart.id
        assert not any(markup in label for label in labels), chart.id
        assert not any("evil" in t.get("hovertemplate", "") for t in chart.figure["data"]), chart.id


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_chart_draws_only_trace_types_the_served_bundle_registers(brief, example):
    from generator.site.plan import CHARTS

    ranged = flight("c").replace("2024-12-14", "{between: [2024-12-08, 2024-12-13]}")
    datasets = [dataset.load(example.data), load(brief, {"data/bases/hmeimim.yml": BASE, "data/flights/a.yml": flight("a"),
                                                           "data/flights/c.yml": ranged})]
    drawn = {kind for data in datasets for make in CHARTS.values() for kind in charts.trace_types(make(data))}
    assert drawn == {"bar", "scatter", "scattergeo"}
    missing = drawn - charts.bundled_traces()
    assert not missing, f"plotly-brief.min.js lacks {sorted(missing)}: add them to vendor/plotly/entry.js and run build.sh"


def test_bundle_trace_types_are_read_from_the_bundle_itself():
    import plotly
    from pathlib import Path

    full = charts.bundled_traces(Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
    assert {"bar", "scattergeo", "choropleth", "sankey"} <= full and len(full) > 40
    assert charts.bundled_traces() == {"bar", "scatter", "scattergeo"}
    assert charts.plotly_js().stat().st_size < 1_500_000


@pytest.mark.parametrize("counts, ticks", [
    ((1,), {"tick0": 0, "dtick": 1}),
    ((4, 6), {"tick0": 0, "dtick": 1}),  # two routes stacked on one day: 10
    ((6, 5), {}),  # 11: Plotly's own spacing already falls on whole numbers
    ((11,), {}),
])
def test_the_flights_axis_ticks_whole_flights_only(brief, counts, ticks):
    files = {"data/bases/hmeimim.yml": BASE}
    for i, n in enumerate(counts):
        text = flight(f"f{i}", f"count: {n}\n")
        files[f"data/flights/f{i}.yml"] = text.replace("{country: BY}", "{base: hmeimim}") if i else text
    axis = charts.flights_per_day(load(brief, files)).figure["layout"]["yaxis"]
    assert {k: axis[k] for k in ("tick0", "dtick") if k in axis} == ticks


def test_a_tracked_flight_s_hover_text_is_sent_once_for_its_whole_path(brief):
    data = load(brief, {
        "data/bases/hmeimim.yml": BASE,
        "data/flights/a.yml": flight("a", "track: a-track\n").replace("{country: BY}", "{base: hmeimim}"),
        "data/tracks/a-track.json": """
            {"schema": "intelbrief-track/1", "flight": "a", "points": [
              ["2024-12-14T01:00:00Z", 35.40, 35.95, 30000],
              ["2024-12-14T02:00:00Z", 33.85, 29.42, 31000],
              ["2024-12-14T03:00:00Z", 32.10, 20.27, 1000]
            ]}
        """,
    })
    tracks = next(t for t in routemap.route_map(data).figure["data"] if t["name"] == "tracks")
    assert tracks["lat"] == [35.4, 33.85, 32.1, None] and "text" not in tracks
    assert tracks["meta"] == {"text": ["Hmeimim Air Base → Libya (airfield unknown):<br>tracked path of a"],
                              "points": [3]}
