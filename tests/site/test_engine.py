"""The site engine reads one generated configuration: the plain mkdocs command builds the same site."""
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import __version__, build, provenance
from generator.site import fragments


def page_texts(site) -> dict[str, str]:
    """Every HTML page of a site → its visible text, whitespace folded."""
    return {p.relative_to(site).as_posix(): " ".join(BeautifulSoup(p.read_bytes(), "html.parser").get_text(" ").split())
            for p in sorted(site.rglob("*.html"))}


def test_plain_mkdocs_builds_the_generated_tree_into_the_same_pages_as_brief_build(example, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(example.root, copy, ignore=shutil.ignore_patterns("site"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", ".brief/mkdocs.yml"], cwd=copy, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert page_texts(copy / "site") == page_texts(example.site)
    assert "TLP:CLEAR" in page_texts(copy / "site")["index.html"]
    assert_published_as(example, copy / "site")  # byte for byte, search index too


def assert_published_as(example, site):
    """Every file the engine wrote into site is, byte for byte, the one brief build published. brief build then adds
    the fragment index, switches the search script over to it and keeps the theme's JSON index in its work folder,
    out of the site: those two files are compared where brief build left them."""
    written = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    moved = {fragments.THEME_INDEX: example.work / fragments.KEPT_INDEX}
    published = {rel: moved[rel].read_bytes() if rel in moved else (example.site / rel).read_bytes() for rel in written}
    published[fragments.SWITCH] = fragments.switched_off(published[fragments.SWITCH].decode()).encode()
    assert published == written


def test_the_engine_lets_go_of_each_page_s_text_once_the_page_is_written(example, tmp_path):
    from generator.site import engine

    config = engine._load(example.engine_config, tmp_path / "site", False)
    seen = []

    class Seen:  # runs before the engine's own plugins: it sees each page with its text, then keeps the page
        def on_post_page(self, output, page, config):
            seen.append((page, page.title, len(page.content)))
            return output

    config.plugins["seen"] = Seen()
    engine._run(example.engine_config, tmp_path / "site", strict=False, config=config)
    assert len(seen) == len(list((tmp_path / "site").rglob("*.html"))) - 1  # every page but the theme's 404
    assert all(size > 0 for _, _, size in seen)
    assert [(page.markdown, page.content, page.toc) for page, _, _ in seen] == [("", "", [])] * len(seen)
    assert [page.title for page, _, _ in seen] == [title for _, title, _ in seen]  # the navigation's titles stay


def test_the_generated_configuration_holds_every_value_the_theme_shows(brief):
    project = brief({"data/brief.yml": """
        title: Airlift <b>watch</b> & "notes"
        edition: 2024-12-16
        tlp: TLP:AMBER
    """})
    build.build(project)
    config = yaml.safe_load(project.engine_config.read_text(encoding="utf-8"))
    assert config == {
        "INHERIT": "../mkdocs.yml",
        "site_name": "Airlift &lt;b&gt;watch&lt;/b&gt; &amp; &quot;notes&quot;",
        "docs_dir": "docs", "site_dir": "../site", "theme": {"custom_dir": "overrides"}, "hooks": ["hooks/verbatim.py"],
        "extra": {"brief": {"title": 'Airlift <b>watch</b> & "notes"', "tlp": "TLP:AMBER", "edition": "16 Dec 2024",
                            "revision": "not under version control", "revision_date": "", "pdf": False,
                            "pdf_full": False, "intelbrief": provenance.describe()}},
    }
    assert provenance.describe().startswith(f"intelbrief {__version__}")
    page = BeautifulSoup((project.site / "index.html").read_bytes(), "html.parser")
    assert page.title.get_text().endswith('Airlift <b>watch</b> & "notes"')
    assert page.select_one(".brief-banner").get_text(" ", strip=True).startswith(
        'TLP:AMBER · Airlift <b>watch</b> & "notes" · edition of 16 Dec 2024')


def test_long_generated_html_reaches_the_page_as_elements_and_no_wrapper_is_left(example):
    from generator.facts import dataset

    data = dataset.load(example.data)
    pages = [p for p in example.site.rglob("*.html")]
    assert [p for p in pages if b"brief:verbatim" in p.read_bytes()] == []
    log = BeautifulSoup((example.site / "flights" / "2024-12.html").read_bytes(), "html.parser")
    shown = {s["id"].removeprefix("detail-") for s in log.select("article section.brief-flight")}
    assert shown == {fid for fid, f in data.flights.items() if f.when.earliest.start.strftime("%Y-%m") == "2024-12"}
    assert len(log.select("article table[data-search-exclude] tbody tr")) == len(shown)


def test_the_verbatim_hook_unwraps_each_block_and_nothing_else():
    import importlib.util

    from generator.build import ASSETS

    spec = importlib.util.spec_from_file_location("verbatim", ASSETS / "hooks" / "verbatim.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = ("<p>a</p>\n<!--brief:verbatim\n<table><tr><td>1</td></tr></table>\n-->\n<!-- a comment of its own -->\n"
            "<!--brief:verbatim\n<section>2</section>\n-->")
    assert hook.on_page_content(page, page=None, config=None, files=None) == (
        "<p>a</p>\n<table><tr><td>1</td></tr></table>\n<!-- a comment of its own -->\n<section>2</section>")


def test_a_large_build_runs_the_engine_in_a_process_of_its_own_and_makes_the_same_site(example, tmp_path, monkeypatch):
    from generator.site import engine

    def here(*args, **kwargs):
        raise AssertionError("the engine ran in the calling process")

    monkeypatch.setattr(engine, "CHILD_FROM", 1)
    monkeypatch.setattr(engine, "_build", here)  # the spawned process imports the module afresh
    made, index = [], engine._search_index
    monkeypatch.setattr(engine, "_search_index", lambda: made.append("here") or index())
    counts = []
    built = engine.build(example.engine_config, tmp_path / "site", epoch=example.history().epoch,
                         pages=lambda *n: counts.append(n))
    pages = len(list(example.docs.rglob("*.md")))
    assert counts[-1] == (pages, pages, pages) and len(counts) == 2 * pages
    assert built.nav[0] == "index.md" and "data.md" in built.nav and built.rendered is None
    assert made == ["here"]  # the search entries were made in this process, from the pages the engine's sent
    assert_published_as(example, tmp_path / "site")  # its search index too, byte for byte


def test_a_warning_in_the_engine_s_own_process_fails_the_build_with_its_message(example, tmp_path, monkeypatch):
    from generator.errors import BuildError
    from generator.site import engine

    copy = tmp_path / "brief"
    shutil.copytree(example.root, copy, ignore=shutil.ignore_patterns("site"))
    (copy / ".brief" / "docs" / "narrative.md").write_text("# Narrative\n\n[gone](nowhere.md)\n", encoding="utf-8")
    monkeypatch.setattr(engine, "CHILD_FROM", 1)
    with pytest.raises(BuildError, match=r"the site build failed:\n  Doc file 'narrative.md' contains a link 'nowhere.md'"):
        engine.build(copy / ".brief" / "mkdocs.yml", tmp_path / "site")


def test_a_failure_while_this_process_reads_the_pages_stops_the_engine_s_process(example, tmp_path, monkeypatch):
    from generator.site import engine

    class Failing:
        told = 0

        def start(self):
            pass

        def page(self, path):
            self.told += 1
            if self.told == 2:
                raise RuntimeError("reading the pages failed")

    monkeypatch.setattr(engine, "CHILD_FROM", 1)
    monkeypatch.setattr(engine, "QUEUED", 1)  # the engine's messages wait on a full queue when this process stops
    with pytest.raises(RuntimeError, match="reading the pages failed"):  # not left waiting for the engine's process
        engine.build(example.engine_config, tmp_path / "site", epoch=example.history().epoch, watch=Failing())
