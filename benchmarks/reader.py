"""The reader benchmark: what a reader downloads and waits for, per page kind, at S, M and L.

Each built site is served on localhost and opened in the system Chromium (Playwright), cold each time,
on a desktop profile and on a throttled phone profile (4× CPU slowdown, 1.6 Mbit/s down, 150 ms latency).
Run alone with `python benchmarks/reader.py [WORK]` after `make bench` has built the sites.
"""
from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

import yaml

PROFILES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "cpu": 1, "network": None},
    "phone": {"viewport": {"width": 375, "height": 812}, "cpu": 4,
              "network": {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                          "uploadThroughput": 750_000 / 8}},
}
GOOD_LCP = 2.5  # seconds: the Core Web Vitals "good" threshold for Largest Contentful Paint
LCP = """() => new Promise(done => new PerformanceObserver(list => {
    const entries = list.getEntries(); done(entries[entries.length - 1].startTime / 1000);
}).observe({type: 'largest-contentful-paint', buffered: true}))"""
SETTLED = """() => document.readyState === 'complete' && [...document.querySelectorAll('.brief-plot')]
    .every(el => el.getAttribute('data-drawn') || el.getBoundingClientRect().top > innerHeight)"""  # charts on screen


def page_kinds(site: Path) -> dict[str, str]:
    """The page of each kind a reader opens: the overview, the busiest base, the fullest flight-log page, assessments."""
    bases = [p for p in (site / "bases").glob("*.html") if p.name != "index.html"]
    months = [p for p in (site / "flights").glob("*.html") if p.name != "index.html"]
    biggest = lambda pages: max(pages, key=lambda p: (p.stat().st_size, p.name)).relative_to(site).as_posix()  # noqa: E731
    return {"overview": "index.html", "base": biggest(bases), "flight month": biggest(months),
            "assessments": "assessments.html"}


def search_word(root: Path) -> str:
    """A word every brief can be searched for: the name of its first base, as a reader would type it."""
    first = sorted((root / "data" / "bases").rglob("*.yml"))[0]
    return yaml.safe_load(first.read_text(encoding="utf-8"))["name"].split()[0]


def open_cold(browser, url: str, profile: dict, then=None) -> dict:
    """Load url in a fresh context (empty cache) under a profile: bytes over the wire, LCP, and then(page)."""
    context = browser.new_context(viewport=profile["viewport"], is_mobile=profile["viewport"]["width"] < 500)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    received = []
    cdp.send("Network.enable")
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    if profile["network"]:
        cdp.send("Network.emulateNetworkConditions", profile["network"])
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
    try:
        page.goto(url, wait_until="commit", timeout=120000)
        extra = then(page) if then else None
        page.wait_for_function(SETTLED, timeout=120000, polling=100)
        lcp = page.evaluate(LCP)
        page.wait_for_timeout(200)  # let the last responses finish counting
        return {"bytes": sum(received), "lcp": lcp, "extra": extra}
    finally:
        context.close()


SEARCH = """word => new Promise((done, fail) => {
    const input = document.querySelector('input.md-search__input');
    input.focus();
    let asked = -Infinity, askedReady = false;
    const ask = () => {
        input.value = word;
        input.dispatchEvent(new Event('input', {bubbles: true}));
        input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: word.slice(-1)}));
        asked = performance.now();
    };
    const poll = setInterval(() => {
        if (document.querySelector('.md-search-result__item')) {
            clearInterval(poll); done(performance.now() / 1000); return;
        }
        if (performance.now() > 60000) { clearInterval(poll); fail(new Error('no search result for ' + word)); return; }
        // ask once the theme says its index is ready (and again every 2 s in case that was missed): asking on
        // every poll queued more searches than a throttled phone could answer at 10,000 flights
        const meta = document.querySelector('.md-search-result__meta');
        const ready = meta && !/initializ/i.test(meta.textContent);
        if (ready && !askedReady) { askedReady = true; ask(); } else if (performance.now() - asked > 2000) ask();
    }, 50);
})"""


def first_result(page, word: str) -> float:
    """Seconds from navigation until the search box shows its first result, asking as soon as the box exists."""
    page.wait_for_selector("input.md-search__input", state="attached", timeout=120000)
    return page.evaluate(SEARCH, word)


SEARCH_RUNS = 3  # cold loads per size and profile; the median counts


def search_times(browser, url: str, profile: dict, word: str) -> dict:
    """The median first-result time of SEARCH_RUNS cold loads, and how many gave no result within a minute."""
    from playwright.sync_api import Error

    times, missed = [], 0
    for _ in range(SEARCH_RUNS):
        try:
            times.append(open_cold(browser, url + "index.html", profile, then=lambda page: first_result(page, word))["extra"])
        except Error:
            missed += 1
    return {"median": statistics.median(times) if times else math.inf, "missed": missed}


LOAD_RUNS = 3  # cold loads per page kind and profile: a single desktop LCP of about 0.2-0.4 s varies by 2× run to run


def page_load(browser, url: str, profile: dict) -> dict:
    """Bytes of a cold load and the median LCP of LOAD_RUNS cold loads."""
    runs = [open_cold(browser, url, profile) for _ in range(LOAD_RUNS)]
    return {"bytes": max(r["bytes"] for r in runs), "lcp": statistics.median(r["lcp"] for r in runs)}


