"""Moving through the brief: theme toggle, links between facts, the site opened from disk and from a zip."""
import zipfile

import pytest

from generator import cli
from tests.browser.test_search import hits, search

DRAWN_COUNT = "els => els.filter(e => e.getAttribute('data-drawn') === 'true').length"


def test_dark_mode_rethemes_every_chart(reader, site_url):
    page = reader.open(site_url + "index.html")
    themes = "els => els.map(e => [e.dataset.theme, e.layout.font.color, e._fullLayout.font.color])"
    before = page.eval_on_selector_all(".brief-plot", themes)
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')].every(e => e.dataset.theme === 'dark')")
    after = page.eval_on_selector_all(".brief-plot", themes)
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')].every(e => e.dataset.theme === 'light')")
    assert len(before) == len(after) == 2
    assert {b[0] for b in before} == {"light"} and {a[0] for a in after} == {"dark"}
    assert all(b[1] != a[1] and b[2] != a[2] for b, a in zip(before, after))


@pytest.mark.parametrize("start, target", [
    ("bases/hmeimim-air-base.html", "source-"),
    ("bases/hmeimim-air-base.html", "detail-"),
    ("flights/2024-12.html", "base-"),
    ("flights/2024-12.html", "assessment-"),
    ("assessments.html", "flight-"),
    ("assessments.html", "source-"),
    ("sources.html", "assessment-"),
    ("sources.html", "base-"),
])
def test_links_between_facts_land_on_their_anchor(reader, site_url, start, target):
    page = reader.open(site_url + start)
    link = page.locator(f"article a[href*='#{target}']:not(.headerlink):visible").last  # not those folded away
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**#{anchor}")
    reader.page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')].every(e => e.dataset.drawn)")
    landed = page.evaluate("""id => { const el = document.getElementById(id); if (!el) return null;
        const box = (el.getBoundingClientRect().height ? el : el.parentElement).getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
        return {top: box.top, header: header, height: window.innerHeight}; }""", anchor)
    assert landed is not None, f"{href}: no element with id {anchor}"
    assert landed["header"] - 2 <= landed["top"] < landed["height"], landed


def test_the_site_opened_from_disk_navigates_searches_and_draws(reader, example):
    root = example.site.as_uri() + "/"
    reader.roots[:] = [root]
    page = reader.open(root + "index.html")
    page.click("nav.md-nav--primary a[href='bases/index.html']")
    page.wait_for_url("**/bases/index.html")
    assert "Hmeimim Air Base" in page.inner_text("article")
    assert hits(search(page, "Khmeimim"), "bases/hmeimim-air-base.html")
    page = reader.open(root + "flights/index.html")
    assert page.eval_on_selector_all(".brief-plot", DRAWN_COUNT) == 2


def test_build_zip_is_reproducible_and_works_unpacked(reader, example, tmp_path, capsys):
    archive, again = tmp_path / "brief.zip", tmp_path / "again.zip"
    assert cli.main(["-C", str(example.root), "build", "--zip", str(archive)]) == 0
    assert capsys.readouterr().out.endswith(f"wrote {archive}: the site as one folder that opens from disk (index.html)\n")
    assert cli.main(["-C", str(example.root), "build", "--zip", str(again)]) == 0
    assert again.read_bytes() == archive.read_bytes()
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names) and {i.date_time for i in z.infolist()} == {(2024, 12, 16, 0, 0, 0)}
        z.extractall(tmp_path / "unpacked")
    root = (tmp_path / "unpacked" / "site").as_uri() + "/"
    reader.roots[:] = [root]
    page = reader.open(root + "index.html")
    assert page.eval_on_selector_all(".brief-plot", DRAWN_COUNT) == 2
    assert hits(search(page, "Khmeimim"), "bases/hmeimim-air-base.html")
