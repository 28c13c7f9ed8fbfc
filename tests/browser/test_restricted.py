"""The restricted edition in a real Chromium: nothing readable without the passphrase, everything with it."""
import os
import re
import subprocess
import sys
import zipfile

import pytest

from tests.browser.conftest import CHARTS_DRAWN, WAIT_MS, serving, watch
from tests.conftest import new_brief
from tests.search_index import unpacked

PASSPHRASE = "correct horse battery staple"
CANARIES = {  # every text a reader could see, each marked so a leak is found by its marker
    "data/brief.yml": """
        title: Zqxtitle canary brief
        subtitle: Zqxsubtitle canary
        edition: 2024-12-16
        tlp: TLP:AMBER
        summary: Zqxsummary canary of the whole brief.
        publisher: Zqxpublisher canary desk
    """,
    "data/sources/zqx-source.yml": """
        id: zqx-source
        title: Zqxsourcetitle canary report
        publisher: Zqxsourcepublisher canary
        url: https://zqx-canary.example.org/report
        published: 2024-12-15
        kind: news
        reliability: B
    """,
    "data/bases/zqx-base.yml": """
        id: zqx-base
        name: Zqxbasename canary field
        aliases: [Zqxalias canary]
        country: SY
        location: {coordinates: {lat: 35.4019, lon: 35.9482, source: zqx-source}}
        kind: air base
        description: Zqxdescription canary text.
        sources: [zqx-source]
        observations:
          - date: 2024-12-14
            status: drawing down
            summary: Zqxobservation canary summary.
            sources: [zqx-source]
            credibility: 2
    """,
    "data/flights/zqx-flight.yml": """
        id: zqx-flight
        summary: Zqxflight canary summary
        departure: 2024-12-14
        arrival: 2024-12-14
        origin: {base: zqx-base}
        destination: {country: LY}
        aircraft: {type: Zqxtype, registration: ZQX-REG-77}
        basis: tracked
        sources: [zqx-source]
    """,
    "data/assessments/zqx-judgment.yml": """
        id: zqx-judgment
        title: Zqxassessment canary title
        date: 2024-12-15
        judgment: Zqxjudgment canary words about the airlift.
        likelihood: likely
        confidence: low
        attribution: brief
        evidence: [{flight: zqx-flight}]
        sources: [zqx-source]
    """,
    "data/events/zqx-event.yml": """
        id: zqx-event
        title: Zqxevent canary title
        date: 2024-12-08
        summary: Zqxevent canary summary.
        sources: [zqx-source]
    """,
}
IDS = ["zqx-source", "zqx-base", "zqx-flight", "zqx-judgment", "zqx-event"]
# each long enough that ciphertext cannot hold it by chance; coordinates hold a dot, which base64 never does
SECRETS = [s.encode() for s in re.findall(r"Zqx[a-z]+|ZQX-REG-77|zqx-canary\.example\.org|35\.4019|35\.9482",
                                          " ".join(CANARIES.values()))] + [i.encode() for i in IDS]


def brief_command(root, *args, passphrase=PASSPHRASE):
    env = {**os.environ, "BRIEF_PASSPHRASE": passphrase} if passphrase is not None else {
        k: v for k, v in os.environ.items() if k != "BRIEF_PASSPHRASE"}
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), *args], env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def restricted(tmp_path_factory):
    """The canary brief built as a restricted edition with `brief build --encrypt --zip`, and unpacked from its zip."""
    root = tmp_path_factory.mktemp("restricted") / "brief"
    project = new_brief(root, CANARIES, base={})
    done = brief_command(root, "build", "--encrypt", "--zip", str(root / "brief.zip"))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(root / "brief.zip") as archive:
        archive.extractall(root / "unzipped")
    return project


def test_no_canary_fact_id_or_coordinate_is_in_any_byte_or_name_of_the_output(restricted):
    outputs = [p for p in restricted.site.rglob("*") if p.is_file()] + [restricted.root / "brief.zip"]
    for path in outputs:
        name = path.relative_to(restricted.root).as_posix().encode()
        found = [s for s in SECRETS if s in name or s in unpacked(path.read_bytes())]  # gzip (a search index) opened
        assert found == [], path
    names = zipfile.ZipFile(restricted.root / "brief.zip").namelist()
    assert [n for n in names if any(i in n for i in IDS)] == []
    assert len(SECRETS) == 25  # the markers above were all found in the facts
    assert not (restricted.site / "pagefind").exists()  # no fragment index: its words would be in the clear


