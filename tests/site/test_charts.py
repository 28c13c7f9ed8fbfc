"""Charts: aggregated from the facts, honest about ranges and lower bounds, inert when embedded."""
import json

import pytest

from generator.site import charts

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
    bars = {t["name"]: (t["x"], t["y"]) for t in chart.figure["data"] if t["type"] == "bar"}
    assert bars == {"Belarus (airfield unknown) → Libya (airfield unknown)": (["2024-12-14"], [4]),
                    "Hmeimim Air Base → Libya (airfield unknown)": (["2024-12-14"], [1])}
    assert ("2024-12-14", "Belarus (airfield unknown) → Libya (airfield unknown)", "at least 4") in chart.rows
    spans = [t for t in chart.figure["data"] if t["type"] == "scatter"]
    assert [(s["x"], s["y"]) for s in spans] == [(["2024-12-08", "2024-12-13", None], [1, 1, None])]


def test_route_map_draws_each_route_once_with_its_count(brief):
    data = load(brief, {
        "data/bases/hmeimim.yml": BASE,
        "data/flights/a.yml": flight("a").replace("{country: BY}", "{base: hmeimim}"),
        "data/flights/b.yml": flight("b").replace("{country: BY}", "{base: hmeimim}"),
    })
    chart = charts.route_map(data)
    routes = [t for t in chart.figure["data"] if t["mode"] == "lines"]
    assert len(routes) == 1
    assert routes[0]["lat"][0] == 35.401 and routes[0]["line"]["dash"] == "dot"  # Libya: country centre only
    assert routes[0]["text"][0].startswith("Hmeimim Air Base → Libya (airfield unknown): 2 flights")
    markers = [t for t in chart.figure["data"] if t["mode"] == "markers+text"]
    assert [(m["name"], m["text"]) for m in markers] == [("Base: unknown", ["Hmeimim Air Base"])]


def test_embedded_figure_cannot_close_its_script_element(brief):
    data = load(brief, {"data/bases/hmeimim.yml": BASE.replace("Hmeimim Air Base", "</script><script>x()</script>")})
    markup = str(charts.embed(charts.route_map(data)))
    script = markup.split('<script type="application/json" id="route-map-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    names = [t["text"] for t in json.loads(script)["data"] if t.get("mode") == "markers+text"]
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
    for chart in (charts.route_map(data), charts.flights_per_day(data), charts.timeline(data)):
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
