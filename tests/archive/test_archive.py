"""Captures of sources: brief archive add keeps them, validate and build verify them, sites publish clean copies."""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml

from generator import build, cli
from tests.archive import captures as made

SOURCE = """
    # The report as the desk read it.
    id: report
    title: A news report
    publisher: unknown
    url: https://example.org/report   # the article's address
    published: 2024-12-15
    kind: news
    reliability: B
    # more notes may follow
"""
BASE = {"data/sources/report.yml": SOURCE}


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def captured(brief, tmp_path, capsys):
    """A brief whose one source has a WACZ, a gzipped WARC, a JPEG with GPS, a PDF and a text capture."""
    project = brief({}, base={**_minimal(), **BASE})
    files = {"page.wacz": made.wacz(), "page.warc": made.warc(), "photo.jpg": made.jpeg_with_gps(),
             "saved.pdf": made.PDF, "post.txt": made.TEXT}
    extra = {"saved.pdf": ["--url", "https://example.org/report.pdf", "--captured", "2024-12-15T10:00Z"],
             "post.txt": ["--url", "https://example.org/post", "--captured", "2024-12-15T12:00+02:00",
                          "--method", "copied by hand"],
             "photo.jpg": ["--url", "https://example.org/photo"]}
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
        code, _, err = run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / name, *extra.get(name, []))
        assert (code, err) == (0, "")
    return project


def _minimal() -> dict:
    from tests.conftest import MINIMAL

    return {k: v for k, v in MINIMAL.items() if k != "data/sources/report.yml"}


def entries(project) -> list[dict]:
    return yaml.safe_load((project.data / "sources" / "report.yml").read_text())["archive"]


# ---------------------------------------------------------------- brief archive add


def test_archive_add_keeps_the_file_under_its_hash_and_records_what_the_file_says(brief, tmp_path, capsys):
    project = brief({}, base={**_minimal(), **BASE})
    body = made.wacz()
    (tmp_path / "page.wacz").write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    code, out, err = run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / "page.wacz")
    kept = f"archive/report/{digest[:16]}.wacz"
    assert (code, err) == (0, "")
    assert out == (f"kept {kept} (sha256 {digest}, captured 2024-12-15T09:30Z, https://example.org/report) and "
                   "recorded it in data/sources/report.yml: review it, then brief validate\n")
    assert (project.root / kept).read_bytes() == body
    text = (project.data / "sources" / "report.yml").read_text()
    assert text.startswith("# The report as the desk read it.\n")  # comments and layout untouched
    assert "url: https://example.org/report   # the article's address\n" in text
    assert text.endswith(f"# more notes may follow\narchive:\n  - file: {kept}\n    sha256: {digest}\n"
                         "    captured: 2024-12-15T09:30Z\n    url: https://example.org/report\n"
                         "    method: test-capturer 1.0\n")


def test_archive_add_reads_warc_and_exif_times_and_converts_offsets_to_utc(captured):
    found = {Path(e["file"]).suffix: e for e in entries(captured)}
    assert [e["method"] for e in entries(captured)] == [
        "test-capturer 1.0", "test-capturer 1.0", "photograph or screenshot", "saved PDF", "copied by hand"]
    assert found[".warc"]["captured"] == "2024-12-15T09:30Z" and found[".warc"]["url"] == "https://example.org/report"
    assert found[".jpg"]["captured"] == "2024-12-15T09:30Z"  # 11:30 at +02:00 in the photo's EXIF
    assert found[".txt"]["captured"] == "2024-12-15T10:00Z"  # --captured 12:00+02:00
    assert "published_sha256" in found[".jpg"] and found[".jpg"]["published_sha256"] != found[".jpg"]["sha256"]


def test_a_second_capture_is_added_beside_the_first_and_never_overwrites(captured, tmp_path, capsys):
    before = entries(captured)
    code, _, err = run(capsys, "-C", captured.root, "archive", "add", "report", tmp_path / "page.wacz")
    digest = hashlib.sha256(made.wacz()).hexdigest()
    assert (code, err) == (1, f"error: archive/report/{digest[:16]}.wacz: this capture is already kept there (same "
                              "SHA-256), expected a capture not yet archived; nothing was written\n")
    assert entries(captured) == before
    assert len(before) == 5


