"""Restricted editions at M: an encrypted build against a plain one, and opening a page in Chromium.

Run alone with `python benchmarks/encrypt.py` (it prepares the M brief if the scale run has not), or as a section
of `make bench`.
"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PASSPHRASE = "benchmark passphrase, long enough"
REPEATS = 3


def build_seconds(root: Path, *extra: str) -> float:
    """The fastest of REPEATS whole `brief build` runs (nothing kept from the one before), with the given options."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1734307200", "BRIEF_PASSPHRASE": PASSPHRASE}
    runs = []
    for _ in range(REPEATS):
        for left in (root / ".brief", root / "site"):  # a plain build would otherwise start from the last one's site
            shutil.rmtree(left, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", *extra], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return min(runs)


def open_times(plain: Path, sealed: Path) -> dict:
    """Milliseconds until the overview's charts are drawn: plain, sealed with the key remembered, sealed from the form."""
    from generator.outputs import browser as system
    from tests.browser.conftest import CHARTS_DRAWN, serving

    def until_drawn(page, url, before=None):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            page.goto(url)
            if before:
                before(page)
            page.wait_for_function(CHARTS_DRAWN, timeout=60000)
            runs.append((time.perf_counter() - started) * 1000)
        return min(runs)

    def unlock(page):
        page.evaluate("() => sessionStorage.clear()")
        page.goto(page.url)
        page.fill("#brief-passphrase", PASSPHRASE)
        page.click(".brief-unlock button")
        page.wait_for_selector("article h1")

    with system.chromium() as browser, serving(plain) as plain_url, serving(sealed) as sealed_url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        times = {"plain": until_drawn(page, plain_url + "index.html")}
        page.goto(sealed_url + "index.html")
        unlock(page)
        times["remembered"] = until_drawn(page, sealed_url + "index.html")
        times["form"] = until_drawn(page, sealed_url + "index.html", unlock)
    return times


def section(work: Path) -> str:
    """The Markdown section of RESULTS.md for restricted editions."""
    root = work / "M"
    if not (root / "data").is_dir():
        from benchmarks.run import prepare

        prepare("M", root)
    build_seconds(root, "--encrypt")  # warm the caches both builds share (file system, generated docs)
    plain_seconds = build_seconds(root)
    plain_copy = work / "M-plain-site"
    shutil.rmtree(plain_copy, ignore_errors=True)
    shutil.copytree(root / "site", plain_copy)
    sealed_seconds = build_seconds(root, "--encrypt")
    times = open_times(plain_copy, root / "site")
    ratio = sealed_seconds / plain_seconds
    extra = times["remembered"] - times["plain"]
    return "\n".join([
        "## Restricted editions (M, 1,000 flights)", "",
        "| | plain | `--encrypt` |", "|---|---|---|",
        f"| `brief build` | {plain_seconds:.2f} s | {sealed_seconds:.2f} s ({ratio:.2f}×) |",
        f"| overview drawn in Chromium (desktop) | {times['plain']:.0f} ms | {times['remembered']:.0f} ms with the key "
        f"remembered in the tab; {times['form']:.0f} ms from submitting the passphrase (PBKDF2 included) |", "",
        f"- encrypted build ≤ 1.5× a plain build: {ratio:.2f}×, {'met' if ratio <= 1.5 else 'MISSED'}",
        f"- opening a page after the passphrase ≤ 300 ms more than a plain page: {extra:+.0f} ms, "
        f"{'met' if extra <= 300 else 'MISSED'}", ""])


if __name__ == "__main__":
    print(section(REPO / "benchmarks" / "work"))
