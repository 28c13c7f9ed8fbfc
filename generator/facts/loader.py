"""Strict YAML reading: one mapping per file, plain strings only, every value located.

YAML 1.1's guessing (``NO`` → False, ``12:30`` → 750, ``0755`` → 493) is switched off:
every scalar stays the text the analyst wrote and the models decide what it means.
Aliases, anchors, merge keys, explicit tags, duplicate keys and several documents in
one file are errors, never silently resolved.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass, field

import yaml
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from generator.errors import Problem
from generator.facts.text import INVISIBLE, describe, forbidden

FAST = hasattr(yaml, "CBaseLoader")  # libyaml's parser when PyYAML was built with it
MAX_BYTES = 256 * 1024
MAX_DEPTH = 24
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
NULLS = {"~", "null", "Null", "NULL", ""}
SHORT = 40  # characters: values up to this long are shared between files (see _text)

Path_ = tuple  # a location inside a document: keys and list indexes


@dataclass(frozen=True)
class Document:
    """A parsed fact file: its data and where each value and key stands."""

    path: str
    data: object
    marks: dict = field(repr=False)
    key_marks: dict = field(repr=False)

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at loc, else of its nearest parent."""
        loc = tuple(loc)
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        while loc not in self.marks and loc:
            loc = loc[:-1]
        return self.marks.get(loc, (1, 1))


class _Reject(Exception):
    def __init__(self, mark, message: str, code: str):
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1
        self.message = message
        self.code = code


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise _Reject(_Mark(line, column), f"byte 0x{raw[err.start]:02x} is not UTF-8, expected a UTF-8 text file", code="not-utf8") from None
    return text.replace("\r\n", "\n")


@dataclass
class _Mark:
    line1: int
    column1: int

    @property
    def line(self):
        return self.line1 - 1

    @property
    def column(self):
        return self.column1 - 1


