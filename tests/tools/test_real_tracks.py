"""Import on real tracker files from public repositories (tests/tools/samples/real/README.md says where from)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.facts import dataset
from generator.geo import runways, tracks

REAL = Path(__file__).parent / "samples" / "real"
TRACE = str(REAL / "trace_full_ac671b.json.gz")
LEGS = ("  1. DAL1812 2025-02-04T21:13Z → 2025-02-05T01:15Z, unknown (16.78, -88.04) → KMSP\n"
        "  2. DAL2418 2025-02-05T03:30Z → 2025-02-05T06:23Z, KMSP → unknown (47.46, -117.11)\n"
        "  3. DAL1615 2025-02-05T14:47Z → 2025-02-05T17:03Z, unknown (47.53, -117.28) → KMSP\n"
        "  4. DAL2927 2025-02-05T18:00Z → 2025-02-05T19:54Z, KMSP → KDEN\n")


def _import(project, *args) -> int:
    return cli.main(["-C", str(project.root), "import", "track", *args])


def test_a_whole_day_readsb_trace_becomes_one_flight_per_leg_with_one_shared_source(brief):
    project = brief({})
    assert _import(project, TRACE) == 0
    data = dataset.load(project.data)
    found = {fid: (f.aircraft.callsign, f.departure.iso(), f.arrival.iso(), f.origin.airfield, f.destination.airfield)
             for fid, f in data.flights.items()}
    assert found == {
        "dal1812-2025-02-04": ("DAL1812", "2025-02-04T21:13Z", "2025-02-05T01:15Z", None, "KMSP"),
        "dal2418-2025-02-05": ("DAL2418", "2025-02-05T03:30Z", "2025-02-05T06:23Z", "KMSP", None),
        "dal1615-2025-02-05": ("DAL1615", "2025-02-05T14:47Z", "2025-02-05T17:03Z", None, "KMSP"),
        "dal2927-2025-02-05": ("DAL2927", "2025-02-05T18:00Z", "2025-02-05T19:54Z", "KMSP", "KDEN"),
    }
    assert {tuple(f.sources) for f in data.flights.values()} == {("readsb-ac671b-2025-02-04",)}
    assert "Leg 2 of 4 in the file" in data.flights["dal2418-2025-02-05"].note
    assert set(data.tracks) == set(found)
    source = data.sources["readsb-ac671b-2025-02-04"]
    assert (source.publisher, source.title) == ("unknown", "Track of N899DN (4 legs), 4 February 2025")


def test_one_id_for_a_multi_leg_trace_is_refused_with_the_legs_listed(brief, capsys):
    project = brief({})
    assert _import(project, TRACE, "--id", "n899dn") == 1
    assert capsys.readouterr().err == (
        "error: trace_full_ac671b.json.gz holds 4 legs, so one --id cannot name them all: pick one with --leg N, "
        "or leave out --id to import each as its own flight:\n" + LEGS)
    assert _import(project, TRACE, "--leg", "5") == 1
    assert capsys.readouterr().err == (
        "error: trace_full_ac671b.json.gz: --leg 5 does not exist; the file holds 4 legs:\n" + LEGS)
    assert not (project.data / "flights").exists()


def test_leg_n_imports_that_leg_alone_with_the_publisher_given(brief):
    project = brief({})
    assert _import(project, TRACE, "--leg", "4", "--id", "dal2927", "--publisher", "adsb.lol") == 0
    data = dataset.load(project.data)
    (fid, flight), = data.flights.items()
    assert (fid, flight.origin.airfield, flight.destination.airfield) == ("dal2927", "KMSP", "KDEN")
    assert data.sources[flight.sources[0]].publisher == "adsb.lol"


def test_a_low_helicopter_near_an_airfield_keeps_both_ends_unknown(brief):
    project = brief({})
    assert _import(project, str(REAL / "opensky-samu31.csv")) == 0
    flight = yaml.safe_load((project.data / "flights" / "samu31-2019-05-17.yml").read_text())
    assert flight["origin"] == {"note": (
        "Track starts at 43.6176, 1.4036 at 1,125 ft: not on the ground, nor climbing from a runway in line with it "
        "within 2 km, so the airfield is unknown. The nearest airfield, Toulouse-Blagnac Airport (LFBO), is 3.4 km "
        "away.")}
    assert flight["destination"] == {"note": (
        "Track ends at 43.6113, 1.4011 at 950 ft: not on the ground, nor descending towards a runway in line with it "
        "within 2 km, so the airfield is unknown. The nearest airfield, Toulouse-Blagnac Airport (LFBO), is 3.6 km "
        "away.")}


def test_opensky_positions_are_timed_by_lastposupdate_and_stale_repeats_dropped():
    track = tracks.read((REAL / "opensky-samu31.csv").read_bytes(), "opensky-samu31.csv")
    assert (len(track.positions), track.repeats) == (278, 100)
    assert track.positions[-1].time == datetime(2019, 5, 17, 11, 29, 0, 437000, tzinfo=timezone.utc)
    assert len({p.time for p in track.positions}) == len(track.positions)


def test_fr24_granular_csv_lands_on_the_runway_it_was_lined_up_with(brief):
    project = brief({})
    assert _import(project, str(REAL / "fr24-granular-jl516.csv")) == 0
    flight = dataset.load(project.data).flights["jal516-2024-01-02"]
    assert (flight.aircraft.icao24, flight.aircraft.callsign) == ("8467d8", "JAL516")
    assert (flight.departure.iso(), flight.arrival.iso()) == ("2024-01-02T07:41Z", "2024-01-02T08:47Z")
    assert (flight.origin.airfield, flight.destination.airfield) == (None, "RJTT")
    assert flight.destination.note == (
        "Track ends at 35.5461, 139.8006 at -50 ft, descending towards runway 16L/34R of Tokyo International Airport "
        "(RJTT), in line with it and over it, at 123 kt.")
    assert "361 records without a position were left out." in flight.note


def test_fr24_playback_json_reads_the_aircraft_and_keeps_the_schedule_as_a_note(brief):
    project = brief({})
    assert _import(project, str(REAL / "fr24-playback-3376ab31.json")) == 0
    flight = dataset.load(project.data).flights["jal516-2024-01-02"]
    assert (flight.origin.airfield, flight.destination.airfield) == ("RJCC", "RJTT")
    assert (flight.aircraft.type, flight.aircraft.registration, flight.aircraft.icao24) == ("A359", "JA13XJ", "8467d8")
    assert (flight.departure.iso(), flight.arrival.iso()) == ("2024-01-02T07:22Z", "2024-01-02T08:47Z")
    assert "FlightRadar24 lists the flight as RJCC → RJTT; the origin and destination here rest on the track alone." \
        in flight.note


def test_an_aircraft_json_snapshot_is_refused_as_not_a_track(brief, capsys):
    project = brief({})
    assert _import(project, str(REAL / "dump1090-aircraft.json")) == 1
    assert capsys.readouterr().err == (
        f"{REAL / 'dump1090-aircraft.json'}:1:1: aircraft: a dump1090/readsb aircraft.json snapshot: 44 aircraft at "
        "one moment, not the track of one aircraft; export that aircraft's trace (trace_full_<hex>.json) instead "
        "[not-a-track]\n"
        "1 error; nothing was written.\n")


def _path(start: tuple[float, float], course: float, feet: tuple[float, float], knots: float = 140):
    """Two positions a minute apart: from start along course, from feet[0] to feet[1]."""
    import math

    km = knots * 1.852 / 60
    lat = start[0] + km * math.cos(math.radians(course)) / 110.57
    lon = start[1] + km * math.sin(math.radians(course)) / (111.32 * math.cos(math.radians(start[0])))
    t0 = datetime(2024, 1, 2, 8, 0, tzinfo=timezone.utc)
    return [tracks.Position(t0, *start, feet[0], False, 1, knots),
            tracks.Position(t0 + timedelta(minutes=1), lat, lon, feet[1], False, 2, knots)]


# Toulouse-Blagnac (LFBO) runway 14R/32L: threshold 32L at 43.6190, 1.3721, elevation 497 ft, heading 323°.
@pytest.mark.parametrize("start, course, feet, knots, expected", [
    ((43.6008, 1.3944), 323, (1400, 900), 140, "LFBO"),  # final approach to 32L, 2.7 km out to 1.4 km out
    ((43.6008, 1.3944), 323, (900, 900), 140, None),  # level: a low pass, not an approach
    ((43.6008, 1.3944), 233, (1400, 900), 140, None),  # descending across the runway's line
    ((43.6008, 1.3944), 323, (4000, 3500), 140, None),  # in line, but too high
    ((43.6008, 1.3944), 323, (1400, 900), 320, None),  # in line and low, but too fast to be landing
    ((43.5923, 1.4058), 353, (1400, 900), 90, None),  # a helicopter descending 2 km beside the centre line
])
def test_a_track_end_is_a_runway_only_when_low_slow_descending_and_in_line(start, course, feet, knots, expected):
    found = runways.lineup(_path(start, course, feet, knots), at_end=True)
    assert (found.runway.airfield if found else None) == expected


def test_a_callsign_with_terminal_escapes_is_listed_inert(tmp_path):
    from generator.tools import importers

    trace = {"icao": "ac671b", "timestamp": 1738703622, "trace": [
        [0, 44.88, -93.21, 3000, 200, 0, 0, 0, {"flight": "DAL1\u001b[31m"}],
        [60, 44.90, -93.30, 5000, 200, 0, 0, 0, None],
        [7200, 45.88, -94.21, 8000, 200, 0, 2, 0, {"flight": "DAL2"}],
        [7260, 45.90, -94.30, 9000, 200, 0, 0, 0, None]]}
    track = tracks.read(json.dumps(trace).encode(), "t.json")
    listed = importers.leg_list(tracks.legs(track))
    assert "\x1b" not in listed and listed.startswith("  1. DAL1\\x1b[31M 2025-02-04T21:13Z")
