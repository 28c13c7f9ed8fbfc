"""`brief archive add`: keep a capture of a source beside the facts, hashed, with when and what it captured.

The file is copied to archive/<source id>/ under a name made from its SHA-256, so two captures never share a
name and nothing is overwritten. When and what address it captured are read from the file where its format
records them (a WARC's WARC-Date and WARC-Target-URI, a WACZ's datapackage and page list, an image's EXIF
time); options give or override them. The entry is appended to the source's YAML as text, so its comments and
layout stay as the analyst wrote them, and the fact file is checked again before the command reports success.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from generator import disk
from generator.errors import BriefError, ValidationFailed
from generator.facts import captures, dataset
from generator.facts.models import CAPTURE_FORMATS, Capture, capture_format
from generator.outputs.archive import IMAGES, published_bytes
from generator.project import Project

DEFAULT_METHODS = {"PDF": "saved PDF", "PNG": "screenshot", "JPEG": "photograph or screenshot", "WebP": "screenshot",
                   "text": "saved text", "HTML": "saved page"}
_TOP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*:")


def add(project: Project, source_id: str, file: Path, *, url: str | None = None, captured: str | None = None,
        method: str | None = None) -> tuple[Path, dict]:
    """Copy file into the brief's archive and record it on the source; returns the kept path and the entry."""
    yml = project.data / "sources" / f"{source_id}.yml"
    if not yml.is_file() or yml.is_symlink():
        raise BriefError(f"{yml.relative_to(project.root)}: no source with id '{source_id}', expected the id of a "
                         "source in data/sources/")
    kind = capture_format(file.name)
    if kind is None:
        raise BriefError(f"{file}: not a capture format intelbrief reads, expected a file ending in "
                         + ", ".join(list(CAPTURE_FORMATS)))
    if not file.is_file():
        raise BriefError(f"{file}: no such file, expected the capture to archive")
    digest = captures.file_digest(file)
    damage = captures.corruption(file, kind)
    if damage:
        raise BriefError(f"{file}: damaged {kind} file: {damage}; nothing was archived")
    found = read_metadata(file, kind)
    entry = _entry(file, kind, digest, found, url=url, captured=captured, method=method)
    suffix = next(end for end in sorted(list(CAPTURE_FORMATS), key=len, reverse=True) if file.name.lower().endswith(end))
    kept = project.root / captures.ARCHIVE / source_id / f"{digest[:16]}{suffix}"
    for folder in (kept.parent.parent, kept.parent):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise BriefError(f"{folder.relative_to(project.root)}: is a symbolic link or not a folder, expected the "
                             "brief's own archive folder; nothing was archived")
    if kept.exists() or kept.is_symlink():
        raise BriefError(f"{kept.relative_to(project.root)}: this capture is already kept there (same SHA-256), "
                         "expected a capture not yet archived; nothing was written")
    entry = {"file": kept.relative_to(project.root).as_posix(), **entry}
    Capture.model_validate(entry)  # a bad --url or --captured fails here, before anything is written
    original = yml.read_bytes()
    disk.write_new(kept, file.read_bytes())
    try:
        disk.replace(yml, append_entry(original.decode("utf-8"), entry).encode("utf-8"))
        data, problems = dataset.collect(dataset.read_folder(project.data), project.data.name)
        problems = [p for p in problems if p.file.endswith(f"sources/{source_id}.yml")]
        if problems:
            raise ValidationFailed(problems)
    except BaseException:
        disk.replace(yml, original)
        kept.unlink(missing_ok=True)
        raise
    return kept, entry


def _entry(file: Path, kind: str, digest: str, found: dict, *, url, captured, method) -> dict:
    when = _utc(captured, "--captured") if captured else found.get("captured")
    address = url or found.get("url")
    missing = [flag for flag, value in (("--url", address), ("--captured", when)) if not value]
    if missing:
        said = found.get("why") or f"a {kind} file does not record them"
        raise BriefError(f"{file}: give {' and '.join(missing)} ({said}); nothing was archived")
    entry = {"sha256": digest, "captured": when, "url": address,
             "method": method or found.get("method") or DEFAULT_METHODS.get(kind, kind)}
    if kind in IMAGES:
        copy = published_bytes(file.read_bytes(), kind)
        entry["published_sha256"] = hashlib.sha256(copy).hexdigest()
    return entry


