"""The sourcing graph: independent origins behind each judgment, and the tradecraft findings they show."""
from datetime import date
from pathlib import Path

import pytest

from generator.facts import dataset, sourcing
from tests.trees import BRIEF, assessment, flight, load, source

REPO = Path(__file__).resolve().parents[2]
VIA = "via: report\n"


def relayed(*ids: str, grade: str = "B") -> dict[str, str]:
    """Sources reported through the news report, each with its own grade."""
    return {f"data/sources/{i}.yml": source(i, VIA).replace("reliability: B", f"reliability: {grade}") for i in ids}


ASSUMED = "assumptions:\n  - {text: The tracking is accurate., if_wrong: The count would not hold.}\n"


def judged(aid: str, confidence: str, evidence: str = "", extra: str = "") -> str:
    """A judgment of the brief's own; held above low confidence it lists an assumption, so that only the finding a
    case is about shows."""
    body = assessment(aid, (ASSUMED if confidence != "low" else "") + extra).replace("confidence: low", f"confidence: {confidence}")
    return body + (f"evidence:\n{evidence}" if evidence else "")


def found(files: dict[str, str], **options) -> list[str]:
    data, problems = load(files, **options)
    assert problems == []
    return [str(f) for f in sourcing.findings(data, data.brief.stale_after)]


