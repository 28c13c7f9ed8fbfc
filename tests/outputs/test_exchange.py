"""The exports checked by the tools other platforms use: misp-stix, stix2, JSON Schema, geojson, shapely, GDAL, pandas."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from generator import cli
from generator.facts import dataset
from generator.outputs import stix, stixdates
from tests.conftest import REPO, commit_all
from tests import trees
from tests.trees import assessment, flight

DAY = 86400
DEC_1 = 1733011200  # 2024-12-01T00:00:00Z


def read(project, name: str) -> bytes:
    return (project.site / "data" / name).read_bytes()


@pytest.fixture(scope="module")
def data(example):
    return dataset.load(example.data)


# ---------------------------------------------------------------- STIX through misp-stix and stix2


@pytest.fixture(scope="module")
def misp_event(example):
    """The example's STIX bundle as MISP imports it (misp-stix, the converter MISP runs)."""
    from misp_stix_converter import ExternalSTIX2toMISPParser
    from stix2 import parse

    parser = ExternalSTIX2toMISPParser()
    parser.load_stix_bundle(parse(read(example, "brief.stix.json").decode(), allow_custom=True))
    parser.parse_stix_bundle(single_event=True)
    return parser.misp_event.to_dict()


def _misp_notes(event: dict) -> list[tuple[str, str]]:
    """Every analyst note MISP keeps: its title (comment) and its text."""
    layers = [event, *event.get("Object", [])]
    return [(n.get("comment", ""), n["note"]) for layer in layers for n in layer.get("Note", [])]


def test_misp_keeps_every_base_as_a_place(misp_event, data):
    kept = {(o["comment"].split(":")[0], float(a["value"])) for o in misp_event["Object"] if o["name"] == "geolocation"
            for a in o["Attribute"] if a["object_relation"] == "latitude"}
    places = {c["value"] for g in misp_event.get("Galaxy", []) for c in g["GalaxyCluster"]}
    for base in data.bases.values():
        point = base.location.point()
        if point:
            assert (base.name, round(point[0], 6)) in kept
        else:
            assert base.name in places


def test_misp_keeps_every_flight_assessment_and_source_with_grades_and_likelihood(misp_event, data):
    from generator.site import present

    kept = _misp_notes(misp_event)
    notes = dict(kept)
    for flight_fact in data.flights.values():
        text = notes[f"Flight {present.route(flight_fact, data.bases)}"]
        assert (f"Information credibility: {present.credibility(flight_fact.credibility)}." in text
                if flight_fact.credibility else True)
        for sid in flight_fact.sources:
            assert f"{data.sources[sid].title} ({data.sources[sid].publisher}), reliability " \
                   f"{data.sources[sid].reliability}" in text
    for a in data.assessments.values():
        text = notes[a.title]
        assert f"Likelihood: {present.likelihood(a)}." in text and f"Analytic confidence: {present.confidence(a)}." in text
    for s in data.sources.values():
        assert f"Reliability: {s.reliability} ({present.RELIABILITY[s.reliability]})." in notes[f"Source: {s.title}"]
    for base in data.bases.values():
        for obs in base.observations:
            assert any(obs.summary in text and f"Information credibility: {present.credibility(obs.credibility)}"
                       in text for _, text in kept)
    assert "tlp:clear" in [t["name"] for t in misp_event["Tag"]]


def test_stix2_parses_every_object_and_each_assessment_cites_its_evidence(example, data):
    from stix2 import parse

    bundle = parse(read(example, "brief.stix.json").decode(), allow_custom=True)
    kinds = sorted({o.type for o in bundle.objects})
    assert kinds == ["identity", "location", "marking-definition", "note", "relationship", "report"]
    cites = {(r.source_ref, r.target_ref) for r in bundle.objects if r.type == "relationship"}
    for aid, a in data.assessments.items():
        for kind, target in (e.target for e in a.evidence):
            if kind != "sources":
                assert any(src == stix.stix_id("note", f"assessment/{aid}") for src, _ in cites)
    locations = [o for o in bundle.objects if o.type == "location"]
    assert {o.x_opencti_location_type for o in locations} <= {"Position", "Country"}


# ---------------------------------------------------------------- STIX created and modified from git history


