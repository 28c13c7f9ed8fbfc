"""Writing the site: the generated docs tree kept in sync, the atomic swap of the built site, and its zip."""
from __future__ import annotations

import ctypes
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

from generator import disk
from generator.errors import BuildError


def sync(files: dict[str, bytes], root: Path) -> list[str]:
    """Make root hold exactly these files, and nothing else (no link, no stray folder that the site engine would copy);
    unchanged files keep their bytes and times. Returns what changed."""
    root.mkdir(parents=True, exist_ok=True)
    changed = []
    for path in [p for p in root.rglob("*") if p.is_symlink()]:  # removed first, so no file is written through one
        path.unlink()
        changed.append(path.relative_to(root).as_posix())
    for rel, content in sorted(files.items()):
        if put(root / rel, content):
            changed.append(rel)
    for path in sorted(root.rglob("*"), reverse=True):
        rel = path.relative_to(root).as_posix()
        if not path.is_dir() and rel not in files:
            path.unlink()
            changed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return list(dict.fromkeys(changed))


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
