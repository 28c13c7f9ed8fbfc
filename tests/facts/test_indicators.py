"""Indicators evaluated against the facts at the edition date, the ACH table, and the analytic line's fields."""
import pytest

from generator.facts import analysis, indicators, markings
from tests.trees import BASE, assessment, flight, load

EDITION = "2024-12-16"


def indicator(iid: str, watch: str, extra: str = "") -> str:
    return f"id: {iid}\ntitle: Indicator {iid}\nsignals: Something would follow.\nwatch: {watch}\n{extra}"


def dated(fid: str, when: str, extra: str = "", origin: str = "{country: BY}", destination: str = "{country: LY}") -> str:
    return flight(fid, extra).replace("arrival: 2024-12-14", f"arrival: {when}").replace(
        "origin: {country: BY}", f"origin: {origin}").replace("destination: {country: LY}", f"destination: {destination}")


def read(files: dict[str, str], label: str | None = None):
    data, problems = load(files)
    assert problems == []
    if label:
        data, _ = markings.release(data, label)
    return indicators.evaluate(data)


BY_LY = "{flights: {from: BY, to: LY, at_least: 3, within_days: 7}}"  # 10 to 16 December 2024

READINGS = [
    # (files, status of indicator i, since, flights that meet it, flights that possibly meet it)
    ({"data/flights/a.yml": dated("a", "2024-12-12"), "data/flights/b.yml": dated("b", "2024-12-16"),
      "data/indicators/i.yml": indicator("i", BY_LY)},
     "not met", None, ("a", "b"), ()),
    ({"data/flights/a.yml": dated("a", "2024-12-12"), "data/flights/b.yml": dated("b", "2024-12-16"),
      "data/flights/c.yml": dated("c", "2024-12-14"), "data/indicators/i.yml": indicator("i", BY_LY)},
     "met", "2024-12-16", ("a", "c", "b"), ()),
    # a flight dated before the window does not count, nor one on the other route
    ({"data/flights/a.yml": dated("a", "2024-12-12"), "data/flights/b.yml": dated("b", "2024-12-16"),
      "data/flights/old.yml": dated("old", "2024-12-09"), "data/flights/back.yml": dated("back", "2024-12-14", "",
                                                                                           "{country: LY}", "{country: BY}"),
      "data/indicators/i.yml": indicator("i", BY_LY)},
     "not met", None, ("a", "b"), ()),
    # "at least three" counts as three; its members are counted inside it, never beside it
    ({"data/flights/g.yml": dated("g", "{between: [2024-12-11, 2024-12-15]}", "count: {at_least: 3}\n"),
      "data/flights/m.yml": dated("m", "2024-12-14", "part_of: g\n"), "data/indicators/i.yml": indicator("i", BY_LY)},
     "met", "2024-12-15", ("g",), ()),
    # a flight dated only to a range that overlaps the window: possibly met, and which flight says so
    ({"data/flights/a.yml": dated("a", "2024-12-12"), "data/flights/b.yml": dated("b", "2024-12-16"),
      "data/flights/r.yml": dated("r", "{between: [2024-12-05, 2024-12-11]}"), "data/indicators/i.yml": indicator("i", BY_LY)},
     "possibly met", None, ("a", "b"), ("r",)),
    # a place named by a base id, a place name or an ICAO code
    ({"data/bases/hmeimim.yml": BASE, "data/flights/a.yml": dated("a", "2024-12-15", "", "{base: hmeimim}"),
      "data/flights/b.yml": dated("b", "2024-12-15", "", "{airfield: OSLK}", "{place: Benghazi, country: LY}"),
      "data/indicators/i.yml": indicator("i", "{flights: {from: OSLK, to: LY, at_least: 2, within_days: 3}}")},
     "met", "2024-12-15", ("a", "b"), ()),
    ({"data/bases/hmeimim.yml": BASE, "data/flights/a.yml": dated("a", "2024-12-15", "", "{base: hmeimim}"),
      "data/indicators/i.yml": indicator("i", "{flights: {from: hmeimim, at_least: 1, within_days: 3}}")},
     "met", "2024-12-15", ("a",), ()),
    # a base's latest observation
    ({"data/bases/hmeimim.yml": BASE + "observations:\n  - {date: 2024-12-10, status: active, summary: S, sources: [report], "
                                       "credibility: 2}\n  - {date: 2024-12-14, status: evacuating, summary: S, sources: "
                                       "[report], credibility: 2}\n",
      "data/indicators/i.yml": indicator("i", "{base: {id: hmeimim, status: evacuating}}")},
     "met", "2024-12-14", (), ()),
    ({"data/bases/hmeimim.yml": BASE + "observations:\n  - {date: 2024-12-14, status: evacuating, summary: S, sources: "
                                       "[report], credibility: 2}\n  - {date: 2024-12-15, status: active, summary: S, "
                                       "sources: [report], credibility: 2}\n",
      "data/indicators/i.yml": indicator("i", "{base: {id: hmeimim, status: evacuating}}")},
     "not met", None, (), ()),
    # events since a day, in a country, naming a word
    ({"data/events/e.yml": "id: e\ntitle: S-400 seen at Benghazi\ndate: 2024-12-15\nsummary: S\ncountry: LY\nsources: [report]\n",
      "data/indicators/i.yml": indicator("i", "{event: {since: 2024-12-10, country: LY, mentions: s-400}}")},
     "met", "2024-12-15", (), ()),
    ({"data/events/e.yml": "id: e\ntitle: Talks\ndate: {between: [2024-12-01, 2024-12-12]}\nsummary: S\nsources: [report]\n",
      "data/indicators/i.yml": indicator("i", "{event: {since: 2024-12-10}}")},
     "possibly met", None, (), ("e",)),
    # set by the analysts
    ({"data/indicators/i.yml": indicator("i", "manual", "status: met\nsince: 2024-12-12\nsources: [report]\n")},
     "met", "2024-12-12", (), ()),
]


