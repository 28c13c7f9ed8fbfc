"""Reviewing fact changes: the diff between revisions, and validation output for workflows."""
import json
import subprocess

import pytest

from generator import cli

from generator.tools import diff
from tests.trees import assessment, flight

SOURCE = "id: s2\ntitle: Second\npublisher: p\npublished: unknown\nkind: news\nreliability: B\n"
BASE = ("id: hm\nname: Hmeimim\ncountry: SY\nlocation: {icao: OSLK}\nkind: air base\nsources: [report]\n"
        "observations:\n  - {date: 2024-12-10, status: active, summary: s, sources: [report], credibility: 2}\n")


def commit(root, message):
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", message],
                   cwd=root, check=True)


@pytest.fixture
def repo(brief):
    def make(before: dict, after: dict, removed=()):
        project = brief(before)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project.root, check=True)
        commit(project.root, "before")
        for rel in removed:
            (project.root / rel).unlink()
        for rel, text in after.items():
            path = project.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return project
    return make


def text(project, *args):
    return diff.as_text(diff.compare(project.root, "HEAD", *args)).splitlines()


@pytest.mark.parametrize("before, after, removed, expected", [
    ({"data/flights/f1.yml": flight("f1")},
     {"data/flights/f1.yml": "# reordered, commented\nbasis: tracked\n" + flight("f1").replace("basis: tracked\n", "")},
     (), ["Fact changes from HEAD to working tree: no fact changes"]),
    ({"data/flights/f1.yml": flight("f1")}, {"data/flights/2024-12/f1.yml": flight("f1")}, ("data/flights/f1.yml",),
     ["Fact changes from HEAD to working tree: no fact changes"]),
    ({}, {"data/flights/f1.yml": flight("f1")}, (),
     ["Fact changes from HEAD to working tree", "+ flight f1 (added): Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024"]),
    ({"data/flights/f1.yml": flight("f1")}, {}, ("data/flights/f1.yml",),
     ["Fact changes from HEAD to working tree", "- flight f1 (removed): Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024"]),
    ({"data/flights/f1.yml": flight("f1")}, {"data/flights/f1.yml": flight("f1").replace("tracked", "reported")}, (),
     ["Fact changes from HEAD to working tree", "~ flight f1 (changed)", "    basis: tracked → reported"]),
    ({"data/assessments/a1.yml": assessment("a1")},
     {"data/assessments/a1.yml": assessment("a1").replace("likely", "very likely").replace("low", "moderate")}, (),
     ["Fact changes from HEAD to working tree",
      "! assessment a1: confidence changed from low to moderate",
      "! assessment a1: likelihood changed from likely to very likely",
      "! new tradecraft finding: data/assessments/a1.yml:6:13: warning: confidence: a key judgment held with moderate "
      "confidence lists no assumptions, expected assumptions: [{text, if_wrong}] saying what it takes for granted "
      "[key-judgment-without-assumptions]",
      "! new tradecraft finding: data/assessments/a1.yml:6:13: warning: confidence: moderate confidence rests on no independent "
      "line (no evidence), expected a chain graded A to D from originator to channel or a lower confidence "
      "[weak-origin-moderate-confidence]",
      "~ assessment a1 (changed)", "    confidence: low → moderate", "    likelihood: likely → very likely"]),
    ({"data/assessments/a1.yml": assessment("a1"), "data/assessments/a2.yml": assessment("a2")},
     {"data/assessments/a1.yml": assessment("a1", "status: superseded\nsuperseded_by: a2\n")}, (),
     ["Fact changes from HEAD to working tree", "! assessment a1: superseded by a2",
      "~ assessment a1 (changed)", "    status: current → superseded", "    superseded_by: (none) → a2"]),
    ({"data/assessments/a1.yml": assessment("a1")},
     {"data/assessments/a1.yml": assessment("a1", "status: withdrawn\nnote: Its one source retracted the story.\n")}, (),
     ["Fact changes from HEAD to working tree", "! assessment a1: withdrawn",
      "~ assessment a1 (changed)", "    note: (none) → Its one source retracted the story.",
      "    status: current → withdrawn"]),
    ({"data/bases/hm.yml": BASE},
     {"data/bases/hm.yml": BASE + "  - {date: 2024-12-12, status: evacuating, summary: t, sources: [report], credibility: 3}\n"}, (),
     ["Fact changes from HEAD to working tree", "! base hm: status changed from active to evacuating",
      "~ base hm (changed)",
      '    observations[1]: (none) → {"date": {"at": "2024-12-12"}, "status": "evacuating", "summary": "t", '
      '"sources": ["report"], "credibility": 3}']),
    ({"data/sources/s2.yml": SOURCE}, {"data/sources/s2.yml": SOURCE.replace("reliability: B", "reliability: E")}, (),
     ["Fact changes from HEAD to working tree", "! source s2: reliability grade changed from B to E",
      "~ source s2 (changed)", "    reliability: B → E"]),
    ({"data/sources/s2.yml": SOURCE, "data/flights/f1.yml": flight("f1").replace("[report]", "[s2]")}, {},
     ("data/sources/s2.yml",),
     ["Fact changes from HEAD to working tree", "! flight f1: lost its last source (s2 removed)",
      "! new validation error: data/flights/f1.yml:7:11: sources[0]: no source with id 's2', expected the id of a fact in data/sources/ [unknown-reference]",
      "- source s2 (removed): Second"]),
    ({"data/flights/f1.yml": flight("f1"), "data/assessments/a1.yml": assessment("a1", "evidence: [flight: f1]\n")},
     {"data/assessments/a1.yml": assessment("a1", "evidence: [flight: f1]\n").replace("confidence: low", "confidence: high")},
     (), ["Fact changes from HEAD to working tree", "! assessment a1: confidence changed from low to high",
          "! new tradecraft finding: data/assessments/a1.yml:6:13: warning: confidence: a key judgment held with high "
          "confidence lists no assumptions, expected assumptions: [{text, if_wrong}] saying what it takes for granted "
          "[key-judgment-without-assumptions]",
          "! new tradecraft finding: data/assessments/a1.yml:6:13: warning: confidence: high confidence rests on 1 independent "
          "line ('report'), expected at least two independent lines (sharing neither originator nor channel) or a lower "
          "confidence [single-origin-high-confidence]",
          "~ assessment a1 (changed)", "    confidence: low → high"]),
])
def test_diff_lists_fact_changes(repo, before, after, removed, expected):
    assert text(repo(before, after, removed)) == expected


