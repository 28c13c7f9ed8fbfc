"""The site engine's edge: MkDocs builds the generated Markdown into HTML.

Everything the engine needs is in one configuration file that generation writes
(`.brief/mkdocs.yml`, inheriting the project's mkdocs.yml), so the plain `mkdocs build -f
.brief/mkdocs.yml` builds the same site; this module is the only one that imports mkdocs.
"""
from __future__ import annotations

import gc
import hashlib
import html
import json
import logging
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

from generator.errors import BuildError
from generator.site import writer
from generator.site import htmlevents

DOCS_DIR = "docs"  # the generated Markdown, beside the generated configuration
HOOKS_DIR = "hooks"  # the engine hooks intelbrief ships (generator/assets/hooks), beside it too
HOOKS = ("verbatim.py",)
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "intelbrief", "pagefind-bin")


def config_file(project_config: str, *, site_name: str, extra: dict, site_dir: str = "../site") -> bytes:
    """The complete engine configuration: the project's settings plus every generated value.

    Paths are relative to the generated file's folder, as MkDocs reads them.
    """
    values = {"INHERIT": project_config, "site_name": html.escape(" ".join(site_name.split()), quote=True),
              "docs_dir": DOCS_DIR, "site_dir": site_dir, "theme": {"custom_dir": "overrides"},
              "hooks": [f"{HOOKS_DIR}/{name}" for name in HOOKS], "extra": extra}
    head = "# Written by brief build from the project's mkdocs.yml and data/brief.yml; edits here are replaced.\n"
    return head.encode() + yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=1000).encode()


