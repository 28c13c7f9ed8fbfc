"""Tearline editions: a TLP:CLEAR release of a brief holding AMBER and RED facts leaks none of them, in any byte."""
import html
import json
import re
import shutil
import subprocess

import pytest

from generator import cli
from generator.outputs import stix
from tests import canaries
from tests.conftest import commit_all, new_brief, write_tree

EPOCH = "1734307200"


@pytest.fixture(scope="module")
def editions(tmp_path_factory, chromium):
    """The canary brief in git (previous edition tagged), built full, then released at TLP:CLEAR: site, zip, PDF."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        out = tmp_path_factory.mktemp("release")
        project = new_brief(out / "brief", canaries.EARLIER, base={"data/brief.yml": canaries.BRIEF})
        canaries.write_captures(project.root)
        commit_all(project.root, EPOCH)
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
        subprocess.run([*git, "tag", "edition-1"], cwd=project.root, check=True)
        (project.data / "events" / "red-gone-k7.yml").unlink()
        write_tree(project.root, canaries.FACTS)
        subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
        subprocess.run([*git, "commit", "-qm", "Second edition"], cwd=project.root, check=True)
        assert cli.main(["-C", str(project.root), "build"]) == 0
        shutil.copytree(project.site, out / "full")
        assert cli.main(["-C", str(project.root), "pdf", "--full", "--release", "TLP:CLEAR", "-o",
                         str(out / "clear.pdf")]) == 0  # the complete reference; the distribution edition beside it
        shutil.copyfile(project.site / "brief.pdf", out / "clear-edition.pdf")
        assert cli.main(["-C", str(project.root), "build", "--release", "TLP:CLEAR", "--zip", str(out / "clear.zip")]) == 0
        yield project, out


def test_the_full_edition_holds_every_canary_so_the_search_can_see_them(editions):
    _, out = editions
    found = canaries.traces([out / "full"], [*canaries.WITHHELD, *canaries.WITHHELD_TRACES])
    gone_title, gone_summary = canaries.GONE  # the full edition's What changed page names the removed event by its title
    assert set(canaries.WITHHELD) - set(found) == {gone_summary} and gone_title in found
    assert {"amber-flight-k7", "red-k7.example.org", "13.5791", "35.96321"} <= set(found)
    # the fragment index (gzip-compressed, which the search reads through) holds withheld canaries in the full edition
    indexed = canaries.traces([out / "full" / "pagefind"], canaries.WITHHELD)
    names = {name.rsplit(".", 1)[-1] for found_in in indexed.values() for name in found_in}
    assert len(indexed) >= 5 and names == {"pf_fragment", "pf_index"}  # the pages' text and the words' index


def test_a_clear_release_has_no_trace_of_a_withheld_fact_in_any_byte_of_site_zip_or_pdf(editions):
    project, out = editions
    outputs = [project.site, out / "clear.zip", out / "clear.pdf", out / "clear-edition.pdf"]
    assert canaries.traces(outputs, [*canaries.WITHHELD, *canaries.WITHHELD_TRACES]) == {}
    # both search indexes were searched too: the theme's (read from disk) and the fragments served over HTTP
    assert (project.site / "search" / "search_index.js").is_file()
    assert len(list((project.site / "pagefind" / "fragment").glob("*.pf_fragment"))) >= 10


def test_the_release_still_shows_every_open_fact_in_the_site_and_the_pdf(editions):
    project, out = editions
    assert set(canaries.traces([out / "clear.pdf"], canaries.OPEN)) == set(canaries.OPEN)
    printed = canaries.pdf_text((out / "clear.pdf").read_bytes())
    # every fact of the release is TLP:CLEAR, so the banner says it once and no portion repeats it
    assert re.search(r"Seen active qzx\d+xzq", printed) and "(TLP:CLEAR)" not in printed
    searchable = set(canaries.traces([out / "full" / "search"], canaries.OPEN))  # the index leaves prose out
    assert searchable and set(canaries.traces([project.site / "search"], canaries.OPEN)) == searchable
    assert searchable <= set(canaries.traces([project.site / "pagefind"], canaries.OPEN))  # served: the same found


def test_the_release_is_marked_with_its_label_and_says_what_it_left_out(editions):
    project, out = editions
    page = (project.site / "index.html").read_text()
    assert "TLP:CLEAR" in page and "TLP:AMBER" not in page and "TLP:RED" not in page
    assert "This is the TLP:CLEAR edition: facts marked above TLP:CLEAR are left out" in page
    assert "TLP:RED" in (out / "full" / "index.html").read_text()  # the full edition: the highest marking present
    assessments = (project.site / "assessments.html").read_text()
    assert "Rests in part on 2 withheld items (marked above TLP:CLEAR)." in assessments
    assert 'class="brief-portion"' not in assessments  # one marking in the whole release: no portion marks
    full = (out / "full" / "assessments.html").read_text()  # the full edition mixes markings: each portion says its own
    assert 'class="brief-portion" data-search-exclude data-tlp="clear">(TLP:CLEAR)</span>' in full
    assert 'data-tlp="red">(TLP:RED)</span>' in full or 'data-tlp="amber">(TLP:AMBER)</span>' in full


def test_counts_that_could_include_withheld_facts_say_at_least(editions):
    project, out = editions
    figures = (project.site / "index.html").read_text()
    # One open flight shown, its group and two more withheld: every flight count is a lower bound.
    assert "<td>at least 1 (at least 1 reported)</td>" in figures  # every basis with an open flight named
    assert "<td>at least 0 current of at least 1</td>" in figures  # the superseded open judgment
    assert "<td>at least 1</td>" in figures  # sources: the open report, two withheld
    full = (out / "full" / "index.html").read_text()
    assert "<td>at least 5 (at least 4 tracked, 1 reported)</td>" in full
    per_day = html.unescape((project.site / "flights" / "index.html").read_text())
    assert re.search(r"<td>14 Dec 2024</td>\s*<td>unknown → Open base qzx\d+xzq</td>\s*<td>at least 1</td>", per_day)


def test_the_release_exports_carry_each_fact_and_its_marking_and_the_lost_evidence(editions):
    project, _ = editions
    facts = json.loads((project.site / "data" / "brief.json").read_bytes())
    assert facts["edition"] == {"tlp": "TLP:CLEAR", "release": True}
    assert [(a["id"], a["withheld_evidence"], a["tlp"]) for a in facts["assessments"]] == [
        ("open-judgment", 2, "TLP:CLEAR")]
    bundle = json.loads((project.site / "data" / "brief.stix.json").read_bytes())
    marked = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert {m for o in marked for m in o["object_marking_refs"]} == {stix.TLP_MARKINGS["TLP:CLEAR"]}
    note = next(o for o in marked if o["id"] == stix.stix_id("note", "assessment/open-judgment"))
    assert "Rests in part on 2 withheld items (marked above TLP:CLEAR)." in note["content"]


def test_the_full_stix_bundle_marks_every_object_with_its_own_fact_s_marking(editions):
    from generator.facts import dataset

    project, out = editions
    second = dataset.load(project.data).bases["open-base"].observations[1].identifier
    bundle = json.loads((out / "full" / "data" / "brief.stix.json").read_bytes())
    marks = {o["id"]: o["object_marking_refs"] for o in bundle["objects"] if o["type"] != "marking-definition"}
    expected = {("note", "flight/amber-flight-k7"): "TLP:AMBER", ("note", "event/red-event-k7"): "TLP:RED",
                ("note", "flight/open-flight-k7"): "TLP:CLEAR", ("location", "base/amber-base-k7"): "TLP:AMBER",
                ("note", f"observation/open-base/{second}"): "TLP:AMBER", ("report", "Canary brief"): "TLP:RED"}
    assert {key: marks[stix.stix_id(*key)] for key in expected} == {
        key: [stix.TLP_MARKINGS[label]] for key, label in expected.items()}
    definitions = {o["name"] for o in bundle["objects"] if o["type"] == "marking-definition"}
    assert definitions == {"TLP:CLEAR", "TLP:AMBER", "TLP:RED"}


def test_what_changed_in_a_release_names_only_released_facts(editions):
    project, out = editions
    full = " ".join(re.sub("<[^>]+>", " ", html.unescape((out / "full" / "changes.html").read_text())).split())
    assert "removed event red-gone-k7" in full and "Earlier red summary" in full  # the full edition shows them
    release = html.unescape((project.site / "changes.html").read_text())
    assert "added Open judgment" in " ".join(re.sub("<[^>]+>", " ", release).split())
    assert "red-gone" not in release and "Earlier red" not in release and "Amber" not in release


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_brief_diff_release_does_not_mention_withheld_facts(editions, form, capsys):
    project, _ = editions
    assert cli.main(["-C", str(project.root), "diff", "edition-1", "--format", form]) == 0
    assert "red-gone-k7" in capsys.readouterr().out  # without --release the removed RED event is reported
    assert cli.main(["-C", str(project.root), "diff", "edition-1", "--format", form, "--release", "TLP:CLEAR"]) == 0
    shown = capsys.readouterr().out
    assert "open-judgment" in shown
    assert [t for t in [*canaries.WITHHELD, *canaries.WITHHELD_TRACES] if t in shown] == []


def test_a_release_that_leaves_no_facts_still_builds_and_says_so(brief, capsys):
    project = brief({"data/sources/report.yml": "id: report\ntitle: R\npublisher: unknown\npublished: 2024-12-15\n"
                     "kind: news\nreliability: B\ntlp: TLP:RED\n"})
    assert cli.main(["-C", str(project.root), "build", "--release", "TLP:CLEAR"]) == 0
    assert capsys.readouterr().out.endswith(
        "the TLP:CLEAR release holds no facts: every fact is marked above TLP:CLEAR\n")
    page = html.unescape((project.site / "index.html").read_text())
    assert "This TLP:CLEAR edition holds no facts: every fact of the brief is marked above TLP:CLEAR" in page
    assert json.loads((project.site / "data" / "brief.json").read_bytes())["sources"] == []


def test_a_release_label_above_every_fact_gives_the_full_edition_under_that_label(brief, capsys):
    project = brief({})
    assert cli.main(["-C", str(project.root), "build", "--release", "TLP:AMBER"]) == 0
    assert capsys.readouterr().out.endswith(
        "the TLP:AMBER release: every fact is cleared for TLP:AMBER, so nothing is left out\n")
    page = (project.site / "sources.html").read_text()
    assert "TLP:AMBER" in page and "A news report" in page


def test_an_unknown_release_label_is_refused_with_the_valid_labels(brief, capsys):
    project = brief({})
    with pytest.raises(SystemExit) as exit_:
        cli.main(["-C", str(project.root), "build", "--release", "TLP:WHITE"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.replace("'", "")  # argparse quotes the choices in newer Pythons
    assert ("argument --release: invalid choice: TLP:WHITE (choose from TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
            "TLP:AMBER+STRICT, TLP:RED)") in err


@pytest.mark.parametrize("settings, code, out", [
    ("publish: TLP:CLEAR\n", 0, "TLP:CLEAR\n"),
    ("publish: TLP:AMBER\npublish_private: true\n", 0, "TLP:AMBER\n"),
    ("publish: TLP:GREEN\n", 1, ""),
    ("publish: TLP:CLEAR\npublish_private: yes\n", 1, ""),
])
def test_release_check_prints_the_label_to_publish_at_or_refuses(brief, capsys, settings, code, out):
    project = brief({}, base={"data/brief.yml": "title: T\nedition: 2024-12-16\ntlp: TLP:CLEAR\n" + settings})
    assert (cli.main(["-C", str(project.root), "release-check"]), capsys.readouterr().out) == (code, out)


def test_brief_diff_release_counts_problems_in_files_it_does_not_show_without_their_text(brief, capsys):
    project = brief({})
    commit_all(project.root, EPOCH)
    write_tree(project.root, {
        "data/flights/amber-broken.yml": "id: amber-broken\nsummary: qzx9999xzq\nbasis: guessed\ntlp: TLP:AMBER\n",
        "data/flights/open-broken.yml": "id: open-broken\nbasis: guessed\n"})
    assert cli.main(["-C", str(project.root), "diff", "HEAD", "--release", "TLP:CLEAR"]) == 0
    shown = capsys.readouterr().out
    assert "qzx9999xzq" not in shown and "amber-broken" not in shown
    assert shown == ("Fact changes from HEAD to working tree\n! new validation error: data:1:1: 12 problems in "
                     "files not cleared for TLP:CLEAR or not readable, expected none: run brief validate to see them "
                     "[withheld-problems]\n")  # every field problem of both files: neither validated, so none is shown


def test_an_observation_keeps_its_id_and_stix_id_when_a_release_leaves_out_the_one_before():
    from generator.facts import markings
    from generator.outputs import exports, stix
    from tests import trees

    base = trees.BASE + (
        "observations:\n"
        "  - {date: 2024-12-10, status: active, summary: Seen busy, sources: [report], credibility: 2, tlp: TLP:AMBER}\n"
        "  - {date: 2024-12-14, status: drawing down, summary: Seen emptier, sources: [report], credibility: 2}\n")
    data, problems = trees.load({"data/bases/hmeimim.yml": base})
    assert problems == []
    released, _ = markings.release(data, "TLP:CLEAR")

    def notes(edition):
        return {o["abstract"]: o["id"] for o in stix.objects(edition) if "observation" in o.get("labels", [])}

    kept = data.bases["hmeimim"].observations[1].identifier
    assert notes(released) == {"Hmeimim Air Base: drawing down (14 Dec 2024)":
                               stix.stix_id("note", f"observation/hmeimim/{kept}")}
    assert notes(released).items() <= notes(data).items()
    rows = [e for e in exports.exports(released, 0) if e.path == "data/observations.csv"][0].body.decode()
    assert rows.splitlines()[1].startswith(f'"hmeimim","{kept}","2024-12-14"')
