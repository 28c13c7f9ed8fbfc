"""The built example site in a real Chromium, with every request outside the site blocked."""
import json

import pytest

from generator import dataset


def open_page(chrome, url: str, root: str):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    outside, errors = [], []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(root)
               else (outside.append(route.request.url), route.abort()))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(url)
    page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')]"
                           ".every(el => el.getAttribute('data-drawn'))", timeout=20000)
    return page, outside, errors


@pytest.mark.parametrize("rel", ["index.html", "flights/index.html", "timeline.html", "narrative.html"])
def test_charts_render_offline_with_their_data(example, served, chrome, rel):
    page, outside, errors = open_page(chrome, served + rel, served)
    drawn = page.eval_on_selector_all(".brief-plot", """els => els.map(el => ({
        id: el.getAttribute('data-figure'), state: el.getAttribute('data-drawn'),
        traces: el.data ? el.data.length : 0, svg: el.querySelectorAll('svg').length}))""")
    page.close()
    assert outside == [] and errors == []
    assert drawn and all(d["state"] == "true" and d["svg"] > 0 for d in drawn), drawn
    html = (example.site / rel).read_text()
    for d in drawn:
        embedded = html.split(f'id="{d["id"]}">', 1)[1].split("</script>", 1)[0]
        assert d["traces"] == len(json.loads(embedded)["data"])


def test_the_map_draws_every_located_base_and_the_base_map(example, served, chrome):
    data = dataset.load(example.data)
    page, outside, errors = open_page(chrome, served + "index.html", served)
    markers = page.eval_on_selector_all("#route-map .brief-plot .scattergeo .point", "els => els.length")
    land = page.eval_on_selector_all("#route-map .brief-plot path.land, #route-map .brief-plot .countries path",
                                     "els => els.length")
    page.close()
    assert outside == [] and errors == []
    assert markers == sum(1 for b in data.bases.values() if b.location.point())
    assert land > 0, "the served base map was drawn"
