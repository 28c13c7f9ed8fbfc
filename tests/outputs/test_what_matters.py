"""What matters first, at scale: a synthetic brief against its previous edition.

A printed judgment jumps from "almost no chance" to "very likely", two of the busiest bases change status, 300
flights are added and two sources are regraded. Page 1 says the jump, What changed (the edition's section and the
site's page, from the same comparison as brief diff) puts the judgment, the status changes and the summed additions
ahead of any source regrade, each named by its title, never by id and field path.
"""
import html
import os
import re
import subprocess

import pytest
import yaml

from generator.facts import dataset, markings
from generator.outputs import edition
from generator.project import Project
from generator.site import plan, render
from generator import build
from generator.tools import diff, synth
from tests.conftest import REPO
from tests.outputs import pdfcheck

TAG = "edition-2025-02-01"
JUDGMENT = "Judgment 7 on airlift posture"  # a key judgment of the synthetic brief
MOVED = "raised from almost no chance to very likely since 1 Feb 2025"
BASSEL, BENINA = "Bassel Al-Assad International Airport", "Benina International Airport"  # two of the busiest


def _edit(data, rel: str, change) -> None:
    path = data / rel
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _status(status: str):
    def change(record):
        record["observations"].append({"date": "2025-02-20", "status": status, "summary": "Staff and aircraft leaving.",
                                       "sources": ["source-00000"], "credibility": 2})
    return change


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    """A synthetic brief of 1,000 flights with its previous edition tagged in git and this edition's changes."""
    root = synth.synthesize(tmp_path_factory.mktemp("what-matters") / "brief", flights=1000, bases=50, assessments=100,
                            seed=1, template=Project(REPO))
    data = root / "data"
    _edit(data, "brief.yml", lambda r: r.update(edition="2025-02-01"))
    _edit(data, "assessments/assessment-00007.yml", lambda r: r.update(likelihood="almost no chance"))
    env = {**os.environ, "GIT_AUTHOR_DATE": "@1738368000 +0000", "GIT_COMMITTER_DATE": "@1738368000 +0000",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "previous edition"], ["tag", TAG]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    _edit(data, "brief.yml", lambda r: r.update(edition="2025-03-01"))
    _edit(data, "assessments/assessment-00007.yml", lambda r: r.update(likelihood="very likely"))
    _edit(data, "bases/base-oslk.yml", _status("evacuating"))  # Bassel, active before
    _edit(data, "bases/base-hllb.yml", _status("evacuating"))  # Benina, active before
    _edit(data, "sources/source-00001.yml", lambda r: r.update(reliability="B"))  # regrades, E before
    _edit(data, "sources/source-00003.yml", lambda r: r.update(reliability="A"))
    (data / "flights" / "2025-02").mkdir(exist_ok=True)
    for n in range(300):  # 212 Vnukovo → Bassel, the rest on two other routes, all in February 2025
        origin, destination = ("base-uuww", "base-oslk") if n < 212 else \
            ("base-umms", "base-hllb") if n % 2 else ("base-urss", "base-heca")
        day = f"2025-02-{1 + n % 27:02d}T{n % 24:02d}"
        (data / "flights" / "2025-02" / f"added-{n:03d}.yml").write_text(yaml.safe_dump(
            {"id": f"added-{n:03d}", "departure": f"{day}:10Z", "arrival": f"{day}:55Z", "origin": {"base": origin},
             "destination": {"base": destination}, "basis": "tracked", "sources": ["source-00000"]}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pages(brief, chromium):
    data = markings.release(dataset.load(brief / "data"))[0]
    report = diff.since(brief, diff.previous_edition(brief, None), data)
    context = edition.Context(marking=data.brief.tlp, previous=TAG, changes=report)
    return pdfcheck.page_texts(edition.print_edition(data, context, brief / "brief.pdf", 1740787200))


def _in_order(text: str, *parts: str) -> list[int]:
    found = [text.find(part) for part in parts]
    assert -1 not in found, [p for p, at in zip(parts, found) if at == -1]
    return found


def test_page_one_leads_with_the_judgment_that_moved_and_says_so(pages):
    first = pages[0]
    heading = first.index("Key judgments")
    assert first.index(JUDGMENT) > heading  # ranked first: it changed since the previous edition
    assert first.index(JUDGMENT) < min(first.find(f"Judgment {n} on") for n in (17, 27, 37, 47) if f"Judgment {n} on" in first)
    assert f"Likelihood: very likely (80–95 %) · Confidence: low" in first
    assert f"{MOVED[0].upper()}{MOVED[1:]}." in first
    assert (f"4 of the 8 busiest bases are evacuating, 2 of them since 1 Feb 2025 ({BASSEL} and {BENINA})."
            in first)
    assert "The first 5 of 9 key judgments in the brief's ranking" in first


def test_what_changed_in_the_edition_ranks_by_consequence_and_names_facts_by_title(pages):
    text = " ".join(pages)
    section = text[text.index("What changed since the previous edition"):text.index("Outside views")]
    # the synthetic brief's indicators moved too (its 50 indicators watch the added flights and events): on paper the
    # eight places go to the key judgment, then indicator changes, and never to a source regrade
    shown = section[:section.index("most consequential of")]
    at = _in_order(shown, f"Key judgment “{JUDGMENT}”: {MOVED}", "2. Indicator “", "8. ")
    assert at == sorted(at) and "reliability grade" not in shown
    assert "The 8 most consequential of 18 changes" in section
    assert not re.search(r"base-\w+|source-\d+|assessment-\d+|observations\[", section)


def test_the_site_what_changed_page_ranks_the_same(brief):
    run = build.prepare(Project(brief))
    compared = build.previous(run)
    page = build.changes_page(compared)
    links = plan.Links(run.data)
    text = html.unescape(render.render_template(render.environment([brief / "templates"], {}), page.template,
                                                plan.page_context(page, links, plan.shared_context(run.data))))
    ranked = text[:text.index("## Fact by fact")]
    at = _in_order(ranked, f"Key judgment “{JUDGMENT}”: {MOVED}", f"{BENINA}: status changed", f"{BASSEL}: status changed",
                   "+300 flights in Feb 2025, 212 of them", "Source “Imagery item 1”: reliability grade raised")
    assert at == sorted(at)
    assert "](assessments" in ranked.split("\n1. ")[1]  # the judgment links to its entry


def test_the_overview_leads_with_the_same_ranking_and_says_what_moved(brief):
    from generator.facts import ranking

    run = build.prepare(Project(brief))
    report = build.previous(run)["report"]
    moved = ranking.shifts(report.before, report.after)
    shared = plan.shared_context(run.data, moved)
    page = next(p for p in plan.plan(run.data, run.links) if p.path == "index.md")
    text = html.unescape(render.render_template(render.environment([brief / "templates"], {}), page.template,
                                                plan.page_context(page, run.links, shared)))
    bottom = text[text.index("## Key judgments"):text.index("## Implications") if "## Implications" in text else text.index("## In figures")]
    titles = re.findall(r"\*\*\[(Judgment \d+ on airlift posture)\]", bottom)
    printed = edition.view(run.data, edition.Context(marking="TLP:GREEN", changes=report))["judgments"]
    assert titles[:5] == [j["title"] for j in printed]  # one ranking for the site and the PDF
    assert titles[0] == JUDGMENT and f"**{MOVED[0].upper()}{MOVED[1:]}.**" in bottom.split("\n- ")[1]


def test_indicator_changes_rank_between_key_judgments_and_base_status():
    """The slot for indicators: a comparison that reports indicator status changes has them ranked second."""
    from types import SimpleNamespace as Record

    from generator.site import whatchanged

    cause = Record(kind="flights", id="f9", change="meets it now", summary="Vnukovo → Bassel, 3 Feb 2025")
    report = Record(changes=[], before=None, after=None,
                    indicators=[Record(id="i1", title="Flights  to Bassel double", old="not met", new="met", causes=(cause,))])
    assert [(c.tier, c.text) for c in whatchanged.records(report, set())] == [
        (1, "Indicator “Flights to Bassel double”: not met → met, by Vnukovo → Bassel, 3 Feb 2025")]


def test_the_fact_by_fact_table_words_each_field():
    from types import SimpleNamespace as Field

    from generator.site import whatchanged

    shown = diff.value_text
    assert whatchanged.field_change(Field(path="observations[1].status", old="active", new="evacuating"), shown) == \
        "observation 2, status: active → evacuating"
    assert whatchanged.field_change(Field(path="observations[4]", old=None, new={"status": "evacuating"}), shown) == \
        'observation 5 added: {"status": "evacuating"}'
    assert whatchanged.field_change(Field(path="evidence[0].flight", old="f1", new="f2"), shown) == \
        "evidence item 1, flight: f1 → f2"
