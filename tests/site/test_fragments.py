"""The served site's fragment index (Pagefind): built from the finished site, the same bytes from the same site, only
the pages and parts the theme's search indexes, made again only when what search finds changed."""
import json
import shutil

import pytest

from generator import cli
from generator.errors import BuildError
from generator.site import fragments
from tests.conftest import new_brief
from tests.search_index import fragment_pages, theme_index
from tests.trees import BASE, flight

FACTS = {
    "data/bases/hmeimim.yml": BASE,
    "data/flights/first.yml": flight("first", "summary: A cargo flight\naircraft: {type: Il-76, registration: RA-78830}\n"),
}


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    project = new_brief(tmp_path / "brief", FACTS)
    assert cli.main(["-C", str(project.root), "build"]) == 0
    return project


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_published_site_has_the_fragment_index_the_script_copy_and_no_json_copy(built):
    site = built.site
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "search" / "search_index.js").is_file()
    assert not (site / "search" / "search_index.json").exists() and not (site / fragments.PAGES).exists()
    assert (built.work / fragments.KEPT_INDEX).read_bytes() == \
        (site / "search" / "search_index.js").read_bytes().removeprefix(b"var __index = ")
    tag = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en"]["hash"]
    assert f'var FRAGMENTS = "{tag}";' in (site / fragments.SWITCH).read_text()
    assert (site / "pagefind" / f"pagefind.{tag}.pf_meta").is_file()  # which the script asks for with Pagefind's
    assert not [name for name in fragments.UNUSED if (site / "pagefind" / name).exists()]


def test_it_indexes_the_pages_the_theme_indexes_without_what_the_theme_leaves_out(built):
    pages = {page["url"]: page for page in fragment_pages(built.site)}
    theme = {doc["location"].split("#")[0] for doc in theme_index(built.site)["docs"]}
    assert {url.lstrip("/") for url in pages} == theme
    assert "/404.html" not in pages and "/bases/index.html" not in pages  # a page with search: exclude
    log = pages["/flights/2024-12.html"]["content"]
    assert "RA-78830" in log and "A cargo flight" not in log  # the aircraft list, not the flight's details
    assert "Hmeimim Air Base" in pages["/bases/hmeimim.html"]["meta"]["title"]
    assert "Overview" not in pages["/bases/hmeimim.html"]["content"]  # the navigation is not indexed


def test_the_same_site_gives_the_same_bytes(built, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(built.site, again)
    shutil.rmtree(again / "pagefind")
    shutil.copyfile(built.work / fragments.KEPT_INDEX, again / fragments.THEME_INDEX)
    fragments.publish(again)
    assert files(again / "pagefind") == files(built.site / "pagefind")


def test_the_fragment_index_is_kept_when_the_theme_finds_the_same_text_and_made_again_when_not(built, tmp_path):
    stage = tmp_path / "stage"
    shutil.copytree(built.site, stage)
    last = fragments.put_back_theme_index(built.work, stage)
    (stage / "pagefind" / "kept-mark").write_text("the last build's")
    assert fragments.publish(stage, last) == last
    assert (stage / "pagefind" / "kept-mark").is_file() and not (stage / fragments.THEME_INDEX).exists()
    (stage / fragments.THEME_INDEX).write_bytes(last)
    fragments.publish(stage, last.replace(b"Hmeimim", b"Khmeimim"))  # the last site's index said something else
    assert files(stage / "pagefind") == files(built.site / "pagefind")


def test_an_edit_search_does_not_see_costs_no_indexing(built, monkeypatch, capsys):
    made = []
    monkeypatch.setattr(fragments, "write", lambda site, pages: made.append(len(pages)))
    path = built.data / "flights" / "first.yml"
    path.write_text(path.read_text().replace("A cargo flight", "A cargo flight, seen again"))
    assert cli.main(["-C", str(built.root), "build"]) == 0
    assert "rendered again" in capsys.readouterr().out and made == []
    path.write_text(path.read_text().replace("RA-78830", "RA-78831"))  # the aircraft list search reads
    assert cli.main(["-C", str(built.root), "build"]) == 0
    assert made == [len(fragment_pages(built.site))]


def test_a_failing_indexer_stops_the_build_with_its_message(built, monkeypatch, tmp_path):
    stage = tmp_path / "stage"
    shutil.copytree(built.site, stage)
    shutil.rmtree(stage / "pagefind")
    monkeypatch.setattr(fragments, "ROOT", "article[")  # a selector Pagefind refuses
    with pytest.raises(BuildError, match=r"^the search index could not be built \(Pagefind exited with \d+\)"):
        fragments.write(stage, ["index.html"])
    assert not (stage / fragments.PAGES).exists()
