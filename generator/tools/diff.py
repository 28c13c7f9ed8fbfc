"""`brief diff`: the comparison of two revisions' facts (facts/compare.py), worded for a terminal, a pull-request
comment (GitHub Markdown) or a machine (JSON)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from generator.facts.compare import (BRIEF, FORMAT_VERSION, FactChange, FieldChange, IndicatorChange, Report,
                                     Unreadable, between, fact_name, released, value_text)
from generator.facts import compare as engine
from generator.facts.models import SINGULAR
from generator.facts.revision import WORKTREE, default_base, files_at, previous_edition
from generator.facts.text import visible
from generator.site import present

__all__ = ["BRIEF", "FORMAT_VERSION", "FactChange", "FieldChange", "IndicatorChange", "Report", "Unreadable",
           "WORKTREE", "as_json", "as_markdown", "as_text", "between", "code", "compare", "default_base", "fact_name",
           "files_at", "previous_edition", "released", "since", "value_text"]


def compare(root: Path, base: str, head: str = WORKTREE, release: str | None = None) -> Report:
    """The fact changes from base to head, added and removed facts worded as their pages word them."""
    return engine.compare(root, base, head, release, describe=present.fact_summary)


def since(root: Path, base: str, current) -> Report:
    return engine.since(root, base, current, describe=present.fact_summary)


# ---------------------------------------------------------------- output


def as_json(report: Report) -> str:
    return json.dumps({
        "format_version": FORMAT_VERSION, "base": report.base, "head": report.head,
        "changes": [{"kind": c.kind, "id": c.id, "change": c.change, **({"summary": c.summary} if c.summary else {}),
                     "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields]} for c in report.changes],
        "alerts": report.alerts, "new_validation_errors": report.new_problems, "new_findings": report.new_findings,
        "indicators": [{"id": i.id, "title": i.title, "old": i.old, "new": i.new,
                        "causes": [{"kind": c.kind, "id": c.id, "change": c.change, "summary": c.summary}
                                   for c in i.causes]} for i in report.indicators],
    }, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def as_text(report: Report, colour: bool = False) -> str:
    paint = (lambda code, text: f"\x1b[{code}m{visible(text)}\x1b[0m") if colour else (lambda code, text: visible(text))
    marks = {"added": ("32", "+"), "removed": ("31", "-"), "changed": ("33", "~")}
    lines = [visible(f"Fact changes from {report.base} to {report.head}")]
    if report.empty:
        return lines[0] + ": no fact changes\n"
    for moved in report.indicators:
        lines.append(paint("1;35", f"! {moved.sentence}"))
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
    if report.alerts or report.new_problems or report.new_findings or report.indicators:
        lines += ["**Check these:**", ""]
        lines += [f"- :traffic_light: {code(i.sentence)}" for i in report.indicators]
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