FINDINGS = [
    # single-origin-high-confidence: two originators read through one channel make one line
    ({**relayed("tracker", "official"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[tracker]"),
      "data/flights/f2.yml": flight("f2").replace("[report]", "[official, report]"),
      "data/assessments/a.yml": judged("a", "high", "  - flight: f1\n  - flight: f2\n", "")},
     ["data/assessments/a.yml:6:13: warning: confidence: high confidence rests on 1 independent line ('official' through "
      "'report'), expected at least two independent lines (sharing neither originator nor channel) or a lower confidence "
      "[single-origin-high-confidence]"]),
    ({"data/assessments/a.yml": judged("a", "high")},
     ["data/assessments/a.yml:6:13: warning: confidence: high confidence rests on no independent line (no evidence), "
      "expected at least two independent lines (sharing neither originator nor channel) or a lower confidence "
      "[single-origin-high-confidence]"]),
    ({**{"data/sources/imagery.yml": source("imagery")},
      "data/flights/f1.yml": flight("f1").replace("[report]", "[imagery]"),
      "data/flights/f2.yml": flight("f2"),
      "data/assessments/a.yml": judged("a", "high", "  - flight: f1\n  - flight: f2\n")},
     []),
    # weak-origin-moderate-confidence: every chain graded E or F at its weakest link
    ({"data/sources/rumour.yml": source("rumour").replace("reliability: B", "reliability: E"),
      "data/sources/blog.yml": source("blog").replace("reliability: B", "reliability: F"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[rumour, blog]"),
      "data/assessments/a.yml": judged("a", "moderate", "  - flight: f1\n")},
     ["data/assessments/a.yml:6:13: warning: confidence: moderate confidence rests on 2 independent lines ('blog', "
      "'rumour'), its best chain graded only E at its weakest link ('blog' F, 'rumour' E), expected a chain graded A to D "
      "from originator to channel or a lower confidence [weak-origin-moderate-confidence]"]),
    ({"data/assessments/a.yml": judged("a", "moderate")},
     ["data/assessments/a.yml:6:13: warning: confidence: moderate confidence rests on no independent line (no evidence), "
      "expected a chain graded A to D from originator to channel or a lower confidence [weak-origin-moderate-confidence]"]),
    # an unnamed witness (F) read in a fairly reliable outlet (C): the chain is as weak as the witness
    ({**relayed("witness", grade="F"),
      "data/sources/report.yml": source("report").replace("reliability: B", "reliability: C"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[witness]"),
      "data/assessments/a.yml": judged("a", "moderate", "  - flight: f1\n")},
     ["data/assessments/a.yml:6:13: warning: confidence: moderate confidence rests on 1 independent line ('witness' "
      "through 'report'), its best chain graded only F at its weakest link ('witness' through 'report' F), expected a "
      "chain graded A to D from originator to channel or a lower confidence [weak-origin-moderate-confidence]"]),
    ({"data/assessments/a.yml": judged("a", "moderate").replace("attribution: brief", "attribution: {name: An expert}")},
     []),  # an outside view is recorded as given
    # superseded-evidence-only
    ({"data/assessments/old.yml": assessment("old", "status: superseded\nsuperseded_by: new\n"),
      "data/assessments/new.yml": assessment("new"),
      "data/assessments/a.yml": judged("a", "low", "  - assessment: old\n")},
     ["data/assessments/a.yml:10:3: warning: evidence: every piece of evidence is a superseded or withdrawn judgment "
      "(old), expected at least one current fact [superseded-evidence-only]"]),
    ({"data/assessments/old.yml": assessment("old", "status: superseded\nsuperseded_by: new\n"),
      "data/assessments/new.yml": assessment("new"),
      "data/assessments/gone.yml": assessment("gone", "status: withdrawn\nnote: Its only source was retracted.\n"),
      "data/assessments/a.yml": judged("a", "low", "  - assessment: old\n  - assessment: gone\n")},
     ["data/assessments/a.yml:10:3: warning: evidence: every piece of evidence is a superseded or withdrawn judgment "
      "(old, gone), expected at least one current fact [superseded-evidence-only]"]),
    ({"data/assessments/old.yml": assessment("old", "status: superseded\nsuperseded_by: new\n"),
      "data/assessments/new.yml": assessment("new"),
      "data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": judged("a", "low", "  - assessment: old\n  - flight: f1\n")},
     []),
    # circular-corroboration: on one fact's sources, and across an assessment's evidence
    ({**relayed("tracker", "official"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[tracker, official]")},
     ["data/flights/f1.yml:7:10: warning: sources: 'official' and 'tracker' all reach the brief through 'report', which "
      "is not cited, expected them counted as one line of reporting (cite the channel too) [circular-corroboration]"]),
    ({**relayed("tracker", "official"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[tracker, official, report]")},
     []),
    ({**relayed("tracker", "official"),
      "data/flights/f1.yml": flight("f1").replace("[report]", "[tracker]"),
      "data/flights/f2.yml": flight("f2").replace("[report]", "[official]"),
      "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n  - flight: f2\n").replace(
          "sources: [report]", "sources: [tracker]")},
     ["data/assessments/a.yml:10:3: warning: evidence: evidence from 'official' and 'tracker' all reaches the brief "
      "through 'report', which none of it cites, expected it counted as one line of reporting, not as corroboration "
      "[circular-corroboration]"]),
    ({**relayed("tracker", "official"),
      "data/bases/hmeimim.yml": "id: hmeimim\nname: Hmeimim\ncountry: SY\nlocation: {icao: OSLK}\nkind: air base\n"
                                "sources: [report]\nobservations:\n  - date: 2024-12-14\n    status: active\n"
                                "    summary: S\n    sources: [tracker, official]\n    credibility: 2\n"},
     ["data/bases/hmeimim.yml:11:14: warning: observations[0].sources: 'official' and 'tracker' all reach the brief "
      "through 'report', which is not cited, expected them counted as one line of reporting (cite the channel too) "
      "[circular-corroboration]"]),
    # stale-judgment: only with stale_after set in brief.yml
    ({"data/flights/f1.yml": flight("f1").replace("2024-12-14", "2024-10-01"),
      "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n")},
     []),
    # credibility-without-corroboration
    ({**relayed("tracker"),
      "data/flights/f1.yml": flight("f1", "credibility: 1\n").replace("[report]", "[tracker, report]")},
     ["data/flights/f1.yml:8:14: warning: credibility: credibility 1 (confirmed by other sources) but its sources make "
      "one independent line ('report'), expected a second independent line or a lower grade "
      "[credibility-without-corroboration]"]),
    ({"data/sources/imagery.yml": source("imagery"),
      "data/flights/f1.yml": flight("f1", "credibility: 1\n").replace("[report]", "[imagery, report]")},
     []),
    # key-judgment-without-assumptions: a key judgment (all of the brief's own when none is marked key) held with
    # moderate or high confidence that lists no assumptions
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "evidence: [flight: f1]\n").replace("confidence: low", "confidence: moderate")},
     ["data/assessments/a.yml:6:13: warning: confidence: a key judgment held with moderate confidence lists no assumptions, "
      "expected assumptions: [{text, if_wrong}] saying what it takes for granted [key-judgment-without-assumptions]"]),
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "evidence: [flight: f1]\n" + ASSUMED).replace(
          "confidence: low", "confidence: moderate")},
     []),  # it says what it takes for granted
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "evidence: [flight: f1]\n").replace("confidence: low", "confidence: moderate"),
      "data/assessments/b.yml": assessment("b", "key: true\n")},
     []),  # another judgment is the key one, and b is held with low confidence
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "evidence: [flight: f1]\n").replace(
          "confidence: low", "confidence: moderate").replace("attribution: brief", "attribution: {name: An expert}")},
     []),  # an outside view is never a key judgment
    # no-diagnostic-evidence: alternatives, but every rated item fits every hypothesis the same way
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: open}\n"
                                           "evidence:\n  - flight: f1\n    fits: {main: consistent, routine: consistent}\n")},
     ["data/assessments/a.yml:10:3: warning: alternatives: 1 alternative listed but no evidence rates differently across "
      "the hypotheses, expected at least one evidence item whose fits tell them apart [no-diagnostic-evidence]"]),
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: open}\n"
                                           "evidence:\n  - flight: f1\n")},
     ["data/assessments/a.yml:10:3: warning: alternatives: 1 alternative listed but no evidence rates differently across "
      "the hypotheses, expected at least one evidence item whose fits tell them apart [no-diagnostic-evidence]"]),  # unrated
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: open}\n"
                                           "evidence:\n  - flight: f1\n    fits: {main: consistent}\n")},
     []),  # routine is left out, so neutral: the item tells them apart
    # rejected-without-inconsistent-evidence
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: rejected}\n"
                                           "evidence:\n  - flight: f1\n    fits: {main: consistent, routine: neutral}\n")},
     ["data/assessments/a.yml:10:58: warning: alternatives[0].status: alternative 'routine' is rejected but no evidence is "
      "rated inconsistent with it, expected fits: {routine: inconsistent} on the evidence that rules it out, or status "
      "open or less likely [rejected-without-inconsistent-evidence]"]),
    ({"data/flights/f1.yml": flight("f1"),
      "data/assessments/a.yml": assessment("a", "alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: rejected}\n"
                                           "evidence:\n  - flight: f1\n    fits: {routine: inconsistent}\n")},
     []),
]


