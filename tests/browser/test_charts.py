"""Charts and the map draw the facts: traces, points and routes counted in the page match the data."""
import html
import json

import pytest

from generator.facts import counting
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


def known_days(facts):
    """The days flights are surely on, and how many flights each: what the chart's day bars draw."""
    return {p.start.isoformat(): p.tally.certain for p in counting.periods(facts, "day") if p.tally.certain}


def test_flights_chart_stacks_every_flight_with_a_known_day(reader, site_url, facts):
    page = reader.open(site_url + "flights/index.html")
    bars = page.eval_on_selector("#flights-per-day-chart .brief-plot",
                                 "el => el.data.filter(t => t.type === 'bar' && t.yaxis === 'y').flatMap(t => t.y)")
    drawn_bars = page.eval_on_selector_all("#flights-per-day-chart .brief-plot .subplot.xy .bars .point path", "ps => ps.length")
    assert sum(bars) == sum(known_days(facts).values()) == 1  # the Benghazi flight, on 14 Dec
    assert drawn_bars == len(bars)


def test_the_flights_axis_reads_in_whole_flights(reader, site_url):
    page = reader.open(site_url + "flights/index.html")
    ticks = page.eval_on_selector_all("#flights-per-day-chart .ytick text", "ts => ts.map(t => t.textContent)")
    assert ticks == ["0", "1"]  # the busiest day has one flight; the group of at least 3 is an interval, not a rate


def test_timeline_marks_every_event_observation_and_assessment(reader, site_url, facts):
    page = reader.open(site_url + "timeline.html")
    lanes = page.eval_on_selector("#timeline-chart .brief-plot", """el => Object.fromEntries(el.data
        .filter(t => t.mode === 'markers').map(t => [t.name, t.x.length]))""")
    assert lanes["Events"] == sum(1 for e in facts.events.values() if e.date.known)
    assert lanes["Assessments"] == sum(1 for a in facts.assessments.values() if a.date.known)
    assert lanes["Base observations"] == sum(1 for b in facts.bases.values() for o in b.observations if o.date.known)
    assert lanes["Flights"] == len(known_days(facts)) + sum(
        1 for r in counting.records(facts) if r.flight.when.known and not r.flight.when.day)


def test_the_map_draws_every_route_once_and_every_located_base(reader, site_url, facts):
    page = reader.open(site_url + "index.html")
    routes = {route_key(facts, f) for _, f in facts.flights_in_order()
              if endpoint_point(f.origin, facts.bases) and endpoint_point(f.destination, facts.bases)}
    located = [b.name for b in facts.bases.values() if b.location.point()]
    plot = "#route-map-chart .brief-plot"
    segments = page.eval_on_selector(plot, """el => el.data.filter(t => t.name.startsWith('route'))
        .reduce((n, t) => n + t.lat.filter(v => v === null).length, 0)""")
    markers = page.eval_on_selector(plot, "el => el.data.filter(t => t.meta && t.meta.labels === 'point').flatMap(t => t.text)")
    drawn_markers = page.eval_on_selector(plot, """el => { const groups = [...el.querySelectorAll('g.trace.scattergeo')];
        return el._fullData.reduce((n, t, i) => n + (t.meta && t.meta.labels === 'point'
            ? groups[i].querySelectorAll('path.point').length : 0), 0); }""")
    drawn_lines = page.eval_on_selector_all(f"{plot} .scattergeo path.js-line", "ps => ps.length")
    land = page.eval_on_selector_all(f"{plot} path.land, {plot} .countries path", "ps => ps.length")
    assert routes and segments == len(routes) == 3
    assert sorted(markers) == sorted([*located, "Benghazi, Libya"]) and drawn_markers == len(markers)
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
    page, asked = _on_a_phone(reader, site_url + "index.html")
    page.wait_for_load_state("networkidle")
    before = page.eval_on_selector_all(".brief-plot", RESERVED)
    assert [p["state"] for p in before] == [None, None] and "plotly.min.js" not in asked
    assert [p["reserved"] for p in before] == [f"{p['height']}px" for p in before]
    assert all(p["box"] == p["height"] for p in before)
    page.locator("#route-map-chart").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#route-map-chart .brief-plot').getAttribute('data-drawn')")
    after = page.eval_on_selector_all(".brief-plot", RESERVED)
    # the map grows once drawn to fill a phone's frame from its own extent (at least its reserved height): the one
    # shift left, a known limit; a chart that is not a map keeps exactly the space kept for it
    assert after[0]["state"] == "true" and after[0]["box"] >= before[0]["box"]
    assert asked.count("plotly.min.js") == 1 and asked.count("world_110m.js") == 1
