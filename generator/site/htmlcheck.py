"""The last gate before a site is published: nothing in the HTML runs, loads or redirects unless the project put it there.

Fact text is escaped long before this point; this check makes sure that stays true whatever a
template, the theme, an engine setting or a future change does. It parses every HTML file of the
built site (404.html too) and refuses, structurally rather than by pattern:
- an event-handler attribute (on…) or a srcdoc attribute, on any element;
- a javascript:, data: or vbscript: address in any attribute;
- <iframe>, <frame>, <object>, <embed>, <base> and <meta http-equiv="refresh">;
- a script loaded from anywhere but the site's own theme and intelbrief files;
- an inline script that is not data (JSON) and whose text is not, byte for byte, one the theme
  writes for this very configuration: those are taken by hash from a reference build of blank pages.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from generator import disk
from generator.errors import BuildError
from generator.facts import parsecache
from generator.site import engine, htmlevents

BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "fencedframe"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # never run by a browser
SHOWN = 60  # characters of a refused value quoted in a message


def digest(text: str) -> str:
    """The hash an inline script is known by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Page(HTMLParser):
    """One page's refused constructs and its scripts, as (line, …). Fed by htmlevents.read, which calls its handlers
    as html.parser's own feed would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self.scripts: list[tuple[int, dict, str]] = []
        self._script: tuple[int, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        self.problems += [(line, what) for what in refused(tag, values)]
        if tag == "script":
            self._script, self._text = (line, values), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((*self._script, "".join(self._text)))
            self._script = None


def refused(tag: str, attrs: dict[str, str]) -> list[str]:
    """What is wrong with one element by itself."""
    problems = [f"<{tag}> is not allowed in the site"] if tag in FORBIDDEN_ELEMENTS else []
    if tag == "meta" and attrs.get("http-equiv", "").strip().lower() == "refresh":
        problems.append("<meta http-equiv=refresh> is not allowed in the site")
    for name, value in attrs.items():
        if name.startswith("on"):
            problems.append(f"<{tag}> has an event-handler attribute {name}")
        elif name == "srcdoc":
            problems.append(f"<{tag}> has a srcdoc attribute: {value[:SHOWN]!r}")
        elif _bad_scheme(value):
            problems.append(f"<{tag}> {name} uses a forbidden scheme: {value[:SHOWN]!r}")
    return problems


def _bad_scheme(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return squeezed.startswith(BAD_SCHEMES)


def check_page(html: str, page: str, allowed_sources: set[str], allowed_inline: frozenset[str],
               root: str = "/") -> list[str]:
    """Every refused construct in one page, as 'page:line: what'; root is the path the site is published under."""
    parser = _Page()
    htmlevents.read(parser, html, positions=True)
    problems = [f"{page}:{line}: {what}" for line, what in parser.problems]
    for line, attrs, body in parser.scripts:
        kind = attrs.get("type", "").strip().lower()
        if "src" in attrs:
            target = _resolve(page, attrs["src"], root)
            if target is None or target not in allowed_sources:
                problems.append(f"{page}:{line}: <script> loads {attrs['src']!r}, which is not one of the site's own scripts")
        elif kind in DATA_SCRIPT_TYPES:
            continue
        elif digest(body) not in allowed_inline:
            problems.append(f"{page}:{line}: inline <script> that the theme does not write: {body[:SHOWN]!r}")
    return problems


def _resolve(page: str, src: str, root: str = "/") -> str | None:
    """The site-relative path a relative script address points at; None for anything outside the site. An address
    from the host's root (as MkDocs writes in 404.html when site_url is set) is inside only under the site's root."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
        return None
    path = src.split("?")[0].split("#")[0]
    if path.startswith("/") and not path.startswith(root):
        return None
    joined = PurePosixPath(path[len(root):]) if path.startswith("/") else PurePosixPath(page).parent / path
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@cache
def theme_files() -> frozenset[str]:
    """Paths of the script files the theme ships, relative to the site root."""
    import material

    root = Path(material.__file__).parent / "templates"
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*.js"))


