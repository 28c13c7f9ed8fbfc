"""Markings: a TLP label on every fact, never below a cited source, and tearline editions that leave facts out."""
import json

import pytest

from generator.facts import markings
from tests.trees import BASE, assessment, flight, load, source

LABELS = "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED"
AMBER_REPORT = {"data/sources/secret.yml": source("secret", "tlp: TLP:AMBER\n")}


@pytest.mark.parametrize("files, message", [
    ({**AMBER_REPORT, "data/flights/f1.yml": flight("f1", "tlp: TLP:CLEAR\n").replace("[report]", "[report, secret]")},
     "data/flights/f1.yml:7:19: sources[1]: flight f1 is TLP:CLEAR but cites source secret marked TLP:AMBER [marking-below-source]"),
    ({**AMBER_REPORT, "data/flights/f1.yml": flight("f1").replace("[report]", "[secret]")},
     "data/flights/f1.yml:7:11: sources[0]: flight f1 is TLP:CLEAR but cites source secret marked TLP:AMBER [marking-below-source]"),
    ({**AMBER_REPORT, "data/bases/hmeimim.yml": BASE + "observations:\n  - date: 2024-12-14\n"
      "    status: active\n    summary: S\n    sources: [secret]\n    credibility: 2\n    tlp: TLP:GREEN\n"},
     "data/bases/hmeimim.yml:11:15: observations[0].sources[0]: observation 1 of base hmeimim is TLP:GREEN but "
     "cites source secret marked TLP:AMBER [marking-below-source]"),
    ({**AMBER_REPORT, "data/sources/relay.yml": source("relay", "via: secret\n")},
     "data/sources/relay.yml:7:6: via: source relay is TLP:CLEAR but cites source secret marked TLP:AMBER [marking-below-source]"),
    ({**AMBER_REPORT, "data/assessments/a1.yml": assessment("a1", "evidence:\n  - source: secret\n")},
     "data/assessments/a1.yml:10:13: evidence[0].source: assessment a1 is TLP:CLEAR but cites source secret "
     "marked TLP:AMBER [marking-below-source]"),
    ({"data/flights/f1.yml": flight("f1", "tlp: TLP:BLUE\n")},
     f"data/flights/f1.yml:8:6: tlp: 'TLP:BLUE' is not a known TLP 2.0 label, expected one of: {LABELS} [unknown-choice]"),
    ({"data/flights/f1.yml": flight("f1", "tlp: amber\n")},
     f"data/flights/f1.yml:8:6: tlp: 'amber' is not a known TLP 2.0 label, expected one of: {LABELS} [unknown-choice]"),
    ({"data/flights/f1.yml": flight("f1").replace("origin: {country: BY}", "origin: {country: BY, tlp: TLP:RED}")},
     "data/flights/f1.yml:4:23: origin.tlp: a marking cannot be set here, expected tlp only on a source, base, "
     f"observation, flight, assessment or event (or in a track file), as one of: {LABELS} [misplaced-marking]"),
    ({"data/assessments/a1.yml": assessment("a1", "evidence:\n  - source: report\n    tlp: TLP:RED\n")},
     "data/assessments/a1.yml:11:5: evidence[0].tlp: a marking cannot be set here, expected tlp only on a source, "
     f"base, observation, flight, assessment or event (or in a track file), as one of: {LABELS} [misplaced-marking]"),
    ({"data/tracks/t1.json": '{"schema": "intelbrief-track/1",\n "tlp": "TLP:PINK",\n "points": [\n'
      '  ["2024-12-14T01:00:00Z", 53.9, 27.5, 30000],\n  ["2024-12-14T02:00:00Z", 32.1, 20.0, 30000]\n]}\n'},
     f'data/tracks/t1.json:2:1: tlp: "TLP:PINK" is not a known TLP 2.0 label, expected one of: {LABELS} [unknown-choice]'),
], ids=["flight-below-source", "default-below-source", "observation-below-source", "via", "evidence-source",
        "unknown-label", "lower-case-label", "on-an-endpoint", "on-evidence", "track-label"])
def test_bad_markings_are_located_and_explained(files, message):
    _, problems = load(files)
    assert [str(p) for p in problems] == [message]


