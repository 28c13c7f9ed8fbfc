"""Every page as a reader opens it: no error, nothing fetched from outside, marked, dated, accessible, fits a phone."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import provenance as provenance_of_intelbrief
from tests.browser.conftest import PHONE, WAIT_MS
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGE_KINDS = {"overview": "index.html", "narrative": "narrative.html", "bases index": "bases/index.html",
              "a base": "bases/hmeimim-air-base.html", "flights index": "flights/index.html",
              "a flight-log month": "flights/2024-12.html", "assessments": "assessments.html",
              "timeline": "timeline.html", "sources": "sources.html", "sourcing": "sourcing.html", "what changed": "changes.html",
              "methodology": "methodology.html"}
SCREENSHOTS = {"overview": "index.html", "base": "bases/hmeimim-air-base.html", "flight-log": "flights/2024-12.html"}


def built_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_the_guard_records_outside_requests_and_errors(reader, site_url):
    page = reader.open(site_url + "sources.html")
    page.evaluate("() => fetch('https://example.org/beacon').catch(() => null)")
    page.evaluate("() => console.error('broken on purpose')")
    recorded = reader.problems()
    reader.outside.clear()
    reader.errors.clear()
    assert recorded[0] == "outside request: https://example.org/beacon"
    assert "console: broken on purpose" in recorded


def test_every_page_loads_marked_and_dated_with_no_error_and_no_outside_request(reader, site_url, example, facts):
    commit, date = subprocess.run(["git", "log", "-1", "--format=%h %cI"], cwd=example.root, capture_output=True,
                                  text=True, check=True).stdout.split()
    pages = built_pages(example.site)
    assert set(PAGE_KINDS.values()) <= set(pages)
    for rel in pages:
        page = reader.open(site_url + rel)
        assert reader.problems() == [], rel
        assert page.inner_text(".brief-banner .brief-marking") == facts.brief.tlp, rel
        assert page.is_visible(".brief-banner .brief-marking"), rel
        provenance = " ".join(page.inner_text(".brief-provenance").split())
        assert provenance == (f"{facts.brief.tlp} · built from data revision {commit} of {date} · made with "
                              f"{provenance_of_intelbrief.describe()}"), rel


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
@pytest.mark.parametrize("rel", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_no_serious_or_critical_accessibility_violation(reader, printed_site_url, rel, scheme):
    """axe-core, its colour-contrast rule (WCAG AA, 4.5:1) included, on the site as published with its PDF link,
    in the light and the dark scheme."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: make test runs npm ci first")
    reader.roots.append(printed_site_url)
    page = reader.open(printed_site_url + rel)
    page.mouse.move(0, 0)  # no link hovered by where the last test left the pointer
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    if scheme == "slate":  # colours read once the scheme has changed, never halfway through the theme's transitions
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
        page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')].every(el => el.getAttribute('data-theme') === 'dark')")
    assert page.locator(".md-banner a.brief-pdf-link").count() == 1
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations'],
            rules: {'color-contrast': {enabled: true}}}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact) || v.id === 'color-contrast')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary).join(', '))""")
    assert violations == []


def test_key_facts_of_a_base_are_a_table_with_row_headers(reader, site_url, facts):
    page = reader.open(site_url + "bases/hmeimim-air-base.html")
    table = page.locator("article table").first
    assert table.locator("thead").count() == 0 or table.locator("thead th:empty").count() == 0
    headers = table.locator("tbody th[scope=row]").all_inner_texts()
    assert headers == ["Country", "Kind", "Operator", "Also known as", "Location", "Latest status", "Sources"]
    assert ", ".join(facts.bases["hmeimim-air-base"].aliases) in table.inner_text()


@pytest.mark.parametrize("rel", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_on_a_phone_tables_scroll_and_charts_fit(reader, site_url, rel):
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + rel)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    plots = page.eval_on_selector_all(".brief-plot, .brief-plot .main-svg",
                                      "els => els.map(e => e.getBoundingClientRect().right)")
    assert all(right <= PHONE["width"] for right in plots), plots
    wide = page.eval_on_selector_all(".md-typeset__table", """els => els.filter(e => e.scrollWidth > e.clientWidth)
        .map(e => getComputedStyle(e.querySelector('table')).overflowX)""")
    assert all(overflow == "auto" for overflow in wide), wide


def test_on_a_phone_the_bottom_line_comes_first(reader, site_url):
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + "index.html")
    headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => [h.innerText, h.getBoundingClientRect().top])")
    assert headings[0][0].startswith("Bottom line")
    assert headings[0][1] == min(top for _, top in headings)
    assert page.evaluate("() => document.querySelector('article h2').getBoundingClientRect().top") < PHONE["height"]


@pytest.mark.parametrize("name, rel", SCREENSHOTS.items())
@pytest.mark.parametrize("form, size", [("desktop", (1280, 800)), ("phone", (375, 740))])
def test_screenshots(reader, site_url, tmp_path, name, rel, form, size):
    reader.page.set_viewport_size({"width": size[0], "height": size[1]})
    page = reader.open(site_url + rel)
    # back at the top after the charts were drawn: the theme's header shows the site's name again, with no title
    # caught halfway through its transition
    page.wait_for_function("() => !document.querySelector('.md-header__title--active')", timeout=WAIT_MS)
    shot = tmp_path / f"{name}-{form}.png"
    page.screenshot(path=str(shot), animations="disabled")
    assert shot.stat().st_size > 10_000
    target = os.environ.get("BRIEF_SCREENSHOTS")
    if target:  # make screenshots refreshes the README's pictures
        shutil.copy(shot, Path(target) / shot.name)


def test_on_a_phone_a_table_too_wide_becomes_cards_with_every_value_in_view(reader, site_url):
    page = reader.open(site_url + "flights/2024-12.html")
    assert page.locator("article table.brief-cards").count() == 0  # on a desktop the flight log is a table
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + "flights/2024-12.html")
    cells = page.eval_on_selector("article table.brief-cards", """t => [...t.querySelectorAll('tbody td')]
        .map(td => [td.getAttribute('data-label'), td.getBoundingClientRect().right])""")
    labels = {label for label, _ in cells}
    assert {"Aircraft", "Basis", "Sources"} <= labels
    assert all(right <= PHONE["width"] for _, right in cells)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_until_the_brief_font_arrives_text_is_set_in_a_stand_in_scaled_to_it(reader, site_url):
    """The body's fonts name IBM Plex Sans and then its stand-in, whose faces are a local sans scaled by the widths
    measured against Plex, so text wraps alike before and after Plex arrives (nothing on screen moves)."""
    page = reader.open(site_url + "assessments.html")
    family = page.evaluate("() => getComputedStyle(document.querySelector('article p')).fontFamily")
    assert family.startswith('"IBM Plex Sans", "IBM Plex Sans Fallback"'), family
    faces = page.evaluate("""() => [...document.styleSheets].flatMap(s => { try { return [...s.cssRules]; }
        catch (e) { return []; } }).filter(r => r.constructor.name === 'CSSFontFaceRule'
        && r.style.getPropertyValue('font-family').includes('Fallback'))
        .map(r => [r.style.getPropertyValue('font-weight'), r.style.getPropertyValue('font-style'),
                   r.style.getPropertyValue('size-adjust'), r.style.getPropertyValue('src')])""")
    assert sorted((weight, style) for weight, style, _, _ in faces) == [
        ("400", "italic"), ("400", "normal"), ("600", "normal"), ("700", "normal")]
    assert all(size.endswith("%") and 70 < float(size[:-1]) < 100 and src.startswith("local(")
               for _, _, size, src in faces), faces

