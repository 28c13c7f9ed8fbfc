"""Only the writer touches the disk: it rewrites what changed and never replaces hand-written pages."""
import os

import pytest

from generator import build

from generator.tools import serve

from generator.site import writer
from generator.errors import BuildError
from tests.trees import flight


def test_sync_rewrites_only_changed_files_and_removes_stale_ones(tmp_path):
    writer.sync({"a.md": b"one", "b/c.md": b"two"}, tmp_path)
    os.utime(tmp_path / "a.md", (1, 1))
    changed = writer.sync({"a.md": b"one", "b/d.md": b"three"}, tmp_path)
    assert changed == ["b/d.md", "b/c.md"]
    assert os.stat(tmp_path / "a.md").st_mtime == 1
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == ["a.md", "b/d.md"]


def test_editing_one_flight_regenerates_only_the_pages_that_show_it(brief):
    project = brief({"data/flights/f1.yml": flight("f1"),
                     "data/flights/f2.yml": flight("f2").replace("2024-12-14", "2025-01-03")})
    preview = serve.Preview(project)
    preview.regenerate()
    (project.data / "flights" / "f2.yml").write_text(flight("f2").replace("2024-12-14", "2025-01-03")
                                                     .replace("tracked", "reported"))
    changed = preview.regenerate().files
    assert "flights/2025-01.md" in changed and "flights/2024-12.md" not in changed
    assert "bases/index.md" not in changed and "assets/brief/plotly.min.js" not in changed


@pytest.mark.parametrize("beside", [False, True])  # True: the Sources page is written by a copy of the process
def test_a_generated_page_never_replaces_a_hand_written_one(brief, monkeypatch, beside):
    monkeypatch.setattr(build, "_alongside", lambda run: beside)
    project = brief({"content/sources.md": "# My own sources page\n"})
    with pytest.raises(BuildError) as err:
        build.build(project)
    assert str(err.value).startswith("content/sources.md: a generated page has this name")
    assert not project.site.exists()
