"""Captures of sources kept under archive/: each file checked against its recorded hash and its own digests.

A capture is evidence that the brief cited exactly this: its SHA-256 is recorded beside the source, and every
validate and build reads the file again (or, when its size, times and inode are those last hashed, trusts the hash
kept in the work folder: a fresh checkout or any edit changes them). WARC files are read with warcio, which checks
each record's WARC-Block-Digest and WARC-Payload-Digest; a WACZ is a zip whose datapackage.json lists every file
with its hash, and whose datapackage-digest.json holds the hash of that list; both are checked, and the WARCs
inside it too. Images must open, PDFs must start as PDFs.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from generator import disk
from generator.errors import Problem, field_label
from generator.facts.models import Capture, capture_format

ARCHIVE = "archive"  # the folder of kept captures, beside data/
CACHE = "archive-hashes.json"  # in the work folder: digests of files already read, by their stat
CODES = ("archive-missing", "archive-hash-mismatch", "archive-corrupt", "archive-after-edition")
FINDING = "source-not-archived"
TOO_LARGE = "archive-not-published"  # a warning: the capture is kept and verified, but no site copies it
MB = 1024 * 1024
CHUNK = 1 << 20


@dataclass(frozen=True)
class Found:
    """One capture of one source, as the pages and the site see it."""

    source: str
    n: int  # its place in the source's archive list
    capture: Capture
    format: str


class Hashes:
    """SHA-256 of files, read once per change: a digest is reused only for the same path, size, modification
    and change times and inode, which a checkout, a copy or an edit never keeps."""

    def __init__(self, kept: dict | None = None):
        self.kept = dict(kept or {})
        self.used: dict[str, dict] = {}

    def digest(self, path: Path, rel: str) -> str:
        info = path.stat()
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        entry = self.kept.get(rel)
        if not (isinstance(entry, dict) and entry.get("stat") == stamp and isinstance(entry.get("sha256"), str)):
            entry = {"stat": stamp, "sha256": file_digest(path)}
        self.used[rel] = entry
        return entry["sha256"]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def load_hashes(work: Path) -> Hashes:
    try:
        return Hashes(json.loads((work / CACHE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Hashes()


def save_hashes(root: Path, work: Path, hashes: Hashes) -> None:
    if hashes.used != hashes.kept:
        disk.keep(root, work / CACHE, json.dumps(hashes.used, sort_keys=True).encode())


def listed(data) -> list[Found]:
    """Every capture of every source in the dataset, in source order."""
    return [Found(sid, n, c, capture_format(c.file) or "file")
            for sid, source in data.sources.items() for n, c in enumerate(source.archive)]


def check(data, root: Path, hashes: Hashes | None = None) -> list[Problem]:
    """Every problem with the captures: missing, altered, internally corrupt, or made after the edition (errors),
    and larger than a site copies (a warning)."""
    hashes = hashes or Hashes()
    problems = []
    for found in listed(data):
        problems += _check_one(data, root, found, hashes)
    return problems


def checked(data, root: Path, problems: list[Problem], warnings: list[Problem], *, strict: bool = False,
            hashes: Hashes | None = None):
    """The problems and warnings of a validation with the captures' own added (warnings as errors with strict)."""
    found = check(data, root, hashes) if data is not None else []
    late = [p for p in found if p.severity == "warning"]
    errors = [p for p in found if p.severity != "warning"]
    if strict:
        return [*problems, *errors, *(replace(p, severity="error") for p in late)], warnings
    return [*problems, *errors], [*warnings, *late]


def _check_one(data, root: Path, found: Found, hashes: Hashes) -> list[Problem]:
    c, loc = found.capture, ("archive", found.n)
    at = _locator(data, found.source)
    out = []
    if _day(c.captured) > data.brief.edition:
        out.append(at(loc + ("captured",), f"captured {c.captured.iso()}, after the edition of "
                      f"{data.brief.edition.isoformat()}, expected a capture made by the edition day", "archive-after-edition"))
    path = root / c.file
    reason = _unreadable(root, path)
    if reason:
        return [*out, at(loc + ("file",), f"'{c.file}' {reason}, expected the kept capture (brief archive add "
                         "copies it there)", "archive-missing")]
    limit = data.brief.archive_max_mb
    if c.publish and path.stat().st_size > limit * MB:
        out.append(replace(at(loc + ("file",), f"'{c.file}' is larger than the {limit} MB a site copies "
                              "(archive_max_mb in data/brief.yml), expected a smaller capture: it is kept and "
                              "verified, and sites list it with its hash only", TOO_LARGE), severity="warning"))
    actual = hashes.digest(path, c.file)
    if actual != c.sha256:
        return [*out, at(loc + ("sha256",), f"'{c.file}' has SHA-256 {actual}, expected {c.sha256} as recorded: the "
                         "file changed since it was archived", "archive-hash-mismatch")]
    if c.file not in hashes.kept or hashes.kept[c.file] != hashes.used[c.file]:  # the format is checked once per change
        damage = corruption(path, found.format)
        if damage:
            hashes.used.pop(c.file, None)  # read it again next time
            out.append(at(loc + ("file",), f"'{c.file}' is damaged: {damage}, expected a whole {found.format} file",
                          "archive-corrupt"))
    return out