# Every map label's box and every marker's box, as drawn, in page pixels; labels are the layout script's annotations.
MAP_BOXES = """el => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const notes = [...el.querySelectorAll('.infolayer g.annotation')];
    const labels = (el.layout.annotations || []).map((a, i) => [a, i]).filter(([a]) => a.name === 'brief-label')
        .map(([a, i]) => ({text: a.text, box: box(notes[i].querySelector('rect.bg'))}));
    const traces = [...el.querySelectorAll('g.trace.scattergeo')];
    const markers = el._fullData.flatMap((t, i) => (t.meta && t.meta.labels === 'point')
        ? [...traces[i].querySelectorAll('path.point')].map(box) : []);
    const size = el._fullLayout._size;
    const land = box(el.querySelector('.layer.ocean path, path.ocean') || el.querySelector('.bg rect'));
    return {labels, markers, plot: [size.w, size.h], ocean: land, frame: box(el.querySelector('.geo .bglayer rect') || el)};
}"""


def _overlap(a, b, slack=0.5):
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


@pytest.mark.parametrize("width", [1366, 375])
def test_map_labels_cover_no_other_label_and_no_marker(reader, site_url, width):
    reader.page.set_viewport_size({"width": width, "height": 900})
    page = reader.open(site_url + "index.html")
    drawn = page.eval_on_selector("#route-map-chart .brief-plot", MAP_BOXES)
    texts = [label["text"].replace("<br>", " ") for label in drawn["labels"]]
    assert "Benghazi, Libya" in texts and "Hmeimim Air Base" in texts and "Tartus naval facility" in texts
    assert any(t.startswith("Libya, airfield unknown") for t in texts)
    assert any(t.startswith("Belarus, airfield unknown") for t in texts)
    boxes = [label["box"] for label in drawn["labels"]]
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1:], i + 1):
            assert not _overlap(a, b), f"{texts[i]!r} overlaps {texts[j]!r} at {width} px"
        for marker in drawn["markers"]:
            assert not _overlap(a, marker), f"{texts[i]!r} covers a marker at {width} px"
    for i, a in enumerate(drawn["markers"]):
        for b in drawn["markers"][i + 1:]:
            assert not _overlap(a, b, slack=1), f"two markers cover each other at {width} px"


def test_on_a_phone_the_map_is_tall_and_fills_its_frame(reader, site_url):
    reader.page.set_viewport_size({"width": 375, "height": 812})
    page = reader.open(site_url + "index.html")
    w, h = page.eval_on_selector("#route-map-chart .brief-plot", "el => [el._fullLayout._size.w, el._fullLayout._size.h]")
    assert h >= 300 and w <= 375
    # the drawn map (its ocean and land) reaches the frame's four edges: no empty band above or below it
    filled = page.eval_on_selector("#route-map-chart .brief-plot", """el => {
        const frame = el.querySelector('.geo .bglayer rect, .geo rect.bg') || null;
        const size = el._fullLayout._size, svg = el.querySelector('svg.main-svg').getBoundingClientRect();
        const land = [...el.querySelectorAll('.geo path.land, .geo .layer.land path, .geo path.ocean, .geo .layer.ocean path')]
            .map(p => p.getBoundingClientRect());
        const top = Math.min(...land.map(r => r.top)) - svg.top, bottom = Math.max(...land.map(r => r.bottom)) - svg.top;
        return [top - size.t, size.t + size.h - bottom];
    }""")
    assert filled[0] <= 2 and filled[1] <= 2, f"empty bands above and below the map: {filled}"


