"""Charts and the map draw the facts: traces, points and routes counted in the page match the data."""
import json

import pytest

from generator.site.charts import route_key
from generator.geo.places import endpoint_point

CHART_PAGES = ["index.html", "flights/index.html", "timeline.html", "narrative.html", "sourcing.html"]
DRAWN = """els => els.map(el => ({
    figure: el.getAttribute('data-figure'), state: el.getAttribute('data-drawn'),
    points: el.data.map(t => (t.x || t.lat || []).length), svg: el.querySelectorAll('g.trace').length}))"""


@pytest.mark.parametrize("rel", CHART_PAGES)
def test_each_chart_draws_the_figure_embedded_in_its_page(reader, site_url, rel):
    page = reader.open(site_url + rel)
    drawn = page.eval_on_selector_all(".brief-plot", DRAWN)
    assert drawn, f"{rel} has no chart"
    for plot in drawn:
        figure = json.loads(page.eval_on_selector(f"#{plot['figure']}", "s => s.textContent"))
        assert plot["state"] == "true"
        assert plot["points"] == [len(t.get("x") or t.get("lat") or []) for t in figure["data"]]
        assert plot["svg"] >= len(figure["data"])


def top_level_dated(facts):
    return [f for _, f in facts.flights_in_order() if not f.part_of and f.when.day]


def test_flights_chart_stacks_every_flight_with_a_known_day(reader, site_url, facts):
    page = reader.open(site_url + "flights/index.html")
    bars = page.eval_on_selector("#flights-per-day-chart .brief-plot",
                                 "el => el.data.filter(t => t.type === 'bar').flatMap(t => t.y)")
    drawn_bars = page.eval_on_selector_all("#flights-per-day-chart .brief-plot .bars .point path", "ps => ps.length")
    assert sum(bars) == sum(f.count.number for f in top_level_dated(facts))
    assert drawn_bars == len(bars)


def test_the_flights_axis_reads_in_whole_flights(reader, site_url):
    page = reader.open(site_url + "flights/index.html")
    ticks = page.eval_on_selector_all("#flights-per-day-chart .ytick text", "ts => ts.map(t => t.textContent)")
    assert ticks == ["0", "1", "2", "3"]  # the example's busiest day or span is the group of at least 3


def test_timeline_marks_every_event_observation_and_assessment(reader, site_url, facts):
    page = reader.open(site_url + "timeline.html")
    lanes = page.eval_on_selector("#timeline-chart .brief-plot", """el => Object.fromEntries(el.data
        .filter(t => t.mode === 'markers').map(t => [t.name, t.x.length]))""")
    assert lanes["Events"] == sum(1 for e in facts.events.values() if e.date.known)
    assert lanes["Assessments"] == sum(1 for a in facts.assessments.values() if a.date.known)
    assert lanes["Base observations"] == sum(1 for b in facts.bases.values() for o in b.observations if o.date.known)
    # a marker per day a flight is known to (a group's member too: the Benghazi flight on 14 Dec), and one per record
    # dated only to a range
    assert lanes["Flights"] == len({f.when.day for f in facts.flights.values() if f.when.day}) + sum(
        1 for _, f in facts.flights_in_order() if not f.part_of and not f.when.day and f.when.known)


def test_the_map_draws_every_route_once_and_every_located_base(reader, site_url, facts):
    page = reader.open(site_url + "index.html")
    routes = {route_key(facts, f) for _, f in facts.flights_in_order()
              if endpoint_point(f.origin, facts.bases) and endpoint_point(f.destination, facts.bases)}
    located = [b for b in facts.bases.values() if b.location.point()]
    plot = "#route-map-chart .brief-plot"
    segments = page.eval_on_selector(plot, """el => el.data.filter(t => t.mode === 'lines')
        .reduce((n, t) => n + t.lat.filter(v => v !== null).length / 2, 0)""")
    markers = page.eval_on_selector(plot, "el => el.data.filter(t => t.mode !== 'lines').flatMap(t => t.text)")
    drawn_markers = page.eval_on_selector_all(f"{plot} .scattergeo .point", "ps => ps.length")
    drawn_lines = page.eval_on_selector_all(f"{plot} .scattergeo path.js-line", "ps => ps.length")
    land = page.eval_on_selector_all(f"{plot} path.land, {plot} .countries path", "ps => ps.length")
    assert routes and segments == len(routes)
    assert sorted(markers) == sorted(b.name for b in located) and drawn_markers == len(located)
    assert drawn_lines >= 1 and land > 0, "the routes and the site's own base map were drawn"


def test_every_chart_has_a_caption_and_its_numbers_in_a_table(reader, site_url):
    for rel in CHART_PAGES:
        page = reader.open(site_url + rel)
        figures = page.eval_on_selector_all("figure.brief-chart", """fs => fs.map(f => {
            const details = f.nextElementSibling;
            return [f.querySelector('figcaption').innerText.length, details.tagName,
                    details.querySelector('summary').innerText, details.querySelectorAll('table tbody tr').length]; })""")
        assert figures, rel
        for caption, tag, summary, rows in figures:
            assert caption > 20 and tag == "DETAILS" and summary.startswith("The numbers behind") and rows > 0, rel


RESERVED = """els => els.map(el => ({reserved: el.style.minHeight, box: el.getBoundingClientRect().height,
    height: JSON.parse(document.getElementById(el.getAttribute('data-figure')).textContent).layout.height,
    state: el.getAttribute('data-drawn')}))"""


def test_a_chart_is_drawn_when_it_comes_into_view_in_the_space_kept_for_it(reader, site_url):
    """On a phone the overview's charts are below the screen: plotly.js is not even loaded until the reader gets
    there, and each chart's figure height is kept from the start, so drawing it moves nothing."""
    from tests.browser.conftest import PHONE

    page = reader.page
    page.set_viewport_size(PHONE)
    asked = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    page.goto(site_url + "index.html")
    page.wait_for_load_state("networkidle")
    before = page.eval_on_selector_all(".brief-plot", RESERVED)
    assert [p["state"] for p in before] == [None, None] and "plotly.min.js" not in asked
    assert [p["reserved"] for p in before] == [f"{p['height']}px" for p in before]
    assert all(p["box"] == p["height"] for p in before)
    page.locator("#route-map-chart").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#route-map-chart .brief-plot').getAttribute('data-drawn')")
    after = page.eval_on_selector_all(".brief-plot", RESERVED)
    assert after[0]["state"] == "true" and after[0]["box"] == before[0]["box"]
    assert asked.count("plotly.min.js") == 1 and asked.count("world_110m.js") == 1
