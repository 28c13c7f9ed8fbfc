"""Pages rendered by the previous generation, reused when nothing they show has changed (the live preview's).

A page is rendered again unless all of these hold: only flights changed since the last generation (every
other kind of fact, the brief, the tracks, the templates and where each fact lives are as they were); the
page's own context is equal to last time; and while it was rendered it read no value that sums up the
flights (figures, charts, the timeline, counts per base, citations) and no flight that has changed since
(a group counts as changed when one of its members does).
What a template reads is recorded by wrapping the shared values it is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.site.standin import StandIn

KEPT = {"brief", "route", "endpoint", "cited_shown", "cited_more", "embed", "bottom_line", "edition_note"}
# shared values that depend on no flight but the one a template passes them; with the scale words
FACT_LOOKUPS = {"source", "citing", "track_positions", "withheld_evidence", "events"}  # Facts methods on other kinds


@dataclass
class Reads:
    """What one page's rendering read beyond its own context."""

    flights: set[str] = field(default_factory=set)
    summary: bool = False  # something computed from all flights


class _Watched(StandIn):
    """A shared value that marks the page as reading a summary of all flights whenever it is used."""

    __slots__ = ("_value", "_reads")

    def __init__(self, value, reads: Reads):
        self._value, self._reads = value, reads

    def value(self):
        self._reads.summary = True
        return self._value


class Lookups:
    """The template lookups, recording each flight looked up; the rest of Facts counts as a summary."""

    def __init__(self, facts, reads: Reads):
        self._facts, self._reads = facts, reads

    def title(self, kind: str, fact_id: str):
        if kind == "flights":
            self._reads.flights.add(fact_id)
        return self._facts.title(kind, fact_id)

    def record_count(self, flight_id: str):
        """A record's count reads that record and its members; a changed member counts as a change of its group."""
        self._reads.flights.add(flight_id)
        return self._facts.record_count(flight_id)

    def __getattr__(self, name):
        if name not in FACT_LOOKUPS:
            self._reads.summary = True
        return getattr(self._facts, name)


@dataclass
class _Entry:
    template: str
    context: dict
    reads: Reads
    text: str


class Memo:
    """The previous generation: its facts, page locations, shared plain values and rendered pages."""

    def __init__(self, templates: Path, kept_names: set[str]):
        self.templates, self.kept_names = templates, KEPT | kept_names
        self.entries: dict[str, _Entry] = {}
        self.state = None  # what every page may depend on, from the last generation
        self.changed_flights: set[str] | None = None  # None: render every page this time
        self.changed_ends: set[str] = set()  # the bases the changed flights (as they were and are) go from, to or by
        self.watched: set[str] = set()  # shared names whose use makes a page depend on all flights
        self.reused = 0
        self.deferring = False  # keep last generation's text of pages that sum up the flights, for a later pass
        self.deferred = 0

    def start(self, data, links, shared: dict) -> None:
        """Compare this generation's inputs with the last one's, before any page is rendered."""
        state = (_other_facts(data), links.pages, _plain(shared), _stamps(self.templates))
        flights = data.flights
        if self.state is not None and self.state[1:4] == state[1:] and _same_others(self.state[0], state[0]):
            old = self.state[4]
            self.changed_flights = {fid for fid in flights.keys() | old.keys() if flights.get(fid) is not old.get(fid)
                                    and flights.get(fid) != old.get(fid)}
            # a member's change changes the words of its group (old and new group alike): "at least 3, of which …"
            self.changed_flights |= {f.part_of for fid in self.changed_flights for f in (flights.get(fid), old.get(fid))
                                     if f is not None and f.part_of}
            self.changed_ends = {end.base for fid in self.changed_flights for f in (flights.get(fid), old.get(fid))
                                 if f is not None for end in f.points() if end.base}
        else:
            self.changed_flights, self.changed_ends = None, set()
        self.state = (*state, dict(flights))
        self.watched = watched_names(shared, self.kept_names)
        self.reused = self.deferred = 0

    @property
    def only_changed_facts(self) -> bool:
        """Whether this generation may draw only the pages that list facts one by one (plan.fact_pages) and keep the
        others as they were, for a later pass: it defers, and only flights changed since the last generation."""
        return self.deferring and self.changed_flights is not None

    def keep_others(self, drawn: set[str]) -> list[tuple[str, str]]:
        """The last generation's pages other than these, as (path, text), kept as they were for now: each counts as
        deferred, and the next generation that does not defer draws it again."""
        kept = [(path, entry.text) for path, entry in self.entries.items() if path not in drawn]
        for path, _ in kept:
            self.entries[path].reads.summary = True
        self.deferred += len(kept)
        return kept

    def render(self, page, context: dict, draw) -> str:
        """The page's text: last generation's when nothing it shows changed, else draw(context) with its reads kept."""
        old = self.entries.get(page.path)
        if (self.changed_flights is not None and old and old.template == page.template and not old.reads.summary
                and not (old.reads.flights & self.changed_flights) and old.context == page.context):
            self.reused += 1
            return old.text
        if (self.deferring and self.changed_flights is not None and old and old.reads.summary
                and old.context == page.context):  # a page whose own context changed is drawn now
            self.deferred += 1  # drawn again by the next generation, which does not defer
            return old.text
        reads = Reads()
        text = draw(watch(context, self.watched, reads))
        self.entries[page.path] = _Entry(page.template, page.context, reads, text)
        return text


def watched_names(shared: dict, kept_names: set[str]) -> set[str]:
    """The shared names whose use makes a page depend on all flights: every value that is not plain data, but
    those named kept (KEPT: values that depend on no flight but the one a template passes them)."""
    return {name for name, value in shared.items() if name not in kept_names and not _is_plain(value)}


def watch(context: dict, watched: set[str], reads: Reads) -> dict:
    """The context with each watched shared value wrapped to record its use in reads."""
    return {name: value if name not in watched else Lookups(value, reads) if name == "facts"
            else _Watched(value, reads) for name, value in context.items()}


def _is_plain(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _plain(shared: dict) -> dict:
    """The shared values that are plain data, compared as they are."""
    return {name: value for name, value in shared.items() if _is_plain(value)}


def _other_facts(data) -> tuple:
    return (data.brief, data.sources, data.bases, data.assessments, data.events, data.tracks,
            getattr(data, "withheld", None))


def _same_others(old: tuple, new: tuple) -> bool:
    """Every fact but the flights as before (the same parsed objects, or equal ones)."""
    for a, b in zip(old, new):
        if isinstance(a, dict) and isinstance(b, dict):
            if a.keys() != b.keys() or any(a[k] is not b[k] and a[k] != b[k] for k in a):
                return False
        elif a is not b and a != b:
            return False
    return True


def _stamps(folder: Path) -> tuple:
    """The templates' names, sizes and times: an edited template renders every page again."""
    if not folder.is_dir():
        return ()
    return tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.rglob("*")) if p.is_file())
