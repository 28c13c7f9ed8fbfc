"""Hostile but valid text: every string shows up as the literal text the analyst wrote, and nothing else."""
import json

import pytest
from bs4 import BeautifulSoup

from generator import build

from generator.outputs import browser
from tests.search_index import fragment_pages, theme_index

HOSTILE = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
    "{{ 7*7 }} and {% raw %}x{% endraw %}",
    "a | b | c",
    "# not a heading",
    "---",
    "> not a quote",
    "- not a list",
    "1. not a list either",
    "`code` and ``more``",
    "[x](javascript:window.__pwned=1)",
    "{: onclick=window.__pwned=1 }",
    "--8<-- 'secret.txt'",
    "$x^2$ and \\(y\\)",
    "*stars* _under_ **bold** ~~strike~~",
    "&amp; &lt;b&gt; &#60;",
    "<!-- hidden -->",
    "Astral 🛩️ 𝔸𝕝𝕖𝕡𝕡𝕠 😀 and Ñ — ünïcödé",
]


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from tests.conftest import new_brief

    files = {}
    for i, text in enumerate(HOSTILE):
        files[f"data/bases/b{i}.yml"] = (
            f"id: b{i}\nname: {quoted(text)}\naliases: [{quoted(text)}]\ncountry: SY\nlocation: {{icao: OSLK}}\n"
            f"kind: air base\nsources: [report]\nobservations:\n  - date: 2024-12-14\n    status: active\n"
            f"    summary: {quoted(text)}\n    sources: [report]\n    credibility: 2\n")
        files[f"data/assessments/a{i}.yml"] = (
            f"id: a{i}\ntitle: {quoted(text)}\ndate: 2024-12-15\njudgment: {quoted('judged ' + text)}\n"
            f"attribution: {{name: {quoted(text)}}}\nsources: [report]\n")
        files[f"data/flights/f{i}.yml"] = (
            f"id: f{i}\nsummary: {quoted(text)}\ndeparture: unknown\narrival: 2024-12-14\norigin: {{base: b{i}}}\n"
            f"destination: {{place: {quoted(text)}, country: LY}}\nbasis: tracked\nsources: [report]\n")
        files[f"data/indicators/i{i}.yml"] = (
            f"id: i{i}\ntitle: {quoted(text)}\nsignals: {quoted('signals ' + text)}\n"
            f"watch: {{flights: {{from: {quoted(text)}, to: LY, at_least: 1, within_days: 7}}}}\n"
            f"note: {quoted('noted ' + text)}\n")
    files["data/assessments/ach.yml"] = (
        "id: ach\ntitle: Weighed\ndate: 2024-12-15\njudgment: J\nlikelihood: likely\nconfidence: low\n"
        "attribution: brief\nsources: [report]\nevidence:\n  - flight: f0\n    fits: {main: consistent, h1: inconsistent}\n"
        "alternatives:\n" + "".join(f"  - {{id: h{i + 1}, hypothesis: {quoted('hypothesis ' + t)}, status: open}}\n"
                                    for i, t in enumerate(HOSTILE)) +
        "assumptions:\n" + "".join(f"  - {{text: {quoted('assumed ' + t)}, if_wrong: {quoted('wrong ' + t)}}}\n"
                                   for t in HOSTILE))
    files["data/sources/multi.yml"] = ("id: multi\ntitle: One line\npublisher: p\npublished: unknown\nkind: news\n"
                                       "reliability: A\nnote: 'first line\n\n  second line'\n")
    project = new_brief(tmp_path_factory.mktemp("hostile") / "brief", files)
    build.build(project)
    return project


