"""The sealed edition without its passphrase: no file name can be tested against a guessed path, every file the brief
gave the site is sealed (name and bytes), and sizes fall into a few buckets instead of naming files."""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import zlib
import struct

import pytest

from generator.outputs import seal
from generator.site import fragments
from tests.conftest import new_brief
from tests.trees import BASE

PASSPHRASE = "correct horse battery staple"
SALT = re.compile(r'"salt": "([^"]+)"')


def png(width: int, height: int) -> bytes:
    """A small valid PNG, its pixels a pattern that does not compress to nothing."""
    rows = b"".join(b"\0" + bytes((x * 7 + y * 13) % 256 for x in range(width * 3)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


MAP = png(64, 48)
REPORT = b"%PDF-1.4\n% zqx-report body\n" + bytes(range(256)) * 20


def build(root, *args, passphrase=PASSPHRASE):
    env = {**os.environ, "BRIEF_PASSPHRASE": passphrase}
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", *args], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """A brief with a known base, a content page showing an image and linking a PDF, built with --encrypt."""
    root = tmp_path_factory.mktemp("sealed") / "brief"
    project = new_brief(root, {"data/bases/hmeimim.yml": BASE,
                               "content/zqx-annex.md": "# Annex\n\n![Map](img/zqx-map.png)\n\n"
                                                       "[The report](files/zqx-report.pdf)\n"})
    (project.content / "img").mkdir()
    (project.content / "img" / "zqx-map.png").write_bytes(MAP)
    (project.content / "files").mkdir()
    (project.content / "files" / "zqx-report.pdf").write_bytes(REPORT)
    build(root, "--encrypt")
    return project


def site_files(project) -> dict[str, bytes]:
    return {p.relative_to(project.site).as_posix(): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}


def salt_of(project) -> bytes:
    return base64.b64decode(SALT.search((project.site / "index.html").read_text()).group(1))


def test_no_page_name_can_be_tested_with_the_public_salt_only_with_the_passphrase(sealed):
    names = set(site_files(sealed))
    salt = salt_of(sealed)
    guesses = ["bases/hmeimim.html", "bases/index.html", "flights/index.html", "data.html", "zqx-annex.html",
               "data/flights.csv", "img/zqx-map.png"]
    public = {hashlib.sha256(salt + g.encode()).hexdigest()[:20] for g in guesses}  # what the salt alone gives
    assert [n for n in names if any(h in n for h in public)] == []
    key = seal.Key.derive(PASSPHRASE, salt)
    assert f"{key.name('bases/hmeimim.html')}.html" in names  # the passphrase's naming key gives the real names
    assert f"sealed/{key.name('img/zqx-map.png')}.js" in names
    assert key.names != key.secret and key.name("bases/hmeimim.html") != hashlib.sha256(
        key.secret + b"bases/hmeimim.html").hexdigest()[:20]


def test_every_file_from_the_brief_is_sealed_name_and_bytes(sealed):
    files = site_files(sealed)
    assert [n for n in files if "zqx" in n or n.endswith((".png", ".pdf", ".csv", ".json", ".geojson"))
            and not n.startswith("assets/")] == []
    assert [n for n, body in files.items() if MAP in body or b"zqx-report body" in body] == []
    assert [n for n, body in files.items() if re.search(rb"flights\.csv|brief\.stix\.json|zqx-map", body)] == []
    assert [n for n, body in files.items() if n.startswith("sealed/") and b'"file"' in body] == []
    key = seal.Key.derive(PASSPHRASE, salt_of(sealed))
    image = json.loads(files[f"sealed/{key.name('img/zqx-map.png')}.js"].split(b"(", 1)[1].rsplit(b")", 1)[0])
    assert key.open(image["data"], image["name"]) == MAP


def test_the_files_left_in_the_clear_are_the_same_in_every_brief(sealed, tmp_path):
    """What is not sealed is the theme's and intelbrief's own: byte for byte what a plain build of an empty brief has."""
    other = new_brief(tmp_path / "other", {})
    build(other.root)
    plain = site_files(other)
    switch = fragments.SWITCH  # a published plain site's search script is switched over to its fragment index
    plain[switch] = fragments.switched_off(plain[switch].decode()).encode()
    clear = {n: body for n, body in site_files(sealed).items()
             if not n.endswith(".html") and not n.startswith("sealed/") and n != "search/search_index.js"}
    assert [n for n, body in clear.items() if plain.get(n) != body] == []


def test_sealed_sizes_fall_into_buckets(sealed):
    key = seal.Key.derive(PASSPHRASE, salt_of(sealed))
    padded = []
    for name, body in site_files(sealed).items():
        if name.startswith("sealed/") or name == "search/search_index.js":
            data = json.loads(body.split(b"(", 1)[1].rsplit(b")", 1)[0])["data"]
        elif name.endswith(".html"):
            data = json.loads(re.search(r'id="brief-sealed">(.*?)</script>', body.decode()).group(1))["page"]
        else:
            continue
        padded.append(len(base64.b64decode(data)) - 12 - 16)  # IV and tag
    assert len(padded) > 20 and all(size % 4096 == 0 or size == seal.bucket(size) for size in padded)
    assert len(set(padded)) < len(padded) / 2  # many files share a size


@pytest.mark.parametrize("size, padded", [(0, 4096), (1, 4096), (4096, 4096), (4097, 8192), (65_536, 65_536),
                                          (65_537, 81_920), (100_000, 114_688), (131_072, 131_072),
                                          (131_073, 163_840), (1_000_000, 1_048_576)])
def test_the_size_buckets(size, padded):
    assert seal.bucket(size) == padded
    assert len(seal.pad(bytes(size - 1))) == padded if size else True
    assert seal.unpad(seal.pad(b"ab\x80\0")) == b"ab\x80\0"
