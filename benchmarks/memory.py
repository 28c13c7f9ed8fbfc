"""Memory and build time at scale: `brief build` from nothing at M, L (and XL with --xl) under /usr/bin/time -v, its
peak resident memory and wall time against the targets, and what the largest site is made of, part by part.

    python benchmarks/memory.py [--xl] [--write]

From nothing: no site, no work folder (.brief: generated pages, caches, the last build's record) before the build.
"""
import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results  # noqa: E402  benchmarks/results.py
import run as scale  # noqa: E402  benchmarks/run.py: how each size's brief is made
import treepeak  # noqa: E402  benchmarks/treepeak.py

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"
HEADING = "## Memory and build time at scale"
SIZES = {"M": 1_000, "L": 10_000, "XL": 100_000}  # flights; the briefs as benchmarks/run.py makes them
PEAK_MB = 1536  # peak resident memory of brief build, at every size
L_SECONDS = 25  # the whole build at L from nothing on this machine (an aim)
XL_OVER_L = 10  # the whole build at XL at most this many times the one at L, in the same run
def prepare(size: str, root: Path) -> None:
    """The synthetic brief of this size in root, made again only when missing."""
    if (root / "data").is_dir():
        return
    scale.prepare(size, root)


def measure(root: Path) -> dict:
    """One `brief build` from nothing under GNU time, its whole process tree sampled meanwhile: wall seconds, the peak
    of the tree's memory together (PSS, treepeak.py), the largest single process (GNU time's maximum resident set
    size, which is all it reports), the processor time and the load average."""
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".brief", ignore_errors=True)
    done, seconds, together = treepeak.run(["/usr/bin/time", "-v", sys.executable, "-m", "generator", "-C", str(root),
                                            "build"], cwd=REPO, env={**os.environ, "SOURCE_DATE_EPOCH": "1734307200"})
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode:
        raise SystemExit(f"brief build failed in {root}:\n{stderr[-2000:]}")
    largest = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", stderr).group(1)) for kind in ("User", "System"))
    return {"seconds": seconds, "cpu": cpu, "peak_mb": together, "largest_mb": largest / 1024,
            "load": os.getloadavg()[0]}


# What each part of a built site is for, and whether a reader's browser ever loads it.
PARTS = [
    ("data/brief.json", "all facts as JSON, for other tools", "downloaded on purpose"),
    ("data/brief.stix.json", "STIX 2.1 bundle, for OpenCTI and MISP", "downloaded on purpose"),
    ("data/brief.geojson", "map data, for GIS tools", "downloaded on purpose"),
    ("data/*.csv", "one CSV per kind of fact, for spreadsheets", "downloaded on purpose"),
    ("flights/", "the flight log: a page per month or part of a month", "read"),
    ("bases/", "a page per base", "read"),
    ("timeline*.html", "the timeline and its month pages", "read"),
    ("other pages", "overview, assessments, sources, sourcing, indicators, what changed, data, 404", "read"),
    ("search/", "the theme's whole search index as a script, for pages opened from disk", "the search box, from disk"),
    ("pagefind/", "the fragment search index (Pagefind) of the served site", "a query loads the few fragments it needs"),
    ("assets/", "the theme's and the brief's scripts, styles, fonts, plotly.js and the base map", "loaded by pages"),
    ("sitemap.xml*", "the site map for search engines, plain and gzipped", "read by crawlers only"),
]


def parts(site: Path) -> list[tuple[str, int, int]]:
    """(part, bytes, files) for each part of PARTS, every file counted once, in that order."""
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    found = []
    for name, _, _ in PARTS:
        if name == "other pages":
            mine = [rel for rel in sizes if rel.endswith(".html") and "/" not in rel]
        elif name.endswith("/"):
            mine = [rel for rel in sizes if rel.startswith(name)]
        else:
            pattern = re.compile(re.escape(name).replace(r"\*", "[^/]*") + "$")
            mine = [rel for rel in sizes if pattern.match(rel)]
        found.append((name, sum(sizes.pop(rel) for rel in mine), len(mine)))
    if sizes:
        found.append(("the rest", sum(sizes.values()), len(sizes)))
    return found


