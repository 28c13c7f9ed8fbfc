"""The search box, as a reader types into it: bases by alias, flights by route and registration, judgments by words.

Served over HTTP the published site answers from its fragment index (Pagefind); opened from disk (file://) the theme's
own search answers from its whole index. Every search test runs both ways, and the results look alike."""
import pytest

from generator.site.charts import route_key
from tests.browser.conftest import WAIT_MS

WAYS = ["served", "from disk"]


def search(page, query: str, expect_results: bool = True) -> list[str]:
    """Type query into the search box as a reader does and return the results as 'href text' (none: [])."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "")
    page.keyboard.type(query, delay=10)
    page.wait_for_function(SETTLED, arg=[query, expect_results], timeout=WAIT_MS)
    if not page.evaluate(FRAGMENTS):
        page.wait_for_timeout(150)  # the theme's search answers keystroke by keystroke: the answer to the last one
    return page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href + ' ' + a.innerText)")


FRAGMENTS = "() => document.querySelector('.md-search-result__list').hasAttribute('data-brief-query')"
# The answer is on screen: the box holds the query, the count is shown, and (fragment index) the list says which
# query it answers.
SETTLED = """([query, results]) => {
    const box = document.querySelector('.md-search__input'), list = document.querySelector('.md-search-result__list');
    const meta = document.querySelector('.md-search-result__meta').textContent.trim();
    if (box.value !== query || /^(Initializing|Type to start)/.test(meta)) return false;
    if (list.hasAttribute('data-brief-query')) return list.getAttribute('data-brief-query') === query;
    return results ? !!list.querySelector('.md-search-result__item') : /^No matching/.test(meta);
}"""


def hits(results: list[str], rel: str) -> bool:
    return any(f"/{rel}" in r.split(" ", 1)[0] for r in results)


@pytest.fixture(params=WAYS)
def at(request, reader, site_url, example):
    """The example's root as the reader reaches it: served over HTTP, or opened from disk."""
    if request.param == "served":
        return site_url
    root = example.site.as_uri() + "/"
    reader.roots[:] = [root]
    return root


def test_finds_a_base_by_each_alias(reader, at, facts):
    page = reader.open(at + "index.html")
    aliased = [(bid, b) for bid, b in sorted(facts.bases.items()) if b.aliases]
    assert aliased
    for base_id, base in aliased:
        for alias in base.aliases:
            assert hits(search(page, alias), f"bases/{base_id}.html"), alias


def test_finds_a_flight_by_its_route_in_the_route_index_which_links_its_month(reader, at, facts):
    page = reader.open(at + "index.html")
    _, flight = facts.flights_in_order()[0]
    origin, destination = route_key(facts, flight)
    month = flight.when.earliest.start.strftime("%Y-%m")
    results = search(page, f"{origin.split(' (')[0]} {destination.split(' (')[0]}")
    assert hits(results, "flights/routes.html")
    page = reader.open(at + "flights/routes.html")
    months = page.eval_on_selector_all("table tbody tr", """rows => Object.fromEntries(rows.map(r =>
        [r.cells[0].innerText, [...r.cells[2].querySelectorAll('a')].map(a => a.getAttribute('href'))]))""")
    assert months[f"{origin} → {destination}"] == [f"{month}.html"]


def test_served_search_loads_only_fragments_and_only_once_the_reader_opens_search(reader, site_url):
    asked = []
    note = lambda request: asked.append(request.url[len(site_url):])  # noqa: E731
    reader.page.on("request", note)
    try:
        page = reader.open(site_url + "assessments.html")
        page.wait_for_timeout(300)
        assert not [url for url in asked if url.startswith(("pagefind/", "search/"))]
        assert hits(search(page, "Hmeimim"), "bases/hmeimim-air-base.html")
        loaded = [url for url in asked if url.startswith(("pagefind/", "search/"))]
        assert "pagefind/pagefind.js" in loaded and any(url.startswith("pagefind/fragment/") for url in loaded)
        assert not [url for url in loaded if url.startswith("search/")]  # the theme's whole index is never fetched
    finally:
        reader.page.remove_listener("request", note)


