"""Every page's meta description: from the facts it shows, escaped, and never over one the page states itself."""
import pytest
from bs4 import BeautifulSoup

from generator.site import describe


def meta(example, rel: str) -> str:
    soup = BeautifulSoup((example.site / rel).read_text(encoding="utf-8"), "html.parser")
    found = soup.find_all("meta", attrs={"name": "description"})
    assert len(found) == 1, rel
    return found[0]["content"]


def test_every_page_of_the_example_has_a_description_of_its_own(example):
    pages = sorted(p.relative_to(example.site).as_posix() for p in example.site.rglob("*.html") if p.name != "404.html")
    said = {rel: meta(example, rel) for rel in pages}
    assert all(20 <= len(text) <= describe.LONGEST for text in said.values()), said
    assert len(set(said.values())) == len(said)  # no two pages share one


@pytest.mark.parametrize("rel, text", [
    ("index.html", "Example brief built from one December 2024 news report and the sources it relays: at least 5 "
                   "flights, 3 bases, 6 assessments from 9 sources. Edition 2024-12-16, TLP:CLEAR."),
    ("bases/hmeimim-air-base.html", "Hmeimim Air Base, air base in Syria, used by Russian armed forces: drawing down "
                                    "as last observed between 8 and 15 Dec 2024; 2 flight records."),
    ("bases/index.html", "The 3 bases the brief follows, by country: Libya (1) and Syria (2)."),
    ("flights/index.html", "The flight log: at least 5 flights in 4 records, a page per month from 2024-12, with the "
                           "route map and the flights per day."),
    ("timeline.html", "Every dated fact of the brief, oldest first: 22 entries from 2024 to 16 Dec 2024."),
    # a page of content/: its first paragraph
    ("methodology.html", "How to read this brief: the scales it uses and what its markings mean."),
])
def test_a_page_says_what_its_facts_say(example, rel, text):
    assert meta(example, rel) == text


def test_a_description_goes_into_the_front_matter_escaped_for_the_theme():
    page = describe.described("# Title\n\nText.\n", 'A "quoted" <b>name</b> & more')
    assert page == ('---\ndescription: "A &quot;quoted&quot; &lt;b&gt;name&lt;/b&gt; &amp; more"\n---\n\n'
                    "# Title\n\nText.\n")
    with_matter = describe.described("---\ntitle: \"T\"\n---\n\n# T\n", "About T")
    assert with_matter == '---\ntitle: "T"\ndescription: "About T"\n---\n\n# T\n'


def test_a_description_the_page_states_is_kept():
    page = "---\ndescription: Written by hand\n---\n\n# T\n\nFirst paragraph.\n"
    assert describe.described(page, describe.first_paragraph(page)) == page


def test_a_long_description_is_cut_at_a_word():
    line = describe.described("# T\n", "word " * 80).splitlines()[1]  # YAML: the ellipsis as \\u2026
    assert line.endswith('word\\u2026"') and len(line) <= len('description: ""') + describe.LONGEST + 5


@pytest.mark.parametrize("markdown, first", [
    ("# T\n\n*Hand-written* [analysis](x.md) with `code`.\n\nMore.\n", "Hand-written analysis with code."),
    ("# T\n\n| a | b |\n|---|---|\n\n- a list\n\nProse &amp; more.\n", "Prose & more."),
    ("# Only a title\n", None),
])
def test_a_hand_written_page_is_described_by_its_first_paragraph(markdown, first):
    assert describe.first_paragraph(markdown) == first


def test_a_long_timeline_is_described_by_its_months():
    months = [("2024-11", "timeline-2024-11.md", 300), ("2024-12", "timeline-2024-12.md", 150)]
    assert describe.description("timeline.md.j2", {"rows": [], "months": months}) == (
        "Every dated fact of the brief, oldest first: 450 entries over 2 months, 2024-11 to 2024-12.")


def test_a_part_of_a_busy_timeline_month_says_which_part_it_is():
    from generator.site.plan import split

    parts = split(list(range(2500)), 1000, "2024-12", "timeline-2024-12.md", "timeline-2024-12-part-{n}.md")
    context = {"month": "Dec 2024", "rows": parts[2].items, "part": parts[2], "total": 2500}
    assert describe.description("timeline_month.md.j2", context) == (
        "The brief's dated facts of Dec 2024: 2500 timeline entries, part 3 of 3 (500 of them).")