def graded(sid: str, grade: str, via: str | None = None) -> dict[str, str]:
    return {f"data/sources/{sid}.yml": source(sid, f"via: {via}\n" if via else "").replace("reliability: B",
                                                                                           f"reliability: {grade}")}


CHAINS = [  # (sources, cited by one flight, (originator, channel, grade) of each chain, independent lines, best grade)
    ("witness via outlet",
     {**graded("witness", "F", "outlet"), **graded("outlet", "C")}, ["witness"],
     [("witness", "outlet", "F")], 1, "F"),
    ("outlets via one wire",
     {**graded("outlet-a", "C", "wire"), **graded("outlet-b", "B", "wire"), **graded("wire", "A")}, ["outlet-a", "outlet-b"],
     [("outlet-a", "wire", "C"), ("outlet-b", "wire", "B")], 1, "B"),
    ("two originators via one outlet",
     {**graded("witness", "F", "outlet"), **graded("official", "B", "outlet"), **graded("outlet", "C")},
     ["official", "witness"],
     [("official", "outlet", "C"), ("witness", "outlet", "F")], 1, "C"),
    ("two originators via two outlets",
     {**graded("witness", "D", "outlet-a"), **graded("official", "B", "outlet-b"), **graded("outlet-a", "C"),
      **graded("outlet-b", "A")}, ["official", "witness"],
     [("official", "outlet-b", "B"), ("witness", "outlet-a", "D")], 2, "B"),
    ("an outlet read directly beside a witness it relays",
     {**graded("witness", "E", "outlet"), **graded("outlet", "B")}, ["outlet", "witness"],
     [("outlet", "outlet", "B"), ("witness", "outlet", "E")], 1, "B"),
    ("weakest link in the middle of a chain",
     {**graded("official", "A", "agency"), **graded("agency", "E", "paper"), **graded("paper", "B")}, ["official"],
     [("official", "paper", "E")], 1, "E"),
]


