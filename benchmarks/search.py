"""Search at any size: the time from typing into the search box to its first result, served over HTTP (the fragment
index) and from disk (the theme's search, file://), at S, M and L (and XL with --xl); and on the throttled phone at L,
from navigation. Writes the "Search at any size" section of benchmarks/RESULTS.md.

Phone: also served as a static host serves it (text gzip-compressed), beside reader.py's uncompressed files.
Desktop: the overview is loaded and its charts drawn first (a cold browser cache each run); then the reader focuses
the box and types the base's name, and the clock runs from that moment to the first result on screen, so it includes
loading Pagefind's script, its WebAssembly, the index chunk and the fragments shown (or, from disk, the theme's whole
index and its worker). Phone (reader.py's profile: 4× CPU slowdown, 1.6 Mbit/s, 150 ms latency): from navigation to
the overview until the first result, typing as soon as the box exists. Run alone:
`python benchmarks/search.py [--xl]` (it builds the briefs under benchmarks/work/ it does not find).
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import math
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import reader  # benchmarks/reader.py, beside this file
import run as scale  # benchmarks/run.py: how each size's brief is made
from results import put_section

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
TITLE = "## Search at any size"
RUNS = 5  # cold runs per size and way; the median counts
DESKTOP_RATIO = 1.5  # first result at L and XL within this multiple of the example's (desktop, served)
PHONE_SECONDS = 4.0  # first result within this of navigation on the throttled phone at L (served)
# The theme's search as measured before the fragment index (desktop, typing on a loaded overview, served): the
# numbers of the issue that asked for it, for comparison.
BEFORE = {"S": 0.09, "L": 0.87, "XL": 2.48}
# What was found and changed about the phone's first result, measured by hand (the network log, in turn).
NOTES = (Path(__file__).resolve().parent / "search_notes.md").read_text(encoding="utf-8").strip()


def site_of(size: str) -> Path:
    """The built site of a size, building the brief when it is missing or was built before the fragment index."""
    root = WORK / size
    if not (root / "site" / "pagefind" / "pagefind-entry.json").is_file():
        scale.prepare(size, root)
        subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build"], check=True,
                       stdout=subprocess.DEVNULL)
    return root / "site"


def typed(browser, url: str, word: str) -> dict:
    """One cold desktop run: load the overview, then the seconds from focusing the box and typing to the first result,
    and the bytes the search loaded (every response after typing began)."""
    profile = reader.PROFILES["desktop"]
    context = browser.new_context(viewport=profile["viewport"])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    try:
        page.goto(url + "index.html", timeout=120000)
        page.wait_for_function(reader.SETTLED, timeout=120000, polling=100)
        page.wait_for_timeout(300)
        before = len(received)
        start = page.evaluate("performance.now()") / 1000
        seconds = page.evaluate(reader.SEARCH, word) - start
        page.wait_for_timeout(300)
        return {"seconds": seconds, "bytes": sum(received[before:])}
    finally:
        context.close()


def desktop(browser, site: Path, word: str, way: str) -> dict:
    """Median seconds and bytes of RUNS cold runs, served or from disk."""
    from generator.outputs.browser import serving

    if way == "from disk":
        runs = [typed(browser, site.as_uri() + "/", word) for _ in range(RUNS)]
    else:
        with serving(site) as url:
            runs = [typed(browser, url, word) for _ in range(RUNS)]
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "bytes": statistics.median(r["bytes"] for r in runs)}


def phone(browser, site: Path, word: str, compressed: bool = False) -> dict:
    from generator.outputs.browser import serving

    with (gzip_serving(site) if compressed else serving(site)) as url:
        return reader.search_times(browser, url, reader.PROFILES["phone"], word)


TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")  # what static hosts (GitHub Pages, Netlify) send gzipped


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Files as a static host serves them: text gzip-compressed when the browser accepts it (Pagefind's index files
    and WebAssembly are gzip already and go as they are)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early (a context closed mid-load) is not the site's error


class gzip_serving:
    """A site served on a free localhost port as a static host serves it (see _Gzip); yields its root URL."""

    def __init__(self, folder: Path):
        import threading

        self.server = _QuietServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def measure(sizes: list[str]) -> dict:
    sys.path.insert(0, str(REPO))
    from generator.outputs import browser as system

    found = {}
    with system.chromium() as browser:
        for size in sizes:
            site = site_of(size)
            word = reader.search_word(site.parent)
            print(f"search: {size}, {word!r}", file=sys.stderr)
            found[size] = {way: desktop(browser, site, word, way) for way in ("served", "from disk")}
            found[size]["word"] = word
            found[size]["fragments"] = folder_kb(site / "pagefind")
            found[size]["theme"] = (site / "search" / "search_index.js").stat().st_size / 1024
            found[size]["indexing"] = indexing(site)
            found[size]["phone"] = phone(browser, site, word)
            found[size]["phone gzip"] = phone(browser, site, word, compressed=True)
    return found


def indexing(site: Path) -> dict:
    """Pagefind run again over a copy of the built site (its files linked, not copied): the seconds it takes, and
    whether it gives the site's fragment index byte for byte (the index is deterministic)."""
    import os
    import tempfile

    from generator.site import fragments

    with tempfile.TemporaryDirectory(dir=WORK) as folder:
        copy = Path(folder) / "site"
        shutil.copytree(site, copy, copy_function=os.link, ignore=shutil.ignore_patterns(fragments.FOLDER))
        (copy / fragments.SWITCH).unlink()  # written by the indexing: a file of its own, not a link to the site's
        shutil.copyfile(site / fragments.SWITCH, copy / fragments.SWITCH)
        theme = json.loads((site.parent / ".brief" / fragments.KEPT_INDEX).read_text(encoding="utf-8"))
        started = time.monotonic()
        fragments.write(copy, fragments.indexed_pages(theme))
        seconds = time.monotonic() - started
        same = _files(copy / fragments.FOLDER) == _files(site / fragments.FOLDER)
    return {"seconds": seconds, "same": same}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folder_kb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024