@pytest.mark.parametrize("args, message", [
    (["report", "saved.pdf"], "saved.pdf: give --url and --captured (a PDF file does not record them); nothing was archived"),
    (["report", "saved.pdf", "--url", "https://example.org/x", "--captured", "2024-12-15 10:00"],
     "--captured '2024-12-15 10:00' has no time zone, expected UTC with a trailing Z or an offset such as +02:00"),
    (["nosuch", "saved.pdf"], "data/sources/nosuch.yml: no source with id 'nosuch', expected the id of a source in "
                              "data/sources/"),
    (["report", "notes.docx"], "notes.docx: not a capture format intelbrief reads, expected a file ending in .wacz, "
                               ".warc, .warc.gz, .pdf, .png, .jpg, .jpeg, .webp, .txt, .html, .htm"),
    (["report", "broken.warc"], "broken.warc: damaged WARC file: the digest of record 2 (https://example.org/report) does "
                                "not match its content; nothing was archived"),
])
def test_archive_add_refuses_what_it_cannot_record(brief, tmp_path, capsys, args, message):
    project = brief({}, base={**_minimal(), **BASE})
    (tmp_path / "saved.pdf").write_bytes(made.PDF)
    (tmp_path / "notes.docx").write_bytes(b"x")
    (tmp_path / "broken.warc").write_bytes(made.warc().replace(b"Il-76", b"An-12"))
    source = project.data / "sources" / "report.yml"
    before = source.read_bytes()
    code, out, err = run(capsys, "-C", project.root, "archive", "add", args[0], tmp_path / args[1], *args[2:])
    assert (code, out) == (1, "")
    assert err == f"error: {tmp_path}/{message}\n" if message.startswith(args[1]) else err == f"error: {message}\n"
    assert source.read_bytes() == before and not (project.root / "archive").exists()


# ---------------------------------------------------------------- verified on every validate and build


def _line_of(project, needle: str) -> int:
    lines = (project.data / "sources" / "report.yml").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_validate_passes_whole_captures(captured, capsys):
    code, out, err = run(capsys, "-C", captured.root, "validate")
    assert (code, err) == (0, "")
    assert out == "data/: valid (1 source, 0 bases, 0 flights, 0 assessments, 0 events)\n"


def test_validate_reads_a_capture_again_only_when_it_changed(captured, capsys, monkeypatch):
    from generator.facts import captures

    read = []
    monkeypatch.setattr(captures, "file_digest", lambda path, real=captures.file_digest: read.append(path.name) or real(path))
    assert run(capsys, "-C", captured.root, "validate")[0] == 0
    assert len(read) == 5  # every capture, the first time
    read.clear()
    assert run(capsys, "-C", captured.root, "validate")[0] == 0
    assert read == []  # none changed since
    file, _ = _tamper(captured, ".pdf", lambda b: b.replace(b"Catalog", b"Katalog"))
    assert run(capsys, "-C", captured.root, "validate")[0] == 1
    assert read == [Path(file).name]  # the altered one only, and it fails its hash


def _tamper(project, suffix: str, change) -> tuple[str, int]:
    entry = next(e for e in entries(project) if e["file"].endswith(suffix))
    path = project.root / entry["file"]
    path.write_bytes(change(path.read_bytes()))
    return entry["file"], entry


def _rehash(project, file: str) -> None:
    """Record the file's new hash, as a careless edit would: only the format's own digests can tell then."""
    source = project.data / "sources" / "report.yml"
    old = next(e for e in entries(project) if e["file"] == file)["sha256"]
    new = hashlib.sha256((project.root / file).read_bytes()).hexdigest()
    source.write_text(source.read_text().replace(old, new))


def test_an_altered_capture_fails_its_hash_with_file_and_line(captured, capsys):
    file, entry = _tamper(captured, ".pdf", lambda b: b.replace(b"Catalog", b"Katalog"))
    actual = hashlib.sha256((captured.root / file).read_bytes()).hexdigest()
    line = _line_of(captured, entry["sha256"])
    code, _, err = run(capsys, "-C", captured.root, "validate")
    assert code == 1
    assert (f"data/sources/report.yml:{line}:13: archive[3].sha256: '{file}' has SHA-256 {actual}, expected "
            f"{entry['sha256']} as recorded: the file changed since it was archived [archive-hash-mismatch]") in err
    code, _, err = run(capsys, "-C", captured.root, "build")
    assert code == 1 and "[archive-hash-mismatch]" in err and not captured.site.exists()


