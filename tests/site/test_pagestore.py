"""A rebuild takes each page listing facts from the last build when nothing it is made from changed (site/pagestore.py).

After any edit, even to a fact a page only refers to (a base a flight names, a source, a member of a group, a
template), the docs tree must be the very bytes a build from nothing writes; pages whose inputs are unchanged are not
rendered again; and a record or page altered since, or signed by anyone but this user, must change nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import shutil
from pathlib import Path

import pytest

from generator import build
from generator.project import Project
from generator.site import pagestore
from tests.conftest import BRIEF_PARTS
from tests.hostile.test_parse_cache import keys  # noqa: F401  a fixture: this user's key folder, fresh per test
from tests.outputs.test_export_pieces import (edit, example, flight_file, moved, referred,  # noqa: F401  fixtures
                                              synthetic)
from tests.test_build import tree_digest

FLIGHT = "flight-000007"


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The templates rendered from here on, one entry a page."""
    drawn: list[str] = []
    real = build.page_text

    def counted(env, template, context):
        drawn.append(context["page_path"])
        return real(env, template, context)
    monkeypatch.setattr(build, "page_text", counted)
    return drawn


def assert_docs_as_from_nothing(project: Project, tmp_path: Path) -> None:
    """The docs tree is what a build of a copy of the brief, with no record of any earlier build, writes."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    fresh.mkdir()
    for part in (*BRIEF_PARTS, "data"):
        if (project.root / part).exists():
            (shutil.copytree if (project.root / part).is_dir() else shutil.copy)(project.root / part, fresh / part)
    build.build(Project(fresh))
    assert tree_digest(project.docs) == tree_digest(Project(fresh).docs)


def test_after_each_edit_a_rebuild_writes_the_pages_of_a_build_from_nothing(synthetic, tmp_path):
    edits = [
        (flight_file(synthetic, FLIGHT), r"^operator: .*$", "operator: Another operator with a longer name"),
        (referred(synthetic, "bases"), r"^name: .*$", "name: A renamed base"),  # in every route to it
        (referred(synthetic, "bases"), r"^  icao: \S+$", moved(synthetic)),
        (referred(synthetic, "sources"), r"^title: .*$", "title: A retitled source"),
        (flight_file(synthetic, FLIGHT), r"^departure: .*$", "departure: 2024-09-02T08:00Z"),
        (flight_file(synthetic, FLIGHT), r"^arrival: .*$", "arrival: 2024-09-02T10:00Z"),  # to another month
    ]
    for rel, pattern, replacement in edits:
        edit(synthetic, rel, pattern, replacement)
        build.build(synthetic)
        assert_docs_as_from_nothing(synthetic, tmp_path)
    template = synthetic.root / "templates" / "flight_log.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("\n", "\nEdited log template.\n", 1),
                        encoding="utf-8")
    build.build(synthetic)
    assert all("Edited log template." in page.read_text(encoding="utf-8")
               for page in (synthetic.docs / "flights").glob("20*.md"))
    assert_docs_as_from_nothing(synthetic, tmp_path)


def test_pages_written_beside_the_build_are_kept_and_checked_alike(synthetic, tmp_path, monkeypatch):
    """The copy of the build's process that writes the pages listing facts keeps them the same way."""
    monkeypatch.setattr(build, "_alongside", lambda run: True)
    build.build(synthetic)
    _, _, body = (synthetic.work / pagestore.NAME).read_bytes().partition(b"\n")
    recorded = {json.loads(line)[0] for line in body.splitlines()}
    assert any(path.startswith("bases/") for path in recorded)  # the copy's pages, recorded with the build's
    assert any(path.startswith("flights/20") for path in recorded)
    edit(synthetic, flight_file(synthetic, FLIGHT), r"^operator: .*$", "operator: Yet another operator")
    build.build(synthetic)
    assert_docs_as_from_nothing(synthetic, tmp_path)


def test_a_change_to_a_member_of_a_group_renders_the_group_s_pages_again(example, tmp_path):
    edit(example, "flights/belarus-benghazi-2024-12-14.yml", r"^  place: Benghazi$", "  place: Tobruk")
    build.build(example)
    assert_docs_as_from_nothing(example, tmp_path)


