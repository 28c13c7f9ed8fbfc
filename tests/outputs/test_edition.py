"""The distribution edition (brief.pdf): short at any size, marked on every page, in the brief's own fonts.

Made as the tests of scale need it, straight from the facts (load → render → print), without building a site.
"""
import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from generator.facts import dataset, markings
from generator.outputs import edition
from generator.site import present
from generator.tools import synth
from generator.project import Project
from tests.conftest import REPO
from tests.outputs import pdfcheck

EPOCH = 1734307200
SIZES = {"example": None, "1k": (1000, 50, 100, 50), "10k": (10000, 50, 100, 50)}  # flights, bases, judgments, indicators


def print_one(root, name: str):
    """(dataset, pdf path, page texts) of the edition of one brief."""
    if SIZES[name] is None:
        data_dir = REPO / "data"
    else:
        flights, bases, assessments, indicators = SIZES[name]
        data_dir = synth.synthesize(root / name, flights=flights, bases=bases, assessments=assessments, seed=1,
                                    template=Project(REPO), indicators=indicators) / "data"
    data, _ = markings.release(dataset.load(data_dir))
    out = edition.print_edition(data, edition.Context(marking=data.brief.tlp), root / f"{name}.pdf", EPOCH)
    return data, out, pdfcheck.page_texts(out)


class Editions(dict):
    """Each size's edition, printed the first time a test asks for it."""

    def __init__(self, root):
        super().__init__()
        self.root = root

    def __missing__(self, name):
        self[name] = print_one(self.root, name)
        return self[name]


@pytest.fixture(scope="module")
def editions(tmp_path_factory, chromium):
    return Editions(tmp_path_factory.mktemp("editions"))


@pytest.mark.parametrize("name", SIZES)
def test_at_most_six_pages_each_marked_and_numbered(editions, name):
    data, pdf, pages = editions[name]
    assert 1 <= len(pages) <= 6
    assert len(data.indicators) == (5 if name == "example" else 50)
    for number, text in enumerate(pages, start=1):
        assert text.count(data.brief.tlp) >= 2, number  # top and bottom band
        assert f"page {number} of {len(pages)}" in text


@pytest.mark.parametrize("name", SIZES)
def test_page_one_carries_the_masthead_bottom_line_and_key_judgments(editions, name):
    data, pdf, pages = editions[name]
    first, brief = pages[0], data.brief
    for words in (brief.title, f"Edition {present.day(brief.edition)}", "Information cut-off", "Publisher",
                  brief.bottom_line, "Implications", "Outlook", "What to watch", brief.implications[0].text,
                  brief.outlook.text):
        assert " ".join(words.split()) in first
    assert "Data revision" not in first and "data revision" in pages[-1]  # in the colophon at the end
    order = [first.index(words) for words in ("Bottom line", "Key judgments", "Implications", "Outlook", "What to watch")]
    assert order == sorted(order)
    current = [(aid, a) for aid, a in data.assessments.items() if a.status == "current"]
    own = [a for _, a in present.key_judgments(present.judgment_order(current))]  # the key ones, if any is marked
    for a in own[:edition.KEY_JUDGMENTS]:
        assert " ".join(a.title.split()) in first
        assert f"Likelihood: {present.likelihood(a)} · Confidence: {a.confidence}" in first
    said = {  # the example marks no key judgment; the synthetic briefs mark one in every ten judgments
        "example": "Both of the brief's current judgments are shown.",
        "1k": "The first 5 of 9 key judgments in the brief's ranking (priority, then change since the previous edition, then "
              "likelihood and confidence); the next follow under More key judgments.",  # no site address is published
        "10k": "The first 5 of 9 key judgments in the brief's ranking (priority, then change since the previous edition, then "
               "likelihood and confidence); the next follow under More key judgments.",
    }[name]
    assert said in first
    if name != "example":  # the spare pages carry the other four, in rank
        text = " ".join(pages)
        assert "Key judgments 6 to 9 of 9 in the brief's ranking, as many as the edition's pages hold." in text
        for a in own[5:]:
            assert " ".join(a.title.split()) in text


def test_the_example_prints_every_judgment_outside_view_and_the_sources_behind_them(editions):
    data, pdf, pages = editions["example"]
    text = " ".join(pages)
    assert ("Likelihood: likely (55–80 %) · Confidence: low · 1 independent line, best chain graded F · 16 Dec 2024"
            in pages[0])
    assert "Russia is shifting military airlift and materiel towards eastern Libya" in pages[0]
    assert "(TLP:CLEAR)" not in text  # one marking throughout: the banner says it, no portion repeats it
    for a in data.assessments.values():
        assert " ".join(a.title.split()) in text
    assert ("Jalel Harchaoui, North Africa specialist and fellow (Royal United Services Institute): Setbacks in Syria "
            "push Russia to build up in eastern Libya (between 8 and 15 Dec 2024)") in text
    assert text.count("None of these views states a likelihood or a confidence.") == 1 and "not stated" not in text
    assert "News report on Russian cargo flights to eastern Libya after the fall of Assad" in text
    assert "https://www.flightradar24.com" in text  # behind the evidence of a printed judgment
    assert "GeoNames" not in text  # a source that only places a base on the map stays out
    assert "No previous edition is recorded, so no changes are listed." in text
    assert "TLP:CLEAR: Recipients may share it without limit, subject to copyright." in pages[0]


