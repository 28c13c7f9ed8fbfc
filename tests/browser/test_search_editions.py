"""Search in the other editions, typed into the box as a reader does: a TLP:CLEAR release finds what it shows and
nothing it withholds, served (fragment index) and from disk (the theme's); the sealed edition keeps the theme's search,
sealed with its pages, and finds the example's bases, routes and judgments once the passphrase opens it.

No result may name a withheld fact or link its page (tests/canaries.py)."""
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest

from generator import cli
from tests import canaries
from tests.browser.conftest import serving
from tests.browser.test_search import WAYS, search
from tests.conftest import build_example, new_brief
from tests.search_index import theme_index

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The canary brief built whole (every marking) and released at TLP:CLEAR, each in its own folder."""
    built = {}
    for name, release in (("full", []), ("clear", ["--release", "TLP:CLEAR"])):
        project = new_brief(tmp_path_factory.mktemp(name) / "brief", canaries.FACTS,
                            base={"data/brief.yml": canaries.BRIEF.replace("previous_edition: edition-1\n", "")})
        canaries.write_captures(project.root)
        assert cli.main(["-C", str(project.root), "build", *release]) == 0
        built[name] = project.site
    return built


def searchable(site, words) -> list[str]:
    """The words the theme's index of a site holds (the index leaves prose out, so not every canary is searchable)."""
    text = str(theme_index(site)).lower()
    return [w for w in words if w.lower() in text]


@contextmanager
def opened_at(reader, site, where: str):
    """The site's address, served over HTTP or from disk as where says, with the reader told to stay inside it."""
    with serving(site, leaving=reader.page) as url:
        root = url if where == "served" else site.as_uri() + "/"
        reader.roots[:] = [root]
        yield root


@pytest.mark.parametrize("where", WAYS)
def test_the_full_edition_finds_withheld_facts_so_the_release_test_can_see_them(reader, editions, where):
    site = editions["full"]
    withheld = searchable(site, canaries.WITHHELD)
    assert len(withheld) >= 5
    with opened_at(reader, site, where) as root:
        page = reader.open(root + "index.html")
        for word in withheld[:3]:
            assert word in " ".join(search(page, word)).lower(), word


@pytest.mark.parametrize("where", WAYS)
def test_a_clear_release_finds_its_open_facts_and_none_it_withholds(reader, editions, where):
    site, withheld = editions["clear"], searchable(editions["full"], canaries.WITHHELD)
    shown = searchable(site, canaries.OPEN)
    assert shown
    with opened_at(reader, site, where) as root:
        page = reader.open(root + "index.html")
        for word in shown[:3]:
            assert word in " ".join(search(page, word)).lower(), word
        for word in withheld:  # the fragment index forgives typing errors: it may list near words of open facts
            found = " ".join(search(page, word, expect_results=False)).lower()
            assert word not in found and not [i for i in canaries.WITHHELD_IDS if i in found], (word, found)


@pytest.fixture(scope="module")
def sealed_example(tmp_path_factory):
    """The example brief built as a sealed edition (brief build --encrypt)."""
    project = build_example(tmp_path_factory.mktemp("sealed-example"))
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "build", "--encrypt"],
                          env={**os.environ, "BRIEF_PASSPHRASE": PASSPHRASE}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return project


def test_the_sealed_edition_publishes_no_fragment_index_and_no_clear_theme_index(sealed_example):
    site = sealed_example.site
    assert not (site / "pagefind").exists() and not (site / "search" / "search_index.json").exists()
    assert (site / "search" / "search_index.js").read_text().startswith("window.briefSealed&&window.briefSealed(")


@pytest.mark.parametrize("where", WAYS)
def test_the_sealed_edition_finds_bases_routes_and_judgments_once_opened(reader, sealed_example, facts, where):
    site = sealed_example.site
    with opened_at(reader, site, where) as root:
        page = reader.page
        page.goto(root + "index.html")
        page.fill("#brief-passphrase", PASSPHRASE)
        page.click(".brief-unlock button")
        page.wait_for_selector("article h1")
        listed = lambda: page.inner_text(".md-search-result__list")  # noqa: E731
        for base in facts.bases.values():
            for alias in base.aliases:
                search(page, alias)
                assert base.name in listed(), alias
        search(page, "Belarus Libya")
        assert "Routes" in listed()
        for assessment in facts.assessments.values():
            search(page, " ".join(assessment.judgment.split()[2:6]))
            assert "Assessments" in listed()  # the page of judgments (names are opaque in a sealed edition)