_THEME_SCRIPTS: dict[str, frozenset[str]] = {}  # by key: what the reference build found, in this process
KEPT_SCRIPTS = "theme-scripts.json"  # in the work folder beside the configuration: the last key's, signed
SCRIPTS_FORMAT = "intelbrief-theme-scripts/1"


def theme_scripts(config_path: Path, depths: frozenset[int]) -> frozenset[str]:
    """Hashes of the inline scripts the theme writes with this configuration on pages at these depths.

    They come from a reference build of blank pages with the installed theme, made once for each key (everything
    that build depends on). What it found is kept for the next build in the work folder, which anyone who can send
    the brief a change could write to: it is signed with the user's key (see facts/parsecache.py), and a record
    unsigned, altered, signed with another key or made under another key is ignored, the reference build made again.
    """
    key = f"{engine.settings_digest(config_path)} {sorted(depths)}"
    if key not in _THEME_SCRIPTS:
        work = config_path.parent
        signing = parsecache.signing_key(work.parent)  # None: nothing is kept, the reference build made each time
        found = _kept_scripts(work, signing, key) if signing else None
        if found is None:
            found = _theme_scripts(config_path, depths)
            if signing:
                body = json.dumps({"key": key, "scripts": sorted(found)}).encode()
                disk.keep(work.parent, work / KEPT_SCRIPTS, parsecache.signed(signing, SCRIPTS_FORMAT, body))
        _THEME_SCRIPTS[key] = found
    return _THEME_SCRIPTS[key]


def _kept_scripts(work: Path, signing: bytes, key: str) -> frozenset[str] | None:
    """What the record in the work folder holds for this key, when it is signed with this user's key."""
    try:
        with open(os.open(work / KEPT_SCRIPTS, os.O_RDONLY | os.O_NOFOLLOW), "rb") as kept:
            body = parsecache.opened(signing, SCRIPTS_FORMAT, kept.read())
        record = json.loads(body) if body is not None else None
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("scripts"), list):
        return None
    return frozenset(str(h) for h in record["scripts"])


