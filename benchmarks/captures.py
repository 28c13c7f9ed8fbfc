"""Captures benchmark: a rebuild of the example with 200 kept captures of 1 MB each, unchanged since the last build,
against the same rebuild without them (target: under 1.2×). The captures are hashed once per change of their files
and their published copies are kept from the last site, so an unchanged capture is not read again."""
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results  # noqa: E402  benchmarks/results.py

REPO = Path(__file__).resolve().parents[1]
HEADING = "## Captures of sources"
COUNT, SIZE = 200, 1 << 20
REPEATS = 3


def brief(root: Path, captures: int) -> None:
    """The example brief with this many 1 MB text captures spread over its sources, built once."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for part in ("mkdocs.yml", "templates", "content", "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    sources = sorted(p for p in (root / "data" / "sources").glob("*.yml"))
    entries: dict[Path, list[str]] = {p: [] for p in sources}
    for n in range(captures):
        body = (f"capture {n}\n".encode() * (SIZE // 12 + 1))[:SIZE]
        digest = hashlib.sha256(body).hexdigest()
        source = sources[n % len(sources)]
        rel = f"archive/{source.stem}/{digest[:16]}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
        entries[source].append(f"  - file: {rel}\n    sha256: {digest}\n    captured: 2024-12-15T10:00Z\n"
                               f"    url: https://example.org/capture/{n}\n    method: bench\n")
    for source, items in entries.items():
        if items:
            source.write_text(source.read_text() + "archive:\n" + "".join(items))
    build(root)


def build(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1734307200"})
    return time.perf_counter() - start


def rebuild(root: Path) -> float:
    """brief build again after one flight's summary changed: the fastest of REPEATS."""
    flight = root / "data" / "flights" / "hmeimim-libya-cargo.yml"
    text = flight.read_text()
    times = []
    for n in range(REPEATS):
        flight.write_text(text.replace("summary: ", f"summary: ({n}) ", 1))
        times.append(build(root))
    return min(times)


def run(work: Path) -> str:
    without, with_ = work / "captures-none", work / "captures-200"
    brief(without, 0)
    brief(with_, COUNT)
    plain, kept = rebuild(without), rebuild(with_)
    ratio = kept / plain
    lines = [HEADING, "", f"The example rebuilt after one flight edit, starting from its last site, with and without "
             f"{COUNT} kept captures of 1 MB each (unchanged), fastest of {REPEATS}:", "",
             "| | rebuild |", "|---|---|", f"| without captures | {plain:.2f} s |",
             f"| with {COUNT} captures of 1 MB | {kept:.2f} s |", "",
             f"- rebuild with {COUNT} unchanged captures ≤ 1.2× without: {ratio:.2f}×, "
             f"{'met' if ratio <= 1.2 else 'MISSED'}", ""]
    return results.put_section(REPO / "benchmarks" / "RESULTS.md", HEADING, "\n".join(lines))


if __name__ == "__main__":
    print(run(REPO / "benchmarks" / "work"))
