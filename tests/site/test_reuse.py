"""A build starts from the published site when it may: only changed pages are rendered, and the result is byte for
byte the site a whole build makes of the same facts; anything that could make it differ brings a whole build."""
import hashlib
import os
import shutil

import pytest

from generator import cli
from generator.project import Project
from tests.conftest import new_brief
from tests.trees import BASE, flight

FACTS = {
    "data/bases/hmeimim.yml": BASE,
    "data/flights/first.yml": flight("first", "summary: A cargo flight\n"),
    "data/flights/second.yml": flight("second", "summary: Another cargo flight\n"),
}
WHOLE = ": the full edition"  # what brief build says after a whole build
EDITED = " (2 pages rendered again, the rest kept from the last build): the full edition"  # its month, the Data page
RENAMED = " (6 pages rendered again, the rest kept from the last build): the full edition"
NOTHING = " (0 pages rendered again, the rest kept from the last build): the full edition"


def edit(root):
    path = root / "data/flights/first.yml"
    path.write_text(path.read_text().replace("A cargo flight", "A cargo flight, seen again"))


def new_month(root):
    (root / "data/flights/third.yml").write_text(flight("third").replace("2024-12-14", "2024-11-02"))


def rename_base(root):  # text the search finds: the fragment index is made again
    path = root / "data/bases/hmeimim.yml"
    path.write_text(path.read_text().replace("name: Hmeimim Air Base", "name: Khmeimim Air Base"))


def forget_search_index(root):  # the theme's index of the published site, kept in the work folder
    (root / ".brief" / "search-index.json").unlink()


def touch_site(root):
    page = root / "site/index.html"
    page.write_bytes(page.read_bytes() + b"\n")


def forget_site(root):
    shutil.rmtree(root / "site")


def edit_settings(root):
    path = root / "mkdocs.yml"
    path.write_text(path.read_text() + "# a comment is enough\n")


CASES = [  # (what happens between two builds, options of the first build, what the second build says)
    ("nothing", None, [], NOTHING),
    ("a flight's summary edited", edit, [], EDITED),
    ("a flight in a month that had none: a new page", new_month, [], WHOLE),
    ("a base renamed: search text changed", rename_base, [], RENAMED),
    ("the kept search index removed", forget_search_index, [], WHOLE),
    ("a page of the published site changed by hand", touch_site, [], WHOLE),
    ("the published site removed", forget_site, [], WHOLE),
    ("the project's site settings edited", edit_settings, [], WHOLE),
    ("the last build was not strict", None, ["--no-strict"], WHOLE),
    ("the last build was encrypted", None, ["--encrypt"], WHOLE),
]


def brief_build(root, *options) -> str:
    return cli.main(["-C", str(root), "build", *options])


def digest(site) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("change, first, said", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_second_build_renders_only_what_changed_and_equals_a_whole_build(tmp_path, monkeypatch, capsys,
                                                                               change, first, said):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    monkeypatch.setenv("BRIEF_PASSPHRASE", "correct horse battery staple")
    project = new_brief(tmp_path / "brief", FACTS)
    assert brief_build(project.root, *first) == 0
    if change:
        change(project.root)
    capsys.readouterr()
    assert brief_build(project.root) == 0
    out = capsys.readouterr().out
    assert out.startswith("built ") and f" pages into {project.site}{said}," in out, out
    whole = tmp_path / "whole"
    shutil.copytree(project.root, whole, ignore=shutil.ignore_patterns("site", ".brief"))
    assert brief_build(whole) == 0
    assert digest(project.site) == digest(Project(whole).site)


def test_a_failed_build_leaves_the_site_and_the_next_build_renders_what_it_had_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    project = new_brief(tmp_path / "brief", FACTS)
    assert brief_build(project.root) == 0
    before = digest(project.site)
    edit(project.root)
    page = project.root / "content" / "narrative.md"
    text = page.read_text()
    page.write_text(text + "\n[a page that is not there](nowhere.md)\n")  # the engine warns: a strict build stops
    assert brief_build(project.root) == 1
    assert digest(project.site) == before
    page.write_text(text)
    capsys.readouterr()
    assert brief_build(project.root) == 0
    said = " (3 pages rendered again, the rest kept from the last build)"  # the narrative twice changed, and the edit
    assert f" pages into {project.site}{said}:" in capsys.readouterr().out
    assert "A cargo flight, seen again" in (project.site / "flights" / "2024-12.html").read_text()
    assert [p.name for p in project.root.iterdir() if p.name.startswith("site.")] == []  # no staging folder left


def test_a_rebuild_of_a_few_pages_runs_the_site_engine_in_the_build_s_process_with_the_same_site(tmp_path, monkeypatch,
                                                                                                capsys):
    """A whole build of a large site runs the engine in a process of its own (here from 0 pages); a rebuild that
    renders a few pages again runs it in the build's own process, where no process need start."""
    from generator.site import engine

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    monkeypatch.setattr(engine, "CHILD_FROM", 0)
    started = []
    in_child = engine._in_child
    monkeypatch.setattr(engine, "_in_child", lambda *args: started.append(args[0]) or in_child(*args))
    project = new_brief(tmp_path / "brief", FACTS)
    assert brief_build(project.root) == 0
    assert len(started) == 1  # the whole build
    edit(project.root)
    capsys.readouterr()
    assert brief_build(project.root) == 0
    assert EDITED in capsys.readouterr().out
    assert len(started) == 1  # the rebuild ran the engine here
    whole = tmp_path / "whole"
    shutil.copytree(project.root, whole, ignore=shutil.ignore_patterns("site", ".brief"))
    assert brief_build(whole) == 0
    assert digest(project.site) == digest(Project(whole).site)


def test_a_rebuild_leaves_every_file_of_the_published_site_as_it_was_until_the_swap(tmp_path, monkeypatch):
    """The search fragments are linked into the new site rather than copied; a rebuild that indexes again (a base
    renamed) and one that keeps the index (a summary edited) change no byte of any file the published site held,
    each file followed through a link of its own made before the rebuild."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    project = new_brief(tmp_path / "brief", FACTS)
    assert brief_build(project.root) == 0
    for change in (edit, rename_base):
        held = tmp_path / f"held-{change.__name__}"
        for path in [p for p in project.site.rglob("*") if p.is_file()]:
            (held / path.relative_to(project.site)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, held / path.relative_to(project.site))
        before = digest(held)
        assert any(name.startswith("pagefind/fragment/") for name in before)
        change(project.root)
        assert brief_build(project.root) == 0
        assert digest(held) == before
