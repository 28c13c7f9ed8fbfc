"""The cache of parsed fact files in the work folder, as a contributor could commit it or another user plant it: a
cache not signed with this user's key, signed for another version, or signed over data its file's bytes do not give
changes nothing that is built. The one signed by this user's key for these bytes is used (else these tests could not
fail), and a build that finds none writes one."""
import hashlib
import hmac
import json
import shutil

import pytest

from generator import cli
from generator.facts import parsecache
from generator.project import Project
from tests.conftest import new_brief
from tests.trees import BASE, flight

FACTS = {
    "data/bases/hmeimim.yml": BASE,
    "data/flights/first.yml": flight("first", "summary: A cargo flight\n"),
    "data/flights/second.yml": flight("second", "summary: Another cargo flight\n"),
}
PLANTED = "A planted summary"
FIRST = "data/flights/first.yml"


def digest(site) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def keys(tmp_path, monkeypatch):
    """This user's key folder (outside the brief), fresh for each test."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv(parsecache.KEY_ENV, str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    return folder


def built(tmp_path):
    project = new_brief(tmp_path / "brief", FACTS)
    assert cli.main(["-C", str(project.root), "build"]) == 0
    return project


def planted(project, key: bytes, version: str) -> None:
    """The brief's cache rewritten so the first flight's unchanged bytes claim another summary, signed with key."""
    cache = project.work / parsecache.NAME
    head, _, body = cache.read_bytes().partition(b"\n")
    lines = []
    for line in body.decode().split("\n")[:-1]:
        path, sha, text = line.split("\t", 2)
        if json.loads(path) == FIRST:
            text = json.dumps({**json.loads(text), "summary": PLANTED})
        lines.append(f"{path}\t{sha}\t{text}\n")
    body = "".join(lines).encode()
    mac = hmac.new(key, version.encode() + b"\n" + body, hashlib.sha256).hexdigest()
    cache.write_bytes(json.dumps({"version": version, "mac": mac}).encode() + b"\n" + body)


def rebuilt_page(project) -> str:
    (project.root / "site").joinpath("index.html").write_bytes(b"")  # the next build is a whole one
    (project.work / "kept-pages.json").unlink()  # and draws every page from the facts as the cache gives them
    assert cli.main(["-C", str(project.root), "build"]) == 0
    return (project.site / "flights" / "2024-12.html").read_text()


def test_a_build_writes_a_signed_cache_and_keeps_its_key_outside_the_brief(tmp_path, keys):
    project = built(tmp_path)
    header = json.loads((project.work / parsecache.NAME).read_bytes().partition(b"\n")[0])
    assert header["version"] == parsecache.version() and len(header["mac"]) == 64
    key = keys / parsecache.KEY_NAME
    assert len(key.read_bytes()) == parsecache.KEY_BYTES and key.stat().st_mode & 0o077 == 0


def test_the_cache_this_user_signed_is_what_a_build_uses(tmp_path, keys):
    """The control: a cache signed with this user's key is believed, so the cases below test the signature."""
    project = built(tmp_path)
    planted(project, (keys / parsecache.KEY_NAME).read_bytes(), parsecache.version())
    assert PLANTED in rebuilt_page(project)


@pytest.mark.parametrize("forged", ["another user's key", "no key at all", "another version"])
def test_a_planted_or_committed_cache_changes_nothing_built(tmp_path, keys, forged):
    project = built(tmp_path)
    whole = digest(project.site)
    key = (keys / parsecache.KEY_NAME).read_bytes()
    signed = {"another user's key": (bytes(32), parsecache.version()), "no key at all": (b"", parsecache.version()),
              "another version": (key, parsecache.version().replace("intelbrief-parsed-facts/1", "intelbrief-parsed-facts/0"))}
    planted(project, *signed[forged])
    assert PLANTED not in rebuilt_page(project)
    assert digest(project.site) == whole
    header = json.loads((project.work / parsecache.NAME).read_bytes().partition(b"\n")[0])
    assert header["version"] == parsecache.version()  # rewritten by the build that ignored it


def test_a_cache_committed_with_the_brief_is_not_believed_by_another_checkout(tmp_path, keys, monkeypatch):
    project = built(tmp_path)
    planted(project, (keys / parsecache.KEY_NAME).read_bytes(), parsecache.version())  # signed by its author
    clone = tmp_path / "clone"
    shutil.copytree(project.root, clone, ignore=shutil.ignore_patterns("site"))
    monkeypatch.setenv(parsecache.KEY_ENV, str(tmp_path / "another-user"))
    assert cli.main(["-C", str(clone), "build"]) == 0
    assert PLANTED not in (Project(clone).site / "flights" / "2024-12.html").read_text()


def test_a_key_folder_inside_the_brief_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    monkeypatch.setenv(parsecache.KEY_ENV, str(tmp_path / "brief" / "keys"))
    project = built(tmp_path)
    assert not (project.work / parsecache.NAME).exists() and not (project.root / "keys").exists()


def test_a_link_planted_as_the_cache_is_refused_and_not_followed(tmp_path, keys, capsys):
    project = built(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text("untouched")
    (project.work / parsecache.NAME).unlink()
    (project.work / parsecache.NAME).symlink_to(outside)
    edited = project.root / FIRST
    edited.write_text(edited.read_text().replace("A cargo flight", "A cargo flight, seen again"))
    capsys.readouterr()
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert outside.read_text() == "untouched"
    assert f"{parsecache.NAME}" in capsys.readouterr().err
