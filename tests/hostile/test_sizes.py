"""Sizes and numbers that used to crash or stall: each is refused with its file, line and field, exit 1."""
import pytest

from generator import cli
from generator.site import budget
from tests.trees import flight

READSB = '{"icao": "15188a", "timestamp": 1734112920, "trace": [[0, 35.4, 35.9, "ground"], %s]}'
FR24 = "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n1734138000,x,RFF7093,\"53.9,28.0\",0,0,0\n%s\n"
DIGITS = "1" * 5001

# (file name, content, the exact lines brief import track prints)
IMPORT_CASES = [
    ("dot.csv", FR24 % '1734138060,x,RFF7093,".,28.0",7000,250,199',
     ["dot.csv:3:1: Position: '.' is not a number [not-a-number]"]),
    ("dots.csv", FR24 % '1734138060,x,RFF7093,"1.2.3,28.0",7000,250,199',
     ["dots.csv:3:1: Position: '1.2.3' is not a number [not-a-number]"]),
    ("huge-altitude.csv", FR24 % '1734138060,x,RFF7093,"53.1,27.7",1e308,250,199',
     ["huge-altitude.csv:3:1: Altitude: 1e308 is out of range, expected an altitude from -2,000 to 200,000 "
      "[out-of-range]"]),
    ("infinity.csv", FR24 % '1734138060,x,RFF7093,"53.1,27.7",Infinity,250,199',
     ["infinity.csv:3:1: Altitude: 'Infinity' is not a finite number [not-a-number]"]),
    ("nan-time.csv", FR24 % 'NaN,x,RFF7093,"53.1,27.7",7000,250,199',
     ["nan-time.csv:3:1: Timestamp: 'NaN' is not a finite number [not-a-number]"]),
    ("digits.csv", FR24 % f'1734138060,x,RFF7093,"{DIGITS},28.0",7000,250,199',
     [f"digits.csv:3:1: Position: '{DIGITS[:40]}…' has 5,001 characters, expected a number of at most 40 "
      "characters [not-a-number]"]),
    ("digits.json", READSB % f"[60, {DIGITS}, 35.9, 1000]",
     ["digits.json:1:87: a number with 5,001 digits, expected at most 40 digits [not-a-number]"]),
    ("nan.json", READSB % "[60, NaN, 35.9, 1000]",
     ["nan.json:1:87: NaN is not a number JSON allows, expected a finite number [not-a-number]"]),
    ("infinity.json", READSB % "[60, 35.4, -Infinity, 1000]",
     ["infinity.json:1:93: -Infinity is not a number JSON allows, expected a finite number [not-a-number]"]),
    ("overflow.json", READSB % "[60, 35.4, 35.9, 1e309]",
     ["overflow.json:1:99: 1e309 is not a finite number, expected a number [not-a-number]"]),
    ("far-time.json", READSB % "[1e308, 35.4, 35.9, 1000]",
     ["far-time.json:1:1: trace[1].time: '1e+308' is not a Unix time, expected seconds since 1970 (between 2000 "
      "and 2100) [bad-time]"]),
    ("deep.json", '{"trace": ' + "[" * 100_000 + "]" * 100_000 + "}",
     ["deep.json:1:1: JSON nested too deeply, expected a flat export [too-deep]"]),
]


@pytest.mark.parametrize("name, text, lines", IMPORT_CASES, ids=[c[0] for c in IMPORT_CASES])
def test_import_track_refuses_malformed_numbers_with_file_row_and_field(brief, capsys, tmp_path, name, text, lines):
    project = brief({})
    export = tmp_path / name
    export.write_text(text)
    assert cli.main(["-C", str(project.root), "import", "track", str(export)]) == 1
    err = capsys.readouterr().err.replace(f"{tmp_path}/", "")
    assert err.splitlines() == lines + [f"{len(lines)} error{'s' if len(lines) > 1 else ''}; nothing was written."]
    assert not (project.data / "flights").exists()


def test_a_250_kb_base_name_cited_by_200_flights_fails_at_validation_and_generates_nothing(brief, capsys):
    name = "<" * 250_000
    files = {"data/bases/b.yml": f"id: b\nname: '{name}'\ncountry: SY\nlocation: unknown\nkind: air base\n"
                                 "sources: [report]\n"}
    files.update({f"data/flights/f{n}.yml": flight(f"f{n}").replace("{country: BY}", "{base: b}") for n in range(200)})
    project = brief(files)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == ("data/bases/b.yml:2:7: name: text is 250,000 characters long, expected at most 200 characters "
                        "for a name [text-too-long]")
    assert lines[1] == ("data/flights/f0.yml:4:16: origin.base: no base with id 'b', expected the id of a fact in "
                        "data/bases/ [unknown-reference]")
    assert len(lines) == 202 and lines[-1] == "201 errors; nothing was written."
    assert not project.docs.exists() and not project.site.exists()


def test_a_page_over_its_byte_budget_fails_the_build_naming_the_page_and_the_fact(brief, capsys, monkeypatch):
    description = "A long description of the base. " * 600
    files = {"data/bases/b.yml": f"id: b\nname: Big\ncountry: SY\nlocation: unknown\nkind: air base\n"
                                 f"description: '{description}'\nsources: [report]\n"}
    project = brief(files)
    monkeypatch.setattr(budget, "PAGE_BYTES", 16_000)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    err = capsys.readouterr().err
    # pages are written to the work folder as they are made: the page over budget is not, and nothing is published
    assert err.startswith("error: bases/b.md: the generated page is ") and not (project.docs / "bases" / "b.md").exists()
    assert err.split(" bytes, ", 1)[1] == (
        "expected at most 16,000 bytes per page; most of it comes from bases/b (data/bases/b.yml), named "
        f"{err.split('named ')[1].split(':')[0]}: expected shorter text in it, or fewer facts citing it\n")
    assert int(err.split("page is ")[1].split(" bytes")[0].replace(",", "")) > 16_000
    assert not project.site.exists()


def test_a_long_kept_track_is_drawn_with_at_most_300_positions(brief):
    from generator.facts import dataset

    rows = ",\n".join(f'  ["2024-12-14T{n // 60:02d}:{n % 60:02d}:00Z", {30 + (n % 7) * 0.01 + n * 0.002:.4f}, '
                      f'{20 + n * 0.003:.4f}, 30000]' for n in range(1200))
    project = brief({"data/tracks/f1.json": '{"schema": "intelbrief-track/1", "points": [\n' + rows + "\n]}\n",
                     "data/flights/f1.yml": flight("f1", "track: f1\n")})
    data = dataset.load(project.data)
    assert 2 <= len(data.tracks["f1"]) <= 300
    assert data.tracks["f1"][0] == (30.0, 20.0) and data.tracks["f1"][-1] == (32.418, 23.597)


@pytest.mark.parametrize("field, value, fits", [
    ("name", "A" * 200, True), ("name", "A" * 201, False), ("name", "Two\nlines", False),
    ("description", "word " * 4000, True), ("description", "word " * 4001, False),
])
def test_the_editor_schemas_carry_the_same_limits(field, value, fits):
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "base.schema.json").read_text())
    fact = {"id": "b", "name": "B", "country": "SY", "location": "unknown", "kind": "air base", "sources": ["report"],
            field: value}
    assert jsonschema.Draft202012Validator(schema).is_valid(fact) == fits