def test_page_one_says_what_to_watch_and_what_every_fact_rests_on(editions):
    data, pdf, pages = editions["example"]
    text = " ".join(pages)
    watch = text[text.index("What to watch"):text.index("Intelligence gaps")]
    assert watch.startswith("What to watch (2 met, 1 possibly met, 2 not met)")
    assert [line for line in ("Hmeimim is drawing down: met since 15 Dec 2024 · if met: Russia is taking",
                              "Russian military cargo flights from Belarus to Libya continue: met since 14 Dec 2024 ·",
                              "Russian military flights keep leaving Hmeimim: possibly met · if met: Russia keeps",
                              "Russia evacuates the naval facility at Tartus: not met · if met:",
                              "The S-400 packed up in Latakia is seen in Libya: not met · if met:")
            if line not in watch] == []
    assert "What to watch" in pages[0] and "graded F: reliability cannot be judged." in pages[0]  # all of it on page 1
    assert ("All facts rest on one news report (News report on Russian cargo flights to eastern Libya after the fall of "
            "Assad), whose publisher is not recorded, graded F: reliability cannot be judged.") in watch
    assert "What do the cargo flights from Belarus carry?" in text
    assert "Information cut-off 15 Dec 2024" in pages[0]


@pytest.mark.parametrize("name", ["1k", "10k"])
def test_a_large_brief_is_summarised_never_listed(editions, name):
    data, pdf, pages = editions[name]
    text = " ".join(pages)
    records = len(data.flights)
    assert f"in {records:,} flight records" in text and "(s)" not in text
    assert f"8 of {len(data.bases)} bases, with the flights from or to each." in text
    assert re.search(rf"8 of [\d,]+ routes, counted from {records:,} flight records", text)
    assert "index.html" not in text  # paper points to no file a reader of paper cannot open
    assert re.search(r"the \d+ busiest of [\d,]+ such routes are drawn", text)  # the map aggregates
    assert "Flights per week (Monday to Sunday, UTC)" in text and "on their own scale, the 5 busiest routes" in text
    registrations = sum(1 for f in data.flights.values() if f.aircraft.registration and f.aircraft.registration in text)
    assert registrations == 0  # no flight is listed


@pytest.mark.parametrize("name", SIZES)
def test_only_the_brief_s_own_fonts_all_embedded(editions, name):
    data, pdf, pages = editions[name]
    found = pdfcheck.fonts(pdf)
    assert found and all(emb == "yes" for _, emb in found), found
    assert {font for font, _ in found} <= {"IBMPlexSans", "IBMPlexSans-Bold", "IBMPlexSans-SmBld",
                                           "IBMPlexSans-Italic", "IBMPlexMono"}, found


@pytest.mark.parametrize("name", SIZES)
def test_title_subject_outline_and_tags_are_kept(editions, name):
    data, pdf, pages = editions[name]
    reader = PdfReader(pdf)
    assert reader.metadata.title == data.brief.title and reader.metadata.subject == data.brief.tlp
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == data.brief.title
    assert "Bottom line" in str(reader.outline) and "Sources behind these judgments" in str(reader.outline)


def test_the_printed_map_names_every_place_and_has_a_scale_bar(editions):
    data, pdf, pages = editions["example"]
    page = next(text for text in pages if "Route map" in text)
    for name in ("Benghazi, Libya", "Hmeimim Air Base", "Tartus naval facility", "Libya, airfield unknown",
                 "Belarus, airfield unknown"):
        assert name in page, name
    assert re.search(r"\b[\d,]+ km\b", page), "the printed map has a scale bar"


@pytest.mark.parametrize("name, ticks", [("example", {"tick0": 0, "dtick": 1}), ("10k", {})])
def test_the_flights_chart_counts_in_whole_flights(editions, name, ticks):
    axis = edition.flights_chart(editions[name][0]).figure["layout"]["yaxis"]
    assert {k: axis[k] for k in ("tick0", "dtick") if k in axis} == ticks  # weekly sums at 10k are far above 10


