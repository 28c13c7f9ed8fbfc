"""The complete reference (brief pdf --full → site/brief-full.pdf), checked as a reader of the printed brief would."""
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from generator import cli

from generator.site import charts

from generator.facts import dataset
from generator.project import Project
from tests.conftest import BRIEF_PARTS, REPO
from tests.outputs import pdfcheck


def export(root) -> Project:
    """The example brief printed through the command a user types: brief pdf --full."""
    root.mkdir(parents=True)
    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    assert cli.main(["-C", str(root), "pdf", "--full"]) == 0
    return Project(root)


@pytest.fixture(scope="module")
def printed(tmp_path_factory, chromium, monkeypatch_module):
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1734307200")
    project = export(tmp_path_factory.mktemp("pdf") / "brief")
    reader = PdfReader(project.site / "brief-full.pdf")
    return project, reader, pdfcheck.page_texts(project.site / "brief-full.pdf")


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_page_carries_the_marking_and_its_number(printed):
    project, reader, pages = printed
    tlp = dataset.load(project.data).brief.tlp
    total = len(pages)
    assert total > 5
    for number, text in enumerate(pages, start=1):
        assert text.count(tlp) >= 2, number  # header and footer
        assert f"page {number} of {total}" in text


def test_the_facts_are_in_the_text(printed):
    project, reader, pages = printed
    data = dataset.load(project.data)
    text = " ".join(pages)
    for base in data.bases.values():
        assert base.name in text
    for a in data.assessments.values():
        assert " ".join(a.title.split()) in text
        if a.likelihood or a.confidence:
            assert f"Likelihood: {a.likelihood}" in text if a.likelihood else "Likelihood: not stated" in text
            assert f"Confidence: {a.confidence}" in text if a.confidence else "Confidence: not stated" in text
        else:  # said once for the view, not twice
            assert "No likelihood or confidence stated by the source" in text
    assert "https://www.flightradar24.com" in text  # printed links show their address


def test_each_key_judgment_is_printed_with_its_count_of_independent_lines(printed):
    project, reader, pages = printed
    data = dataset.load(project.data)
    bottom_line = next(text for text in pages if "Key judgments" in text)
    own = [a for a in data.assessments.values() if a.status == "current" and a.by_brief]
    assert own and bottom_line.count("Sourcing: 1 independent line") == len(own)


def test_cover_shows_title_edition_revision_and_marking(printed):
    project, reader, pages = printed
    brief = dataset.load(project.data).brief
    cover = pages[0]
    assert " ".join(brief.title.split()) in cover and "Edition 16 Dec 2024" in cover
    assert "Information cut-off 15 Dec 2024" in cover and f"{brief.tlp} (FIRST Traffic Light Protocol 2.0)" in cover
    assert "revision" not in cover.lower() and "printed" not in cover.lower()  # no build time on a 2024 edition's cover
    assert "Edition of 16 Dec 2024, printed " in pages[-1] and "from data revision" in pages[-1]  # the colophon


def test_outline_has_a_bookmark_per_section_in_navigation_order(printed):
    project, reader, pages = printed
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    title = dataset.load(project.data).brief.title
    assert titles[1:5] == ["Contents", title, "Narrative", "Bases"]
    for section in ("Flights", "Assessments", "Timeline", "Sources", "Methodology", "Hmeimim Air Base"):
        assert section in titles


def test_pages_are_a4(printed):
    project, reader, pages = printed
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 2 and abs(float(page.mediabox.height) - 841.9) < 2


def test_links_between_pages_stay_links_inside_the_pdf(printed):
    project, reader, pages = printed
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot or annot.get("/A", {}).get("/S") == "/GoTo":
                internal += 1
    assert internal > 20


