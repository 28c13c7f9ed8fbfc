"""The pages listing facts one by one, kept from the last build, so that `brief build` renders again only those whose
inputs changed (the live preview keeps its own, in site/memo.py).

Each page is kept under a key, a digest of what it is made from:
- its template, its path, and its own context as the preview compares it (==), each fact in it by its whole contents;
- what no flight's edit changes: every fact but the flights (with what a release left out), the tracks, where each
  fact lives, the shared values that are plain data or depend on no flight but the one a template passes them
  (memo.KEPT), the templates' files, and intelbrief's code (`version`, given by the caller).

While a page is rendered, what it reads beyond its context is recorded: the flights it looked up, and each value
summed up from all flights that it used (a shared value such as the figures or the Sourcing page's tables, or a
lookup such as a base's count of flights), with a digest of what it found. The next build takes a kept page from the
docs tree the last build wrote when its key is the same, every flight it looked up (with that flight's group and
members) is as it was, every value it used is worked out again to the same digest, and the file there still has
the digest recorded; anything else, and the page is rendered again. So after an edit that changes no total (a
flight's words), the pages summing the flights up are kept too. A page that used a value no digest can be made of
(a function, a chart drawn on demand) is not kept.

The record lives in the work folder, which a contributor could commit or another user plant, so it is signed with the
user's key (facts/parsecache.py): an unsigned, altered or foreign record is ignored, and what is built never depends
on it. It holds only digests and names, read as JSON.
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
import json
import os
from collections import defaultdict
from datetime import date, datetime, time
from pathlib import Path

import jinja2
from pydantic import BaseModel

from generator import disk
from generator.facts import markings, parsecache
from generator.facts.models import KINDS
from generator.site import memo
from generator.site.standin import StandIn, itself

NAME = "kept-pages.json"  # in the work folder
FORMAT = "intelbrief-kept-pages/2"


class Unkeyable(Exception):
    """A value the key cannot be made from: the page is rendered and not kept."""


class Store:
    """The last build's kept pages (their keys, reads and digests) and this build's."""

    def __init__(self, root: Path, work: Path, docs: Path, version: str, *, data, links, shared: dict,
                 templates: Path, kept_names: set[str]):
        self.root, self.path, self.docs = root, work / NAME, docs
        self.key = parsecache.signing_key(root)
        self.version = f"{FORMAT} {version} jinja2-{jinja2.__version__}"
        self.watched = memo.watched_names(shared, memo.KEPT | kept_names)
        self._data, self._links, self._shared, self._templates = data, links, shared, templates
        self._flights: dict[str, str] = {}
        self._members: dict[str, list[str]] | None = None
        self._known: dict[int, str] | None = None  # each flight's object → its text in a digest
        self.old = self._read() if self.key else {}
        # made once, here: a build that writes pages in forked copies makes it before they start
        self._common = self._common_key() if self.key else None
        # path → (key, digest of its text, flights read, values used)
        self.new: dict[str, tuple[str, str, dict[str, str], dict[str, str]]] = {}
        self._used: dict[str, str | None] = {}  # a value used → its digest now (None: none can be made), once a build
        self.reused = self.rendered = 0

    def render(self, page, context: dict, draw) -> str:
        """The page's text: the last build's when it was made from the same inputs, else draw(context), kept for
        the next build unless it used a value no digest can be made of."""
        key = None
        old = self.old.get(page.path)
        if old is not None:
            key = self._page_key(page)
            if (key == old[0] and all(self._flight(fid) == token for fid, token in old[2].items())
                    and all(self._value(read) == found for read, found in old[3].items())):
                text = self._kept_text(page.path, old[1])
                if text is not None:
                    self.new[page.path] = old
                    self.reused += 1
                    return text
        reads = _Reads()
        text = draw(self._watch(context, reads))
        self.rendered += 1
        if self.key and None not in reads.values.values():
            key = key or self._page_key(page)
            if key:
                self.new[page.path] = (key, _sha(text.encode("utf-8")),
                                       {fid: self._flight(fid) for fid in sorted(reads.flights)},
                                       dict(sorted(reads.values.items())))
        return text

    def _watch(self, context: dict, reads: _Reads) -> dict:
        """The context with each value summed up from all flights wrapped to record its use in reads."""
        return {name: value if name not in self.watched else _Lookups(value, reads, self) if name == "facts"
                else _Used(name, value, reads, self) for name, value in context.items()}

    def used(self, reads: _Reads, read: str) -> None:
        """Note a value a page used, with its digest (worked out once a build)."""
        reads.values[read] = self._value(read)

    def _value(self, read: str) -> str | None:
        """The digest of a used value as it is now: a shared value ("shared NAME") or a lookup's answer (a JSON
        list: "facts", the lookup's name, its arguments); None when no digest can be made of it."""
        if read not in self._used:
            try:
                if read.startswith("shared "):
                    found = itself(self._shared[read.removeprefix("shared ")])
                else:
                    _, name, args = json.loads(read)
                    if name.startswith("_") or name in memo.FACT_LOOKUPS:
                        raise Unkeyable(name)  # never a lookup a template's use was noted for
                    found = getattr(self._shared["facts"], name)(*args)
                self._used[read] = _digest(self._text(found))
            except Exception:  # noqa: BLE001 - a lookup of what is gone since (a base removed): the page is drawn
                self._used[read] = None
        return self._used[read]

    def save(self) -> None:
        """Keep this build's record for the next (through no link), once every page it names is written."""
        if not self.key:
            return
        body = "".join(json.dumps([path, *kept], sort_keys=True) + "\n" for path, kept in sorted(self.new.items()))
        disk.keep(self.root, self.path, parsecache.signed(self.key, self.version, body.encode("utf-8")))

    def _read(self) -> dict[str, tuple[str, str, dict[str, str], dict[str, str]]]:
        try:
            with open(os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as kept:
                raw = kept.read()
        except OSError:
            return {}
        body = parsecache.opened(self.key, self.version, raw)
        if body is None:
            return {}
        try:
            return {path: (key, sha, dict(reads), dict(used)) for path, key, sha, reads, used in
                    (json.loads(line) for line in body.decode("utf-8").splitlines())}
        except (ValueError, TypeError):
            return {}

    def _kept_text(self, path: str, sha: str) -> str | None:
        """The page as the last build wrote it into the docs tree, when its bytes still have that digest."""
        try:
            with open(os.open(self.docs / path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as written:
                raw = written.read()
        except OSError:
            return None
        if not hmac.compare_digest(_sha(raw), sha):
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def _page_key(self, page) -> str | None:
        """A digest of everything the page is made from before it reads anything; None when a value in its context
        cannot be put into one."""
        if self._common is None:
            return None
        try:
            return _digest(self._common, page.path, page.template, self._text(page.context))
        except Unkeyable:
            return None

    def _common_key(self) -> str | None:
        """What every page may depend on that no flight's edit changes; None when a value in it cannot be put into a
        digest (then no page is kept)."""
        data = self._data
        parts = [self.version]
        for path in sorted(self._templates.rglob("*")) if self._templates.is_dir() else []:
            if path.is_file():
                parts += [path.relative_to(self._templates).as_posix(), _sha(path.read_bytes())]
        parts.append(_text(data.brief))
        for kind in KINDS:
            if kind != "flights":
                parts += [f"{kind}\0{fid}\0{_text(fact)}" for fid, fact in sorted(data.of_kind(kind).items())]
        parts += [json.dumps(sorted(data.tracks.items())), json.dumps(sorted(data.track_markings.items())),
                  _text(data.withheld)]
        parts += [f"{kind}\0{fid}\0{path}" for (kind, fid), path in sorted(self._links.pages.items())]
        try:
            parts += [f"{name}\0{'a function' if callable(value) else _text(value)}"
                      for name, value in sorted(self._shared.items())
                      if name not in self.watched]  # what a page uses of the others is noted with its digest
        except Unkeyable:
            return None
        return _digest(*parts)

    def _flight(self, fid: str) -> str:
        """A flight as a page looking it up reads it: with its group and its members (a member's change changes the
        words of its group, and the group's those of its members)."""
        found = self._flights.get(fid)
        if found is None:
            flights = self._data.flights
            if self._members is None:
                self._members = defaultdict(list)
                for member_id, flight in flights.items():
                    if flight.part_of:
                        self._members[flight.part_of].append(member_id)
            flight = flights.get(fid)
            if flight is None:
                found = "none"
            else:
                found = _digest(self._own(fid), self._own(flight.part_of) if flight.part_of in flights else "",
                                *(self._own(m) for m in self._members.get(fid, [])))
            self._flights[fid] = found
        return found

    def _own(self, fid: str) -> str:
        """One flight by itself: from its file's bytes and what a release changed in it, else its whole contents."""
        return markings.flight_digest(self._data, fid) or self._data.flights[fid].model_dump_json()

    def _text(self, value) -> str:
        """_text, each flight of this build by its own digest (see _own)."""
        if self._known is None:
            self._known = {id(flight): f"Flight:{self._own(fid)};" for fid, flight in self._data.flights.items()}
        return _text(value, self._known)


class _Reads:
    """What one page's rendering read beyond its own context: the flights it looked up, the values it used (each
    with its digest, None when none can be made)."""

    def __init__(self):
        self.flights: set[str] = set()
        self.values: dict[str, str | None] = {}


class _Used(StandIn):
    """A shared value summed up from all flights, noting its use."""

    __slots__ = ("_name", "_value", "_reads", "_store")

    def __init__(self, name: str, value, reads: _Reads, store: Store):
        self._name, self._value, self._reads, self._store = name, value, reads, store

    def value(self):
        self._store.used(self._reads, f"shared {self._name}")
        return self._value


class _Lookups(memo.Lookups):
    """The template lookups: a flight's title or count notes the flight (as the memo's do); the lookups of facts of
    other kinds pass (memo.FACT_LOOKUPS, covered by the key); any other notes its arguments and the digest of its
    answer."""

    def __init__(self, facts, reads: _Reads, store: Store):
        super().__init__(facts, reads)
        self._store = store

    def __getattr__(self, name):
        found = getattr(self._facts, name)
        if name in memo.FACT_LOOKUPS:
            return found
        if not callable(found):
            self._reads.values[f"facts {name}"] = None
            return found

        def looked_up(*args, **kwargs):
            if not kwargs and all(isinstance(a, (str, int, bool)) or a is None for a in args):
                self._store.used(self._reads, json.dumps(["facts", name, list(args)]))
            else:  # arguments no record can name
                self._reads.values[f"facts {name}"] = None
            return found(*args, **kwargs)
        return looked_up


def _text(value, known: dict[int, str] | None = None) -> str:
    """A value as text for a digest: plain data as it is, a model by its whole contents (or by the text known gives
    for that very object), a dataclass by the fields it is compared by. Nothing is kept from one value to the next,
    so memory stays that of one page's context."""
    out: list[str] = []
    _put(value, out, known or {})
    return "".join(out)


def _put(value, out: list[str], known: dict[int, str]) -> None:
    if value is None or isinstance(value, (bool, int, float, str, date, datetime, time)):
        out.append(f"{type(value).__name__}:{value!r};")
    elif isinstance(value, enum.Enum):
        out.append(f"{type(value).__qualname__}.{value.name};")
    elif isinstance(value, (list, tuple)):
        out.append(f"{type(value).__name__}[")
        for item in value:
            _put(item, out, known)
        out.append("]")
    elif isinstance(value, dict):
        out.append("dict{")
        for name, item in value.items():
            _put(name, out, known)
            _put(item, out, known)
        out.append("}")
    elif isinstance(value, BaseModel):
        out.append(known.get(id(value)) or f"{type(value).__qualname__}{value.model_dump_json()};")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{type(value).__qualname__}(")
        for field in dataclasses.fields(value):
            if field.compare:
                out.append(field.name + "=")
                _put(getattr(value, field.name), out, known)
        out.append(")")
    else:
        raise Unkeyable(type(value).__qualname__)


def _digest(*parts: str) -> str:
    whole = hashlib.blake2b(digest_size=20)
    for part in parts:
        whole.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return whole.hexdigest()


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
