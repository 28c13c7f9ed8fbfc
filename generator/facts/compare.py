"""What changed in the facts between two revisions: added, removed and changed facts, field by field, the
call-outs a reviewer must not miss, and every indicator whose status moved.

Facts are compared as validated models keyed by kind and id, so moving a file, reordering keys, comments and
whitespace are not changes. The build's What changed page, the distribution edition and `brief diff` all use this
one comparison; tools/diff.py only words it for the command line.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import words
from generator.errors import BriefError, Problem
from generator.facts import dataset, indicators, markings, sourcing
from generator.facts.models import KINDS, SINGULAR, TLP_LABELS
from generator.facts.revision import WORKTREE, files_at

FORMAT_VERSION = 1
BRIEF = "brief"  # data/brief.yml: the title, edition and marking, compared like a fact of its own


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: object
    new: object


@dataclass
class FactChange:
    kind: str
    id: str
    change: str  # added, removed, changed
    fields: list[FieldChange] = field(default_factory=list)
    summary: str = ""  # what an added or removed fact is, in the words of its page (route and date, name, title)


@dataclass(frozen=True)
class Cause:
    """A fact whose change moved an indicator: it meets the condition now and did not, or the reverse."""

    kind: str
    id: str
    change: str  # "meets it now" or "no longer meets it"
    summary: str = ""  # the fact in a few words (route and date, name, title)


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator whose computed (or set) status differs between the two revisions."""

    id: str
    title: str
    old: str | None  # None: the indicator is new (or not in the old edition's release)
    new: str | None  # None: the indicator was removed (or withheld from this release)
    causes: tuple[Cause, ...] = ()

    @property
    def sentence(self) -> str:
        """'indicator x: not met → met, by flight f (Belarus → Libya, 14 Dec 2024)'."""
        text = f"indicator {self.id}: {self.old or 'new'} → {self.new or 'removed'}"
        if self.causes:
            text += ", by " + "; ".join(f"{SINGULAR[c.kind]} {c.id}" + (f" ({c.summary})" if c.summary else "")
                                        + ("" if c.change == MEETS else f", which {c.change}") for c in self.causes)
        return text


MEETS = "meets it now"
NO_LONGER = "no longer meets it"


@dataclass
class Report:
    base: str
    head: str
    changes: list[FactChange]
    alerts: list[str]
    new_problems: list[str]
    new_findings: list[str] = field(default_factory=list)  # tradecraft findings the change brings in
    indicators: list[IndicatorChange] = field(default_factory=list)  # every indicator whose status moved
    before: object = field(default=None, repr=False, compare=False)  # the two fact sets compared (Dataset or None)
    after: object = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.new_problems or self.indicators)


Describe = Callable[[object, str, str], str]  # (dataset, kind, id) → the fact in a few words


def compare(root: Path, base: str, head: str = WORKTREE, release: str | None = None,
            describe: Describe | None = None) -> Report:
    """The fact changes from base to head (git revisions, or the working tree), both as released at a label if given."""
    old, old_problems = dataset.collect(files_at(root, base), release=release)
    new, new_problems = dataset.collect(files_at(root, head), release=release)
    if release:
        old, new = released(old, release), released(new, release)
        new_problems = _cleared_problems(new_problems, new, release)
    return between(old, new, old_problems, new_problems, base, head, describe)


def since(root: Path, base: str, current, describe: Describe | None = None) -> Report:
    """The fact changes from a revision to facts already loaded, validated and released (the build's own).

    Raises Unreadable when the old edition's facts cannot all be read, so no half comparison is shown.
    """
    old, old_problems = dataset.collect(files_at(root, base))
    errors = [p for p in old_problems if p.severity == "error"]
    if errors:
        more = f" and {len(errors) - 1:,} more" if len(errors) > 1 else ""
        raise Unreadable(f"{errors[0]}{more}")
    before = released(old, current.withheld.label)
    if before is not None and not current.withheld.release:  # the full editions: each marked as it was published
        before = dataclasses.replace(before, brief=before.brief.model_copy(update={"tlp": markings.edition_label(old)}))
    return between(before, current, old_problems, [], base, WORKTREE, describe)


class Unreadable(BriefError):
    """An old edition whose facts do not all load with this version of the brief."""


