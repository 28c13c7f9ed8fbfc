"""The search index of a synthetic brief: what readers search for is in it, table cells of numbers are not."""
import html
import json
import re

import pytest
from bs4 import BeautifulSoup

from benchmarks import searchindex
from generator import build
from generator.facts import dataset
from generator.project import Project
from generator.site import present
from tests.search_index import fragment_pages
from tests.tools.test_synth import synth

SIZES = (300, 600)  # flights; bases, assessments and sources stay the same, so the difference is what flights add
FLIGHT_BYTES = 40  # bytes of index each further flight may add: see test_each_flight_adds_little_to_the_index


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    """Two synthetic briefs of SIZES flights, otherwise alike, built once: (site, data, index entries) each."""
    built = []
    for flights in SIZES:
        root = synth(tmp_path_factory.mktemp("search") / f"f{flights}", seed=5, flights=flights, bases=20,
                     assessments=40)
        site = build.build(Project(root)).site
        built.append((site, dataset.load(root / "data"), searchindex.index_of(site)))
    return built


@pytest.fixture(scope="module")
def brief(briefs):
    return briefs[-1]


def words(entries) -> str:
    """Every entry's title and text as a reader's words: tags dropped, entities read, spaces collapsed."""
    return " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", f"{e['title']} {e['text']}")).split())
                    for e in entries)


def on_page(entries, page: str) -> str:
    return words(e for e in entries if e["location"].split("#")[0] == page)


def wanted(data) -> dict[str, set[str]]:
    """What a reader searches for, by kind, taken from the facts."""
    flights = data.flights.values()
    return {
        "base name": {b.name for b in data.bases.values()},
        "alias": {alias for b in data.bases.values() for alias in b.aliases},
        "registration": {f.aircraft.registration for f in flights if f.aircraft.registration},
        "callsign": {f.aircraft.callsign for f in flights if f.aircraft.callsign},
        "judgment": {a.judgment for a in data.assessments.values()},
        "assessment title": {a.title for a in data.assessments.values()},
        "source title": {s.title for s in data.sources.values()},
        "publisher": {s.publisher for s in data.sources.values()},
        "route": {present.route(f, data.bases) for f in flights},
    }


def test_the_index_holds_every_name_alias_registration_callsign_judgment_title_publisher_and_route(brief):
    _, data, entries = brief
    corpus = words(entries)
    for kind, texts in wanted(data).items():
        assert texts, kind  # the synthetic brief has some of each
        missing = sorted(t for t in texts if " ".join(t.split()) not in corpus)
        assert not missing, f"{kind} not in the search index: {missing[:3]}"


def test_the_fragment_index_holds_the_same_kinds_as_the_theme_index(brief):
    site, data, entries = brief
    served = " ".join(" ".join(page["content"].split()) for page in fragment_pages(site))
    for kind, texts in wanted(data).items():
        missing = sorted(t for t in texts if " ".join(t.split()) not in served)
        assert not missing, f"{kind} not in the fragment index: {missing[:3]}"
    assert sorted(page["url"].lstrip("/") for page in fragment_pages(site)) == sorted(
        {e["location"].split("#")[0] for e in entries})  # the same pages


def shown(site, page: str) -> list[str]:
    """What a page shows in its chart-number tables (on the Sourcing page: every table and list), one line per row
    or item, run together as the search index would run their cells together."""
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    tables = soup.select("article table" if page == "sourcing.html" else "details.info table")
    items = soup.select("article li") if page == "sourcing.html" else []
    lines = ["".join(cell.get_text() for cell in tr.find_all(["td", "th"])) for t in tables for tr in t.select("tbody tr")]
    return [" ".join(line.split()) for line in lines + [li.get_text() for li in items]]


def test_no_chart_number_or_sourcing_table_cell_is_in_the_index_and_the_pages_still_show_them(brief):
    site, _, entries = brief
    checked = 0
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        lines = [line for line in shown(site, page) if len(line) > 6]
        text = on_page(entries, page)
        assert not [line for line in lines if line in text], page
        checked += len(lines)
    assert checked > 100  # the pages do show them: they are left out of the index only
    assert "The numbers behind: Route map" in on_page(entries, "index.html")  # each chart's summary line stays


def test_the_route_index_holds_route_names_without_their_counts_and_months(brief):
    _, data, entries = brief
    text = words(e for e in entries if re.match(r"flights/routes(-\d+)?\.html", e["location"]))
    assert all(present.route(f, data.bases) in text for f in data.flights.values())
    assert not re.search(r"\b20\d\d-\d\d\b", text), "a month of the route index is in the search index"
    assert "In the log" not in text and "Records" not in text


def test_each_flight_adds_little_to_the_index(briefs):
    """A flight brings its registration and callsign into its log page's aircraft list (about 20 bytes) and, when it
    flies a route no other flight did, that route's name into the route index (about 60 bytes, and most routes are
    flown more than once); everything else in the index grows with bases, assessments and sources, not flights."""
    (small, _, few), (large, data, many) = briefs
    grown = len(json.dumps(many, ensure_ascii=False).encode()) - len(json.dumps(few, ensure_ascii=False).encode())
    per_flight = grown / (SIZES[1] - SIZES[0])
    assert 0 < per_flight < FLIGHT_BYTES, f"{per_flight:.1f} bytes of search index per further flight"
