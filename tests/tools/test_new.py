"""`brief new`: every field of every kind has an option, an option a kind does not take is refused."""
import json
import re

import pytest
import yaml

from generator import cli
from generator.facts import dataset
from generator.facts.models import KINDS, SINGULAR
from generator.tools import scaffold, schema
from tests.conftest import REPO
from tests.trees import BASE, assessment, flight


def schema_fields(node: dict, defs: dict, prefix: str = "") -> list[str]:
    """Every field of a JSON Schema as the flag a person would type: origin-place, stop-arrival-note, source."""
    found = []
    for name, prop in node.get("properties", {}).items():
        flag = f"{prefix}-{name}" if prefix else name
        forms = expand(prop, defs)
        lists = [f for f in forms if f.get("type") == "array" and "items" in f]
        records = [f for f in forms if "properties" in f]
        if lists:
            item_flag = flag[:-2] if flag.endswith("liases") else flag.removesuffix("s")
            items = [f for f in expand(lists[0]["items"], defs) if "properties" in f]
            found += schema_fields(items[0], defs, item_flag) if items else [item_flag]
        elif records:
            found += [flag, *schema_fields(records[0], defs, flag)] if len(forms) > 1 else schema_fields(records[0], defs, flag)
        else:
            found.append(flag)
    return [f.replace("_", "-") for f in found]


def expand(node: dict, defs: dict) -> list[dict]:
    if "$ref" in node:
        return expand(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        return [form for alt in node["anyOf"] for form in expand(alt, defs)]
    return [] if node.get("type") == "null" else [node]


def brief_(project, *args: str) -> int:
    return cli.main(["-C", str(project.root), *args])


def committed(kind: str) -> dict:
    return json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())


@pytest.mark.parametrize("kind", [SINGULAR[k] for k in KINDS])
def test_every_field_of_every_kind_has_an_option(kind):
    fields = schema_fields(committed(kind), committed(kind)["$defs"])
    shown = scaffold.parser(kind).format_help()
    assert "id" in fields and [f for f in fields if f"--{f} " not in shown] == []


@pytest.mark.parametrize("member, parent", [(m, SINGULAR[p]) for m, (p, _) in scaffold.MEMBERS.items()])
def test_every_field_of_a_part_added_to_a_fact_has_an_option(member, parent):
    whole = committed(parent)
    field = scaffold.MEMBERS[member][1]
    item = [f for f in expand(whole["properties"][field]["items"], whole["$defs"]) if "properties" in f][0]
    fields = [f"{member}-{f}" if f == parent else f for f in schema_fields(item, whole["$defs"])]
    shown = scaffold.parser(member).format_help()
    assert [f for f in [parent, *fields] if f"--{f} " not in shown] == []


def test_a_new_field_of_a_model_gets_its_option_without_changing_the_command(monkeypatch):
    from pydantic import Field

    from generator.facts.models import Event, Name

    extended = type("Event", (Event,), {"__annotations__": {"witness": Name | None},
                                        "witness": Field(None, description="Who saw it.")})
    monkeypatch.setitem(KINDS, "events", extended)
    scaffold.options.cache_clear()
    try:
        assert re.search(r"--witness VALUE +Who saw it\.", scaffold.parser("event").format_help())
    finally:
        scaffold.options.cache_clear()


