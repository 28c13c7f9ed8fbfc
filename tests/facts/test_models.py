"""One-record rules: each bad field gives file:line:column: field: message."""
import pytest

from generator.facts import dataset
from generator.errors import ValidationFailed
from tests import trees

FLIGHT = """
id: f1
departure: unknown
arrival: 2024-12-14
origin: {country: BY}
destination: {country: LY}
basis: tracked
sources: [report]
"""


def errors(files: dict[str, str]) -> list[str]:
    """Every problem of an in-memory brief holding these files (and one source, 'report')."""
    data, problems = trees.load(files)
    assert problems, "expected the facts to be refused"
    return [str(p) for p in sorted(set(problems))]


def flight_with(line: str, replace: str | None = None) -> dict:
    text = FLIGHT.replace(replace, line) if replace else FLIGHT + line + "\n"
    return {"data/flights/f1.yml": text}


@pytest.mark.parametrize("change, replaces, message", [
    ("arrival: 2024-02-30", "arrival: 2024-12-14",
     "data/flights/f1.yml:3:10: arrival: '2024-02-30' is not a real date or time, expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00) [impossible-date]"),
    ("arrival: 2024-12-14T12:30", "arrival: 2024-12-14",
     "data/flights/f1.yml:3:10: arrival: '2024-12-14T12:30' has no time zone, expected UTC written with a trailing Z, or the local time with its offset from UTC (+02:00) [time-without-zone]"),
    ("arrival: 12:30", "arrival: 2024-12-14",
     "data/flights/f1.yml:3:10: arrival: '12:30' is not a date, expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00) [invalid-time]"),
    ("departure: 2024-12-15", "departure: unknown",
     "data/flights/f1.yml:3:10: arrival: arrival 2024-12-14 is before departure 2024-12-15, expected arrival after departure [arrival-before-departure]"),
    ("arrival: {between: [2024-12-14, 2024-12-08]}", "arrival: 2024-12-14",
     "data/flights/f1.yml:3:10: arrival: the range ends before it starts, expected earliest first [range-reversed]"),
    ("origin: {country: XX}", "origin: {country: BY}",
     "data/flights/f1.yml:4:19: origin.country: 'XX' is not an ISO 3166-1 alpha-2 country code, expected for example SY, LY or BY [invalid-country]"),
    ("origin: {airfield: oslk}", "origin: {country: BY}",
     "data/flights/f1.yml:4:20: origin.airfield: 'oslk' is not an ICAO airfield code, expected four capital letters such as OSLK [invalid-icao]"),
    ("origin: {airfield: ZZZZ}", "origin: {country: BY}",
     "data/flights/f1.yml:4:20: origin.airfield: 'ZZZZ' is not a known ICAO airfield code, expected a code listed in airportsdata [unknown-airfield]"),
    ("origin: {airfield: OSLK, country: LY}", "origin: {country: BY}",
     "data/flights/f1.yml:4:9: origin: airfield OSLK is in SY, not LY, expected matching codes [country-mismatch]"),
    ("basis: yes", "basis: tracked",
     "data/flights/f1.yml:6:8: basis: 'yes' is not a known basis, expected one of: tracked, reported, inferred [unknown-choice]"),
    ("sources: []", "sources: [report]",
     "data/flights/f1.yml:7:10: sources: list is empty, expected at least one entry [empty-list]"),
    ("id: F1", "id: f1",
     "data/flights/f1.yml:1:5: id: 'F1' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]"),
    ("id: ../f1", "id: f1",
     "data/flights/f1.yml:1:5: id: '../f1' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]"),
    ("colour: red", None,
     "data/flights/f1.yml:8:1: colour: unknown field 'colour', expected one of: id, summary, count, part_of, departure, arrival, origin, stops, destination, aircraft, cargo, personnel, operator, basis, sources, credibility, tlp, track, note [unknown-field]"),
    ("aircraft: {callsign: NO, icao24: 15188g}", None,
     "data/flights/f1.yml:8:34: aircraft.icao24: '15188g' is not an ICAO 24-bit address, expected six hexadecimal digits such as 15188a [invalid-icao24]"),
    ("credibility: 0755", None,
     "data/flights/f1.yml:8:14: credibility: '0755' is not a valid credibility, expected a whole number from 1 to 6 [invalid-number]"),
    ("count: {at_least: 3, exactly: 3}", None,
     "data/flights/f1.yml:8:8: count: expected exactly one of 'exactly' or 'at_least' [invalid-count]"),
])
def test_flight_field_errors(change, replaces, message):
    assert errors(flight_with(change, replaces)) == [message]


