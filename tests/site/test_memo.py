"""The preview reuses rendered pages only when nothing they show changed: its tree equals a fresh generation."""
import pytest

from generator import build
from generator.project import Project
from generator.tools import serve
from tests.tools.test_synth import synth


def fresh(project: Project) -> dict[str, bytes]:
    """The docs tree brief build generates from nothing (the full edition, marked as a build marks it)."""
    return build.generate(build.prepare(project))


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
    assert "7 pages reused, then 22 pages of totals)" in line, line  # pages listing facts one by one, then the rest
    (first, overview_then), (_, overview_after) = shown
    assert first == {"flights/2025-01-part-2.html", "bases/base-ltba.html", "bases/base-urss.html"}  # its log, its ends
    assert overview_then == before != overview_after
    assert tree(project) == fresh(project)


def test_editing_a_member_of_a_group_renders_the_group_s_page_again(tmp_path):
    from tests.conftest import new_brief
    from tests.trees import flight

    group = flight("group", "count: {at_least: 3}\n").replace("arrival: 2024-12-14", "arrival: {between: [2024-11-08, 2024-11-14]}")
    member = flight("member", "part_of: group\n").replace("destination: {country: LY}",
                                                         "destination: {place: Benghazi, country: LY}")
    project = new_brief(tmp_path / "brief", {"data/flights/group.yml": group, "data/flights/member.yml": member})
    preview = serve.Preview(project)
    preview.regenerate()
    assert "of which 1 to Benghazi, Libya" in (project.docs / "flights" / "2024-11.md").read_text()
    (project.data / "flights" / "member.yml").write_text(member.replace("Benghazi", "Tobruk"))
    preview.regenerate()  # the member's own page is December's; the group's November page must follow it
    assert "of which 1 to Tobruk, Libya" in (project.docs / "flights" / "2024-11.md").read_text()
    assert tree(project) == fresh(project)


def test_a_hand_written_page_edited_while_flights_change_is_shown_at_once_and_kept_when_unchanged(tmp_path):
    project = Project(synth(tmp_path / "brief"))
    preview = serve.Preview(project, say=lambda line: None)
    preview.refresh()
    narrative = project.content / "narrative.md"
    fact = project.data / "flights" / "2025-01" / "flight-000029.yml"
    fact.write_text(fact.read_text().replace("basis: tracked", "basis: reported"))
    narrative.write_text(narrative.read_text() + "\nA line added while a flight changed.\n")
    shown = []
    publish = preview.live.publish
    preview.live.publish = lambda problems, pages=None: (
        shown.append((pages, (project.docs / "narrative.md").read_text())), publish(problems, pages))
    preview.refresh()
    (first, narrative_then), _ = shown
    assert "narrative.html" in first and "A line added while a flight changed." in narrative_then
    assert tree(project) == fresh(project)