@pytest.mark.parametrize("files, status, since, met_by, possibly", READINGS)
def test_each_watch_condition_is_evaluated_at_the_edition_date(files, status, since, met_by, possibly):
    reading = read(files)["i"]
    assert reading.status == status
    assert (reading.since.isoformat() if reading.since else None) == since
    assert tuple(fid for kind, fid in reading.facts if kind == "flights") == met_by
    assert tuple(fid for _, fid in reading.possible) == possibly


def test_facts_that_meet_a_base_or_event_condition_are_named():
    files = READINGS[7][0]
    assert read(files)["i"].facts == (("bases", "hmeimim"),)
    assert read(READINGS[9][0])["i"].facts == (("events", "e"),)
    assert read(READINGS[11][0])["i"].facts == (("sources", "report"),)


def test_a_release_shows_the_status_its_own_facts_give():
    files = {"data/flights/a.yml": dated("a", "2024-12-12"), "data/flights/b.yml": dated("b", "2024-12-16"),
             "data/flights/c.yml": dated("c", "2024-12-14", "tlp: TLP:AMBER\n"),
             "data/indicators/i.yml": indicator("i", BY_LY),
             "data/indicators/secret.yml": indicator("secret", BY_LY, "tlp: TLP:AMBER\n")}
    assert read(files)["i"].status == "met"
    released = read(files, "TLP:CLEAR")
    assert released["i"].status == "not met"  # the AMBER flight that tips it is withheld
    assert "secret" not in released  # an indicator marked above the release is withheld


@pytest.mark.parametrize("text, message", [
    (indicator("i", "{flights: {at_least: 2, within_days: 3}}"),
     "data/indicators/i.yml:4:18: watch.flights: neither 'from' nor 'to' is given, expected at least one of them "
     "[watch-without-place]"),
    (indicator("i", "sometimes"),
     "data/indicators/i.yml:4:8: watch: 'sometimes' is not a watch condition, expected manual or a mapping with one of "
     "flights, base or event [invalid-watch]"),
    (indicator("i", "manual"),
     "data/indicators/i.yml:1:1: status: a manual indicator has no status, expected status: met or not met "
     "[manual-indicator-without-status]"),
    (indicator("i", "manual", "status: met\n"),
     "data/indicators/i.yml:1:1: sources: a manual indicator that is met cites no source, expected sources: [...] "
     "[manual-indicator-unsourced]"),
    (indicator("i", "{base: {id: hmeimim, status: active}}", "status: met\n"),
     "data/indicators/i.yml:5:9: status: status and since are computed from the facts for this watch condition, "
     "expected them only with watch: manual [status-on-computed-indicator]"),
    (indicator("i", "{base: {id: nowhere, status: active}}"),
     "data/indicators/i.yml:4:20: watch.base.id: no base with id 'nowhere', expected the id of a fact in data/bases/ "
     "[unknown-reference]"),
    (indicator("i", "manual", "status: not met\nbears_on: [{assessment: gone, direction: supports}]\n"),
     "data/indicators/i.yml:6:25: bears_on[0].assessment: no assessment with id 'gone', expected the id of a fact in "
     "data/assessments/ [unknown-reference]"),
])
def test_a_wrong_indicator_is_named_by_file_line_and_field(text, message):
    _, problems = load({"data/indicators/i.yml": text})
    assert [str(p) for p in problems] == [message]


