"""Reading a printed PDF as its reader would: text per page, fonts, ink per page and inside a box (poppler)."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

DPI = 50
INK = 200  # a grey level darker than this counts as ink
NEARLY_BLANK = 0.5  # a page (but the last) whose content ends above half its printable height was broken too early
BANDS = (20 * 72 / 25.4, 18 * 72 / 25.4)  # the top and bottom page margins (points) holding the marking bands


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils")
    return found


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, NFKC-normalised (ligatures to letters) with white space folded."""
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in PdfReader(pdf).pages]


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name without its subset prefix, embedded yes/no) of every font, from pdffonts."""
    lines = subprocess.run([poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    found = []
    for line in lines[2:]:
        name, *rest = line.split()
        emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        found.append((name.split("+", 1)[-1], emb.group(1) if emb else "?"))
    return found


def grey(pdf: Path, page: int, dpi: int = DPI) -> tuple[int, int, bytes]:
    """(width, height, grey bytes) of one page rasterised by pdftoppm."""
    raw = subprocess.run([poppler("pdftoppm"), "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    _, size, _, pixels = raw.split(b"\n", 3)
    width, height = map(int, size.split())
    return width, height, pixels


def ink(pdf: Path, page: int, box: tuple[float, float, float, float] | None = None) -> float:
    """Share of ink pixels on a page, or inside box = (x0, y0, x1, y1) in PDF points from the top left."""
    width, height, pixels = grey(pdf, page)
    scale = DPI / 72
    x0, y0, x1, y1 = (0, 0, width / scale, height / scale) if box is None else box
    cols = range(max(0, int(x0 * scale)), min(width, int(x1 * scale)))
    rows = range(max(0, int(y0 * scale)), min(height, int(y1 * scale)))
    dark = sum(1 for y in rows for x in cols if pixels[y * width + x] < INK)
    return dark / max(1, len(cols) * len(rows))


def filled(pdf: Path, page: int) -> float:
    """How far down the printable area (between the marking bands) the page's content reaches, from 0 to 1."""
    width, height, pixels = grey(pdf, page)
    scale = DPI / 72
    top, bottom = int(BANDS[0] * scale), height - int(BANDS[1] * scale)
    inked = [y for y in range(top, bottom) if any(p < INK for p in pixels[y * width:(y + 1) * width])]
    return (inked[-1] - top) / (bottom - top) if inked else 0.0


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, x0, y0, x1, y1) in points from the top left, from pdftotext -bbox."""
    out = subprocess.run([poppler("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, out)]


def _phrase_at(found: list, phrase: str, after: float = -1.0) -> tuple[float, float]:
    """(top, bottom) of the first line below `after` that holds the words of phrase in order."""
    parts = phrase.split()
    for i in range(len(found) - len(parts) + 1):
        if [w for w, *_ in found[i:i + len(parts)]] == parts and found[i][2] > after:
            return found[i][2], found[i][4]
    raise AssertionError(f"'{phrase}' is not on the page")


def box_between(pdf: Path, page: int, above: str, below: str) -> tuple[float, float, float, float]:
    """The area between the heading `above` and the caption `below` that follows it: where a chart is drawn."""
    found = words(pdf, page)
    _, top = _phrase_at(found, above)
    bottom, _ = _phrase_at(found, below, after=top)
    return (40.0, top + 2, 555.0, bottom - 2)


def check_fill(pdf: Path, pages: int) -> None:
    """No page is left mostly empty: each page but the last is filled at least half-way down, the last holds content."""
    for number in range(1, pages + 1):
        reach = filled(pdf, number)
        assert reach >= (NEARLY_BLANK if number < pages else 0.02), (number, round(reach, 2))
