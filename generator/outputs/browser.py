"""The system's Chromium, driven by Playwright: found, never downloaded."""
from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BrowserMissing

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a quiet, offline, headless browser: no background calls home, no sandbox as root.
FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"]


def find_chromium() -> str:
    """The Chromium executable: $BRIEF_CHROMIUM, else the first on PATH (and Playwright, which drives it)."""
    if importlib.util.find_spec("playwright") is None:
        raise BrowserMissing("the playwright package is not installed, expected it to print the PDF with the system "
                             "Chromium: install intelbrief with its pdf extra (pip install 'intelbrief[pdf]')")
    explicit = os.environ.get("BRIEF_CHROMIUM")
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise BrowserMissing(f"BRIEF_CHROMIUM={explicit} is not an executable file, expected the path of Chromium")
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing("no Chromium found, expected the Debian package 'chromium' "
                         "(sudo apt-get install chromium) or BRIEF_CHROMIUM=/path/to/chromium")


@contextmanager
def chromium():
    """A headless Chromium from the system, closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    args = [*FLAGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # Chromium opens several connections at once; a short backlog resets some on a busy machine
    daemon_threads = True


@contextmanager
def serving(folder: Path, leaving=None):
    """A built site on a free localhost port, uncompressed, for the browser to read; yields its root URL. With
    `leaving`, a Playwright page, that page goes to about:blank before the server stops, so no request is cut off."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        if leaving is not None:
            leaving.goto("about:blank")
        server.shutdown()
        server.server_close()