@pytest.fixture
def tab(browser):
    """A new tab with its own session storage; the test fails on any console or page error."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = watch(page)
    yield page
    context.close()
    assert errors == []


def shown_secrets(page) -> list[str]:
    """The canary texts in the page as the browser holds it. Whole markers, not their common prefix: the sealed
    page's base64 can hold any three letters ("Zqx") by chance, and did in one CI run."""
    content = page.content()
    return [s.decode() for s in SECRETS if s.decode() in content]


def unlock(page, passphrase=PASSPHRASE):
    page.fill("#brief-passphrase", passphrase)
    page.click(".brief-unlock button")


@pytest.mark.parametrize("where", ["served", "from disk", "unzipped"])
def test_the_passphrase_opens_the_overview_a_base_page_the_map_and_search(tab, restricted, where):
    folder = restricted.root / "unzipped" / "site" if where == "unzipped" else restricted.site
    with serving(folder, leaving=tab) as url:
        root = url if where == "served" else folder.as_uri() + "/"
        page = tab
        page.goto(root + "index.html")
        assert page.title() == "Restricted brief"
        unlock(page)
        page.wait_for_selector("article h1")
        assert page.title() == "Zqxtitle canary brief"
        page.wait_for_function(CHARTS_DRAWN)
        assert page.eval_on_selector("#route-map-chart .brief-plot", "el => el.getAttribute('data-drawn')") == "true"
        page.locator("a.md-nav__link", has_text="Bases").first.click()
        page.wait_for_selector("article h1:has-text('Bases')")
        page.click("article a:text-is('Zqxbasename canary field')")
        page.wait_for_selector("article h1:has-text('Zqxbasename')")
        assert page.inner_text("article h1").startswith("Zqxbasename canary field")  # the key stayed for this tab
        page.click("input.md-search__input")
        page.keyboard.type("Zqxalias", delay=10)
        page.wait_for_selector(".md-search-result__item")
        assert "Zqxbasename canary field" in page.inner_text(".md-search-result__list")
        page.keyboard.press("Escape")


def test_a_wrong_passphrase_shows_an_error_and_nothing_of_the_brief(tab, restricted):
    with serving(restricted.site, leaving=tab) as url:
        page = tab
        page.goto(url + "index.html")
        unlock(page, "not the passphrase at all")
        page.wait_for_selector(".brief-unlock-error:not([hidden])")
        assert page.inner_text(".brief-unlock-error") == "That passphrase does not open this brief."
        assert shown_secrets(page) == []


def test_lock_forgets_the_passphrase_for_every_page(tab, restricted):
    with serving(restricted.site, leaving=tab) as url:
        page = tab
        page.goto(url + "index.html")
        unlock(page)
        page.wait_for_selector("button.brief-lock")
        page.click("button.brief-lock")
        page.wait_for_selector("#brief-passphrase")
        page.goto(url + "index.html")
        page.wait_for_selector("#brief-passphrase")
        assert page.title() == "Restricted brief" and shown_secrets(page) == []


@pytest.mark.parametrize("passphrase, message", [
    (None, "error: --encrypt needs the passphrase in the environment variable BRIEF_PASSPHRASE; nothing was written\n"),
    ("eleven char", "error: BRIEF_PASSPHRASE has 11 characters, expected at least 12; nothing was written\n"),
])
def test_encrypt_without_a_good_passphrase_writes_nothing(brief, passphrase, message):
    project = brief({})
    done = brief_command(project.root, "build", "--encrypt", passphrase=passphrase)
    assert (done.returncode, done.stderr, done.stdout) == (1, message, "")
    assert not project.site.exists() and not (project.root / ".brief").exists()


def test_brief_pdf_encrypt_seals_the_pdf_which_the_banner_opens_with_the_passphrase(tab, brief):
    project = brief({})
    done = brief_command(project.root, "pdf", "--encrypt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote the restricted edition into {project.site}, the PDF sealed inside it")
    assert not (project.site / "brief.pdf").exists()
    assert all(not p.read_bytes().startswith(b"%PDF") for p in project.site.rglob("*") if p.is_file())
    with serving(project.site, leaving=tab) as url:
        tab.goto(url + "index.html")
        unlock(tab)
        tab.wait_for_selector("a.brief-pdf-link")
        with tab.expect_download() as found:
            tab.click("a.brief-pdf-link")
        download = found.value
        assert download.suggested_filename == "brief.pdf"
        assert open(download.path(), "rb").read(5) == b"%PDF-"


def test_pdf_encrypt_refuses_to_copy_the_pdf_out_in_the_clear(brief):
    project = brief({})
    done = brief_command(project.root, "pdf", "--encrypt", "-o", str(project.root / "out.pdf"))
    assert (done.returncode, done.stderr) == (
        1, "error: --output would copy the PDF unencrypted; with --encrypt it stays sealed inside site/\n")
    assert not project.site.exists() and not (project.root / "out.pdf").exists()
