"""A brief written from the command line only: incidents, stops, cargo, personnel, local times and ranges.

The report behind it (Russian military cargo flights from Benghazi to Gao in October 2023) holds facts that once
had to go into notes; each must reach the pages, the timeline, the map and the exports as a field.
"""
import csv
import io
import json

import pytest
from bs4 import BeautifulSoup

from generator import cli

SOURCE = ["new", "source", "--id", "libya-observer", "--title", "Russian cargo flights to Mali", "--kind", "news",
          "--reliability", "C", "--publisher", "Libya Observer", "--published", "2023-10-20T16:26+02:00"]
BASE = ["new", "base", "--id", "gao", "--name", "Gao air base", "--country", "ML", "--kind", "air base",
        "--location", "GAGO", "--source", "libya-observer",
        "--observation-date", "2023-10-20", "--observation-status", "active", "--observation-summary",
        "Cargo aircraft unloading on the apron.", "--observation-source", "libya-observer",
        "--observation-credibility", "3"]
SIGHTING = ["new", "observation", "--base", "gao", "--date", "2023-10-21", "--summary", "A second Il-76 parked.",
            "--source", "libya-observer", "--credibility", "3"]
CRASH = ["new", "event", "--id", "il-76-crash-at-gao", "--title", "Il-76 crash at Gao", "--kind", "crash",
         "--date", "2023-09-23", "--summary", "A Russian Il-76 crashed on landing.", "--base", "gao",
         "--aircraft-type", "Il-76TD", "--aircraft-registration", "RA-78765", "--source", "libya-observer",
         "--credibility", "2"]
