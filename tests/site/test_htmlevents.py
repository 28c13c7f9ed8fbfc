"""htmlevents reads HTML as html.parser does: the same handler calls, in the same pieces, at the same positions."""
from html.parser import HTMLParser

import pytest

from generator.site import htmlevents


class Calls(HTMLParser):
    """Every handler call with the position html.parser reports during it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.calls = []

    def handle_starttag(self, tag, attrs):
        self.calls.append(("start", self.getpos(), tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.calls.append(("empty", self.getpos(), tag, attrs))

    def handle_endtag(self, tag):
        self.calls.append(("end", self.getpos(), tag))

    def handle_data(self, data):
        self.calls.append(("data", self.getpos(), data))


def by_html_parser(text: str) -> list:
    parser = Calls()
    parser.feed(text)
    parser.close()
    return parser.calls


def by_htmlevents(text: str) -> list:
    parser = Calls()
    htmlevents.read(parser, text, positions=True)
    return parser.calls


def test_every_page_of_the_example_site_is_read_quickly_with_the_calls_html_parser_makes(example):
    pages = sorted(example.site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert htmlevents.events(text) is not None, page  # not left to html.parser
        assert by_htmlevents(text) == by_html_parser(text), page


@pytest.mark.parametrize("text", [
    '<p class="a b" id=\'x\' hidden>one &amp; two &lt;3</p>',
    '<A HREF="Page.html?a=1&amp;b=2">Link</A >',
    "<br/><br />\n<img src=\"a.png\" alt=\"\"/>\n<details open>\n<summary>s</summary>\n</details>",
    "<!doctype html>\n<!-- a comment --><p>after</p>",
    '<script type="application/json">{"a": "</p><b>"}</script><style>p > a {}</style>',
    "<SCRIPT>if (a < b) {}</Script >tail &amp",
    "<p>\n\n  spaced  \n</p>\n",
    '<p title="&quot;quoted&QUOT; &#x27;">x</p>',
])
def test_html_it_reads_itself_gives_the_same_calls(text):
    assert htmlevents.events(text) is not None
    assert by_htmlevents(text) == by_html_parser(text)


@pytest.mark.parametrize("text", [
    "<p>a < b</p>",  # a stray <
    "<a href=page.html>unquoted</a>",
    "<script>never closed",
    "<p>x<!-- never closed",
    "<?xml version='1.0'?><p>x</p>",
    "<div\xa0class=\"x\">not a space html.parser knows</div>",
    '<p class="a"id="b">no space between</p>',
    "</ p>",
])
def test_html_it_leaves_to_html_parser_gives_the_same_calls_too(text):
    assert htmlevents.events(text) is None
    assert by_htmlevents(text) == by_html_parser(text)
