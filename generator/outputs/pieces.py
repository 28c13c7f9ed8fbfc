"""The exports' pieces kept from the last build, so that a rebuild encodes again only the facts that changed.

Each flight's parts of the exports (its brief.json entry, its GeoJSON features, its STIX note, its CSV row) are
kept, as the text written, in the work folder under a digest of everything they are made from (exports.flight_keys
says what: the flight, what it refers to, its group, its marking and times, the build time, intelbrief's code). A
part whose digest is unchanged is copied from there; any other is made again, so the exports are the same bytes as
a build from nothing. Flights are the bulk of every export at scale; the other facts are encoded each time.

The pieces live in one file written as the exports are (a piece at a time, never the whole in memory), beside an
index of each piece's place, length and digest of its text. The work folder could be committed by a contributor or
planted by another user, so the index is signed with the key the parse cache uses (kept outside the checkout, see
facts/parsecache.py) and each piece is checked against the digest the signed index gives before it is used: an
unsigned, altered or foreign cache is ignored and written again, and what is built never depends on it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from generator import __version__
from generator.facts import parsecache

NAME = "export-pieces"  # in the work folder: NAME.bin (the texts) and NAME.idx (the signed index)
FORMAT = "intelbrief-export-pieces/1"
PARTS = ("json", "geojson", "stix", "csv")  # in the order write_exports asks for them
CODE = Path(__file__).resolve().parents[1]  # the generator package: any change to its code makes every piece again


def digest(*parts: str) -> str:
    """A short digest of text parts, kept apart from one another."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=20).hexdigest()


def code_version() -> str:
    """What every piece depends on besides the facts: intelbrief's version and code, and the libraries' versions
    whose data or encoding shape the exports (the airfields' table, the models)."""
    whole = hashlib.sha256()
    for path in sorted(p for p in CODE.rglob("*") if p.is_file() and "assets" not in p.relative_to(CODE).parts
                       and "__pycache__" not in p.parts):
        whole.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    libraries = " ".join(f"{name}-{version(name)}" for name in ("airportsdata", "pydantic"))
    return f"{FORMAT} {__version__} {whole.hexdigest()} {libraries}"


