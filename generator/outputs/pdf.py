"""Printing with Chromium: the full reference (every page of the built site) and any print document.

For the full reference the built pages are stitched into one print document (so links between pages
become links inside the PDF) and charts are drawn at the printable width. Every printed page carries
the handling marking at top and bottom and "page N of M", set by CSS page margin boxes in the brief's
own font. Dates inside the PDF come from the build epoch, so the same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import io
import os
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator import words
from generator.errors import BuildError
from generator.outputs import browser

PDF_NAME = "brief.pdf"  # the distribution edition
FULL_NAME = "brief-full.pdf"  # the complete reference, the annex (the edition names it too)
PRINT_DOC = "print-brief.html"
CHARTS_DRAWN = "() => [...document.querySelectorAll('.brief-plot')].every(el => el.getAttribute('data-drawn'))"


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
    # A folded block prints open, as plain blocks: Chromium keeps a <details> in one piece, pushing it to a new page.
    body = re.sub(r"<details\b[^>]*>", '<div class="brief-details">', body).replace("</details>", "</div>")
    body = re.sub(r"<summary\b([^>]*)>(.*?)</summary>", r'<p class="brief-details-title"\1>\2</p>', body, flags=re.S)

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


def full_document(sections: list[Section], cover: dict, page_css: str) -> str:
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
        f"<style>{page_css}</style>",
        '</head><body class="brief-print"><div class="md-typeset">',
        '<section class="brief-cover">',
        f'<p class="brief-cover-marking brief-marking">{esc(cover["tlp"])}</p>',
        f"<h1>{esc(cover['title'])}</h1>",
        f'<p class="brief-cover-subtitle">{esc(cover.get("subtitle") or "")}</p>',
        '<table class="brief-cover-facts"><tbody>',
        f"<tr><th>Edition</th><td>{esc(cover['edition'])}</td></tr>",
        *([f"<tr><th>Information cut-off</th><td>{esc(cover['cutoff'])}</td></tr>"] if cover.get("cutoff") else []),
        f"<tr><th>Handling</th><td>{esc(cover['tlp'])} (FIRST Traffic Light Protocol 2.0)</td></tr>",
        f"<tr><th>Made with</th><td>{esc(cover['intelbrief'])}</td></tr>",
        "</tbody></table></section>",
        '<nav class="brief-toc"><h1 id="contents">Contents</h1><ol>', toc, "</ol></nav>",
    ]
    for section in sections:
        parts.append(f'<section class="brief-section" id="{_slug(section.path)}">{relink(section, known)}</section>')
    # the colophon: when and from which data revision this copy was printed, at the end rather than on the cover
    parts.append(f'<section class="brief-colophon"><p>Edition of {esc(cover["edition"])}, printed {esc(cover["printed"])} '
                 f'from data revision <code>{esc(cover["revision"])}</code> {esc(cover["revision_date"])}.</p></section>')
    parts += ["</div>", '<script src="assets/brief/brief-charts.js"></script>', "</body></html>"]
    return "\n".join(parts)


def _css_string(text: str) -> str:
    """Text as a CSS string literal: quotes, backslashes and line breaks escaped."""
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in text) + '"'


def page_css(marking: str) -> str:
    """A4 pages with the marking at top and bottom and "page N of M", in the brief's own font."""
    mark = _css_string(marking)
    band = "font-family: 'IBM Plex Sans'; font-size: 8pt; color: #000000;"
    return (f"@page {{ size: A4; margin: 20mm 15mm 18mm 15mm;"
            f" @top-center {{ content: {mark}; {band} font-weight: 700; }}"
            f" @bottom-left {{ content: {mark}; {band} font-weight: 700; }}"
            f' @bottom-right {{ content: "page " counter(page) " of " counter(pages); {band} }} }}')


def render(site: Path, nav: list[str], cover: dict, output: Path, epoch: int) -> Path:
    """Print the built site at site/ to one PDF at output: the full reference."""
    sections = [section_of(site, p) for p in reading_order(nav, site)]
    document = site / PRINT_DOC
    document.write_text(full_document(sections, cover, page_css(cover["tlp"])), encoding="utf-8")
    try:
        return print_document(document, output, title=cover["title"], marking=cover["tlp"], epoch=epoch)
    finally:
        document.unlink(missing_ok=True)


