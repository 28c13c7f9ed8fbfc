"""HTML read as Python's html.parser reads it, several times faster, for the HTML the site engine writes.

The theme's search index and the HTML safety check read every page of a site with html.parser, whose pure-Python
tokenizer (a regular expression or two per tag, and line counting as it goes) is most of their time. events() gives
the very calls an HTMLParser(convert_charrefs=True) makes to its handlers for the same text (start tags, empty-element
tags, end tags and text, in the same pieces with the same values), from a few regular expressions run over the whole
text. It only takes what it can read exactly as html.parser does: well-formed tags whose attributes are quoted or
bare names, end tags, comments, a doctype, and scripts and styles closed by their end tag. Anything else (a stray
"<", an unquoted attribute value, a processing instruction, an unclosed script) gives None, and the caller reads the
text with html.parser itself; the results are the same either way.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

START, EMPTY, END, TEXT = 0, 1, 2, 3  # the handler each event goes to: starttag, startendtag, endtag, data

_SPACE = "[ \t\n\r\f]"  # not \s: html.parser ends a tag name at these only, and \s also matches other spaces
_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"  # an attribute's name
_TOKEN = re.compile(  # one construct, by the group that matched
    r"([^<]+)"  # 1: text
    rf"|<([a-zA-Z][a-zA-Z0-9-]*)((?:{_SPACE}+{_NAME}(?:=\"[^\"]*\"|='[^']*')?)*){_SPACE}*(/?)>"  # 2-4: a start tag
    rf"|</([a-zA-Z][-.a-zA-Z0-9:_]*){_SPACE}*>"  # 5: an end tag
    r"|(<!--[\s\S]*?--\s*>|<![dD][oO][cC][tT][yY][pP][eE][^>]*>)"  # 6: a comment or doctype, which no handler sees
    r"|(<)")  # 7: anything else: left to html.parser
_TEXT, _TAG, _END, _SKIPPED, _OTHER = 1, 2, 5, 6, 7
_ATTR = re.compile(rf"{_SPACE}+({_NAME})(=\"([^\"]*)\"|='([^']*)')?")
_RAW_TEXT = ("script", "style")  # html.parser's CDATA_CONTENT_ELEMENTS: their text is not read as HTML
_RAW_END = {name: re.compile(rf"</\s*{name}\s*>", re.I) for name in _RAW_TEXT}


def events(text: str) -> list[tuple] | None:
    """(kind, position, values...) for each handler call html.parser would make on text: (START, at, tag, attrs),
    (EMPTY, at, tag, attrs), (END, at, tag) and (TEXT, at, data); at is where the construct starts in text. None when
    text holds anything this reader does not take (then html.parser must read it)."""
    found: list[tuple] = []
    add = found.append
    token = _TOKEN.match
    known: dict[str, list] = {}  # the attributes of each attribute text met (pages repeat the same ones often)
    at, size = 0, len(text)
    while at < size:
        m = token(text, at)
        kind = m.lastindex
        if kind == _TEXT:
            piece = m.group(1)
            add((TEXT, at, unescape(piece) if "&" in piece else piece))
        elif kind == _END:
            add((END, at, m.group(5).lower()))
        elif kind == _SKIPPED:
            pass
        elif kind == _OTHER:
            return None
        else:
            name, rest, empty = m.group(2, 3, 4)
            name = name.lower()
            if not rest:
                attrs = []
            elif (attrs := known.get(rest)) is None:
                attrs = known[rest] = _attrs(rest)
            if empty:
                add((EMPTY, at, name, attrs))
            else:
                add((START, at, name, attrs))
                if name in _RAW_TEXT:
                    close = _RAW_END[name].search(text, m.end())
                    if close is None:
                        return None
                    if close.start() > m.end():
                        add((TEXT, m.end(), text[m.end():close.start()]))
                    add((END, close.start(), name))
                    at = close.end()
                    continue
        at = m.end()
    return found


def _attrs(text: str) -> list[tuple[str, str | None]]:
    """The attributes of a tag as html.parser gives them: names in lower case, values without their quotes and with
    character references resolved, None for a name without a value."""
    found = []
    for name, given, double, single in _ATTR.findall(text):
        value = (double or single) if given else None
        found.append((name.lower(), unescape(value) if value and "&" in value else value))
    return found


def read(parser, text: str, positions: bool = False) -> None:
    """Give an html.parser.HTMLParser (convert_charrefs=True) the text and close it: its handlers are called as its own
    feed and close would call them, faster where events() reads the text. With positions, its getpos() during each
    call gives the line and column the construct starts at, as html.parser's does (its position is not kept
    otherwise)."""
    found = events(text)
    if found is None:
        HTMLParser.feed(parser, text)
        HTMLParser.close(parser)
        return
    start, empty, end, data = parser.handle_starttag, parser.handle_startendtag, parser.handle_endtag, parser.handle_data
    line, line_start, last = 1, 0, 0
    count, rfind = text.count, text.rfind
    for event in found:
        kind = event[0]
        if positions:
            at = event[1]
            if (lines := count("\n", last, at)) != 0:
                line += lines
                line_start = rfind("\n", last, at) + 1
            parser.lineno, parser.offset, last = line, at - line_start, at
        if kind == TEXT:
            data(event[2])
        elif kind == START:
            start(event[2], event[3])
        elif kind == END:
            end(event[2])
        else:
            empty(event[2], event[3])
