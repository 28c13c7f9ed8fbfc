"""What a report says beyond a flight's ends: incidents, stops, cargo, personnel, local times and date ranges."""
import pytest

from tests import trees
from tests.facts.test_models import errors, flight_with

EVENT = "id: e1\ntitle: Crash\ndate: 2023-09-23\nsummary: S\nsources: [report]\n"
STOPS = ("stops:\n  - airfield: OSLK\n    arrival: 2024-12-13T22:00+03:00\n"
         "  - place: Benghazi\n    country: LY\n")


def loaded(files: dict[str, str]):
    data, problems = trees.load(files)
    assert problems == []
    return data


@pytest.mark.parametrize("written, stored", [
    ("2023-10-20T16:26+02:00", "2023-10-20T14:26Z"),
    ("2023-10-20T16:26+0200", "2023-10-20T14:26Z"),
    ("2023-10-20T01:10+03:00", "2023-10-19T22:10Z"),  # the UTC day is the day before
    ("2023-10-20T21:30:15-05:00", "2023-10-21T02:30:15Z"),
    ("2023-10-16/2023-10-20", "2023-10-16/2023-10-20"),
    ("2023-10/2023-11-02T10:00+01:00", "2023-10/2023-11-02T09:00Z"),
])
def test_a_local_time_is_kept_in_utc_and_an_interval_is_a_range(written, stored):
    data = loaded(flight_with(f"arrival: '{written}'", "arrival: 2024-12-14"))
    assert data.flights["f1"].arrival.iso() == stored


@pytest.mark.parametrize("written, message", [
    ("2023-10-20T16:26+15:00", "'2023-10-20T16:26+15:00' has no such time zone offset, expected YYYY, YYYY-MM, "
     "YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00) [impossible-date]"),
    ("2023-10-20/2023-10-16", "the range ends before it starts, expected earliest first [range-reversed]"),
])
def test_bad_offsets_and_reversed_intervals_are_refused(written, message):
    assert errors(flight_with(f"arrival: '{written}'", "arrival: 2024-12-14")) == [
        f"data/flights/f1.yml:3:10: arrival: {message}"]


def test_a_flight_with_stops_has_one_leg_per_hop():
    data = loaded({**flight_with(STOPS), "data/sources/geo.yml": trees.source("geo")})
    legs = data.flights["f1"].legs()
    assert [(a.place or a.airfield or a.country, b.place or b.airfield or b.country) for a, b in legs] == [
        ("BY", "OSLK"), ("OSLK", "Benghazi"), ("Benghazi", "LY")]
    assert data.flights["f1"].stops[0].arrival.iso() == "2024-12-13T19:00Z"


def test_cargo_and_personnel_cite_their_own_sources():
    claims = ("cargo:\n  - kind: military equipment\n    sources: [nowhere]\n    credibility: 3\n"
              "personnel:\n  count: {at_least: 20}\n  sources: [report]\n  credibility: 9\n")
    assert errors(flight_with(claims)) == [
        "data/flights/f1.yml:15:16: personnel.credibility: '9' is not a valid credibility, expected a whole number "
        "from 1 to 6 [invalid-number]"]
    assert errors(flight_with(claims.replace("credibility: 9", "credibility: 4"))) == [
        "data/flights/f1.yml:10:15: cargo[0].sources[0]: no source with id 'nowhere', expected the id of a fact in "
        "data/sources/ [unknown-reference]"]


@pytest.mark.parametrize("extra, message", [
    ("kind: crash\nbase: hmeimim\nplace: Latakia\n",
     "data/events/e1.yml:8:8: place: both 'base' and 'place' are given, expected one of them [conflicting-fields]"),
    ("aircraft: {type: Il-76}\n", "data/events/e1.yml:1:1: kind: an aircraft is named but no incident kind, expected "
     "kind: crash, damage, strike, seizure, sighting [aircraft-without-incident]"),
    ("kind: explosion\n", "data/events/e1.yml:6:7: kind: 'explosion' is not a known incident kind, expected one of: "
     "crash, damage, strike, seizure, sighting [unknown-choice]"),
    ("kind: crash\nbase: nowhere\n", "data/events/e1.yml:7:7: base: no base with id 'nowhere', expected the id of a "
     "fact in data/bases/ [unknown-reference]"),
])
def test_an_incident_names_one_place_and_its_kind(extra, message):
    assert errors({"data/events/e1.yml": EVENT + extra, "data/bases/hmeimim.yml": trees.BASE}) == [message]


def test_the_latest_stated_status_is_the_base_status():
    observations = ("observations:\n"
                    "  - {date: 2024-12-08, status: active, summary: A, sources: [report], credibility: 2}\n"
                    "  - {date: 2024-12-14, summary: Crash seen, sources: [report], credibility: 2}\n")
    base = loaded({"data/bases/hmeimim.yml": trees.BASE + observations}).bases["hmeimim"]
    assert base.current().status == "active" and base.current().date.iso() == "2024-12-08"
    silent = loaded({"data/bases/hmeimim.yml": trees.BASE + observations.replace("status: active, ", "")})
    assert silent.bases["hmeimim"].current() is None


def test_an_incident_at_a_base_is_listed_for_it_and_a_stop_counts_as_a_flight_there():
    data = loaded({"data/events/e1.yml": EVENT + "kind: crash\nbase: hmeimim\n", "data/bases/hmeimim.yml": trees.BASE,
                   **flight_with("stops: [{base: hmeimim}]")})
    assert data.incidents_at["hmeimim"] == ["e1"] and data.flights_by_base["hmeimim"] == ["f1"]  # through its stop


def test_a_release_names_no_withheld_base_at_an_incident_or_a_stop():
    from generator.facts import markings

    data = loaded({"data/events/e1.yml": EVENT + "kind: crash\nbase: hmeimim\n",
                   "data/bases/hmeimim.yml": trees.BASE + "tlp: TLP:AMBER\n",
                   **flight_with("stops: [{base: hmeimim, country: SY}]")})
    released, _ = markings.release(data, "TLP:CLEAR")
    assert released.events["e1"].base is None and released.events["e1"].where is None
    assert released.flights["f1"].stops[0].base is None and released.flights["f1"].stops[0].country == "SY"
    assert "hmeimim" not in released.incidents_at and "hmeimim" not in released.flights_by_base