BASE = """
id: b1
name: Hmeimim Air Base
country: SY
location: {coordinates: {lat: 35.4, lon: 35.9, source: report}}
kind: air base
sources: [report]
"""


@pytest.mark.parametrize("change, replaces, message", [
    ("location: {coordinates: {lat: 91, lon: 35.9, source: report}}", "location: {coordinates: {lat: 35.4, lon: 35.9, source: report}}",
     "data/bases/b1.yml:4:31: location.coordinates.lat: '91' is not a valid latitude, expected a decimal number from -90 to 90 [invalid-coordinate]"),
    ("location: {coordinates: {lat: 35, lon: -181, source: report}}", "location: {coordinates: {lat: 35.4, lon: 35.9, source: report}}",
     "data/bases/b1.yml:4:40: location.coordinates.lon: '-181' is not a valid longitude, expected a decimal number from -180 to 180 [invalid-coordinate]"),
    ("location: {coordinates: {lat: .nan, lon: 1e3, source: report}}", "location: {coordinates: {lat: 35.4, lon: 35.9, source: report}}",
     "data/bases/b1.yml:4:31: location.coordinates.lat: '.nan' is not a valid latitude, expected a decimal number from -90 to 90 [invalid-coordinate]\n"
     "data/bases/b1.yml:4:42: location.coordinates.lon: '1e3' is not a valid longitude, expected a decimal number from -180 to 180 [invalid-coordinate]"),
    ("location: {icao: HLLB}", "location: {coordinates: {lat: 35.4, lon: 35.9, source: report}}",
     "data/bases/b1.yml:3:10: country: airfield HLLB is in LY, not SY, expected matching codes [country-mismatch]"),
    ("observations:\n  - {date: 2024-12-14, status: leaving, summary: x, sources: [report], credibility: 2}", None,
     "data/bases/b1.yml:8:32: observations[0].status: 'leaving' is not a known status, expected one of: active, expanding, drawing down, evacuating, uncertain, inactive, unknown [unknown-choice]"),
    ("observations:\n  - {date: 2024-12-14, status: active, summary: x, sources: [report], credibility: 7}", None,
     "data/bases/b1.yml:8:84: observations[0].credibility: '7' is not a valid credibility, expected a whole number from 1 to 6 [invalid-number]"),
])
def test_base_field_errors(change, replaces, message):
    text = BASE.replace(replaces, change) if replaces else BASE + change + "\n"
    assert errors({"data/bases/b1.yml": text}) == message.split("\n")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/x", "ftp://x.example/",
                                 "vbscript:x", "https://exa mple.org"])
def test_only_web_urls_are_accepted(url):
    source = f"id: s2\ntitle: t\npublisher: p\npublished: unknown\nkind: news\nreliability: A\nurl: '{url}'\n"
    [message] = errors({"data/sources/s2.yml": source})
    assert message.startswith("data/sources/s2.yml:7:6: url: ")
    assert message.endswith(("expected an http:// or https:// URL [invalid-url]", "expected a web address [invalid-url]"))


def test_brief_judgment_needs_likelihood_and_confidence():
    text = ("id: a1\ntitle: t\ndate: 2024-12-15\njudgment: j\nattribution: brief\nconfidence: low\n"
            "sources: [report]\n")
    assert errors({"data/assessments/a1.yml": text}) == [
        "data/assessments/a1.yml:1:1: likelihood: the brief's own judgment has no likelihood, "
        "expected both likelihood and confidence [judgment-without-scale]"]