def test_only_the_pages_an_edited_flight_is_on_are_rendered_again(synthetic, rendered):
    build.build(synthetic)  # nothing changed: no page that lists facts is rendered
    kept = {page for page in rendered}
    assert not [page for page in kept if page.startswith(("bases/base-", "flights/20"))]
    rendered.clear()
    path = flight_file(synthetic, FLIGHT)
    edit(synthetic, path, r"^operator: .*$", "operator: Another operator")
    build.build(synthetic)
    log_page = next(p for p in (synthetic.docs / "flights").glob("20*.md")
                    if f"detail-{FLIGHT}" in p.read_text(encoding="utf-8"))
    logs = [page for page in rendered if page.startswith("flights/20")]
    assert logs == [log_page.relative_to(synthetic.docs).as_posix()]
    bases = (synthetic.data / path).read_text(encoding="utf-8")
    ends = set(re.findall(r"(?m)^  base: (\S+)$", bases))
    assert {page for page in rendered if page.startswith("bases/base-")} <= {f"bases/{b}.md" for b in ends}


def test_a_kept_page_altered_since_it_was_written_is_rendered_again(synthetic, rendered):
    page = synthetic.docs / "bases" / f"{Path(referred(synthetic, 'bases')).stem}.md"
    true_text = page.read_bytes()
    page.write_bytes(true_text.replace(b"\n", b"\n<script>planted()</script>\n", 1))
    build.build(synthetic)
    assert page.read_bytes() == true_text
    assert page.relative_to(synthetic.docs).as_posix() in rendered


@pytest.mark.parametrize("how", ["altered", "unsigned", "signed with another key"])
def test_a_record_not_signed_by_this_user_as_written_changes_nothing(synthetic, keys, how):
    """A page planted in the docs tree, with the record's digest of it changed to match, is not taken."""
    page = synthetic.docs / "bases" / f"{Path(referred(synthetic, 'bases')).stem}.md"
    rel, true_text = page.relative_to(synthetic.docs).as_posix(), page.read_bytes()
    planted = true_text.replace(b"\n", b"\n<script>planted()</script>\n", 1)
    page.write_bytes(planted)
    record = synthetic.work / pagestore.NAME
    head, _, body = record.read_bytes().partition(b"\n")
    entries = [json.loads(line) for line in body.splitlines()]
    assert rel in [entry[0] for entry in entries]
    body = b"".join(json.dumps([path, key, hashlib.sha256(planted).hexdigest() if path == rel else sha, *reads],
                               sort_keys=True).encode() + b"\n" for path, key, sha, *reads in entries)
    header = json.loads(head)
    if how == "unsigned":
        header["mac"] = ""
    elif how == "signed with another key":
        header["mac"] = hmac.new(secrets.token_bytes(32), header["version"].encode() + b"\n" + body,
                                 hashlib.sha256).hexdigest()
    record.write_bytes(json.dumps(header).encode() + b"\n" + body)
    build.build(synthetic)
    assert page.read_bytes() == true_text


SUMMING_UP = ("index.md", "bases/index.md", "flights/index.md", "sourcing.md")  # pages that read totals


def test_pages_summing_up_the_flights_are_kept_until_a_total_they_show_changes(synthetic, rendered, tmp_path):
    """A flight's words change no total: the overview, the lists and the Sourcing page are kept (each value they
    used gives the same digest). A flight sent to another base changes the counts per base: the list of bases,
    whose own context is unchanged, is rendered again and the tree is that of a build from nothing."""
    overview = (synthetic.docs / "index.md").read_text(encoding="utf-8")
    fid = next(p.stem for p in sorted((synthetic.data / "flights").rglob("*.yml")) if p.stem not in overview)
    path = flight_file(synthetic, fid)  # a flight the overview does not name (a page naming it is drawn again)
    edit(synthetic, path, r"^operator: ", "summary: Seen again the same day.\noperator: ")
    build.build(synthetic)
    assert not [page for page in rendered if page in SUMMING_UP or page.startswith("assessments")]
    assert_docs_as_from_nothing(synthetic, tmp_path)
    rendered.clear()
    destination = re.search(r"(?m)^destination:\n  base: (\S+)$", (synthetic.data / path).read_text()).group(1)
    other = next(p.stem for p in sorted((synthetic.data / "bases").glob("*.yml")) if p.stem != destination)
    edit(synthetic, path, rf"^destination:\n  base: {destination}$", f"destination:\n  base: {other}")
    build.build(synthetic)
    assert "bases/index.md" in rendered
    assert_docs_as_from_nothing(synthetic, tmp_path)