@pytest.mark.parametrize("name, sources, cited, chains, lines, best", CHAINS, ids=[c[0] for c in CHAINS])
def test_chains_have_two_ends_a_weakest_link_and_independent_lines(name, sources, cited, chains, lines, best):
    data, problems = load({**sources, "data/flights/f1.yml": flight("f1").replace("[report]", f"[{', '.join(cited)}]"),
                           "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n")})
    assert problems == []
    got = sourcing.all_sourcing(data)["a"]
    assert [(c.originator, c.channel, c.grade) for c in got.chains] == chains
    assert (len(got.lines), got.best_grade) == (lines, best)
    picked = [(c.originator, c.channel) for c in got.lines]  # pairwise independent: no shared end
    assert len({o for o, _ in picked}) == len({c for _, c in picked}) == len(picked)


def test_independent_lines_are_a_maximum_matching_of_originators_and_channels():
    chain = sourcing.Chain
    # a greedy pick of the best chain first (a→x) would leave one line; the matching finds two (a→y, b→x)
    found = [chain("a", "x", "A"), chain("a", "y", "B"), chain("b", "x", "C")]
    assert sourcing.independent(found) == (chain("a", "y", "B"), chain("b", "x", "C"))
    assert sourcing.independent([]) == ()


def test_more_judgments_marked_key_than_page_one_prints():
    files = {f"data/assessments/k{n}.yml": assessment(f"k{n}", "key: true\n").replace("2024-12-15", f"2024-12-0{n}")
             for n in range(1, 8)}
    files["data/assessments/k7.yml"] = files["data/assessments/k7.yml"] + "priority: 1\n"
    assert found(files) == [
        "data/assessments/k2.yml:9:6: warning: key: 7 current judgments are marked key but page 1 prints 5; this one "
        "ranks 6th and goes to a later page, expected at most 5 marked key or a priority on the ones page 1 must carry "
        "[too-many-key-judgments]"]
    assert found({k: v for k, v in files.items() if k < "data/assessments/k6"}) == []


@pytest.mark.parametrize("files, expected", FINDINGS)
def test_findings(files, expected):
    assert found(files) == expected


def test_every_finding_code_has_a_case_in_the_table():
    shown = {line.rsplit("[", 1)[1].rstrip("]") for _, expected in FINDINGS for line in expected}
    assert shown | {"stale-judgment", "too-many-key-judgments"} == set(sourcing.CODES)  # each has its own test


def test_stale_judgment_after_the_days_set_in_the_brief():
    files = {"data/flights/f1.yml": flight("f1").replace("2024-12-14", "2024-10-01"),
             "data/flights/f2.yml": flight("f2").replace("2024-12-14", "2024-11-20"),
             "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n  - flight: f2\n")}
    assert found(files, brief=BRIEF + "stale_after: 26\n") == []
    assert found(files, brief=BRIEF + "stale_after: 20\n") == [
        "data/assessments/a.yml:10:3: warning: evidence: the newest evidence is from 2024-11-20, 26 days before the edition, "
        "expected evidence from the last 20 days (stale_after) or status superseded [stale-judgment]"]
    superseded = {**files, "data/assessments/b.yml": assessment("b"),
                  "data/assessments/a.yml": files["data/assessments/a.yml"].replace(
                      "attribution: brief\n", "attribution: brief\nstatus: superseded\nsuperseded_by: b\n")}
    assert found(superseded, brief=BRIEF + "stale_after: 20\n") == []