def page(project, rel):
    soup = BeautifulSoup((project.site / rel).read_text(encoding="utf-8"), "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    return soup


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("i", range(len(HOSTILE)))
def test_base_page_shows_the_literal_text_in_title_heading_body_and_tables(hostile_site, i):
    soup = page(hostile_site, f"bases/b{i}.html")
    text = squeeze(HOSTILE[i])
    assert squeeze(soup.find("h1").get_text()) == text
    assert squeeze(soup.title.get_text()).startswith(text)
    assert squeeze(soup.find("meta", attrs={"name": "description"})["content"]).startswith(f"{text}, air base in Syria")
    body = squeeze(soup.select_one("article").get_text(" "))
    assert body.count(text) >= 3  # heading, alias row, observation summary
    assert not soup.select("article script, article img, article [onclick], article [onerror], article blockquote")


def test_nothing_from_the_facts_becomes_markup_anywhere(hostile_site):
    for html in hostile_site.site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        if article is None:
            continue
        assert not article.select("img, iframe, [onerror], [onclick], a[href^='javascript']"), html
        assert all(not (s.get("type") in (None, "", "text/javascript")) for s in article.select("script")), html


def test_tables_keep_their_columns(hostile_site):
    soup = page(hostile_site, "bases/index.html")
    for row in soup.select("article table tbody tr"):
        assert len(row.find_all("td")) == 5


def test_assessments_and_flight_log_show_each_text_literally(hostile_site):
    assessments = squeeze(page(hostile_site, "assessments.html").select_one("article").get_text(" "))
    log = squeeze(page(hostile_site, "flights/2024-12.html").select_one("article").get_text(" "))
    for text in HOSTILE:
        assert squeeze("judged " + text) in assessments
        assert squeeze(text) in log


def test_indicators_ach_and_assumptions_show_each_text_literally(hostile_site):
    indicators = squeeze(page(hostile_site, "indicators.html").select_one("article").get_text(" "))
    overview = squeeze(page(hostile_site, "index.html").select_one("article").get_text(" "))
    assessments = squeeze(page(hostile_site, "assessments.html").select_one("article").get_text(" "))
    for text in HOSTILE:
        for words in (text, "signals " + text, "noted " + text, f"at least 1 flight from {text} to Libya"):
            assert squeeze(words) in indicators, words
        assert squeeze("signals " + text) in overview or "more on the Indicators page" in overview
        for words in ("hypothesis " + text, "assumed " + text, "wrong " + text):
            assert squeeze(words) in assessments, words


def test_search_index_and_navigation_hold_the_literal_text(hostile_site):
    index = theme_index(hostile_site.site)
    titles = {squeeze(BeautifulSoup(d["title"], "html.parser").get_text()) for d in index["docs"]}
    served = {squeeze(page["meta"]["title"]) for page in fragment_pages(hostile_site.site)}  # Pagefind: plain text
    for text in HOSTILE:
        assert squeeze(text) in titles
        assert any(squeeze(text) in title for title in served), text


def test_chart_labels_are_escaped_for_plotly(hostile_site):
    soup = page(hostile_site, "index.html")
    raw = soup.find("script", id="route-map-data").string
    assert "<" not in raw
    labels = [t for trace in json.loads(raw)["data"] if (trace.get("meta") or {}).get("labels") == "point"
              for t in trace["text"]]  # the names the map's layout script places beside their markers
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in labels


def test_multi_line_text_keeps_its_line_break(hostile_site):
    soup = page(hostile_site, "sources.html")
    note = soup.find(id="source-multi").find_next(string=lambda t: "first line" in t).parent
    assert note.find("br") is not None and squeeze(note.get_text(" ")).startswith("first line second line")


def test_nothing_runs_in_a_real_browser(hostile_site, chromium):
    with browser.chromium() as chrome:
        tab = chrome.new_page()
        dialogs = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in ["index.html", "bases/b0.html", "bases/b1.html", "bases/b2.html", "assessments.html",
                    "flights/2024-12.html", "timeline.html"]:
            tab.goto((hostile_site.site / rel).as_uri())
            tab.wait_for_timeout(300)
            assert tab.evaluate("window.__pwned") is None, rel
        assert dialogs == []


TITLE = '</title><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe> <!-- & {{ 7*7 }}'


@pytest.fixture(scope="module")
def hostile_brief(tmp_path_factory):
    from tests.conftest import new_brief

    fields = {"title": TITLE, "subtitle": "<!-- sub", "publisher": "<b onclick=x>pub</b>", "summary": "<!-- summary"}
    brief_yml = "".join(f"{k}: {quoted(v)}\n" for k, v in fields.items()) + "edition: 2024-12-16\ntlp: TLP:CLEAR\n"
    project = new_brief(tmp_path_factory.mktemp("hostile-brief") / "brief", {"data/brief.yml": brief_yml})
    build.build(project)
    return project


def test_every_brief_field_shows_literally_in_title_header_navigation_and_banner(hostile_brief):
    for html in sorted(hostile_brief.site.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        assert soup.title.get_text().endswith(TITLE), html
        if html.name == "index.html" and html.parent == hostile_brief.site:
            assert soup.find("meta", attrs={"name": "description"})["content"].startswith("<!-- sub: "), html
        assert squeeze(soup.select_one(".md-header__topic").get_text()) == squeeze(TITLE), html
        assert TITLE in soup.select_one(".brief-banner").get_text(), html
        assert squeeze(soup.select_one(".md-nav--primary > label").get_text()) == squeeze(TITLE), html
        assert soup.select_one("article h1") is not None, html  # a <!-- in a field does not swallow the page
        assert not soup.select("iframe, [srcdoc], b[onclick]"), html


def test_no_brief_field_runs_in_a_real_browser(hostile_brief, chromium):
    with browser.chromium() as chrome:
        tab = chrome.new_page()
        for rel in ["index.html", "404.html", "bases/index.html"]:
            tab.goto((hostile_brief.site / rel).as_uri())
            assert tab.evaluate("window.__pwned") is None, rel
            assert tab.title().endswith(TITLE) and tab.locator("iframe[srcdoc]").count() == 0, rel