def _day(instant):
    return instant.start.date()  # the earliest day it can stand for: a capture is late only when surely so


def _unreadable(root: Path, path: Path) -> str | None:
    """Why a capture cannot be read as a plain file inside archive/, or None."""
    folder = root / ARCHIVE
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return "is behind a symbolic link"
    if not path.exists():
        return "is not there"
    if not path.is_file():
        return "is not a regular file"
    if folder not in path.resolve().parents:
        return "is outside archive/"
    return None


def _locator(data, source_id: str):
    doc = data.documents.get(("sources", source_id))

    def at(loc: tuple, message: str, code: str) -> Problem:
        line, column = doc.where(loc) if doc else (0, 0)
        return Problem(doc.path if doc else f"data/sources/{source_id}.yml", line, column, field_label(loc), message,
                       code=code)
    return at


# ---------------------------------------------------------------- each format's own integrity


def corruption(path: Path, kind: str) -> str | None:
    """What is wrong inside a capture by its format's own rules, or None when it reads whole."""
    try:
        if kind == "WARC":
            return warc_damage(path.open("rb"))
        if kind == "WACZ":
            return wacz_damage(path)
        if kind in ("PNG", "JPEG", "WebP"):
            return _image_damage(path)
        if kind == "PDF":
            with path.open("rb") as stream:
                return None if stream.read(5) == b"%PDF-" else "it does not start with %PDF-"
        return None
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as err:
        return f"cannot be read ({err})"


def warc_damage(stream) -> str | None:
    """The first WARC record whose digest fails, or that cannot be read, or None."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    try:
        with stream:
            iterator = ArchiveIterator(stream, check_digests=True)
            for record in iterator:
                records += 1
                while record.content_stream().read(CHUNK):
                    pass
                if record.digest_checker.passed is False:
                    target = record.rec_headers.get_header("WARC-Target-URI") or "a record"
                    return f"the digest of record {records} ({target}) does not match its content"
    except (ArchiveLoadFailed, ValueError) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return f"record {records + 1} cannot be read ({reason})"
    return None if records else "it holds no WARC record"


def wacz_damage(path: Path) -> str | None:
    """A WACZ whose package list or any listed file fails its recorded hash, or None."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "datapackage.json" not in names:
            return "it has no datapackage.json"
        package_bytes = archive.read("datapackage.json")
        if "datapackage-digest.json" in names:
            recorded = json.loads(archive.read("datapackage-digest.json")).get("hash", "")
            if not _hash_matches(recorded, package_bytes):
                return "datapackage.json does not match the hash in datapackage-digest.json"
        package = json.loads(package_bytes)
        for resource in package.get("resources", []):
            name = resource.get("path", "")
            if name not in names:
                return f"{name or 'a listed file'} is listed in datapackage.json but missing"
            if not _hash_matches(resource.get("hash", ""), archive.open(name)):
                return f"{name} does not match its hash in datapackage.json"
            if name.endswith((".warc", ".warc.gz")):
                damage = warc_damage(archive.open(name))
                if damage:
                    return f"{name}: {damage}"
    return None


def _hash_matches(recorded: str, content) -> bool:
    algorithm, _, expected = recorded.partition(":")
    if algorithm not in ("sha256", "md5", "sha1", "sha512") or not expected:
        return False
    digest = hashlib.new(algorithm)
    if isinstance(content, bytes):
        digest.update(content)
    else:
        with content:
            while block := content.read(CHUNK):
                digest.update(block)
    return digest.hexdigest() == expected.lower()


def _image_damage(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        return f"it does not open as an image ({err})"
    return None


# ---------------------------------------------------------------- the finding


def findings(data) -> list[Problem]:
    """A source with an address and no capture: what it said may change or vanish."""
    out = []
    for sid, source in data.sources.items():
        if source.url and not source.archive:
            out.append(Problem(*_where(data, sid, ("url",)), field_label(("url",)),
                               f"source '{sid}' has an address but no capture, expected a kept copy of what it said "
                               "(brief archive add)", code=FINDING, severity="warning"))
    return out


def _where(data, source_id: str, loc: tuple) -> tuple:
    doc = data.documents.get(("sources", source_id))
    if not doc:
        return (f"data/sources/{source_id}.yml", 0, 0)
    return (doc.path, *doc.where(loc))