LEDGERS: dict = {}


def _flight_times(project, fid: str) -> tuple[str, str]:
    """A flight note's times, read from the whole history and, the same, from the ledger a previous build kept."""
    data = dataset.load(project.data)
    fresh, ledger = stixdates.times(project.root, data, 0)
    kept, LEDGERS[project.root] = stixdates.times(project.root, data, 0, LEDGERS.get(project.root))
    assert kept == fresh
    note = next(o for o in stix.bundle(data, 0, fresh)["objects"] if o["id"] == stix.stix_id("note", f"flight/{fid}"))
    return note["created"], note["modified"]


def test_created_is_the_first_commit_of_a_fact_and_modified_moves_only_with_its_content(brief):
    project = brief({"data/flights/a.yml": flight("a")})
    commit_all(project.root, str(DEC_1))
    (project.data / "flights" / "b.yml").write_text(flight("b"))
    commit_all(project.root, str(DEC_1 + DAY))
    assert _flight_times(project, "a") == ("2024-12-01T00:00:00.000Z", "2024-12-01T00:00:00.000Z")
    assert _flight_times(project, "b") == ("2024-12-02T00:00:00.000Z", "2024-12-02T00:00:00.000Z")
    (project.data / "flights" / "a.yml").write_text(flight("a", "operator: Russian military\n"))
    assert _flight_times(project, "a") == ("2024-12-01T00:00:00.000Z", "2024-12-16T00:00:00.000Z")
    assert _flight_times(project, "b") == ("2024-12-02T00:00:00.000Z", "2024-12-02T00:00:00.000Z")
    commit_all(project.root, str(DEC_1 + 20 * DAY))
    assert _flight_times(project, "a") == ("2024-12-01T00:00:00.000Z", "2024-12-21T00:00:00.000Z")


def test_an_uncommitted_change_after_the_edition_date_is_dated_after_the_last_commit(brief):
    project = brief({"data/flights/a.yml": flight("a")})
    commit_all(project.root, str(DEC_1 + 30 * DAY))
    (project.data / "flights" / "a.yml").write_text(flight("a", "operator: Russian military\n"))
    assert _flight_times(project, "a") == ("2024-12-31T00:00:00.000Z", "2024-12-31T00:00:01.000Z")


def test_without_git_history_times_come_from_the_edition(brief):
    project = brief({"data/flights/a.yml": flight("a"), "data/assessments/x.yml": assessment("x")})
    assert _flight_times(project, "a") == ("2024-12-16T00:00:00.000Z", "2024-12-16T00:00:00.000Z")


# ---------------------------------------------------------------- brief.json against the project's schemas


def test_every_fact_in_brief_json_validates_against_its_kinds_schema(example):
    from jsonschema import Draft202012Validator

    doc = json.loads(read(example, "brief.json"))
    checked = 0
    for kind in ("sources", "bases", "flights", "assessments", "events", "indicators"):
        schema = json.loads((REPO / "schemas" / f"{kind[:-1]}.schema.json").read_text())
        for fact in doc[kind]:
            assert [e.message for e in Draft202012Validator(schema).iter_errors(fact)] == [], fact["id"]
            checked += 1
    brief_schema = json.loads((REPO / "schemas" / "brief.schema.json").read_text())
    assert [e.message for e in Draft202012Validator(brief_schema).iter_errors(doc["brief"])] == []
    assert checked == sum(len(doc[k]) for k in ("sources", "bases", "flights", "assessments", "events", "indicators")) > 20
    export = json.loads((REPO / "schemas" / "brief-json.schema.json").read_text())
    assert [e.message for e in Draft202012Validator(export).iter_errors(doc)] == []
    assert {s["id"]: s["status"] for s in doc["indicator_status"]} == {
        "belarus-libya-airlift": "met", "hmeimim-departures-continue": "possibly met", "hmeimim-drawing-down": "met",
        "s400-seen-in-libya": "not met", "tartus-evacuating": "not met"}
    assert {a["attribution"] for a in doc["assessments"] if isinstance(a["attribution"], str)} == {"brief"}


