"""The scale benchmark: S (the example), M and L synthetic briefs; writes benchmarks/RESULTS.md."""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import captures  # benchmarks/captures.py, beside this file
import exchange  # benchmarks/exchange.py, beside this file
import history  # benchmarks/history.py, beside this file
import pdf  # benchmarks/pdf.py, beside this file
import sourcing  # benchmarks/sourcing.py, beside this file
import release  # benchmarks/release.py, beside this file
import treepeak  # benchmarks/treepeak.py, beside this file
from results import put_section  # benchmarks/results.py, beside this file

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"
SIZES = {"S": None, "M": (1000, 50, 100), "L": (10000, 300, 1000)}
XL = (100000, 500, 5000)  # the 100,000-flight brief issue 27 measured (seed 7): make bench XL=1 only
SEEDS = {"XL": 7}  # every other synthetic brief is made with seed 1
STAGES = ["floor", "load", "generate", "engine", "full", "rebuild"]  # rebuild starts from the site full left
STAGE_NAMES = {  # brief build's progress messages (numbers as N) and what each stage does
    "reading the fact files": "reading the fact files",
    "validating N fact files": "validating them, sourcing checks, git history",
    "generating pages from N facts": "generating the pages",
    "writing the data exports and the Data page": "the data exports and the Data page",
    "building the site from N pages": "the site engine (MkDocs)",
    "checking the HTML of N pages": "the HTML safety check",
    "indexing the pages for search": "the fragment search index (Pagefind)",
    "putting the new site in place": "putting the site in place",
}
REPEATS = 3  # each stage runs this often; the fastest run counts, as other work on the machine only adds time