def index_kb(site: Path) -> float:
    """The size of the theme's search index a reader downloads from disk, in KB (served, the published site answers
    from its fragment index instead: benchmarks/search.py)."""
    return (site / "search" / "search_index.js").stat().st_size / 1024


def measure(sites: dict[str, tuple[Path, Path]]) -> dict:
    """size → {(kind, profile): {bytes, lcp}} plus size → {profile: first search result seconds}."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from generator.outputs import browser as system

    pages, search = {}, {}
    with system.chromium() as browser:
        for size, (root, site) in sites.items():
            print(f"{size}: reading in the browser", file=sys.stderr)
            kinds, word = page_kinds(site), search_word(root)
            with system.serving(site) as url:
                open_cold(browser, url + "index.html", PROFILES["desktop"])  # not counted: warms the browser and the disk cache
                pages[size] = {(kind, name): page_load(browser, url + rel, profile)
                               for kind, rel in kinds.items() for name, profile in PROFILES.items()}
                search[size] = {name: search_times(browser, url, profile, word) for name, profile in PROFILES.items()}
                search[size]["index"] = index_kb(site)
            pages[size]["__pages__"] = kinds
    return {"pages": pages, "search": search}


def section(sites: dict[str, tuple[Path, Path]]) -> list[str]:
    """The reader section of RESULTS.md, measured now."""
    return render(measure(sites))


def render(found: dict) -> list[str]:
    pages, search = found["pages"], found["search"]
    sizes = list(pages)
    small, large = sizes[0], sizes[-1]
    lines = ["## Reading the brief", "",
             "Each page opened cold (empty cache) in the system Chromium from a localhost server, on a desktop "
             "profile and on a throttled phone profile (4× CPU slowdown, 1.6 Mbit/s, 150 ms latency). Bytes are "
             "everything transferred for the page (HTML, theme, plotly.js when the page has a chart); LCP is the "
             f"browser's Largest Contentful Paint, the median of {LOAD_RUNS} cold loads. The base is the largest "
             "base page, the flight month the largest flight-log page.", "",
             "| page | profile | " + " | ".join(f"{s} bytes | {s} LCP" for s in sizes) + f" | {large} ÷ {small} bytes | "
             f"{large} ÷ {small} LCP |", "|---|---|" + "---|---|" * len(sizes) + "---|---|"]
    verdicts = []
    for kind in pages[small]["__pages__"]:
        for profile in PROFILES:
            cells = [pages[s][(kind, profile)] for s in sizes]
            ratio_bytes = cells[-1]["bytes"] / cells[0]["bytes"]
            ratio_lcp = cells[-1]["lcp"] / cells[0]["lcp"]
            lines.append(f"| {kind} | {profile} | " + " | ".join(f"{c['bytes'] / 1024:,.0f} KB | {c['lcp']:.2f} s" for c in cells)
                         + f" | {ratio_bytes:.2f}× | {ratio_lcp:.2f}× |")
            verdicts.append((f"{kind}, {profile}: {large} ÷ {small} bytes ≤ 1.5", f"{ratio_bytes:.2f}×", ratio_bytes <= 1.5))
            verdicts.append((f"{kind}, {profile}: {large} ÷ {small} LCP ≤ 1.5", f"{ratio_lcp:.2f}×", ratio_lcp <= 1.5))
        phone = pages[large][(kind, "phone")]["lcp"]
        verdicts.append((f"{kind} at {large}, phone: LCP under {GOOD_LCP} s (Core Web Vitals good)", f"{phone:.2f} s",
                         phone < GOOD_LCP))
    lines += ["", "Time to the first search result, from navigation to the overview (typing as soon as the box "
              "can be used, so it includes loading the index):", "",
              "| profile | " + " | ".join(sizes) + f" | {large} ÷ {small} |", "|---|" + "---|" * (len(sizes) + 1)]
    lines.append("| search index | " + " | ".join(f"{search[s]['index']:,.0f} KB" for s in sizes)
                 + f" | {search[large]['index'] / search[small]['index']:.2f}× |")
    for profile in PROFILES:
        ratio = search[large][profile]["median"] / search[small][profile]["median"]
        lines.append(f"| {profile} | " + " | ".join(f"{search[s][profile]['median']:.2f} s" for s in sizes) + f" | {ratio:.2f}× |")
        verdicts.append((f"first search result, {profile}: {large} ÷ {small} ≤ 3", f"{ratio:.2f}×", ratio <= 3))
    missed = [f"{s} {profile}: {search[s][profile]['missed']}" for s in sizes for profile in PROFILES
              if search[s][profile]["missed"]]
    lines += ["", f"Each is the median of {SEARCH_RUNS} cold loads. Loads that showed no result within 60 s: "
              + (", ".join(missed) if missed else "none") + "."]
    lines += ["", "Reader targets:", ""] + [f"- {label}: {shown}, {'met' if ok else 'MISSED'}" for label, shown, ok in verdicts]
    return lines + [""]


if __name__ == "__main__":
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "work"
    found = {size: (work / size, work / size / "site") for size in ("S", "M", "L") if (work / size / "site").is_dir()}
    print("\n".join(section(found)))
