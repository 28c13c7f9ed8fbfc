"""A rebuild copies each unchanged flight's parts of the exports from the last build's pieces (outputs/pieces.py).

After any edit, even to a fact a flight only refers to (its base, its source, a member of its group), the exports
must be the very bytes of the whole values serialised in memory (test_exports_streamed.expected, which never reads
the pieces); and a cache altered or signed by anyone but this user must change nothing.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import re
import secrets
import shutil
from pathlib import Path

import pytest

from generator import build
from generator.facts import dataset, markings, parsecache
from generator.outputs import exports, pieces, stixdates
from generator.project import Project
from tests.conftest import BRIEF_PARTS, REPO
from tests.hostile.test_parse_cache import keys  # noqa: F401  a fixture: this user's key folder, fresh per test
from tests.outputs.test_exports_streamed import cli, expected, written

FLIGHT = "flight-000007"  # of the synthetic brief: not the first flight, whose CSV row names the columns


@pytest.fixture
def synthetic(tmp_path, keys) -> Project:
    root = tmp_path / "synthetic"
    cli("-C", str(REPO), "synth", "--flights", "60", "--bases", "6", "--assessments", "8", "--seed", "5",
        "--out", str(root))
    project = Project(root)
    build.build(project)
    return project


@pytest.fixture
def example(tmp_path, keys) -> Project:
    root = tmp_path / "example"
    root.mkdir()
    for part in (*BRIEF_PARTS, "data"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, root / part)
    project = Project(root)
    build.build(project)
    return project


def edit(project: Project, rel: str, pattern: str, replacement: str) -> None:
    path = project.root / "data" / rel
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text, f"{rel}: nothing matched {pattern}"
    path.write_text(changed, encoding="utf-8")


def flight_file(project: Project, fid: str) -> str:
    return next((project.data / "flights").rglob(f"{fid}.yml")).relative_to(project.data).as_posix()


def referred(project: Project, kind: str) -> str:
    """The file of the base or source the synthetic flight FLIGHT names first."""
    text = (project.data / flight_file(project, FLIGHT)).read_text(encoding="utf-8")
    fid = re.search(r"(?m)^  base: (\S+)$" if kind == "bases" else r"(?m)^- (source-\S+)$", text).group(1)
    return f"{kind}/{fid}.yml"


def moved(project: Project) -> str:
    """The base FLIGHT names first, placed by coordinates a little way from its airfield."""
    base = Path(referred(project, "bases")).stem
    lat, lon = dataset.load(project.data).bases[base].location.point()
    source = Path(referred(project, "sources")).stem
    return f"  coordinates: {{lat: {lat + 0.01:.4f}, lon: {lon + 0.01:.4f}, source: {source}}}"


def assert_exports_as_from_nothing(project: Project) -> None:
    want, got = expected(project, bom=False), written(project)
    assert sorted(got) == sorted(want)
    for path in want:
        assert got[path] == want[path], path


def test_after_each_edit_a_rebuild_writes_the_exports_of_a_build_from_nothing(synthetic):
    edits = [
        (flight_file(synthetic, FLIGHT), r"^operator: .*$", "operator: Another operator with a longer name"),
        (referred(synthetic, "bases"), r"^name: .*$", "name: A renamed base"),  # in the flight's route and stops
        (referred(synthetic, "bases"), r"^  icao: \S+$", moved(synthetic)),  # its lines and rows
        (referred(synthetic, "sources"), r"^title: .*$", "title: A retitled source"),  # the flight's references
    ]
    for rel, pattern, replacement in edits:
        edit(synthetic, rel, pattern, replacement)
        build.build(synthetic)
        assert_exports_as_from_nothing(synthetic)
    original = synthetic.data / flight_file(synthetic, FLIGHT)
    added = original.with_name(f"{FLIGHT}a.yml")  # a flight between two kept ones, then gone again
    added.write_text(original.read_text(encoding="utf-8").replace(f"id: {FLIGHT}", f"id: {FLIGHT}a"), encoding="utf-8")
    build.build(synthetic)
    assert_exports_as_from_nothing(synthetic)
    assert f"{FLIGHT}a" in (synthetic.site / "data" / "flights.csv").read_text(encoding="utf-8")
    added.unlink()
    build.build(synthetic)
    assert_exports_as_from_nothing(synthetic)


def test_a_change_to_a_member_of_a_group_changes_what_the_group_s_note_says(example):
    edit(example, "flights/belarus-benghazi-2024-12-14.yml", r"^  place: Benghazi$", "  place: Tobruk")
    build.build(example)
    assert "to Tobruk" in (example.site / "data" / "brief.stix.json").read_text(encoding="utf-8")
    assert_exports_as_from_nothing(example)


def exported(project: Project, kept: pieces.Pieces) -> dict[str, bytes]:
    """Every export written in memory from the brief's facts, with these pieces."""
    data = markings.release(dataset.load(project.data))[0]
    epoch = project.history().epoch
    held: dict[str, io.BytesIO] = {}

    @contextlib.contextmanager
    def opened(path):
        held[path] = io.BytesIO()
        yield held[path]

    exports.write_exports(data, opened, epoch, stixdates.times(project.root, data, epoch)[0], kept=kept)
    kept.save()
    return {path: out.getvalue() for path, out in held.items()}


