"""The brief's own files on disk: read only regular files that stay inside the brief, write without following links.

A pull request can add a symbolic link as easily as a fact file, so a link that leads outside the
brief (to /etc/passwd, /proc/self/environ or a file elsewhere on the build host), a dangling link
and anything that is not a regular file (a named pipe would hang the build) are refused with the
file named, and every write creates its file afresh instead of following what is already there.
"""
from __future__ import annotations

import errno
import fcntl
import os
import stat
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BriefError, BuildError, Problem, ValidationFailed

_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def scan(root: Path, folder: Path, suffixes: tuple[str, ...] = ()) -> tuple[list[Path], list[Problem]]:
    """The regular files under folder (with one of suffixes, if given), in order, and a problem for each entry refused.

    Links that stay inside the brief are followed, to files and to folders (each real folder walked once). A folder's
    entries are read with their types (os.scandir), so a plain file or folder costs no call of its own.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    pending, walked = [folder] if os.path.lexists(folder) else [], set()
    while pending:
        path = pending.pop()
        if path == folder:  # the folder itself: judged as a path (it may be a link, or a file)
            refused = refusal(root, path)
            if refused:
                problems.append(Problem(_shown(root, path), 1, 1, "", refused[1], code=refused[0]))
                continue
            if not path.is_dir():
                if not suffixes or path.name.endswith(suffixes):
                    files.append(path)
                continue
        if path.resolve() in walked:
            continue
        walked.add(path.resolve())
        folders: list[Path] = []  # walked next, in name order (the first name first), before the folders above
        with os.scandir(path) as found:
            entries = sorted(found, key=lambda e: e.name)
        for entry in entries:
            named = path / entry.name
            if entry.is_symlink():
                refused = refusal(root, named)
                if refused:
                    problems.append(Problem(_shown(root, named), 1, 1, "", refused[1], code=refused[0]))
                elif named.is_dir():
                    _folder(root, named, suffixes, folders, problems)
                elif not suffixes or entry.name.endswith(suffixes):
                    files.append(named)
            elif entry.is_dir(follow_symlinks=False):
                _folder(root, named, suffixes, folders, problems)
            elif entry.is_file(follow_symlinks=False):
                if not suffixes or entry.name.endswith(suffixes):
                    files.append(named)
            elif refused := refusal(root, named):  # a pipe, a socket, a device
                problems.append(Problem(_shown(root, named), 1, 1, "", refused[1], code=refused[0]))
        pending += reversed(folders)
    return sorted(files), sorted(problems)


def _folder(root: Path, path: Path, suffixes: tuple[str, ...], pending: list[Path], problems: list[Problem]) -> None:
    """A folder met while walking: walked in its turn, unless its name is a fact file's (then refused)."""
    if suffixes and path.name.endswith(suffixes):
        problems.append(Problem(_shown(root, path), 1, 1, "", "is a folder, expected a file", code="not-a-file"))
    else:
        pending.append(path)


def refusal(root: Path, path: Path) -> tuple[str, str] | None:
    """(code, message) when path is a link out of root or to nothing, or not a regular file or folder; else None."""
    if path.is_symlink():
        target = os.readlink(path)
        if not path.exists():
            return "dangling-symlink", f"symbolic link to {target} leads nowhere, expected a file inside the brief"
        if not path.resolve().is_relative_to(root.resolve()):
            return "symlink-outside", (f"symbolic link to {target} leads outside the brief, "
                                       "expected a file inside the brief's folder")
        return None
    mode = path.lstat().st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not-a-file", f"is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, expected a file"


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def refuse(problems: list[Problem]) -> None:
    """Stop with every refused file listed."""
    if problems:
        raise ValidationFailed(problems)


OWNED_SHOWN = 20  # problems listed, at most, when the folders a build owns are not its own
FOLDER = "a folder that brief build and brief serve own"
INSIDE = "only the files and folders brief build and brief serve write"
FILE = "a file"


def refuse_links(root: Path, owned: tuple[Path, ...]) -> None:
    """Stop, before anything is written or removed, unless the folders brief build and brief serve write in are the
    brief's own: no part of their path below root is a link, and nothing inside them is a link, a pipe or a device."""
    problems: list[Problem] = []
    for folder in owned:
        problems += _not_owned(root, folder)
    refuse(problems[:OWNED_SHOWN])


def _not_owned(root: Path, folder: Path) -> list[Problem]:
    """What makes folder, or anything in it, not the brief's own (the first refused part of its path only)."""
    for path in _on_the_way(root, folder):
        problem = _owned_entry(root, path, FOLDER)
        if problem:
            return [problem]
    if not folder.is_dir():
        return []
    problems, pending = [], [folder]
    while pending and len(problems) < OWNED_SHOWN:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                problem = _owned_entry(root, Path(entry.path), INSIDE)
                if problem:
                    problems.append(problem)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
    return sorted(problems)


def _owned_entry(root: Path, path: Path, expected: str) -> Problem | None:
    """The problem with one path a build writes at (expected: FOLDER, INSIDE or FILE), else None."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return Problem(_shown(root, path), 1, 1, "", f"is a symbolic link to {os.readlink(path)}, expected {expected}; "
                       "remove the link", code="owned-symlink")
    if (stat.S_ISDIR(mode) and expected != FILE) or (stat.S_ISREG(mode) and expected != FOLDER):
        return None
    what = {stat.S_IFREG: "a file", stat.S_IFDIR: "a folder"}.get(stat.S_IFMT(mode)) or _KINDS.get(
        stat.S_IFMT(mode), "not a regular file")
    return Problem(_shown(root, path), 1, 1, "", f"is {what}, expected {expected}; remove it", code="not-owned")


def _on_the_way(root: Path, path: Path) -> list[Path]:
    """The paths from root's child down to path itself."""
    rel = path.relative_to(root)
    return [root / part for part in [*reversed(rel.parents), rel][1:]]


def keep(root: Path, path: Path, content: bytes) -> None:
    """Write a file the build keeps in its work folder for the next one, never through a link: refused, with its
    path, when it or any folder on its way below root is one."""
    for part in _on_the_way(root, path):
        refuse([p for p in [_owned_entry(root, part, FILE if part == path else FOLDER)] if p])
    replace(path, content)


def write_new(path: Path, content: bytes) -> None:
    """Create path with content; refuse if anything, even a dangling link, is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        what = "a symbolic link" if path.is_symlink() else "a file"
        raise BriefError(f"{path}: {what} is already there, expected a new file name") from None
    with os.fdopen(handle, "wb") as out:
        out.write(content)


def replace(path: Path, content: bytes) -> None:
    """Put content at path in one step: a fresh temporary file renamed over it (a link there is replaced, not followed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if os.path.lexists(tmp):
        tmp.unlink()
    handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(tmp, path)


@contextmanager
def lock(folder: Path, what: str, waiting=None):
    """Hold an exclusive lock on folder (no file is made) for the block; a second holder is told who is at work.

    With waiting (a function taking no argument), a second holder calls it and waits for the lock instead.
    """
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if waiting is None:
                raise BuildError(f"another {what} is running in this brief (brief build, brief pdf or brief serve "
                                 f"rebuilding), expected one {what} at a time: wait for it to finish") from None
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
