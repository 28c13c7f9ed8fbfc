"""Hostile text in a real browser: markup in fact text shows literally in charts and pages, and does nothing."""
from __future__ import annotations

import pytest

from tests.browser.conftest import built_and_served, serving

LINK = '<a href="https://evil.example/">Benghazi</a>'
PHISHING = {
    "data/flights/phish.yml": f"""
        id: phish
        departure: unknown
        arrival: 2024-12-14
        origin: {{country: BY}}
        destination: {{place: '{LINK}', country: LY, coordinates: {{lat: 32.1, lon: 20.1, source: report}}}}
        basis: tracked
        sources: [report]
    """,
    "data/flights/other.yml": """
        id: other
        departure: unknown
        arrival: 2024-12-15
        origin: {country: BY}
        destination: {country: SY}
        basis: tracked
        sources: [report]
    """,  # a second route, so the chart shows its legend
    "data/bases/bold.yml": """
        id: bold
        name: '<b>Bold</b> & <br>broken'
        country: SY
        location: {icao: OSLK}
        kind: air base
        sources: [report]
    """,
}


@pytest.fixture(scope="module")
def phishing_site(tmp_path_factory):
    with built_and_served(tmp_path_factory.mktemp("phishing"), PHISHING) as url:
        yield url


def test_a_link_in_a_place_name_shows_literally_in_the_chart_legend_and_links_nowhere(_tab, phishing_site):
    _tab.reset(phishing_site)
    page = _tab.open(phishing_site + "flights/index.html")
    legend = page.eval_on_selector_all("#flights-per-day-chart .legendtext", "ts => ts.map(t => t.textContent)")
    assert f"Belarus (airfield unknown) → {LINK}, Libya" in legend
    assert page.eval_on_selector_all(".brief-plot svg a", "as => as.length") == 0
    assert _tab.problems() == []


def test_markup_in_a_base_name_shows_literally_on_the_map(_tab, phishing_site):
    _tab.reset(phishing_site)
    page = _tab.open(phishing_site + "index.html")
    labels = page.eval_on_selector_all("#route-map-chart .scattergeo text", "ts => ts.map(t => t.textContent)")
    assert "<b>Bold</b> & <br>broken" in labels
    assert page.eval_on_selector_all("#route-map-chart svg a, #route-map-chart svg tspan[style*='bold']", "xs => xs.length") == 0
    assert _tab.problems() == []


# ---------------------------------------------------------------- any text, in every text field


import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from generator import cli  # noqa: E402
from tests.conftest import new_brief  # noqa: E402

MARKUP = [
    "<script>window.__pwned=1</script>", "<img src=x onerror=window.__pwned=1>", "<svg onload=window.__pwned=1>",
    '</title><iframe srcdoc="<script>parent.__pwned=1</script>">', "<!--", "-->", "{{ 7*7 }}", "{% raw %}", "`",
    "``` ", "[x](javascript:window.__pwned=1)", '<a href="https://evil.example/">x</a>', "![i](https://evil.example/i.png)",
    "&amp;", "&#60;b&#62;", "| a | b |", "=HYPERLINK(\"https://evil.example/\")", "@octocat", "# not a heading",
    "😀", "𝔸", "'", '"', "\\", "%{x}", "<br>", "<b>b</b>", "{: onclick=window.__pwned=1 }", "--8<-- 'x'",
    "</script>", "$x$", "---", "* ",
]
BREAKS = ["\n", "\n\n# heading\n", "\n---\n", "\n> quote\n"]  # prose may span lines; names and titles may not
CONTROLS = ["\u202e", "\u2066", "\x00", "\x1b[31m", "\x85", "\x9b", "\x7f", "\u2028", "\u2029", "\x0b"]
READABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn"))


def _text(pieces) -> st.SearchStrategy[str]:
    parts = st.one_of(pieces, st.text(READABLE, min_size=1, max_size=6))
    return st.lists(parts, min_size=1, max_size=3).map("".join).filter(lambda t: t.strip() and len(t) < 150)


LINE, PROSE = _text(st.sampled_from(MARKUP)), _text(st.sampled_from(MARKUP + BREAKS))
PROSE_FIELDS = {"brief_summary", "source_note", "base_description", "observation_summary", "observation_note",
                "flight_summary", "flight_note", "place_note", "judgment", "assessment_note", "evidence_note",
                "event_summary", "event_note", "cargo_description", "personnel_description"}
FIELDS = ("brief_title", "brief_subtitle", "brief_summary", "brief_publisher",
          "source_title", "source_publisher", "source_author", "source_note",
          "base_name", "base_alias", "base_operator", "base_description", "observation_summary", "observation_note",
          "flight_summary", "flight_operator", "flight_note", "place", "place_note", "aircraft_type", "registration",
          "assessment_title", "judgment", "assessment_note", "expert", "affiliation", "role", "evidence_note",
          "event_title", "event_summary", "event_note", "stop_place", "cargo_description", "personnel_description",
          "incident_place", "incident_aircraft")


