"""Wording fit to publish: real plurals and numbers, one date style, portion marks only where markings differ,
one order of judgments, a timeline that lists every dated fact, and counts that say what they are."""
from __future__ import annotations

from datetime import date

from generator import cli, words
from generator.facts import dataset
from generator.outputs import edition
from generator.site import plan, present
from tests.trees import BASE, assessment, flight, load

GROUP = (flight("group", "count: {at_least: 3}\n")
         .replace("arrival: 2024-12-14", "arrival: {between: [2024-12-08, 2024-12-14]}"))
MEMBER = (flight("member", "part_of: group\n")
          .replace("destination: {country: LY}", "destination: {place: Benghazi, country: LY}"))
LIBYA = ("id: libya-bases\nname: Air bases in Libya\ncountry: LY\nlocation: unknown\nkind: air base\n"
         "sources: [report]\n")


def test_plurals_numbers_and_dates_come_from_one_place():
    assert words.counted(1, "flight") == "1 flight"
    assert words.counted(10265, "flight", lower_bound=True) == "at least 10,265 flights"
    assert words.counted(2, "country") == "2 countries" and words.counted(3, "outside view") == "3 outside views"
    assert words.day(date(2025, 3, 1)) == "1 Mar 2025" and words.month("2024-12") == "Dec 2024"
    assert words.days_between(date(2024, 11, 30), date(2024, 12, 2)) == "30 Nov and 2 Dec 2024"
    assert present.tally(1234, True) == "at least 1,234"


def test_a_flight_span_says_what_it_is():
    data, problems = load({"data/flights/group.yml": GROUP, "data/flights/member.yml": MEMBER})
    assert problems == []
    from generator.facts import counting

    assert present.flight_dates(counting.span(data)) == (
        "flights dated between 8 and 14 Dec 2024; the only day known for a flight is 14 Dec 2024")


def test_the_timeline_lists_each_flight_once_with_how_surely_it_is_dated():
    data, problems = load({"data/flights/group.yml": GROUP, "data/flights/member.yml": MEMBER,
                           "data/events/later.yml": "id: later\ntitle: Later\ndate: 2024-12-20\nsummary: S\n"
                                                    "sources: [report]\n",
                           "data/events/sooner.yml": "id: sooner\ntitle: Sooner\ndate: 2024-12-01\nsummary: S\n"
                                                     "sources: [report]\n",
                           "data/events/someday.yml": "id: someday\ntitle: Someday\ndate: unknown\nsummary: S\n"
                                                      "sources: [report]\n"})
    assert problems == []
    rows = [(i.id, i.label, i.detail) for i in plan.timeline(data)]
    assert rows == [
        ("sooner", "Event, on a day", None),
        ("group", "Flights, within a range", "at least 3 flights, of which 1 to Benghazi, Libya on 14 Dec 2024"),
        ("member", "Flight, on a day", "one of the at least 3 flights Belarus (airfield unknown) → Libya "
                                       "(airfield unknown), counted there"),
        ("later", "Event, on a day", None),
    ]
    assert [i.id for i in plan.timeline(data, dated=False)] == ["someday"]
    assert [eid for eid, _ in plan.Facts(data).events()] == ["sooner", "later", "someday"]  # by date, not by name


def test_a_base_no_flight_names_says_how_many_name_its_country():
    data, problems = load({"data/flights/group.yml": GROUP, "data/flights/member.yml": MEMBER,
                           "data/bases/libya-bases.yml": LIBYA})
    assert problems == []
    context = plan.base_context(data, plan.Links(data), "libya-bases")
    assert context["why_none"] == ("No flight names this base; at least 3 flights name Libya only, without an "
                                   "airfield, so any of them may have used it.")
    assert plan.Facts(data).flights_at("libya-bases") == "none named; at least 3 name Libya only"


def test_site_and_pdf_order_judgments_the_same_way_key_first_then_newest():
    files = {"data/assessments/old-key.yml": assessment("old-key", "key: true\n").replace("2024-12-15", "2024-12-01"),
             "data/assessments/new.yml": assessment("new"),
             "data/assessments/newer.yml": assessment("newer").replace("2024-12-15", "2024-12-16")}
    data, problems = load(files)
    assert problems == []
    ordered = [aid for aid, _ in present.judgment_order(list(data.assessments.items()))]
    assert ordered == ["old-key", "newer", "new"]
    assert [aid for aid, _ in plan.assessment_pages(data)[0].items] == ordered
    printed = edition.view(data, edition.Context(marking="TLP:CLEAR"))
    assert [j["id"] for j in printed["judgments"]] == [aid for aid, _ in present.bottom_line(data.assessments)]


GREEN = "id: green\ntitle: A green source\npublisher: unknown\npublished: 2024-12-15\nkind: news\nreliability: B\n" \
        "tlp: TLP:GREEN\n"


def test_portion_marks_appear_only_when_markings_differ_or_the_brief_asks(brief):
    one = brief({"data/assessments/a.yml": assessment("a")})
    assert cli.main(["-C", str(one.root), "build"]) == 0
    assert 'class="brief-portion"' not in (one.site / "assessments.html").read_text(encoding="utf-8")

    forced = dataset.load(one.data)
    assert not present.portions_shown(forced)
    (one.data / "brief.yml").write_text((one.data / "brief.yml").read_text() + "portion_marks: true\n")
    assert present.portions_shown(dataset.load(one.data))
    assert cli.main(["-C", str(one.root), "build"]) == 0
    assert "(TLP:CLEAR)</span>" in (one.site / "assessments.html").read_text(encoding="utf-8")


def test_two_markings_in_one_document_mark_every_portion(tmp_path):
    from tests.conftest import new_brief

    mixed = new_brief(tmp_path / "mixed", {"data/sources/green.yml": GREEN,
                                           "data/assessments/a.yml": assessment("a").replace("[report]", "[green]")
                                           + "tlp: TLP:GREEN\n", "data/assessments/b.yml": assessment("b")})
    assert cli.main(["-C", str(mixed.root), "build"]) == 0
    page = (mixed.site / "assessments.html").read_text(encoding="utf-8")
    assert "(TLP:GREEN)</span>" in page and "(TLP:CLEAR)</span>" in page


def test_no_reader_page_says_s_in_brackets_or_tells_readers_to_tag_editions(example):
    for page in example.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "(s)" not in text, page
    assert "git" not in (example.site / "changes.html").read_text(encoding="utf-8").split("<article")[1].split("</article>")[0]