def section(measured: dict, site: Path, size: str) -> str:
    lines = [HEADING, "",
             "`brief build` from nothing (no site, no `.brief` work folder) under `/usr/bin/time -v`: wall time; peak "
             "memory of the build and every process it starts together (from 5,000 fact files the facts are loaded and the "
             "pages written in a process of their own, which ends before the site engine's starts; the site engine "
             "runs in a process of its own from 200 pages, the HTML check in two workers), sampled ten times a second as the sum of their "
             "proportional set sizes, which is what the machine must hold at once; the largest single process "
             "(GNU time's \"Maximum resident set size\", which alone would understate it); and the processor time of "
             "the build and its processes (user and system), which other work on the machine changes less. The load "
             "average is the machine's when the build ended (two cores shared with other work). Made by "
             "`benchmarks/memory.py` (`make bench`; XL with `make bench XL=1`).", "",
             "| size | flights | build time | processor time | peak memory, all processes | largest process | load average |",
             "|---|---|---|---|---|---|---|"]
    for name, found in measured.items():
        lines.append(f"| {name} | {SIZES[name]:,} | {found['seconds']:.1f} s | {found['cpu']:.1f} s | "
                     f"{found['peak_mb']:.0f} MB | {found['largest_mb']:.0f} MB | {found['load']:.1f} |")
    lines += ["", "Targets:", ""]
    for name, found in measured.items():
        ok = found["peak_mb"] < PEAK_MB
        lines.append(f"- peak memory at {name} under 1.5 GB, all processes together: {found['peak_mb']:.0f} MB, "
                     f"{'met' if ok else 'MISSED'}")
    if "L" in measured:
        took, cpu, load = measured["L"]["seconds"], measured["L"]["cpu"], measured["L"]["load"]
        lines.append(f"- whole build at L from nothing within {L_SECONDS} s on this machine (an aim): {took:.1f} s, "
                     f"{'met' if took <= L_SECONDS else 'MISSED'} ({cpu:.1f} s of processor time, spread over the two "
                     f"cores; load average {load:.1f}, which lengthens the wall time)")
    if "XL" in measured and "L" in measured:
        ratio = measured["XL"]["seconds"] / measured["L"]["seconds"]
        cpu = measured["XL"]["cpu"] / measured["L"]["cpu"]
        lines.append(f"- whole build at XL within {XL_OVER_L}× the one at L, in this run: {ratio:.1f}×, "
                     f"{'met' if ratio <= XL_OVER_L else 'MISSED'} (processor time {cpu:.1f}×)")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    lines += ["", f"The {size} site part by part ({total / 2**20:.0f} MB in all):", "",
              "| part | what it is for | who loads it | size | files |", "|---|---|---|---|---|"]
    what = {name: (use, reader) for name, use, reader in PARTS}
    for name, bytes_, files in parts(site):
        use, reader = what.get(name, ("", ""))
        lines.append(f"| `{name}` | {use} | {reader} | {bytes_ / 2**20:.1f} MB | {files:,} |")
    return "\n".join(lines) + "\n"


def run(work: Path = WORK, xl: bool = False, write: bool = True) -> str:
    measured = {}
    for size in [*SIZES][:3 if xl else 2]:
        root = work / f"mem-{size}"
        prepare(size, root)
        print(f"{size}: brief build from nothing", file=sys.stderr)
        measured[size] = measure(root)
    largest = [*measured][-1]
    text = section(measured, work / f"mem-{largest}" / "site", largest)
    return results.put_section(REPO / "benchmarks" / "RESULTS.md", HEADING, text) if write else text


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--xl", action="store_true", help="the 100,000-flight brief too (minutes)")
    parser.add_argument("--write", action="store_true", help="put the section into RESULTS.md")
    args = parser.parse_args()
    print(run(xl=args.xl, write=args.write))
