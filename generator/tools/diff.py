"""What changed in the facts between two revisions: added, removed and changed facts, field by field.

Facts are compared as validated models keyed by kind and id, so moving a file, reordering keys,
comments and whitespace are not changes. Changes a reviewer must not miss are called out.
"""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator import words
from generator.facts import dataset, markings
from generator.errors import BriefError, Problem
from generator.facts.models import KINDS, SINGULAR, TLP_LABELS
from generator.facts.text import visible
from generator.site import present

WORKTREE = "working tree"
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


@dataclass
class Report:
    base: str
    head: str
    changes: list[FactChange]
    alerts: list[str]
    new_problems: list[str]
    new_findings: list[str] = field(default_factory=list)  # tradecraft findings the change brings in
    before: object = field(default=None, repr=False, compare=False)  # the two fact sets compared (Dataset or None)
    after: object = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.new_problems)


# ---------------------------------------------------------------- reading revisions


def files_at(root: Path, revision: str) -> dict[str, bytes | Problem]:
    """The data/ files at a git revision (read in one pass, whatever their names), or in the working tree."""
    if revision == WORKTREE:
        return dataset.read_folder(root / "data")
    files: dict[str, bytes | Problem] = {}
    wanted: list[tuple[str, bytes]] = []
    for mode, kind, oid, name in _tree(root, revision):
        parts = name.split("/")
        if len(parts) >= 3:
            files[f"data/{parts[1]}/"] = b""
        if kind != b"blob" or not dataset.wanted(name):
            continue
        if mode == b"120000":
            files[name] = Problem(name, 1, 1, "", f"is a symbolic link in {revision}, expected a file", code="not-a-file")
        else:
            wanted.append((name, oid))
    small = []
    for (name, oid), size in zip(wanted, _objects(root, [oid for _, oid in wanted], "--batch-check")):
        refused = dataset.too_large(name, size)
        if refused:
            files[name] = refused  # never read: a file over its size limit
        else:
            small.append((name, oid))
    files.update(zip((name for name, _ in small), _objects(root, [oid for _, oid in small], "--batch")))
    return files


def _tree(root: Path, revision: str) -> list[tuple[bytes, bytes, bytes, str]]:
    """(mode, type, object id, path) of every entry under data/ at revision; paths NUL-separated, never quoted."""
    listing = _git(root, "ls-tree", "-r", "-z", revision, "--", "data")
    entries = []
    for record in filter(None, listing.split(b"\0")):
        meta, name = record.split(b"\t", 1)
        mode, kind, oid = meta.split()
        entries.append((mode, kind, oid, name.decode("utf-8", "surrogateescape")))
    return entries


def _objects(root: Path, oids: list[bytes], mode: str) -> list:
    """One git cat-file call for many objects: their sizes (--batch-check) or their contents (--batch), in order."""
    if not oids:
        return []
    out = _git(root, "cat-file", mode, given=b"".join(oid + b"\n" for oid in oids))
    found, at = [], 0
    for _ in oids:
        end = out.index(b"\n", at)
        size = int(out[at:end].split()[2])
        if mode == "--batch-check":
            found.append(size)
            at = end + 1
        else:
            found.append(out[end + 1:end + 1 + size])
            at = end + 1 + size + 1
    return found


def default_base(root: Path) -> str:
    """The merge base with main (or master), else the last commit."""
    for branch in ("main", "master", "origin/main"):
        try:
            return _git(root, "merge-base", branch, "HEAD").decode().strip()
        except BriefError:
            continue
    return "HEAD"