def _utc(text: str, flag: str) -> str:
    """An ISO 8601 time as UTC minutes or seconds with Z; a time without a zone is refused."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BriefError(f"{flag} '{text}' is not a time, expected ISO 8601 such as 2024-12-15T09:30Z") from None
    if moment.tzinfo is None:
        raise BriefError(f"{flag} '{text}' has no time zone, expected UTC with a trailing Z or an offset "
                         "such as +02:00")
    return _iso(moment)


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if moment.second else "%Y-%m-%dT%H:%MZ")


# ---------------------------------------------------------------- what the file says of itself


def read_metadata(file: Path, kind: str) -> dict:
    """The capture time (UTC, ISO) and address a file records, and the tool that made it, where it says."""
    if kind == "WARC":
        with file.open("rb") as stream:
            return _warc_metadata(stream)
    if kind == "WACZ":
        return _wacz_metadata(file)
    if kind in IMAGES:
        return _image_metadata(file)
    return {}


def _warc_metadata(stream) -> dict:
    from warcio.archiveiterator import ArchiveIterator

    found: dict = {}
    for record in ArchiveIterator(stream):
        headers = record.rec_headers
        if record.rec_type == "warcinfo" and "method" not in found:
            info = record.content_stream().read().decode("utf-8", "replace")
            software = re.search(r"^software:\s*(.+)$", info, re.M)
            if software:
                found["method"] = software.group(1).strip()
        elif record.rec_type in ("response", "resource") and headers.get_header("WARC-Target-URI"):
            found["url"] = headers.get_header("WARC-Target-URI")
            found["captured"] = _iso(datetime.fromisoformat(headers.get_header("WARC-Date").replace("Z", "+00:00")))
            return found
    return {**found, "why": "the WARC holds no response or resource record"}


def _wacz_metadata(file: Path) -> dict:
    with zipfile.ZipFile(file) as archive:
        package = json.loads(archive.read("datapackage.json"))
        found = {"method": package.get("software")} if package.get("software") else {}
        url, when = package.get("mainPageURL"), package.get("mainPageDate")
        if not url and "pages/pages.jsonl" in archive.namelist():
            for line in archive.read("pages/pages.jsonl").decode("utf-8").splitlines():
                page = json.loads(line)
                if page.get("url"):
                    url, when = page["url"], page.get("ts")
                    break
        when = when or package.get("created")
    if url:
        found["url"] = url
    if when:
        found["captured"] = _iso(datetime.fromisoformat(str(when).replace("Z", "+00:00")))
    return found


def _image_metadata(file: Path) -> dict:
    from PIL import Image

    with Image.open(file) as image:
        exif = image.getexif()
        detail = exif.get_ifd(0x8769)
    stamp = detail.get(36867) or exif.get(306)  # DateTimeOriginal, else DateTime
    if not stamp:
        return {"why": "the image carries no EXIF time"}
    offset = detail.get(36881) or detail.get(36880)  # OffsetTimeOriginal, else OffsetTime
    try:
        local = datetime.strptime(str(stamp).strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return {"why": f"its EXIF time '{stamp}' cannot be read"}
    zone = re.fullmatch(r"([+-])(\d\d):(\d\d)", str(offset or "").strip())
    if not zone:
        return {"why": f"its EXIF time {local:%Y-%m-%d %H:%M:%S} has no time zone, so give it in UTC"}
    sign = 1 if zone.group(1) == "+" else -1
    delta = timedelta(hours=int(zone.group(2)), minutes=int(zone.group(3))) * sign
    return {"captured": _iso(local.replace(tzinfo=timezone(delta)))}


# ---------------------------------------------------------------- the source's YAML, as text


def append_entry(text: str, entry: dict) -> str:
    """The source file's text with one more capture under archive:, everything else byte for byte as it was."""
    item = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1000)
    block = "".join(f"  {line}\n" for line in item.splitlines())
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if re.match(r"^archive\s*:", line)), None)
    if start is None:
        return "".join(lines) + "archive:\n" + block
    if re.match(r"^archive\s*:\s*\[\s*\]\s*(#.*)?$", lines[start]):
        lines[start] = "archive:\n"
    elif not re.match(r"^archive\s*:\s*(#.*)?$", lines[start]):
        raise BriefError("archive: is written in a form brief archive add cannot extend, expected a list of "
                         "captures, one '- file: …' item each")
    end = start + 1
    while end < len(lines) and not _TOP_KEY.match(lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # keep blank lines and comments after the list where they are
        end -= 1
    return "".join(lines[:end]) + block + "".join(lines[end:])