def _theme_scripts(config_path: Path, depths: frozenset[int]) -> frozenset[str]:
    with tempfile.TemporaryDirectory(prefix="brief-reference-") as folder:
        site = engine.reference_site(config_path, Path(folder), depths)
        return frozenset(digest(body) for path in site.rglob("*.html")
                         for body in inline_scripts(path.read_text(encoding="utf-8")))


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in a page that a browser would run."""
    parser = _Page()
    htmlevents.read(parser, html)
    return [body for _, attrs, body in parser.scripts
            if "src" not in attrs and attrs.get("type", "").strip().lower() not in DATA_SCRIPT_TYPES]


class Watch:
    """The check of a site read while its engine writes it (see engine.build's watch): each page as soon as it is
    written, in this process, which would otherwise only wait for the engine's. What it was read against (the
    configuration's scripts, the theme's inline scripts at the folder depths the site will have) is worked out when
    the engine starts, from the configuration and the docs tree; check_site uses what it found only when the built
    site turns out to be as foreseen."""

    def __init__(self, site: Path, config_path: Path):
        self.site, self.config_path = site, config_path
        self.found: dict[str, list[str]] = {}
        self.against: tuple | None = None  # (the configuration's scripts, depths, allowed, inline, root)

    def start(self) -> None:
        docs = self.config_path.parent / engine.DOCS_DIR
        depths = {len(p.relative_to(docs).parts) - 1 for p in docs.rglob("*") if p.suffix in (".md", ".html")}
        depths |= {len(p.relative_to(self.site).parts) - 1 for p in self.site.rglob("*.html")}  # a reused site's
        scripts = engine.page_scripts(self.config_path)
        depths = frozenset(depths | {0})  # the engine's 404 page
        allowed = set(theme_files()) | {s.lstrip("./") for s in scripts}
        inline = theme_scripts(self.config_path, depths)
        self.against = (scripts, depths, allowed, inline, engine.published_path(self.config_path))

    def page(self, page: str) -> None:
        if self.against is not None:
            self.found.update(_check_files(self.site, [page], *self.against[2:]))

    def usable(self, extra_scripts: list[str]) -> dict[str, list[str]]:
        """What was found, if the site was read against what the whole check reads it against; else nothing."""
        depths = frozenset(len(p.relative_to(self.site).parts) - 1 for p in self.site.rglob("*.html"))
        fits = self.against is not None and self.against[:2] == (list(extra_scripts), depths)
        return self.found if fits else {}


def check_site(site: Path, extra_scripts: list[str], config_path: Path, kept: frozenset[str] = frozenset(),
               watch: Watch | None = None) -> None:
    """Raise BuildError listing every refused construct in the built site; nothing is published then.

    Pages in kept are byte for byte those of the last build, which passed this check, and are not read again; pages
    the watch read as the engine wrote them are not read again either.
    """
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    read = watch.usable(extra_scripts) if watch else {}
    found = {**read, **_found(site, [page for page in pages if page not in kept and page not in read], extra_scripts,
                              config_path)}
    problems = [problem for page in pages for problem in found.get(page, [])]
    if problems:
        raise BuildError(f"the built site failed the safety check; nothing was published:\n{listed(problems)}")


def check_pages(site: Path, pages: list[str], extra_scripts: list[str], config_path: Path) -> list[str]:
    """Every refused construct in these pages of a built site (paths relative to it; missing ones are skipped)."""
    found = _found(site, pages, extra_scripts, config_path)
    return [problem for page in pages for problem in found.get(page, [])]


def _found(site: Path, pages: list[str], extra_scripts: list[str], config_path: Path) -> dict[str, list[str]]:
    """page → its problems, for these pages of a built site that exist."""
    if not pages:
        return {}
    allowed = set(theme_files()) | {s.lstrip("./") for s in extra_scripts}
    depths = frozenset(len(p.relative_to(site).parts) - 1 for p in site.rglob("*.html"))  # the whole site's: one reference
    inline = theme_scripts(config_path, depths)
    root = engine.published_path(config_path)
    found = _in_parallel(site, pages, allowed, inline, root) if len(pages) >= PARALLEL_FROM else None
    return found or _check_files(site, pages, allowed, inline, root)


PARALLEL_FROM = 200  # pages: below this, starting worker processes costs more than it saves


def _check_files(site: Path, pages: list[str], allowed: set[str], inline: frozenset[str], root: str) -> dict:
    """page → its problems, for the pages that exist."""
    return {page: check_page((site / page).read_text(encoding="utf-8", errors="replace"), page, allowed, inline, root)
            for page in pages if (site / page).is_file()}


def _in_parallel(site: Path, pages: list[str], allowed: set[str], inline: frozenset[str], root: str) -> dict | None:
    """The same check spread over the machine's cores (reading is Python: with html.parser, 4.9 s on one core for a
    brief of 10,000 flights, 2.3 s on two); None when worker processes cannot be started here. A whole build reads
    its pages as the engine writes them instead (Watch), and comes here only for what is left."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(os.cpu_count() or 1, 4)
    if workers < 2:
        return None
    shares = [pages[i::workers] for i in range(workers)]  # interleaved, so large and small pages spread evenly
    try:  # spawn: a fresh interpreter, safe beside the preview server's threads
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_check_files, *zip(*[(site, share, allowed, inline, root) for share in shares])))
    except (OSError, NotImplementedError, BrokenProcessPool):  # e.g. a calling script without a __main__ guard
        return None
    return {page: problems for part in parts for page, problems in part.items()}


def listed(problems: list[str]) -> str:
    """The first problems, one an indented line, and how many more there are."""
    shown = "\n".join(f"  {p}" for p in problems[:20])
    return shown + (f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else "")