def released(data, label: str | None):
    """The facts of a revision as an edition at label shows them (None stays None)."""
    return markings.release(data, label)[0] if data is not None and label else data


def _cleared_problems(problems: list[Problem], data, label: str) -> list[Problem]:
    """Problems in files of facts the release keeps; the rest only counted, since their text may be withheld."""
    cleared = {doc.path for doc in data.documents.values()} if data is not None else set()
    shown = [p for p in problems if p.file in cleared]
    hidden = len(problems) - len(shown)
    if hidden:
        shown.append(Problem("data", 1, 1, "", f"{words.counted(hidden, 'problem')} in files not cleared for {label} or not readable, "
                             "expected none: run brief validate to see them", code="withheld-problems"))
    return shown


def between(old, new, old_problems: list[Problem], new_problems: list[Problem], base: str, head: str,
            describe: Describe | None = None) -> Report:
    """The comparison of two loaded datasets (either may be None: not readable); describe words an added or removed
    fact (default: its title or name)."""
    summary = describe or title
    changes: list[FactChange] = []
    for kind in (BRIEF, *KINDS):
        before = _plain_facts(old, kind)
        after = _plain_facts(new, kind)
        for fact_id in sorted(before.keys() | after.keys()):
            if fact_id not in after:
                changes.append(FactChange(kind, fact_id, "removed", summary=summary(old, kind, fact_id)))
            elif fact_id not in before:
                changes.append(FactChange(kind, fact_id, "added", summary=summary(new, kind, fact_id)))
            else:
                fields = [FieldChange(p, a, b) for p, a, b in _field_changes(before[fact_id], after[fact_id])]
                if fields:
                    changes.append(FactChange(kind, fact_id, "changed", fields))
    known = {_problem_key(p) for p in old_problems}
    fresh = [str(p) for p in new_problems if _problem_key(p) not in known]
    return Report(base, head, changes, _alerts(old, new, changes), fresh, _new_findings(old, new),
                  indicator_changes(old, new, summary), old, new)


def indicator_changes(old, new, describe: Describe | None = None) -> list[IndicatorChange]:
    """Every indicator whose status differs between two datasets, with the facts that moved it, by id."""
    summary = describe or title
    before = indicators.evaluate(old) if old is not None else {}
    after = indicators.evaluate(new) if new is not None else {}
    found = []
    for iid in sorted(before.keys() | after.keys()):
        was, now = before.get(iid), after.get(iid)
        if (was and was.status) == (now and now.status):
            continue
        then, later = _meeting(was), _meeting(now)
        causes = [Cause(kind, fid, MEETS, summary(new, kind, fid)) for kind, fid in later if (kind, fid) not in then]
        causes += [Cause(kind, fid, NO_LONGER, summary(new if _has(new, kind, fid) else old, kind, fid))
                   for kind, fid in then if (kind, fid) not in later]
        name = (new.indicators[iid] if now else old.indicators[iid]).title
        found.append(IndicatorChange(iid, name, was and was.status, now and now.status, tuple(causes)))
    return found


def _meeting(reading) -> list[tuple[str, str]]:
    if reading is None:
        return []
    return [*reading.facts, *reading.possible]


def _has(data, kind: str, fact_id: str) -> bool:
    return data is not None and fact_id in data.of_kind(kind)


def _new_findings(old, new) -> list[str]:
    """Tradecraft findings at head that base did not have (same file, field, code and message)."""
    before = {_problem_key(f) for f in (sourcing.findings(old, old.brief.stale_after) if old else [])}
    return [str(f) for f in (sourcing.findings(new, new.brief.stale_after) if new else [])
            if _problem_key(f) not in before]


def _problem_key(problem: Problem) -> tuple:
    return (problem.file, problem.field, problem.message)


def _plain_facts(data, kind: str) -> dict[str, dict]:
    if data is None:
        return {}
    found = {BRIEF: data.brief} if kind == BRIEF else data.of_kind(kind)
    return {fid: json.loads(fact.model_dump_json(exclude_none=True)) for fid, fact in found.items() if fact is not None}