def test_a_result_shows_the_page_title_sections_and_marked_words_in_the_theme_list(reader, site_url):
    page = reader.open(site_url + "index.html")
    search(page, "Khmeimim")
    first = page.locator(".md-search-result__item").first
    assert first.locator("a.md-search-result__link article.md-search-result__article h1").first.inner_text() == \
        "Hmeimim Air Base"
    assert first.locator("mark").first.inner_text().lower().rstrip(",.;") == "khmeimim"
    assert page.inner_text(".md-search-result__meta").endswith(("matching document", "matching documents"))
    page.click(".md-search__options button[type=reset]")  # the clear button: the list empties
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    assert page.inner_text(".md-search-result__meta") == "Type to start searching"
    page.keyboard.type("Khmeimim", delay=10)
    page.wait_for_function("() => document.querySelector('.md-search-result__list').dataset.briefQuery === 'Khmeimim'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bases/hmeimim-air-base.html")


def test_from_disk_the_theme_search_reads_its_script_copy_of_the_index(reader, example):
    root = example.site.as_uri() + "/"
    reader.roots[:] = [root]
    asked = []
    note = lambda request: asked.append(request.url[len(root):])  # noqa: E731
    reader.page.on("request", note)
    try:
        page = reader.open(root + "index.html")
        assert hits(search(page, "Khmeimim"), "bases/hmeimim-air-base.html")
        assert "search/search_index.js" in asked and not [url for url in asked if url.startswith("pagefind/")]
    finally:
        reader.page.remove_listener("request", note)


def test_finds_a_flight_by_its_registration(reader, registered_site):
    reader.roots[:] = [registered_site]
    page = reader.open(registered_site + "index.html")
    assert hits(search(page, "RA-78830"), "flights/2024-12.html")


def test_finds_each_assessment_by_words_of_its_judgment(reader, at, facts):
    page = reader.open(at + "index.html")
    for assessment in facts.assessments.values():
        phrase = " ".join(assessment.judgment.split()[2:6])
        assert hits(search(page, phrase), "assessments.html"), phrase


def test_finds_the_numbers_behind_a_chart(reader, at):
    page = reader.open(at + "index.html")
    assert hits(search(page, "The numbers behind: Route map"), "index.html")


HOSTILE = {  # markup in a fact's title and text: search must show it as text, whichever index answers
    "data/bases/zpwn-base.yml": """
        id: zpwn-base
        name: 'Zpwnfield <img src=x onerror=window.__pwned=1> base'
        aliases: ['Zpwnalias <script>window.__pwned=2</script>']
        country: SY
        location: {icao: OSLK}
        kind: air base
        description: 'Zpwntext <b>bold</b> <img src=y onerror=window.__pwned=3> end.'
        sources: [report]
    """,
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from tests.browser.conftest import built_and_served

    folder = tmp_path_factory.mktemp("hostile-search")
    with built_and_served(folder, HOSTILE) as url:
        yield url, folder / "brief" / "site"


@pytest.mark.parametrize("where", WAYS)
@pytest.mark.parametrize("query", ["Zpwnfield", "Zpwnalias", "Zpwntext"])
def test_markup_in_a_fact_shows_as_text_in_search_results_and_runs_nothing(reader, hostile_site, where, query):
    url, site = hostile_site
    root = url if where == "served" else site.as_uri() + "/"
    reader.roots[:] = [root]
    page = reader.open(root + "index.html")
    results = search(page, query)
    assert hits(results, "bases/zpwn-base.html")
    listed = page.inner_text(".md-search-result__list")
    assert "Zpwnfield <img src=x onerror=window.__pwned=1> base" in listed
    counted = "els => els.length"
    assert page.eval_on_selector_all(".md-search-result__list img, .md-search-result__list script, "
                                     ".md-search-result__list b", counted) == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