_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)
_FORBIDDEN = re.compile("[" + "".join(sorted(INVISIBLE)) + "\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _check_characters(text: str) -> None:
    """Find tabs in indentation and invisible characters; the slow, precise scan runs only on a hit."""
    if not (_TAB_INDENT.search(text) or _FORBIDDEN.search(text.replace("\t", " "))):
        return
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            raise _Reject(_Mark(number, line.index("\t") + 1), "tab in indentation, expected spaces", code="tab-indent")
        for column, char in enumerate(line, start=1):
            if char in INVISIBLE or (unicodedata.category(char) == "Cc" and char != "\t"):
                raise _invisible(_Mark(number, column), char)


def _invisible(mark, char: str) -> _Reject:
    return _Reject(mark, f"invisible character {describe(char)} is not allowed, expected plain text",
                   code="invisible-character")


def _checked(event) -> str:
    """A scalar's loaded value, refused when an escape ("\\u202E", "\\0") gave it an invisible character."""
    char = forbidden(event.value)
    if char:
        raise _invisible(event.start_mark, char)
    return event.value


def _text(value: str) -> str:
    """A short value as one object for every file that writes it (a base, a source, an aircraft type or an operator
    recurs in thousands of flights); longer text is seldom written twice."""
    return sys.intern(value) if len(value) <= SHORT else value


def _compose_events(text: str, parser_type) -> tuple[object, dict, dict]:
    """Build the document from a YAML parser's events, enforcing every rule in one walk."""
    parser = parser_type(text)
    events = iter(parser.get_event, None)  # both parsers hand out events until None
    next(events)  # stream start
    first = next(events)
    if isinstance(first, StreamEndEvent):
        raise _Reject(None, "file is empty, expected a mapping of fields", code="empty-file")
    marks: dict = {}
    key_marks: dict = {}
    data = _event_node(events, next(events), (), marks, key_marks)
    next(events)  # document end
    after = next(events)
    if not isinstance(after, StreamEndEvent):
        raise _Reject(after.start_mark, "a second YAML document starts here, expected one fact per file", code="several-documents")
    return data, marks, key_marks


def _event_node(events, event, loc: tuple, marks: dict, key_marks: dict):
    if isinstance(event, AliasEvent):
        raise _Reject(event.start_mark, f"alias *{event.anchor} is not allowed, expected the value written out in full", code="yaml-alias")
    if event.anchor is not None:
        raise _Reject(event.start_mark, f"anchor &{event.anchor} is not allowed, expected the value written out in full", code="yaml-anchor")
    if len(loc) >= MAX_DEPTH:
        raise _Reject(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels, expected a flat fact", code="too-deep")
    marks[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
    if isinstance(event, ScalarEvent):
        if event.tag not in (None, "!", STR_TAG):
            raise _Reject(event.start_mark, f"explicit tag {_short_tag(event.tag)} is not allowed, expected a plain value", code="yaml-tag")
        return None if not event.style and event.value in NULLS else _text(_checked(event))
    if isinstance(event, SequenceStartEvent):
        if event.tag not in (None, SEQ_TAG):
            raise _Reject(event.start_mark, f"explicit tag {_short_tag(event.tag)} is not allowed, expected a plain list", code="yaml-tag")
        items = []
        for item in events:
            if isinstance(item, SequenceEndEvent):
                return items
            items.append(_event_node(events, item, loc + (len(items),), marks, key_marks))
    if event.tag not in (None, MAP_TAG):
        raise _Reject(event.start_mark, f"explicit tag {_short_tag(event.tag)} is not allowed, expected a plain mapping", code="yaml-tag")
    result: dict = {}
    for key in events:
        if isinstance(key, MappingEndEvent):
            return result
        if not isinstance(key, ScalarEvent) or key.anchor is not None or key.tag not in (None, "!", STR_TAG):
            raise _Reject(key.start_mark, "a key must be plain text, expected a field name", code="key-not-text")
        name = _checked(key)
        if name == "<<" and not key.style:
            raise _Reject(key.start_mark, "merge key << is not allowed, expected the fields written out in full", code="yaml-merge-key")
        if name in result:
            first = key_marks[loc + (name,)][0]
            raise _Reject(key.start_mark, f"duplicate key '{name}' (first on line {first}), expected each key once", code="duplicate-key")
        key_marks[loc + (name,)] = (key.start_mark.line + 1, key.start_mark.column + 1)
        result[name] = _event_node(events, next(events), loc + (name,), marks, key_marks)
    return result


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def parse(raw: bytes, display: str) -> Document:
    """Parse one fact file's bytes; raise a located Problem (as _ProblemError) on any trap."""
    try:
        if len(raw) > MAX_BYTES:
            raise _Reject(None, f"file is {len(raw):,} bytes, expected at most {MAX_BYTES:,} bytes per fact file", code="file-too-large")
        text = _decode(raw)
        _check_characters(text)
        try:
            data, marks, key_marks = _compose_events(text, yaml.CBaseLoader if FAST else yaml.BaseLoader)
        except yaml.YAMLError:
            data, marks, key_marks = _compose_events(text, yaml.BaseLoader)  # the pure-Python parser words the error
    except _Reject as err:
        raise ProblemError(Problem(display, err.line, err.column, "", err.message, code=err.code)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or err.context or "YAML syntax error"
        raise ProblemError(
            Problem(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "",
                    f"YAML syntax error: {what}, expected valid YAML", code="yaml-syntax")
        ) from None
    except yaml.YAMLError as err:
        raise ProblemError(Problem(display, 1, 1, "", f"YAML error: {err}, expected valid YAML", code="yaml-syntax")) from None
    if not isinstance(data, dict):
        raise ProblemError(Problem(display, 1, 1, "", "top level is not a mapping, expected fields such as 'id: …'",
                                   code="not-a-mapping"))
    return Document(display, data, _shared(marks), _shared(key_marks))


_SHARED: dict = {}  # paths and (line, column) pairs met before, one object each for every document that has them
SHARED_MAX = 200_000


def _shared(marks: dict) -> dict:
    """marks with each path and position one object shared with the other documents (files of one kind mostly hold
    the same fields at the same places, and at 100,000 facts the positions' own copies would be a quarter of the
    facts' memory); the table stops growing at SHARED_MAX entries."""
    if len(_SHARED) >= SHARED_MAX:
        return marks
    keep = _SHARED.setdefault
    return {keep(loc, loc): keep(at, at) for loc, at in marks.items()}


class Reparsed:
    """A document whose data was parsed by an earlier build (see parsecache): where each value stands is found by
    parsing its bytes again, only when a message asks."""

    def __init__(self, display: str, data: dict, raw: bytes):
        self.path, self.data, self._raw = display, data, raw

    @functools.cached_property
    def _parsed(self) -> Document:
        return parse(self._raw, self.path)

    @property
    def marks(self) -> dict:
        return self._parsed.marks

    @property
    def key_marks(self) -> dict:
        return self._parsed.key_marks

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        return self._parsed.where(loc, key=key)


class Located:
    """A validated fact file kept small: its path and bytes only. Once its fact is validated, the data the file parsed
    to is the model's and is not kept; where a value stands (a line and column, for a message or a finding) is found
    by parsing the bytes again, only when asked. At 100,000 facts the parsed data and every value's position held
    beside the models would be a third of the facts' memory."""

    __slots__ = ("path", "_raw")

    def __init__(self, display: str, raw: bytes):
        self.path, self._raw = display, raw

    @property
    def raw(self) -> bytes:
        """The file's bytes, as validated."""
        return self._raw

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        return parse(self._raw, self.path).where(loc, key=key)


class ProblemError(Exception):
    """A single located problem that stops one file from loading."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
