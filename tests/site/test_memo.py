"""The preview reuses rendered pages only when nothing they show changed: its tree equals a fresh generation."""
import pytest

from generator import build
from generator.facts import dataset
from generator.project import Project
from generator.site import plan
from generator.tools import serve
from tests.tools.test_synth import synth


def fresh(project: Project) -> dict[str, bytes]:
    """The docs tree a build from nothing generates."""
    data = dataset.load(project.data)
    return build.generate(build.Build(project, data, plan.Links(data), project.history()))


def tree(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.docs).as_posix(): p.read_bytes() for p in project.docs.rglob("*") if p.is_file()}


def edit_flight(project: Project) -> None:
    fact = project.data / "flights" / "2025-01" / "flight-000029.yml"
    fact.write_text(fact.read_text().replace("callsign: RFF7881", "callsign: RFF0001"))


def edit_base(project: Project) -> None:
    base = sorted((project.data / "bases").glob("*.yml"))[0]
    base.write_text(base.read_text().replace("name: ", "name: Renamed ", 1))


def edit_template(project: Project) -> None:
    template = project.templates / "flight_log.md.j2"
    template.write_text(template.read_text().replace("## Details", "## Details of each flight"))


@pytest.mark.parametrize("edit, reuses", [(edit_flight, True), (edit_base, False), (edit_template, False)])
def test_after_an_edit_the_preview_tree_equals_a_fresh_generation(tmp_path, edit, reuses):
    project = Project(synth(tmp_path / "brief"))
    preview = serve.Preview(project)
    preview.regenerate()
    edit(project)
    preview.regenerate()
    assert (preview.pages.reused > 0) == reuses
    assert tree(project) == fresh(project)


def test_a_refresh_shows_the_edited_page_first_and_the_pages_of_totals_right_after(tmp_path):
    project = Project(synth(tmp_path / "brief"))
    preview = serve.Preview(project, say=lambda line: None)
    preview.refresh()  # the whole site
    shown = []  # (pages published, the overview's Markdown at that moment)
    publish = preview.live.publish
    preview.live.publish = lambda problems, pages=None: (
        shown.append((pages, (project.docs / "index.md").read_text())), publish(problems, pages))
    before = (project.docs / "index.md").read_text()
    fact = project.data / "flights" / "2025-01" / "flight-000029.yml"
    fact.write_text(fact.read_text().replace("basis: tracked", "basis: reported"))
    line = preview.refresh()
    assert "18 pages reused, then 7 pages of totals)" in line, line
    (first, overview_then), (_, overview_after) = shown
    assert first == {"flights/2025-01-part-2.html", "bases/base-ltba.html", "bases/base-urss.html"}  # its log, its ends
    assert overview_then == before != overview_after
    assert tree(project) == fresh(project)
