"""Release benchmark: the full edition against a TLP:CLEAR release of the same synthetic brief (size M).

Run by benchmarks/run.py (make bench), or alone: python benchmarks/release.py [--flights N], which rewrites
only its own section of benchmarks/RESULTS.md.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADING = "## Release builds"
REPEATS = 4
MARKED = {"flights": ("TLP:AMBER", 3), "assessments": ("TLP:RED", 4), "events": ("TLP:AMBER", 2)}  # every n-th fact


def prepare(root: Path, flights: int) -> dict[str, int]:
    """A synthetic TLP:CLEAR brief with every n-th flight, assessment and event marked above TLP:CLEAR; counts marked."""
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "generator", "-C", str(REPO), "synth", "--flights", str(flights),
                    "--bases", str(max(5, flights // 20)), "--assessments", str(max(10, flights // 10)), "--seed", "1",
                    "--out", str(root)], check=True, stdout=subprocess.DEVNULL)
    brief = root / "data" / "brief.yml"
    brief.write_text(re.sub(r"(?m)^tlp: .*$", "tlp: TLP:CLEAR", brief.read_text(encoding="utf-8")), encoding="utf-8")
    marked = {}
    for kind, (label, every) in MARKED.items():
        files = sorted((root / "data" / kind).rglob("*.yml"))[::every]
        for path in files:
            path.write_text(path.read_text(encoding="utf-8") + f"tlp: {label}\n", encoding="utf-8")
        marked[kind] = len(files)
    return marked


def timed_builds(root: Path, variants: list[list[str]]) -> list[float]:
    """The fastest of REPEATS runs of brief build with each variant's options, each in a fresh process.

    The variants take turns, so load from other work on the machine falls on all of them alike, and each
    starts from scratch (no generated pages or site left by the one before).
    """
    runs: list[list[float]] = [[] for _ in variants]
    for _ in range(REPEATS):
        for options, times in zip(variants, runs):
            for left in (root / ".brief", root / "site"):
                shutil.rmtree(left, ignore_errors=True)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", *options], check=True,
                           stdout=subprocess.DEVNULL, env={**os.environ, "SOURCE_DATE_EPOCH": "1734307200"})
            times.append(time.perf_counter() - started)
    return [min(times) for times in runs]


def release_alone(root: Path) -> float:
    """Seconds markings.release takes on the loaded facts (the only work a release adds)."""
    sys.path.insert(0, str(REPO))
    from generator.facts import dataset, markings

    data = dataset.load(root / "data")
    started = time.perf_counter()
    markings.release(data, "TLP:CLEAR")
    return time.perf_counter() - started


def section(work: Path, flights: int = 1000) -> str:
    """Measure, and the Markdown section for RESULTS.md."""
    root = work / "release"
    marked = prepare(root, flights)
    # TLP:RED keeps the same facts as the full edition: what the tearline itself costs
    full, clear, everything = timed_builds(root, [[], ["--release", "TLP:CLEAR"], ["--release", "TLP:RED"]])
    cut = release_alone(root)
    ratio, overhead = clear / full, everything / full
    shown = ", ".join(f"{n} {kind}" for kind, n in marked.items())
    return "\n".join([
        HEADING, "",
        f"A synthetic brief of {flights:,} flights with {shown} marked above TLP:CLEAR; `brief build` in a fresh "
        f"process, fastest of {REPEATS} runs taken in turns (interpreter start included).", "",
        "| | time |", "|---|---|",
        f"| full edition (`brief build`) | {full:.2f} s |",
        f"| TLP:CLEAR release (`brief build --release TLP:CLEAR`) | {clear:.2f} s |",
        f"| TLP:RED release, which keeps every fact (`--release TLP:RED`) | {everything:.2f} s |",
        f"| the release step alone (`markings.release`) | {cut * 1000:.0f} ms |", "",
        f"- a release build costs no more than a full build: the TLP:CLEAR release takes {ratio:.2f}× and a release "
        f"keeping every fact {overhead:.2f}× the full build, {'met' if max(ratio, overhead) <= 1.05 else 'MISSED'} "
        "(within 5 % for noise)", ""])


def replace_section(results: Path, text: str) -> None:
    """Put this section into RESULTS.md in place of its previous version (or at the end)."""
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    pattern = re.compile(re.escape(HEADING) + r"\n.*?(?=\n## |\Z)", re.S)
    new = pattern.sub(lambda _: text.rstrip("\n") + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    results.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--flights", type=int, default=1000)
    found = section(REPO / "benchmarks" / "work", options.parse_args().flights)
    replace_section(REPO / "benchmarks" / "RESULTS.md", found)
    print(found)
