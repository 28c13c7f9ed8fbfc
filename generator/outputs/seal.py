"""The restricted edition: every page and file of a built site that comes from the brief, encrypted under one passphrase.

Each page becomes a small shell with an opaque name that holds its original HTML as AES-256-GCM ciphertext;
the search index, the exports, the PDF and every other file from content/ become sealed scripts that the
reader's browser opens with the same key. Only the theme's and intelbrief's own files (the same in every
brief) stay in the clear. From the passphrase, PBKDF2-SHA256 with a random salt per build gives a master
secret; HKDF-SHA256 derives from it one key that encrypts and another that names: a file's name is an
HMAC of its path, so without the passphrase no name can be tested against a guessed path. Every sealed
content is padded to a size bucket (see bucket()), so sizes do not name files either.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import posixpath
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ConfigError

PASSPHRASE_VARIABLE = "BRIEF_PASSPHRASE"
MIN_PASSPHRASE = 12
ITERATIONS = 600_000
FOLDER = "sealed"  # sealed data files and the search index, as scripts that also load from file://
UNLOCK_SCRIPT = "assets/brief/unlock.js"
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#|/)", re.I)
SEARCH_INDEX = ("search/search_index.json", "search/search_index.js")
DROPPED = ("sitemap.xml", "sitemap.xml.gz")  # they list every page by its name


def passphrase(environ=os.environ) -> str:
    """The passphrase from the environment, never the command line; refused when missing or short."""
    found = environ.get(PASSPHRASE_VARIABLE, "")
    if not found:
        raise ConfigError(f"--encrypt needs the passphrase in the environment variable {PASSPHRASE_VARIABLE}; "
                          "nothing was written")
    if len(found) < MIN_PASSPHRASE:
        raise ConfigError(f"{PASSPHRASE_VARIABLE} has {len(found)} characters, expected at least {MIN_PASSPHRASE}; "
                          "nothing was written")
    return found


CONTENT_INFO = b"intelbrief/1 content key"  # HKDF info of the key that encrypts (unlock.js derives it too)
NAMES_INFO = b"intelbrief/1 file names"  # HKDF info of the key that names files (only the build needs it)
BUCKET_STEP = 4096  # sealed contents up to BUCKET_LINEAR are padded to a multiple of this
BUCKET_LINEAR = 64 * 1024  # above it, to the next quarter step of a power of two


@dataclass(frozen=True)
class Key:
    """The keys derived from the passphrase, with the salt a reader's browser needs to derive them again."""

    secret: bytes  # AES-256 key of every sealed content
    names: bytes  # HMAC-SHA256 key of every opaque file name
    salt: bytes
    iterations: int = ITERATIONS

    @classmethod
    def derive(cls, phrase: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> "Key":
        salt = salt or secrets.token_bytes(16)
        master = hashlib.pbkdf2_hmac("sha256", phrase.encode("utf-8"), salt, iterations, 32)
        return cls(_hkdf(master, CONTENT_INFO), _hkdf(master, NAMES_INFO), salt, iterations)

    def name(self, path: str) -> str:
        """An opaque name for a path: 20 hexadecimal characters of its HMAC under the naming key."""
        return hmac.new(self.names, path.encode("utf-8"), hashlib.sha256).hexdigest()[:20]

    def seal(self, plain: bytes, name: str) -> str:
        """base64(IV ‖ ciphertext ‖ tag) of plain padded to its bucket, bound to the file it belongs to so sealed
        files cannot be swapped."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        iv = secrets.token_bytes(12)
        return base64.b64encode(iv + AESGCM(self.secret).encrypt(iv, pad(plain), name.encode("utf-8"))).decode("ascii")

    def open(self, sealed: str, name: str) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        raw = base64.b64decode(sealed)
        return unpad(AESGCM(self.secret).decrypt(raw[:12], raw[12:], name.encode("utf-8")))


def _hkdf(master: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def bucket(size: int) -> int:
    """The padded size of a content of size bytes: a multiple of 4 KiB up to 64 KiB, then the next quarter step of
    a power of two (64, 80, 96, 112, 128, 160 KiB …): at most 25% larger, and few sizes to tell files apart by."""
    if size <= BUCKET_LINEAR:
        return max(BUCKET_STEP, -(-size // BUCKET_STEP) * BUCKET_STEP)
    step = 1 << (size.bit_length() - 3)  # a quarter of the power of two at or below size
    return -(-size // step) * step


def pad(plain: bytes) -> bytes:
    """plain, a 0x80 byte and zeros up to its bucket (ISO/IEC 7816-4 padding, which unpad removes)."""
    return plain + b"\x80" + bytes(bucket(len(plain) + 1) - len(plain) - 1)


def unpad(padded: bytes) -> bytes:
    stripped = padded.rstrip(b"\0")
    if not stripped.endswith(b"\x80"):
        raise ValueError("sealed content without its padding mark")
    return stripped[:-1]


def seal_site(site: Path, phrase: str, files: set[str] = frozenset()) -> dict[str, str]:
    """Encrypt the built site in place: every page, the search index, the PDFs and the given files of the site (the
    exports and every other file the brief gave the site engine); returns the map of old page paths to their names."""
    key = Key.derive(phrase)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    names = opaque_names(pages, key)
    others = sorted({path for path in files if (site / path).is_file() and not path.endswith(".html")}
                    | {name for name in ("brief.pdf", "brief-full.pdf") if (site / name).is_file()})
    sealed = {path: f"{FOLDER}/{key.name(path)}.js" for path in others}
    seal = {"salt": base64.b64encode(key.salt).decode(), "iterations": key.iterations}
    for page in pages:
        original = (site / page).read_text(encoding="utf-8")
        moved = relink(original, page, names, sealed)
        (site / page).unlink()
        (site / names[page]).write_text(shell(key, names[page], moved, seal), encoding="utf-8")
    for path, target in sealed.items():
        _write_sealed(site / target, key, target, (site / path).read_bytes())
        (site / path).unlink()
    _seal_search(site, key, names)
    for name in DROPPED:
        (site / name).unlink(missing_ok=True)
    _remove_empty_folders(site)
    return names


def opaque_names(pages: list[str], key: Key) -> dict[str, str]:
    """Old page path → a name that says nothing of the page; index.html and 404.html keep theirs (hosts look for them)."""
    return {page: page if page in ("index.html", "404.html") else key.name(page) + ".html" for page in pages}


def relink(page_html: str, page: str, names: dict[str, str], sealed: dict[str, str]) -> str:
    """The page's own links rewritten for its new place at the site's root and its neighbours' new names."""
    def target(url: str) -> str:
        if not url or _OUTSIDE.match(url):
            return url
        path, _, fragment = url.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        moved = names.get(resolved) or sealed.get(resolved) or resolved
        return moved + (f"#{fragment}" if fragment else "")

    text = _URL_ATTRIBUTE.sub(lambda m: m.group(1) + html.escape(target(html.unescape(m.group(2)))) + m.group(3),
                              page_html)
    for old, new in sealed.items():  # sealed files open through unlock.js, not by the browser
        shown = html.escape(old)
        text = text.replace(f'href="{html.escape(new)}"', f'href="{html.escape(new)}" data-brief-sealed="{shown}"')
        text = text.replace(f'src="{html.escape(new)}"', f'data-brief-sealed-src="{html.escape(new)}" '
                                                          f'data-brief-sealed="{shown}"')
    return _CONFIG.sub(lambda m: m.group(1) + _rebased(m.group(2)) + m.group(3), text)


def _rebased(config: str) -> str:
    """Material's page configuration, its paths now relative to the site's root."""
    values = json.loads(config)
    values["base"] = "."
    values["search"] = re.sub(r"^(\.\./)+", "", values["search"])
    return json.dumps(values)


def shell(key: Key, name: str, page_html: str, seal: dict) -> str:
    """The page as the host sees it: a passphrase form and the sealed original, titled and named generically."""
    payload = json.dumps({**seal, "name": name, "page": key.seal(page_html.encode("utf-8"), name)})
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>Restricted brief</title>
<link rel="icon" href="assets/images/favicon.png">
<link rel="stylesheet" href="assets/brief/unlock.css">
</head>
<body>
<main class="brief-lock-screen">
<h1>Restricted brief</h1>
<p>This edition is encrypted. Enter the passphrase you were given to read it.</p>
<form class="brief-unlock" autocomplete="off">
<label for="brief-passphrase">Passphrase</label>
<input id="brief-passphrase" name="passphrase" type="password" autocomplete="off" required minlength="{MIN_PASSPHRASE}">
<button type="submit">Open</button>
<p class="brief-unlock-error" role="alert" hidden></p>
</form>
<noscript><p>Opening the brief needs JavaScript.</p></noscript>
</main>
<script type="application/json" id="brief-sealed">{_json_in_html(payload)}</script>
<script src="{UNLOCK_SCRIPT}"></script>
</body>
</html>
"""


def _json_in_html(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _write_sealed(target: Path, key: Key, name: str, raw: bytes) -> None:
    """A sealed file as a script that hands its ciphertext to unlock.js (scripts load from disk; fetch does not).

    It says nothing of the file it holds: the page that links it (sealed itself) gives its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"name": name, "data": key.seal(raw, name)})
    target.write_text(f"window.briefSealed&&window.briefSealed({body});\n", encoding="utf-8")


def _seal_search(site: Path, key: Key, names: dict[str, str]) -> None:
    """The search index, its page addresses renamed, sealed in place of Material's two copies."""
    source = site / SEARCH_INDEX[0]
    if not source.is_file():
        return
    index = json.loads(source.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        path, _, fragment = doc["location"].partition("#")
        doc["location"] = (names.get(path) or names.get(path + "index.html") or path) + (f"#{fragment}" if fragment else "")
    plain = json.dumps(index, ensure_ascii=False).encode("utf-8")
    for rel in SEARCH_INDEX:
        (site / rel).unlink(missing_ok=True)
    # where the theme loads it from disk; served over HTTP, unlock.js answers the theme's request for the JSON copy
    _write_sealed(site / SEARCH_INDEX[1], key, SEARCH_INDEX[1], plain)


def _remove_empty_folders(site: Path) -> None:
    for folder in sorted((p for p in site.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