# ---------------------------------------------------------------- GeoJSON through geojson, shapely and GDAL


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    """A brief with an imported track, so the GeoJSON holds a flight line and its track."""
    from tests.conftest import new_brief

    project = new_brief(tmp_path_factory.mktemp("tracked") / "brief", {})
    sample = REPO / "tests" / "tools" / "samples" / "real" / "fr24-playback-3376ab31.json"
    assert cli.main(["-C", str(project.root), "import", "track", str(sample)]) == 0
    assert cli.main(["-C", str(project.root), "build", "--csv-bom"]) == 0
    return project


def test_geojson_features_have_unique_ids_and_say_which_line_is_which(tracked):
    import geojson
    import shapely.geometry

    doc = geojson.loads(read(tracked, "brief.geojson").decode())
    assert doc.is_valid and doc.errors() == []
    ids = [f["id"] for f in doc["features"]]
    assert len(ids) == len(set(ids)) and [f["properties"]["id"] for f in doc["features"]] == ids
    lines = {f["properties"]["kind"]: f for f in doc["features"]}
    assert (lines["flight"]["id"], lines["track"]["id"]) == ("flight/jal516-2024-01-02", "track/jal516-2024-01-02")
    assert (lines["flight"]["properties"]["line"], lines["track"]["properties"]["line"]) == (
        "between the known endpoints", "tracked positions")
    assert all(shapely.geometry.shape(f["geometry"]).is_valid for f in doc["features"])
    assert len(shapely.geometry.shape(lines["track"]["geometry"]).coords) > 2


def test_gdal_reads_the_geojson_with_one_feature_per_line(tracked):
    import pyogrio

    meta, _, geometry, fields = pyogrio.raw.read(tracked.site / "data" / "brief.geojson")
    columns = dict(zip(meta["fields"], fields))
    assert meta["geometry_type"] == "LineString" and len(geometry) == 2
    assert sorted(columns["id"]) == ["flight/jal516-2024-01-02", "track/jal516-2024-01-02"]


# ---------------------------------------------------------------- CSV through pandas


def test_csv_is_rfc_4180_with_crlf_and_pandas_reads_every_row(example, data):
    import pandas

    for kind, count in (("flights", len(data.flights)), ("sources", len(data.sources))):
        raw = read(example, f"{kind}.csv")
        assert raw.count(b"\r\n") == count + 1 and not raw.startswith(b"\xef\xbb\xbf")
        frame = pandas.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
        assert sorted(frame["id"]) == sorted(data.of_kind(kind))


def test_csv_bom_starts_each_csv_with_a_byte_order_mark_that_pandas_reads(tracked):
    import pandas

    raw = read(tracked, "flights.csv")
    assert raw.startswith(b"\xef\xbb\xbf\"id\",")
    frame = pandas.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["id"]) == ["jal516-2024-01-02"] and list(frame["destination_airfield"]) == ["RJTT"]


def test_a_release_edition_is_dated_against_the_same_release_of_past_commits(brief):
    from generator.facts import markings

    project = brief({"data/flights/a.yml": flight("a"), "data/flights/b.yml": flight("b", "tlp: TLP:AMBER\n")})
    commit_all(project.root, str(DEC_1))
    (project.data / "flights" / "c.yml").write_text(flight("c", "tlp: TLP:AMBER\n"))
    commit_all(project.root, str(DEC_1 + DAY))
    released, _ = markings.release(dataset.load(project.data), "TLP:CLEAR")
    dated, ledger = stixdates.times(project.root, released, 0)
    assert ledger["edition"] == "TLP:CLEAR" and stix.stix_id("note", "flight/b") not in dated
    report = stix.stix_id("report", "Test brief")
    assert dated[report] == dated[stix.stix_id("note", "flight/a")] == ("2024-12-01T00:00:00.000Z",) * 2


@pytest.mark.parametrize("key, labels", [
    ("key: true\n", ["assessment", "status:current", "key-judgment"]),
    ("", ["assessment", "status:current"]),
])
def test_a_key_judgment_carries_its_own_label_in_stix(key, labels):
    data, problems = trees.load({"data/assessments/a1.yml": trees.assessment("a1", key)})
    assert problems == []
    [note] = [o for o in stix.objects(data) if o.get("abstract") == "T"]
    assert [label for label in note["labels"] if not label.startswith("estimative-language:")] == labels
