"""The site engine reads one generated configuration: the plain mkdocs command builds the same site."""
import os
import shutil
import subprocess
import sys

import yaml
from bs4 import BeautifulSoup

from generator import build


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
        "docs_dir": "docs", "site_dir": "../site", "theme": {"custom_dir": "overrides"},
        "extra": {"brief": {"title": 'Airlift <b>watch</b> & "notes"', "tlp": "TLP:AMBER", "edition": "2024-12-16",
                            "revision": "not under version control", "revision_date": "", "pdf": False,
                            "pdf_full": False}},
    }
    page = BeautifulSoup((project.site / "index.html").read_bytes(), "html.parser")
    assert page.title.get_text().endswith('Airlift <b>watch</b> & "notes"')
    assert page.select_one(".brief-banner").get_text(" ", strip=True).startswith(
        'TLP:AMBER · Airlift <b>watch</b> & "notes" · edition 2024-12-16')
