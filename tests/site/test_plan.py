"""The page plan: which pages exist and where each fact is linked from."""
from generator.facts import dataset
from generator.site import plan as pages
from tests.trees import BASE, flight, tree


TWO_MONTHS = {
    "data/bases/hmeimim.yml": BASE,
    "data/flights/a.yml": flight("a"),
    "data/flights/b.yml": flight("b").replace("arrival: 2024-12-14", "arrival: 2025-01-02"),
}


def test_plan_lists_the_pages_of_totals_then_the_pages_listing_facts_one_by_one(brief):
    data = dataset.load(brief({**TWO_MONTHS, "data/flights/c.yml": flight("c").replace("arrival: 2024-12-14", "arrival: unknown")}).data)
    assert [p.path for p in pages.plan(data)] == [
        "index.md", "bases/index.md", "flights/index.md", "timeline.md", "flights/routes.md", "sourcing.md",
        "indicators.md", "assessments.md", "sources.md", "bases/hmeimim.md", "flights/2024-12.md", "flights/2025-01.md",
        "flights/undated.md",
    ]


def test_the_route_index_lists_each_route_once_with_its_months(brief):
    data = dataset.load(brief({**TWO_MONTHS, "data/flights/c.yml": flight("c").replace("{country: BY}", "{base: hmeimim}")}).data)
    routes = next(p for p in pages.plan(data) if p.path == "flights/routes.md").context["part"].items
    assert routes == [
        ("Belarus (airfield unknown) → Libya (airfield unknown)", "2",
         [("Dec 2024", "flights/2024-12.md"), ("Jan 2025", "flights/2025-01.md")]),
        ("Hmeimim Air Base → Libya (airfield unknown)", "1", [("Dec 2024", "flights/2024-12.md")]),
    ]


def test_links_are_relative_and_land_on_the_fact_anchor(brief):
    data = dataset.load(brief({"data/bases/hmeimim.yml": BASE, "data/flights/a.yml": flight("a")}).data)
    links = pages.Links(data)
    assert links.href("bases/hmeimim.md", "flights", "a") == "../flights/2024-12.md#flight-a"
    assert links.href("index.md", "bases", "hmeimim") == "bases/hmeimim.md#base-hmeimim"
    assert links.href("flights/2024-12.md", "sources", "report") == "../sources.md#source-report"


def test_base_page_lists_only_its_own_flights(brief):
    other = flight("b").replace("{country: BY}", "{base: hmeimim}")
    data = dataset.load(brief({"data/bases/hmeimim.yml": BASE, "data/flights/a.yml": flight("a"),
                               "data/flights/b.yml": other}).data)
    [base_page] = [p for p in pages.plan(data) if p.path == "bases/hmeimim.md"]
    assert [fid for fid, _ in base_page.context["flights"]] == ["b"]


def test_a_busy_month_of_a_long_timeline_is_split_into_parts_each_linked_from_the_timeline(brief, monkeypatch):
    monkeypatch.setattr(pages, "TIMELINE_PAGE_ROWS", 3)
    monkeypatch.setattr(pages, "TIMELINE_PART_ROWS", 2)
    flights = {f"data/flights/f{n}.yml": flight(f"f{n}") for n in range(5)}  # five rows in Dec 2024
    data = dataset.load(brief({**TWO_MONTHS, **flights}).data)
    timeline = [p for p in pages.plan(data) if p.path.startswith("timeline")]
    assert [p.path for p in timeline] == ["timeline.md", "timeline-2024-12.md", "timeline-2024-12-part-2.md",
                                          "timeline-2024-12-part-3.md", "timeline-2025-01.md"]
    months, parts = timeline[0].context["months"], timeline[0].context["month_parts"]
    assert months == [("Dec 2024", "timeline-2024-12.md", 6), ("Jan 2025", "timeline-2025-01.md", 1)]
    assert {first: [p.path for p in found] for first, found in parts.items()} == {
        "timeline-2024-12.md": ["timeline-2024-12.md", "timeline-2024-12-part-2.md", "timeline-2024-12-part-3.md"],
        "timeline-2025-01.md": ["timeline-2025-01.md"]}
    third = timeline[3].context
    assert (third["part"].title, len(third["rows"]), third["total"]) == ("Dec 2024, part 3", 2, 6)


def test_the_timeline_is_made_once_for_all_pages_and_anew_for_a_new_load_of_the_facts():
    two = {"data/flights/one.yml": flight("one"),
           "data/flights/two.yml": flight("two").replace("2024-12-14", "2024-12-10")}
    data, problems = dataset.collect(tree(two))
    assert problems == []
    assert [i.id for i in pages.timeline(data) if i.kind == "flights"] == ["two", "one"]
    assert pages.timeline(data) is pages.timeline(data)  # the shared values and the timeline pages list the same rows
    edited, problems = dataset.collect(tree({"data/flights/one.yml": flight("one")}))  # as the preview after a save
    assert [i.id for i in pages.timeline(edited) if i.kind == "flights"] == ["one"]


