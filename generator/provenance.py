"""Which intelbrief made something: its version, and the git commit it was built from when that is known.

An installed wheel carries the commit in commit.txt (written when the wheel is built); a checkout, installed
editable, asks git. A commit with uncommitted changes to the package says so ("+changes").
"""
from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from generator import __version__

PACKAGE = Path(__file__).resolve().parent
COMMIT_FILE = PACKAGE / "commit.txt"
SHORT = 12  # characters of a commit shown


@functools.cache
def full_commit() -> str:
    """The full commit intelbrief was built from, "+changes" appended when modified; "" when unknown."""
    if COMMIT_FILE.is_file():
        return COMMIT_FILE.read_text(encoding="utf-8").strip()
    return _checkout_commit(PACKAGE.parent)


def commit() -> str | None:
    """The commit intelbrief was built from (short form, "+changes" when modified), or None when unknown."""
    sha, plus, rest = full_commit().partition("+")
    return sha[:SHORT] + plus + rest if sha else None


def _checkout_commit(root: Path) -> str:
    if not (root / ".git").exists():
        return ""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    sha = git("rev-parse", "HEAD")
    dirty = sha and git("status", "--porcelain", "--untracked-files=no", "--", "generator", "templates")
    return sha + ("+changes" if dirty else "")


def describe() -> str:
    """intelbrief's name, version and commit, as a build names what made it: "intelbrief 0.2.0 (commit 1a2b…)"."""
    found = commit()
    return f"intelbrief {__version__}" + (f" (commit {found})" if found else "")