def test_a_missing_capture_is_named(captured, capsys):
    entry = entries(captured)[4]
    (captured.root / entry["file"]).unlink()
    code, _, err = run(capsys, "-C", captured.root, "validate")
    line = _line_of(captured, entry["file"])
    assert code == 1
    assert (f"data/sources/report.yml:{line}:11: archive[4].file: '{entry['file']}' is not there, expected the kept "
            "capture (brief archive add copies it there) [archive-missing]") in err


def test_a_warc_whose_record_digest_fails_is_corrupt_even_when_its_hash_was_updated(captured, capsys):
    file, _ = _tamper(captured, ".warc", lambda body: body.replace(b"Il-76", b"An-12"))
    _rehash(captured, file)
    code, _, err = run(capsys, "-C", captured.root, "validate")
    line = _line_of(captured, file)
    assert code == 1
    assert (f"data/sources/report.yml:{line}:11: archive[1].file: '{file}' is damaged: the digest of record 2 "
            "(https://example.org/report) does not match its content, expected a whole WARC file [archive-corrupt]") in err


def test_a_wacz_whose_package_hashes_fail_is_corrupt(captured, capsys):
    def swap(body: bytes) -> bytes:
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(body)) as old, zipfile.ZipFile(out, "w") as new:
            for info in old.infolist():
                data = old.read(info.filename)
                new.writestr(info, data + b"\n" if info.filename == "pages/pages.jsonl" else data)
        return out.getvalue()
    file, _ = _tamper(captured, ".wacz", swap)
    _rehash(captured, file)
    code, _, err = run(capsys, "-C", captured.root, "validate")
    assert code == 1
    assert (f"archive[0].file: '{file}' is damaged: pages/pages.jsonl does not match its hash in datapackage.json, "
            "expected a whole WACZ file [archive-corrupt]") in err


def test_a_capture_made_after_the_edition_is_refused(captured, capsys):
    source = captured.data / "sources" / "report.yml"
    source.write_text(source.read_text().replace("captured: 2024-12-15T10:00Z\n    url: https://example.org/post",
                                                 "captured: 2024-12-17T10:00Z\n    url: https://example.org/post"))
    code, _, err = run(capsys, "-C", captured.root, "validate")
    assert code == 1
    assert ("archive[4].captured: captured 2024-12-17T10:00Z, after the edition of 2024-12-16, expected a capture "
            "made by the edition day [archive-after-edition]") in err


def test_a_source_with_an_address_and_no_capture_is_a_finding(brief, capsys):
    project = brief({}, base={**_minimal(), **BASE})
    code, out, _ = run(capsys, "-C", project.root, "validate")
    assert code == 0
    assert out.splitlines()[0] == ("data/sources/report.yml:5:6: warning: url: source 'report' has an address but no "
                                   "capture, expected a kept copy of what it said (brief archive add) [source-not-archived]")
    assert run(capsys, "-C", project.root, "validate", "--strict")[0] == 1


# ---------------------------------------------------------------- what a site publishes


def test_the_site_publishes_clean_copies_and_lists_every_capture(captured, capsys):
    assert run(capsys, "-C", captured.root, "build")[0] == 0
    by_suffix = {Path(e["file"]).suffix: e for e in entries(captured)}
    photo = by_suffix[".jpg"]
    published = (captured.site / photo["file"]).read_bytes()
    kept = (captured.root / photo["file"]).read_bytes()
    assert b"CANARY-SERIAL" in kept and b"CANARY-SERIAL" not in published and b"CANARY-AUTHOR" not in published
    from PIL import Image

    with Image.open(io.BytesIO(published)) as image:
        assert dict(image.getexif()) == {} and image.size == (64, 48)
    assert hashlib.sha256(published).hexdigest() == photo["published_sha256"]
    for suffix in (".wacz", ".warc", ".pdf", ".txt"):
        entry = by_suffix[suffix]
        assert (captured.site / entry["file"]).read_bytes() == (captured.root / entry["file"]).read_bytes()
    page = (captured.site / "sources.html").read_text()
    for entry in entries(captured):
        assert entry["sha256"] in page
    assert soup_img(page) == (photo["file"], "Capture of https://example.org/photo")
    assert page.count('class="brief-replay"') == 2  # the WACZ and the WARC