def test_diff_as_json_and_markdown(repo):
    project = repo({"data/flights/f1.yml": flight("f1")}, {"data/flights/f1.yml": flight("f1").replace("tracked", "reported")})
    report = diff.compare(project.root, "HEAD")
    data = json.loads(diff.as_json(report))
    assert data["format_version"] == 1 and data["changes"] == [
        {"kind": "flights", "id": "f1", "change": "changed", "fields": [{"path": "basis", "old": "tracked", "new": "reported"}]}]
    assert diff.as_markdown(report).splitlines()[-1] == "| changed | flight `f1` | `basis`: `tracked` → `reported` |"


BRIEF_YML = "title: Test brief\nedition: 2024-12-16\ntlp: TLP:CLEAR\n"


@pytest.mark.parametrize("before, after, expected", [
    (BRIEF_YML, BRIEF_YML.replace("CLEAR", "RED"),
     ["Fact changes from HEAD to working tree", "! the brief: marking changed from TLP:CLEAR to TLP:RED (more restricted)",
      "~ the brief (changed)", "    tlp: TLP:CLEAR → TLP:RED"]),
    (BRIEF_YML.replace("CLEAR", "AMBER+STRICT"), BRIEF_YML.replace("CLEAR", "GREEN").replace("Test brief", "Another"),
     ["Fact changes from HEAD to working tree",
      "! the brief: marking changed from TLP:AMBER+STRICT to TLP:GREEN (shared more widely)",
      "~ the brief (changed)", "    title: Test brief → Another", "    tlp: TLP:AMBER+STRICT → TLP:GREEN"]),
    (BRIEF_YML, BRIEF_YML + "subtitle: New\n",
     ["Fact changes from HEAD to working tree", "~ the brief (changed)", "    subtitle: (none) → New"]),
    (BRIEF_YML, "# comments and order are not changes\ntlp: TLP:CLEAR\n" + BRIEF_YML.replace("tlp: TLP:CLEAR\n", ""),
     ["Fact changes from HEAD to working tree: no fact changes"]),
])
def test_diff_treats_the_brief_file_as_facts_and_a_marking_change_as_an_alert(repo, before, after, expected):
    assert text(repo({"data/brief.yml": before}, {"data/brief.yml": after})) == expected