@pytest.mark.parametrize("args, message", [
    (["new", "source", "--id", "s", "--title", "T", "--kind", "news", "--reliability", "B", "--likelihood", "likely",
      "--icao", "GAGO", "--origin", "LY"],
     "error: brief new source: --likelihood is not an option of a source, expected one of: --id, --title, --publisher, "
     "--author, --url, --published, --published-at, --published-between, --published-part-of-day, --published-note, "
     "--accessed, --kind, --reliability, --via, --tlp, --archive-file, --archive-sha256, --archive-captured, "
     "--archive-url, --archive-method, --archive-published-sha256, --archive-publish, --archive-tlp, --archive-note, "
     "--note\n"),
    (["new", "evidence", "--assessment", "a", "--flight", "f", "--origin", "SY"],
     "error: brief new evidence: --origin is not an option of an evidence, expected one of: --assessment, --flight, "
     "--base, --source, --event, --evidence-assessment, --note, --fits\n"),
    (["new", "observation", "--date", "2024-12-14", "--summary", "S", "--source", "report", "--credibility", "2"],
     "error: brief new observation: --base is required, expected the id of the base to add it to\n"),
    (["new", "observation", "--base", "nowhere", "--date", "2024-12-14", "--summary", "S", "--source", "report",
      "--credibility", "2"],
     "error: brief new observation: no base with id 'nowhere', expected the id of a fact in data/bases/\n"),
    (["new", "flight", "--id", "f", "--origin", "SY", "--destination", "LY", "--basis", "reported", "--source", "report",
      "--stop", "HLLB", "--stop-arrival", "2024-12-15", "--stop-departure", "2024-12-14"],
     "error: brief new flight: stops[0].departure: departure 2024-12-14 is before arrival 2024-12-15, expected to "
     "leave after landing\n"),
    (["new", "flight", "--id", "f", "--origin", "SY", "--destination", "LY", "--basis", "reported", "--source", "report",
      "--departure-between", "2024-12-14"],
     "error: brief new flight: argument --departure-between: expected 2 arguments\n"),
])
def test_new_refuses_what_the_kind_does_not_take(brief, capsys, args, message):
    project = brief({"data/bases/hmeimim.yml": BASE})
    assert cli.main(["-C", str(project.root), *args]) == 1
    assert capsys.readouterr().err == message
    assert sorted(p.name for p in project.data.rglob("*.yml")) == ["brief.yml", "hmeimim.yml", "report.yml"]


def test_an_event_keeps_its_country_and_every_file_reads_in_the_schemas_order(brief):
    project = brief({})
    args = ["new", "flight", "--source", "report", "--basis", "reported", "--id", "f1", "--personnel-credibility", "3",
            "--destination", "HLLB", "--count-at-least", "2", "--arrival", "2024-12-08/2024-12-14",
            "--personnel-source", "report", "--origin", "UMMS", "--stop-note", "Refuelled.", "--stop", "OSLK",
            "--departure-part-of-day", "night", "--departure-at", "2024-12-07", "--tlp", "TLP:GREEN"]
    assert cli.main(["-C", str(project.root), *args]) == 0
    assert (project.data / "flights" / "f1.yml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/flight.schema.json\n"
        "id: f1\ncount:\n  at_least: 2\ndeparture:\n  at: '2024-12-07'\n  part_of_day: night\n"
        "arrival:\n  between:\n  - '2024-12-08'\n  - '2024-12-14'\norigin:\n  airfield: UMMS\n"
        "stops:\n- airfield: OSLK\n  note: Refuelled.\ndestination:\n  airfield: HLLB\n"
        "personnel:\n  sources:\n  - report\n  credibility: 3\nbasis: reported\nsources:\n- report\ntlp: TLP:GREEN\n")
    assert cli.main(["-C", str(project.root), "new", "event", "--id", "e1", "--title", "T", "--date", "2024-12-08",
                     "--summary", "S", "--source", "report", "--country", "RU"]) == 0
    assert dataset.load(project.data).events["e1"].country == "RU"
    assert brief_(project, "new", "event", "--id", "e2", "--title", "Crash", "--kind", "crash", "--date", "2023-09-23",
                  "--summary", "S", "--source", "report", "--place", "Gao", "--coordinates-lat", "16.25",
                  "--coordinates-lon", "-0.05", "--coordinates-source", "report", "--country", "ML") == 0
    assert "coordinates:\n  lat: 16.25\n  lon: -0.05\n  source: report\ncountry: ML\n" in (
        project.data / "events" / "e2.yml").read_text()


