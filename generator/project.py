"""Where a brief's parts live on disk: one folder holding mkdocs.yml, data/, content/, templates/."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ConfigError

WORK = ".brief"


@dataclass(frozen=True)
class Project:
    """The paths of one brief."""

    root: Path

    def __post_init__(self):  # absolute: the engine reads paths relative to its configuration's folder, not ours
        object.__setattr__(self, "root", Path(os.path.abspath(self.root)))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def work(self) -> Path:
        """Generated files: the site engine's input, never committed."""
        return self.root / WORK

    @property
    def docs(self) -> Path:
        """Generated Markdown and assets."""
        return self.work / "docs"

    @property
    def engine_config(self) -> Path:
        """The complete site engine configuration that generation writes."""
        return self.work / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def preview(self) -> Path:
        """The site brief serve builds and serves."""
        return self.work / "preview"

    @property
    def owned(self) -> tuple[Path, ...]:
        """Every folder brief build and brief serve write and remove in (the work folder holds the generated docs,
        the preview and the caches), with the leftovers of interrupted builds beside site/."""
        leftovers = [p for stage in ("new", "old") for p in sorted(self.root.glob(f"{self.site.name}.{stage}-*"))]
        return (self.work, self.site, *leftovers)

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The brief containing start (or the working directory)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
                return cls(folder)
        raise ConfigError(f"{here}: no brief here, expected a folder with mkdocs.yml and data/ (run brief inside a brief)")

    def history(self) -> History:
        """The git commit the brief was built from, its date, and the build's time stamp, from one git call."""
        found = _git(self.root, "log", "-1", "--format=%h %cI %ct", "--", ".").split()
        pinned = os.environ.get("SOURCE_DATE_EPOCH", "")
        epoch = int(pinned) if pinned.isdigit() else int(found[2]) if len(found) == 3 else 0
        if len(found) != 3:
            return History(None, "", epoch)
        dirty = _git(self.root, "status", "--porcelain", "--", "data", "content", "templates").strip()
        return History(found[0] + ("+changes" if dirty else ""), found[1], epoch)


@dataclass(frozen=True)
class History:
    """Where the facts come from in git, and the time stamp that makes builds reproducible."""

    commit: str | None  # short hash, "+changes" when data, content or templates differ from it
    date: str  # the commit's date (ISO 8601), or ""
    epoch: int  # SOURCE_DATE_EPOCH if set, else the last commit's time, else 0


def _git(root: Path, *args: str) -> str:
    """A git command's output, or "" outside a repository or without git."""
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
