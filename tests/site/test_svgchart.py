"""The charts' first drawing, made at build time: the figure's own data, readable labels that never meet, inert text."""
import re
import xml.etree.ElementTree as ET

import pytest

from generator.facts import counting, dataset
from generator.site import charts, routemap, sourcegraph, svgchart
from tests.trees import BASE, flight

SVG = "{http://www.w3.org/2000/svg}"


def drawn(chart, width=svgchart.WIDE):
    """The chart's drawing at width, parsed as XML (so it is well-formed), and its text boxes."""
    markup, boxes = svgchart.draw(chart.figure, width, f"{chart.title}: {chart.caption}")
    return ET.fromstring(markup), boxes


def texts(svg) -> list[str]:
    return [" ".join("".join(t.itertext()).split()) if not list(t) else " ".join(s.text for s in t)
            for t in svg.iter(f"{SVG}text")]


def test_the_flights_chart_draws_each_known_day_with_its_count_from_the_facts(example):
    data = dataset.load(example.data)
    chart = charts.flights_per_day(data)
    days = {p.start: p.tally.certain for p in counting.periods(data, "day") if p.tally.certain}
    for width in (svgchart.WIDE, svgchart.NARROW):
        svg, _ = drawn(chart, width)
        count_traces = [i for i, t in enumerate(chart.figure["data"]) if t.get("yaxis") == "y"]
        bars = [float(r.get("data-y")) for g in svg.iter(f"{SVG}g") if g.get("data-trace") in map(str, count_traces)
                for r in g.iter(f"{SVG}rect")]
        assert sum(bars) == sum(days.values()) == 1  # the Benghazi flight on 14 Dec; the group of 3 is a lane
        lanes = [r for g in svg.iter(f"{SVG}g") if g.get("data-trace") == "1" for r in g.iter(f"{SVG}rect")]
        assert len(lanes) == 3  # one interval per record dated only to a range
        shown = " | ".join(texts(svg))
        assert "Belarus → Libya: at least 3, of which 1" in shown and "Hmeimim Air Base → unknown: 1" in shown
        assert "Assad government falls as rebels take" in shown and "Day (UTC)" in shown and "Flights" in shown
        assert "Belarus → Libya" in texts(svg)  # the legend names the route of the bars
        assert svg.get("role") == "img" and svg.get("aria-label").startswith("Flights over time: Flights per day")
        assert float(svg.get("height")) == chart.figure["layout"]["height"]  # the interactive chart's own height


def test_the_timeline_draws_every_dated_fact_of_its_view_in_its_lane(example):
    data = dataset.load(example.data)
    chart = charts.timeline(data)
    svg, _ = drawn(chart)
    low, high = (svgchart.ms(v) for v in chart.figure["layout"]["xaxis"]["range"])
    for i, trace in enumerate(chart.figure["data"]):
        if trace.get("mode") != "markers":
            continue
        inside = {x for x in trace["x"] if low <= svgchart.ms(x) <= high}  # facts on one spot share its marker
        circles = [c for g in svg.iter(f"{SVG}g") if g.get("data-trace") == str(i) for c in g.iter(f"{SVG}circle")]
        assert len(circles) == len(inside) > 0, trace["name"]
    events = sum(1 for e in data.events.values() if e.date.known)
    assert events == len(next(t for t in chart.figure["data"] if t.get("name") == "Events")["x"])
    assert {"Events", "Flights", "Assessments", "Base observations"} <= set(texts(svg))


