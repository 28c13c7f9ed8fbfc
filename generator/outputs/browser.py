"""The system's Chromium, driven by Playwright: found, never downloaded."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

from generator.errors import BrowserMissing

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a quiet, offline, headless browser: no background calls home, no sandbox as root.
FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"]


def find_chromium() -> str:
    """The Chromium executable: $BRIEF_CHROMIUM, else the first on PATH."""
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
