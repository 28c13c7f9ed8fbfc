"""What the search index holds, part by part: its entries, bytes and words grouped by the kind of page and section.

Run alone with `python benchmarks/searchindex.py [SITE …]` (default: the S, M and L sites `make bench` built).
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

FACT_ANCHOR = re.compile(r"^(assessment|source|event|base|flight|detail)-")


SCRIPT = "search/search_index.js"  # the theme's index as a published site holds it: `var __index = {…}` (file://)


def index_of(site: Path) -> list[dict]:
    """The entries of a built site's theme search index."""
    text = (site / SCRIPT).read_text(encoding="utf-8")
    return json.loads(text[text.index("{"):])["docs"]


def part_of(location: str) -> str:
    """The kind of page and section an entry belongs to: numbers, months and fact ids folded away."""
    page, _, anchor = location.partition("#")
    page = re.sub(r"\d{4}-\d{2}", "MONTH", page)
    page = re.sub(r"-part-\d+|-\d+(?=\.html)", "", page)
    page = "bases/BASE.html" if page.startswith("bases/") and page != "bases/index.html" else page
    if FACT_ANCHOR.match(anchor) and page != "sourcing.html":  # its sections are named source-graph and so on
        anchor = f"each {FACT_ANCHOR.match(anchor).group(1)}"
    return f"{page}#{anchor}" if anchor else page


def account(entries: list[dict]) -> list[tuple[str, int, int, int]]:
    """(part, entries, bytes, words) for each part of the index, largest first; bytes as written in the JSON."""
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in entries:
        counts = parts[part_of(entry["location"])]
        counts[0] += 1
        counts[1] += len(json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        counts[2] += len(re.sub(r"<[^>]+>", " ", f"{entry['title']} {entry['text']}").split())
    return sorted(((part, *counts) for part, counts in parts.items()), key=lambda row: (-row[2], row[0]))


def table(site: Path, top: int = 12) -> list[str]:
    """The accounting of one site as Markdown lines: the largest parts, then the rest summed."""
    rows = account(index_of(site))
    size = (site / SCRIPT).stat().st_size
    lines = [f"{site}: {size / 1024:,.0f} KB, {sum(r[1] for r in rows):,} entries, {sum(r[3] for r in rows):,} words",
             "", "| part | entries | KB | words |", "|---|---|---|---|"]
    lines += [f"| {part} | {n:,} | {b / 1024:,.1f} | {w:,} |" for part, n, b, w in rows[:top]]
    if rows[top:]:
        rest = rows[top:]
        lines.append(f"| {len(rest)} other parts | {sum(r[1] for r in rest):,} | {sum(r[2] for r in rest) / 1024:,.1f} | "
                     f"{sum(r[3] for r in rest):,} |")
    return lines + [""]


if __name__ == "__main__":
    work = Path(__file__).resolve().parent / "work"
    sites = [Path(a) for a in sys.argv[1:]] or [work / s / "site" for s in ("S", "M", "L") if (work / s / "site").is_dir()]
    print("\n".join(line for site in sites for line in table(site)))