def test_a_fact_may_be_marked_above_its_sources_and_takes_the_brief_default_otherwise():
    data, problems = load({**AMBER_REPORT, "data/flights/f1.yml": flight("f1", "tlp: TLP:RED\n").replace(
        "[report]", "[report, secret]"), "data/flights/f2.yml": flight("f2")})
    assert problems == []
    assert (markings.of(data, "flights", "f1"), markings.of(data, "flights", "f2")) == ("TLP:RED", "TLP:CLEAR")
    assert markings.edition_label(data) == "TLP:RED"


def tearline_brief():
    """A CLEAR brief with AMBER and RED facts, an assessment resting on both kinds, and one resting only on AMBER."""
    return load({
        **AMBER_REPORT,
        "data/bases/hmeimim.yml": BASE + "observations:\n"
        "  - {date: 2024-12-10, status: active, summary: open, sources: [report], credibility: 2}\n"
        "  - {date: 2024-12-12, status: evacuating, summary: hidden, sources: [secret], credibility: 2, tlp: TLP:AMBER}\n",
        "data/bases/secret-base.yml": BASE.replace("hmeimim", "secret-base") + "tlp: TLP:RED\n",
        "data/flights/open.yml": flight("open").replace("origin: {country: BY}", "origin: {base: secret-base}"),
        "data/flights/group.yml": flight("group", "count: {at_least: 3}\ntlp: TLP:AMBER\n"),
        "data/flights/member.yml": flight("member", "part_of: group\n"),
        "data/assessments/mixed.yml": assessment("mixed", "evidence:\n  - flight: open\n  - flight: group\n"
                                                 "  - base: secret-base\n"),
        "data/assessments/hidden.yml": assessment("hidden", "evidence:\n  - flight: group\n"),
        "data/assessments/on-hidden.yml": assessment("on-hidden", "evidence:\n  - assessment: hidden\n"),
        "data/assessments/sources-only.yml": assessment("sources-only", "status: superseded\nsuperseded_by: hidden\n"),
    })


def test_a_release_leaves_out_facts_above_its_label_and_every_reference_to_them():
    data, problems = tearline_brief()
    assert problems == []
    released, withheld = markings.release(data, "TLP:CLEAR")
    assert (withheld.label, withheld.release) == ("TLP:CLEAR", True)
    assert sorted(released.sources) == ["report"]
    assert sorted(released.bases) == ["hmeimim"]
    assert [o.summary for o in released.bases["hmeimim"].observations] == ["open"]
    assert sorted(released.flights) == ["member", "open"]
    assert released.flights["open"].origin.base is None and released.flights["member"].part_of is None
    assert sorted(released.assessments) == ["mixed", "sources-only"]  # hidden and on-hidden rest only on withheld facts
    assert [e.target for e in released.assessments["mixed"].evidence] == [("flights", "open")]
    assert released.assessments["sources-only"].superseded_by is None
    assert withheld.evidence == {"mixed": 2}
    assert withheld.facts == {"sources": 1, "bases": 1, "flights": 1, "assessments": 2, "observations": 1}
    assert {key[1] for key in released.documents} == {"report", "hmeimim", "open", "member", "mixed", "sources-only"}
    assert released.brief.tlp == "TLP:CLEAR" and released.withheld is withheld


def test_every_released_fact_carries_its_marking_and_nothing_withheld_is_left_in_it():
    data, _ = tearline_brief()
    released, _ = markings.release(data, "TLP:CLEAR")
    text = json.dumps([fact.model_dump(mode="json") for kind in markings.MARKED
                       for fact in released.of_kind(kind).values()])
    assert all(fact.tlp == "TLP:CLEAR" for kind in markings.MARKED for fact in released.of_kind(kind).values())
    for withheld in ("secret", "secret-base", "group", "hidden", "TLP:AMBER", "TLP:RED"):
        assert f'"{withheld}"' not in text


def test_the_full_edition_keeps_everything_under_the_highest_marking():
    data, _ = tearline_brief()
    released, withheld = markings.release(data)
    assert (withheld.label, withheld.release, withheld.any()) == ("TLP:RED", False, False)
    assert released.flights["member"].part_of == "group" and released.bases["hmeimim"].observations[1].tlp == "TLP:AMBER"


def _facts(data) -> dict:
    """Every marked fact as it would be written out, with the fields it counts as set."""
    return {kind: {fid: (fact.model_dump(mode="json"), sorted(fact.model_fields_set))
                   for fid, fact in data.of_kind(kind).items()} for kind in markings.MARKED}


