"""The fact files of a git revision, read as the working tree's are: only files the facts are read from, never a
symbolic link, never a file over its size limit, whatever their names."""
from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import BriefError, Problem
from generator.facts import dataset

WORKTREE = "working tree"  # the files on disk, not a commit


def files_at(root: Path, revision: str) -> dict[str, bytes | Problem]:
    """The data/ files at a git revision as {'data/<kind>/…': bytes}, in three git calls whatever their number.

    A link or a file over its size limit stands as its Problem, unread; files the facts are not read from are left out.
    WORKTREE reads the working tree instead.
    """
    if revision == WORKTREE:
        return dataset.read_folder(root / "data")
    files: dict[str, bytes | Problem] = {}
    wanted: list[tuple[str, bytes]] = []
    for mode, kind, oid, name in _tree(root, revision):
        parts = name.split("/")
        if len(parts) >= 3:
            files[f"data/{parts[1]}/"] = b""
        if kind != b"blob" or not dataset.wanted(name):
            continue
        if mode == b"120000":
            files[name] = Problem(name, 1, 1, "", f"is a symbolic link in {revision}, expected a file", code="not-a-file")
        else:
            wanted.append((name, oid))
    small = []
    for (name, oid), size in zip(wanted, _objects(root, [oid for _, oid in wanted], "--batch-check")):
        refused = dataset.too_large(name, size)
        if refused:
            files[name] = refused  # never read: a file over its size limit
        else:
            small.append((name, oid))
    files.update(zip((name for name, _ in small), _objects(root, [oid for _, oid in small], "--batch")))
    return files


def _tree(root: Path, revision: str) -> list[tuple[bytes, bytes, bytes, str]]:
    """(mode, type, object id, path) of every entry under data/ at revision; paths NUL-separated, never quoted."""
    listing = git(root, "ls-tree", "-r", "-z", revision, "--", "data")
    entries = []
    for record in filter(None, listing.split(b"\0")):
        meta, name = record.split(b"\t", 1)
        mode, kind, oid = meta.split()
        entries.append((mode, kind, oid, name.decode("utf-8", "surrogateescape")))
    return entries


def _objects(root: Path, oids: list[bytes], mode: str) -> list:
    """One git cat-file call for many objects: their sizes (--batch-check) or their contents (--batch), in order."""
    if not oids:
        return []
    out = git(root, "cat-file", mode, given=b"".join(oid + b"\n" for oid in oids))
    found, at = [], 0
    for _ in oids:
        end = out.index(b"\n", at)
        size = int(out[at:end].split()[2])
        if mode == "--batch-check":
            found.append(size)
            at = end + 1
        else:
            found.append(out[end + 1:end + 1 + size])
            at = end + 1 + size + 1
    return found


def git(root: Path, *args: str, given: bytes | None = None, timeout: int = 60) -> bytes:
    """A git command's output; BriefError when git is missing or the command fails."""
    try:
        done = subprocess.run(["git", *args], cwd=root, input=given, capture_output=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as err:
        raise BriefError(f"git {' '.join(args)}: {err}, expected git to be installed") from None
    if done.returncode:
        raise BriefError(f"git {' '.join(args)}: {done.stderr.decode().strip()}, expected a known revision")
    return done.stdout


def default_base(root: Path) -> str:
    """The merge base with main (or master), else the last commit."""
    for branch in ("main", "master", "origin/main"):
        try:
            return git(root, "merge-base", branch, "HEAD").decode().strip()
        except BriefError:
            continue
    return "HEAD"


def previous_edition(root: Path, setting: str | None) -> str | None:
    """The revision of the previous edition: the brief's setting (tag, commit or date), else the newest edition-* tag."""
    try:
        if setting and len(setting) == 10 and setting[4] == "-" and setting[7] == "-":
            found = git(root, "rev-list", "-1", f"--before={setting}T23:59:59Z", "HEAD").decode().strip()
            return found or None
        if setting:
            git(root, "rev-parse", "--verify", "--quiet", f"{setting}^{{commit}}")
            return setting
        tags = git(root, "tag", "--list", "edition-*", "--sort=-creatordate").decode().split()
        return tags[0] if tags else None
    except BriefError:
        return None
