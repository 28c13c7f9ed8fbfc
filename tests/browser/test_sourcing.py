"""The Sourcing page draws the source graph from the facts, and each judgment shows its lines and chains."""
import html

from generator.facts import sourcing
from generator.site import sourcegraph

GRAPH = "#source-graph-chart .brief-plot"


def test_the_source_graph_draws_every_source_and_every_relay(reader, site_url, facts):
    page = reader.open(site_url + "sourcing.html")
    names = page.eval_on_selector(GRAPH, """el => el.data.filter(t => t.name === 'channel' || t.name === 'relayed')
        .flatMap(t => t.text)""")
    relays = page.eval_on_selector(GRAPH, """el => el.data.filter(t => t.name === 'relays (via)')
        .reduce((n, t) => n + t.x.filter(v => v !== null).length / 2, 0)""")
    drawn = page.eval_on_selector_all(f"{GRAPH} .scatterlayer .point", "ps => ps.length")
    kinds = page.eval_on_selector(GRAPH, "el => el.data.filter(t => t.name === 'facts').flatMap(t => t.text)")
    assert sorted(html.unescape(n) for n in names) == sorted(sourcegraph.labels(facts, list(facts.sources)).values())
    assert relays == sum(1 for s in facts.sources.values() if s.via)
    citing = [kind for citers in facts.cited_by.values() for kind, _ in citers]
    assert kinds == [f"{k}<br>{citing.count(k)} citations" for k in ("flights", "bases", "events", "assessments")]
    assert drawn == len(facts.sources) + len(kinds)


def test_the_sourcing_page_tables_every_judgment_with_its_lines(reader, site_url, facts):
    page = reader.open(site_url + "sourcing.html")
    assert page.inner_text("h1").startswith("Sourcing")
    rows = page.eval_on_selector("article table", "t => [...t.tBodies[0].rows].map(r => [2, 3, 4].map(n => r.cells[n].innerText))")
    title = facts.sources["news-report-2024-12"].title  # readers see titles, never ids
    assert [(lines, ends.split(" → ")[-1], best) for lines, ends, best in rows] == [
        ("1 independent line", title, "F")] * len(facts.assessments)
    assert "No tradecraft findings" in page.inner_text("article")


def test_each_judgment_names_both_ends_of_its_chains_and_shows_them_on_demand(reader, site_url, facts):
    page = reader.open(site_url + "assessments.html")
    lines = page.eval_on_selector_all("article p", """ps => ps.map(p => p.innerText)
        .filter(t => t.startsWith('Sourcing:'))""")
    title = facts.sources["news-report-2024-12"].title
    assert len(lines) == len(facts.assessments)
    for line in lines:
        assert line.startswith("Sourcing: 1 independent line, best chain graded F. Originators: ")
        assert line.endswith(f". Read in: {title} (F). All judgments' sourcing")
    chain = page.locator("#assessment-russia-shifting-airlift-to-libya ~ .brief-sourcing details").first
    assert not chain.evaluate("d => d.open")
    chain.locator("summary").click()
    assert chain.locator("li").count() == len(facts.assessments["russia-shifting-airlift-to-libya"].evidence)
    chain.locator("a", has_text=facts.sources["flightradar24-tracking"].title).first.click()
    page.wait_for_url("**/sources.html#source-flightradar24-tracking")
    assert page.locator("#source-flightradar24-tracking").is_visible()
    assert sourcing.chain(facts, "flightradar24-tracking") == ["flightradar24-tracking", "news-report-2024-12"]