@pytest.mark.parametrize("label", [None, "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"])
def test_facts_handed_over_are_marked_in_place_and_released_as_copies_would_be(label):
    copied, copied_withheld = markings.release(tearline_brief()[0], label)
    data, _ = tearline_brief()
    loaded = {kind: dict(data.of_kind(kind)) for kind in markings.MARKED}
    released, withheld = markings.release(data, label, owned=True)
    assert withheld == copied_withheld
    assert _facts(released) == _facts(copied)
    assert (released.brief, released.tracks, sorted(released.documents)) == (copied.brief, copied.tracks,
                                                                           sorted(copied.documents))
    assert all(fact is loaded[kind][fid] for kind in markings.MARKED for fid, fact in released.of_kind(kind).items())


def test_a_release_leaves_the_loaded_facts_as_they_were_and_shares_those_it_does_not_change():
    data, _ = tearline_brief()
    before = _facts(data)
    released, _ = markings.release(data)
    assert _facts(data) == before  # the live preview keeps its loaded facts from one build to the next
    assert released.flights["group"] is data.flights["group"]  # marked TLP:AMBER in its file already
    assert released.flights["open"] is not data.flights["open"]  # takes the brief's TLP:CLEAR
    assert (released.flights["open"].tlp, data.flights["open"].tlp) == ("TLP:CLEAR", None)


def test_a_label_above_every_fact_gives_the_full_edition_under_that_label():
    data, _ = tearline_brief()
    released, withheld = markings.release(data, "TLP:RED")
    assert (withheld.label, withheld.any(), len(released.flights)) == ("TLP:RED", False, 3)


def test_a_release_may_leave_nothing_at_all():
    data, _ = load({"data/flights/f1.yml": flight("f1", "tlp: TLP:RED\n")},
                   brief="title: T\nedition: 2024-12-16\ntlp: TLP:AMBER\n")
    released, withheld = markings.release(data, "TLP:CLEAR")
    assert (released.sources, released.flights, withheld.facts) == ({}, {}, {"sources": 1, "flights": 1})


def test_a_withheld_track_is_left_out_and_its_flight_drawn_without_it():
    track = ('{"schema": "intelbrief-track/1", "tlp": "TLP:AMBER", "points": [\n'
             '  ["2024-12-14T01:00:00Z", 53.9, 27.5, 30000],\n  ["2024-12-14T02:00:00Z", 32.1, 20.0, 30000]\n]}\n')
    data, problems = load({"data/tracks/t1.json": track, "data/flights/f1.yml": flight("f1", "track: t1\n")})
    assert problems == [] and markings.edition_label(data) == "TLP:AMBER"
    released, withheld = markings.release(data, "TLP:GREEN")
    assert (released.tracks, released.flights["f1"].track, withheld.facts) == ({}, None, {"tracks": 1})


def test_a_release_given_the_last_release_s_copies_keeps_each_unchanged_fact_the_same_object():
    """The live preview releases the facts again after every save: a fact that did not change is given the copy the
    last release made of it (the same object, nothing copied again); a changed one is copied anew; and the facts
    released are those a release without copies gives."""
    import dataclasses

    data, problems = load({"data/bases/hmeimim.yml": BASE, "data/flights/f1.yml": flight("f1"),
                           "data/flights/f2.yml": flight("f2", "tlp: TLP:GREEN\n")})
    assert not problems
    copies = markings.Copies()
    first, _ = markings.release(data, copies=copies)
    second, _ = markings.release(data, copies=copies)
    assert first.flights["f1"] is not data.flights["f1"]  # marked with the brief's marking: a copy
    assert all(second.of_kind(kind)[fid] is first.of_kind(kind)[fid] for kind in ("flights", "bases")
               for fid in first.of_kind(kind))
    edited = data.flights["f1"].model_copy(update={"summary": "Seen again."})
    changed = dataclasses.replace(data, flights={**data.flights, "f1": edited})
    third, _ = markings.release(changed, copies=copies)
    assert third.flights["f1"] is not second.flights["f1"] and third.flights["f1"].summary == "Seen again."
    assert third.flights["f2"] is second.flights["f2"] and third.bases == second.bases
    assert third.flights == markings.release(changed)[0].flights
