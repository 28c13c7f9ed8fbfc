"""A real Chromium against a built brief: one browser, one reused tab, every outside request refused."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator import build

from generator.facts import dataset
from generator.outputs.browser import serving
from tests.conftest import new_brief

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# Maps are drawn as they come near the screen, other charts when the reader asks for the interactive chart: each
# check brings the first chart not yet drawn into view and, if it is a drawing made at build time, asks for it.
CHARTS_DRAWN = ("() => { const left = [...document.querySelectorAll('.brief-plot')]"
                ".filter(el => !el.getAttribute('data-drawn'));"
                " if (left.length) { left[0].scrollIntoView({block: 'center'});"
                " const ask = left[0].closest('figure').querySelector('.brief-interact');"
                " if (ask && !ask.disabled) ask.click(); } return !left.length; }")
WAIT_MS = 45000  # a ceiling for a loaded CI machine (PBKDF2, plotly.js); a passing test never waits for it
# Transport failures between Chromium and the test's own localhost server: they say the test machine dropped a
# connection, not that the site asked for something missing (a 404 or a script error is still a problem).
TRANSPORT = ("net::ERR_CONNECTION_RESET", "net::ERR_CONNECTION_CLOSED", "net::ERR_EMPTY_RESPONSE")


def watch(page) -> list[str]:
    """Keep the page's console errors and page errors, in order, in the returned list; a resource the local
    server failed to deliver is kept with its address unless the failure was the connection's (TRANSPORT)."""
    kept: list[str] = []

    def console(message):
        if message.type != "error":
            return
        where = message.location.get("url", "")
        local = where.startswith("http://127.0.0.1:")
        if local and message.text.startswith("Failed to load resource: ") and message.text.endswith(TRANSPORT):
            return
        kept.append(f"console: {message.text}" + (f" ({where})" if message.text.startswith("Failed to load") else ""))

    page.on("console", console)
    page.on("pageerror", lambda e: kept.append(f"page error: {e}"))
    return kept


class Tab:
    """One browser tab reused by every test: requests outside the allowed roots are aborted and kept,
    console errors and page errors are kept, and the test using it fails if anything was kept."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=DESKTOP)
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.roots: list[str] = []
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.errors = watch(self.page)

    def _route(self, route):
        url = route.request.url
        if any(url.startswith(root) for root in self.roots):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def reset(self, root: str) -> None:
        """Start a test: the given site only, a desktop window, light theme, nothing recorded."""
        self.page.goto("about:blank")  # leave the last test's page first: its late requests are not this test's
        self.roots[:] = [root]
        self.outside.clear()
        self.errors.clear()
        self.page.set_viewport_size(DESKTOP)
        self.context.clear_cookies()

    def open(self, url: str):
        """Go to url and wait until every chart on it has been drawn (or has failed)."""
        self.page.goto(url)
        self.page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)
        # back where the page opened: the anchor of the address asked for, not the page's own address now (the
        # theme's navigation.tracking writes the section scrolled to into it while the charts are brought into view)
        self.page.evaluate("""id => { const target = id && document.getElementById(id);
            if (target) target.scrollIntoView(); else window.scrollTo(0, 0); }""", unquote(urlsplit(url).fragment))
        return self.page

    def problems(self) -> list[str]:
        return [f"outside request: {u}" for u in self.outside] + self.errors

    def close(self):
        self.context.close()


@pytest.fixture(scope="package")
def browser(chromium):
    """One headless system Chromium for this package, closed before other suites start their own."""
    from generator.outputs import browser as system

    with system.chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def site_url(example):
    """The built example brief served on localhost."""
    with serving(example.site) as url:
        yield url


@pytest.fixture(scope="session")
def printed_site_url(tmp_path_factory):
    """The example brief built with its distribution PDF (so the banner links it), served on localhost."""
    from tests.conftest import build_example

    project = build_example(tmp_path_factory.mktemp("printed"))
    # printed in a process of its own: this one's Playwright already drives the test browser
    subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "pdf"], check=True, capture_output=True)
    with serving(project.site) as url:
        yield url


@pytest.fixture(scope="session")
def facts(example):
    return dataset.load(example.data)


@pytest.fixture(scope="package")
def _tab(browser):
    tab = Tab(browser)
    yield tab
    tab.close()


@pytest.fixture
def reader(_tab, site_url):
    """The reused tab, pointed at the example site; the test fails on any outside request or error."""
    _tab.reset(site_url)
    yield _tab
    problems = _tab.problems()
    _tab.page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
    if problems:
        pytest.fail("the page made outside requests or reported errors:\n" + "\n".join(problems), pytrace=False)


REGISTERED = {
    "data/bases/latakia.yml": """
        id: latakia
        name: Latakia test field
        country: SY
        location: {icao: OSLK}
        kind: air base
        sources: [report]
    """,
    "data/flights/registered-flight.yml": """
        id: registered-flight
        summary: A cargo flight whose registration a source gives
        departure: {at: 2024-12-14}
        arrival: {at: 2024-12-14}
        origin: {base: latakia}
        destination: {country: LY}
        aircraft: {type: Il-76TD, registration: RA-78830}
        basis: tracked
        sources: [report]
        credibility: 2
    """,
}


@contextmanager
def built_and_served(folder: Path, files: dict[str, str]):
    """A small brief from these fact files, built and served on localhost; yields its root URL."""
    project = new_brief(folder / "brief", files)
    build.build(project)
    with serving(project.site) as url:
        yield url


@pytest.fixture(scope="session")
def registered_site(tmp_path_factory):
    """A small brief with one flight whose aircraft registration is known, built and served."""
    with built_and_served(tmp_path_factory.mktemp("registered"), REGISTERED) as url:
        yield url
