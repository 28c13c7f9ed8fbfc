"""Hostile text in a real browser: markup in fact text shows literally in charts and pages, and does nothing."""
from __future__ import annotations

import pytest

from tests.browser.conftest import built_and_served

LINK = '<a href="https://evil.example/">Benghazi</a>'
PHISHING = {
    "data/flights/phish.yml": f"""
        id: phish
        departure: unknown
        arrival: 2024-12-14
        origin: {{country: BY}}
        destination: {{place: '{LINK}', country: LY, coordinates: {{lat: 32.1, lon: 20.1, source: report}}}}
        basis: tracked
        sources: [report]
    """,
    "data/flights/other.yml": """
        id: other
        departure: unknown
        arrival: 2024-12-15
        origin: {country: BY}
        destination: {country: SY}
        basis: tracked
        sources: [report]
    """,  # a second route, so the chart shows its legend
    "data/bases/bold.yml": """
        id: bold
        name: '<b>Bold</b> & <br>broken'
        country: SY
        location: {icao: OSLK}
        kind: air base
        sources: [report]
    """,
}


@pytest.fixture(scope="module")
def phishing_site(tmp_path_factory):
    with built_and_served(tmp_path_factory.mktemp("phishing"), PHISHING) as url:
        yield url


def test_a_link_in_a_place_name_shows_literally_in_the_chart_legend_and_links_nowhere(_tab, phishing_site):
    _tab.reset(phishing_site)
    page = _tab.open(phishing_site + "flights/index.html")
    legend = page.eval_on_selector_all("#flights-per-day .legendtext", "ts => ts.map(t => t.textContent)")
    assert f"Belarus (airfield unknown) → {LINK}, Libya" in legend
    assert page.eval_on_selector_all(".brief-plot svg a", "as => as.length") == 0
    assert _tab.problems() == []


def test_markup_in_a_base_name_shows_literally_on_the_map(_tab, phishing_site):
    _tab.reset(phishing_site)
    page = _tab.open(phishing_site + "index.html")
    labels = page.eval_on_selector_all("#route-map .scattergeo text", "ts => ts.map(t => t.textContent)")
    assert "<b>Bold</b> & <br>broken" in labels
    assert page.eval_on_selector_all("#route-map svg a, #route-map svg tspan[style*='bold']", "xs => xs.length") == 0
    assert _tab.problems() == []
