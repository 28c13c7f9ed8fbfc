"""Published copies of the captures an edition shows: copied into the built site, images without their metadata.

A capture's kept file stays in the brief's repository exactly as archived (its hash is the evidence); what a
site publishes is a copy under archive/<source id>/. Images are decoded and encoded again with nothing but their
pixels (no EXIF GPS position, camera serial, author or comment), turned upright first as their EXIF orientation
says; an HTML capture is published as text (.html.txt) so that it can never run as a page of the brief. A copy
already in the site from the last build, made from the same kept file (by its hash), is not made again.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from generator import disk
from generator.facts.captures import ARCHIVE
from generator.facts.models import Capture, capture_format

MB = 1024 * 1024
REPLAYABLE = ("WACZ", "WARC")
IMAGES = {"JPEG": "JPEG", "PNG": "PNG", "WebP": "WEBP"}
RECORD = "archive-copies.json"  # in the work folder: site path → hash of the kept file it was made from
REPLAY_FOLDER = "assets/brief/replay"  # ReplayWeb.page's viewer and service worker, when a capture can replay


@dataclass(frozen=True)
class Copy:
    """One capture as an edition lists it: where its copy is in the site, or why it has none."""

    source: str
    capture: Capture
    format: str
    size: int  # bytes of the kept file
    site_path: str | None  # archive/<source>/<name> in the site, when published
    withheld_why: str | None  # why there is no published copy

    @property
    def replayable(self) -> bool:
        return self.site_path is not None and self.format in REPLAYABLE


def copies(data, root: Path) -> list[Copy]:
    """Every capture the edition's facts hold (a release has already left out those above its label)."""
    limit = data.brief.archive_max_mb * MB
    found = []
    for sid, source in data.sources.items():
        for capture in source.archive:
            kind = capture_format(capture.file) or "file"
            kept = root / capture.file
            size = kept.stat().st_size if kept.is_file() and not kept.is_symlink() else 0
            why = ("kept in the repository only (publish: false)" if not capture.publish
                   else "not in the archive folder" if not size and not kept.is_file()
                   else f"larger than the {data.brief.archive_max_mb} MB a site copies" if size > limit else None)
            found.append(Copy(sid, capture, kind, size, None if why else site_name(sid, capture), why))
    return found


def site_name(source_id: str, capture: Capture) -> str:
    name = Path(capture.file).name
    return f"{ARCHIVE}/{source_id}/{name}.txt" if capture_format(name) == "HTML" else f"{ARCHIVE}/{source_id}/{name}"


def published_bytes(kept: bytes, kind: str) -> bytes:
    """What the site publishes of a kept file: images re-encoded with their pixels only, anything else as kept."""
    if kind not in IMAGES:
        return kept
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(kept)) as image:
        upright = ImageOps.exif_transpose(image)
        pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        if upright.mode == "P":
            pixels.putpalette(upright.getpalette())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 95}, "PNG": {}, "WEBP": {"lossless": True}}[IMAGES[kind]]
    pixels.save(out, IMAGES[kind], **options)
    return out.getvalue()


def place(found: list[Copy], root: Path, work: Path, stage: Path, *, viewer: bool = True) -> None:
    """Put each published copy into the staged site, and the replay viewer when a copy can replay (and viewer is
    true); a copy the last build made from the same file stays as it is."""
    try:
        made = json.loads((work / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made = {}
    wanted = {c.site_path: c for c in found if c.site_path}
    for path in sorted((stage / ARCHIVE).rglob("*"), reverse=True) if (stage / ARCHIVE).is_dir() else []:
        rel = path.relative_to(stage).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    record = {}
    for rel, copy in sorted(wanted.items()):
        target = stage / rel
        entry = made.get(rel)
        if not (entry and entry.get("from") == copy.capture.sha256 and target.is_file()
                and target.stat().st_size == entry.get("size")):
            body = published_bytes((root / copy.capture.file).read_bytes(), copy.format)
            disk.replace(target, body)
            entry = {"from": copy.capture.sha256, "size": len(body)}
        record[rel] = entry
    if viewer and any(c.replayable for c in found):
        viewer = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "replaywebpage"
        for name in ("ui.js", "sw.js"):
            disk.replace(stage / REPLAY_FOLDER / name, (viewer / name).read_bytes())
    if record != made:
        disk.keep(root, work / RECORD, json.dumps(record, sort_keys=True).encode())


def by_source(found: list[Copy]) -> dict[str, list[Copy]]:
    """The copies grouped by the source they are of, for the Sources page."""
    grouped: dict[str, list[Copy]] = {}
    for copy in found:
        grouped.setdefault(copy.source, []).append(copy)
    return grouped