def busy(brief):
    """A brief with many routes over months, ranges and three context events: every panel, lane and legend row."""
    places = ["Hmeimim Air Base", "Benghazi", "Minsk", "Tartus", "Vnukovo", "Bamako", "Khartoum", "Tobruk", "Sochi",
              "Al Khadim"]
    files = {"data/bases/hmeimim.yml": BASE}
    for i in range(40):
        day = f"2024-{9 + i % 4:02d}-{1 + (i * 7) % 27:02d}"
        text = flight(f"f{i}", f"count: {1 + i % 5}\n").replace("2024-12-14", day).replace(
            "{country: LY}", f"{{place: '{places[i % 10]} {places[(i * 3) % 10]} Airport', country: LY}}")
        files[f"data/flights/f{i}.yml"] = text
    for i in range(6):
        files[f"data/flights/r{i}.yml"] = flight(f"r{i}").replace(
            "2024-12-14", f"{{between: [2024-{9 + i % 3:02d}-0{1 + i}, 2024-{10 + i % 3:02d}-1{i}]}}").replace(
            "{country: LY}", f"{{place: 'Ranged place number {i} with a long name', country: LY}}")
    for i, day in enumerate(["2024-09-10", "2024-10-02", "2024-12-20"]):
        files[f"data/events/e{i}.yml"] = (f"id: e{i}\ndate: {day}\ntitle: A context event with a title long enough to "
                                          f"wrap on a phone, number {i}\nsummary: S\nsources: [report]\n")
    return dataset.load(brief(files).data)


@pytest.mark.parametrize("width", [svgchart.WIDE, svgchart.NARROW])  # the two widths drawn
def test_no_two_labels_meet_and_none_leaves_the_drawing(brief, example, width):
    data = busy(brief)
    for chart in (charts.flights_per_day(data), charts.timeline(data), charts.flights_per_day(dataset.load(example.data)),
                  charts.timeline(dataset.load(example.data))):
        svg, boxes = drawn(chart, width)
        assert svgchart.overlaps(boxes) == [], (chart.id, width)
        for box in boxes:
            left, top, right, bottom = box.bounds()
            assert 0 <= left and right <= width and 0 <= top and bottom <= float(svg.get("height")), (box.lines, width)


def test_the_busy_chart_names_its_routes_ranges_and_events(brief):
    chart = charts.flights_per_day(busy(brief))
    shown = " ".join(texts(drawn(chart, svgchart.NARROW)[0]))
    assert "A context event with a title long enough" in shown and "Ranged place number" in shown
    assert "Week (UTC, starting Monday)" in shown and "Busiest routes" in shown


def test_hostile_labels_show_literally_and_open_no_element(brief):
    hostile = '<script>alert(1)</script><a href="https://evil.example/">x</a> & "q"'
    data = dataset.load(brief({
        "data/bases/hmeimim.yml": BASE.replace("Hmeimim Air Base", hostile),
        "data/flights/a.yml": flight("a").replace("{country: BY}", "{base: hmeimim}"),
        "data/flights/b.yml": flight("b").replace("2024-12-14", "{between: [2024-12-08, 2024-12-13]}").replace(
            "{country: BY}", "{base: hmeimim}"),
        "data/events/e.yml": f"id: e\ndate: 2024-12-10\ntitle: '{hostile}'\nsummary: S\nsources: [report]\n",
    }).data)
    for chart in (charts.flights_per_day(data), charts.timeline(data)):
        markup = charts.static(chart)
        assert "<script" not in markup and "<a " not in markup and "evil.example/\"" not in markup
        for part in re.findall(r"<svg.*?</svg>", markup):
            svg = ET.fromstring(part)
            assert {el.tag for el in svg.iter()} <= {f"{SVG}{t}" for t in
                                                      ("svg", "g", "rect", "line", "polyline", "circle", "text", "tspan",
                                                       "clipPath")}
            if chart.id == "flights-per-day":  # the event's mark is labelled (the timeline names facts on hover only)
                assert any(t.startswith('<script>alert(1)</script><a href="https://evil.example/">x</a>')
                           for t in texts(svg)), texts(svg)


def test_a_map_and_the_source_graph_have_no_drawing_made_at_build_time_and_the_same_figure_the_same_bytes(example):
    data = dataset.load(example.data)
    assert charts.static(routemap.route_map(data)) == ""
    assert charts.static(sourcegraph.context(data)["source_graph"]) == ""  # labelled nodes: plotly.js draws it
    chart = charts.flights_per_day(data)
    assert charts.static(chart) == charts.static(charts.flights_per_day(dataset.load(example.data)))
    markup = str(charts.embed(chart))
    assert markup.count("<svg") == 2 and "brief-static-wide" in markup and "brief-static-narrow" in markup
    assert '<button type="button" class="brief-interact">Interactive chart</button>' in markup