def test_an_html_capture_is_published_as_text_and_a_private_one_not_at_all(brief, tmp_path, capsys):
    project = brief({}, base={**_minimal(), **BASE})
    (tmp_path / "page.html").write_text("<script>alert('CANARY-HTML')</script>")
    (tmp_path / "kept.txt").write_text("CANARY-PRIVATE")
    run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / "page.html", "--url",
        "https://example.org/p", "--captured", "2024-12-15T10:00Z")
    run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / "kept.txt", "--url",
        "https://example.org/k", "--captured", "2024-12-15T10:00Z")
    source = project.data / "sources" / "report.yml"
    source.write_text(source.read_text() + "    publish: false\n")  # on the last capture, the text file
    assert run(capsys, "-C", project.root, "build")[0] == 0
    html_entry, private = entries(project)
    assert not (project.site / html_entry["file"]).exists()
    assert (project.site / (html_entry["file"] + ".txt")).read_text() == "<script>alert('CANARY-HTML')</script>"
    assert not (project.site / private["file"]).exists()
    site_text = b"".join(p.read_bytes() for p in project.site.rglob("*") if p.is_file())
    assert b"CANARY-PRIVATE" not in site_text
    assert "Not published in this site: kept in the repository only (publish: false)." in (
        project.site / "sources.html").read_text()


def test_a_capture_above_the_size_limit_is_listed_not_published_with_a_warning(brief, tmp_path, capsys):
    project = brief({"data/brief.yml": "title: Test brief\nedition: 2024-12-16\ntlp: TLP:CLEAR\narchive_max_mb: 1\n"},
                    base={**_minimal(), **BASE})
    (tmp_path / "big.txt").write_bytes(b"x" * (1024 * 1024 + 1))
    run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / "big.txt", "--url", "https://example.org/b",
        "--captured", "2024-12-15T10:00Z")
    file = entries(project)[0]["file"]
    code, out, _ = run(capsys, "-C", project.root, "validate")
    assert code == 0
    assert (f"archive[0].file: '{file}' is larger than the 1 MB a site copies (archive_max_mb in data/brief.yml), "
            "expected a smaller capture: it is kept and verified, and sites list it with its hash only "
            "[archive-not-published]") in out
    assert run(capsys, "-C", project.root, "build")[0] == 0
    assert not (project.site / file).exists()
    assert "Not published in this site: larger than the 1 MB a site copies." in (project.site / "sources.html").read_text()


def test_a_release_leaves_out_captures_marked_above_it_with_their_files(captured, capsys):
    source = captured.data / "sources" / "report.yml"
    source.write_text(source.read_text() + "    tlp: TLP:AMBER\n")  # the last capture, the text file
    amber = entries(captured)[4]
    code, out, _ = run(capsys, "-C", captured.root, "build")
    assert code == 0 and "marked TLP:AMBER" in out  # a capture's marking counts towards the edition's
    handover = captured.root.parent / "clear.zip"
    assert run(capsys, "-C", captured.root, "build", "--release", "TLP:CLEAR", "--zip", handover)[0] == 0
    assert not (captured.site / amber["file"]).exists()
    import zipfile

    with zipfile.ZipFile(handover) as handed:
        names = set(handed.namelist())
    assert not any(amber["file"] in n for n in names) and any(entries(captured)[0]["file"] in n for n in names)
    everything = b"".join(p.read_bytes() for p in captured.site.rglob("*") if p.is_file())
    assert amber["sha256"].encode() not in everything and b"example.org/post" not in everything
    assert entries(captured)[0]["sha256"].encode() in everything  # the CLEAR ones stay


def test_exports_carry_the_captures_of_the_edition(captured, capsys):
    assert run(capsys, "-C", captured.root, "build")[0] == 0
    brief_json = json.loads((captured.site / "data" / "brief.json").read_text())
    sources = brief_json["sources"]
    report = sources["report"] if isinstance(sources, dict) else next(s for s in sources if s["id"] == "report")
    assert [c["sha256"] for c in report["archive"]] == [e["sha256"] for e in entries(captured)]


