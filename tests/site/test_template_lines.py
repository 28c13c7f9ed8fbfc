"""No template line is over 160 characters: page templates, hand-written content, and the generator's own Jinja assets."""
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIMIT = 160
TEMPLATES = sorted(
    [*(p for folder in ("templates", "content") for p in (REPO / folder).rglob("*") if p.is_file()),
     *(REPO / "generator" / "assets").rglob("*.j2"),
     *(REPO / "generator" / "assets" / "overrides").glob("*.html")])  # the site theme's overrides are Jinja too


def long_lines(path: Path, root: Path = REPO) -> list[str]:
    """'file:line has N characters, expected at most 160' for each line of path over the limit."""
    rel = path.relative_to(root).as_posix()
    return [f"{rel}:{number} has {len(line)} characters, expected at most {LIMIT}"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if len(line) > LIMIT]


def test_the_table_holds_every_kind_of_template():
    names = {p.relative_to(REPO).as_posix() for p in TEMPLATES}
    assert {"templates/macros.md.j2", "content/narrative.md", "generator/assets/pdf/edition.html.j2",
            "generator/assets/overrides/main.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_template_line_is_over_160_characters(path):
    assert long_lines(path) == []


def test_a_long_line_is_named_with_file_line_and_length(tmp_path):
    page = tmp_path / "templates" / "page.md.j2"
    page.parent.mkdir()
    page.write_text("short\n" + "é" * 161 + "\n" + "x" * 160 + "\n", encoding="utf-8")
    assert long_lines(page, tmp_path) == ["templates/page.md.j2:2 has 161 characters, expected at most 160"]
