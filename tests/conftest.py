"""Shared test helpers: small briefs built inline, and the example brief built once per run."""
from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
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


def commit_all(root: Path, epoch: str) -> None:
    """Make root a git repository with one commit at a fixed time, so pages state a real revision."""
    stamp = f"@{epoch} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    identity = ["-c", "user.name=intelbrief tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*identity, "commit", "-qm", "Example brief"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Project:
    """The shipped example brief, copied and built once for the whole run."""
    return build_example(tmp_path_factory.mktemp("example"))


def build_example(root: Path) -> Project:
    """Copy the example brief into root, commit it at a fixed time and build it."""
    from generator import build

    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    project = Project(root)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1734307200")
    commit_all(root, os.environ["SOURCE_DATE_EPOCH"])
    build.build(project)
    return project


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system Chromium; a missing browser fails in CI and skips elsewhere."""
    from generator.outputs.browser import find_chromium
    from generator.errors import BrowserMissing

    try:
        return find_chromium()
    except BrowserMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI: {missing}")
        pytest.skip(str(missing))
