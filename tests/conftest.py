"""Shared test helpers: small briefs built inline, and the example brief built once per run."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from pathlib import Path

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
BRIEF_PARTS = ("mkdocs.yml", "templates", "content")
MINIMAL = {
    "data/brief.yml": """
        title: Test brief
        edition: 2024-12-16
        tlp: TLP:CLEAR
    """,
    "data/sources/report.yml": """
        id: report
        title: A news report
        publisher: unknown
        published: 2024-12-15
        kind: news
        reliability: B
    """,
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root, dedenting each text."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def new_brief(root: Path, files: dict[str, str], *, base: dict | None = None) -> Project:
    """A brief folder with the project's templates and site settings and the given data files."""
    root.mkdir(parents=True, exist_ok=True)
    for part in BRIEF_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    write_tree(root, {**(MINIMAL if base is None else base), **files})
    return Project(root)


@pytest.fixture
def brief(tmp_path):
    """Factory: brief({path: yaml}) → Project in a fresh folder."""
    return lambda files, base=None: new_brief(tmp_path / "brief", files, base=base)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Project:
    """The shipped example brief, copied and built once for the whole run."""
    from generator import build

    root = tmp_path_factory.mktemp("example")
    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    project = Project(root)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1734307200")
    build.build(project)
    return project


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system Chromium; a missing browser fails in CI and skips elsewhere."""
    path = os.environ.get("BRIEF_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(example):
    handler = functools.partial(_Quiet, directory=str(example.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def chrome(chromium):
    from generator import browser

    with browser.chromium() as instance:
        yield instance


