"""The exports: valid STIX 2.1, RFC 7946 GeoJSON, CSV that round-trips, and one JSON document."""
import csv
import io
import json

import pytest

from generator import dataset, exports


@pytest.fixture(scope="module")
def data(example):
    return dataset.load(example.data)


@pytest.fixture(scope="module")
def built(example):
    return {p.name: p.read_bytes() for p in (example.site / "exports").iterdir()}


def test_stix_bundle_passes_the_oasis_validator(built):
    from stix2validator import ValidationOptions, validate_instance

    result = validate_instance(json.loads(built["brief.stix.json"]), ValidationOptions(version="2.1"))
    assert result.is_valid and [e for o in [result] for e in o.errors] == []


def test_stix_keeps_marking_likelihood_and_confidence_apart(built, data):
    bundle = json.loads(built["brief.stix.json"])
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert report["object_marking_refs"] == [exports.TLP_IDS[data.brief.tlp]]
    notes = {o["id"]: o for o in bundle["objects"] if o["type"] == "note"}
    for aid, a in data.assessments.items():
        note = notes[exports.stix_id("note", f"assessment/{aid}")]
        assert note.get("confidence") == exports.ANALYTIC_CONFIDENCE.get(a.confidence)
        assert f"Likelihood: {a.likelihood}." in note["content"] if a.likelihood else "Likelihood: not stated." in note["content"]
    locations = [o for o in bundle["objects"] if o["type"] == "location"]
    assert len(locations) == len(data.bases)


def test_stix_ids_are_stable_across_exports(data):
    first, second = exports.stix_bundle(data), exports.stix_bundle(data)
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in second["objects"]]
    assert exports.stix_id("location", "base/hmeimim-air-base") == exports.stix_id("location", "base/hmeimim-air-base")


def test_geojson_follows_rfc_7946(built, data):
    collection = json.loads(built["brief.geojson"])
    assert set(collection) == {"type", "features"} and collection["type"] == "FeatureCollection"
    kinds = {"Point": 0, "LineString": 0}
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"} and feature["type"] == "Feature"
        geometry = feature["geometry"]
        points = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        assert geometry["type"] != "LineString" or len(points) >= 2
        for lon, lat in points:  # RFC 7946: longitude first, in range
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        kinds[geometry["type"]] += 1
    assert kinds["Point"] == sum(1 for b in data.bases.values() if b.location.point())
    hmeimim = next(f for f in collection["features"] if f["id"] == "base/hmeimim-air-base")
    assert hmeimim["geometry"]["coordinates"] == [35.9487, 35.4011]


def test_csv_round_trips_the_facts(built, data):
    rows = list(csv.DictReader(io.StringIO(built["flights.csv"].decode())))
    assert [r["id"] for r in rows] == sorted(data.flights)
    for row in rows:
        flight = data.flights[row["id"]]
        assert int(row["count"]) == flight.count.number and (row["lower_bound"] == "true") == flight.count.lower_bound
        assert row["arrival"] == flight.arrival.iso() and row["sources"].split(";") == flight.sources
    for kind in exports.CSV_FIELDS:
        text = built[f"{kind}.csv"].decode()
        again = exports.to_csv(exports.CSV_FIELDS[kind], list(csv.DictReader(io.StringIO(text))))
        assert again.decode() == text


def test_json_export_holds_every_fact_with_a_versioned_format(built, data):
    document = json.loads(built["brief.json"])
    assert document["format"] == "intelbrief-facts" and document["version"] == 1
    for kind in ("sources", "bases", "flights", "assessments", "events"):
        assert [f["id"] for f in document[kind]] == sorted(data.of_kind(kind))
