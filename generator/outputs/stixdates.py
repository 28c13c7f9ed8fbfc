"""When each STIX object was created and last modified, read from the git history of the facts.

created is the time of the first commit whose facts gave the object; modified is the time of the
commit that gave it its present content. Content not yet committed is dated after the last commit,
so an import that is built before it is committed still moves modified forward. Each commit is read as
brief diff reads a revision: fact files only, never a link, never a file over its size limit.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime, time, timezone
from pathlib import Path

from generator import words
from generator.errors import BriefError
from generator.facts import dataset, markings, revision
from generator.facts.dataset import Dataset
from generator.outputs import stix

MAX_COMMITS = 200  # history deeper than this is not read; objects older than it are dated by its oldest commit
LEDGER_FORMAT = 1


def digest(obj: dict) -> str:
    """A short hash of what a platform stores of an object, leaving out its times."""
    content = {k: v for k, v in obj.items() if k not in ("created", "modified", "published")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]


def digests(data: Dataset) -> dict[str, str]:
    """STIX id → content hash of every dated object of the bundle built from these facts."""
    found: dict[str, str] = {}
    builder = stix.Builder(data, lambda obj: found.__setitem__(obj["id"], digest(obj)))  # one object held at a time
    return {obj["id"]: digest(obj) for obj in stix.made(builder)} | found


def times(root: Path, data: Dataset, epoch: int, ledger: dict | None = None,
          say=lambda message: None) -> tuple[dict[str, tuple[str, str]], dict]:
    """STIX id → (created, modified) for the bundle of these facts, and the ledger to keep for the next build.

    The ledger records, as of a commit, each object's content hash, creation and modification time; a
    later build reads only the commits made since. Outside a git repository there are no times. A file of the
    history over its size limit is not read; say is told of the first one.
    """
    commits = _commits(root)
    if not commits:
        return {}, {}
    current = digests(data)
    clean = not _git(root, "status", "--porcelain", "--", "data").strip()
    ledger = _advance(root, commits, ledger, _edition(data), current if clean else None, say)
    edition = datetime.combine(data.brief.edition, time(), tzinfo=timezone.utc).timestamp()
    fresh = int(max(edition, epoch, commits[0][1] + 1))
    dated = {}
    for oid, now in current.items():
        known, created, modified = ledger["objects"].get(oid, (None, fresh, fresh))
        dated[oid] = (stix.timestamp(_utc(created)), stix.timestamp(_utc(modified if known == now else fresh)))
    return dated, ledger


def _edition(data: Dataset) -> str | None:
    """Which edition the facts are: None as loaded, "full" or the release label as the build made them."""
    held = data.withheld
    return None if held.label is None else (held.label if held.release else "full")


def _as_edition(past: Dataset, edition: str | None) -> Dataset:
    """Past facts made into the same edition as the present ones, so their objects compare like for like."""
    if edition is None:
        return past
    return markings.release(past, None if edition == "full" else edition)[0]


def _advance(root: Path, commits: list[tuple[str, int]], ledger: dict | None, edition: str | None,
             head: dict[str, str] | None = None, say=lambda message: None) -> dict:
    """The ledger brought up to the newest commit, reading each commit not yet in it, oldest first.

    head, the present objects when the data folder is as last committed, spares reading that commit again.
    """
    done = [c for c, _ in commits]
    usable = (ledger and ledger.get("format") == LEDGER_FORMAT and ledger.get("edition") == edition
              and ledger.get("commit") in done)
    objects = dict(ledger["objects"]) if usable else {}
    todo = commits[:done.index(ledger["commit"])] if usable else commits
    memo: dict = {}
    skipped: dict[str, str] = {}  # file over its size limit → the first commit that held it
    for commit, when in reversed(todo):
        found = (head if head is not None and commit == commits[0][0]
                 else _digests_at(root, commit, memo, edition, skipped))
        for oid, now in found.items():
            known = objects.get(oid)
            if known is None:
                objects[oid] = [now, when, when]
            elif known[0] != now:
                objects[oid] = [now, known[1], when]
    if skipped:
        first = min(skipped)
        say(f"STIX dates: {words.counted(len(skipped), 'file')} in the history over their size limit {words.form('was', len(skipped))} not read "
            f"({first} at {skipped[first][:10]}); objects they held are dated by the commits that could be read")
    return {"format": LEDGER_FORMAT, "edition": edition, "commit": commits[0][0], "objects": objects}


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return b""
    return done.stdout if done.returncode == 0 else b""


def _commits(root: Path) -> list[tuple[str, int]]:
    """(hash, commit time) of the commits that changed data/, newest first."""
    lines = _git(root, "log", f"-{MAX_COMMITS}", "--format=%H %ct", "--", "data").decode().split("\n")
    return [(line.split()[0], int(line.split()[1])) for line in lines if line.strip()]


def _digests_at(root: Path, commit: str, memo: dict, edition: str | None, skipped: dict) -> dict[str, str]:
    """The content hashes of the bundle the facts at a commit gave (empty when they did not load)."""
    try:
        files = revision.files_at(root, commit)
    except BriefError:
        return {}
    for name, found in files.items():
        if getattr(found, "code", None) == "file-too-large":
            skipped.setdefault(name, commit)
    past, _ = dataset.collect(files, "data", memo)
    return digests(_as_edition(past, edition)) if past is not None and past.brief is not None else {}
