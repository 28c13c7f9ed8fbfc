"""Editor schemas and scaffolded facts: generated from the models, accepting the data as written."""
import json
from datetime import date

import jsonschema
import pytest
import yaml

from generator.facts.models import KINDS, SINGULAR
from generator import cli

from generator.facts import dataset

from generator.tools import schema
from tests.conftest import REPO
from tests.trees import assessment, flight


def as_editor_reads(path):
    """A YAML file as an editor's language server sees it (dates stay text)."""
    data = yaml.safe_load(path.read_text())
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def validator(name):
    return jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / name).read_text()))


def test_committed_schemas_are_up_to_date():
    for name, text in schema.all_schemas().items():
        assert (REPO / "schemas" / name).read_text() == text, f"run brief schema: {name} is stale"


def test_brief_schema_writes_the_committed_schemas(tmp_path, capsys):
    assert cli.main(["-C", str(REPO), "schema", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in (REPO / "schemas").iterdir())
    assert capsys.readouterr().out == "".join(f"wrote {tmp_path / name}\n" for name in schema.all_schemas())
    assert {n: (tmp_path / n).read_text() for n in names} == {n: (REPO / "schemas" / n).read_text() for n in names}


@pytest.mark.parametrize("kind", list(KINDS))
def test_schemas_accept_every_example_fact_and_each_file_points_at_its_schema(kind):
    check = validator(f"{SINGULAR[kind]}.schema.json")
    files = sorted((REPO / "data" / kind).rglob("*.yml"))
    assert files
    for path in files:
        assert list(check.iter_errors(as_editor_reads(path))) == [], path
        assert path.read_text().startswith(schema.modeline(kind, 2))


@pytest.mark.parametrize("name, fact, complaint", [
    ("flight.schema.json", {"id": "Bad Id", "departure": "unknown", "arrival": "unknown", "origin": {"country": "SY"},
                            "destination": "unknown", "basis": "tracked", "sources": ["s"]}, "does not match"),
    ("flight.schema.json", {"id": "f", "departure": "2024-13", "arrival": "unknown", "origin": "unknown",
                            "destination": "unknown", "basis": "tracked", "sources": ["s"]}, "is not valid under any"),
    ("flight.schema.json", {"id": "f", "departure": "unknown", "arrival": "unknown", "origin": "unknown",
                            "destination": "unknown", "basis": "maybe", "sources": ["s"]}, "is not one of"),
    ("assessment.schema.json", {"id": "a", "title": "t", "date": "2024-12-01", "judgment": "j", "attribution": "brief",
                                "sources": ["s"], "colour": "red"}, "Additional properties"),
    ("base.schema.json", {"id": "b", "name": "n", "country": "SY", "kind": "air base", "sources": ["s"],
                          "location": {"coordinates": {"lat": 91, "lon": 0, "source": "s"}}}, "is not valid under any"),
])
def test_schemas_reject_invalid_facts(name, fact, complaint):
    errors = [e.message for e in validator(name).iter_errors(fact)]
    assert errors and any(complaint in e for e in errors), errors


def test_new_writes_a_valid_fact_with_its_modeline(brief, capsys):
    project = brief({})
    assert cli.main(["-C", str(project.root), "new", "flight", "--id", "f9", "--origin", "OSLK",
                     "--destination", "LY", "--basis", "reported", "--source", "report", "--arrival", "2024-12-20"]) == 0
    assert capsys.readouterr().out == "wrote data/flights/f9.yml: review it, then run brief validate\n"
    path = project.data / "flights" / "f9.yml"
    assert path.read_text().startswith("# yaml-language-server: $schema=../../schemas/flight.schema.json\n")
    assert dataset.load(project.data).flights["f9"].origin.airfield == "OSLK"
    assert cli.main(["-C", str(project.root), "new", "source", "--id", "partner", "--title", "Partner report",
                     "--kind", "human source", "--reliability", "C", "--tlp", "TLP:AMBER"]) == 0
    assert dataset.load(project.data).sources["partner"].tlp == "TLP:AMBER"
    capsys.readouterr()
    assert cli.main(["-C", str(project.root), "new", "flight", "--id", "f9", "--origin", "SY", "--destination", "LY",
                     "--basis", "reported", "--source", "report"]) == 1
    assert capsys.readouterr().err == f"error: {path}: already exists, expected a new id\n"


def test_new_indicator_writes_a_valid_indicator_of_each_watch_kind(brief, capsys):
    from generator.facts import indicators

    project = brief({"data/flights/f1.yml": flight("f1").replace("2024-12-14", "2024-12-15"),
                     "data/assessments/a1.yml": assessment("a1")})
    root = str(project.root)
    assert cli.main(["-C", root, "new", "indicator", "--id", "more-flights", "--title", "More flights to Libya",
                     "--signals", "The airlift goes on.", "--bears-on-assessment", "a1", "--bears-on-direction",
                     "supports", "--watch-flights-from", "BY", "--watch-flights-to", "LY", "--watch-flights-at-least", "1",
                     "--watch-flights-within-days", "7"]) == 0
    assert cli.main(["-C", root, "new", "indicator", "--id", "deal", "--title", "A basing deal", "--signals", "It stays.",
                     "--bears-on-assessment", "a1", "--bears-on-direction", "undermines", "--watch", "manual",
                     "--status", "not met"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote data/indicators/more-flights.yml: review it, then run brief validate",
        "wrote data/indicators/deal.yml: review it, then run brief validate"]
    assert (project.data / "indicators" / "more-flights.yml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/indicator.schema.json\n"
        "id: more-flights\ntitle: More flights to Libya\nsignals: The airlift goes on.\n"
        "bears_on:\n- assessment: a1\n  direction: supports\n"
        "watch:\n  flights:\n    from: BY\n    to: LY\n    at_least: 1\n    within_days: 7\n")
    data = dataset.load(project.data)
    readings = indicators.evaluate(data)
    assert (readings["more-flights"].status, readings["deal"].status) == ("met", "not met")
    assert data.indicators["deal"].bears_on[0].direction == "undermines"
    assert cli.main(["-C", root, "new", "indicator", "--id", "x", "--title", "X", "--signals", "S",
                     "--watch-flights-to", "LY"]) == 1
    assert "watch.flights.at_least" in capsys.readouterr().err  # the count is required


@pytest.mark.parametrize("args, message", [
    (["new", "flight", "--id", "f1", "--origin", "SY"],
     "error: brief new flight: --destination is required, expected --origin, --destination, --basis, --source\n"),
    (["new", "source", "--id", "s9", "--title", "t", "--kind", "news", "--reliability", "Z"],
     "error: brief new source: reliability: 'Z' is not a known reliability grade, expected one of: A, B, C, D, E, F\n"),
    (["new", "event", "--id", "e1", "--title", "t", "--date", "2024-12-08", "--summary", "s", "--source", "report",
      "--tlp", "TLP:WHITE"],
     "error: brief new event: tlp: 'TLP:WHITE' is not a known TLP 2.0 label, expected one of: TLP:CLEAR, TLP:GREEN, "
     "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED\n"),
])
def test_new_explains_what_is_missing_or_wrong(brief, capsys, args, message):
    project = brief({})
    assert cli.main(["-C", str(project.root), *args]) == 1
    assert capsys.readouterr().err == message