def test_a_rebuild_reuses_unchanged_copies_without_reading_them_again(captured, capsys, monkeypatch):
    assert run(capsys, "-C", captured.root, "build")[0] == 0
    from generator.outputs import archive

    calls = []
    original = archive.published_bytes
    monkeypatch.setattr(archive, "published_bytes", lambda kept, kind: calls.append(kind) or original(kept, kind))
    assert build.build(captured).pages
    assert calls == []


def soup_img(page: str) -> tuple[str, str]:
    """The capture figure's image address and alternative text, as a browser reads them."""
    from bs4 import BeautifulSoup

    image = BeautifulSoup(page, "html.parser").select_one("figure.brief-capture-figure img")
    return image["src"], image["alt"]


def test_a_capture_address_cannot_close_the_page_markup(brief, tmp_path, capsys):
    project = brief({}, base={**_minimal(), **BASE})
    (tmp_path / "p.txt").write_text("x")
    hostile = "https://example.org/a--><img/src=x/onerror=alert(1)>"
    assert run(capsys, "-C", project.root, "archive", "add", "report", tmp_path / "p.txt", "--url", hostile,
               "--captured", "2024-12-15T10:00Z")[0] == 0
    assert run(capsys, "-C", project.root, "build")[0] == 0
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((project.site / "sources.html").read_text(), "html.parser")
    assert soup.select("img") == [] or all(not i.get("onerror") for i in soup.select("img"))
    assert soup.select_one(".brief-captures code").get_text() == hostile


def test_a_sealed_edition_holds_no_capture_byte_in_the_clear(captured, capsys, monkeypatch):
    monkeypatch.setenv("BRIEF_PASSPHRASE", "correct horse battery staple")
    assert run(capsys, "-C", captured.root, "build", "--encrypt")[0] == 0
    names = [p.relative_to(captured.site).as_posix() for p in captured.site.rglob("*") if p.is_file()]
    assert not [n for n in names if n.startswith("archive/") or "/replay/" in n]
    everything = b"".join((captured.site / n).read_bytes() for n in names)
    for entry in entries(captured):
        kept = (captured.root / entry["file"]).read_bytes()
        assert entry["sha256"].encode() not in everything and entry["url"].encode() not in everything
        assert (kept[64:128] if len(kept) > 128 else kept) not in everything  # no run of the capture's bytes
    assert b"CANARY-REPLAY" not in everything


def test_the_preview_verifies_captures_and_serves_their_copies(captured):
    from generator.tools import serve

    preview = serve.Preview(captured, say=lambda line: None)
    assert preview.refresh().startswith("rebuilt the whole site")
    served = captured.work / "preview"
    for entry in entries(captured):
        assert (served / entry["file"]).is_file()
    altered = next(e for e in entries(captured) if e["file"].endswith(".txt"))
    (captured.root / altered["file"]).write_bytes(b"rewritten after the fact\n")
    report = preview.refresh()
    assert "[archive-hash-mismatch]" in report and report.endswith("the last good pages stay served.")
    assert preview.live.problems and "[archive-hash-mismatch]" in preview.live.problems[0]


def test_brief_diff_calls_out_captures_added_removed_and_changed(captured, tmp_path, capsys):
    from tests.conftest import commit_all

    commit_all(captured.root, "1734307200")
    source = captured.data / "sources" / "report.yml"
    first, second = entries(captured)[0], entries(captured)[1]
    (tmp_path / "later.txt").write_text("A later copy.\n")
    run(capsys, "-C", captured.root, "archive", "add", "report", tmp_path / "later.txt", "--url",
        "https://example.org/later", "--captured", "2024-12-16T08:00Z")
    added = entries(captured)[-1]
    text = source.read_text().replace(second["sha256"], "0" * 64)  # a hash edited by hand
    lines = text.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if first["file"] in line)
    source.write_text("".join(lines[:start] + lines[start + 5:]))  # the first capture's five lines taken out
    code, out, _ = run(capsys, "-C", captured.root, "diff", "HEAD")
    assert code == 0
    alerts = [line for line in out.splitlines() if line.startswith("! source report: capture")]
    assert alerts == [
        f"! source report: capture removed, {first['file']}",
        f"! source report: capture {second['file']} changed its hash from {second['sha256']} to {'0' * 64}",
        f"! source report: capture added, {added['file']} (captured 2024-12-16T08:00Z from https://example.org/later)",
    ]
