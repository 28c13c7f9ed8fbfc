"""Material's search box, as a reader types into it: bases by alias, flights by route and registration, judgments by words."""
import pytest

from generator.site.charts import route_key
from tests.browser.conftest import WAIT_MS


def search(page, query: str) -> list[str]:
    """Type query into the search box and return the results as 'href text'."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "")
    page.keyboard.type(query, delay=10)
    page.wait_for_selector(".md-search-result__item", timeout=WAIT_MS)
    return page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href + ' ' + a.innerText)")


def hits(results: list[str], rel: str) -> bool:
    return any(f"/{rel}" in r.split(" ", 1)[0] for r in results)


def test_finds_a_base_by_each_alias(reader, site_url, facts):
    page = reader.open(site_url + "index.html")
    aliased = [(bid, b) for bid, b in sorted(facts.bases.items()) if b.aliases]
    assert aliased
    for base_id, base in aliased:
        for alias in base.aliases:
            assert hits(search(page, alias), f"bases/{base_id}.html"), alias


def test_finds_a_flight_by_its_route_in_the_route_index_which_links_its_month(reader, site_url, facts):
    page = reader.open(site_url + "index.html")
    _, flight = facts.flights_in_order()[0]
    origin, destination = route_key(facts, flight)
    month = flight.when.earliest.start.strftime("%Y-%m")
    results = search(page, f"{origin.split(' (')[0]} {destination.split(' (')[0]}")
    assert hits(results, "flights/routes.html")
    page = reader.open(site_url + "flights/routes.html")
    months = page.eval_on_selector_all("table tbody tr", """rows => Object.fromEntries(rows.map(r =>
        [r.cells[0].innerText, [...r.cells[2].querySelectorAll('a')].map(a => a.getAttribute('href'))]))""")
    assert months[f"{origin} → {destination}"] == [f"{month}.html"]


def test_search_index_is_downloaded_only_when_the_reader_opens_search(reader, site_url):
    asked = []
    note = lambda request: asked.append(request.url) if "search_index" in request.url else None  # noqa: E731
    reader.page.on("request", note)
    try:
        page = reader.open(site_url + "assessments.html")
        page.wait_for_timeout(300)
        assert asked == []
        assert hits(search(page, "Hmeimim"), "bases/hmeimim-air-base.html")
        assert [url.rsplit("/", 2)[-2:] for url in asked] == [["search", "search_index.json"]]
    finally:
        reader.page.remove_listener("request", note)


def test_finds_a_flight_by_its_registration(reader, registered_site):
    reader.roots[:] = [registered_site]
    page = reader.open(registered_site + "index.html")
    assert hits(search(page, "RA-78830"), "flights/2024-12.html")


def test_finds_each_assessment_by_words_of_its_judgment(reader, site_url, facts):
    page = reader.open(site_url + "index.html")
    for assessment in facts.assessments.values():
        phrase = " ".join(assessment.judgment.split()[2:6])
        assert hits(search(page, phrase), "assessments.html"), phrase


def test_finds_the_numbers_behind_a_chart(reader, site_url):
    page = reader.open(site_url + "index.html")
    assert hits(search(page, "The numbers behind: Route map"), "index.html")
