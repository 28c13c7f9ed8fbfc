"""The analytic line in words, as the overview, the Indicators page, the assessments page and page 1 of the
distribution edition show it: bottom line, implications, outlook, what to watch, sourcing, gaps and scope.

One place words these, so the site and the printed edition say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from generator.facts import analysis, indicators, sourcing
from generator.facts.dataset import Dataset
from generator.site import present
from generator.site.render import text

STATUS_ORDER = {indicators.MET: 0, indicators.POSSIBLY: 1, indicators.NOT_MET: 2}
WATCH_SHOWN = 8  # indicators in the overview's What to watch block (the rest on the Indicators page)


@dataclass(frozen=True)
class Watched:
    """One indicator as a reader sees it."""

    id: str
    title: str
    signals: str
    status: str
    since: str            # "since 14 Dec 2024", or "" when not met or undated
    condition: str        # the watch condition in words
    found: str            # what the facts show
    facts: tuple          # (kind, id) of the facts that meet it
    possible: tuple       # (kind, id) of facts that meet it only if their ranged dates fall in the window
    window: str           # "8 Dec 2024 to 16 Dec 2024", or ""
    bears_on: tuple       # (assessment id, direction)
    sources: tuple
    manual: bool
    tlp: str | None
    note: str | None


def watched(data: Dataset) -> list[Watched]:
    """Every indicator with its status, met first, then possibly met, then not met; by title within each."""
    readings = indicators.evaluate(data)
    found = []
    for iid, reading in readings.items():
        ind = data.indicators[iid]
        found.append(Watched(
            iid, ind.title, ind.signals, reading.status, _since(reading.since), indicators.condition(ind, data.bases),
            reading.found, reading.facts, reading.possible,
            f"{_day(reading.window[0])} to {_day(reading.window[1])}" if reading.window else "",
            tuple((b.assessment, b.direction) for b in ind.bears_on), tuple(ind.sources), ind.manual, ind.tlp, ind.note))
    return sorted(found, key=lambda w: (STATUS_ORDER[w.status], w.title.casefold(), w.id))


def _since(day: date | None) -> str:
    return f"since {_day(day)}" if day else ""


def _day(day: date) -> str:
    return day.strftime("%-d %b %Y")


def counts(items: list[Watched]) -> str:
    """'2 met, 1 possibly met, 2 not met' (statuses with none left out)."""
    tally = {s: sum(1 for w in items if w.status == s) for s in STATUS_ORDER}
    return ", ".join(f"{n} {s}" for s, n in tally.items() if n) or "none"


def sourcing_line(data: Dataset) -> str:
    """One sentence on what every fact of the brief rests on, e.g. 'All facts rest on one news report whose publisher
    is not recorded (reliability F: reliability cannot be judged).'"""
    origins = analysis.origins(data, sourcing.roots(data), sourcing.fact_sources)
    if not origins:
        return "No fact cites a source yet."
    if len(origins) == 1:
        return f"All facts rest on {_one_source(data, origins[0])}."
    first = data.sources[origins[0]]
    return (f"The facts rest on {len(origins)} independent origins; the most cited is {_one_source(data, origins[0])}"
            if first else f"The facts rest on {len(origins)} independent origins.") + "."


def _one_source(data: Dataset, source_id: str) -> str:
    source = data.sources[source_id]
    what = {"news": "news report", "official statement": "official statement", "dataset": "dataset"}.get(
        source.kind, f"{source.kind} source")
    who = ("whose publisher is not recorded" if source.publisher.strip().lower() == "unknown"
           else f"published by {source.publisher}")
    return f"one {what} ({source.title}), {who}, graded {present.reliability(source.reliability)}"


def scope(data: Dataset) -> dict:
    """The scope note: cut-off date (given, else computed) and what the brief says of its coverage and authors."""
    note = data.brief.scope
    cut = analysis.cutoff(data)
    return {"cutoff": present.day(cut), "cutoff_given": bool(note and note.cutoff),
            "covers": note.covers if note else None, "not_covered": note.not_covered if note else None,
            "author": (note.author if note else None) or data.brief.publisher, "contact": note.contact if note else None}


def outlook(data: Dataset) -> dict | None:
    found = data.brief.outlook
    if found is None:
        return None
    horizon = found.horizon
    horizon_text = _day(horizon) if isinstance(horizon, date) else horizon
    likely = f"{found.likelihood} ({present.PROBABILITY[found.likelihood]})" if found.likelihood else None
    return {"text": found.text, "horizon": horizon_text, "likelihood": likely}


@dataclass(frozen=True)
class AchView:
    """One judgment's ACH table in words."""

    hypotheses: tuple   # (id, text, status)
    rows: tuple         # (kind, id, note, ratings (words), diagnostic, rated)
    inconsistent: tuple
    strongest: tuple
    diagnostic: int


def ach(data: Dataset, assessment_id: str) -> AchView | None:
    a = data.assessments[assessment_id]
    table = analysis.matrix(a)
    if table is None:
        return None
    rows = tuple((r.target[0], r.target[1], a.evidence[r.index].note, r.ratings, r.diagnostic, r.rated)
                 for r in table.rows)
    return AchView(tuple((h.id, h.text, h.status) for h in table.hypotheses), rows, table.inconsistent,
                   table.strongest, table.diagnostic)


CONTEXT_NAMES = ("analytic", "indicators", "gaps")  # what context gives, named before it is worked out


def context(data: Dataset) -> dict:
    """What every page may use of the analytic line."""
    items = watched(data)
    return {
        "analytic": {
            "bottom_line": data.brief.bottom_line or data.brief.summary,
            "implications": data.brief.implications,
            "outlook": outlook(data),
            "watch": items[:WATCH_SHOWN], "watch_total": len(items), "watch_counts": counts(items),
            "sourcing": sourcing_line(data),
            "gaps": data.brief.gaps,
            "scope": scope(data),
        },
        "indicators": items,
        "gaps": gaps_markdown(data),
    }


def gaps_markdown(data: Dataset) -> Markup:
    """The intelligence gaps as a Markdown list, every fact text inert: what a hand-written page may show."""
    return Markup("".join(f"- **{text(g.question)}** {text(g.why)} *What would answer it:* {text(g.answer)}\n"
                          for g in data.brief.gaps))
