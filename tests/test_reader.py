"""The brief as a reader meets it: a real Chromium, no network, a keyboard, a phone, a USB stick."""
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from generator import cli
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGE_KINDS = ["index.html", "narrative.html", "bases/index.html", "bases/hmeimim-air-base.html",
              "flights/index.html", "flights/2024-12.html", "assessments.html", "timeline.html",
              "sources.html", "methodology.html"]
SCREENSHOTS = {"overview": "index.html", "base": "bases/hmeimim-air-base.html", "flight-log": "flights/2024-12.html"}


class Visit:
    """A page opened with every request outside the site refused and every console error kept."""

    def __init__(self, chrome, url: str, root: str, width: int = 1280):
        self.page = chrome.new_page(viewport={"width": width, "height": 900})
        self.page.set_default_timeout(10000)
        self.outside, self.errors = [], []
        self.page.route("**/*", self._route(root))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.wait_for_charts()

    def _route(self, root):
        def handle(route):
            if route.request.url.startswith(root):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()
        return handle

    def wait_for_charts(self):
        self.page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')]"
                                    ".every(el => el.getAttribute('data-drawn'))", timeout=20000)

    def clean(self):
        assert self.outside == [] and self.errors == []

    def close(self):
        self.page.close()


@pytest.fixture
def visit(chrome, served):
    opened = []

    def open_(rel: str, width: int = 1280, root: str | None = None):
        v = Visit(chrome, (root or served) + rel, root or served, width)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.mark.parametrize("rel", sorted({p for p in PAGE_KINDS} | {"404.html"}))
def test_every_page_loads_offline_without_errors(visit, rel):
    v = visit(rel)
    if rel != "404.html":
        v.clean()
    else:
        assert v.outside == []


def search(v: Visit, query: str) -> list[str]:
    v.page.click("input.md-search__input")
    v.page.keyboard.type(query, delay=20)
    v.page.wait_for_selector(".md-search-result__item", timeout=10000)
    return v.page.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.href + ' ' + a.innerText)")


@pytest.mark.parametrize("query, expected", [
    ("Khmeimim", "bases/hmeimim-air-base.html"),  # a base by an alias
    ("Benghazi", "flights/2024-12.html"),  # a flight by its route
    ("comfort and security", "assessments.html"),  # an assessment by words of its judgment
])
def test_search_finds_facts(visit, query, expected):
    v = visit("index.html")
    results = search(v, query)
    assert any(expected in r for r in results), results
    v.clean()


def test_dark_mode_rethemes_the_charts(visit):
    v = visit("index.html")
    before = v.page.eval_on_selector_all(".brief-plot", "els => els.map(e => [e.dataset.theme, e.layout.font.color])")
    v.page.click("form[data-md-component='palette'] label:visible")
    v.page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')].every(e => e.dataset.theme === 'dark')")
    after = v.page.eval_on_selector_all(".brief-plot", "els => els.map(e => [e.dataset.theme, e.layout.font.color])")
    assert {t for t, _ in before} == {"light"} and {t for t, _ in after} == {"dark"}
    assert all(b[1] != a[1] for b, a in zip(before, after))
    v.clean()


@pytest.mark.parametrize("start, link, anchor", [
    ("assessments.html", "a[href*='#base-hmeimim-air-base']", "base-hmeimim-air-base"),
    ("assessments.html", "a[href*='#flight-belarus-libya-since-2024-12-08']", "flight-belarus-libya-since-2024-12-08"),
    ("bases/hmeimim-air-base.html", "a[href*='#source-news-report-2024-12']", "source-news-report-2024-12"),
    ("sources.html", "a[href*='#assessment-']", None),
])
def test_links_between_facts_land_on_their_anchor(visit, start, link, anchor):
    v = visit(start)
    href = v.page.get_attribute(link, "href")
    anchor = anchor or href.split("#", 1)[1]
    v.page.click(link)
    v.page.wait_for_url(f"**#{anchor}")
    in_view = v.page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                         return r.top >= 0 && r.top < window.innerHeight; }""", anchor)
    assert in_view
    v.wait_for_charts()
    v.clean()


def test_charts_have_a_caption_and_their_numbers_as_text(example):
    for rel in ["index.html", "flights/index.html", "timeline.html"]:
        text = (example.site / rel).read_text()
        assert text.count('class="brief-plot"') == text.count("<figcaption>") == text.count("The numbers behind")


@pytest.mark.parametrize("rel", PAGE_KINDS)
def test_no_serious_accessibility_violations(visit, rel):
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run make test (npm ci) first")
    v = visit(rel)
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(x => ['serious', 'critical'].includes(x.impact))
        .map(x => x.id + ': ' + x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    assert violations == []


@pytest.mark.parametrize("rel", PAGE_KINDS)
def test_phone_width_nothing_overflows(visit, rel):
    v = visit(rel, width=375)
    overflow = v.page.evaluate("() => document.scrollingElement.scrollWidth")
    plots = v.page.eval_on_selector_all(".brief-plot", "els => els.map(e => e.getBoundingClientRect().right)")
    assert overflow <= 375 and all(right <= 375 for right in plots)
    v.clean()


def test_bottom_line_comes_first_on_the_overview(visit):
    v = visit("index.html", width=375)
    assert v.page.eval_on_selector("article h2", "h => h.innerText").startswith("Bottom line up front")


def test_site_opened_from_disk_navigates_searches_and_draws(visit, example):
    root = example.site.as_uri() + "/"
    v = visit("index.html", root=root)
    v.page.click("nav.md-nav--primary a[href='bases/index.html']")
    v.page.wait_for_url("**/bases/index.html")
    assert "Hmeimim Air Base" in v.page.inner_text("article")
    assert any("hmeimim-air-base.html" in r for r in search(v, "Khmeimim"))
    v.page.goto(root + "flights/index.html")
    v.wait_for_charts()
    assert v.page.eval_on_selector_all(".brief-plot[data-drawn='true']", "els => els.length") == 2
    v.clean()


def test_build_writes_a_zip_that_works_when_unpacked(visit, example, tmp_path, capsys):
    archive = tmp_path / "brief.zip"
    assert cli.main(["-C", str(example.root), "build", "--zip", str(archive)]) == 0
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "unpacked")
    site = tmp_path / "unpacked" / "site"
    v = visit("index.html", root=site.as_uri() + "/")
    assert v.page.eval_on_selector_all(".brief-plot[data-drawn='true']", "els => els.length") == 2
    v.clean()
    again = tmp_path / "again.zip"
    assert cli.main(["-C", str(example.root), "build", "--zip", str(again)]) == 0
    assert again.read_bytes() == archive.read_bytes()


@pytest.mark.parametrize("name, rel", SCREENSHOTS.items())
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(visit, tmp_path, name, rel, width):
    v = visit(rel, width=width)
    shot = tmp_path / f"{name}-{'desktop' if width > 400 else 'phone'}.png"
    v.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    target = os.environ.get("BRIEF_SCREENSHOTS")
    if target:  # `make screenshots` refreshes the README's pictures
        shutil.copy(shot, Path(target) / shot.name)
