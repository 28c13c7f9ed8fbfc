"""The served site's search: a static index split into fragments (Pagefind), of which a query loads only the few it needs.

Over HTTP the search box asks this index (assets/brief/search-on-demand.js loads Pagefind's script when the reader
opens search); from file:// the theme's own search answers, from its script copy of the whole index
(search/search_index.js). The theme's JSON copy is then needed by no reader of the published site: it is taken out
of the site and kept in the work folder, where the next build that starts from this one merges its entries (see
engine.build). The preview keeps the theme's search over HTTP too: indexing the whole site again on every save
would cost more than the preview's whole update may.

Only the pages the theme's search indexes are indexed (never a capture, a file of content/ that is HTML or the 404
page), and only what the theme indexes of them: the article, without the navigation, the header, the footer or any
part marked data-search-exclude. The index is built from the finished site in the stage, so a release's index holds
what the release shows.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from generator import disk
from generator.errors import BuildError

FOLDER = "pagefind"  # in the site: Pagefind's script, its WebAssembly and the index fragments
ENTRY = "pagefind-entry.json"  # in FOLDER: what Pagefind's script reads first
PAGES = ".pagefind-pages"  # in the stage while the index is built: links to the pages it indexes
ROOT = "article.md-content__inner"  # the theme's main content
IGNORED = ("[data-search-exclude]", ".headerlink", ".md-content__button", ".md-source-file", "script", "style")
LANGUAGE = "en"
# What a reader's browser loads of Pagefind's bundle; its ready-made interfaces (we show results in the theme's
# own list) are left out.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
          "wasm.unknown.pagefind")  # the WebAssembly for pages of no language: every page is English
SWITCH = "assets/brief/search-on-demand.js"  # the search script, told by the build that the fragment index is there
OFF = "var FRAGMENTS = false;"  # as intelbrief ships it; the build names the index instead (see switch_on)
SWITCHED = re.compile(r'var FRAGMENTS = (?:false|"[A-Za-z0-9_]+");')
THEME_INDEX = "search/search_index.json"  # the theme's copy fetched over HTTP, which the published site no longer needs
KEPT_INDEX = "search-index.json"  # in the work folder: the theme's index of the published site, for the next build


def publish(site: Path, last: bytes | None = None) -> bytes | None:
    """Index a finished site into site/pagefind, switch the search box over to it when served, and take the theme's
    JSON index out of the site; returns that index's bytes (None when the site has none: nothing is indexed then).

    last is the theme's index of the site this one started from, whose fragment index the site holds: when the theme
    finds the same text on the same pages now, so would Pagefind, and that fragment index is kept as it is (an edit
    to what search leaves out, such as a flight's details, costs no indexing).

    The pages indexed are those the theme's index lists (a page that leaves itself out of search, with its front
    matter's search: exclude, is left out of both), and within them what the theme indexes: the article, without the
    parts marked data-search-exclude. Same site, same bytes.
    """
    path = site / THEME_INDEX
    if not path.is_file():
        return None
    kept = path.read_bytes()
    if kept != last or not (site / FOLDER / ENTRY).is_file():
        write(site, indexed_pages(json.loads(kept)))
    path.unlink()
    return kept


def indexed_pages(theme_index: dict) -> list[str]:
    """The pages the theme's index holds entries of, in its order."""
    return list(dict.fromkeys(doc["location"].split("#")[0] or "index.html" for doc in theme_index.get("docs", [])))


def write(site: Path, pages: list[str]) -> None:
    """Index these pages of a finished site (paths relative to it) into site/pagefind, and switch the search box over
    to it when served."""
    target, chosen = site / FOLDER, site / PAGES
    for folder in (target, chosen):
        if folder.exists():
            shutil.rmtree(folder)  # a build that started from the last site: this one's index only
    try:
        for page in [p for p in pages if (site / p).is_file() and not (site / p).is_symlink()]:  # linked, not copied
            (chosen / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, chosen / page)
        _run_indexer(chosen, target)
    finally:
        shutil.rmtree(chosen, ignore_errors=True)
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
    switch_on(site)


def switch_on(site: Path) -> None:
    """Tell the site's search script that the fragment index is there, by the name of its metadata (which changes
    with every change to the index): the script then asks for the index's entry and metadata beside Pagefind's own
    script, not after it, and the browser's cache cannot hand it an older index's."""
    tag = json.loads((site / FOLDER / ENTRY).read_text(encoding="utf-8"))["languages"][LANGUAGE]["hash"]
    switch = site / SWITCH
    text = switch.read_text(encoding="utf-8")
    if not SWITCHED.search(text):
        raise BuildError(f"{SWITCH}: expected the line {OFF!r} that the build switches on")
    switch.write_text(SWITCHED.sub(f'var FRAGMENTS = "{tag}";', text, count=1), encoding="utf-8")


def switched_off(text: str) -> str:
    """The search script as intelbrief ships it, from a published site's copy."""
    return SWITCHED.sub(OFF, text, count=1)


def _run_indexer(pages: Path, target: Path) -> None:
    """Pagefind's own program over the folder of pages, writing its bundle to target."""
    try:
        from pagefind_bin import get_executable

        program = get_executable()
    except (ImportError, OSError):
        raise BuildError("the search index could not be built: Pagefind's program is missing (it comes with the "
                         "package pagefind[bin], which intelbrief depends on: install intelbrief again)") from None
    command = [str(program), "--site", str(pages), "--output-path", str(target), "--root-selector", ROOT,
               "--exclude-selectors", ", ".join(IGNORED), "--force-language", LANGUAGE, "--keep-index-url", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode != 0 or not (target / ENTRY).is_file():
        said = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BuildError("the search index could not be built (Pagefind exited with "
                         f"{done.returncode}):\n" + "\n".join(f"  {line}" for line in said))


def keep_theme_index(root: Path, work: Path, index: bytes | None) -> None:
    """Once the site is in place: the theme's index of it, in the work folder for the next build."""
    if index is None:
        (work / KEPT_INDEX).unlink(missing_ok=True)
    else:
        disk.keep(root, work / KEPT_INDEX, index)


def theme_index_kept(work: Path, site: Path) -> bool:
    """Whether the theme's index of the published site is at hand (in the work folder, or in a site published before
    the index was taken out of it): a build may start from that site only then."""
    return (work / KEPT_INDEX).is_file() or (site / THEME_INDEX).is_file()


def put_back_theme_index(work: Path, stage: Path) -> bytes:
    """In a build that starts from a copy of the published site: the theme's index of that site back where the site
    engine merges the rebuilt pages' entries into it; returns it."""
    if (stage / THEME_INDEX).is_file():
        return (stage / THEME_INDEX).read_bytes()
    kept = (work / KEPT_INDEX).read_bytes()
    (stage / THEME_INDEX).parent.mkdir(parents=True, exist_ok=True)
    (stage / THEME_INDEX).write_bytes(kept)
    return kept
