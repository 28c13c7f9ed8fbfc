"""Synthetic briefs: reproducible, valid by construction, and split into pages of bounded size."""
import hashlib
import json
import re

import pytest

from generator import build, cli

from generator.facts import dataset

from generator.site import plan as pages

from generator.tools import serve
from generator.errors import ConfigError
from generator.project import Project
from tests.conftest import REPO
from tests.search_index import fragment_pages, theme_index


def tree(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def synth(out, seed=7, flights=300, bases=12, assessments=30, indicators=50):
    from generator.tools import synth as s

    return s.synthesize(out, flights=flights, bases=bases, assessments=assessments, seed=seed, template=Project(REPO),
                        indicators=indicators)


def chart_bytes(html):
    return sum(map(len, re.findall(r'<script type="application/json" id="[^"]+-data">(.*?)</script>', html, re.S)))


def test_same_seed_same_bytes_other_seed_other_facts(tmp_path):
    assert tree(synth(tmp_path / "a")) == tree(synth(tmp_path / "b"))
    assert tree(synth(tmp_path / "c", seed=8)) != tree(tmp_path / "a")


def test_a_synthetic_brief_validates_and_builds(tmp_path, capsys):
    out = tmp_path / "brief"
    assert cli.main(["-C", str(REPO), "synth", "--flights", "300", "--bases", "12", "--assessments", "30", "--seed", "7",
                     "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote a synthetic brief into {out}: run brief build inside it\n"
    assert tree(out) == tree(synth(tmp_path / "same"))
    assert cli.main(["-C", str(out), "validate"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "data/: valid (20 sources, 12 bases, 300 flights, 30 assessments, 12 events, 50 indicators); "
        "21 warnings (tradecraft findings)")
    result = build.build(Project(out))
    assert (result.site / "index.html").is_file()
    statuses = {s["status"] for s in json.loads((result.site / "data" / "brief.json").read_text())["indicator_status"]}
    assert {"met", "not met"} <= statuses


def test_indicators_leave_the_other_synthetic_facts_as_they_were(tmp_path):
    few = tree(synth(tmp_path / "few", indicators=3))
    many = tree(synth(tmp_path / "many", indicators=50))
    assert {k: v for k, v in few.items() if "/indicators/" not in k} == {k: v for k, v in many.items()
                                                                          if "/indicators/" not in k}
    assert sum("/indicators/" in k for k in many) == 50 and sum("/indicators/" in k for k in few) == 3


def test_synth_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="folder is not empty"):
        synth(tmp_path)


def test_busy_months_and_long_lists_are_split_into_bounded_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "LOG_PAGE_SIZE", 40)
    monkeypatch.setattr(pages, "ASSESSMENTS_PAGE_SIZE", 10)
    monkeypatch.setattr(pages, "BASE_RECENT_FLIGHTS", 5)
    data = dataset.load(synth(tmp_path / "brief") / "data")
    links = pages.Links(data)
    plan = {p.path: p for p in pages.plan(data, links)}
    logs = [p for p in plan.values() if p.template == "flight_log.md.j2"]
    assert sum(len(p.context["flights"]) for p in logs) == 300
    assert max(len(p.context["flights"]) for p in logs) == 40
    assert any("-part-" in p.path for p in logs)
    assert [p for p in plan if p.startswith("assessments")] == ["assessments.md", "assessments-2.md", "assessments-3.md"]
    assert all(len(p.context["flights"]) <= 5 for p in plan.values() if p.template == "base.md.j2")
    for (kind, fid), path in links.pages.items():  # every fact links to the page that shows it
        assert path in plan or path.endswith("timeline.md")


def test_editing_one_flight_rewrites_only_its_log_page_its_bases_and_the_exports(tmp_path):
    project = Project(synth(tmp_path / "brief"))
    preview = serve.Preview(project)
    preview.regenerate()
    before = {p: p.stat().st_mtime_ns for p in project.docs.rglob("*") if p.is_file()}
    fact = project.data / "flights" / "2025-01" / "flight-000029.yml"
    fact.write_text(fact.read_text().replace("callsign: RFF7881", "callsign: RFF0001"))
    changed = preview.regenerate().files
    assert sorted(changed) == ["bases/base-ltba.md", "bases/base-urss.md", "data/brief.geojson", "data/brief.json",
                               "data/brief.stix.json", "data/flights.csv", "flights/2025-01-part-2.md"]
    assert "RFF0001" in (project.docs / "flights" / "2025-01-part-2.md").read_text()
    kept = {p: mtime for p, mtime in before.items() if p.relative_to(project.docs).as_posix() not in changed}
    assert len(kept) == len(before) - 7
    assert {p: p.stat().st_mtime_ns for p in kept} == kept


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """A synthetic brief of 1,000 flights, built once for this module."""
    root = synth(tmp_path_factory.mktemp("medium") / "m", seed=1, flights=1000, bases=50, assessments=100)
    return build.build(Project(root)), dataset.load(root / "data")


def test_at_medium_scale_pages_stay_light_and_plotly_ships_once(medium):
    result, _ = medium
    html = {p.relative_to(result.site).as_posix(): p.read_text(encoding="utf-8") for p in result.site.rglob("*.html")}
    assert len(html) == result.pages + 1  # every generated and hand-written page, and 404.html
    sizes = {page: len(text.encode()) for page, text in html.items()}
    heavy = {p: n for p, n in sizes.items() if n > 400_000}
    assert not heavy, f"pages over 400 KB: {heavy}"
    for page in ("index.html", "bases/index.html", "flights/index.html", "assessments.html", "timeline.html"):
        assert sizes[page] < 150_000, f"{page} is {sizes[page]:,} bytes"
    assert max(chart_bytes(text) for text in html.values()) < 300_000
    assert 'id="route-map-data"' in html["index.html"] and 'id="flights-per-day-data"' in html["index.html"]
    plotly = [p for p in result.site.rglob("*.js") if p.read_bytes().startswith(b"/**\n* plotly.js")]
    assert [p.relative_to(result.site).as_posix() for p in plotly] == ["assets/brief/plotly.min.js"]


def test_at_medium_scale_search_holds_names_registrations_callsigns_and_judgments_not_every_cell(medium):
    import json

    result, data = medium
    index = theme_index(result.site)["docs"]
    words = " ".join(f"{d['title']} {d['text']}" for d in index)
    served = " ".join(p["content"] for p in fragment_pages(result.site))  # the fragment index finds the same kinds
    wanted = {*(b.name for b in data.bases.values()), *(alias for b in data.bases.values() for alias in b.aliases),
              *(f.aircraft.registration for f in data.flights.values() if f.aircraft.registration),
              *(f.aircraft.callsign for f in data.flights.values() if f.aircraft.callsign),
              *(a.title for a in data.assessments.values()), *(s.title for s in data.sources.values())}
    missing = sorted(w for w in wanted if w.replace("'", "&#39;") not in words and w not in words)
    assert not missing, f"not in the search index: {missing[:5]}"
    assert not [w for w in wanted if w not in served], "the fragment index misses what the theme's holds"
    from generator.site import present

    headings = [f"{present.route(f, data.bases)}, {present.when(f.when)}" for f in data.flights.values()]
    log = " ".join(f"{d['title']} {d['text']}" for d in index if d["location"].startswith("flights/"))
    assert not [h for h in headings if h in log]  # each flight's details and table row stay out of the index
    served_log = " ".join(p["content"] for p in fragment_pages(result.site) if p["url"].startswith("/flights/"))
    assert served_log and not [h for h in headings if h in served_log]
    assert {p["url"].lstrip("/") for p in fragment_pages(result.site)} == {d["location"].split("#")[0] for d in index}
    assert not [d for d in index if d["location"].startswith(("timeline-", "bases/index.html"))]
    per_flight = len(json.dumps(index)) / len(data.flights)
    assert per_flight < 250, f"{per_flight:.0f} bytes of search index per flight"