def test_a_route_to_libya_known_only_as_a_country_stops_at_its_shaded_border(reader, site_url):
    page = reader.open(site_url + "index.html")
    ends = page.eval_on_selector("#route-map-chart .brief-plot", """el => {
        const map = el._fullLayout.geo._subplot;
        const geo = {project: ll => { const xy = map.project(ll); return [xy[0] + map.xaxis._offset, xy[1] + map.yaxis._offset]; }};
        const fill = [...el.querySelectorAll('g.trace.scattergeo')][el._fullData.findIndex(t => t.fill === 'toself')]
            .querySelector('path.js-line');
        const svg = fill.ownerSVGElement;
        const inside = xy => { const p = svg.createSVGPoint(); p.x = xy[0]; p.y = xy[1]; return fill.isPointInFill(p); };
        const ends = [];
        el.data.filter(t => t.name.startsWith('route')).forEach(t => t.lat.forEach((lat, i) => {
            if (lat === null || t.lat[i + 1] !== null || !t.text[i].replace(/<br>/g, ' ').split(', flights')[0].endsWith('→ Libya (airfield unknown)')) { return; }
            const end = geo.project([t.lon[i], lat]), before = geo.project([t.lon[i - 1], t.lat[i - 1]]);
            const dx = end[0] - before[0], dy = end[1] - before[1], d = Math.hypot(dx, dy);
            ends.push([inside(before), inside([end[0] + 3 * dx / d, end[1] + 3 * dy / d]),
                       inside([end[0] - 3 * dx / d, end[1] - 3 * dy / d])]);
        }));
        return ends;
    }""")
    assert len(ends) >= 2  # from Hmeimim and from Belarus
    for before, past, short in ends:
        assert not before and not short and past, f"the route ends where Libya's shading begins: {ends}"


def test_the_ranged_group_is_one_interval_labelled_at_least_3(reader, site_url):
    page = reader.open(site_url + "flights/index.html")
    plot = "#flights-per-day-chart .brief-plot"
    lanes = page.eval_on_selector(plot, "el => el.data.filter(t => t.yaxis === 'y3').map(t => t.y.length)")
    intervals = page.eval_on_selector_all(f"{plot} .subplot.xy3 .barlayer .point path", "ps => ps.length")
    labels = page.eval_on_selector_all(f"{plot} .annotation-text", "ts => ts.map(t => t.textContent)")
    assert lanes == [3] and intervals == 3
    assert sum("Belarus → Libya: at least 3" in label for label in labels) == 1
    day = page.eval_on_selector(plot, "el => el.data.filter(t => t.yaxis === 'y').map(t => [t.x, t.y])")
    assert day == [[["2024-12-14 12:00"], [1]]], "the flight known to the day is a bar on that day"
    legend = page.eval_on_selector_all(f"{plot} .legendtext", "ts => ts.map(t => t.textContent)")
    assert legend == ["Belarus → Libya"]
    assert any(label.startswith("Assad government falls") for label in labels)


@pytest.mark.parametrize("width", [1366, 375])
def test_source_graph_labels_neither_clip_nor_overlap(reader, site_url, width):
    reader.page.set_viewport_size({"width": width, "height": 900})
    page = reader.open(site_url + "sourcing.html")
    boxes = page.eval_on_selector("#source-graph-chart .brief-plot", """el => {
        const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
        const labels = [...el.querySelectorAll('.textpoint text')].map(t => {
            const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; });
        return {svg: [svg.left, svg.top, svg.right, svg.bottom], labels};
    }""")
    left, top, right, bottom = boxes["svg"]
    labels = boxes["labels"]
    assert len(labels) >= 9
    for text, *box in labels:
        assert box[0] >= left and box[2] <= right and box[1] >= top and box[3] <= bottom, f"{text!r} is cut off"
    for i, (a, *ba) in enumerate(labels):
        for b, *bb in labels[i + 1:]:
            assert not _overlap(ba, bb), f"{a!r} overlaps {b!r} at {width} px"


def test_the_printed_map_places_its_labels_clear_of_each_other_and_of_markers(reader, facts, tmp_path):
    """The distribution edition's map, laid out as it is printed (680 px wide, print media): labels apart."""
    from generator.outputs import edition
    from generator.outputs.browser import serving

    for name, body in edition.assets().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    page_css = "@page { size: A4; }"
    (tmp_path / "edition.html").write_text(edition.document(facts, edition.Context(marking=facts.brief.tlp), page_css),
                                           encoding="utf-8")
    with serving(tmp_path) as url:
        reader.roots.append(url)
        reader.page.set_viewport_size({"width": 680, "height": 1000})
        reader.page.emulate_media(media="print")
        try:
            page = reader.open(url + "edition.html")
            drawn = page.eval_on_selector("#edition-map .brief-plot", MAP_BOXES)
            scale = page.eval_on_selector_all("#edition-map .annotation-text", "ts => ts.map(t => t.textContent)")
        finally:
            reader.page.emulate_media(media="screen")
            reader.page.goto("about:blank")
    texts = [label["text"].replace("<br>", " ") for label in drawn["labels"]]
    assert {"Benghazi, Libya", "Hmeimim Air Base", "Tartus naval facility"} <= set(texts)
    assert any(t.endswith(" km") for t in scale), "the printed map has a scale bar"
    boxes = [label["box"] for label in drawn["labels"]]
    for i, a in enumerate(boxes):
        assert not any(_overlap(a, b) for b in boxes[i + 1:]), texts[i]
        assert not any(_overlap(a, m) for m in drawn["markers"]), texts[i]


