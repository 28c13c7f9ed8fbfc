"""Exchange benchmark: importing a real whole-day trace, and dating the STIX objects from git history."""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results  # noqa: E402  benchmarks/results.py

from generator.facts import dataset  # noqa: E402
from generator.geo import tracks  # noqa: E402
from generator.outputs import stixdates  # noqa: E402
from generator.tools import importers  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TRACE = REPO / "tests" / "tools" / "samples" / "real" / "trace_full_ac671b.json.gz"
SIZES = ((100, 10), (1_000, 10))  # (flights, commits touching data/)
HEADING = "## Exchange"


def import_seconds() -> tuple[float, int, int]:
    """Seconds to read, split and make the facts of every leg of the real trace; positions and legs."""
    start = time.perf_counter()
    track = tracks.read(TRACE.read_bytes(), TRACE.name)
    legs = tracks.legs(track)
    for n, leg in enumerate(legs, 1):
        importers.flight_facts(leg, f"leg-{n}", "src", {}, (n, len(legs)), track)
    return time.perf_counter() - start, len(track.positions), len(legs)


def _git(root: Path, *args: str, when: int) -> None:
    stamp = f"@{when} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=root, env=env, check=True, capture_output=True)


def history(root: Path, flights: int, commits: int) -> None:
    """A synthetic brief whose history has the given number of commits, each editing one flight."""
    subprocess.run([sys.executable, "-m", "generator", "synth", "--flights", str(flights), "--bases", "20",
                    "--assessments", str(max(10, flights // 10)), "--out", str(root)], check=True, capture_output=True)
    _git(root, "init", "-q", "-b", "main", when=0)
    _git(root, "add", "-A", when=0)
    _git(root, "commit", "-qm", "start", when=1733011200)
    files = sorted((root / "data" / "flights").rglob("*.yml"))
    for n in range(1, commits):
        path = files[n % len(files)]
        path.write_text(path.read_text() + f"# edited {n}\n")  # a new blob to read; the fact stays valid
        _git(root, "commit", "-qam", f"edit {n}", when=1733011200 + n * 3600)


def dating_seconds(flights: int, commits: int) -> tuple[float, float, int]:
    """Seconds to date every object from the whole history, then from the ledger after one more commit."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "brief"
        history(root, flights, commits)
        data = dataset.load(root / "data")
        start = time.perf_counter()
        dated, ledger = stixdates.times(root, data, 0)
        cold = time.perf_counter() - start
        edited = sorted((root / "data" / "flights").rglob("*.yml"))[0]
        edited.write_text(edited.read_text() + "# one more edit\n")
        _git(root, "commit", "-qam", "one more", when=1733011200 + commits * 3600)
        data = dataset.load(root / "data")
        start = time.perf_counter()
        stixdates.times(root, data, 0, ledger)
        warm = time.perf_counter() - start
        return cold, warm, len(dated)


def section(sizes=SIZES) -> str:
    """The Markdown section for RESULTS.md."""
    seconds, positions, legs = import_seconds()
    lines = [HEADING, "",
             f"`brief import track` on the real whole-day readsb trace ({positions:,} positions, {legs} legs): "
             f"{seconds:.2f} s to read, split and make each leg's flight and track (runway table load included).", "",
             "Dating the STIX objects from git history (`generator/outputs/stixdates.py`): a synthetic brief whose "
             "history edits one flight file per commit; the first build reads every commit, a later one only the "
             "commits since the ledger it kept in `.brief/stix-dates.json`.", "",
             "| flights | commits | STIX objects | first build | next build (one new commit) |", "|---|---|---|---|---|"]
    for flights, commits in sizes:
        cold, warm, objects = dating_seconds(flights, commits)
        lines.append(f"| {flights:,} | {commits} | {objects:,} | {cold:.1f} s | {warm:.1f} s |")
    return "\n".join(lines + [""])


def write(path: Path, sizes=SIZES) -> str:
    """Put this benchmark's section into RESULTS.md in place of its previous one, leaving the rest as it is."""
    return results.put_section(path, HEADING, section(sizes))


if __name__ == "__main__":
    if "--small" in sys.argv:
        print(section(((50, 3),)))
    else:
        print(write(Path(__file__).with_name("RESULTS.md")))