def run_stage(stage: str, root: Path) -> dict:
    """Run one stage in a fresh process; its own timing plus the peak memory of that process and every process it
    starts (the site engine's, the HTML check's workers), together (treepeak.py)."""
    done, _, together = treepeak.run([sys.executable, str(REPO / "benchmarks" / "stages.py"), stage, str(root)],
                                     env={**os.environ, "SOURCE_DATE_EPOCH": "1734307200"})
    if done.returncode:
        raise SystemExit(f"stage {stage} failed on {root}:\n{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return {**json.loads(done.stdout), "peak_mb": together}


def best_of(stage: str, root: Path) -> dict:
    """The fastest of REPEATS runs of a stage, with the highest peak memory seen."""
    runs = [run_stage(stage, root) for _ in range(REPEATS)]
    return {**min(runs, key=lambda r: r["seconds"]), "peak_mb": max(r["peak_mb"] for r in runs)}


def prepare(size: str, root: Path) -> None:
    """The brief of this size (S, M, L or XL) made afresh in root: the example copied, or a synthetic one."""
    shutil.rmtree(root, ignore_errors=True)
    if size == "S":
        root.mkdir(parents=True)
        for part in ("mkdocs.yml", "templates", "content", "data"):
            src = REPO / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
        return
    flights, bases, assessments = XL if size == "XL" else SIZES[size]
    subprocess.run([sys.executable, "-m", "generator", "-C", str(REPO), "synth", "--flights", str(flights),
                    "--bases", str(bases), "--assessments", str(assessments), "--seed", str(SEEDS.get(size, 1)),
                    "--out", str(root)],
                   check=True, stdout=subprocess.DEVNULL)


def site_stats(site: Path) -> dict:
    pages = list(site.rglob("*.html"))
    chart = max(pages, key=lambda p: _chart_bytes(p))
    largest = max(pages, key=lambda p: p.stat().st_size)
    plotly = [p for p in site.rglob("*.js") if p.read_bytes()[:40].startswith(b"/**\n* plotly.js")]
    return {"pages": len(pages), "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
            "largest_page": (largest.relative_to(site).as_posix(), largest.stat().st_size / 1024),
            "heaviest_chart": (chart.relative_to(site).as_posix(), _chart_bytes(chart) / 1024),
            "plotly_copies": len(plotly)}


def _chart_bytes(page: Path) -> int:
    text = page.read_text(encoding="utf-8")
    return sum(len(m) for m in re.findall(r'<script type="application/json" id="[^"]+-data">(.*?)</script>', text, re.S))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--xl", action="store_true", help="measure the 100,000-flight brief too (takes minutes)")
    args = parser.parse_args()
    started = time.monotonic()
    results = {}
    for size in SIZES:
        root = WORK / size
        prepare(size, root)
        print(f"{size}: measuring", file=sys.stderr)
        stages = {stage: best_of(stage, root) for stage in STAGES}
        stats = site_stats(root / "site")
        results[size] = (stages, stats, None)
    report = render(results)
    import encrypt  # benchmarks/encrypt.py, beside this file
    import reader  # benchmarks/reader.py, beside this file

    # the reader opens the plain sites first: the encryption section rebuilds M as a restricted edition
    report += "\n" + "\n".join(reader.section({size: (WORK / size, WORK / size / "site") for size in SIZES}))

    report += "\n" + encrypt.section(WORK)
    report += "\n" + release.section(WORK)  # full edition against a tearline release, at M
    path = REPO / "benchmarks" / "RESULTS.md"
    path.write_text(report + kept_sections(path.read_text(encoding="utf-8") if path.is_file() else "", report),
                    encoding="utf-8")
    print(report)
    measured = {"Scale benchmark": report}  # each section's text as this run measured it, for the summary
    measured["Sourcing graph"] = sourcing.write(path)
    measured["Exchange"] = exchange.write(path)
    measured["Reading a revision from git"] = history.write(path)
    import memory  # benchmarks/memory.py: brief build from nothing at M, L (and XL), every process counted

    measured["Memory and build time at scale"] = memory.run(WORK, xl=args.xl)
    measured["Captures of sources"] = captures.run(WORK)  # a rebuild with 200 unchanged captures of 1 MB against none
    measured["PDF"] = pdf.run({size: WORK / size for size in SIZES})  # edition at S and L, full reference at M
    import lighthouse  # benchmarks/lighthouse.py: the phone scores of each page kind at S and L, its own section

    measured["Phones"] = lighthouse.write(path, {size: WORK / size / "site" for size in ("S", "L")})
    import serve  # the live preview benchmark, on the M and L briefs just built: its own section

    measured["Live preview"] = serve.run(["M", "L"])
    import search  # typing to the first search result, served and from disk, S to L (XL with --xl): its own section

    measured["Search at any size"] = search.run(xl=args.xl)
    import rebuild  # benchmarks/rebuild.py: brief build after one edit at M and L (XL with --xl), its own section

    measured["Rebuild after one edit"] = rebuild.run(xl=args.xl)
    for text in measured.values():
        print(text)
    print(put_section(path, SUMMARY, summary(measured, started)))


SUMMARY = "## Every target, from one run"


def kept_sections(old: str, new: str) -> str:
    """The sections of the previous RESULTS.md that this run's first part does not write (written by hand, such as
    a profile, or by a later part of the run, which then replaces its own in place), in their order."""
    sections = [part for part in old.split("\n## ")[1:]]
    kept = [part for part in sections if f"\n## {part.splitlines()[0]}\n" not in new]
    return "".join(f"\n## {part.rstrip(chr(10))}\n" for part in kept)


def summary(measured: dict[str, str], started: float) -> str:
    """Each target's verdict as the sections of this run state them (lines "- what: value, met" or "MISSED"),
    grouped by section, with how many were met."""
    lines = [SUMMARY, "", f"`make bench` on {time.strftime('%Y-%m-%d', time.gmtime())}, "
             f"{(time.monotonic() - started) / 60:.0f} minutes for the whole run; every figure below was measured in "
             "this one run and is copied from its section.", ""]
    met = missed = 0
    for name, text in measured.items():
        verdicts = [(line, found[-1]) for line in text.splitlines()
                    if line.startswith("- ") and (found := re.findall(r"[:,] (met|MISSED)\b", line))]
        if not verdicts:
            continue
        lines += [f"**{name}**", "", *(line for line, _ in verdicts), ""]
        met += sum(verdict == "met" for _, verdict in verdicts)
        missed += sum(verdict == "MISSED" for _, verdict in verdicts)
    lines.insert(4, f"Targets met: {met}; missed: {missed}.\n")
    return "\n".join(lines) + "\n"


def render(results: dict) -> str:
    lines = ["# Scale benchmark", "", f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end of the run "
             "(other work shares the machine, so compare ratios within this run, not seconds across runs).", "",
             f"Each stage runs in its own process, {REPEATS} times; the table shows the fastest run (time excludes "
             "interpreter start) and the highest peak memory of the process and those it starts, together.",
             "`floor` is a plain PyYAML C-loader parse of the same files; `engine` is MkDocs alone on the generated "
             "Markdown; `full` is the whole `brief build` (validate, generate, site build, safety check, swap) with no "
             "earlier site; `rebuild` is `brief build` again after one flight's summary changed, starting from the "
             "site the last build left (only changed pages are rendered).", "",
             "| | S (example) | M (1,000 flights) | L (10,000 flights) |", "|---|---|---|---|"]

    def row(label, value):
        lines.append(f"| {label} | " + " | ".join(value(*results[s]) for s in SIZES) + " |")

    for stage in STAGES:
        row(f"{stage}: time", lambda st, _s, _e, stage=stage: f"{st[stage]['seconds']:.2f} s")
        row(f"{stage}: peak memory", lambda st, _s, _e, stage=stage: f"{st[stage]['peak_mb']:.0f} MB")
    row("pages rendered by the rebuild", lambda st, _s, _e: str(st["rebuild"]["rendered"]))
    row("page generation alone", lambda st, _s, _e: f"{st['generate']['generation']:.2f} s")
    row("load+validate ÷ C-loader floor", lambda st, _s, _e: f"{st['load']['seconds'] / st['floor']['seconds']:.2f}×")
    row("page generation ÷ site engine", lambda st, _s, _e: f"{st['generate']['generation'] / st['engine']['seconds']:.0%}")
    row("pages", lambda _st, s, _e: str(s["pages"]))
    row("site size", lambda _st, s, _e: f"{s['site_mb']:.1f} MB")
    row("largest HTML page", lambda _st, s, _e: f"{s['largest_page'][1]:.0f} KB ({s['largest_page'][0]})")
    row("chart data on the heaviest page", lambda _st, s, _e: f"{s['heaviest_chart'][1]:.0f} KB ({s['heaviest_chart'][0]})")
    row("copies of plotly.js", lambda _st, s, _e: str(s["plotly_copies"]))
    lines += ["", "Where the time of `brief build` goes (the fastest run of each; a stage lasts from one progress message "
              "to the next):", "", "| stage | whole: S | whole: M | whole: L | rebuild: L |", "|---|---|---|---|---|"]
    runs = [results[size][0]["full"] for size in SIZES] + [results["L"][0]["rebuild"]]
    for stage in STAGE_NAMES:
        lines.append(f"| {STAGE_NAMES[stage]} | " + " | ".join(f"{r['stages'].get(stage, 0):.2f} s" for r in runs) + " |")
    lines += [""]
    lines += ["## Targets", "", "Ratios are taken within this run; growth from M to L is for 10× the facts (linear is about 10×).",
              ""] + [f"- {verdict}" for verdict in targets(results)] + [""]
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    """Each target of the scale work, its measured value and whether this run met it."""
    (m, _, _), (big, stats, _) = results["M"], results["L"]
    checks = [(f"load+validate ≤ 3× the C-loader floor at {size}", f"{ratio:.2f}×", ratio <= 3)
              for size in ("M", "L") for ratio in [results[size][0]["load"]["seconds"] / results[size][0]["floor"]["seconds"]]]
    share = big["generate"]["generation"] / big["engine"]["seconds"]
    checks.append(("page generation ≤ 25% of the site engine at L", f"{share:.0%}", share <= 0.25))
    for label, key, field in (("load+validate", "load", "seconds"), ("load+validate+generation", "generate", "seconds"),
                              ("page generation", "generate", "generation")):
        growth = big[key][field] / m[key][field]
        checks.append((f"{label} at L ≤ 12× M", f"{growth:.1f}×", growth <= 12))
    growth = big["full"]["seconds"] / m["full"]["seconds"]
    checks += [("whole brief build at L ≤ 10× M", f"{growth:.1f}×", growth <= 10),
               ("whole brief build at L within 25 s on this machine (an aim)", f"{big['full']['seconds']:.1f} s",
                big["full"]["seconds"] <= 25),
               ("rebuild after one edit at L faster than the whole build", f"{big['rebuild']['seconds']:.1f} s",
                big["rebuild"]["seconds"] < big["full"]["seconds"])]
    largest, chart = stats["largest_page"][1], stats["heaviest_chart"][1]
    checks += [("no HTML page over 1 MB at L", f"largest {largest:.0f} KB", largest <= 1024),
               ("no page with over 300 KB of chart data at L", f"heaviest {chart:.0f} KB", chart <= 300),
               ("exactly one plotly.js at L", f"{stats['plotly_copies']} copies", stats["plotly_copies"] == 1),
               ("peak memory of brief build at L under 1.5 GB", f"{big['full']['peak_mb']:.0f} MB",
                big["full"]["peak_mb"] < 1536)]
    return [f"{label}: {shown}, {'met' if ok else 'MISSED'}" for label, shown, ok in checks]


if __name__ == "__main__":
    main()