STATIC = """el => ({state: el.getAttribute('data-drawn'), box: el.getBoundingClientRect().height,
    height: JSON.parse(document.getElementById(el.getAttribute('data-figure')).textContent).layout.height,
    shown: [...el.querySelectorAll('svg.brief-static')].filter(s => s.getBoundingClientRect().height > 0)
        .map(s => s.getAttribute('class'))})"""


def test_a_chart_on_the_first_screen_is_drawn_without_plotly_which_loads_when_the_reader_asks(reader, site_url):
    """On a phone the Flights page opens on its flights chart, drawn at build time: plotly.js is not requested while
    the page loads; a tap on the chart loads it and draws the interactive chart in the same box."""
    page, asked = _on_a_phone(reader, site_url + "flights/index.html")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # anything the page would still ask for by itself
    before = page.eval_on_selector("#flights-per-day-chart .brief-plot", STATIC)
    assert before["state"] is None and before["shown"] == ["brief-static brief-static-narrow"]
    assert before["box"] == before["height"]
    assert "plotly.min.js" not in asked and "world_110m.js" not in asked and "brief-maplabels.js" not in asked
    page.dispatch_event("#flights-per-day-chart .brief-plot", "pointerdown", {"pointerType": "touch"})
    page.wait_for_function("() => document.querySelector('#flights-per-day-chart .brief-plot').getAttribute('data-drawn')")
    after = page.eval_on_selector("#flights-per-day-chart .brief-plot", STATIC)
    assert after["state"] == "true" and after["shown"] == [] and after["box"] == before["box"]
    assert asked.count("plotly.min.js") == 1 and "world_110m.js" not in asked
    assert page.is_hidden("#flights-per-day-chart .brief-interact")
    page.locator("#route-map-chart").scroll_into_view_if_needed()  # the map still draws as it comes into view
    page.wait_for_function("() => document.querySelector('#route-map-chart .brief-plot').getAttribute('data-drawn')")
    assert asked.count("plotly.min.js") == 1 and asked.count("world_110m.js") == 1
    assert asked.count("brief-maplabels.js") == 1


@pytest.mark.parametrize("how", ["control", "mouse over"])
def test_the_interactive_chart_comes_with_the_control_or_the_mouse_in_the_same_box(reader, site_url, how):
    page = reader.page
    asked = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    page.goto(site_url + "timeline.html")
    page.wait_for_load_state("networkidle")
    before = page.eval_on_selector("#timeline-chart .brief-plot", STATIC)
    assert before["shown"] == ["brief-static brief-static-wide"] and "plotly.min.js" not in asked
    if how == "control":
        page.focus("#timeline-chart .brief-interact")
        page.keyboard.press("Enter")
    else:
        page.hover("#timeline-chart .brief-plot")
    page.wait_for_function("() => document.querySelector('#timeline-chart .brief-plot').getAttribute('data-drawn')")
    after = page.eval_on_selector("#timeline-chart .brief-plot", STATIC)
    assert after["state"] == "true" and after["box"] == before["box"] == before["height"]
    assert asked.count("plotly.min.js") == 1


# Every text of the drawing shown, as laid out in the site's own font: no two may meet, none may leave the drawing.
TEXT_BOXES = """svg => { const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    return {frame: r(svg), texts: [...svg.querySelectorAll('text')].map(t => [t.textContent, r(t)])}; }"""


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("rel", ["flights/index.html", "timeline.html"])
def test_the_drawing_made_at_build_time_has_no_labels_that_meet(reader, site_url, rel, width):
    page = reader.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + rel)
    page.evaluate("() => document.fonts.ready")
    page.wait_for_function("() => document.fonts.check(\"13px 'IBM Plex Sans'\")")
    svg = page.locator(".brief-plot svg.brief-static:visible").first
    found = svg.evaluate(TEXT_BOXES)
    texts = [t for t, _ in found["texts"]]
    boxes = [b for _, b in found["texts"]]
    frame = found["frame"]
    for i, a in enumerate(boxes):
        assert frame[0] - 0.5 <= a[0] and a[2] <= frame[2] + 0.5, f"{texts[i]!r} leaves the drawing at {width} px"
        for j, b in enumerate(boxes[i + 1:], i + 1):
            assert not _overlap(a, b), f"{texts[i]!r} meets {texts[j]!r} at {width} px"
    assert texts and reader.problems() == []


