"""What every page's head asks for before the first paint: the body text's own font, so no text moves when it arrives."""
import re

from bs4 import BeautifulSoup

from generator.build import ASSETS

PRELOADED = ("IBMPlexSans-Regular.woff2",)  # the body text (each preloaded face is on the way to the first paint)


def test_every_page_preloads_the_font_its_text_is_set_in(example):
    declared = set(re.findall(r'url\("fonts/([^"]+)"\)', (ASSETS / "brief" / "brief.css").read_text(encoding="utf-8")))
    assert set(PRELOADED) <= declared
    for page in sorted(example.site.rglob("*.html")):
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        links = head.select('link[rel="preload"][as="font"]')
        assert [link["href"].rsplit("/", 1)[-1] for link in links] == list(PRELOADED), page
        for link in links:
            assert link.has_attr("crossorigin") and link["type"] == "font/woff2", page
            href = link["href"]  # 404.html names them from the site's root, as it is served at any address
            found = example.site / href.lstrip("/") if href.startswith("/") else page.parent / href
            assert found.resolve().is_file(), (page, href)
