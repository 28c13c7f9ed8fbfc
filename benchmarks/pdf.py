"""PDF benchmark: the distribution edition at S and L (it must not grow with the facts) and the full reference at M.

Called by run.py after the scale benchmark (its briefs are reused); writes its own section of RESULTS.md.
Alone: `python benchmarks/pdf.py` prepares S, M and L itself; `--small` uses 200 and 1,000 flights to check it works.
"""
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADING = "## PDF: the distribution edition and the full reference"
REPEATS = 3
EPOCH = 1734307200


def edition_seconds(root: Path) -> dict:
    """Load time, then the fastest of REPEATS renders and prints of the edition from the loaded facts."""
    from generator.facts import dataset
    from generator.outputs import edition

    started = time.perf_counter()
    data = dataset.load(root / "data")
    loaded = time.perf_counter() - started
    out = root / "edition-bench.pdf"
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        edition.print_edition(data, edition.Context(marking=data.brief.tlp), out, EPOCH)
        runs.append(time.perf_counter() - started)
    return {"load": loaded, "print": min(runs), "pages": _pages(out), "kb": out.stat().st_size / 1024,
            "flights": len(data.flights)}


def full_reference(root: Path) -> dict:
    """One `brief pdf --full` (site build, full reference and edition), with the full reference's pages and size."""
    from generator import build
    from generator.outputs import pdf
    from generator.project import Project

    started = time.perf_counter()
    build.build(Project(root), pdf=True, full=True)
    seconds = time.perf_counter() - started
    made = root / "site" / pdf.FULL_NAME
    return {"seconds": seconds, "pages": _pages(made), "mb": made.stat().st_size / 2**20}


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def section(small: dict, large: dict, full: dict, names: tuple[str, str, str]) -> str:
    ratio = large["print"] / small["print"]
    whole = (large["print"] + large["load"]) / (small["print"] + small["load"])
    lines = [HEADING, "",
             "The distribution edition (`brief pdf`, site/brief.pdf) is rendered from the loaded facts and printed by "
             f"Chromium; time is the fastest of {REPEATS} (Chromium start included), loading the facts shown apart.", "",
             f"| | {names[0]} | {names[1]} |", "|---|---|---|",
             f"| flight records | {small['flights']} | {large['flights']} |",
             f"| edition: render and print | {small['print']:.2f} s | {large['print']:.2f} s |",
             f"| loading the facts (once, shared with the site build) | {small['load']:.2f} s | {large['load']:.2f} s |",
             f"| edition: pages | {small['pages']} | {large['pages']} |",
             f"| edition: size | {small['kb']:.0f} KB | {large['kb']:.0f} KB |", "",
             f"- edition time at {names[1]} ÷ {names[0]} ≤ 3: {ratio:.2f}×, {'met' if ratio <= 3 else 'MISSED'} "
             f"(with loading the facts: {whole:.2f}×)",
             f"- edition at most 6 pages: {max(small['pages'], large['pages'])}, "
             f"{'met' if max(small['pages'], large['pages']) <= 6 else 'MISSED'}",
             f"- full reference at {names[2]} (`brief pdf --full`, site build included): {full['seconds']:.1f} s, "
             f"{full['pages']} pages, {full['mb']:.1f} MB", "",
             "Seconds depend on what else the shared machine runs; the ratio is taken within one run.", ""]
    return "\n".join(lines)


def run(roots: dict[str, Path], names: tuple[str, str, str] = ("S", "L", "M")) -> str:
    """Measure on prepared briefs (keys S, M and L) and write the section."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(EPOCH))
    from results import put_section  # benchmarks/results.py, beside this file

    text = section(edition_seconds(roots["S"]), edition_seconds(roots["L"]), full_reference(roots["M"]), names)
    return put_section(REPO / "benchmarks" / "RESULTS.md", HEADING, text)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "benchmarks"))
    import run as scale

    sizes = {"S": None, "M": (200, 20, 20), "L": (1000, 50, 100)} if "--small" in sys.argv else scale.SIZES
    work = REPO / "benchmarks" / "work"
    roots = {}
    for size, shape in sizes.items():
        scale.SIZES[size] = shape
        roots[size] = work / f"pdf-{size}"
        scale.prepare(size, roots[size])
    print(run(roots))
