"""Importing tracker exports: the three real formats, the facts written, and bad files with exact messages."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import cli

from generator.facts import dataset

from generator.geo import tracks
from generator.errors import ValidationFailed

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize("name, fmt, first, last, icao24, callsign, origin, destination", [
    ("fr24-rff7093.csv", "fr24", "2024-12-14T00:52Z", "2024-12-14T05:42Z", None, "RFF7093", "UMMS", "HLLB"),
    ("opensky-rsd0427.csv", "opensky", "2024-12-12T21:05Z", "2024-12-12T22:03Z", "1518a4", "RSD0427", None, "HLLB"),
    ("readsb-15188a.json", "readsb", "2024-12-13T18:02Z", "2024-12-13T22:44Z", "15188a", "RFF7041", "OSLK", "HLLB"),
])
def test_each_format_becomes_a_tracked_flight_with_its_source_and_track(
        brief, capsys, name, fmt, first, last, icao24, callsign, origin, destination):
    project = brief({})
    assert cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / name)]) == 0
    assert capsys.readouterr().out.startswith("wrote data/flights/")
    data = dataset.load(project.data)
    (fid, flight), = data.flights.items()
    assert (flight.departure.iso(), flight.arrival.iso()) == (first, last)
    assert (flight.aircraft.icao24, flight.aircraft.callsign, flight.basis) == (icao24, callsign, "tracked")
    assert (flight.origin.airfield, flight.destination.airfield) == (origin, destination)
    assert "not take-off and landing" in flight.note and flight.track == fid
    assert data.sources[flight.sources[0]].kind == "flight tracking"
    assert tracks.detect((SAMPLES / name).read_bytes(), name) == fmt
    assert 2 <= len(data.tracks[fid]) <= 30


def test_an_aircraft_first_seen_in_the_air_has_an_unknown_origin_never_a_guess(brief):
    project = brief({})
    assert cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "opensky-rsd0427.csv")]) == 0
    flight = yaml.safe_load((project.data / "flights" / "rsd0427-2024-12-12.yml").read_text())
    assert flight["origin"] == {"note": "Track starts at 34.6000, 26.1000 at 31,004 ft: not on the ground, nor "
                                        "climbing from a runway in line with it within 2 km, so the airfield is unknown."}
    assert "2 records without a position were left out." in flight["note"]


def test_a_gap_in_the_track_is_called_out(brief):
    project = brief({})
    assert cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json")]) == 0
    flight = yaml.safe_load((project.data / "flights" / "rff7041-2024-12-13.yml").read_text())
    assert "No positions between 2024-12-13T19:54Z and 2024-12-13T20:52Z (58 min)." in flight["note"]
    assert flight["aircraft"] == {"type": "IL76", "registration": "RA-78765", "icao24": "15188a", "callsign": "RFF7041"}


def test_the_route_map_draws_the_track_instead_of_an_arc(brief):
    from generator.site import charts

    project = brief({})
    cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "fr24-rff7093.csv")])
    data = dataset.load(project.data)
    chart = charts.route_map(data)
    traces = {t["name"]: t for t in chart.figure["data"]}
    assert "routes" not in traces
    assert traces["tracks"]["lat"][:2] == [53.883, 53.148] and len(traces["tracks"]["lat"]) == 31


def test_importing_twice_refuses_to_overwrite(brief, capsys):
    project = brief({})
    args = ["-C", str(project.root), "import", "track", str(SAMPLES / "fr24-rff7093.csv")]
    assert cli.main(args) == 0
    assert cli.main(args) == 1
    assert capsys.readouterr().err == ("error: data/flights/rff7093-2024-12-14.yml already exists, "
                                       "expected a new flight id (use --id)\n")


@pytest.mark.parametrize("option, marking", [([], None), (["--tlp", "TLP:AMBER"], "TLP:AMBER")])
def test_tlp_marks_the_flight_its_track_and_its_source(brief, capsys, option, marking):
    project = brief({})
    assert cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json"), *option]) == 0
    data = dataset.load(project.data)
    (fid, flight), = data.flights.items()
    assert (flight.tlp, data.sources[flight.sources[0]].tlp, data.track_markings.get(fid)) == (marking,) * 3


def test_an_unknown_tlp_label_is_refused_before_anything_is_read(brief, capsys):
    project = brief({})
    with pytest.raises(SystemExit) as exit_:
        cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json"), "--tlp", "AMBER"])
    assert exit_.value.code == 2 and "argument --tlp: invalid choice: 'AMBER'" in capsys.readouterr().err
    assert not (project.data / "flights").exists()


HEADER_FR24 = "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
GOOD_FR24 = '1734137520,2024-12-14T00:52:00Z,RFF7093,"53.883,28.034",0,0,224\n'
HEADER_OPENSKY = ("time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
                  "baroaltitude,geoaltitude,lastposupdate,lastcontact\n")
HEADER_GRANULAR = "network_time,receiver_time,hex,callsign,latitude,longitude,no_position,altitude,squawk,speed,track," \
                  "vspeed,on_ground,flags,position_class\n"
KNOWN = ("expected one of the tracker exports this tool reads: FlightRadar24 CSV export "
         "(Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction); FlightRadar24 granular CSV "
         "(network_time,receiver_time,hex,callsign,latitude,…); FlightRadar24 playback JSON "
         "(result.response.data.flight.track); OpenSky Network state vectors CSV "
         "(time,icao24,lat,lon,…,lastposupdate,lastcontact); readsb/tar1090 trace JSON "
         "(trace_full_<hex>.json, plain or gzipped)")


@pytest.mark.parametrize("name, text, message", [
    ("a.csv", "when,where\n1,2\n", "a.csv:1:1: unrecognised columns 'when,where', " + KNOWN + " [unknown-format]"),
    ("j.json", '{"type": "FeatureCollection", "features": []}', "j.json:1:1: a JSON file that is not a tracker export, "
     + KNOWN + " [unknown-format]"),
    ("k.csv", HEADER_GRANULAR + "2024-01-02 07:41:03Z.515,noon,0x8467d8,JAL516,41.5,141.6,P,26650,416,401,192,1728,A\n",
     "k.csv:2:1: receiver_time: 'noon' is not a time, expected YYYY-MM-DD HH:MM:SSZ.fff as FlightRadar24 writes it [bad-time]"),
    ("b.csv", HEADER_FR24, "b.csv:1:1: 0 positions in the file, expected at least two to make a track [too-few-positions]"),
    ("c.csv", HEADER_FR24 + GOOD_FR24 + '1734138157,x,RFF7093,"53.1,27.7",7000,250,199\n'
     + '1734138734,x,RFF7093,"95.2,27.4",14000,455,199\n',
     "c.csv:4:1: latitude: 95.2 is out of range, expected -90 to 90 [out-of-range]"),
    ("d.csv", HEADER_FR24 + GOOD_FR24 + 'yesterday,x,RFF7093,"53.1,27.7",7000,250,199\n',
     "d.csv:3:1: Timestamp: 'yesterday' is not a number [not-a-number]"),
    ("e.csv", HEADER_FR24 + GOOD_FR24 + '1734138157,x,RFF7093,53.1 N,7000,250,199\n',
     "e.csv:3:1: Position: '53.1 N' is not a position, expected \"latitude,longitude\" in quotes [bad-position]"),
    ("f.csv", HEADER_OPENSKY + "1734037500,1518a4,34.6,26.1,231.4,247.3,0.0,RSD0427,False,False,False,2441,9450,9510,"
     "1734037500.2,1734037500.6\n1734037620,1518a4,34.5,195.9,231.4,247.3,0.0,RSD0427,False,False,False,2441,9450,"
     "9510,1734037620.2,1734037620.6\n",
     "f.csv:3:1: longitude: 195.9 is out of range, expected -180 to 180 [out-of-range]"),
    ("g.json", '{"icao": "15188a", "timestamp": 1734112920, "trace": [[0, 35.4, 35.9, "ground"], [60, 35.4]]}',
     "g.json:1:1: trace[1]: expected [seconds, latitude, longitude, altitude, …] [bad-row]"),
    ("h.json", '{"icao": "15188a", "timestamp": "today", "trace": []}',
     "h.json:1:1: timestamp: 'today' is not a Unix time, expected seconds since 1970 [bad-time]"),
    ("i.json", '{"icao": "15188a", "trace": [}', "i.json:1:30: not valid JSON (Expecting value) [not-json]"),
])
def test_bad_track_files_are_refused_with_file_row_and_field(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValidationFailed) as err:
        tracks.read(path.read_bytes(), name)
    assert [str(p) for p in err.value.problems] == [message]


@pytest.mark.parametrize("text, message", [
    ('{"schema": "intelbrief-track/1", "points": [\n  ["2024-12-14T00:52:00Z", 53.9, 28.0, 0],\n'
     '  ["2024-12-14T01:02:00Z", 93.1, 27.8, 7000]\n]}\n',
     "data/tracks/t.json:3:1: points[1]: latitude 93.1 is out of range, expected -90 to 90 [bad-track-point]"),
    ('{"schema": "intelbrief-track/1", "points": [\n  ["14 Dec", 53.9, 28.0, 0],\n'
     '  ["2024-12-14T01:02:00Z", 53.1, 27.8, 7000]\n]}\n',
     "data/tracks/t.json:2:1: points[0]: '14 Dec' is not a UTC time, expected YYYY-MM-DDTHH:MM:SSZ [bad-track-point]"),
    ('{"points": []}', "data/tracks/t.json:1:1: schema: expected a track file with schema 'intelbrief-track/1' and points [bad-track-schema]"),
])
def test_the_loader_checks_kept_track_files(text, message):
    _, problems = tracks.load_track(text.encode(), "data/tracks/t.json")
    assert [str(p) for p in problems] == [message]


def test_a_flight_naming_a_missing_track_is_an_error(brief):
    from tests.trees import flight

    project = brief({"data/flights/f1.yml": flight("f1") + "track: nowhere\n"})
    with pytest.raises(ValidationFailed) as err:
        dataset.load(project.data)
    assert [p.message for p in err.value.problems] == [
        "no track with id 'nowhere', expected the id of a fact in data/tracks/"]


def test_simplifying_keeps_the_ends_and_at_most_the_limit():
    raw = (SAMPLES / "fr24-rff7093.csv").read_bytes()
    track = tracks.read(raw, "x.csv")
    kept = tracks.simplify(track.positions, 10)
    assert len(kept) <= 10 and kept[0] == track.positions[0] and kept[-1] == track.positions[-1]


def test_an_endpoint_at_a_base_of_the_brief_names_the_base(brief):
    project = brief({"data/bases/hmeimim.yml": """
        id: hmeimim
        name: Hmeimim Air Base
        country: SY
        location: {icao: OSLK}
        kind: air base
        sources: [report]
    """})
    args = ["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json"), "--id", "il76-hmeimim"]
    assert cli.main(args) == 0
    flight = dataset.load(project.data).flights["il76-hmeimim"]
    assert (flight.origin.base, flight.destination.airfield) == ("hmeimim", "HLLB")
    assert flight.origin.note == ("Track starts on the ground at 35.4030, 35.9470, 0.3 km from Bassel Al-Assad "
                                  "International Airport (OSLK).")


def test_older_six_column_fr24_exports_and_gzipped_readsb_traces_are_read(tmp_path):
    import gzip

    lines = (SAMPLES / "fr24-rff7093.csv").read_text().splitlines()
    six = "\n".join(",".join(p for i, p in enumerate(line.split(",")) if i != 1) for line in lines[:1]) + "\n"
    six += "".join(line.split(",", 2)[0] + "," + line.split(",", 2)[2] + "\n" for line in lines[1:])
    assert tracks.detect(six.encode(), "old.csv") == "fr24"
    assert len(tracks.read(six.encode(), "old.csv").positions) == 30
    packed = gzip.compress((SAMPLES / "readsb-15188a.json").read_bytes(), mtime=0)
    track = tracks.read(packed, "trace_full_15188a.json")
    assert (track.format, track.registration, len(track.positions)) == ("readsb", "RA-78765", 30)


def test_the_flight_log_shows_the_imported_flight_and_its_track(brief):
    from bs4 import BeautifulSoup

    from generator import build

    project = brief({})
    cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "fr24-rff7093.csv")])
    build.build(project)
    page = BeautifulSoup((project.site / "flights" / "2024-12.html").read_text(), "html.parser")
    text = " ".join(page.select_one("article").get_text(" ").split())
    assert "Minsk International Airport (UMMS) → Benina International Airport (HLLB)" in text
    assert "Track: 30 positions kept, drawn on the route map and in the GeoJSON export" in text
    assert page.select_one("article a[href='../data.html']") is not None
