"""When each STIX object was created and last modified, read from the git history of the facts.

created is the time of the first commit whose facts gave the object; modified is the time of the
commit from which its content has not changed since. Content not yet committed is dated after the
last commit, so an import that is built before it is committed still moves modified forward.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime, time, timezone
from pathlib import Path

from generator.facts import dataset
from generator.facts.dataset import Dataset
from generator.outputs import stix

MAX_COMMITS = 200  # history deeper than this is not read; objects older than it are dated by its oldest commit


def digest(obj: dict) -> str:
    """A hash of what a platform stores of an object, leaving out its times."""
    content = {k: v for k, v in obj.items() if k not in ("created", "modified", "published")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def digests(data: Dataset) -> dict[str, str]:
    """STIX id → content hash of every dated object of the bundle built from these facts."""
    return {obj["id"]: digest(obj) for obj in stix.objects(data)}


def times(root: Path, data: Dataset, epoch: int) -> dict[str, tuple[str, str]]:
    """STIX id → (created, modified) for the bundle of these facts; empty outside a git repository."""
    commits = _commits(root)
    if not commits:
        return {}
    current = digests(data)
    edition = datetime.combine(data.brief.edition, time(), tzinfo=timezone.utc).timestamp()
    fresh = stix.timestamp(datetime.fromtimestamp(max(edition, epoch, commits[0][1] + 1), tz=timezone.utc))
    created: dict[str, int] = {}
    modified: dict[str, int] = {}
    unchanged = set(current)
    for commit, when in commits:  # newest first
        past = _digests_at(root, commit)
        for oid in past:
            created[oid] = when
        unchanged = {oid for oid in unchanged if past.get(oid) == current[oid]}
        for oid in unchanged:
            modified[oid] = when
    dated = {}
    for oid in current:
        if oid in modified:
            dated[oid] = (stix.timestamp(_utc(created[oid])), stix.timestamp(_utc(modified[oid])))
        else:
            dated[oid] = (stix.timestamp(_utc(created[oid])) if oid in created else fresh, fresh)
    return dated


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _git(root: Path, *args: str, given: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=given, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return b""
    return done.stdout if done.returncode == 0 else b""


def _commits(root: Path) -> list[tuple[str, int]]:
    """(hash, commit time) of the commits that changed data/, newest first."""
    lines = _git(root, "log", f"-{MAX_COMMITS}", "--format=%H %ct", "--", "data").decode().split("\n")
    return [(line.split()[0], int(line.split()[1])) for line in lines if line.strip()]


def _digests_at(root: Path, commit: str) -> dict[str, str]:
    """The content hashes of the bundle the facts at a commit gave (empty when they did not load)."""
    listing = _git(root, "ls-tree", "-r", commit, "--", "data").decode().splitlines()
    entries = [(line.split("\t", 1)[1], line.split()[2]) for line in listing if "\t" in line and " blob " in line]
    files = _blobs(root, entries)
    for name in list(files):
        parts = name.split("/")
        if len(parts) >= 3:
            files[f"data/{parts[1]}/"] = b""
    past, _ = dataset.collect(files)
    return digests(past) if past is not None and past.brief is not None else {}


def _blobs(root: Path, entries: list[tuple[str, str]]) -> dict[str, bytes]:
    """The contents of many blobs from one git cat-file call."""
    out = _git(root, "cat-file", "--batch", given="".join(f"{sha}\n" for _, sha in entries).encode())
    files, at = {}, 0
    for name, _ in entries:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files[name] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return files