@pytest.mark.parametrize("value, cell, span", [
    ("plain", False, "`plain`"),
    ("a `tick`", False, "`` a `tick` ``"),
    ("``x``", False, "``` ``x`` ```"),
    ("line\n# All checks passed\r\n", False, "`line\\n# All checks passed\\r\\n`"),
    ("bell\x07 and \u2028", False, "`bell\\x07 and \\u2028`"),
    ("@octocat <details>", False, "`@octocat <details>`"),
    ("a|b", True, "`a\\|b`"),
    (" padded ", False, "`  padded  `"),
    ("", False, "(empty)"),
])
def test_markdown_shows_each_value_as_one_code_span(value, cell, span):
    assert diff.code(value, cell=cell) == span


FORGED = ("x` y\n\n### All checks passed, safe to merge\n\n![pixel](https://evil.example/p.png) @octocat "
          "<details><summary>open</summary>hidden</details> [link](https://evil.example/) | cell `` ``` ~~~")


def test_pull_request_comment_renders_every_hostile_value_literally_on_github(repo, capsys):
    import cmarkgfm
    from bs4 import BeautifulSoup

    summary = "summary: |-\n" + "".join(f"  {line}\n" if line else "\n" for line in FORGED.split("\n"))
    project = repo({"data/flights/f1.yml": flight("f1")}, {
        "data/flights/f1.yml": flight("f1", summary),
        "data/flights/f2.yml": flight("f2").replace("basis: tracked", "basis: '<img src=x> @octocat `x`'"),
        "data/brief.yml": BRIEF_YML.replace("CLEAR", "RED").replace("Test brief", "'@octocat `#` <b>x</b>'")})
    assert cli.main(["-C", str(project.root), "diff", "HEAD", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    html = BeautifulSoup(cmarkgfm.github_flavored_markdown_to_html(markdown), "html.parser")
    assert [h.get_text() for h in html.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        "Fact changes from HEAD to working tree"]
    assert not html.find_all(["img", "a", "details", "b", "summary"])
    for code in html.find_all("code"):
        code.decompose()
    assert "@" not in html.get_text() and "evil" not in html.get_text()
    rows = [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in html.select("tbody tr")]
    assert rows == [["changed", "the brief", ": \u2192 : \u2192"], ["changed", "flight", ": \u2192"]]
    shown = BeautifulSoup(cmarkgfm.github_flavored_markdown_to_html(markdown), "html.parser")
    spans = [c.get_text() for c in shown.find_all("code")]
    assert FORGED.replace("\n", "\\n") in spans
    assert "the brief: marking changed from TLP:CLEAR to TLP:RED (more restricted)" in spans
    assert "data/flights/f2.yml:6:8: basis: '<img src=x> @octocat `x`' is not a known basis, expected one of: tracked, reported, inferred [unknown-choice]" in spans
    assert "@octocat `#` <b>x</b>" in spans


def test_diff_command_defaults_to_the_merge_base_with_main(repo, capsys):
    project = repo({"data/flights/f1.yml": flight("f1")}, {"data/flights/f2.yml": flight("f2")})
    assert cli.main(["-C", str(project.root), "diff"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Fact changes from ") and out[1:] == ["+ flight f2 (added): Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024"]


def test_validate_as_github_annotations_and_json(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1").replace("tracked", "'maybe, or: not'")})
    assert cli.main(["-C", str(project.root), "validate", "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=data/flights/f1.yml,line=6,col=8,title=basis%3A unknown-choice::'maybe, or: not' is not a known basis, "
        "expected one of: tracked, reported, inferred\n")
    assert cli.main(["-C", str(project.root), "validate", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {"format_version": 1, "valid": False, "problems": [
        {"file": "data/flights/f1.yml", "line": 6, "column": 8, "field": "basis", "code": "unknown-choice",
         "severity": "error", "message": "'maybe, or: not' is not a known basis, expected one of: tracked, reported, inferred"}], "warnings": []}


def test_what_changed_page_lists_changes_since_the_edition_tag(repo):
    from bs4 import BeautifulSoup

    from generator import build

    project = repo({"data/flights/f1.yml": flight("f1")}, {"data/flights/f1.yml": flight("f1").replace("tracked", "reported"),
                                                          "data/flights/f2.yml": flight("f2")})
    build.build(project)
    page = BeautifulSoup((project.site / "changes.html").read_text(), "html.parser").select_one("article")
    assert "No previous edition is recorded" in page.get_text()
    subprocess.run(["git", "tag", "edition-1"], cwd=project.root, check=True)
    build.build(project)
    page = BeautifulSoup((project.site / "changes.html").read_text(), "html.parser").select_one("article")
    rows = [" ".join(r.get_text(" ").split()) for r in page.select("tbody tr")]
    assert rows == ["changed flight Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024 basis: tracked → reported",
                    "added flight Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024"]
    ranked = [" ".join(li.get_text().split()) for li in page.select("h1 ~ ol li")]
    assert ranked == ["New flight: Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024",
                      "Flight Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024: basis changed"]
    (project.data / "brief.yml").write_text(BRIEF_YML.replace("CLEAR", "AMBER"))
    build.build(project)
    page = BeautifulSoup((project.site / "changes.html").read_text(), "html.parser").select_one("article")
    rows = [" ".join(r.get_text(" ").split()) for r in page.select("tbody tr")]
    assert rows[0] == "changed the brief tlp: TLP:CLEAR → TLP:AMBER", rows
    ranked = [" ".join(li.get_text().split()) for li in page.select("h1 ~ ol li")]
    assert ranked[0] == "The brief's marking changed from TLP:CLEAR to TLP:AMBER", ranked
    (project.data / "flights" / "f1.yml").unlink()
    build.build(project)
    page = BeautifulSoup((project.site / "changes.html").read_text(), "html.parser").select_one("article")
    rows = [" ".join(r.get_text(" ").split()) for r in page.select("tbody tr")]
    assert "removed flight f1 Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024" in rows, rows


def test_an_added_or_removed_fact_is_summarised_in_every_format(repo):
    """A reviewer sees what a new or dropped fact is without opening its file; its words stay data in a comment."""
    hostile = "x` @octocat <img src=y> | ### Safe to merge"
    project = repo({"data/sources/s2.yml": SOURCE},
                   {"data/sources/s3.yml": SOURCE.replace("s2", "s3").replace("Second", f"'{hostile}'")}, ("data/sources/s2.yml",))
    report = diff.compare(project.root, "HEAD")
    assert diff.as_text(report).splitlines()[1:] == [f"- source s2 (removed): Second", f"+ source s3 (added): {hostile}"]
    assert [(c["change"], c["summary"]) for c in json.loads(diff.as_json(report))["changes"]] == [
        ("removed", "Second"), ("added", hostile)]
    assert diff.as_markdown(report).splitlines()[-2:] == [
        "| removed | source `s2` | `Second` |", "| added | source `s3` | ``x` @octocat <img src=y> \\| ### Safe to merge`` |"]