def tree(t: dict[str, str]) -> dict[str, str]:
    """A brief with one fact of each kind whose every text field holds the drawn text."""
    q = {k: json.dumps(v, ensure_ascii=False) for k, v in t.items()}
    return {
        "data/brief.yml": f"title: {q['brief_title']}\nsubtitle: {q['brief_subtitle']}\nsummary: {q['brief_summary']}\n"
                          f"publisher: {q['brief_publisher']}\nedition: 2024-12-16\ntlp: TLP:CLEAR\n",
        "data/sources/s.yml": f"id: s\ntitle: {q['source_title']}\npublisher: {q['source_publisher']}\n"
                              f"author: {q['source_author']}\nnote: {q['source_note']}\npublished: 2024-12-15\n"
                              f"kind: news\nreliability: B\nurl: https://example.org/a\n",
        "data/bases/b.yml": f"id: b\nname: {q['base_name']}\naliases: [{q['base_alias']}]\ncountry: SY\n"
                            f"location: {{icao: OSLK}}\nkind: air base\noperator: {q['base_operator']}\n"
                            f"description: {q['base_description']}\nsources: [s]\nobservations:\n"
                            f"  - {{date: 2024-12-14, status: active, summary: {q['observation_summary']}, "
                            f"note: {q['observation_note']}, sources: [s], credibility: 2}}\n",
        "data/flights/f.yml": f"id: f\nsummary: {q['flight_summary']}\ndeparture: unknown\narrival: 2024-12-14\n"
                              f"origin: {{base: b}}\ndestination: {{place: {q['place']}, country: LY, "
                              f"note: {q['place_note']}}}\naircraft: {{type: {q['aircraft_type']}, "
                              f"registration: {q['registration']}}}\noperator: {q['flight_operator']}\n"
                              f"note: {q['flight_note']}\nbasis: tracked\nsources: [s]\n"
                              f"stops: [{{place: {q['stop_place']}, country: LY}}]\n"
                              f"cargo: [{{kind: weapons, description: {q['cargo_description']}, sources: [s], "
                              f"credibility: 3}}]\npersonnel: {{description: {q['personnel_description']}, "
                              f"sources: [s], credibility: 3}}\n",
        "data/flights/g.yml": "id: g\ndeparture: unknown\narrival: 2024-12-15\norigin: {country: BY}\n"
                              "destination: {country: SY}\nbasis: tracked\nsources: [s]\n",
        "data/assessments/a.yml": f"id: a\ntitle: {q['assessment_title']}\ndate: 2024-12-15\n"
                                  f"judgment: {q['judgment']}\nnote: {q['assessment_note']}\n"
                                  f"attribution: {{name: {q['expert']}, affiliation: {q['affiliation']}, "
                                  f"role: {q['role']}}}\nevidence:\n  - {{flight: f, note: {q['evidence_note']}}}\n"
                                  f"sources: [s]\n",
        "data/events/e.yml": f"id: e\ntitle: {q['event_title']}\ndate: 2024-12-13\nsummary: {q['event_summary']}\n"
                             f"note: {q['event_note']}\nsources: [s]\n",
        "data/events/i.yml": f"id: i\ntitle: Crash\nkind: crash\ndate: 2024-12-12\nsummary: S\n"
                             f"place: {q['incident_place']}\ncountry: LY\naircraft: {{type: {q['incident_aircraft']}}}\n"
                             f"sources: [s]\n",
    }


def squeeze(text: str) -> str:
    return " ".join(text.split())


SHOWN = [  # page, what a reader sees there, the fields it shows
    ("index.html", ".brief-banner", ("brief_title",)),
    ("index.html", "article", ("brief_summary",)),
    ("bases/b.html", "article h1", ("base_name",)),
    ("bases/b.html", "article", ("base_alias", "observation_summary", "base_operator")),
    ("flights/2024-12.html", "article", ("flight_summary", "place", "registration", "stop_place", "cargo_description",
                                          "personnel_description")),
    ("assessments.html", "article", ("assessment_title", "judgment", "expert")),
    ("sources.html", "article", ("source_title", "source_publisher")),
    ("timeline.html", "article", ("event_title", "event_summary", "incident_place", "incident_aircraft")),
]
LOCATED = re.compile(r"^(data/[\w/.-]+:\d+:\d+: .+|\d+ errors?; nothing was written\.)$")


@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.fixed_dictionaries({name: PROSE if name in PROSE_FIELDS else LINE for name in FIELDS}),
       control=st.one_of(st.none(), st.none(), st.tuples(st.sampled_from(FIELDS), st.sampled_from(CONTROLS))))
def test_any_text_in_any_field_shows_literally_and_runs_nothing(_tab, tmp_path_factory, capsys, texts, control):
    if control:  # one invisible or control character somewhere: refused with its place, never published
        texts = {**texts, control[0]: texts[control[0]] + control[1]}
    root = tmp_path_factory.mktemp("any-text") / "brief"
    project = new_brief(root, tree(texts))
    code = cli.main(["-C", str(project.root), "build"])
    out, err = capsys.readouterr()
    if code:  # refused: every line located (file:line:column) or counted, nothing built, no traceback
        assert code == 1 and err and all(LOCATED.match(line) for line in err.splitlines()), err
        assert control and f"U+{ord(control[1][0]):04X}" in err and not project.site.exists()
        return
    with serving(project.site) as url:
        _tab.reset(url)
        dialogs = []
        _tab.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel, selector, fields in SHOWN:
            page = _tab.open(url + rel)
            shown = squeeze(page.inner_text(selector))
            for name in fields:
                assert squeeze(texts[name]) in shown, (rel, name)
            assert page.evaluate("window.__pwned") is None, rel
        assert dialogs == [] and _tab.problems() == []
    shutil.rmtree(root.parent)
