"""A release tells nothing of what it withholds: brief diff --release words its validation messages for the release's
readers, and an observation's id does not show where withheld observations stood."""
import os
import subprocess
import uuid

from generator import cli
from generator.facts import markings
from generator.outputs import exports, stix
from tests.trees import BASE, flight, load, source

RED = "tlp: TLP:RED\n"


def commit(root):
    env = {**os.environ, "GIT_AUTHOR_DATE": "@1734300000 +0000", "GIT_COMMITTER_DATE": "@1734300000 +0000"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "commit",
                  "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def write(project, files: dict[str, str]):
    for rel, text in files.items():
        (project.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (project.root / rel).write_text(text)


HOSTILE = {  # a cycle and a group that run through RED facts, and a CLEAR fact citing a RED source
    "data/sources/a-open.yml": source("a-open", "via: b-red\n"),
    "data/sources/b-red.yml": source("b-red", "via: a-open\n" + RED),
    "data/flights/g.yml": flight("g", "count: 2\n"),
    "data/flights/m1.yml": flight("m1", "part_of: g\n"),
    "data/flights/m2.yml": flight("m2", "part_of: g\n"),
    "data/flights/m3-red.yml": flight("m3-red", "part_of: g\n" + RED),
    "data/flights/f-open.yml": flight("f-open").replace("sources: [report]", "sources: [report, c-red]"),
    "data/sources/c-red.yml": source("c-red", RED),
}


def test_diff_release_names_only_what_the_release_shows(brief, capsys):
    project = brief({})
    commit(project.root)
    write(project, HOSTILE)
    assert cli.main(["-C", str(project.root), "diff", "--release", "TLP:CLEAR"]) == 0
    shown = [line for line in capsys.readouterr().out.splitlines() if "validation error" in line]
    assert shown == [
        "! new validation error: data/sources/a-open.yml:7:6: via: via forms a cycle (a-open → a-open, and 1 withheld "
        "source), expected a chain that ends [cycle]",
        "! new validation error: data/flights/g.yml:8:8: count: 2 flights and 1 withheld flight name this group in "
        "part_of, expected a count of at least 3 [group-undercounted]",
        "! new validation error: data/flights/f-open.yml:7:19: sources[1]: flight f-open is TLP:CLEAR but cites a "
        "withheld source marked TLP:RED [marking-below-source]",
        "! new validation error: data/sources/a-open.yml:7:6: via: source a-open is TLP:CLEAR but cites a withheld "
        "source marked TLP:RED [marking-below-source]"]
    assert cli.main(["-C", str(project.root), "diff"]) == 0  # the full edition names them all
    full = capsys.readouterr().out
    assert "b-red" in full and "c-red" in full and "3 flights name this group" in full


def test_an_observation_of_a_release_cannot_be_numbered_among_withheld_ones(brief):
    base = BASE + ("observations:\n"
                   "  - {date: 2024-12-10, status: active, summary: Zqx withheld first., sources: [report], "
                   "credibility: 2, tlp: TLP:RED}\n"
                   "  - {date: 2024-12-14, status: drawing down, summary: Seen leaving., sources: [report], "
                   "credibility: 2}\n")
    data, problems = load({"data/bases/hmeimim.yml": base})
    assert problems == []
    full, _ = markings.release(data)
    clear, _ = markings.release(data, "TLP:CLEAR")
    rows = exports.csv_rows(clear, "observations")
    assert [row["id"] for row in rows] == [full.bases["hmeimim"].observations[1].identifier]  # as in every release
    kept = clear.bases["hmeimim"].observations[0]
    assert "number" not in rows[0] and len(kept.identifier) == 12
    ids = {o["id"] for o in stix.objects(clear) if "observation" in o.get("labels", [])}
    assert ids == {f"note--{uuid.uuid5(stix.NAMESPACE, f'note/observation/hmeimim/{kept.identifier}')}"}
    for n in (1, 2):  # neither position gives the id away
        assert f"note--{uuid.uuid5(stix.NAMESPACE, f'note/observation/hmeimim/{n}')}" not in ids


def test_an_observation_may_carry_its_own_id_and_ids_are_unique_in_their_base(brief):
    observation = ("  - {{date: 2024-12-14, status: active, summary: Seen., sources: [report], credibility: 2{extra}}}\n")
    pinned = BASE + "observations:\n" + observation.format(extra=", id: first-look")
    data, problems = load({"data/bases/hmeimim.yml": pinned})
    assert problems == [] and data.bases["hmeimim"].observations[0].identifier == "first-look"
    twice = BASE + "observations:\n" + observation.format(extra="") * 2
    _, problems = load({"data/bases/hmeimim.yml": twice})
    alone, _ = load({"data/bases/hmeimim.yml": BASE + "observations:\n" + observation.format(extra="")})
    same = alone.bases["hmeimim"].observations[0].identifier
    assert [str(p) for p in problems] == [
        f"data/bases/hmeimim.yml:9:5: observations[1]: id {same} is also the id of observations[0], expected each "
        "observation once, each with its own id [duplicate-id]"]
