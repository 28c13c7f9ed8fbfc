"""Golden page text of the example brief: what a reader sees on every page, kept as reviewed text files.

Regenerate after an intended change with `make golden` and review the diff like any other change.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

HERE = Path(__file__).parent / "golden" / "example"


def page_text(html: str) -> str:
    """The article of a built page as lines of visible text (scripts and chart data left out)."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.body
    for hidden in article.find_all(["script", "style", "aside"]):  # aside: the data revision, which moves with git
        hidden.decompose()
    return "".join(" ".join(text.split()) + "\n" for text in article.stripped_strings)


def site_texts(site: Path) -> dict[str, str]:
    """Golden file name → page text, for every page of a built site."""
    return {re.sub(r"[/]", "__", p.relative_to(site).as_posix()).removesuffix(".html") + ".txt":
            page_text(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def main() -> None:
    """Build the example brief and write its page texts as the new golden files."""
    import tempfile

    from tests.conftest import build_example

    with tempfile.TemporaryDirectory() as folder:
        project = build_example(Path(folder))
        texts = site_texts(project.site)
    for old in HERE.glob("*.txt"):
        old.unlink()
    HERE.mkdir(exist_ok=True)
    for name, text in texts.items():
        (HERE / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(texts)} golden page texts into {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
