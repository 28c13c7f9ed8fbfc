"""An indicator of the example brief tipped by a newly tracked flight: what the reader and the reviewer see.

A copy of the example is committed; a tracked flight from Hmeimim is added and committed; the indicator
"Russian military flights keep leaving Hmeimim" moves from possibly met to met on the overview, the Indicators
page, page 1 of the distribution edition, brief.json, What changed and brief diff between the two commits.
"""
import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from generator import build, cli
from generator.project import Project
from tests.conftest import BRIEF_PARTS, REPO, commit_all
from tests.outputs import pdfcheck

INDICATOR = "hmeimim-departures-continue"
TITLE = "Russian military flights keep leaving Hmeimim"
FLIGHT = """\
id: hmeimim-departure-2024-12-15
summary: A further Russian military flight leaves Hmeimim
departure: 2024-12-15
arrival: unknown
origin: {base: hmeimim-air-base}
destination: unknown
basis: tracked
sources: [flightradar24-tracking, news-report-2024-12]
credibility: 3
"""


def article(project, page: str) -> str:
    html = (project.site / page).read_text(encoding="utf-8")
    return " ".join(BeautifulSoup(html, "html.parser").select_one("article").get_text(" ").split())


def watch_line(project) -> str:
    """The overview's What to watch entry for the indicator."""
    soup = BeautifulSoup((project.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.find(id="what-to-watch")
    items = heading.find_next("ul").find_all("li")
    return next(" ".join(li.get_text(" ").split()) for li in items if TITLE in li.get_text())


def indicator_status(project) -> dict:
    doc = json.loads((project.site / "data" / "brief.json").read_text(encoding="utf-8"))
    return next(s for s in doc["indicator_status"] if s["id"] == INDICATOR)


def commit(root, message):
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    "commit", "-qm", message], cwd=root, check=True)


@pytest.fixture(scope="module")
def tipped(tmp_path_factory, chromium):
    root = tmp_path_factory.mktemp("tipped")
    for part in (*BRIEF_PARTS, "data"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    commit_all(root, "1734307200")
    project = Project(root)
    build.build(project)
    before = {"watch": watch_line(project), "page": article(project, "indicators.html"), "json": indicator_status(project)}
    subprocess.run(["git", "tag", "edition-1"], cwd=root, check=True)
    (root / "data" / "flights" / "hmeimim-departure-2024-12-15.yml").write_text(FLIGHT, encoding="utf-8")
    commit(root, "A further departure from Hmeimim")
    build.build(project, pdf=True)
    return project, before


def test_before_the_flight_the_indicator_is_possibly_met_and_says_which_flight_could_meet_it(tipped):
    project, before = tipped
    assert before["watch"].startswith(f"{TITLE} : possibly met .")  # one marking in the brief: no portion marks
    assert before["json"]["status"] == "possibly met"
    assert before["json"]["met_by"] == [{"kind": "flights", "id": "hmeimim-diplomatic-flight"}]
    assert before["json"]["possibly_met_by"] == [{"kind": "flights", "id": "hmeimim-libya-cargo"}]
    page = before["page"]
    section = page[page.index(TITLE):page.index("Russia evacuates the naval facility at Tartus")]
    assert ("Condition: at least 2 flights from Hmeimim Air Base in the 9 days up to the edition date "
            "(8 Dec 2024 to 16 Dec 2024).") in section
    assert ("Meets it only if its ranged date falls in the window: flight Hmeimim Air Base → Libya (airfield unknown), "
            "between 7 and 14 Dec 2024") in section


def test_the_overview_and_the_indicators_page_show_it_met_by_the_new_flight(tipped):
    project, _ = tipped
    assert watch_line(project).startswith(f"{TITLE} : met since 15 Dec 2024.")
    page = article(project, "indicators.html")
    section = page[page.index(TITLE):page.index("Russia evacuates the naval facility at Tartus")]
    assert "Found: 2 flights, and 1 more if their ranged dates fall in the window." in section
    assert ("Met by: flight Hmeimim Air Base → unknown, between 8 and 15 Dec 2024 "
            "flight Hmeimim Air Base → unknown, 15 Dec 2024") in section
    assert "Status at the edition date: 3 met, 2 not met." in page


def test_brief_json_and_the_pdf_give_the_new_status(tipped):
    project, _ = tipped
    status = indicator_status(project)
    assert status["status"] == "met" and status["since"] == "2024-12-15" and status["evaluated_at"] == "2024-12-16"
    assert {"kind": "flights", "id": "hmeimim-departure-2024-12-15"} in status["met_by"]
    pages = pdfcheck.page_texts(project.site / "brief.pdf")
    assert f"{TITLE}: met since 15 Dec 2024 · if met:" in pages[0]
    assert (f"Indicator “{TITLE}”: possibly met → met, by Hmeimim Air Base → unknown, 15 Dec 2024"
            in " ".join(pages))  # called out under What changed, named by its title


def test_what_changed_calls_out_the_indicator_by_the_flight_that_moved_it(tipped):
    project, _ = tipped
    page = article(project, "changes.html")
    assert f"Indicator “{TITLE}”: possibly met → met, by Hmeimim Air Base → unknown, 15 Dec 2024" in page


def test_brief_diff_between_the_two_commits_in_every_format(tipped, capsys):
    project, _ = tipped
    root = str(project.root)
    assert cli.main(["-C", root, "diff", "HEAD~1", "HEAD"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == (f"! indicator {INDICATOR}: possibly met → met, by flight hmeimim-departure-2024-12-15 "
                        "(Hmeimim Air Base → unknown, 15 Dec 2024)")
    assert cli.main(["-C", root, "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["indicators"] == [{
        "id": INDICATOR, "title": TITLE, "old": "possibly met", "new": "met",
        "causes": [{"kind": "flights", "id": "hmeimim-departure-2024-12-15", "change": "meets it now",
                    "summary": "Hmeimim Air Base → unknown, 15 Dec 2024"}]}]
    assert cli.main(["-C", root, "diff", "HEAD~1", "HEAD", "--format", "markdown"]) == 0
    assert (f"- :traffic_light: `indicator {INDICATOR}: possibly met → met, by flight hmeimim-departure-2024-12-15 "
            "(Hmeimim Air Base → unknown, 15 Dec 2024)`") in capsys.readouterr().out.splitlines()
