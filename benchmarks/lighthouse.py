"""The phone benchmark: Lighthouse 12 (npm, pinned in package.json) on its mobile preset, per page kind.

Each built site is served on localhost and every page kind is audited by Lighthouse in the system Chromium
(CHROME_PATH; Lighthouse never downloads a browser), on its default mobile preset (a Moto G Power screen,
simulated slow 4G and 4× CPU slowdown). The site is served as a static host serves it: text (HTML, CSS, JavaScript,
JSON, SVG) gzip-compressed when the browser accepts it, as GitHub Pages, Netlify or nginx's gzip_static do; an
uncompressed server measures the server, not the site (Material's stylesheet and script alone are 250 KB before the
first paint, 50 KB compressed). Lighthouse's scores move with the machine's load, so each page runs RUNS times and the
median score counts. Run alone with `python benchmarks/lighthouse.py [SITE ...]`
(default: the S and L sites `make bench` built), or as a section of `make bench`.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from results import put_section  # benchmarks/results.py, beside this file

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
RUNS = 2
AUDITS = {"total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "largest-contentful-paint": "LCP"}
HEADING = "## Phones: Lighthouse mobile scores"


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind: the overview, the busiest base, the fullest flight-log page and the other lists."""
    def biggest(pages):
        return max(pages, key=lambda p: (p.stat().st_size, p.name)).relative_to(site).as_posix()

    bases = [p for p in (site / "bases").glob("*.html") if p.name != "index.html"]
    months = [p for p in (site / "flights").glob("*.html") if p.name not in ("index.html",) and "routes" not in p.name]
    kinds = {"overview": "index.html", "narrative": "narrative.html", "bases": "bases/index.html",
             "base": biggest(bases) if bases else None, "flights": "flights/index.html",
             "flight month": biggest(months) if months else None, "routes": "flights/routes.html",
             "assessments": "assessments.html", "timeline": "timeline.html", "sources": "sources.html",
             "sourcing": "sourcing.html", "what changed": "changes.html", "data": "data.html",
             "methodology": "methodology.html"}
    return {kind: rel for kind, rel in kinds.items() if rel and (site / rel).is_file()}


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".geojson", ".csv"}


class _Compressing(http.server.SimpleHTTPRequestHandler):
    """A static host: each text file gzip-compressed (once, kept) when the request accepts gzip."""

    packed: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        key = (str(path), path.stat().st_mtime_ns)
        if key not in self.packed:
            self.packed[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.packed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving(site: Path):
    """The built site on a free localhost port, compressed as a static host serves it; yields its root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Compressing, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium() -> str:
    sys.path.insert(0, str(REPO))
    from generator.outputs.browser import find_chromium

    return find_chromium()


def audit(url: str) -> dict:
    """One Lighthouse run: each category's score (0-100) and the metrics in AUDITS."""
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    run = subprocess.run(
        ["node", str(CLI), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}", "--max-wait-for-load=90000"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium()}, timeout=600)
    if run.returncode:
        raise SystemExit(f"lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    report = json.loads(run.stdout)
    found = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    found.update({short: report["audits"][name]["numericValue"] for name, short in AUDITS.items()})
    unused = report["audits"].get("unused-javascript", {}).get("details", {}).get("overallSavingsBytes", 0)
    found["unused JS"] = unused / 1024
    found["failed"] = sorted(name for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
                             if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
                             for name in [ref["id"]])
    return found


def measure(sites: dict[str, Path], runs: int = RUNS) -> dict:
    """size → kind → the median of each number over runs (failed audits: those of any run)."""
    found = {}
    for size, site in sites.items():
        found[size] = {}
        with serving(site) as root:
            for kind, rel in page_kinds(site).items():
                print(f"{size}: lighthouse {kind} ({rel})", file=sys.stderr)
                got = [audit(root + rel) for _ in range(runs)]
                found[size][kind] = {key: statistics.median(g[key] for g in got) for key in got[0] if key != "failed"}
                found[size][kind]["failed"] = sorted({name for g in got for name in g["failed"]})
                found[size][kind]["page"] = rel
    return found


# Performance of each page kind before this round's phone work (the same compressing server, benchmark and machine;
# the median of 2 runs the round before): what the "before" column compares with.
BEFORE = {
    "S": {"overview": 98, "narrative": 98, "bases": 96, "base": 96, "flights": 98, "flight month": 98, "routes": 98, "assessments": 98, "timeline": 99, "sources": 98, "sourcing": 96, "what changed": 99, "data": 98, "methodology": 98},
    "L": {"overview": 94, "narrative": 98, "bases": 96, "base": 96, "flights": 98, "flight month": 88, "routes": 94, "assessments": 94, "timeline": 96, "sources": 94, "sourcing": 95, "what changed": 98, "data": 98, "methodology": 96},
}
# What changed and what still holds pages below 90, as measured by hand when BEFORE was taken.
NOTES = (Path(__file__).resolve().parent / "lighthouse_notes.md").read_text(encoding="utf-8").strip()


def score(value: float) -> str:
    """A score as the verdict reads it: a median of two runs may fall between two whole numbers (89.5 is not 90)."""
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def render(found: dict, runs: int = RUNS) -> str:
    lines = [HEADING, "",
             f"Lighthouse 12 on its mobile preset in the system Chromium, against each site served on localhost "
             f"gzip-compressed as a static host serves it; the median of {runs} runs per page (scores move with the "
             f"load of this shared machine: load average {os.getloadavg()[0]:.1f} at the end). TBT is Total Blocking "
             "Time, CLS Cumulative Layout Shift, LCP Largest Contentful Paint (all as Lighthouse simulates them on its "
             "throttled phone), unused JS what Lighthouse counts as JavaScript loaded but not run; \"before\" is the "
             "performance score before this round's phone work.", ""]
    verdicts = []
    for size, kinds in found.items():
        lines += [f"### {size}", "", "| page | performance | before | accessibility | best practices | SEO | TBT | CLS | "
                  "LCP | unused JS | audits below full marks |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for kind, got in kinds.items():
            before = BEFORE.get(size, {}).get(kind)
            lines.append(f"| {kind} (`{got['page']}`) | {score(got['performance'])} | "
                         f"{'' if before is None else before} | " + " | ".join(score(got[c]) for c in CATEGORIES[1:])
                         + f" | {got['TBT']:.0f} ms | {got['CLS']:.3f} | {got['LCP'] / 1000:.1f} s | "
                         f"{got['unused JS']:.0f} KiB | {', '.join(got['failed']) or 'none'} |")
            low = [c for c, target in TARGETS.items() if got[c] < target]
            verdicts.append((f"{kind} at {size}: performance ≥ {TARGETS['performance']}, the others 100",
                             "/".join(score(got[c]) for c in CATEGORIES), not low))
        lines.append("")
    if NOTES:
        lines += [NOTES, ""]
    lines += ["Phone targets (performance/accessibility/best practices/SEO):", ""]
    lines += [f"- {label}: {shown}, {'met' if ok else 'MISSED'}" for label, shown, ok in verdicts]
    return "\n".join(lines) + "\n"


def section(sites: dict[str, Path]) -> str:
    return render(measure(sites))


def write(results: Path, sites: dict[str, Path]) -> str:
    return put_section(results, HEADING, section(sites))


if __name__ == "__main__":
    work = Path(__file__).resolve().parent / "work"
    given = [Path(p) for p in sys.argv[1:]]
    sites = ({p.parent.name or str(p): p for p in given} if given else
             {size: work / size / "site" for size in ("S", "L") if (work / size / "site").is_dir()})
    print(render(measure(sites)))
