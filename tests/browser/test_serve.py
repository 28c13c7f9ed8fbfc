"""The live preview as a writer uses it: `brief serve` running, a browser on a page, facts edited, broken and fixed."""
from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator import disk
from tests.browser.conftest import WAIT_MS
from tests.conftest import new_brief
from tests.trees import flight

BANNER = "#brief-preview-problems"


def free_port() -> int:
    """A port nothing listens on now (the system picks it, so tests never collide on a fixed one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A `brief serve` process and the lines it writes to the terminal."""

    def __init__(self, root: Path, port: int):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # Ctrl-C as a terminal sends it, even when this run was started in the background (which ignores SIGINT,
        # and a child inherits that)
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), "serve", "--port", str(port)],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = f"http://127.0.0.1:{port}/"

    def _read(self):
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str, timeout: float = 60) -> str:
        """The next terminal line starting with start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, f"brief serve exited: {self.seen}"
                continue
            self.seen.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"no line starting {start!r} in {self.seen}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # never left running after the test
            raise


@contextmanager
def serving(root: Path):
    server = Server(root, free_port())
    try:
        server.wait_for("serving the preview on ")
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()


@pytest.fixture
def writer_tab(_tab):
    """The shared tab; errors and outside requests fail the test as everywhere in the browser suite."""
    yield _tab
    problems = [p for p in _tab.problems() if "/.brief-preview/changes" not in p]
    if problems:
        pytest.fail("the page made outside requests or reported errors:\n" + "\n".join(problems), pytrace=False)


def test_the_preview_shows_an_edit_then_a_problem_banner_over_the_last_good_page_then_the_fix(writer_tab, tmp_path):
    project = new_brief(tmp_path / "brief", {"data/flights/f1.yml": flight("f1", "summary: First draft of the flight\n")})
    fact = project.data / "flights" / "f1.yml"
    with serving(project.root) as server:
        writer_tab.reset(server.url)
        page = writer_tab.open(server.url + "flights/2024-12.html")
        assert "First draft of the flight" in page.inner_text("article")

        fact.write_text(flight("f1", "summary: Second draft, seen live\n"))
        page.get_by_text("Second draft, seen live").wait_for(timeout=WAIT_MS)
        assert re.fullmatch(r"rebuilt \d+ pages? in \d+\.\d\ds \(pages shown after \d+\.\d\ds(, \d+ pages? reused)?(, then \d+ pages? of totals)?\)", server.wait_for("rebuilt "))  # not the whole site

        fact.write_text(flight("f1", "summary: Second draft, seen live\ncredibility: 9\n"))
        page.locator(BANNER).wait_for(timeout=WAIT_MS)
        problem = "data/flights/f1.yml:9:14: credibility: '9' is not a valid credibility, expected a whole number from 1 to 6 [invalid-number]"
        assert page.locator(f"{BANNER} li").all_inner_texts() == [problem]
        assert server.wait_for("data/flights/") == problem
        assert "Second draft, seen live" in page.inner_text("article")  # the last good page stays

        content = project.root / "content" / "narrative.md"
        good_narrative = content.read_text()
        fact.write_text(flight("f1", "summary: Third draft, fixed\n"))
        page.get_by_text("Third draft, fixed").wait_for(timeout=WAIT_MS)
        assert page.locator(BANNER).count() == 0

        content.write_text(good_narrative + "\n{{ figures.no_such_figure }}\n")
        page.locator(BANNER).wait_for(timeout=WAIT_MS)
        assert page.locator(f"{BANNER} li").all_inner_texts()[0].startswith("content/narrative.md:")
        content.write_text(good_narrative)
        page.locator(BANNER).wait_for(state="detached", timeout=WAIT_MS)
        assert "Third draft, fixed" in page.inner_text("article")
        assert server.stop() == 130
    assert not any("Traceback" in line for line in server.seen)


def test_a_page_failing_the_safety_check_shows_the_banner_and_the_last_good_page_stays(writer_tab, tmp_path):
    project = new_brief(tmp_path / "brief", {})
    narrative = project.content / "narrative.md"
    good = narrative.read_text()
    with serving(project.root) as server:
        writer_tab.reset(server.url)
        page = writer_tab.open(server.url + "narrative.html")
        narrative.write_text(good + '\n<img src="x.png" onerror="document.title=1">\n\nUnsafe draft.\n')
        page.locator(BANNER).wait_for(timeout=WAIT_MS)
        [problem] = page.locator(f"{BANNER} li").all_inner_texts()
        assert re.fullmatch(r"the rebuilt pages failed the safety check, so the last good pages stay served:\n"
                            r"  narrative\.html:\d+: <img> has an event-handler attribute onerror", problem)
        assert page.locator("img[onerror]").count() == 0 and "Unsafe draft." not in page.inner_text("article")
        assert server.wait_for("error: ") == "error: " + problem.split("\n")[0]

        narrative.write_text(good + "\nSafe draft.\n")
        page.get_by_text("Safe draft.").wait_for(timeout=WAIT_MS)
        assert page.locator(BANNER).count() == 0
    assert not any("Traceback" in line for line in server.seen)


def test_the_preview_waits_for_a_build_of_the_brief_before_it_writes(writer_tab, tmp_path):
    project = new_brief(tmp_path / "brief", {"data/flights/f1.yml": flight("f1", "summary: First draft of the flight\n")})
    with serving(project.root) as server:
        writer_tab.reset(server.url)
        page = writer_tab.open(server.url + "flights/2024-12.html")
        with disk.lock(project.root, "build"):  # what brief build holds while it writes .brief/ and site/
            (project.data / "flights" / "f1.yml").write_text(flight("f1", "summary: Written during a build\n"))
            assert server.wait_for("waiting ") == "waiting for another build in this brief to finish"
            assert "First draft of the flight" in page.inner_text("article")
        page.get_by_text("Written during a build").wait_for(timeout=WAIT_MS)
        assert server.wait_for("rebuilt ").startswith("rebuilt 2 pages in ")


def test_an_edit_puts_the_new_article_in_place_and_a_page_with_charts_or_a_banner_reloads(writer_tab, tmp_path):
    """The flight's page shows the edit without loading its styles, scripts and fonts again (it is not reloaded: a
    value the page held stays), with its tables dressed by the theme as on a page loaded whole; the overview, whose
    charts are set up when a page loads, and a page gaining the problem banner are loaded again."""
    project = new_brief(tmp_path / "brief", {"data/flights/f1.yml": flight("f1", "summary: First draft of the flight\n")})
    fact = project.data / "flights" / "f1.yml"
    with serving(project.root) as server:
        writer_tab.reset(server.url)
        page = writer_tab.open(server.url + "flights/2024-12.html")
        overview = writer_tab.context.new_page()
        overview.goto(server.url)
        for shown in (page, overview):
            shown.evaluate("window.heldSinceLoad = true")
        fact.write_text(flight("f1", "summary: Second draft, in place\n"))
        page.get_by_text("Second draft, in place").wait_for(timeout=WAIT_MS)
        server.wait_for("rebuilt ")
        assert page.evaluate("window.heldSinceLoad === true")
        tables = page.locator("article table")
        assert tables.count() > 0
        assert page.locator("article .md-typeset__scrollwrap > .md-typeset__table > table").count() == tables.count()
        assert overview.evaluate("window.heldSinceLoad === true")  # its counts did not change

        (project.data / "flights" / "f2.yml").write_text(flight("f2"))  # a second flight: the overview's charts
        overview.wait_for_function("window.heldSinceLoad === undefined", timeout=WAIT_MS)
        overview.close()

        fact.write_text(flight("f1", "summary: Second draft, in place\ncredibility: 9\n"))
        page.locator(BANNER).wait_for(timeout=WAIT_MS)
        assert page.evaluate("window.heldSinceLoad === undefined")
    assert not any("Traceback" in line for line in server.seen)
