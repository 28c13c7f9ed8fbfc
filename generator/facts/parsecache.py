"""What the last build parsed, kept in the work folder so the next one reads only the fact files that changed.

Parsing a fact file (reading its YAML with the line and column of every value) costs more than validating what it
says. The cache keeps, for each fact file that parsed, the plain data its bytes gave, under the SHA-256 of those
bytes: a file whose bytes are unchanged is validated again from that data, and its lines and columns are found by
parsing it again only when a message needs them.

The cache lives in the brief's work folder, which a contributor could commit or another user could plant, so it is
signed with a key kept outside the checkout (in the user's cache folder, made on first use and readable by that
user alone). A cache that is not signed with that key, was written by another version of intelbrief or of the
parser, or cannot be read is ignored and rewritten, so what is built never depends on it. It holds only strings,
lists and mappings, read as JSON: nothing in it is ever run.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from generator import __version__, disk
from generator.facts import loader

NAME = "parsed-facts.json"  # in the work folder
KEY_ENV = "INTELBRIEF_CACHE_KEY_DIR"  # where the signing key is kept, when not the user's cache folder
KEY_NAME = "cache-signing.key"
KEY_BYTES = 32
FORMAT = "intelbrief-parsed-facts/1"


def version() -> str:
    """What the cached data depends on besides a file's bytes: intelbrief's version and the parser's own code."""
    import yaml

    parser = hashlib.sha256(Path(loader.__file__).read_bytes()).hexdigest()
    return f"{FORMAT} {__version__} {parser} yaml-{yaml.__version__} {'c' if loader.FAST else 'py'}"


def key_folder() -> Path:
    chosen = os.environ.get(KEY_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intelbrief"


def signing_key(project_root: Path) -> bytes | None:
    """The user's key, made on first use; None when it cannot be kept safely (then nothing is cached)."""
    folder = key_folder()
    try:
        if folder.resolve().is_relative_to(project_root.resolve()):
            return None  # a key inside the brief could be committed with it
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / KEY_NAME
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as out:
                out.write(secrets.token_bytes(KEY_BYTES))
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(handle, "rb") as kept:
            info = os.fstat(kept.fileno())
            key = kept.read(KEY_BYTES + 1)
    except OSError:
        return None
    if len(key) != KEY_BYTES or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # someone else's, shared with others, or cut short: do not trust what it signs
    return key


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def signed(key: bytes, version: str, body: bytes) -> bytes:
    """A record for the work folder: a header line with its version and signature (with key), then body."""
    return json.dumps({"version": version, "mac": _mac(key, version, body)}).encode() + b"\n" + body


def opened(key: bytes, version: str, raw: bytes) -> bytes | None:
    """The body of a record signed (see signed) with this key for this version; None when it is unsigned, altered,
    another version's or another key's."""
    head, _, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("version") != version:
        return None
    return body if hmac.compare_digest(str(header.get("mac", "")), _mac(key, version, body)) else None


def _mac(key: bytes, version: str, body: bytes) -> str:
    return hmac.new(key, version.encode("utf-8") + b"\n" + body, hashlib.sha256).hexdigest()


class ParseCache:
    """The parsed data of the last build's fact files, by path and the hash of their bytes."""

    def __init__(self, root: Path, work: Path):
        self.root, self.path = root, work / NAME
        self.key = signing_key(root)
        self.version = version() if self.key else ""
        self.found: dict[str, tuple[str, str]] = {}  # path → (hash of the bytes, the data as JSON text)
        self.used: dict[str, tuple[str, str]] = {}  # what this build read, kept for the next
        self.changed = False
        if self.key:
            self.found = self._read()

    def _read(self) -> dict[str, tuple[str, str]]:
        try:
            raw = self.path.read_bytes() if not self.path.is_symlink() else b""
        except OSError:
            return {}
        body = opened(self.key, self.version, raw)
        if body is None:
            return {}
        found = {}
        try:
            for line in body.decode("utf-8").split("\n")[:-1]:  # JSON text holds no raw line break
                path, sha, text = line.split("\t", 2)
                found[json.loads(path)] = (sha, text)
        except ValueError:
            return {}
        return found

    def data(self, path: str, raw: bytes):
        """The data this file's bytes parsed to last time, or None."""
        if not self.key:
            return None
        sha = digest(raw)
        kept = self.found.get(path)
        if kept is None or kept[0] != sha:
            return None
        self.used[path] = kept
        return json.loads(kept[1])

    def keep(self, path: str, raw: bytes, data) -> None:
        """Remember what this file's bytes parsed to."""
        if self.key:
            self.used[path] = (digest(raw), json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            self.changed = True

    def save(self) -> None:
        """Write what this build parsed, when it differs from what was read (through no link)."""
        if not self.key or (not self.changed and self.used.keys() == self.found.keys()):
            return
        body = "".join(f"{json.dumps(path)}\t{sha}\t{text}\n" for path, (sha, text) in sorted(self.used.items())).encode("utf-8")
        disk.keep(self.root, self.path, signed(self.key, self.version, body))
