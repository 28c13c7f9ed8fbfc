"""Writing the site: the generated docs tree kept in sync, the atomic swap of the built site, and its zip."""
from __future__ import annotations

import ctypes
import io
import os
import shutil
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

from generator import disk
from generator.errors import BuildError


def sync(files: dict[str, bytes], root: Path) -> list[str]:
    """Make root hold exactly these files, and nothing else (no link, no stray folder that the site engine would copy);
    unchanged files keep their bytes and times. Returns what changed."""
    tree = Tree(root)
    for rel, content in files.items():
        tree.put(rel, content)
    return tree.finish()


class Tree:
    """A folder brought to hold exactly the files given to it one at a time, as sync does for a whole dict: a file
    is written only when its bytes differ (unchanged files keep their times), and finish removes every file that was
    not given. Links are removed first, so no file is written through one."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.links = []
        for path in [p for p in root.rglob("*") if p.is_symlink()]:
            path.unlink()
            self.links.append(path.relative_to(root).as_posix())
        self.given: set[str] = set()
        self.written: set[str] = set()

    def put(self, rel: str, content: bytes) -> None:
        """One file's bytes."""
        self.given.add(rel)
        if put(self.root / rel, content):
            self.written.add(rel)

    @contextmanager
    def open(self, rel: str):
        """A binary file to write one file's bytes to, piece by piece: they go to a temporary file beside it, which
        replaces the file on leaving the block only when the bytes differ."""
        self.given.add(rel)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        if os.path.lexists(tmp):
            tmp.unlink()
        try:
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644), "wb") as out:
                yield out
            if path.is_file() and not path.is_symlink() and _same(tmp, path):
                tmp.unlink()
            else:
                os.replace(tmp, path)
                self.written.add(rel)
        finally:
            if os.path.lexists(tmp):
                tmp.unlink()

    def finish(self) -> list[str]:
        """Remove the files not given and the folders left empty; what changed (links removed, files written in
        path order, files removed)."""
        removed = []
        for path in sorted(self.root.rglob("*"), reverse=True):
            rel = path.relative_to(self.root).as_posix()
            if not path.is_dir() and rel not in self.given:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return list(dict.fromkeys([*self.links, *sorted(self.written), *removed]))


def _same(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (read a piece at a time)."""
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as one, open(b, "rb") as other:
        while True:
            left, right = one.read(1 << 20), other.read(1 << 20)
            if left != right:
                return False
            if not left:
                return True


def put(path: Path, content: bytes) -> bool:
    """Write one file unless it already holds these bytes; True when it was written."""
    if path.is_file() and not path.is_symlink() and path.read_bytes() == content:
        return False
    disk.replace(path, content)
    return True


def staging_dir(site: Path) -> Path:
    """A fresh folder beside the site to build into; leftovers of killed builds are removed first."""
    for leftover in site.parent.glob(f"{site.name}.new-*"):
        pid = leftover.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    stage = site.with_name(f"{site.name}.new-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    return stage


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


_RENAME_EXCHANGE = 2


def swap(stage: Path, site: Path) -> None:
    """Put the finished build in place of the old site in one step; the old one is then removed."""
    if not site.exists():
        os.rename(stage, site)
        return
    if _exchange(stage, site):
        shutil.rmtree(stage)
        return
    old = site.with_name(f"{site.name}.old-{os.getpid()}")
    os.rename(site, old)
    os.rename(stage, site)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def discard(stage: Path) -> None:
    """Remove a build that failed, leaving the published site untouched."""
    shutil.rmtree(stage, ignore_errors=True)


def refuse_overlap(generated: set[str], handwritten: set[str]) -> None:
    """Generated pages never replace hand-written ones."""
    clash = sorted(generated & handwritten)
    if clash:
        raise BuildError(f"content/{clash[0]}: a generated page has this name, expected hand-written pages to use other names "
                         f"(generated: {', '.join(sorted(generated)[:8])}, …)")


def zip_tree(root: Path, dest: Path, epoch: int) -> Path:
    """Write root as a zip that unpacks to one folder, byte-identical for the same files and epoch.

    The zip is made in memory and put in place in one step, never written through a link at dest.
    """
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):  # names in plain text order
            if path.is_file():
                info = zipfile.ZipInfo(f"{root.name}/{path.relative_to(root).as_posix()}", date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    disk.replace(dest, buffer.getvalue())
    return dest