def render(found: dict) -> str:
    sizes = list(found)
    lines = [TITLE, "",
             "Served over HTTP, the published site's search box answers from a fragment index (Pagefind): a query loads "
             "Pagefind's script and WebAssembly, the index chunk holding its words and one fragment per page shown, "
             "never the whole index. From disk (`file://`) the theme's own search answers from its whole index, as "
             "before. Desktop: seconds from focusing the search box on a loaded overview and typing a base's name to "
             f"the first result, median of {RUNS} cold runs, with the bytes the search loaded. Phone: from navigation "
             "to the overview until the first result (reader.py's throttled profile, typing as soon as the box "
             "exists).", "",
             "| | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]

    def row(label, value):
        lines.append(f"| {label} | " + " | ".join(value(found[s], s) for s in sizes) + " |")

    row("word typed", lambda f, s: f"`{f['word']}`")
    row("served (fragments): first result", lambda f, s: f"{f['served']['seconds']:.2f} s")
    row("served: bytes loaded by the search", lambda f, s: f"{f['served']['bytes'] / 1024:,.0f} KB")
    row("from disk (theme): first result", lambda f, s: f"{f['from disk']['seconds']:.2f} s")
    row("fragment index on disk (all files)", lambda f, s: f"{f['fragments']:,.0f} KB")
    row("theme index (`search_index.js`, for file://)", lambda f, s: f"{f['theme']:,.0f} KB")
    row("indexing the whole site (Pagefind, in the build)", lambda f, s: f"{f['indexing']['seconds']:.1f} s")
    row("indexed again: the same bytes", lambda f, s: "yes" if f["indexing"]["same"] else "NO")
    row("before: the theme's search served (issue 27)", lambda f, s: f"{BEFORE[s]:.2f} s" if s in BEFORE else "–")
    row("phone, served as files: first result from navigation", lambda f, s: f"{f['phone']['median']:.2f} s")
    row("phone, served gzip-compressed (as static hosts do)", lambda f, s: f"{f['phone gzip']['median']:.2f} s")
    lines += ["", "Shipped once: the theme writes its index twice, `search/search_index.json` (fetched over HTTP) and "
              "`search/search_index.js` (the same text behind `var __index = `, loaded by a script tag from `file://`). "
              "Served, the published site now answers from the fragment index, so the `.json` is left out of it (kept "
              "in the work folder, `.brief/search-index.json`, for the next build that starts from this one) and only "
              "the `.js` ships, for `file://`: one copy of the theme index's size above less per site. The fragment "
              "index adds Pagefind's script and WebAssembly (about 160 KB, the same at every size) and its fragments; "
              "a reader loads only the few a query needs (the bytes row). The sealed edition keeps the theme's search "
              "only, sealed, and ships no fragment index.", "",
              "On the phone the time hardly changes from S to XL: it is the page's own loading (HTML, styles, the "
              "theme's script and its web fonts, which share the 1.6 Mbit/s line with Pagefind) and Pagefind's fixed "
              "code and WebAssembly, not the index. A build that starts from the last one keeps the last fragment "
              "index when the theme's index is unchanged (an edit search does not see); otherwise the whole site is "
              "indexed again (the indexing row).", "", NOTES, "", "Targets:", ""]
    base = found["S"]["served"]["seconds"] if "S" in found else math.nan
    for size in ("L", "XL"):
        if size in found:
            ratio = found[size]["served"]["seconds"] / base
            lines.append(f"- desktop, served, {size}: {found[size]['served']['seconds']:.2f} s = {ratio:.2f}× the "
                         f"example's {base:.2f} s (target ≤ {DESKTOP_RATIO}×): {'met' if ratio <= DESKTOP_RATIO else 'MISSED'}")
    if "L" in found:
        for key, how in (("phone", "served as files, uncompressed"), ("phone gzip", "served gzip-compressed")):
            took = found["L"][key]["median"]
            lines.append(f"- phone, {how}, L: {took:.2f} s from navigation (target ≤ {PHONE_SECONDS:.0f} s): "
                         f"{'met' if took <= PHONE_SECONDS else 'MISSED'}")
    if "XL" not in found:
        lines.append("- XL: not run (`make bench XL=1` or `python benchmarks/search.py --xl`)")
    return "\n".join(lines) + "\n"


def run(xl: bool = False) -> str:
    started = time.monotonic()
    section = render(measure(["S", "M", "L", *(["XL"] if xl else [])]))
    section += f"\n({time.monotonic() - started:.0f} s to measure.)\n"
    return put_section(RESULTS, TITLE, section)


if __name__ == "__main__":
    print(run(xl="--xl" in sys.argv[1:]))
