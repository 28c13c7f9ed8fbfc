"""End to end: the example brief builds, and its pages show the facts, links, charts and search."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import build

from generator.facts import counting, dataset
from generator.facts.models import SINGULAR
from generator.project import Project
from tests.conftest import BRIEF_PARTS, REPO
from tests.golden import HERE as GOLDEN
from tests.search_index import fragment_pages, theme_index


@pytest.fixture(scope="module")
def data(example):
    return dataset.load(example.data)


def html(example, rel: str) -> BeautifulSoup:
    return BeautifulSoup((example.site / rel).read_text(encoding="utf-8"), "html.parser")


def text_of(example, rel: str) -> str:
    return " ".join(html(example, rel).select_one("article").get_text(" ").split())


def test_every_base_has_a_page_with_its_name_aliases_and_observations(example, data):
    index = text_of(example, "bases/index.html")
    for base_id, base in data.bases.items():
        page = text_of(example, f"bases/{base_id}.html")
        assert base.name in page and base.name in index
        for alias in base.aliases:
            assert alias in page
        for obs in base.observations:
            assert " ".join(obs.summary.split()) in page


def section_text(soup: BeautifulSoup, anchor: str) -> str:
    """The text from a heading to the next heading of the same or higher level."""
    heading = soup.find(id=anchor)
    parts = [heading.get_text(" ")]
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2", "h3"):
            break
        parts.append(sibling.get_text(" "))
    return " ".join(" ".join(parts).split())


def test_every_assessment_shows_likelihood_and_confidence_as_words(example, data):
    soup = html(example, "assessments.html")
    for aid, a in data.assessments.items():
        section = section_text(soup, f"assessment-{aid}")
        assert a.title in section and " ".join(a.judgment.split()) in section
        if a.likelihood or a.confidence:
            assert f"Likelihood: {a.likelihood}" in section if a.likelihood else "Likelihood: not stated" in section
            assert f"Confidence: {a.confidence}" in section if a.confidence else "Confidence: not stated" in section
        else:  # an outside view that states neither says so once
            assert section.count("stated by the source") == 1 and "No likelihood or confidence stated by the source" in section


def test_every_source_is_listed_with_its_grade_and_what_cites_it(example, data):
    page = text_of(example, "sources.html")
    for sid, source in data.sources.items():
        assert source.title in page
        assert html(example, "sources.html").find(id=f"source-{sid}") is not None
    assert all(data.cited_by.get(sid) for sid in data.sources), "every source is cited by some fact"


def test_every_internal_link_lands_on_an_existing_anchor(example):
    anchors: dict[str, set] = {}
    for page in example.site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        anchors[page.resolve().as_posix()] = {el["id"] for el in soup.select("[id]")}
    checked = 0
    for page in example.site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:")) or ".html" not in href or "#" not in href:
                continue
            target, fragment = href.split("#", 1)
            resolved = (page.parent / target).resolve().as_posix()
            assert fragment in anchors[resolved], f"{page.name}: {href}"
            checked += 1
    assert checked > 20


def test_evidence_links_point_at_the_cited_facts(example, data):
    soup = html(example, "assessments.html")
    for aid, a in data.assessments.items():
        heading = soup.find(id=f"assessment-{aid}")
        hrefs = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            hrefs += [x["href"] for x in sibling.select("a[href]")]
        for item in a.evidence:
            kind, target = item.target
            assert any(h.endswith(f"#{SINGULAR[kind]}-{target}") for h in hrefs), (aid, kind, target)


def test_charts_carry_the_fact_data(example, data):
    soup = html(example, "index.html")
    figure = json.loads(soup.find("script", id="route-map-data").string)
    bases_drawn = sum(len(t["lat"]) for t in figure["data"] if t["name"].startswith("Base: "))
    assert bases_drawn == sum(1 for b in data.bases.values() if b.location.point())
    per_day = json.loads(soup.find("script", id="flights-per-day-data").string)
    bars = sum(sum(t["y"]) for t in per_day["data"] if t["type"] == "bar" and t["yaxis"] == "y")
    assert bars == sum(p.tally.certain for p in counting.periods(data, "day")) == 1  # the Benghazi flight, 14 Dec
    numbers = [d.select_one("summary").get_text() for d in soup.select("details")]
    assert numbers == ["The numbers behind: Route map", "The numbers behind: Flights over time"]


def test_plotly_is_served_once_and_never_from_a_cdn(example):
    copies = [p for p in example.site.rglob("*.js") if p.read_bytes().startswith(b"/**\n* plotly.js")]
    assert [p.relative_to(example.site).as_posix() for p in copies] == ["assets/brief/plotly.min.js"]
    for page in example.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in text and "fonts.googleapis" not in text and "unpkg.com" not in text, page


def test_search_index_finds_bases_by_alias_flights_by_route_and_assessments_by_words(example, data):
    index = theme_index(example.site)
    theme = " ".join(" ".join((d["title"] + " " + d["text"]).split()) for d in index["docs"])
    served = " ".join(" ".join(p["content"].split()) for p in fragment_pages(example.site))  # Pagefind's, over HTTP
    assert not (example.site / "search" / "search_index.json").exists()  # shipped once: the served site uses Pagefind
    for corpus in (theme, served):
        for base in data.bases.values():
            for alias in base.aliases:
                assert alias in corpus
        assert "Belarus (airfield unknown) → Libya (airfield unknown)" in corpus
        for a in data.assessments.values():
            assert " ".join(a.judgment.split()[:6]) in corpus


def test_every_page_shows_the_marking_and_data_revision(example, data):
    for page in example.site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if page.name == "404.html":
            continue
        assert soup.select_one(".brief-marking").get_text() == data.brief.tlp, page
        assert soup.select_one(".brief-provenance code") is not None, page


def test_hand_written_prose_takes_its_numbers_from_the_facts(example):
    source = (REPO / "content" / "narrative.md").read_text()
    assert "{{ figures." in source
    assert "{{" not in text_of(example, "narrative.html")


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734307200")
    trees = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        for part in (*BRIEF_PARTS, "data"):
            src = REPO / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
        build.build(Project(root))
        trees.append(tree_digest(root / "site"))
    assert trees[0] == trees[1]
    pages = sorted(p.removesuffix(".html").replace("/", "__") + ".txt" for p in trees[0] if p.endswith(".html"))
    assert pages == sorted(p.name for p in GOLDEN.glob("*.txt"))  # every page of the example, no more


def test_retired_judgments_are_listed_apart_and_leave_the_bottom_line(brief):
    """Current, superseded and withdrawn judgments each under their own heading; only current ones lead the overview."""
    def judgment(aid, extra=""):
        return (f"id: {aid}\ntitle: Judgment {aid}\ndate: 2024-12-15\njudgment: Words of {aid}.\nlikelihood: likely\n"
                f"confidence: low\nattribution: brief\nsources: [report]\n{extra}")
    project = brief({"data/assessments/now.yml": judgment("now"),
                     "data/assessments/old.yml": judgment("old", "status: superseded\nsuperseded_by: now\n"),
                     "data/assessments/gone.yml": judgment("gone", "status: withdrawn\n"
                                                           "note: Its only source retracted the story.\n")})
    build.build(project)
    page = html(project, "assessments.html")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["Current", "Superseded", "Withdrawn"]
    withdrawn = page.select("article h2")[2].find_next("h3")
    assert withdrawn.get_text(strip=True).startswith("Judgment gone")
    assert "Note: Its only source retracted the story." in " ".join(withdrawn.find_next("div").get_text(" ").split())
    overview = text_of(project, "index.html")
    assert "Words of now." in overview and "Words of gone." not in overview and "Words of old." not in overview