def settings_digest(config_path: Path) -> str:
    """A digest of all a page's HTML depends on beyond its Markdown: the generated configuration, the project
    settings it inherits, the theme overrides, the engine hooks and the versions of the engine's packages."""
    folder = config_path.parent
    found = [config_path, *sorted(folder.parent.glob("*.yml"))]
    found += sorted(p for name in ("overrides", HOOKS_DIR) for p in (folder / name).rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in found:
        if path.is_file():
            digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ENGINE_PACKAGES:
        digest.update(f"{package}={_version(package)}\0".encode())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


CHILD_FROM = 200  # pages: from this many, the engine runs in a process of its own (below, starting it costs more)
FEW_CHANGED = 200  # docs files changed: a build reusing the last site renders so few pages that it runs here


def build(config_path: Path, site_dir: Path, *, strict: bool = True, epoch: int = 0, reuse: bool = False,
          here: bool = False, pages=None, watch=None) -> Built:
    """Build the site the generated configuration describes into site_dir; warnings fail a strict build.

    With reuse, site_dir already holds the last whole build of the same settings and the same set of files: only
    pages whose Markdown is newer than their HTML are rendered (MkDocs' dirty build), and the search index is put
    back together as a whole build writes it. pages(total, converted, written), when given, is told after each
    page's Markdown is converted and after each page is written.

    From CHILD_FROM pages the engine runs in a fresh process of its own, so that its memory (the navigation, every
    page's search entries) does not come on top of the facts the calling build holds; where no process can be
    started, or when here says that only a few pages changed since the build reused (starting a process, its
    imports and its configuration then cost more than the pages), it runs here. While it runs in its own process, this one, otherwise waiting, does what watch asks:
    watch.start() once the engine has started, then watch.page(path) with each page's site-relative path as soon as
    the page is written (the HTML check reads them then).
    """
    options = {"strict": strict, "epoch": epoch, "reuse": reuse}
    many = not here and sum(1 for _ in (config_path.parent / DOCS_DIR).rglob("*.md")) >= CHILD_FROM
    built = _in_child(config_path, site_dir, options, pages, watch) if many else None
    return built or _build(config_path, site_dir, pages=pages, **options)


QUEUED = 32  # messages from the engine's process read ahead of this one's work (each up to a page's HTML)


def _in_child(config_path: Path, site_dir: Path, options: dict, pages, watch=None) -> Built | None:
    """_build in a spawned process, its page counts passed on to pages and the pages it wrote to watch; None when
    the process could not start.

    In a whole build, the theme's search entries are made here too, from each page's HTML as the engine's process
    sends it (see _SearchElsewhere): this process would otherwise only wait. A thread reads the engine's messages as
    they come, so that the engine does not wait for this process's work, up to QUEUED messages ahead."""
    import multiprocessing
    import queue
    import threading

    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this one's memory
    here, there = context.Pipe(duplex=False)
    try:
        child = context.Process(target=_child, args=(there, config_path, site_dir, options, pages is not None,
                                                     watch is not None))
        child.start()
    except (OSError, NotImplementedError):
        return None
    there.close()
    messages: queue.Queue = queue.Queue(QUEUED)
    threading.Thread(target=_pump, args=(here, messages), daemon=True).start()
    started, index = False, None
    gc.freeze()  # what this process holds (the facts) stays: the collector need not go over it for each page read
    try:
        while True:
            said, *values = messages.get()
            if said == "ended":  # the process ended without a result: before starting (e.g. a calling script
                if not started:  # without a __main__ guard), so nothing was written and the build runs here; or it died
                    return None
                raise BuildError(f"{_name(config_path)}: the site engine stopped without finishing (exit code "
                                 f"{child.exitcode})") from None
            if said == "started":
                started = True
                if watch is not None:
                    watch.start()
            elif said == "pages" and pages is not None:
                pages(*values)
            elif said == "written":
                watch.page(values[0])
            elif said == "search":
                index = index or _search_index()
                index.add_entry_from_context(values[0])
            elif said == "built":
                if index is not None:
                    _put_entries(site_dir, index.entries)
                return values[0]
            elif said == "failed":
                raise BuildError(values[0])
            elif said == "crashed":
                raise RuntimeError(f"the site engine failed:\n{values[0]}")
    finally:
        gc.unfreeze()
        here.close()  # after a failure here, the engine's process stops at its next message
        while not messages.empty():  # and the thread reading them, blocked on a full queue, sees the end
            messages.get_nowait()
        child.join()


def _pump(conn, messages) -> None:
    """The engine process's messages into the queue as they come; ("ended",) after its last."""
    while True:
        try:
            message = conn.recv()
        except Exception:  # noqa: BLE001 - the process ended, or this end was closed after a failure here
            messages.put(("ended",))
            return
        messages.put(message)
        if message[0] in ("built", "failed", "crashed"):
            return


def _search_index():
    """The theme's search index, to which this process adds the entries of the pages the engine's process sends."""
    from material.plugins.search.plugin import SearchIndex

    _quick_search_reading()
    return SearchIndex()


def _put_entries(site_dir: Path, entries: list) -> None:
    """The theme's search index as the engine's process wrote it without entries, with these (and its script copy
    for pages opened from disk, when the theme wrote one): the bytes the theme writes when it makes them itself."""
    path = site_dir / SEARCH_INDEX
    text = path.read_text(encoding="utf-8")
    empty = ',"docs":[]}'
    if not text.endswith(empty):
        raise RuntimeError(f"{SEARCH_INDEX}: the theme wrote its search index in a form this build does not know")
    text = text[:-len(empty)] + ',"docs":' + json.dumps(entries, separators=(",", ":"), default=str) + "}"
    path.write_text(text, encoding="utf-8")
    script = path.with_suffix(".js")
    if script.is_file():
        script.write_text(f"var __index = {text}", encoding="utf-8")


def _child(conn, config_path: Path, site_dir: Path, options: dict, counted: bool, watched: bool = False) -> None:
    """The engine's process: build, tell the page counts and the pages written as they come, then the result or the
    failure."""
    import traceback

    conn.send(("started",))
    try:
        built = _build(config_path, site_dir, pages=(lambda *n: conn.send(("pages", *n))) if counted else None,
                       written=(lambda path: conn.send(("written", path))) if watched else None,
                       search=None if options["reuse"] else (lambda page: conn.send(("search", page))), **options)
    except BuildError as err:
        conn.send(("failed", str(err)))
    except Exception:  # noqa: BLE001 - passed on to the calling build, which reports it as it would its own
        conn.send(("crashed", traceback.format_exc()))
    else:
        conn.send(("built", built))
    finally:
        conn.close()


def _build(config_path: Path, site_dir: Path, *, strict: bool = True, epoch: int = 0, reuse: bool = False,
           pages=None, written=None, search=None) -> Built:
    """build, in this process; written(path), when given, is told each page's site-relative path once it is written,
    and search(page), when given, each page the theme's search would index (as a SearchPage), which it then does not:
    its index is written without entries."""
    config = _load(config_path, site_dir, False) if reuse else None  # its warning about dirty builds is not ours
    before = _read_index(site_dir) if reuse else None
    order, rebuilt = _pages(config) if reuse else ([], set())
    config, warnings = _run(config_path, site_dir, strict=strict and not reuse, epoch=epoch, dirty=reuse, config=config,
                            pages=pages, written=written, search=search)
    if before is not None:
        _write_index(site_dir, _merged(before, _read_index(site_dir), order, rebuilt))
    if strict and warnings:
        raise BuildError(f"{_name(config_path)}: the site build warned:\n" + "\n".join(f"  {m}" for m in warnings))
    kept = frozenset(url for url in order if url not in rebuilt)
    return Built(_scripts(config), _flatten(config["nav"] or []), len(rebuilt) if reuse else None, kept)


def page_scripts(config_path: Path) -> list[str]:
    """The site-relative scripts the engine's configuration adds to every page, as its build will report them."""
    return _scripts(_load(config_path, config_path.parent / "site", False))


def _scripts(config) -> list[str]:
    """The site-relative scripts the configuration adds to every page."""
    return [str(s) for s in config["extra_javascript"]] + [str(s) for s in config["extra"].get("polyfills", [])]


def site_file(url: str) -> str:
    """The file of the site a page's address names: a folder's (directory URLs, and the site's root) is its
    index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def _pages(config) -> tuple[list[str], set[str]]:
    """Every page's address in the engine's build order, and those whose Markdown is newer than their HTML."""
    from mkdocs.structure.files import get_files

    pages = get_files(config).documentation_pages()
    return [f.url for f in pages], {f.url for f in pages if f.is_modified()}


def _merged(before: dict, fresh: dict, order: list[str], rebuilt: set[str]) -> dict:
    """The search index of a whole build from the last one and a dirty build's: each page's entries, from the
    build that rendered it, in the engine's page order (as a whole build lists them)."""
    def by_page(index: dict) -> dict[str, list]:
        found: dict[str, list] = {}
        for entry in index["docs"]:
            found.setdefault(entry["location"].split("#")[0], []).append(entry)
        return found

    old, new = by_page(before), by_page(fresh)
    return {**fresh, "docs": [e for url in order for e in (new if url in rebuilt else old).get(url, [])]}


def _read_index(site_dir: Path) -> dict:
    return json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8"))


def _write_index(site_dir: Path, index: dict) -> None:
    """The index as the theme's search plugin writes it, and the script copy its offline plugin makes."""
    text = json.dumps(index, separators=(",", ":"), default=str)
    (site_dir / SEARCH_INDEX).write_text(text, encoding="utf-8")
    (site_dir / SEARCH_INDEX).with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")


def _run(config_path: Path, site_dir: Path, *, strict: bool, epoch: int = 0, dirty: bool = False, config=None,
         pages=None, written=None, search=None):
    """One MkDocs build (with a configuration loaded before, if given); returns it and the warnings logged."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = config or _load(config_path, site_dir, strict)
        config.plugins[_Release.NAME] = _Release()
        _quick_search_reading()
        if pages is not None:
            config.plugins[_PageCount.NAME] = _PageCount(pages, dirty)
        if written is not None:
            config.plugins[_Written.NAME] = _Written(written)
        if search is not None:
            config.plugins[_SearchElsewhere.NAME] = _SearchElsewhere(search)
        with _source_date(epoch):
            mkdocs_build(config, dirty=dirty)
    except MkDocsException as err:
        details = "\n".join(f"  {m}" for m in handler.messages) or f"  {err}"
        raise BuildError(f"{_name(config_path)}: the site build failed:\n{details}") from None
    finally:
        log.removeHandler(handler)
    return config, [m for m in handler.messages if not m.startswith(DIRTY_WARNING)]


def _quick_search_reading() -> None:
    """The theme's search plugin reads each page's HTML with html.parser to make its index, the engine's largest cost
    (about 40% of its time at 10,000 flights). Its reader is given htmlevents' reading, which calls its handlers
    exactly as html.parser's would, and, for the version of the theme whose reader this was written against, handlers
    that do what its own do without comparing every open element with every skipped one in Python at each call
    (QuickSections). The index is the same, byte for byte (tests/site/test_engine.py builds it both ways)."""
    from material.plugins.search import plugin as search

    if getattr(search.Parser, "quick", False):
        return
    known = _source_digest(search.Parser, search.Element, search.Section) == THEME_READER
    base = _quick_sections(search) if known else search.Parser

    class Quick(base):
        quick = True

        def feed(self, data):
            htmlevents.read(self, data)

    search.Parser = Quick


THEME_READER = "0df9901958225b09"  # the theme's search reader (mkdocs-material 9.8) that QuickSections mirrors


def _source_digest(*classes) -> str:
    import inspect

    return hashlib.sha256("".join(inspect.getsource(c) for c in classes).encode()).hexdigest()[:16]


def _quick_sections(search):
    """The theme's search reader with handlers that give the same sections (see _quick_search_reading).

    The theme's elements compare and hash by tag name, so its set of skipped elements is in effect a set of tag names,
    and "is any open element skipped / the section's heading / a pre" asks whether a tag name is open: kept here as
    counts of the open elements' tags, instead of comparing each open element in Python."""
    from html import escape

    headings = {f"h{x}" for x in range(1, 7)}
    void, Element, Section = search.void, search.Element, search.Section

    class QuickSections(search.Parser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.open: dict[str, int] = {}  # tag → how many elements of it are open
            self.skipped = {"object", "script", "style"}  # tags whose elements' text is left out

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag in void:
                return
            el = Element(tag, attrs)
            self.context.append(el)
            self.open[tag] = self.open.get(tag, 0) + 1
            if tag in headings:
                depth = len(self.context)
                if "id" in attrs:
                    if tag != "h1" and not self.data:
                        self.section = Section(Element("hx"), depth)
                        self.data.append(self.section)
                    self.section = Section(el, depth)
                    if self.data:
                        self.section.id = attrs["id"]
                    self.data.append(self.section)
            if not self.section:
                self.section = Section(Element("hx"))
                self.data.append(self.section)
            for key, value in attrs.items():
                if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                    self.skipped.add(tag)
                    return
            if tag in self.keep and self.skipped.isdisjoint(self.open):
                data = self.section.title if self.section.el.tag in self.open else self.section.text
                data.append(f"<{tag}>")

        def handle_endtag(self, tag):
            if not self.context or self.context[-1].tag != tag:
                return
            if self.section.depth > len(self.context):
                for section in reversed(self.data):
                    if section.depth <= len(self.context):
                        self.section.depth = float("inf")
                        self.section = section
                        break
            el = self.context.pop()
            if self.open[el.tag] == 1:
                del self.open[el.tag]
            else:
                self.open[el.tag] -= 1
            if el.tag in self.skipped:
                if el.tag not in ("script", "style", "object"):
                    self.skipped.remove(el.tag)
                return
            if tag in self.keep and self.skipped.isdisjoint(self.open):
                data = self.section.title if self.section.el.tag in self.open else self.section.text
                index = data.index(f"<{tag}>")
                for i in range(index + 1, len(data)):
                    if not data[i].isspace():
                        index = len(data)
                        break
                if len(data) > index:
                    del data[index:]
                else:
                    data.append(f"</{tag}>")

        def handle_data(self, data):
            if not self.skipped.isdisjoint(self.open):
                return
            if "pre" not in self.open:
                data = data.replace("\n", " ") if not data.isspace() else " "
            if not self.section:
                self.section = Section(Element("hx"))
                self.data.append(self.section)
            if self.section.el.tag in self.open:
                if not any(el.tag == "a" and el.attrs.get("class") == "headerlink" for el in self.context):
                    self.section.title.append(escape(data, quote=False))
            elif data.isspace():
                if not self.section.text or not self.section.text[-1].isspace() or "pre" in self.open:
                    self.section.text.append(data)
            else:
                self.section.text.append(escape(data, quote=False))

    return QuickSections


class _PageCount:
    """An engine plugin that counts the pages of one build as they are converted and written (no output changes)."""

    NAME = "intelbrief-page-count"

    def __init__(self, report, dirty: bool):
        self.report, self.dirty = report, dirty
        self.total = self.converted = self.written = 0

    def on_files(self, files, config):
        pages = files.documentation_pages()
        self.total = sum(1 for f in pages if f.is_modified()) if self.dirty else len(pages)
        return files

    def on_page_content(self, html, page, config, files):
        self.converted += 1
        self.report(self.total, self.converted, self.written)
        return html

    def on_post_page(self, output, page, config):
        self.written += 1
        self.report(self.total, self.converted, self.written)
        return output


class _Written:
    """An engine plugin that tells each page's site-relative path once the page is on disk (no output changes): the
    engine writes a page after its last event, so a page is told when the next one is done, the last at the end."""

    NAME = "intelbrief-pages-written"

    def __init__(self, tell):
        self.tell, self.last = tell, None

    def on_post_page(self, output, page, config):
        self._told()
        self.last = page.file.dest_uri
        return output

    def on_post_build(self, config):
        self._told()

    def _told(self):
        if self.last is not None:
            self.tell(self.last)
            self.last = None


@dataclass(frozen=True)
class SearchPage:
    """What the theme's search index reads of a page, to be read in another process."""

    url: str
    content: str
    toc: object
    meta: dict
    title: str | None


class _SearchElsewhere:
    """An engine plugin that hands each page the theme's search would index to tell(SearchPage) instead of indexing it
    (its search plugin then writes an index without entries; the pages are unchanged)."""

    NAME = "intelbrief-search-elsewhere"

    def __init__(self, tell):
        self.tell = tell

    def on_pre_build(self, config):  # after every plugin's on_config, where the theme makes its index
        index = getattr(config.plugins.get("material/search"), "search_index", None)
        if index is not None:
            index.add_entry_from_context = lambda page: self.tell(
                SearchPage(page.url, page.content, page.toc, page.meta, page.title))


class _Release:
    """An engine plugin that lets go of each page's Markdown, HTML and table of contents once the page is written
    (MkDocs would keep every page's until the build ends), so a build holds one page's text at a time. What later
    pages and the end of the build read of a page stays: its title (from its metadata or its rendered heading, which
    stay), address, anchors and search entries (taken when its context was made)."""

    NAME = "intelbrief-release-pages"

    def on_post_page(self, output, page, config):
        page.markdown, page.content, page.toc = "", "", []  # not None: the title stays read from what rendering found
        return output


def site_url(config_path: Path) -> str | None:
    """The site's published address as the engine reads its settings (INHERIT and !ENV included), or None."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils import yaml_load

    try:
        with open(config_path, "rb") as settings:
            value = yaml_load(settings).get("site_url")
    except (OSError, ConfigurationError, yaml.YAMLError):
        return None  # the engine reports a broken configuration itself
    return value if isinstance(value, str) and value else None


def published_path(config_path: Path) -> str:
    """The path the site is published under: '/airlift/' for a site_url of https://example.org/airlift, else '/'."""
    return site_root(site_url(config_path))


def site_root(address: str | None) -> str:
    path = urlsplit(address).path.strip("/") if address else ""
    return f"/{path}/" if path else "/"


def _load(config_path: Path, site_dir: Path, strict: bool):
    from mkdocs.config import load_config

    return load_config(config_file=str(config_path), site_dir=str(site_dir), strict=strict)


DIRTY_WARNING = "A 'dirty' build is being performed"


def reference_site(config_path: Path, folder: Path, depths: frozenset[int]) -> Path:
    """A site of blank pages at these folder depths, built with this configuration under a plain name.

    It shows what the theme writes by itself (its inline scripts, for one) for exactly these settings.
    """
    docs = folder / "docs"
    nav = []
    for depth in sorted(depths):
        rel = "/".join([*(f"level{n}" for n in range(depth)), "page.md"])
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"# Page at depth {depth}\n\nText.\n", encoding="utf-8")
        nav.append({f"Depth {depth}": rel})
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_path), docs_dir=str(docs), site_dir=str(folder / "site"),
                         site_name="Reference", nav=nav, strict=False)
    _run(config_path, folder / "site", strict=False, config=config)
    return folder / "site"