def print_document(document: Path, output: Path, *, title: str, marking: str, epoch: int,
                   max_pages: int | None = None) -> Path:
    """Print one HTML document to output once its fonts and charts are ready; output appears whole or not at all.

    With max_pages, a document whose script offers briefFit(n) (keep the first n of its optional items) prints with
    as many of them as fit in max_pages, found by halving (the page count grows with the items kept)."""
    with browser.chromium() as chrome:
        page = chrome.new_page(viewport={"width": 680, "height": 1000})
        page.emulate_media(media="print", color_scheme="light")
        page.goto(document.as_uri())
        page.wait_for_function(CHARTS_DRAWN, timeout=60000)
        failed = page.eval_on_selector_all('.brief-plot[data-drawn="failed"]', "els => els.length")
        if failed:
            raise BuildError(f"{words.counted(failed, 'chart')} could not be drawn for the PDF, expected every chart to render")
        page.evaluate("document.fonts.ready.then(() => true)")
        raw = _fitted(page, max_pages) if max_pages else _pdf(page)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(settle(raw, title, marking, epoch))
    os.replace(partial, output)
    return output


def _pdf(page) -> bytes:
    return page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)


def _fitted(page, max_pages: int) -> bytes:
    """The PDF with the most optional items (briefFit) that keeps it within max_pages."""
    from pypdf import PdfReader

    offered = page.evaluate("typeof briefFit === 'function' ? briefFit(-1) : 0")
    raw = _pdf(page)
    if not offered or len(PdfReader(io.BytesIO(raw)).pages) <= max_pages:
        return raw
    low, high, best = 0, offered - 1, None  # all of them do not fit; the most that do lie in [low, high]
    while low <= high:
        middle = (low + high) // 2
        page.evaluate(f"briefFit({middle})")
        attempt = _pdf(page)
        if len(PdfReader(io.BytesIO(attempt)).pages) <= max_pages:
            best, low = attempt, middle + 1
        else:
            high = middle - 1
    return best if best is not None else attempt  # none fitting: the last attempt kept none of them


def settle(raw: bytes, title: str, marking: str, epoch: int) -> bytes:
    """The same PDF with its dates from the build epoch and an id from its content: reproducible bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    _stable_ids(writer)
    stamp = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.add_metadata({"/Title": " ".join(title.split()), "/Subject": marking,
                         "/Creator": "intelbrief", "/CreationDate": stamp, "/ModDate": stamp})
    for key in ("/Producer",):
        if key in writer._info.get_object():
            writer._info.get_object()[NameObject(key)] = TextStringObject("intelbrief (Chromium)")
    writer._ID = ArrayObject([ByteStringObject(b"\0" * 16)] * 2)
    out = io.BytesIO()
    writer.write(out)
    digest = hashlib.md5(out.getvalue()).digest()  # an id from the settled content, which no longer varies
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stable_ids(writer) -> None:
    """Chromium names tagged elements after DOM node ids that vary from run to run: renumber them in element order.

    The ids are keys of the structure tree's /IDTree and are named by table cells' /Headers; all three are rewritten.
    """
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    tree = writer._root_object.get("/StructTreeRoot")
    tree = tree.get_object() if tree is not None else None
    if tree is None or "/IDTree" not in tree:
        return
    pairs = list(_name_tree(tree["/IDTree"].get_object()))
    pairs.sort(key=lambda pair: pair[1].idnum)
    new = {str(name): f"node{i:08d}" for i, (name, _) in enumerate(pairs, start=1)}
    for name, ref in pairs:
        ref.get_object()[NameObject("/ID")] = TextStringObject(new[str(name)])
    for element in _elements(tree):
        for attributes in _attribute_dicts(element):
            if "/Headers" in attributes:
                attributes[NameObject("/Headers")] = ArrayObject(
                    TextStringObject(new.get(str(h), str(h))) for h in attributes["/Headers"])
    ordered = iter(sorted(pairs, key=lambda pair: new[str(pair[0])]))
    for leaf in _leaves(tree["/IDTree"].get_object()):  # each leaf keeps its size, now holding the renamed keys in order
        taken = [next(ordered) for _ in range(len(leaf["/Names"]) // 2)]
        leaf[NameObject("/Names")] = ArrayObject(x for name, ref in taken for x in (TextStringObject(new[str(name)]), ref))
        if "/Limits" in leaf and taken:
            leaf[NameObject("/Limits")] = ArrayObject([TextStringObject(new[str(taken[0][0])]),
                                                       TextStringObject(new[str(taken[-1][0])])])


def _leaves(node):
    """The leaves of a PDF name tree, in order."""
    if "/Names" in node:
        yield node
    for kid in node.get("/Kids") or []:
        yield from _leaves(kid.get_object())


def _name_tree(node):
    """(key, value) pairs of a PDF name tree, in order."""
    for leaf in _leaves(node):
        names = leaf["/Names"]
        yield from zip(names[0::2], names[1::2])


def _elements(node):
    """Every structure element under node, depth first."""
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else None
    for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid)


def _attribute_dicts(element):
    attributes = element.get("/A")
    attributes = attributes.get_object() if attributes is not None else None
    for item in (attributes if isinstance(attributes, list) else [attributes] if attributes is not None else []):
        item = item.get_object()
        if hasattr(item, "get"):
            yield item