@pytest.mark.parametrize("name", SIZES)
def test_no_page_is_nearly_blank_and_every_chart_is_drawn(editions, name):
    data, pdf, pages = editions[name]
    pdfcheck.check_fill(pdf, len(pages))
    for heading, caption in (("Route map", "Bases by their latest status"), ("Flights over time", "Flights per ")):
        number = next(i for i, text in enumerate(pages, start=1) if heading in text)
        box = pdfcheck.box_between(pdf, number, heading, caption)
        assert box[3] - box[1] > 150, (heading, box)  # a chart's height, not a gap between lines
        assert pdfcheck.ink(pdf, number, box) > 0.02, (heading, number)


def test_the_same_facts_print_the_same_bytes(editions, tmp_path):
    data, pdf, pages = editions["example"]
    again = edition.print_edition(data, edition.Context(marking=data.brief.tlp), tmp_path / "again.pdf", EPOCH)
    assert again.read_bytes() == pdf.read_bytes()


def test_an_empty_brief_still_prints_and_says_what_is_missing(brief, chromium, tmp_path):
    project = brief({"data/sources/markup.yml": """
        id: markup
        title: <b>Not bold</b> & {{ not a template }}
        publisher: unknown
        published: 2024-12-15
        kind: news
        reliability: C
    """, "data/assessments/outside.yml": """
        id: outside
        title: <i>An outside view</i> in a title
        date: 2024-12-15
        judgment: Something may happen.
        attribution: {name: An expert}
        sources: [markup]
    """})
    data, _ = markings.release(dataset.load(project.data))
    out = edition.print_edition(data, edition.Context(marking=data.brief.tlp), tmp_path / "empty.pdf", EPOCH)
    text = " ".join(pdfcheck.page_texts(out))
    for sentence in ("This edition has no current judgment of the brief's own.",
                     "No flights are recorded in this edition, so there is no flights-over-time chart.",
                     "No base or flight end can be placed on a map in this edition, so there is no route map.",
                     "An expert: <i>An outside view</i> in a title (15 Dec 2024)",
                     "None of these views states a likelihood or a confidence.",
                     "<b>Not bold</b> & {{ not a template }}"):
        assert sentence in text


def test_pages_one_and_two_for_the_readme(editions):
    """make screenshots refreshes the README's pictures of the handed-over brief."""
    data, pdf, pages = editions["example"]
    target = os.environ.get("BRIEF_SCREENSHOTS")
    if not target:
        pytest.skip("set BRIEF_SCREENSHOTS=DIR (make screenshots) to write the pictures")
    for number in (1, 2):
        prefix = os.path.join(target, f"pdf-edition-page-{number}")
        subprocess.run([pdfcheck.poppler("pdftoppm"), "-png", "-r", "60", "-singlefile", "-f", str(number),
                        "-l", str(number), str(pdf), prefix], check=True)
        assert os.path.getsize(prefix + ".png") > 10000


def test_spare_pages_carry_more_key_judgments_as_many_as_fit(tmp_path, chromium):
    data_dir = synth.synthesize(tmp_path / "keyed", flights=300, bases=20, assessments=1000, seed=2,
                                template=Project(REPO)) / "data"
    data, _ = markings.release(dataset.load(data_dir))
    pages = pdfcheck.page_texts(edition.print_edition(data, edition.Context(marking=data.brief.tlp),
                                                      tmp_path / "keyed.pdf", EPOCH))
    assert len(pages) == 6  # the room left is used, and no more
    text = " ".join(pages)
    found = re.search(r"Key judgments 6 to (\d+) of (\d+) in the brief's ranking, as many as the edition's pages hold; "
                      r"the other (\d+) are not printed", text)
    last, total, rest = map(int, found.groups())
    current = [(aid, a) for aid, a in data.assessments.items() if a.status == "current"]
    ranked = [" ".join(a.title.split()) for _, a in present.key_judgments(present.judgment_order(current))]
    assert total == len(ranked) and 6 < last < total and rest == total - last
    assert all(f" {title} " in text for title in ranked[:last])
    assert not any(f" {title} " in text for title in ranked[last:])
    assert text.index("More key judgments") < text.index("Key figures")  # before anything else


def test_spare_pages_go_on_with_judgments_not_marked_key_once_the_key_ones_are_all_printed(editions):
    """The 10,000-flight brief marks 9 of its 91 current judgments key: the 4 left after page 1 do not fill page 2,
    so the brief's other current judgments follow in its ranking, and the note counts what was printed."""
    data, pdf, pages = editions["10k"]
    text = " ".join(" ".join(pages).split())
    assert "Key judgments 6 to 9 of 9 in the brief's ranking, as many as the edition's pages hold." in text
    shown = re.search(r"(\d+) of the brief's (\d+) current judgments not marked key, in the brief's ranking, as many as "
                      r"the edition's pages hold; the other (\d+) are not printed\.", text)
    assert shown, text
    printed, total, rest = map(int, shown.groups())
    own = [a for a in data.assessments.values() if a.status == "current" and a.by_brief and not a.key]
    assert total == len(own) and printed + rest == total and printed > 0
    assert text.index("Other current judgments") < text.index("Route map")