class Pieces:
    """The pieces of the last build (read as they are asked for) and those of this one (written as they are made)."""

    def __init__(self, root: Path, work: Path):
        self.root, self.work = root, work
        self.key = parsecache.signing_key(root)
        self.version = code_version() if self.key else ""  # a different version: every piece is made again
        self.reused = self.made = 0
        self._old_file = self._old_index = None  # the last build's texts and its index, read once, in order
        self._at: tuple | None = None  # the index line the reading has come to: ((rank, fact id), key, place, digest)
        self._new = None  # this build's texts and index, each in a temporary file until save
        if self.key and self._signed():
            self._next()

    @property
    def texts(self) -> Path:
        return self.work / f"{NAME}.bin"

    @property
    def index(self) -> Path:
        return self.work / f"{NAME}.idx"

    def _signed(self) -> bool:
        """Open the last build's pieces when their index is signed with this user's key for this version (read a
        line at a time: memory stays that of a line at any size)."""
        try:
            index = open(os.open(self.index, os.O_RDONLY | os.O_NOFOLLOW), "rb")
        except OSError:
            return False
        with index:
            signer, last = self._signer(), []
            for line in index:
                if len(last) == 2:
                    signer.update(last.pop(0))
                last.append(line)
        try:
            separator, trailer = last
            header = json.loads(trailer)
        except ValueError:
            return False
        if (separator != b"\n" or not isinstance(header, dict) or header.get("version") != self.version
                or not hmac.compare_digest(str(header.get("mac", "")), signer.hexdigest())):
            return False
        try:
            self._old_index = open(os.open(self.index, os.O_RDONLY | os.O_NOFOLLOW), "rb")
            self._old_file = open(os.open(self.texts, os.O_RDONLY | os.O_NOFOLLOW), "rb")
        except OSError:
            self.close()
            return False
        return True

    def _next(self) -> None:
        """Move to the next line of the last build's index (None at its end, or at a line that is not a piece's)."""
        line = self._old_index.readline() if self._old_index else b""
        try:
            fid, kept = line.decode("utf-8").rstrip("\n").split("\t")
            part, key, offset, length, sha = kept.split(" ")
            self._at = ((PARTS.index(part), json.loads(fid)), key, int(offset), int(length), sha)
        except ValueError:
            self._at = None

    def _signer(self, body: bytes = b""):
        signer = hmac.new(self.key, self.version.encode() + b"\n", hashlib.sha256)
        signer.update(body)
        return signer

    def text(self, part: str, fid: str, key: str, make: Callable[[], str]) -> str:
        """The text of one fact's part: the last build's when it was made from the same key, else make()'s; kept
        for the next build either way."""
        kept = self._kept(part, fid, key)
        if kept is None:
            text = make()
            raw, sha = text.encode("utf-8"), None
            self.made += 1
        else:
            raw, sha = kept
            text = raw.decode("utf-8")
            self.reused += 1
        if self.key:
            if self._new is None:
                self._new = _New(self.work, self._signer())
            self._new.add(part, fid, key, raw, sha or _sha(raw))
        return text

    def _kept(self, part: str, fid: str, key: str) -> tuple[bytes, str] | None:
        """The bytes of a kept piece made from this key, and their digest (checked against the signed index).

        Pieces are asked for in the order they were written (by export, then by fact id), so the last build's index
        is read alongside, never held: lines before the one asked for are passed over."""
        wanted = (PARTS.index(part), fid)
        while self._at is not None and self._at[0] < wanted:
            self._next()
        if self._at is None or self._at[0] != wanted or self._at[1] != key:
            return None
        _, _, offset, length, sha = self._at
        try:
            self._old_file.seek(offset)
            raw = self._old_file.read(length)
        except OSError:
            return None
        if not hmac.compare_digest(_sha(raw), sha):
            return None  # the file was altered since its index was signed
        return raw, sha

    def __enter__(self) -> Pieces:
        return self

    def __exit__(self, kind, error, trace) -> None:
        """Keep this build's pieces when the exports were written whole; drop them when anything failed."""
        if kind is None:
            self.save()
        else:
            self.discard()

    def save(self) -> None:
        """Put this build's pieces in place of the last build's (the texts first, then the index that signs them)."""
        self.close()
        if self._new is None:
            return
        new, self._new = self._new, None
        new.flush()
        self.index.unlink(missing_ok=True)  # never an index over texts it does not describe
        os.replace(new.texts_path, self.texts)
        new.index.write(b"\n" + json.dumps({"version": self.version, "mac": new.signer.hexdigest()}).encode() + b"\n")
        new.index.close()
        os.replace(new.index_path, self.index)

    def close(self) -> None:
        """Stop reading the last build's pieces and writing this one's (kept in temporary files until save)."""
        for old in (self._old_file, self._old_index):
            if old is not None:
                old.close()
        self._old_file = self._old_index = None
        if self._new is not None:
            self._new.texts.close()

    def discard(self) -> None:
        """Drop this build's pieces (the build failed); the last build's stay."""
        self.close()
        if self._new is not None:
            self._new.index.close()
            self._new.texts_path.unlink(missing_ok=True)
            self._new.index_path.unlink(missing_ok=True)
            self._new = None


class _New:
    """This build's pieces: their texts and their index, each written to a temporary file as they are made."""

    def __init__(self, work: Path, signer):
        self.texts_path = work / f".{NAME}.bin.{os.getpid()}.tmp"
        self.index_path = work / f".{NAME}.idx.{os.getpid()}.tmp"
        self.texts, self.index = _created(self.texts_path), _created(self.index_path)
        self.signer, self.offset = signer, 0
        self.lines: list[str] = []  # index lines not yet written (a few at a time)

    def add(self, part: str, fid: str, key: str, raw: bytes, sha: str) -> None:
        self.texts.write(raw)
        self.lines.append(f"{json.dumps(fid)}\t{part} {key} {self.offset} {len(raw)} {sha}\n")
        self.offset += len(raw)
        if len(self.lines) >= 1000:
            self.flush()

    def flush(self) -> None:
        chunk = "".join(self.lines).encode("utf-8")
        self.lines.clear()
        self.index.write(chunk)
        self.signer.update(chunk)


def _sha(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _created(path: Path):
    """A new file to write to, never through a link."""
    if os.path.lexists(path):
        path.unlink()
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600), "wb")