FLIGHT = ["new", "flight", "--id", "moscow-gao", "--origin", "UUMU",
          "--stop", "OSLK", "--stop-arrival", "2023-10-15",
          "--stop", "HLLB", "--stop-arrival", "2023-10-16T10:00+02:00", "--stop-departure", "2023-10-16T12:00Z",
          "--destination", "gao", "--arrival", "2023-10-16/2023-10-20", "--basis", "reported",
          "--source", "libya-observer", "--aircraft-type", "Il-76",
          "--cargo-kind", "military equipment", "--cargo-description", "Crates of military equipment",
          "--cargo-source", "libya-observer", "--cargo-credibility", "3",
          "--personnel-count-at-least", "20", "--personnel-description", "Russian military personnel",
          "--personnel-source", "libya-observer", "--personnel-credibility", "4"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import new_brief

    project = new_brief(tmp_path_factory.mktemp("second") / "brief", {}, base={
        "data/brief.yml": "title: Russian airlift to Mali\nedition: 2023-10-25\ntlp: TLP:CLEAR\n"})
    for args in (SOURCE, BASE, SIGHTING, CRASH, FLIGHT):
        assert cli.main(["-C", str(project.root), *args]) == 0, args
    assert cli.main(["-C", str(project.root), "build"]) == 0
    return project.site


def page(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").replace("¶", "").split())


def figure(site, rel: str, chart: str) -> dict:
    return json.loads(page(site, rel).find("script", id=f"{chart}-data").string)


def test_the_base_page_shows_its_incident_and_keeps_the_latest_stated_status(site):
    text = words(page(site, "bases/gao.html").select_one("article"))
    assert "Incidents and events here 23 Sep 2023: Il-76 crash at Gao (crash); aircraft Il-76TD, RA-78765" in text
    assert "Latest status active (20 Oct 2023)" in text  # the later sighting states no status
    assert "21 Oct 2023 A second Il-76 parked." in text  # one marking in the brief: no portion marks


def test_the_flight_entry_shows_its_stops_cargo_and_personnel(site):
    entry = words(page(site, "flights/2023-10.html").find(id="detail-moscow-gao"))
    assert ("From: Chkalovskiy Airport (UUMU) Stop 1: Bassel Al-Assad International Airport (OSLK), landed 15 Oct 2023 "
            "Stop 2: Benina International Airport (HLLB), landed 16 Oct 2023 08:00 UTC, left 16 Oct 2023 12:00 UTC "
            "To: Gao air base") in entry
    assert "Arrival: between 16 and 20 Oct 2023" in entry
    assert ("Cargo: military equipment, Crates of military equipment; credibility 3 (possibly true); sources "
            "Russian cargo flights to Mali (C)") in entry
    assert "Personnel: at least 20, Russian military personnel; credibility 4 (doubtful)" in entry


def test_a_local_publication_time_is_kept_and_shown_in_utc(site):
    assert "20 Oct 2023 14:26 UTC" in words(page(site, "sources.html").select_one("article"))


def test_the_timeline_lists_the_incident_and_the_observation_without_status(site):
    text = words(page(site, "timeline.html").select_one("article"))
    assert "23 Sep 2023 Incident (crash), on a day Il-76 crash at Gao" in text
    assert "21 Oct 2023 Observation, on a day Gao air base : A second Il-76 parked." in text
    assert "23 Sep 2023 · crash · at Gao air base · aircraft Il-76TD, RA-78765" in text
    lanes = {t.get("name"): t for t in figure(site, "timeline.html", "timeline")["data"]}
    assert lanes["Incidents"]["text"] == ["23 Sep 2023: crash: Il-76 crash at Gao"]


def test_the_map_draws_one_route_through_both_stops_and_marks_the_incident(site):
    traces = figure(site, "index.html", "route-map")["data"]
    route, = [t for t in traces if t.get("name", "").startswith("route")]
    path = [lat for lat in route["lat"] if lat is not None]  # along great circles, leg by leg
    assert path[0] == 55.878 and path[-1] == 16.248 and route["lat"].count(None) == 1
    assert {35.401, 32.097} <= set(path)  # through Latakia and Benghazi, in that order
    assert path.index(35.401) < path.index(32.097)
    assert route["meta"]["text"][0] == ("Chkalovskiy Airport (UUMU) → Gao air base<br>via Bassel Al-Assad International "
                                        "Airport<br>(OSLK), then Benina International Airport<br>(HLLB), flights: 1")
    incident, = [t for t in traces if t.get("name") == "Incident"]
    assert (incident["lat"], incident["lon"]) == ([16.248], [-0.005])
    assert incident["text"] == ["Il-76 crash at Gao (crash, 23 Sep 2023)"]


def test_the_exports_carry_every_new_field(site):
    facts = json.loads((site / "data" / "brief.json").read_text())
    flight, = facts["flights"]
    assert [s.get("airfield") for s in flight["stops"]] == ["OSLK", "HLLB"]
    assert flight["stops"][1]["arrival"] == {"at": "2023-10-16T08:00Z"}
    assert flight["arrival"] == {"between": ["2023-10-16", "2023-10-20"]}
    assert flight["cargo"] == [{"kind": "military equipment", "description": "Crates of military equipment",
                                "sources": ["libya-observer"], "credibility": 3}]
    assert flight["personnel"]["count"] == {"at_least": 20}
    assert facts["events"][0] | {"summary": ""} == {
        "id": "il-76-crash-at-gao", "title": "Il-76 crash at Gao", "kind": "crash", "date": {"at": "2023-09-23"},
        "summary": "", "base": "gao", "aircraft": {"type": "Il-76TD", "registration": "RA-78765"},
        "sources": ["libya-observer"], "credibility": 2, "tlp": "TLP:CLEAR"}
    assert "status" not in facts["bases"][0]["observations"][1]
    assert facts["sources"][0]["published"] == {"at": "2023-10-20T14:26Z"}

    rows = list(csv.DictReader(io.StringIO((site / "data" / "flights.csv").read_text())))
    assert rows[0]["stops"] == ("Bassel Al-Assad International Airport (OSLK) (2023-10-15 → unknown);"
                                "Benina International Airport (HLLB) (2023-10-16T08:00Z → 2023-10-16T12:00Z)")
    assert rows[0]["cargo"] == "military equipment: Crates of military equipment (credibility 3; sources libya-observer)"
    assert rows[0]["personnel"] == "at least 20: Russian military personnel (credibility 4; sources libya-observer)"
    assert rows[0]["arrival"] == "2023-10-16/2023-10-20"
    events = list(csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text())))
    assert (events[0]["kind"], events[0]["base"], events[0]["aircraft"]) == ("crash", "gao", "Il-76TD, RA-78765")
    observations = list(csv.DictReader(io.StringIO((site / "data" / "observations.csv").read_text())))
    assert [o["status"] for o in observations] == ["active", ""]

    geo = json.loads((site / "data" / "brief.geojson").read_text())["features"]
    line, = [f for f in geo if f["properties"]["kind"] == "flight"]
    assert len(line["geometry"]["coordinates"]) == 4 and line["properties"]["line"] == "through its stops"
    incident, = [f for f in geo if f["properties"]["kind"] == "incident"]
    assert incident["properties"]["incident"] == "crash" and incident["geometry"]["coordinates"] == [-0.00546, 16.2484]

    stix = json.loads((site / "data" / "brief.stix.json").read_text())["objects"]
    note, = [o for o in stix if o["type"] == "note" and o.get("abstract", "").startswith("Flight ")]
    assert "Stop 2: Benina International Airport (HLLB), landed 16 Oct 2023 08:00 UTC" in note["content"]
    assert ("Cargo: military equipment, Crates of military equipment (credibility 3 (possibly true); sources: "
            "Russian cargo flights to Mali).") in note["content"]
    assert "Personnel: at least 20, Russian military personnel (credibility 4 (doubtful);" in note["content"]
    event, = [o for o in stix if o["type"] == "note" and "incident:crash" in o.get("labels", [])]
    assert "Incident: crash, Gao air base." in event["content"]
    assert "Aircraft: Il-76TD, RA-78765." in event["content"]
