"""The site's view of sourcing: chains shown to their origin, and the source graph's nodes, lines and table."""
from generator.facts import sourcing
from generator.site import sourcegraph
from tests.trees import assessment, flight, load, source


def test_a_long_chain_is_shown_with_its_middle_left_out():
    chain = {f"data/sources/relay-{n}.yml": source(f"relay-{n}", f"via: relay-{n - 1}\n" if n else "via: report\n")
             for n in range(1000)}
    data, problems = load({**chain, "data/flights/f1.yml": flight("f1").replace("[report]", "[relay-999, relay-1]"),
                           "data/assessments/a.yml": assessment("a", "evidence: [flight: f1]\n")})
    assert problems == []
    view = sourcegraph.context(data)
    assert view["sourcing"]["a"].routes == (sourcegraph.Route("flights", "f1", (
        ("relay-999", "relay-998", "relay-997", "relay-996", 996, "report"),
        ("relay-1", "relay-0", "report")), ""),)
    rows = view["source_rows"]
    assert [r.id for r in rows[:3]] == ["report", "relay-0", "relay-1"] and rows[-1].depth == sourcegraph.MAX_SOURCE_ROWS - 1
    assert view["sources_left_out"] == 1001 - sourcegraph.MAX_SOURCE_ROWS


def test_the_graph_draws_each_source_once_and_each_relay_as_a_line():
    data, problems = load({
        "data/sources/a.yml": source("a", "via: report\n").replace("Source a", "<b>Tracker</b> & co"),
        "data/sources/b.yml": source("b", "via: a\n"), "data/sources/lone.yml": source("lone"),
        "data/flights/f1.yml": flight("f1").replace("[report]", "[b, lone]"),
    })
    assert problems == []
    chart = sourcegraph.context(data)["source_graph"]
    traces = {t["name"]: t for t in chart.figure["data"]}
    assert traces["channel"]["text"] == ["Source lone", "A news report"]  # titles, cut after a word when long
    assert traces["relayed"]["text"] == ["&lt;b&gt;Tracker&lt;/b&gt; &amp; co", "Source b"]  # escaped for Plotly
    assert sum(v is not None for v in traces["relays (via)"]["x"]) == 4  # two via links, two ends each
    assert traces["facts"]["text"] == ["flights<br>2 citations"]  # on two lines under its square
    assert traces["relayed"]["hovertext"][0] == "&lt;b&gt;Tracker&lt;/b&gt; &amp; co (B); channel report; cited by nothing"
    tracker, report = "<b>Tracker</b> & co", "A news report"  # titles, never ids, in the numbers behind the graph
    assert chart.rows == (("Source lone", "B", "—", "Source lone", 0, "1 flight"), (report, "B", "—", report, 0, "nothing"),
                          (tracker, "B", report, report, 1, "nothing"), ("Source b", "B", tracker, report, 2, "1 flight"))
    assert chart.caption.startswith("The source graph: 4 sources read through 2 channels.")
    assert sourcing.chain(data, "b") == ["b", "a", "report"]


def test_titles_that_start_alike_are_cut_where_they_differ():
    data, problems = load({
        "data/sources/g1.yml": source("g1").replace("Source g1", "GeoNames entry for Benina International Airport"),
        "data/sources/g2.yml": source("g2").replace("Source g2", "GeoNames entry for Khmeimim Air Base"),
        "data/sources/g3.yml": source("g3").replace("Source g3", "GeoNames entry for Khmeimim Air Base"),
        "data/sources/long.yml": source("long").replace("Source long", "An unrelated long title of a channel"),
        "data/flights/f1.yml": flight("f1").replace("[report]", "[g1, g2, g3, long]"),
    })
    assert problems == []
    assert sourcegraph.labels(data, ["g1", "g2", "g3", "long", "report"]) == {
        "g1": "GeoNames entry for Benina…", "g2": "GeoNames entry for Khmeimim Air Base",
        "g3": "GeoNames entry for Khmeimim Air Base",  # the same title in full: the same label
        "long": "An unrelated long…", "report": "A news report"}