def title(data, kind: str, fact_id: str) -> str:
    """A fact's title or name, the plainest words for it (callers that word pages pass their own describe)."""
    if kind == BRIEF:
        return ""
    fact = data.of_kind(kind)[fact_id]
    return getattr(fact, "title", None) or getattr(fact, "name", None) or getattr(fact, "summary", None) or ""


def fact_name(kind: str, fact_id: str) -> str:
    """How a report names a fact: 'flight f1', or 'the brief' for data/brief.yml."""
    return "the brief" if kind == BRIEF else f"{SINGULAR[kind]} {fact_id}"


def _field_changes(old, new, path: str = ""):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys(), key=str):
            yield from _field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
    elif isinstance(old, list) and isinstance(new, list) and old and new and isinstance(old[0], dict):
        for i in range(max(len(old), len(new))):
            yield from _field_changes(old[i] if i < len(old) else None, new[i] if i < len(new) else None, f"{path}[{i}]")
    elif old != new:
        yield path, old, new


def _alerts(old, new, changes: list[FactChange]) -> list[str]:
    """What a reviewer must not miss, in plain words."""
    alerts = []
    for change in changes:
        if change.change != "changed":
            continue
        label = fact_name(change.kind, change.id)
        for f in change.fields:
            if change.kind == BRIEF and f.path == "tlp":
                alerts.append(f"{label}: marking changed from {f.old} to {f.new} ({_tighter(f.old, f.new)})")
            if change.kind == "assessments" and f.path in ("likelihood", "confidence"):
                alerts.append(f"{label}: {f.path} changed from {_shown(f.old)} to {_shown(f.new)}")
            if change.kind == "assessments" and f.path == "status" and f.new == "superseded":
                alerts.append(f"{label}: superseded by {new.assessments[change.id].superseded_by}")
            if change.kind == "assessments" and f.path == "status" and f.new == "withdrawn":
                alerts.append(f"{label}: withdrawn")
            if change.kind == "sources" and f.path == "reliability":
                alerts.append(f"{label}: reliability grade changed from {_shown(f.old)} to {_shown(f.new)}")
        if change.kind == "bases" and old and new:
            before, after = old.bases[change.id].current(), new.bases[change.id].current()
            if (before and before.status) != (after and after.status):
                alerts.append(f"{label}: status changed from {before.status if before else 'none'} "
                              f"to {after.status if after else 'none'}")
    if old and new:
        alerts += _lost_sources(old, new)
    alerts += _captures(old, new)
    return alerts


def _captures(old, new) -> list[str]:
    """Captures of sources added, removed or changed (the same file with another hash, or another file)."""
    def kept(data) -> dict[tuple[str, str], object]:
        return {(sid, c.file): c for sid, s in (data.sources.items() if data else []) for c in s.archive}

    before, after = kept(old), kept(new)
    removed, changed, added = [], [], []  # in that order: what the brief may no longer rest on comes first
    for sid, file in sorted(before.keys() | after.keys()):
        was, now = before.get((sid, file)), after.get((sid, file))
        label = fact_name("sources", sid)
        if was is None:
            added.append(f"{label}: capture added, {file} (captured {now.captured.iso()} from {now.url})")
        elif now is None:
            removed.append(f"{label}: capture removed, {file}")
        elif was.sha256 != now.sha256:
            changed.append(f"{label}: capture {file} changed its hash from {was.sha256} to {now.sha256}")
    return [*removed, *changed, *added]


def _lost_sources(old, new) -> list[str]:
    """Facts whose every cited source existed before and is gone now."""
    lost = []
    for kind in ("bases", "flights", "assessments", "events"):
        for fact_id, fact in new.of_kind(kind).items():
            if fact.sources and not any(s in new.sources for s in fact.sources) and all(s in old.sources for s in fact.sources):
                lost.append(f"{SINGULAR[kind]} {fact_id}: lost its last source ({', '.join(fact.sources)} removed)")
    return lost


def _tighter(old: str, new: str) -> str:
    """Whether a new TLP label shares the brief more or less widely than the old one."""
    return "more restricted" if TLP_LABELS.index(new) > TLP_LABELS.index(old) else "shared more widely"


def _shown(value) -> str:
    return "none" if value is None else str(value)


def value_text(value) -> str:
    """A changed value as a reviewer reads it: text as it is, anything else as JSON, (none) when absent."""
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