def _on_a_phone(reader, url: str):
    """The page opened at a phone's size, and the names of the files it asks for (as it goes on asking)."""
    from tests.browser.conftest import PHONE

    page = reader.page
    page.set_viewport_size(PHONE)
    asked = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    page.goto(url)
    return page, asked


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
@pytest.mark.parametrize("width", [1366, 375])
def test_the_drawing_made_at_build_time_passes_axe_and_names_its_chart(reader, site_url, scheme, width):
    """As a page opens, before any interaction: the drawing is an image with its title and caption as its name,
    its control a named button, and axe-core (contrast included) finds nothing serious in either scheme."""
    from tests.browser.test_pages import AXE

    page = reader.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "flights/index.html")
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    svg = page.locator("#flights-per-day-chart svg.brief-static:visible")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label").startswith("Flights over time: Flights per day: each flight")
    assert page.locator("#flights-per-day-chart button.brief-interact").inner_text() == "Interactive chart"
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations'],
            rules: {'color-contrast': {enabled: true}}}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact) || v.id === 'color-contrast')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    assert violations == []
    assert page.eval_on_selector("#flights-per-day-chart .brief-plot", "el => el.getAttribute('data-drawn')") is None


def test_each_route_reads_its_own_hover_text_under_the_pointer(reader, site_url, facts):
    """A route's hover text is sent once per line and given to every point of the line: under the pointer, midway
    along each route, the reader sees that route's label, with its places, direction and flights."""
    from generator.site import routemap

    sent = [label for trace in routemap.route_map(facts).figure["data"]  # escaped, lines broken by <br>
            if trace["name"].startswith("route") for label in trace["meta"]["text"]]
    assert len(sent) == 3
    page = reader.open(site_url + "index.html")
    raw = page.eval_on_selector("#route-map-data", "s => s.textContent")
    in_script = [json.dumps(label, ensure_ascii=False)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
                 for label in sent]  # < and > written as the page's script data writes them
    assert all(raw.count(label) == 1 for label in in_script), "each route's label is in the page once"
    plot = "#route-map-chart .brief-plot"
    page.eval_on_selector(plot, "el => el.scrollIntoView({block: 'center'})")
    middles = page.eval_on_selector(plot, """el => {
        const map = el._fullLayout.geo._subplot, box = el.querySelector('svg.main-svg').getBoundingClientRect();
        const at = ll => { const xy = map.project(ll); return [box.left + xy[0] + map.xaxis._offset, box.top + xy[1] + map.yaxis._offset]; };
        const found = [];
        el.data.filter(t => t.name.startsWith('route')).forEach(t => {
            let start = 0;
            t.lat.forEach((lat, i) => {
                if (lat !== null) { return; }
                const middle = start + Math.floor((i - start) / 2);
                found.push({point: at([t.lon[middle], t.lat[middle]]), text: t.text[middle],
                            same: t.text.slice(start, i).every(x => x === t.text[middle]) && t.text[i] === null});
                start = i + 1;
            });
        });
        return found;
    }""")
    assert sorted(m["text"] for m in middles) == sorted(sent)
    assert all(m["same"] for m in middles), "every point of a line carries its line's label, and the gap none"
    shown = []
    for middle in middles:
        page.mouse.move(*middle["point"])
        page.wait_for_selector(f"{plot} .hoverlayer .hovertext", timeout=5000)
        shown.append(" ".join(page.eval_on_selector(  # each line of the box, and its width beside the page's
            f"{plot} .hoverlayer .hovertext text.nums",
            "t => Array.from(t.childNodes, line => line.textContent).join(' ')").split()))
        box = page.eval_on_selector(f"{plot} .hoverlayer .hovertext", "e => e.getBoundingClientRect().toJSON()")
        assert 0 <= box["left"] and box["right"] <= page.viewport_size["width"], shown[-1]
        page.mouse.move(0, 0)
        page.wait_for_selector(f"{plot} .hoverlayer .hovertext", state="detached", timeout=5000)
    assert sorted(shown) == sorted(" ".join(html.unescape(label.replace("<br>", " ")).split()) for label in sent)
