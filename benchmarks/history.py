"""History benchmark: reading a revision's facts from git takes a fixed number of git calls, not one per file."""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results  # noqa: E402  benchmarks/results.py

from generator.tools import diff  # noqa: E402

SIZES = (350, 3_533)  # fact files in the revision; 3,533 is the size that took 29 s with one git show per file
HEADING = "## Reading a revision from git"
IDENTITY = ["-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]


def repository(root: Path, files: int) -> None:
    """A brief whose revision holds files flight files (a few with non-ASCII names), committed."""
    flights = root / "data" / "flights"
    flights.mkdir(parents=True)
    (root / "data" / "brief.yml").write_text("title: Bench\nedition: 2024-12-16\ntlp: TLP:CLEAR\n")
    for n in range(files):
        name = f"vol-{n}-é.yml" if n % 100 == 0 else f"f{n}.yml"
        (flights / name).write_text(f"id: f{n}\ndeparture: unknown\narrival: 2024-12-14\norigin: {{country: BY}}\n"
                                    "destination: {country: LY}\nbasis: tracked\nsources: [report]\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*IDENTITY, "commit", "-qm", "bench"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def one_show_per_file(root: Path) -> int:
    """The former way, for comparison: list the names, then one git show each (quoted names fail; skipped here)."""
    names = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", "data"], cwd=root,
                           capture_output=True, check=True).stdout.split(b"\0")
    read = 0
    for name in filter(None, names):
        read += len(subprocess.run(["git", "show", b"HEAD:" + name], cwd=root, capture_output=True).stdout)
    return read


def timed(files: int) -> tuple[float, float, int]:
    """Seconds to read the revision now, seconds with one git show per file, and the files read."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        repository(root, files)
        start = time.perf_counter()
        found = diff.files_at(root, "HEAD")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        one_show_per_file(root)
        former = time.perf_counter() - start
    return ours, former, sum(1 for path in found if not path.endswith("/"))


def section(sizes=SIZES) -> str:
    """The Markdown section for RESULTS.md."""
    rows = [(n, *timed(n)) for n in sizes]
    lines = [HEADING, "",
             "A committed brief of N flight files (one in a hundred with a non-ASCII name): time for `brief diff` to "
             "read the revision's facts (`git ls-tree -z` and one `git cat-file --batch-check` and `--batch` each), "
             "against the former one `git show` per file.", "",
             "| files | read now | one git show per file | faster |", "|---|---|---|---|"]
    lines += [f"| {read:,} | {ours:.2f} s | {former:.2f} s | {former / ours:.0f}× |" for _, ours, former, read in rows]
    lines.append("")
    return "\n".join(lines)


def write(path: Path, sizes=SIZES) -> str:
    """Replace this benchmark's section of RESULTS.md."""
    return results.put_section(path, HEADING, section(sizes))


if __name__ == "__main__":
    print(write(Path(__file__).resolve().parent / "RESULTS.md", tuple(int(n) for n in sys.argv[1:]) or SIZES))