def test_only_the_edited_flight_s_parts_are_made_again(synthetic):
    kept = pieces.Pieces(synthetic.root, synthetic.work)
    assert exported(synthetic, kept) == expected(synthetic, bom=False)
    assert (kept.made, kept.reused) == (0, 4 * 60 - 1)  # the first CSV row names the columns: made, never kept
    edit(synthetic, flight_file(synthetic, FLIGHT), r"^operator: .*$", "operator: Someone else")
    kept = pieces.Pieces(synthetic.root, synthetic.work)
    assert exported(synthetic, kept) == expected(synthetic, bom=False)
    assert (kept.made, kept.reused) == (4, 4 * 60 - 1 - 4)


def first_piece(project: Project, part: str) -> tuple[list[bytes], int, list[bytes]]:
    """The index's lines, the number of the line of the first piece of this part, and that line's fields."""
    body = (project.work / f"{pieces.NAME}.idx").read_bytes().rstrip(b"\n").rpartition(b"\n")[0]
    lines = body.rstrip(b"\n").split(b"\n")
    n = next(n for n, line in enumerate(lines) if line.split(b"\t")[1].startswith(part.encode() + b" "))
    return lines, n, lines[n].split(b"\t")[1].split(b" ")


def forge(project: Project, key: bytes) -> None:
    """Rewrite the cache so the first flight's brief.json entry says PLANTED, consistently, signed with key."""
    texts = project.work / f"{pieces.NAME}.bin"
    lines, n, (part, fkey, offset, length, _) = first_piece(project, "json")
    old = texts.read_bytes()
    piece = old[int(offset):int(offset) + int(length)].replace(b'"id": "', b'"id": "PLANTED ', 1)
    texts.write_bytes(old + piece)
    sha = hashlib.blake2b(piece, digest_size=20).hexdigest().encode()
    fid = lines[n].split(b"\t")[0]
    lines[n] = fid + b"\t" + b" ".join([part, fkey, str(len(old)).encode(), str(len(piece)).encode(), sha])
    body = b"\n".join(lines) + b"\n"
    version = pieces.code_version()
    mac = hmac.new(key, version.encode() + b"\n" + body, hashlib.sha256).hexdigest()
    (project.work / f"{pieces.NAME}.idx").write_bytes(
        body + b"\n" + json.dumps({"version": version, "mac": mac}).encode() + b"\n")


def test_a_cache_signed_by_another_key_changes_no_export(synthetic, keys):
    forge(synthetic, secrets.token_bytes(32))
    build.build(synthetic)
    assert b"PLANTED" not in (synthetic.site / "data" / "brief.json").read_bytes()
    assert_exports_as_from_nothing(synthetic)


def test_the_forged_cache_is_used_when_signed_with_this_user_s_key(synthetic, keys):
    """What the test above refuses is a real threat: the same cache, signed with this user's key, is believed."""
    forge(synthetic, (keys / parsecache.KEY_NAME).read_bytes())
    build.build(synthetic)
    assert b"PLANTED" in (synthetic.site / "data" / "brief.json").read_bytes()


def test_a_piece_altered_after_its_index_was_signed_is_made_again(synthetic):
    texts = synthetic.work / f"{pieces.NAME}.bin"
    _, _, (_, _, offset, length, _) = first_piece(synthetic, "json")
    raw = bytearray(texts.read_bytes())
    start = raw.index(b'"id": "', int(offset)) + len(b'"id": "')
    raw[start:start + 7] = b"PLANTED"  # the same length: only the digest in the signed index tells
    texts.write_bytes(bytes(raw))
    build.build(synthetic)
    assert b"PLANTED" not in (synthetic.site / "data" / "brief.json").read_bytes()
    assert_exports_as_from_nothing(synthetic)
