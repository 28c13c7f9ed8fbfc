"""Resource limits an attacker would push: a history holding a huge file, a gzip bomb, an endless CSV field and a
trace that splits into thousands of legs. Each stops at its limit with a located message, or is capped and says so."""
import gzip
import json
import os
import subprocess

from generator import cli
from generator.facts import revision
from generator.facts.dataset import load
from generator.geo import tracks
from generator.outputs import stixdates
from generator.tools import importers
from tests.trees import flight

STAMP = 1734300000


def git(root, *args, when=STAMP):
    env = {**os.environ, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                   cwd=root, env=env, check=True, capture_output=True)


def test_stix_dates_never_read_a_file_of_the_history_over_its_size_limit(brief, monkeypatch):
    project = brief({"data/flights/f1.yml": flight("f1")})
    (project.data / "tracks").mkdir()
    huge = b'{"schema": "intelbrief-track/1", "points": []}' + b" " * 3_000_000
    (project.data / "tracks" / "huge.json").write_bytes(huge)
    (project.data / "flights" / "blob.bin").write_bytes(b"\0" * 3_000_000)  # not a fact file at all
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "a huge track")
    for gone in ("tracks/huge.json", "flights/blob.bin"):
        (project.data / gone).unlink()
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "gone again", when=STAMP + 60)
    read: list[int] = []
    objects = revision._objects

    def counted(root, oids, mode):
        found = objects(root, oids, mode)
        read.extend(len(body) for body in found if mode == "--batch")
        return found

    monkeypatch.setattr(revision, "_objects", counted)
    said: list[str] = []
    times, ledger = stixdates.times(project.root, load(project.data), STAMP + 120, None, said.append)
    assert max(read) < 10_000  # the fact files, never the 3 MB blobs
    first = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=project.root, capture_output=True,
                           text=True).stdout.strip()
    assert said == [f"STIX dates: 1 file in the history over their size limit was not read "
                    f"(data/tracks/huge.json at {first[:10]}); objects they held are dated by the commits that "
                    "could be read"]
    assert times and ledger["commit"] != first


def trace(legs: int) -> dict:
    """A readsb trace of legs flights over the sea, each marked by the tracker as a new leg."""
    points = []
    for leg in range(legs):
        for step in range(3):
            points.append([leg * 600 + step * 60, 34.0 + step * 0.05, 30.0 + leg * 0.01, 20000, 400, 90,
                           2 if step == 0 else 0, 0, {"flight": "ZQX1"}])
    return {"icao": "15188a", "r": "RA-78765", "t": "IL76", "timestamp": 1734112920.0, "trace": points}


def test_a_gzip_bomb_is_refused_before_it_is_decompressed_whole(brief, capsys, tmp_path):
    project = brief({})
    bomb = tmp_path / "trace_full_15188a.json.gz"
    start = json.dumps(trace(1))[:-2].encode()  # an export's beginning, then 40 MB of spaces
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        out.write(start)
        for _ in range(40):
            out.write(b" " * 1_000_000)
    assert bomb.stat().st_size < 100_000
    assert cli.main(["-C", str(project.root), "import", "track", str(bomb)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{bomb}:1:1: the export is more than 33,554,432 bytes once decompressed, expected a tracker export of at most "
        "33,554,432 bytes (split it, or export one aircraft's day) [file-too-large]", "1 error; nothing was written."]
    assert not (project.data / "flights").exists()


def test_a_csv_field_over_the_csv_limit_is_a_located_problem(brief, capsys, tmp_path):
    project = brief({})
    export = tmp_path / "fr24.csv"
    export.write_text("Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
                      '1734137520,2024-12-14T00:52:00Z,RFF7093,"53.9,28.0",0,0,0\n'
                      f'1734138120,2024-12-14T01:02:00Z,"{"Z" * 200_000}","53.1,27.8",7000,300,200\n')
    assert cli.main(["-C", str(project.root), "import", "track", str(export)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{export}:3:1: a field is longer than 131,072 characters, expected short CSV fields [bad-row]",
        "1 error; nothing was written."]


def test_a_trace_of_many_legs_writes_at_most_fifty_and_names_leg(brief, capsys, tmp_path):
    project = brief({})
    export = tmp_path / "trace_full_15188a.json"
    export.write_text(json.dumps(trace(60)))
    assert cli.main(["-C", str(project.root), "import", "track", str(export)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == ("trace_full_15188a.json holds 60 legs; the first 50 were imported, at most 50 at a time: "
                       "import any other with --leg N (N from 51 to 60)")
    assert len(list((project.data / "flights").iterdir())) == importers.MAX_LEGS == 50
    assert cli.main(["-C", str(project.root), "import", "track", str(export), "--leg", "55", "--id", "leg-55",
                     "--source-id", "leg-55-export"]) == 0
    assert (project.data / "flights" / "leg-55.yml").is_file()


def test_the_list_of_legs_in_a_refusal_stops_at_fifty(tmp_path):
    pieces = tracks.legs(tracks.read(json.dumps(trace(60)).encode(), "trace.json"))
    listed = importers.leg_list(pieces).splitlines()
    assert len(pieces) == 60 and len(listed) == 51
    assert listed[-1] == "  … and 10 more legs, numbered on from 51"