def ppm_pixels(pdf, page: int):
    """(width, height, rgb bytes) of one page rasterised by poppler's pdftoppm."""
    raw = subprocess.run(["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    header, rest = raw.split(b"\n", 1)
    size, rest = rest.split(b"\n", 1)
    maxval, pixels = rest.split(b"\n", 1)
    width, height = map(int, size.split())
    return width, height, pixels


@pytest.mark.parametrize("caption, colours", [
    ("Bases coloured by their latest observed status", [(0xDB, 0xE9, 0xF4)]),  # the map's sea
    ("Day (UTC)", charts.TEMPLATE["layout"]["colorway"][:4]),  # the flights chart, found by its axis title
    ("Dated facts by kind", charts.TEMPLATE["layout"]["colorway"][:4]),
])
def test_charts_are_drawn_not_blank(printed, caption, colours):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    project, reader, pages = printed
    number = next(i for i, text in enumerate(pages, start=1) if caption in text)
    width, height, pixels = ppm_pixels(project.site / "brief-full.pdf", number)
    rgb = [c if isinstance(c, tuple) else tuple(int(c[j:j + 2], 16) for j in (1, 3, 5)) for c in colours]
    near = sum(1 for i in range(0, len(pixels), 3)
               if any(all(abs(pixels[i + k] - c[k]) < 40 for k in range(3)) for c in rgb))
    assert near > 150, (caption, number, near)


def test_two_exports_are_byte_identical(printed, tmp_path):
    project, reader, pages = printed
    again = export(tmp_path / "again")
    for name in ("brief.pdf", "brief-full.pdf"):
        assert (again.site / name).read_bytes() == (project.site / name).read_bytes(), name


def test_the_site_links_both_pdfs(printed):
    project, reader, pages = printed
    index = (project.site / "index.html").read_text()
    assert 'href="brief.pdf" class="brief-pdf-link">PDF</a>' in index
    assert 'href="brief-full.pdf" class="brief-pdf-link">full PDF</a>' in index


def test_the_edition_names_the_full_reference(printed):
    project, reader, pages = printed
    text = " ".join(pdfcheck.page_texts(project.site / "brief.pdf"))
    assert "The full record (every fact, flight and source) is in the complete reference, brief-full.pdf." in text
    assert "index.html" not in text  # no site address is published: paper names no file a reader cannot open


def test_only_the_brief_s_own_fonts_all_embedded(printed):
    project, reader, pages = printed
    found = pdfcheck.fonts(project.site / "brief-full.pdf")
    assert found and all(emb == "yes" for _, emb in found), found
    # the whole faces, or their Latin cuts (renamed, as the fonts' licence asks of a modified version)
    own = {"IBMPlexSans", "IBMPlexMono", "BriefSansLatin", "BriefMonoLatin"}
    assert {font.split("-")[0] for font, _ in found} <= own, found


def test_metadata_names_the_brief_and_its_marking(printed):
    project, reader, pages = printed
    brief = dataset.load(project.data).brief
    assert reader.metadata.title == brief.title and reader.metadata.subject == brief.tlp
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_no_page_is_nearly_blank(printed):
    project, reader, pages = printed
    pdfcheck.check_fill(project.site / "brief-full.pdf", len(pages))


def test_without_chromium_the_message_names_the_package_and_the_site_is_untouched(brief, capsys, monkeypatch):
    project = brief({})
    monkeypatch.setenv("BRIEF_CHROMIUM", "/nonexistent/chromium")
    assert cli.main(["-C", str(project.root), "pdf"]) == 1
    assert capsys.readouterr().err == ("error: BRIEF_CHROMIUM=/nonexistent/chromium is not an executable file, "
                                       "expected the path of Chromium\n")
    assert not project.site.exists()
    monkeypatch.delenv("BRIEF_CHROMIUM")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli.main(["-C", str(project.root), "pdf"]) == 1
    assert capsys.readouterr().err == ("error: no Chromium found, expected the Debian package 'chromium' "
                                       "(sudo apt-get install chromium) or BRIEF_CHROMIUM=/path/to/chromium\n")
    monkeypatch.undo()
    assert cli.main(["-C", str(project.root), "build"]) == 0


def test_brief_pdf_alone_prints_the_edition_beside_the_site(brief, chromium, capsys, tmp_path):
    project = brief({})
    copy = tmp_path / "handover.pdf"
    assert cli.main(["-C", str(project.root), "pdf", "-o", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {project.site / 'brief.pdf'}, {copy}: ")
    assert copy.read_bytes() == (project.site / "brief.pdf").read_bytes()
    assert not (project.site / "brief-full.pdf").exists() and not list(project.site.glob("*.part"))
    index = (project.site / "index.html").read_text()
    assert 'href="brief.pdf" class="brief-pdf-link">PDF</a>' in index and "brief-full.pdf" not in index
    text = " ".join(pdfcheck.page_texts(copy))
    assert "This edition has no current judgment of the brief's own." in text
    assert "The full record" not in text and "index.html" not in text  # nothing published to point to


@pytest.mark.parametrize("marking, release, where", [
    ("TLP:CLEAR", None, "the brief's site, https://brief.example.org/airlift/"),  # the full edition is the public one
    ("TLP:AMBER", "TLP:CLEAR", "the brief's site, https://brief.example.org/airlift/"),  # the release published there
    ("TLP:AMBER", None, None),  # the public site holds less than this edition: no pointer at all
])
def test_the_edition_sends_its_reader_to_the_site_address_only_when_it_is_published_there(
        brief, chromium, marking, release, where):
    project = brief({"data/brief.yml": f"title: Test brief\nedition: 2024-12-16\ntlp: {marking}\npublish: TLP:CLEAR\n"})
    with open(project.root / "mkdocs.yml", "a", encoding="utf-8") as settings:
        settings.write("site_url: https://brief.example.org/airlift/\n")
    assert cli.main(["-C", str(project.root), "pdf", *(["--release", release] if release else [])]) == 0
    text = " ".join(pdfcheck.page_texts(project.site / "brief.pdf"))
    if where:
        assert f"The full record (every fact, flight and source) is in {where}." in text
    else:
        assert "The full record" not in text and "index.html" not in text and "brief.example.org" not in text


def test_brief_pdf_compares_with_the_previous_edition_once_and_prints_what_changed(brief, chromium, capsys,
                                                                                    monkeypatch):
    from generator.facts import compare
    from tests.conftest import commit_all

    project = brief({"data/brief.yml": "title: Test brief\nedition: 2024-12-16\ntlp: TLP:CLEAR\n"})
    commit_all(project.root, "1734307200")
    subprocess.run(["git", "tag", "first"], cwd=project.root, check=True, capture_output=True)
    (project.data / "brief.yml").write_text("title: Test brief\nedition: 2024-12-20\ntlp: TLP:CLEAR\n"
                                            "previous_edition: first\n", encoding="utf-8")
    (project.data / "sources" / "later.yml").write_text(
        "id: later\ntitle: A later report\npublisher: unknown\npublished: 2024-12-19\nkind: news\nreliability: C\n",
        encoding="utf-8")
    calls = []
    monkeypatch.setattr(compare, "since", lambda *args, real=compare.since: calls.append(args[1]) or real(*args))
    assert cli.main(["-C", str(project.root), "pdf"]) == 0
    assert calls == ["first"]  # the What changed page and the printed edition share one reading of the old edition
    assert "A later report" in (project.site / "changes.html").read_text(encoding="utf-8")
    assert "first" in " ".join(pdfcheck.page_texts(project.site / "brief.pdf"))