def test_what_an_assessment_rests_on():
    data, problems = load({
        **relayed("tracker", "official"),
        "data/sources/imagery.yml": source("imagery", "kind: imagery\n").replace("kind: news\n", "", 1)
        .replace("reliability: B", "reliability: A"),
        "data/flights/f1.yml": flight("f1").replace("[report]", "[tracker]"),
        "data/flights/f2.yml": flight("f2", "").replace("basis: tracked", "basis: reported")
        .replace("[report]", "[official]").replace("2024-12-14", "2024-12-10"),
        "data/events/e.yml": "id: e\ntitle: T\ndate: 2024-12-01\nsummary: S\nsources: [imagery]\n",
        "data/assessments/inner.yml": assessment("inner", "evidence:\n  - event: e\n  - assessment: a\n"),
        "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n  - flight: f2\n  - assessment: inner\n"),
    })
    assert problems == []
    got = sourcing.all_sourcing(data)["a"]
    assert got.channels == ("imagery", "report")  # the evidence judgment's own source and its evidence count
    assert got.originators == got.cited == ("imagery", "official", "report", "tracker")
    assert [(c.originator, c.channel) for c in got.lines] == [("imagery", "imagery"), ("official", "report")]
    assert (got.best_grade, got.reported, got.counted) == ("A", 1, 2)
    assert (got.newest, got.age_days) == (date(2024, 12, 15), 1)  # the evidence judgment is dated 2024-12-15
    assert sourcing.all_sourcing(data)["inner"].channels == ("imagery", "report")  # a loop of evidence ends


def test_a_thousand_relays_trace_to_one_origin():
    chain = {f"data/sources/relay-{n}.yml": source(f"relay-{n}", f"via: relay-{n - 1}\n" if n else VIA)
             for n in range(1000)}
    data, problems = load({**chain, "data/flights/f1.yml": flight("f1").replace("[report]", "[relay-999]"),
                           "data/assessments/a.yml": judged("a", "low", "  - flight: f1\n")})
    assert problems == []
    got = sourcing.all_sourcing(data)["a"]
    assert (got.originators, got.channels, len(got.lines)) == (("relay-999",), ("report",), 1)
    assert len(sourcing.chain(data, "relay-999")) == 1001


def test_the_example_brief_rests_on_one_report():
    data = dataset.load(REPO / "data")
    every = sourcing.all_sourcing(data)
    assert {aid: s.channels for aid, s in every.items()} == {aid: ("news-report-2024-12",) for aid in data.assessments}
    assert {aid: (len(s.lines), s.best_grade) for aid, s in every.items()} == {aid: (1, "F") for aid in data.assessments}
    assert sourcing.findings(data, data.brief.stale_after) == []
    # freshness is the earliest day a fact's date allows: evidence dated "between 8 and 15 Dec" is from 8 Dec, and the
    # base observation dated only "2024" is never as fresh as the edition's day
    stale = "the newest evidence is from 2024-12-08, 8 days before the edition, expected evidence from the last 0 days"
    assert [(f.file, f.code) for f in sourcing.findings(data, 0) if f.message.startswith(stale)] == [
        ("data/assessments/experts-belarus-stockpiles-to-libya.yml", "stale-judgment"),
        ("data/assessments/harchaoui-protecting-libyan-footprint.yml", "stale-judgment"),
        ("data/assessments/harchaoui-syria-more-hostile.yml", "stale-judgment"),
        ("data/assessments/harchaoui-syria-pushes-russia-to-libya.yml", "stale-judgment"),
        ("data/assessments/more-departures-from-hmeimim.yml", "stale-judgment")]
    assert every["russia-shifting-airlift-to-libya"].newest.isoformat() == "2024-12-14"  # the Benghazi flight's day


# ---------------------------------------------------------------- through the brief command

HIGH = {"data/flights/f1.yml": flight("f1"),
        "data/assessments/a.yml": judged("a", "high", "  - flight: f1\n")}
WARNING = ("data/assessments/a.yml:6:13: warning: confidence: high confidence rests on 1 independent line ('report'), "
           "expected at least two independent lines (sharing neither originator nor channel) or a lower confidence "
           "[single-origin-high-confidence]")
MESSAGE = ("high confidence rests on 1 independent line ('report'), expected at least two independent lines "
           "(sharing neither originator nor channel) or a lower confidence")


