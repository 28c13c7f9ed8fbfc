"""brief build writes the exports piece by piece; they must be the very bytes of the whole files serialised in memory.

The reference here is made independently of the writer: json.dumps of each whole value, and the csv module over all
rows, as one string each.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.facts import dataset, markings
from generator.outputs import exports, jsonstream, stix, stixdates
from generator.project import Project
from tests.conftest import REPO

EPOCH = "1734307200"


def whole_json(value) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def whole_csv(rows: list[dict], bom: bool) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow([exports.inert_cell(value) for value in row.values()])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def expected(project: Project, bom: bool) -> dict[str, bytes]:
    """Every export file as the whole value serialised in one go, from the facts the build read."""
    data = markings.release(dataset.load(project.data))[0]
    epoch = project.history().epoch
    times, _ = stixdates.times(project.root, data, epoch)
    found = {"data/brief.json": whole_json(exports.facts_json(data)),
             "data/brief.geojson": whole_json(exports.geojson(data)),
             "data/brief.stix.json": whole_json(stix.bundle(data, epoch, times))}
    found.update({f"data/{kind}.csv": whole_csv(exports.csv_rows(data, kind), bom) for kind in exports.CSV_KINDS})
    return found


def cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "generator", *args], check=True, capture_output=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Project:
    """A synthetic brief made and built through the command line, with spreadsheet CSVs (a byte-order mark)."""
    root = tmp_path_factory.mktemp("streamed") / "brief"
    cli("-C", str(REPO), "synth", "--flights", "400", "--bases", "15", "--assessments", "40", "--seed", "5",
        "--out", str(root))
    cli("-C", str(root), "build", "--csv-bom")
    return Project(root)


def written(project: Project) -> dict[str, bytes]:
    return {f"data/{p.name}": p.read_bytes() for p in (project.site / "data").iterdir() if p.is_file()}


def test_a_synthetic_brief_s_exports_are_the_bytes_of_the_whole_values(synthetic):
    want, got = expected(synthetic, bom=True), written(synthetic)
    assert sorted(got) == sorted(want)
    for path in want:
        assert got[path] == want[path], path
    assert got["data/flights.csv"].startswith("\ufeff\"id\",".encode())
    facts = json.loads(got["data/brief.json"])
    assert len(facts["flights"]) == 400 and len(facts["bases"]) == 15
    observations = [o["id"] for base in facts["bases"] for o in base["observations"]]  # each kind with its own extras
    rows = csv.DictReader(io.StringIO(got["data/observations.csv"].decode("utf-8-sig"), newline=""))
    assert observations == [row["id"] for row in rows] and all(observations)


def test_the_example_s_exports_are_the_bytes_of_the_whole_values(example):
    want, got = expected(example, bom=False), written(example)
    assert sorted(got) == sorted(want)
    for path in want:
        assert got[path] == want[path], path


def test_the_data_page_gives_each_export_s_size_on_disk(synthetic):
    soup = BeautifulSoup((synthetic.site / "data.html").read_text(encoding="utf-8"), "html.parser")
    sizes = {}
    for row in soup.select("article table tr")[1:]:
        cells = row.find_all("td")
        sizes[cells[0].a["href"]] = int(cells[2].get_text().removesuffix(" bytes").replace(",", ""))
    assert sizes == {path: len(body) for path, body in written(synthetic).items()}
    assert sizes["data/brief.stix.json"] > 100_000


def test_a_rebuild_keeps_the_times_of_exports_that_did_not_change(synthetic):
    data = synthetic.docs / "data"
    before = {p.name: p.stat().st_mtime_ns for p in Path(data).iterdir()}
    cli("-C", str(synthetic.root), "build", "--csv-bom")
    assert {p.name: p.stat().st_mtime_ns for p in Path(data).iterdir()} == before
    assert not [p.name for p in Path(data).iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("value", [
    {"text": "quote \" backslash \\ line\nbreak \u2028 é \x00 \ud800", "empty": "", "none": None, "yes": True, "no": False},
    {"ints": [0, -3, 2**70, True], "floats": [1.5, -0.0, 1e300, 3.14159, float("nan"), float("inf"), float("-inf")]},
    {1: "int key", 2.5: "float key", True: "bool key", None: "none key", "nested": {"a": [[], {}, [[]], ({},)]}},
    [("tuple", 1), [], {}, [{"deep": [{"deeper": ["x"]}]}]],
    "just a string", 7, None,
])
@pytest.mark.parametrize("depth", [0, 1, 3])
def test_a_value_is_written_as_json_dumps_with_indent_two_writes_it(value, depth):
    written = []
    jsonstream._encode(value, written.append, depth)
    assert "".join(written) == json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)


def test_what_json_cannot_write_fails_as_json_dumps_fails():
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        jsonstream._encode({"a": [{1, 2}]}, [].append, 0)
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None, not tuple"):
        jsonstream._encode({(1, 2): "x"}, [].append, 0)
