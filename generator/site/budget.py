"""The most one generated page may weigh, and which fact to blame when a page weighs more.

Every text field has a length limit, but a long text repeated on a page by many facts that cite it
could still swell that page; the budget stops the build at the first such page instead of writing
gigabytes, naming the page and the fact whose text fills it most.
"""
from __future__ import annotations

import re
from collections import Counter

from generator.errors import BuildError
from generator.facts.models import KINDS

PAGE_BYTES = 4 * 1024 * 1024  # the largest page of a 10,000-flight brief is about 700 KB
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check(path: str, page: bytes, data) -> None:
    """Stop the build when one generated page is over PAGE_BYTES."""
    if len(page) <= PAGE_BYTES:
        return
    raise BuildError(f"{path}: the generated page is {len(page):,} bytes, expected at most {PAGE_BYTES:,} bytes "
                     f"per page; {blame(page.decode('utf-8', 'replace'), data)}")


def blame(text: str, data) -> str:
    """The fact whose text, times the number of times the page names it, makes up most of the page."""
    named: Counter = Counter()
    for token in _ID.findall(text):  # an id also stands inside anchors and paths: base-hmeimim-air-base
        parts = token.split("-")
        named.update("-".join(parts[n:]) for n in range(len(parts)))
    best, weight = None, 0
    for kind in KINDS:
        for fact_id, fact in data.of_kind(kind).items():
            if fact_id in named:
                size = len(fact.model_dump_json(exclude_none=True)) * named[fact_id]
                if size > weight:
                    best, weight = (kind, fact_id), size
    if best is None:
        return "no single fact stands out, expected fewer or shorter facts on one page"
    document = data.documents.get(best)
    where = f" ({document.path})" if document else ""
    times = "once" if named[best[1]] == 1 else f"{named[best[1]]:,} times"
    return (f"most of it comes from {best[0]}/{best[1]}{where}, named {times}: "
            "expected shorter text in it, or fewer facts citing it")
