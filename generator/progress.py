"""What `brief build` shows on a terminal while it works: a line per stage, and a bar while the site engine runs.

Each stage is one line with the time since the build started. While the site engine renders pages, a bar
below the last line counts the pages written out of the total and estimates the time left (tqdm); it is
left in place, complete, when the stage ends. Nothing here is used when the output is not a terminal.
"""
from __future__ import annotations

import shutil
import sys
import time

from tqdm import tqdm

BAR = "  {desc} {percentage:3.0f}% |{bar}| {elapsed} elapsed, {remaining} left"


class Stages:
    """Called with a stage's message, it prints the stage's line; pages() drives the site engine's bar."""

    def __init__(self, out=None):
        self.out = out or sys.stderr
        self.started = time.monotonic()
        self.bar: tqdm | None = None

    def __call__(self, message: str) -> None:
        self._close()
        print(f"[{time.monotonic() - self.started:5.1f}s] {message}", file=self.out, flush=True)

    def pages(self, total: int, converted: int, written: int) -> None:
        """The site engine has converted this many pages' Markdown and written this many pages, of total.

        Both halves of a page's work count for the estimate; the bar says how many pages are written."""
        if self.bar is None:
            size = shutil.get_terminal_size()  # 80 × 24 when the terminal does not say (tqdm would show nothing)
            self.bar = tqdm(total=2 * total, desc=self._said(total, 0, 0), bar_format=BAR, file=self.out, leave=True,
                            ncols=min(size.columns, 100), nrows=size.lines, mininterval=0.2, smoothing=0.1)
        self.bar.set_description_str(self._said(total, converted, written), refresh=False)
        self.bar.update(converted + written - self.bar.n)
        if written == total:
            self._close()

    @staticmethod
    def _said(total: int, converted: int, written: int) -> str:
        return f"site engine: {written}/{total} pages" if written else f"site engine: reading {converted}/{total}"

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.close()
            self.bar = None