def test_a_long_bases_list_is_split_between_countries_each_part_linking_every_part(brief, monkeypatch):
    monkeypatch.setattr(pages, "BASES_PAGE_SIZE", 3)
    bases = {f"data/bases/{c.lower()}{n}.yml": BASE.replace("id: hmeimim", f"id: {c.lower()}{n}").replace(
        "Hmeimim Air Base", f"Base {c}{n}").replace("country: SY", f"country: {c}").replace("{icao: OSLK}", "{coordinates: {lat: 1, lon: 2, source: report}}")
        for c, count in (("SY", 2), ("LY", 2), ("BY", 1), ("ML", 4)) for n in range(count)}
    data = dataset.load(brief({**bases, "data/flights/a.yml": flight("a")}).data)
    lists = [p for p in pages.plan(data) if p.template == "bases_index.md.j2"]
    assert [p.path for p in lists] == ["bases/index.md", "bases-2.md", "bases-3.md"]
    assert [list(p.context["by_country"]) for p in lists] == [["Belarus", "Libya"], ["Mali"], ["Syria"]]
    listed = [bid for p in lists for items in p.context["by_country"].values() for bid, _ in items]
    assert sorted(listed) == sorted(data.bases)  # every base once; a country of more than a page stays whole
    assert all(p.context["parts"] == [q.context["part"] for q in lists] for p in lists)


def test_a_long_sourcing_page_is_split_each_judgment_and_source_tabled_once_the_graph_with_the_first_sources(
        brief, monkeypatch):
    from tests.trees import assessment, source

    monkeypatch.setattr(pages, "SOURCING_ROWS", 2)
    files = {f"data/assessments/a{n}.yml": assessment(f"a{n}").replace("2024-12-15", f"2024-12-1{n}") for n in range(3)}
    files.update({f"data/sources/s{n}.yml": source(f"s{n}") for n in range(2)})
    data = dataset.load(brief({**files, "data/flights/a.yml": flight("a")}).data)
    parts = [p for p in pages.plan(data) if p.template == "sourcing.md.j2"]
    assert [p.path for p in parts] == ["sourcing.md", "sourcing-2.md", "sourcing-3.md", "sourcing-4.md", "sourcing-5.md"]
    assert [p.context["sections"] for p in parts] == [
        ("intro", "judgments"), ("judgments",), ("findings",), ("sources", "graph"), ("sources",)]
    judged = [j.id for p in parts if "judgments" in p.context["sections"] for j in p.context["judgment_rows"]]
    assert judged == ["a2", "a1", "a0"]  # newest first, each once
    tabled = [r.id for p in parts if "sources" in p.context["sections"] for r in p.context["source_rows"]]
    assert sorted(tabled) == sorted(data.sources) and len(tabled) == len(set(tabled))
    assert all(p.context["graph_part"] is parts[3].context["part"] for p in parts)
    assert all(p.context["findings_part"] is parts[2].context["part"] for p in parts)


def test_the_values_summed_from_many_facts_are_worked_out_only_when_a_template_uses_them(brief, monkeypatch):
    from generator.site import figures, render, sourcegraph

    made = []
    headline = figures.headline
    monkeypatch.setattr(figures, "headline", lambda data: made.append("figures") or headline(data))
    data = dataset.load(brief(TWO_MONTHS).data)
    shared = pages.shared_context(data)
    assert made == []  # nothing summed up yet: the preview's first pass may never need it
    template = render.environment([], {}).from_string(
        "{{ figures.flights_tracked }}|{{ timeline|length }}|{{ recent[0].id }}|{{ judgments_left_out + 1 }}|"
        "{{ 1 + findings_left_out }}|{% if sources_left_out > -1 %}compared{% endif %}|{{ '%03d'|format(findings_left_out) }}|"
        "{{ source_rows|length }}|{{ sourcing|length }}")
    eager = {**sourcegraph.context(data), "figures": pages.present.headline(headline(data)),
             "timeline": pages.timeline(data), "recent": pages.timeline(data)[::-1][:pages.RECENT_ROWS]}
    assert template.render(shared) == template.render(eager) == "2|2|b|1|1|compared|000|1|0"
    assert made == ["figures"]  # worked out once, when the template first used it


def test_the_names_given_before_their_values_are_worked_out_are_the_values_names(brief):
    from generator.site import analytic, sourcegraph

    data = dataset.load(brief(TWO_MONTHS).data)
    assert set(sourcegraph.CONTEXT_NAMES) == set(sourcegraph.context(data))
    assert set(analytic.CONTEXT_NAMES) == set(analytic.context(data))
