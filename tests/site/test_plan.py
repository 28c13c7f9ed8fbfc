"""The page plan: which pages exist and where each fact is linked from."""
from generator.facts import dataset
from generator.site import plan as pages
from tests.trees import BASE, flight


TWO_MONTHS = {
    "data/bases/hmeimim.yml": BASE,
    "data/flights/a.yml": flight("a"),
    "data/flights/b.yml": flight("b").replace("arrival: 2024-12-14", "arrival: 2025-01-02"),
}


def test_plan_lists_index_pages_then_one_page_per_base_and_month(brief):
    data = dataset.load(brief({**TWO_MONTHS, "data/flights/c.yml": flight("c").replace("arrival: 2024-12-14", "arrival: unknown")}).data)
    assert [p.path for p in pages.plan(data)] == [
        "index.md", "bases/index.md", "flights/index.md", "assessments.md", "timeline.md", "flights/routes.md",
        "sources.md", "sourcing.md", "indicators.md", "bases/hmeimim.md", "flights/2024-12.md", "flights/2025-01.md", "flights/undated.md",
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
