"""Rebuild benchmark: `brief build` after one flight is edited, starting from the site the last build left.

For each size (M and L; XL with --xl) the brief is built whole once (which also leaves the parse cache and the
record a rebuild starts from), then one flight's summary is edited, in length too, and `brief build` runs again in a
fresh process, REPEATS times. Reported: the seconds until the new site is in place (what a reader sees), and until
the command ends, each the fastest of the runs, with its processor time (user and system, the processes it started
included) and the load average of the machine, which is shared. Run alone: python benchmarks/rebuild.py [--xl]; writes the "Rebuild
after one edit" section of benchmarks/RESULTS.md.
"""
import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
TITLE = "## Rebuild after one edit"
TARGET = 3.0  # seconds from `brief build` starting to the new pages in place, at L
REPEATS = 3
STAGES = ["reading the fact files", "validating N fact files", "generating pages from N facts",
          "writing the data exports and the Data page", "building the site from N pages", "checking the HTML of N pages",
          "indexing the pages for search", "putting the new site in place"]


def measure(size: str, root: Path) -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import run as scale  # benchmarks/run.py: how the briefs are made and a stage is run in its own process

    if not (root / "data").is_dir():
        scale.prepare(size, root)
    scale.run_stage("full", root)
    runs = []
    for _ in range(REPEATS):
        load, before = os.getloadavg()[0], _cpu()
        runs.append({**scale.run_stage("resized_rebuild", root), "load": load, "cpu": _cpu() - before})
    best = min(runs, key=lambda r: r["shown"])
    return {"size": size, "runs": runs, "best": best, "quietest": min(runs, key=lambda r: r["load"])}


def _cpu() -> float:
    """Processor seconds (user and system) of the finished processes this one started, and theirs: what a run cost,
    which other work on the shared machine changes less than the time on the clock."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def section(results: list[dict]) -> str:
    lines = [TITLE, "",
             f"`brief build` after one flight's summary changed (in length, so the Data page changes too), starting from "
             f"the site the last build left; each run in a fresh process, the fastest of {REPEATS}. `pages in place` is "
             "the time from the start of the command until the new site is swapped in, `command` until it ends. The "
             "machine is "
             f"shared: the load average is given for each size (at the start of the fastest run) and was "
             f"{os.getloadavg()[0]:.1f} at the end.", "",
             "| | pages in place | command | processor time | pages rendered | load average | quietest run: pages in "
             "place (load) |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        best, quiet = r["best"], r["quietest"]
        lines.append(f"| {r['size']} | {best['shown']:.2f} s | {best['seconds']:.2f} s | {best['cpu']:.2f} s | "
                     f"{best['rendered']} | {best['load']:.1f} | {quiet['shown']:.2f} s ({quiet['load']:.1f}) |")
    lines += ["", "Where the time of the fastest run goes:", "",
              "| stage | " + " | ".join(r["size"] for r in results) + " |", "|---" * (len(results) + 1) + "|"]
    for stage in STAGES:
        lines.append(f"| {stage.replace('N ', '')} | " + " | ".join(
            f"{r['best']['stages'].get(stage, 0):.2f} s" for r in results) + " |")
    lines += ["", "Targets:", ""]
    for r in results:
        if r["size"] == "L":
            verdict = "met" if r["best"]["shown"] <= TARGET else "MISSED"
            lines.append(f"- rebuild after one edit at L, pages in place within {TARGET:.0f} s: "
                         f"{r['best']['shown']:.2f} s, {verdict}")
    return "\n".join(lines) + "\n"


def run(xl: bool = False) -> str:
    sizes = ["M", "L", *(["XL"] if xl else [])]
    text = section([measure(size, WORK / size) for size in sizes])
    sys.path.insert(0, str(REPO / "benchmarks"))
    from results import put_section  # benchmarks/results.py

    put_section(RESULTS, TITLE, text)
    return text


if __name__ == "__main__":
    print(run("--xl" in sys.argv))
