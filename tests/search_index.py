"""The search indexes of a built site, read as a reader's browser gets them: the theme's (from the script copy that
file:// loads; the published site holds no JSON copy) and the fragment index served over HTTP (Pagefind's files are
gzip-compressed: a byte search of the folder finds nothing)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

SCRIPT_HEAD = "var __index = "


def theme_index(site: Path) -> dict:
    """The theme's index from search/search_index.js."""
    text = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert text.startswith(SCRIPT_HEAD)
    return json.loads(text[len(SCRIPT_HEAD):])


def unpacked(raw: bytes) -> bytes:
    """A file's bytes, decompressed when they are gzip (as every Pagefind index, fragment and metadata file is)."""
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def fragment_pages(site: Path) -> list[dict]:
    """Every page of the fragment index as Pagefind stores it: its url, content (the indexed text) and meta."""
    pages = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = unpacked(path.read_bytes()).decode("utf-8")
        pages.append(json.loads(raw[raw.index("{"):]))
    return pages
