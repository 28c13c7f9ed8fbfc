"""RESULTS.md holds one section per benchmark; each benchmark replaces its own section and leaves the rest."""
from pathlib import Path


def put_section(results: Path, heading: str, new: str) -> str:
    """Put a section into RESULTS.md in place of its previous one (found by its heading), leaving the rest as it is."""
    text = results.read_text(encoding="utf-8") if results.is_file() else ""
    start = text.find(heading)
    if start >= 0:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + (text[end + 1:] if end >= 0 else "")
    results.write_text(text.rstrip("\n") + "\n\n" + new, encoding="utf-8")
    return new
