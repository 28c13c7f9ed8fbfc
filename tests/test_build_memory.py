"""Memory at scale: the facts are let go of before the site engine runs, and what a build keeps of each fact file
still locates every message to its line and column."""
import gc
import shutil

import pytest

from generator import build, cli
from generator.errors import BriefError, ValidationFailed
from generator.facts import dataset, loader
from generator.facts.dataset import Dataset
from generator.outputs import exports
from generator.project import Project
from generator.site import engine
from tests.conftest import BRIEF_PARTS, REPO
from tests.test_build import tree_digest

FLIGHT = """
    id: f1
    departure: 2024-12-14T03:10Z
    arrival: 2024-12-14T07:40Z
    origin:
      base: nowhere
    destination:
      country: LY
    basis: reported
    sources: [report]
"""


def example_copy(root) -> Project:
    root.mkdir()
    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    return Project(root)


def test_a_build_apart_lets_go_of_the_facts_before_the_engine_and_builds_the_same_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    here = build.build(example_copy(tmp_path / "here"))
    alive_before = {id(o) for o in gc.get_objects() if isinstance(o, Dataset)}
    held = []
    engine_build = engine.build

    def watched(*args, **options):
        gc.collect()
        held.extend(o for o in gc.get_objects() if isinstance(o, Dataset) and id(o) not in alive_before and o.flights)
        return engine_build(*args, **options)

    monkeypatch.setattr(engine, "build", watched)
    monkeypatch.setattr(build, "APART_FROM", 0)  # the example is small: load it apart all the same
    apart = build.build(example_copy(tmp_path / "apart"))
    assert held == []  # no flight of the brief is held by the building process while the engine runs
    assert tree_digest(tmp_path / "apart" / "site") == tree_digest(tmp_path / "here" / "site")
    assert (apart.pages, apart.changed, apart.warnings, apart.withheld) == (here.pages, here.changed, here.warnings,
                                                                            here.withheld)


def test_a_problem_found_apart_is_reported_as_found_here(brief, monkeypatch):
    project = brief({"data/flights/f1.yml": FLIGHT})
    monkeypatch.setattr(build, "APART_FROM", 0)
    with pytest.raises(ValidationFailed) as apart:
        build.build(project)
    monkeypatch.setattr(build, "APART_FROM", 10**9)
    with pytest.raises(ValidationFailed) as here:
        build.build(project)
    shown = [str(p) for p in apart.value.problems]
    assert shown == [str(p) for p in here.value.problems]
    assert "data/flights/f1.yml:5:9: origin.base: " in shown[0]  # the line and column of 'nowhere'


def test_a_validated_fact_file_keeps_only_its_bytes_and_still_finds_every_position(brief):
    project = brief({"data/flights/f1.yml": FLIGHT.replace("nowhere", "x"),
                     "data/bases/x.yml": "id: x\nname: X\ncountry: LY\nkind: airfield\nlocation: unknown\n"
                                         "sources: [report]\n"})
    data = dataset.load(project.data)
    kept = data.documents[("flights", "f1")]
    assert isinstance(kept, loader.Located) and not hasattr(kept, "data") and not hasattr(kept, "__dict__")
    assert kept.where(("origin", "base")) == (5, 9)
    assert kept.where(("sources", 0)) == (9, 11)
    assert kept.where(("destination", "country"), key=True) == (7, 3)


def test_exports_and_flight_log_written_alongside_the_pages_give_the_same_tree_as_one_process(tmp_path, monkeypatch):
    """On a machine with a second core the exports and the flight log's pages are written by copies of the build's
    process while the other pages are made: the docs tree, the site and what the build reports are those of one
    process writing everything."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    monkeypatch.setattr(build, "_alongside", lambda run: True)
    beside = build.build(example_copy(tmp_path / "beside"))
    monkeypatch.setattr(build, "_alongside", lambda run: False)
    after = build.build(example_copy(tmp_path / "after"))
    work = Project(tmp_path / "after").work.relative_to(tmp_path / "after")
    assert tree_digest(tmp_path / "beside" / work / "docs") == tree_digest(tmp_path / "after" / work / "docs")
    assert tree_digest(tmp_path / "beside" / "site") == tree_digest(tmp_path / "after" / "site")
    assert (beside.pages, beside.changed) == (after.pages, after.changed)
    assert "data/brief.json" in beside.changed and "data.md" in beside.changed and "flights/2024-12.md" in beside.changed


def test_an_export_that_fails_in_its_own_process_fails_the_build_as_here(brief, monkeypatch):
    project = brief({})
    site = project.site

    def broken(*args, **kwargs):
        raise BriefError("data/brief.json: cannot be written, expected room on the disk")

    monkeypatch.setattr(exports, "write_exports", broken)
    monkeypatch.setattr(build, "_alongside", lambda run: True)
    with pytest.raises(BriefError, match=r"^data/brief.json: cannot be written, expected room on the disk$"):
        build.build(project)
    assert not site.exists()  # nothing half-written is published


def test_a_flight_log_page_that_fails_in_its_own_process_fails_the_build_as_here(brief, monkeypatch, capsys):
    project = brief({"data/flights/f1.yml": FLIGHT.replace("nowhere", "x"),
                     "data/bases/x.yml": "id: x\nname: X\ncountry: LY\nkind: airfield\nlocation: unknown\n"
                                         "sources: [report]\n"})
    (project.templates / "flight_log.md.j2").write_text("{{ no_such_value }}\n")
    monkeypatch.setattr(build, "_alongside", lambda run: True)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == ("error: templates/flight_log.md.j2:1: 'no_such_value' is undefined, "
                                       "expected a template that renders\n")
    assert not project.site.exists()
