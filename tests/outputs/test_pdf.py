"""The brief as one PDF, checked as a reader of the printed brief would check it."""
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from generator import build, cli

from generator.site import charts

from generator.facts import dataset
from generator.project import Project
from tests.conftest import BRIEF_PARTS, REPO


def export(root) -> Project:
    root.mkdir(parents=True)
    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    project = Project(root)
    build.build(project, pdf=True)
    return project


@pytest.fixture(scope="module")
def printed(tmp_path_factory, chromium, monkeypatch_module):
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1734307200")
    project = export(tmp_path_factory.mktemp("pdf") / "brief")
    reader = PdfReader(project.site / "brief.pdf")
    return project, reader, [" ".join((p.extract_text() or "").split()) for p in reader.pages]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_page_carries_the_marking_and_its_number(printed):
    project, reader, pages = printed
    tlp = dataset.load(project.data).brief.tlp
    total = len(pages)
    assert total > 10
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
        assert f"Likelihood: {a.likelihood}" in text if a.likelihood else "Likelihood: not stated" in text
        assert f"Confidence: {a.confidence}" in text if a.confidence else "Confidence: not stated" in text
    assert "https://www.flightradar24.com" in text  # printed links show their address


def test_each_key_judgment_is_printed_with_its_count_of_independent_origins(printed):
    project, reader, pages = printed
    data = dataset.load(project.data)
    bottom_line = next(text for text in pages if "Bottom line up front" in text)
    own = [a for a in data.assessments.values() if a.status == "current" and a.by_brief]
    assert own and bottom_line.count("Sourcing: 1 independent origin") == len(own)


def test_cover_shows_title_edition_revision_and_marking(printed):
    project, reader, pages = printed
    brief = dataset.load(project.data).brief
    cover = pages[0]
    assert " ".join(brief.title.split()) in cover and brief.edition.isoformat() in cover
    assert "Data revision" in cover and f"{brief.tlp} (FIRST Traffic Light Protocol 2.0)" in cover


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
    ("Flights per day by route", charts.TEMPLATE["layout"]["colorway"][:4]),  # traces in the first colours
    ("Dated facts by kind", charts.TEMPLATE["layout"]["colorway"][:4]),
])
def test_charts_are_drawn_not_blank(printed, caption, colours):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    project, reader, pages = printed
    number = next(i for i, text in enumerate(pages, start=1) if caption in text)
    width, height, pixels = ppm_pixels(project.site / "brief.pdf", number)
    rgb = [c if isinstance(c, tuple) else tuple(int(c[j:j + 2], 16) for j in (1, 3, 5)) for c in colours]
    near = sum(1 for i in range(0, len(pixels), 3)
               if any(all(abs(pixels[i + k] - c[k]) < 40 for k in range(3)) for c in rgb))
    assert near > 150, (caption, number, near)


def test_two_exports_are_byte_identical(printed, tmp_path):
    project, reader, pages = printed
    again = export(tmp_path / "again")
    assert (again.site / "brief.pdf").read_bytes() == (project.site / "brief.pdf").read_bytes()


def test_the_site_links_the_pdf(printed):
    project, reader, pages = printed
    assert 'href="brief.pdf" class="brief-pdf-link"' in (project.site / "index.html").read_text()


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