def test_parts_are_added_to_a_fact_as_written_around_them(brief, capsys):
    project = brief({"data/bases/hmeimim.yml": BASE + "observations:  # newest last\n  - date: 2024-12-08\n"
                     "    status: active\n    summary: Seen.\n    sources: [report]\n    credibility: 2\n"
                     "# kept: a comment after the list\n",
                     "data/assessments/a.yml": assessment("a", "evidence: []\nkey: true\n"),
                     "data/flights/f.yml": flight("f")})
    assert brief_(project, "new", "observation", "--base", "hmeimim", "--date", "2024-12-14T05:26+02:00",
                  "--summary", "Crash site.", "--source", "report", "--credibility", "3") == 0
    assert brief_(project, "new", "evidence", "--assessment", "a", "--flight", "f", "--note", "The flight.") == 0
    assert brief_(project, "new", "evidence", "--assessment", "a", "--evidence-assessment", "a") == 0
    assert brief_(project, "new", "stop", "--flight", "f", "--airfield", "HLLB", "--arrival", "2024-12-14") == 0
    assert brief_(project, "new", "cargo", "--flight", "f", "--kind", "vehicles", "--source", "report",
                  "--credibility", "4") == 0
    assert capsys.readouterr().out.splitlines()[0] == "wrote data/bases/hmeimim.yml: review it, then run brief validate"
    assert (project.data / "bases" / "hmeimim.yml").read_text().endswith(
        "observations:  # newest last\n  - date: 2024-12-08\n    status: active\n    summary: Seen.\n"
        "    sources: [report]\n    credibility: 2\n  - date:\n      at: 2024-12-14T05:26+02:00\n"
        "    summary: Crash site.\n    sources:\n    - report\n    credibility: 3\n# kept: a comment after the list\n")
    assert "evidence:\n  - flight: f\n    note: The flight.\n  - assessment: a\nkey: true\n" in (
        project.data / "assessments" / "a.yml").read_text()
    data = dataset.load(project.data)
    base = data.bases["hmeimim"]
    assert base.observations[1].status is None and base.current().status == "active"
    assert base.observations[1].date.iso() == "2024-12-14T03:26Z"
    assert [e.target for e in data.assessments["a"].evidence] == [("flights", "f"), ("assessments", "a")]
    assert [(s.airfield, s.arrival.iso()) for s in data.flights["f"].stops] == [("HLLB", "2024-12-14")]
    assert data.flights["f"].cargo[0].kind == "vehicles"


def test_imported_facts_carry_the_schema_line(brief, capsys):
    from tests.tools.test_importers import SAMPLES

    project = brief({})
    assert cli.main(["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json")]) == 0
    written = [p for p in project.data.rglob("*.yml") if p.parent.name in ("flights", "sources") and p.stem != "report"]
    assert len(written) == 2
    for path in written:
        kind = schema.SINGULAR[path.parent.name]
        assert path.read_text().startswith(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n")


def test_validate_ends_with_the_count_alone_and_build_says_it_wrote_nothing(brief, capsys):
    project = brief({"data/flights/f.yml": flight("f").replace("tracked", "maybe")})
    assert cli.main(["-C", str(project.root), "validate"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "1 error."
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "1 error; nothing was written."


def test_an_evidence_rates_how_it_fits_each_hypothesis_from_the_command_line(tmp_path, capsys):
    from tests.conftest import build_example

    project = build_example(tmp_path)
    args = ["-C", str(project.root), "new", "evidence", "--assessment", "russia-shifting-airlift-to-libya",
            "--flight", "hmeimim-libya-cargo", "--fits", "main=consistent", "--fits", "withdrawal-only=inconsistent"]
    assert cli.main(args) == 0
    written = yaml.safe_load((project.data / "assessments" / "russia-shifting-airlift-to-libya.yml").read_text())
    assert written["evidence"][-1] == {"flight": "hmeimim-libya-cargo",
                                       "fits": {"main": "consistent", "withdrawal-only": "inconsistent"}}
    capsys.readouterr()
    assert cli.main([*args[:-2], "--fits", "main"]) == 1
    assert capsys.readouterr().err == "error: --fits 'main' is not KEY=VALUE, expected e.g. --fits main=consistent\n"