def test_the_example_judgments_show_relayed_chains_and_count_what_is_cited_directly():
    from pathlib import Path

    from generator.facts import dataset

    data = dataset.load(Path(__file__).resolve().parents[2] / "data")
    judgment = sourcegraph.context(data)["sourcing"]["russia-shifting-airlift-to-libya"]
    assert (judgment.count, judgment.channels, judgment.more, judgment.best) == (
        "1 independent line", ("news-report-2024-12",), "", "F")
    assert judgment.originators == ("flightradar24-tracking", "harchaoui-rusi", "news-report-2024-12",
                                    "syrian-security-official", "unnamed-experts")
    assert [(r.id, r.chains, r.rest) for r in judgment.routes] == [
        ("belarus-libya-since-2024-12-08", (("flightradar24-tracking", "news-report-2024-12"),), "plus 1 source read directly"),
        ("belarus-benghazi-2024-12-14", (("flightradar24-tracking", "news-report-2024-12"),), "plus 1 source read directly"),
        ("hmeimim-libya-cargo", (("syrian-security-official", "news-report-2024-12"),), "plus 1 source read directly"),
        ("russian-air-bases-libya", (), "1 source read directly"),
        ("experts-belarus-stockpiles-to-libya", (("unnamed-experts", "news-report-2024-12"),), "plus 1 source read directly"),
        ("harchaoui-syria-pushes-russia-to-libya", (("harchaoui-rusi", "news-report-2024-12"),), "plus 1 source read directly")]


def test_a_judgment_without_evidence_has_no_origin():
    data, problems = load({"data/assessments/a.yml": assessment("a")})
    assert problems == []
    judgment = sourcegraph.context(data)["sourcing"]["a"]
    assert (judgment.count, judgment.originators, judgment.channels, judgment.best, judgment.reported, judgment.newest,
            judgment.routes) == ("0 independent lines", (), (), "—", "no facts cited", "undated", ())


def test_a_brief_with_many_sources_shows_its_relay_chains_first_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(sourcegraph, "MAX_SOURCE_ROWS", 3)
    lone = {f"data/sources/lone-{n}.yml": source(f"lone-{n}") for n in range(4)}
    data, problems = load({**lone, "data/sources/a.yml": source("a", "via: report\n")})
    assert problems == []
    view = sourcegraph.context(data)
    assert [r.id for r in view["source_rows"]] == ["report", "a"]
    assert view["sources_left_out"] == 4
    assert view["source_graph"].caption.startswith("The source graph: 2 sources read through 1 channel.")


def test_the_sourcing_page_lists_findings_up_to_its_limit_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(sourcegraph, "MAX_FINDINGS", 1)
    high = assessment("a", "evidence: [flight: f1]\nassumptions: [{text: T, if_wrong: W}]\n").replace(
        "confidence: low", "confidence: high")
    data, problems = load({"data/flights/f1.yml": flight("f1"), "data/assessments/a.yml": high,
                           "data/assessments/b.yml": high.replace("id: a", "id: b")})
    assert problems == []
    view = sourcegraph.context(data)
    assert [(f.file, f.code) for f in view["findings"]] == [("data/assessments/a.yml", "single-origin-high-confidence")]
    assert view["findings_left_out"] == 1


def test_a_release_counts_origins_from_the_released_facts_only():
    from generator.facts import markings

    secret = "tlp: TLP:AMBER\n"
    data, problems = load({
        "data/sources/secret.yml": source("secret", secret),
        "data/flights/f1.yml": flight("f1"),
        "data/flights/f2.yml": flight("f2", secret).replace("[report]", "[secret]"),
        "data/assessments/x.yml": assessment("x", "evidence:\n  - flight: f1\n  - flight: f2\n"),
    })
    assert problems == []
    assert sourcegraph.context(data)["sourcing"]["x"].channels == ("report", "secret")
    released, _ = markings.release(data, "TLP:CLEAR")
    view = sourcegraph.context(released)
    assert view["sourcing"]["x"].channels == ("report",)
    assert "secret" not in repr(view)