def run(capsys, *args) -> tuple[int, str, str]:
    from generator import cli

    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_prints_findings_as_warnings_and_passes(brief, capsys):
    project = brief(HIGH)
    assert run(capsys, "-C", str(project.root), "validate") == (0, WARNING + "\n" + (
        "data/: valid (1 source, 0 bases, 1 flight, 1 assessment, 0 events); 1 warning (tradecraft findings)\n"), "")


def test_validate_prints_warnings_after_the_errors(brief, capsys):
    project = brief({**HIGH, "data/flights/f2.yml": flight("f2").replace("tracked", "maybe")})
    code, out, err = run(capsys, "-C", str(project.root), "validate")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "data/flights/f2.yml:6:8: basis: 'maybe' is not a known basis, expected one of: tracked, reported, inferred "
        "[unknown-choice]", WARNING, "1 error, 1 warning."]


def test_strict_turns_findings_into_errors(brief, capsys):
    project = brief(HIGH)
    assert run(capsys, "-C", str(project.root), "validate", "--strict") == (1, "", (
        f"data/assessments/a.yml:6:13: confidence: {MESSAGE} [single-origin-high-confidence]\n"
        "1 error.\n"))
    code, _, err = run(capsys, "-C", str(project.root), "build", "--strict")
    assert code == 1 and err.endswith("1 error; nothing was written.\n")
    assert not project.site.exists()


def test_findings_as_json_and_github_annotations(brief, capsys):
    import json

    project = brief(HIGH)
    code, out, _ = run(capsys, "-C", str(project.root), "validate", "--format", "json")
    assert code == 0 and json.loads(out) == {"format_version": 1, "valid": True, "problems": [], "warnings": [
        {"file": "data/assessments/a.yml", "line": 6, "column": 13, "field": "confidence", "severity": "warning",
         "code": "single-origin-high-confidence", "message": MESSAGE}]}
    code, out, _ = run(capsys, "-C", str(project.root), "validate", "--format", "json", "--strict")
    assert code == 1 and json.loads(out)["warnings"] == [] and json.loads(out)["problems"] == [
        {"file": "data/assessments/a.yml", "line": 6, "column": 13, "field": "confidence", "severity": "error",
         "code": "single-origin-high-confidence", "message": MESSAGE}]
    assert run(capsys, "-C", str(project.root), "validate", "--format", "github") == (0, (
        "::warning file=data/assessments/a.yml,line=6,col=13,title=confidence%3A single-origin-high-confidence::"
        f"{MESSAGE}\n"), "")


def test_build_names_the_findings_and_the_sourcing_page_lists_them(brief, capsys):
    from bs4 import BeautifulSoup

    project = brief(HIGH)
    code, out, _ = run(capsys, "-C", str(project.root), "build")
    assert code == 0 and out.startswith("built 14 pages into " + str(project.site))
    assert out.endswith("; 1 tradecraft finding, listed by brief validate\n")
    page = BeautifulSoup((project.site / "sourcing.html").read_text(), "html.parser").select_one("article")
    assert page.h1.get_text().startswith("Sourcing")
    assert [" ".join(li.get_text().split()) for li in page.select("h2#findings ~ div li")] == [
        f"single-origin-high-confidence: data/assessments/a.yml:6 (confidence): {MESSAGE}"]
    judgments = BeautifulSoup((project.site / "assessments.html").read_text(), "html.parser")
    assert ("Sourcing: 1 independent line, best chain graded B. Originators: A news report (B). Read in: A news report "
            "(B).") in " ".join(judgments.get_text().split())


def test_judgments_citing_each_other_count_each_others_statements_but_never_their_own():
    data, problems = load({
        "data/sources/s1.yml": source("s1"),
        "data/assessments/a.yml": assessment("a", "evidence: [assessment: b]\n").replace("[report]", "[s1]"),
        "data/assessments/b.yml": assessment("b", "evidence: [assessment: a]\n"),
    })
    assert problems == []
    every = sourcing.all_sourcing(data)
    assert (every["a"].channels, every["b"].channels) == (("report",), ("s1",))
