"""The last published site as the start of the next build: when it may be, and the record that says so.

A build may start from the published site, rendering only the pages whose Markdown changed, when that site is
exactly what the last build put there (no file added, removed or touched since), and that build had the same
engine settings, theme, page templates, time stamp and strictness, and the same set of generated files. Anything
else, and the site is built whole. A sealed (encrypted) site is never reused, as its pages cannot be rendered again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from generator import disk
from generator.site import engine

RECORD = "last-site.json"  # in the project's work folder


@dataclass(frozen=True)
class Settings:
    """What every page of a build depends on beyond its own Markdown, as digests."""

    engine: str  # engine.settings_digest: configuration, project settings, overrides, hooks, engine versions
    files: str  # the set of generated file names
    epoch: int
    strict: bool


def settings(config_path: Path, docs: Path, *, epoch: int, strict: bool) -> Settings:
    """The settings of the build about to run, from its engine configuration and its generated docs."""
    names = "\0".join(sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()))
    return Settings(engine.settings_digest(config_path), hashlib.sha256(names.encode()).hexdigest(), epoch, strict)


def start(work: Path, site: Path, stage: Path, now: Settings, fresh: frozenset[str] = frozenset(),
          linked: frozenset[str] = frozenset()) -> bool:
    """Copy the published site into stage when the next build may start from it; True when it did.

    fresh: docs files (not pages) this build wrote anew, which the engine copies into the site again: their old
    copies are left out. linked: top folders of the site whose files nothing writes in place (a step that changes
    them removes the folder and writes it anew), which are linked instead of copied: the published site's stay as
    they are whatever the build does. The engine writes the files it renders or copies in place, so every other
    file is copied."""
    try:
        kept = json.loads((work / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if kept.get("settings") != asdict(now) or not site.is_dir() or kept.get("site") != fingerprint(site):
        return False

    def written_again(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(site).as_posix()
        return {name for name in names if (name if rel == "." else f"{rel}/{name}") in fresh}

    def copy(source: str, target: str) -> None:
        top = Path(source).relative_to(site).parts[0]
        (os.link if top in linked else shutil.copy2)(source, target)

    shutil.copytree(site, stage, symlinks=True, ignore=written_again, copy_function=copy)
    return True


def record(work: Path, site: Path, now: Settings) -> None:
    """Note what the build just published at site."""
    record = json.dumps({"settings": asdict(now), "site": fingerprint(site)}, sort_keys=True)
    disk.keep(work.parent, work / RECORD, record.encode())


def forget(work: Path) -> None:
    """Drop the record: the next build is a whole one."""
    (work / RECORD).unlink(missing_ok=True)


def fingerprint(site: Path) -> str:
    """Every file's name, size and modification time under site: any change to the folder changes it."""
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(site).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_mode}\n".encode())
    return digest.hexdigest()