def _name(config_path: Path) -> str:
    return f"{config_path.parent.name}/{config_path.name}"


class Preview:
    """A site kept up to date in place: one whole build, then only the pages whose Markdown changed.

    MkDocs' dirty build renders just those pages; their search entries are merged into the index
    of the whole site, which a dirty build alone would shrink to the rebuilt pages. Every page a build
    writes goes through check(site, pages, scripts) first; when it raises, the pages as they were are put back.
    """

    def __init__(self, config_path: Path, site_dir: Path, check=None):
        self.config_path, self.site_dir = config_path, site_dir
        self.check = check or (lambda site, pages, scripts: None)
        self.config = None  # loaded once per whole build, with the theme's compiled templates kept
        self.whole = False  # a whole build of these settings has put a complete site in place, which rebuild starts from
        self.refused: set[str] = set()  # pages put back after a refused build: the next build must write them

    def _kept_config(self):
        if self.config is None:
            from mkdocs.exceptions import MkDocsException

            try:
                self.config = _load(self.config_path, self.site_dir, False)
            except MkDocsException as err:
                raise BuildError(f"{_name(self.config_path)}: the site settings failed: {err}") from None
            env = self.config.theme.get_env()
            self.config.theme.get_env = lambda: env  # each build would compile every theme template again
            names = env.loader.list_templates()  # and walk the theme's folders again (a changed override: a new
            env.loader.list_templates = lambda: names  # configuration, loaded whole)
        return self.config

    def rebuild_all(self) -> list[str]:
        """Build the whole site beside the served one, check it and swap it in; returns the warnings."""
        self.config, self.whole = None, False
        stage = writer.staging_dir(self.site_dir)
        try:
            config, warnings = _run(self.config_path, stage, strict=False)
            self.check(stage, sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*.html")), _scripts(config))
            writer.swap(stage, self.site_dir)
        finally:
            writer.discard(stage)
        self.whole, self.refused = True, set()
        return warnings

    def warm(self) -> None:
        """Load the configuration the dirty builds keep and compile the theme's page templates now, so that the
        first save after a whole build does not wait for them."""
        env = self._kept_config().theme.get_env()
        for name in env.loader.list_templates():
            if name.endswith((".html", ".xml")):
                try:
                    env.get_template(name)
                except jinja2.TemplateError:
                    pass  # a template the theme never renders by itself: the build that uses it says what is wrong

    def rebuild(self, changed: list[str], holding=lambda pages: nullcontext()) -> list[str]:
        """Rebuild the pages and copy the files written in the docs tree, drop removed pages; returns the warnings.

        holding(pages) is held from before the first of the pages it names (site paths) is written or removed until
        they are checked, or put back: the preview's server sends none of them meanwhile. A dirty build writes no
        other page; the files it copies as they are (the exports, images) are not pages."""
        docs = self.config_path.parent / DOCS_DIR
        config = self._kept_config()
        order, rebuilt = _pages(config)
        removed = {html_path(rel) if rel.endswith(".md") else rel for rel in changed if not (docs / rel).exists()}
        files = [*(site_file(url) for url in rebuilt), "404.html"]  # MkDocs writes 404.html each time
        with holding({*files, *removed}):
            for rel in removed:
                (self.site_dir / rel).unlink(missing_ok=True)
            before = _read_index(self.site_dir)
            kept, stamps = self._as_now(files), _stamps(self.site_dir)
            _, warnings = _run(self.config_path, self.site_dir, strict=False, dirty=True, config=config)
            written = _written(self.site_dir, stamps)
            try:
                self.check(self.site_dir, sorted(kept.keys() | written), _scripts(config))
            except BuildError:
                self._put_back(kept, written, before)
                raise
        self.refused = set()
        _write_index(self.site_dir, _merged(before, _read_index(self.site_dir), order, rebuilt))
        return warnings

    def _as_now(self, pages: list[str]) -> dict[str, bytes | None]:
        """The bytes of these pages of the served site (None for those it does not have)."""
        return {rel: (self.site_dir / rel).read_bytes() if (self.site_dir / rel).is_file() else None for rel in pages}

    def _put_back(self, kept: dict[str, bytes | None], written: set[str], index: dict) -> None:
        """Undo a refused dirty build: the pages and search index as they were, the pages dated so that the next
        build writes them again."""
        self.refused = written | kept.keys()
        for rel in sorted(self.refused):
            path, before = self.site_dir / rel, kept.get(rel)
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
                os.utime(path, (0, 0))
        _write_index(self.site_dir, index)


def _stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in site.rglob("*.html")}


def _written(site: Path, before: dict[str, tuple[int, int]]) -> set[str]:
    """The HTML files of site that are new or changed since these stamps."""
    return {rel for rel, stamp in _stamps(site).items() if before.get(rel) != stamp}


SEARCH_INDEX = "search/search_index.json"  # the theme's search index; its offline plugin copies it into a script


def html_path(markdown: str) -> str:
    """The built page of a Markdown file (the site does not use directory URLs)."""
    return markdown.removesuffix(".md") + ".html"


@contextmanager
def _source_date(epoch: int):
    """MkDocs reads the build time from SOURCE_DATE_EPOCH only: set it for this build and put back what was there."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass(frozen=True)
class Built:
    """What the rest of the pipeline needs to know about a finished site build."""

    scripts: list[str]  # site-relative scripts the configuration adds to every page
    nav: list[str]  # Markdown pages in navigation order
    rendered: int | None = None  # pages rendered when the last build was reused (None: a whole build)
    kept: frozenset[str] = frozenset()  # pages (site-relative HTML) kept as the last build wrote them


def _flatten(nav) -> list[str]:
    pages: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += _flatten(value) if isinstance(value, list) else [value] if value.endswith(".md") else []
    return pages