# ---------------------------------------------------------------- ACH

ALTERNATIVES = ("alternatives:\n  - {id: routine, hypothesis: Routine resupply., status: less likely}\n"
                "  - {id: exit, hypothesis: Withdrawal only., status: rejected}\n")

ACH = [
    # (evidence fits, ratings per row, diagnostic per row, inconsistent per hypothesis, strongest)
    (["{main: consistent, routine: inconsistent, exit: inconsistent}", "{main: consistent, exit: inconsistent}"],
     [("consistent", "inconsistent", "inconsistent"), ("consistent", "neutral", "inconsistent")],
     [True, True], (0, 1, 2), ("main",)),
    (["{main: consistent, routine: consistent, exit: consistent}", "{main: neutral, routine: neutral, exit: neutral}"],
     [("consistent",) * 3, ("neutral",) * 3], [False, False], (0, 0, 0), ("main", "routine", "exit")),
    (["{main: inconsistent, routine: consistent, exit: consistent}", None],
     [("inconsistent", "consistent", "consistent"), ("not rated",) * 3], [True, False], (1, 0, 0), ("routine", "exit")),
]


@pytest.mark.parametrize("fits, ratings, diagnostic, inconsistent, strongest", ACH)
def test_the_ach_table_rates_counts_and_marks_what_is_not_diagnostic(fits, ratings, diagnostic, inconsistent, strongest):
    evidence = "evidence:\n" + "".join(f"  - flight: f{n}\n" + (f"    fits: {f}\n" if f else "") for n, f in enumerate(fits))
    files = {f"data/flights/f{n}.yml": flight(f"f{n}") for n in range(len(fits))}
    data, problems = load({**files, "data/assessments/a.yml": assessment("a", ALTERNATIVES + evidence)})
    assert problems == []
    table = analysis.matrix(data.assessments["a"])
    assert [h.id for h in table.hypotheses] == ["main", "routine", "exit"]
    assert [r.ratings for r in table.rows] == ratings
    assert [r.diagnostic for r in table.rows] == diagnostic
    assert table.inconsistent == inconsistent
    assert table.strongest == strongest


def test_fits_must_name_a_hypothesis_of_the_judgment():
    _, problems = load({"data/flights/f1.yml": flight("f1"), "data/assessments/a.yml": assessment(
        "a", ALTERNATIVES + "evidence:\n  - flight: f1\n    fits: {main: consistent, other: neutral}\n")})
    assert [str(p) for p in problems] == [
        "data/assessments/a.yml:14:37: evidence[0].fits.other: 'other' is not a hypothesis of this judgment, expected "
        "main or one of its alternatives' ids: exit, routine [unknown-hypothesis]"]


def test_the_brief_file_s_references_are_checked_like_every_reference():
    _, problems = load({}, brief="title: T\nedition: 2024-12-16\ntlp: TLP:CLEAR\n"
                                 "implications:\n  - {text: So what., rests_on: [nothing]}\n")
    assert [str(p) for p in problems] == [
        "data/brief.yml:5:33: implications[0].rests_on[0]: no assessment with id 'nothing', expected the id of a fact in "
        "data/assessments/ [unknown-reference]"]


def test_the_cut_off_is_the_latest_fact_known_to_the_day_never_after_the_edition():
    data, _ = load({"data/flights/a.yml": dated("a", "2024-12-12"),
                    "data/flights/y.yml": dated("y", "'2024'")})  # a year-only date does not move the cut-off
    assert analysis.cutoff(data).isoformat() == "2024-12-12"
    data, _ = load({"data/flights/a.yml": dated("a", "{between: [2024-12-12, 2024-12-20]}")})
    assert analysis.cutoff(data).isoformat() == EDITION
    data, _ = load({}, brief="title: T\nedition: 2024-12-16\ntlp: TLP:CLEAR\nscope: {cutoff: 2024-12-01}\n")
    assert analysis.cutoff(data).isoformat() == "2024-12-01"
