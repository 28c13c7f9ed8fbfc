"""Live preview benchmark: the time from saving one flight file to the browser showing the change.

It drives the real `brief serve` (a subprocess on a free port) with the system Chromium on the flight's
page, as a writer would, on the M and L briefs that benchmarks/run.py prepares, and writes the
"Live preview" section of benchmarks/RESULTS.md. Run alone: python benchmarks/serve.py [M L]; it makes the briefs
again when they are missing or were made by another version of the templates (whose first build would fail).
"""
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
TARGETS = {"M": 1.5, "L": 1.5}  # seconds from save to the change on screen
EDITS = 5  # saves measured per size; the first after start is reported too, the median is the verdict
TITLE = "## Live preview"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`brief serve` on a brief, with the lines it writes to the terminal."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), "serve", "--port", str(self.port)],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                     # Ctrl-C as a terminal sends it, even when make bench runs in the background
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line.rstrip()) for line in self.proc.stderr], daemon=True).start()

    def started(self) -> str:
        """The server's first report (the whole site built), or stop with what it printed instead."""
        first = self.next_line("")
        if not first.startswith("rebuilt the whole site"):
            said = [first]
            while not said[-1].startswith("serving the preview on "):
                said.append(self.next_line(""))
            raise SystemExit("brief serve could not build the site, so no edit can show:\n" + "\n".join(said[:-1]))
        return first

    def said_since(self) -> list[str]:
        """The lines printed and not yet read."""
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return lines

    def next_line(self, start: str, timeout: float = 900) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise SystemExit(f"brief serve exited with {self.proc.returncode}")
                continue
            if line.startswith(start):
                return line
        raise SystemExit(f"brief serve printed no line starting {start!r}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=600)  # a large brief's exports, after the last save's pages, may still be on their way


def flight_and_page(root: Path) -> tuple[Path, str]:
    """A flight file from the middle of the brief and the site page that lists it."""
    sys.path.insert(0, str(REPO))
    from generator.facts import dataset
    from generator.site import plan

    data = dataset.load(root / "data")
    files = sorted((root / "data" / "flights").rglob("*.yml"))
    path = files[len(files) // 2]
    return path, plan.Links(data).pages[("flights", path.stem)].removesuffix(".md") + ".html"


def save_with_summary(path: Path, summary: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^summary: .*\n", "", text)
    path.write_text(text + f"summary: {summary}\n", encoding="utf-8")


def measure(size: str, root: Path) -> dict:
    """Seconds from each save to the changed text on screen, and what the server said it did."""
    sys.path.insert(0, str(REPO))
    from generator.outputs import browser

    flight, page_path = flight_and_page(root)
    original = flight.read_bytes()
    server = Server(root)
    started = time.monotonic()
    try:
        server.started()
        start_seconds = time.monotonic() - started
        server.next_line("serving the preview on ")
        with browser.chromium() as chromium:
            page = chromium.new_page()
            page.goto(f"http://127.0.0.1:{server.port}/{page_path}")
            seconds, said = [], []
            for n in range(EDITS):
                marker = f"Benchmark edit {n} of {size}"
                saved = time.perf_counter()
                save_with_summary(flight, marker)
                shown(page, marker, server)
                seconds.append(time.perf_counter() - saved)
                said.append(server.next_line("rebuilt "))
                print(f"{size}: save {n + 1} on screen after {seconds[-1]:.2f} s; {said[-1]}", file=sys.stderr)
                time.sleep(1.5)  # let the exports that follow the pages finish before the next save
    finally:
        server.stop()
        flight.write_bytes(original)
    return {"size": size, "start": start_seconds, "seconds": seconds, "said": said, "page": page_path}


def shown(page, marker: str, server: Server) -> None:
    """Wait until the page shows the marker; stop with what the server said when it does not within a minute."""
    from playwright.sync_api import TimeoutError as Late

    try:
        page.get_by_text(marker).first.wait_for(timeout=60_000)
    except Late:
        said = "\n".join(server.said_since()) or "(nothing)"
        raise SystemExit(f"{page.url} did not show {marker!r} within 60 s of the save; brief serve said:\n{said}") from None


def section(results: list[dict]) -> str:
    """The Live preview section of RESULTS.md."""
    lines = [TITLE, "", f"`brief serve` on the brief, Chromium on the page listing one flight; that flight's file is saved "
             f"{EDITS} times with a new summary, and each time the clock runs from the save until the new text is on "
             "screen (watcher, regeneration, site engine, reload). Load average "
             f"{os.getloadavg()[0]:.1f} at the end (the machine is shared).", "",
             "| | start (whole site) | first save | median save | slowest save | target | pages rebuilt and reused (last save) |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        target = TARGETS[r["size"]]
        median = statistics.median(r["seconds"])
        verdict = "met" if median <= target else "MISSED"
        lines.append(f"| {r['size']} | {r['start']:.1f} s | {r['seconds'][0]:.2f} s | {median:.2f} s | {max(r['seconds']):.2f} s "
                     f"| ≤ {target} s: {verdict} | {r['said'][-1]} |")
    lines += ["", "Targets:", ""]
    for r in results:
        median = statistics.median(r["seconds"])
        lines.append(f"- preview save-to-screen at {r['size']} within {TARGETS[r['size']]} s (median of {EDITS} saves): "
                     f"{median:.2f} s, {'met' if median <= TARGETS[r['size']] else 'MISSED'}")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Put the section into RESULTS.md in place of the last one, or at its end."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head, _, rest = old.partition(TITLE)
    tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
    RESULTS.write_text(head.rstrip("\n") + "\n\n" + text + tail if head or tail else text, encoding="utf-8")


def run(sizes: list[str]) -> str:
    """Measure each prepared size and write the section; returns it."""
    results = [measure(size, WORK / size) for size in sizes]
    text = section(results)
    write_section(text)
    return text


def current(root: Path) -> bool:
    """Whether a prepared brief exists with this checkout's site settings and templates (synth copies them)."""
    if not (root / "data").is_dir() or not (root / "mkdocs.yml").is_file():
        return False
    ours = {p.relative_to(REPO / "templates"): p.read_bytes() for p in (REPO / "templates").rglob("*") if p.is_file()}
    theirs = {p.relative_to(root / "templates"): p.read_bytes() for p in (root / "templates").rglob("*") if p.is_file()}
    return ours == theirs and (root / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "benchmarks"))
    import run as scale  # benchmarks/run.py, beside this file: how make bench makes the briefs

    sizes = sys.argv[1:] or list(TARGETS)
    for size in sizes:
        if not current(WORK / size):
            print(f"{size}: making the synthetic brief (missing or made by other templates)", file=sys.stderr)
            scale.prepare(size, WORK / size)
    print(run(sizes))