def _git(root: Path, *args: str, given: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=given, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        raise BriefError(f"git {' '.join(args)}: {err}, expected git to be installed") from None
    if done.returncode:
        raise BriefError(f"git {' '.join(args)}: {done.stderr.decode().strip()}, expected a known revision")
    return done.stdout


def previous_edition(root: Path, setting: str | None) -> str | None:
    """The revision of the previous edition: the brief's setting (tag, commit or date), else the newest edition-* tag."""
    try:
        if setting and len(setting) == 10 and setting[4] == "-" and setting[7] == "-":
            found = _git(root, "rev-list", "-1", f"--before={setting}T23:59:59Z", "HEAD").decode().strip()
            return found or None
        if setting:
            _git(root, "rev-parse", "--verify", "--quiet", f"{setting}^{{commit}}")
            return setting
        tags = _git(root, "tag", "--list", "edition-*", "--sort=-creatordate").decode().split()
        return tags[0] if tags else None
    except BriefError:
        return None


# ---------------------------------------------------------------- comparing


def compare(root: Path, base: str, head: str = WORKTREE, release: str | None = None) -> Report:
    """The fact changes from base to head (git revisions, or the working tree), both as released at a label if given."""
    old, old_problems = dataset.collect(files_at(root, base))
    new, new_problems = dataset.collect(files_at(root, head))
    if release:
        old, new = released(old, release), released(new, release)
        new_problems = _cleared_problems(new_problems, new, release)
    return between(old, new, old_problems, new_problems, base, head)


def since(root: Path, base: str, current) -> Report:
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
    return between(before, current, old_problems, [], base, WORKTREE)


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


def between(old, new, old_problems: list[Problem], new_problems: list[Problem], base: str, head: str) -> Report:
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
    return Report(base, head, changes, _alerts(old, new, changes), fresh, _new_findings(old, new), old, new)


def _new_findings(old, new) -> list[str]:
    """Tradecraft findings at head that base did not have (same file, field, code and message)."""
    from generator.facts.sourcing import findings

    before = {_problem_key(f) for f in (findings(old, old.brief.stale_after) if old else [])}
    return [str(f) for f in (findings(new, new.brief.stale_after) if new else []) if _problem_key(f) not in before]


def _problem_key(problem: Problem) -> tuple:
    return (problem.file, problem.field, problem.message)


def _plain_facts(data, kind: str) -> dict[str, dict]:
    if data is None:
        return {}
    found = {BRIEF: data.brief} if kind == BRIEF else data.of_kind(kind)
    return {fid: json.loads(fact.model_dump_json(exclude_none=True)) for fid, fact in found.items() if fact is not None}


def summary(data, kind: str, fact_id: str) -> str:
    """A fact in a few words, so a reviewer sees what was added or removed without opening its file."""
    if kind == BRIEF:
        return ""
    if kind == "flights":
        flight = data.flights[fact_id]
        return f"{present.route(flight, data.bases)}, {present.when(flight.when)}"
    return present.fact_title(data, kind, fact_id)


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
    return alerts


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


# ---------------------------------------------------------------- output


def as_json(report: Report) -> str:
    return json.dumps({
        "format_version": FORMAT_VERSION, "base": report.base, "head": report.head,
        "changes": [{"kind": c.kind, "id": c.id, "change": c.change, **({"summary": c.summary} if c.summary else {}),
                     "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields]} for c in report.changes],
        "alerts": report.alerts, "new_validation_errors": report.new_problems, "new_findings": report.new_findings,
    }, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def as_text(report: Report, colour: bool = False) -> str:
    paint = (lambda code, text: f"\x1b[{code}m{visible(text)}\x1b[0m") if colour else (lambda code, text: visible(text))
    marks = {"added": ("32", "+"), "removed": ("31", "-"), "changed": ("33", "~")}
    lines = [visible(f"Fact changes from {report.base} to {report.head}")]
    if report.empty:
        return lines[0] + ": no fact changes\n"
    for alert in report.alerts:
        lines.append(paint("1;31", f"! {alert}"))
    for problem in report.new_problems:
        lines.append(paint("1;31", f"! new validation error: {problem}"))
    for finding in report.new_findings:
        lines.append(paint("1;33", f"! new tradecraft finding: {finding}"))
    for c in report.changes:
        code, sign = marks[c.change]
        lines.append(paint(code, f"{sign} {fact_name(c.kind, c.id)} ({c.change})" + (f": {c.summary}" if c.summary else "")))
        lines += [visible(f"    {f.path}: {value_text(f.old)} → {value_text(f.new)}") for f in c.fields]
    return "\n".join(lines) + "\n"


def as_markdown(report: Report, site_url: str | None = None, links=None) -> str:
    """The report as GitHub Markdown for a pull-request comment: every value from the facts in a code span."""
    lines = [f"### Fact changes from {code(report.base)} to {code(report.head)}", ""]
    if report.empty:
        return "\n".join(lines + ["No fact changes.", ""])
    if report.alerts or report.new_problems or report.new_findings:
        lines += ["**Check these:**", ""]
        lines += [f"- :warning: {code(a)}" for a in report.alerts]
        lines += [f"- :x: new validation error: {code(p)}" for p in report.new_problems]
        lines += [f"- :mag: new tradecraft finding: {code(f)}" for f in report.new_findings]
        lines.append("")
    lines += ["| | Fact | Fields |", "|---|---|---|"]
    for c in report.changes:
        name = "the brief" if c.kind == BRIEF else f"{SINGULAR[c.kind]} {code(c.id, cell=True)}"
        if site_url and links and c.change != "removed" and (c.kind, c.id) in links.pages:
            href = links.href("index.md", c.kind, c.id).replace(".md#", ".html#")
            name = f"[{name}]({site_url.rstrip('/')}/{href})"
        fields = "<br>".join(f"{code(f.path, cell=True)}: {code(value_text(f.old), cell=True)} → "
                             f"{code(value_text(f.new), cell=True)}" for f in c.fields) or (
            code(c.summary, cell=True) if c.summary else "")
        lines.append(f"| {c.change} | {name} | {fields} |")
    return "\n".join(lines) + "\n"


def code(text: str, cell: bool = False) -> str:
    """Text as one GitHub Markdown code span: shown literally, no markup, mention, link or line break in it.

    The fence is one backtick longer than the longest run inside; line breaks and other control
    characters become visible escapes, so nothing can start a new block; in a table cell a pipe is
    escaped, which GitHub reads as a literal pipe even inside a code span.
    """
    shown = visible(str(text))
    if cell:
        shown = shown.replace("|", "\\|")
    if not shown:
        return "(empty)"
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""  # GitHub strips one space from each side
    return f"{fence}{pad}{shown}{pad}{fence}"


def value_text(value) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