OUTSIDE_VIEW = ("id: a1\ntitle: t\ndate: 2024-12-15\njudgment: j\n"
                "attribution: {name: N, affiliation: A, role: R}\nsources: [report]\n")


@pytest.mark.parametrize("text, message", [
    (OUTSIDE_VIEW + "key: true\n", "data/assessments/a1.yml:7:6: key: an outside view cannot be a key judgment of the "
                                   "brief, expected key only with attribution: brief [outside-key-judgment]"),
    (OUTSIDE_VIEW.replace("attribution: {name: N, affiliation: A, role: R}", "attribution: brief\nlikelihood: likely\n"
                          "confidence: low") + "key: yes\n",
     "data/assessments/a1.yml:9:6: key: 'yes' is not true or false, expected true or false [invalid-flag]"),
])
def test_only_the_brief_own_judgments_can_be_key(text, message):
    assert errors({"data/assessments/a1.yml": text}) == [message]


BRIEF_VIEW = ("id: a1\ntitle: t\ndate: 2024-12-15\njudgment: j\nattribution: brief\nlikelihood: likely\n"
              "confidence: low\nsources: [report]\n")


@pytest.mark.parametrize("extra, found", [
    ("status: withdrawn\n", ["data/assessments/a1.yml:1:1: note: a withdrawn judgment gives no reason, expected a "
                             "note saying why it was withdrawn [withdrawn-without-reason]"]),
    ("status: withdrawn\nsuperseded_by: a1\nnote: n\n",
     ["data/assessments/a1.yml:9:9: status: status 'superseded' and superseded_by go together, expected both or "
      "neither [superseded-without-successor]"]),
    ("status: retracted\n", ["data/assessments/a1.yml:9:9: status: 'retracted' is not a known assessment status, "
                             "expected one of: current, superseded, withdrawn [unknown-choice]"]),
])
def test_a_withdrawn_judgment_says_why(extra, found):
    assert errors({"data/assessments/a1.yml": BRIEF_VIEW + extra}) == found


def test_a_withdrawn_judgment_with_its_reason_is_kept():
    note = "The one report behind it was retracted by its publisher."
    data, problems = trees.load({"data/assessments/a1.yml": BRIEF_VIEW + f"status: withdrawn\nnote: {note}\n"})
    assert problems == [] and (data.assessments["a1"].status, data.assessments["a1"].note) == ("withdrawn", note)


def test_every_problem_in_every_file_is_reported_at_once():
    found = errors({**flight_with("basis: maybe", "basis: tracked"),
                           "data/flights/f2.yml": FLIGHT.replace("f1", "f2").replace("BY", "QQ")})
    assert len(found) == 2 and found[0].startswith("data/flights/f1.yml") and found[1].startswith("data/flights/f2.yml")


def test_facts_given_the_same_fields_share_what_they_were_given_and_a_changed_copy_keeps_its_own():
    data, problems = trees.load({"data/flights/f1.yml": trees.flight("f1"),
                                 "data/flights/f2.yml": trees.flight("f2", "note: N\n"),
                                 "data/flights/f3.yml": trees.flight("f3")})
    assert problems == []
    f1, f2, f3 = (data.flights[fid] for fid in ("f1", "f2", "f3"))
    assert f1.model_fields_set is f3.model_fields_set and f1.count is f2.count  # one each, not one per flight
    assert "note" in f2.model_fields_set and "note" not in f1.model_fields_set
    marked = f1.model_copy(update={"tlp": "TLP:RED"})
    assert "tlp" in marked.model_fields_set and "tlp" not in f3.model_fields_set
    assert marked.model_dump(exclude_unset=True)["tlp"] == "TLP:RED" and "tlp" not in f3.model_dump(exclude_unset=True)
    assert f1.count.number == 1 and not f1.count.lower_bound
