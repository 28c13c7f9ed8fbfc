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

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The brief containing start (or the working directory)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
                return cls(folder)
        raise ConfigError(f"{here}: no brief here, expected a folder with mkdocs.yml and data/ (run brief inside a brief)")

    def revision(self) -> tuple[str, str] | None:
        """The git commit (short) and its UTC date that the data was built from, if any."""
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%h %cI", "--", "."], cwd=self.root,
                                 capture_output=True, text=True, timeout=10, check=True).stdout.split()
        except (OSError, subprocess.SubprocessError):
            return None
        if len(out) != 2:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "data", "content", "templates"], cwd=self.root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return (out[0] + ("+changes" if dirty else ""), out[1])

    def build_epoch(self) -> int:
        """SOURCE_DATE_EPOCH if set; else the last commit's time; else 0, so builds stay reproducible."""
        if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
            return int(os.environ["SOURCE_DATE_EPOCH"])
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=self.root, capture_output=True,
                                 text=True, timeout=10).stdout.strip()
            return int(out) if out.isdigit() else 0
        except (OSError, subprocess.SubprocessError):
            return 0
