"""The brief as one PDF: every page of the built site, in navigation order, printed by Chromium.

The built pages are stitched into one print document (so links between pages become links inside
the PDF), charts are drawn at the printable width, and Chromium prints it with the handling marking
and page numbers on every page. Dates inside the PDF come from SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import hashlib
import html
import io
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator.errors import BuildError

PDF_NAME = "brief.pdf"
PRINT_DOC = "print-brief.html"
MARGIN = {"top": "20mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}


@dataclass(frozen=True)
class Section:
    """One built page as a section of the PDF."""

    path: str  # site-relative HTML path
    title: str
    article: str  # the page's article markup


def reading_order(nav: list[str], site: Path) -> list[str]:
    """Site pages in navigation order; each index page is followed by the fact pages beneath it."""
    order: list[str] = []
    for md in nav:
        page = md[:-3] + ".html"
        order.append(page)
        if page.endswith("/index.html"):
            folder = site / posixpath.dirname(page)
            order += sorted(p.relative_to(site).as_posix() for p in folder.glob("*.html") if p.name != "index.html")
    return [p for p in order if (site / p).is_file()]


def section_of(site: Path, path: str) -> Section:
    text = (site / path).read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    if not match:
        raise BuildError(f"{path}: no article found in the built page, expected a page built by the site engine")
    body = match.group(1)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    plain = re.sub(r"<[^>]+>", "", title.group(1)).replace("¶", "").strip() if title else path
    return Section(path, html.unescape(plain), body)


def _slug(path: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", path[:-5].lower()).strip("-")


def relink(section: Section, known: set[str]) -> str:
    """The article with ids made unique per section and links between site pages made internal."""
    slug = _slug(section.path)
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{slug}--{m.group(1)}"', section.article)
    body = re.sub(r'\bdata-figure="([^"]+)"', lambda m: f'data-figure="{slug}--{m.group(1)}"', body)
    body = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", body)
    body = body.replace("<details", "<details open")

    def link(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        if re.match(r"^[a-z]+:", href):
            return match.group(0)
        target, _, fragment = href.partition("#")
        page = posixpath.normpath(posixpath.join(posixpath.dirname(section.path), target)) if target else section.path
        if page not in known:
            return ""  # a file of the site (an export, an asset) is not in the PDF: keep the text, drop the link
        anchor = f"{_slug(page)}--{fragment}" if fragment else _slug(page)
        return f'href="#{anchor}"'

    return re.sub(r'href="([^"]*)"', link, body)


def print_document(sections: list[Section], cover: dict) -> str:
    """One HTML document holding the cover, the contents and every section."""
    known = {s.path for s in sections}
    esc = html.escape
    toc = "\n".join(f'<li><a href="#{_slug(s.path)}">{esc(s.title)}</a></li>' for s in sections)
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(cover['title'])}</title>",
        '<link rel="stylesheet" href="assets/stylesheets/' + cover["theme_css"] + '">',
        '<link rel="stylesheet" href="assets/brief/brief.css">',
        '<link rel="stylesheet" href="assets/brief/print.css">',
        '</head><body class="brief-print"><div class="md-typeset">',
        '<section class="brief-cover">',
        f'<p class="brief-cover-marking brief-marking">{esc(cover["tlp"])}</p>',
        f"<h1>{esc(cover['title'])}</h1>",
        f'<p class="brief-cover-subtitle">{esc(cover.get("subtitle") or "")}</p>',
        '<table class="brief-cover-facts"><tbody>',
        f"<tr><th>Edition</th><td>{esc(cover['edition'])}</td></tr>",
        f"<tr><th>Data revision</th><td><code>{esc(cover['revision'])}</code> {esc(cover['revision_date'])}</td></tr>",
        f"<tr><th>Handling</th><td>{esc(cover['tlp'])} (FIRST Traffic Light Protocol 2.0)</td></tr>",
        f"<tr><th>Printed</th><td>{esc(cover['printed'])}</td></tr>",
        "</tbody></table></section>",
        '<nav class="brief-toc"><h1 id="contents">Contents</h1><ol>', toc, "</ol></nav>",
    ]
    for section in sections:
        parts.append(f'<section class="brief-section" id="{_slug(section.path)}">{relink(section, known)}</section>')
    parts += ["</div>", '<script src="assets/brief/brief-charts.js"></script>', "</body></html>"]
    return "\n".join(parts)


def _band(text: str, side: str) -> str:
    """Header or footer for every printed page: the marking, and page N of M in the footer."""
    marking = f'<span style="font-weight:700">{html.escape(text)}</span>'
    pages = 'page <span class="pageNumber"></span> of <span class="totalPages"></span>' if side == "footer" else ""
    return (f'<div style="font-family:sans-serif;font-size:8pt;width:100%;margin:0 15mm;display:flex;'
            f'justify-content:space-between">{marking}<span>{pages}</span></div>')


def render(site: Path, nav: list[str], cover: dict, output: Path, epoch: int) -> Path:
    """Print the built site at site/ to one PDF at output."""
    from generator.outputs import browser

    sections = [section_of(site, p) for p in reading_order(nav, site)]
    document = site / PRINT_DOC
    document.write_text(print_document(sections, cover), encoding="utf-8")
    try:
        with browser.chromium() as chrome:
            page = chrome.new_page(viewport={"width": 680, "height": 1000})
            page.emulate_media(media="print", color_scheme="light")
            page.goto(document.as_uri())
            page.wait_for_function("() => [...document.querySelectorAll('.brief-plot')]"
                                   ".every(el => el.getAttribute('data-drawn'))", timeout=60000)
            failed = page.eval_on_selector_all('.brief-plot[data-drawn="failed"]', "els => els.length")
            if failed:
                raise BuildError(f"{failed} chart(s) could not be drawn for the PDF, expected every chart to render")
            raw = page.pdf(format="A4", margin=MARGIN, print_background=True, outline=True, tagged=True,
                           display_header_footer=True, header_template=_band(cover["tlp"], "header"),
                           footer_template=_band(cover["tlp"], "footer"))
    finally:
        document.unlink(missing_ok=True)
    output.write_bytes(settle(raw, cover, epoch))
    return output


def settle(raw: bytes, cover: dict, epoch: int) -> bytes:
    """The same PDF with its dates from the build epoch and an id from its content: reproducible bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    stamp = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.add_metadata({"/Title": cover["title"], "/Subject": f"{cover['tlp']} intelligence brief",
                         "/Creator": "intelbrief", "/CreationDate": stamp, "/ModDate": stamp})
    for key in ("/Producer",):
        if key in writer._info.get_object():
            writer._info.get_object()[NameObject(key)] = TextStringObject("intelbrief (Chromium)")
    digest = hashlib.md5(re.sub(rb"\(D:[0-9]+[^)]*\)", b"", raw)).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
