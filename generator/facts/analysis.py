"""The analytic line: competing hypotheses (ACH) weighed on the evidence, the findings they show, and the
information cut-off and sourcing the bottom line states.

ACH rules (the Methodology page says the same in plain words):
- The hypotheses are the judgment itself ("main") and each of its alternatives, in the order written.
- Each evidence item may rate how it fits each hypothesis; a hypothesis its `fits` leaves out is neutral, and an
  item with no `fits` at all is not rated.
- A hypothesis's score is the number of rated items inconsistent with it: the fewest is the strongest.
- A rated item that fits every hypothesis the same way is not diagnostic: it cannot tell them apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator import words
from generator.errors import Problem, field_label
from generator.facts.dataset import Dataset
from generator.facts.models import MAIN, Assessment

CODES = ("key-judgment-without-assumptions", "no-diagnostic-evidence", "rejected-without-inconsistent-evidence")
NOT_RATED = "not rated"


@dataclass(frozen=True)
class Hypothesis:
    id: str
    text: str
    status: str  # "judgment" for main, else open, less likely or rejected


@dataclass(frozen=True)
class Row:
    index: int                       # the evidence item's place in the judgment's list
    target: tuple[str, str]          # (kind, id) of the fact it cites
    ratings: tuple[str, ...]         # one per hypothesis, or NOT_RATED for each when the item has no fits
    rated: bool
    diagnostic: bool


@dataclass(frozen=True)
class Matrix:
    """One judgment's ACH table: evidence rows against hypothesis columns."""

    hypotheses: tuple[Hypothesis, ...]
    rows: tuple[Row, ...]
    inconsistent: tuple[int, ...]    # per hypothesis: rated evidence inconsistent with it

    @property
    def strongest(self) -> tuple[str, ...]:
        """Ids of the hypotheses with the least inconsistent evidence."""
        low = min(self.inconsistent)
        return tuple(h.id for h, n in zip(self.hypotheses, self.inconsistent) if n == low)

    @property
    def diagnostic(self) -> int:
        return sum(1 for r in self.rows if r.diagnostic)


def matrix(a: Assessment) -> Matrix | None:
    """The ACH table of a judgment that lists alternatives, else None."""
    if not a.alternatives:
        return None
    hypotheses = (Hypothesis(MAIN, a.judgment, "judgment"),
                  *(Hypothesis(alt.id, alt.hypothesis, alt.status) for alt in a.alternatives))
    rows = []
    for i, item in enumerate(a.evidence):
        if item.fits:
            ratings = tuple(item.fits.get(h.id, "neutral") for h in hypotheses)
            rows.append(Row(i, item.target, ratings, True, len(set(ratings)) > 1))
        else:
            rows.append(Row(i, item.target, (NOT_RATED,) * len(hypotheses), False, False))
    inconsistent = tuple(sum(1 for r in rows if r.ratings[n] == "inconsistent") for n in range(len(hypotheses)))
    return Matrix(hypotheses, tuple(rows), inconsistent)


def key_judgments(data: Dataset) -> list[str]:
    """Ids of the brief's key judgments: its own current ones marked key, or all its own current ones if none is."""
    own = [aid for aid, a in sorted(data.assessments.items()) if a.status == "current" and a.by_brief]
    return [aid for aid in own if data.assessments[aid].key] or own


# ---------------------------------------------------------------- findings


def findings(data: Dataset) -> list[Problem]:
    """The tradecraft findings of the analytic line, as warnings located at the field concerned."""
    found = []
    for aid in key_judgments(data):
        a = data.assessments[aid]
        if a.confidence in ("moderate", "high") and not a.assumptions:
            found.append(_at(data, aid, ("confidence",), "key-judgment-without-assumptions",
                             f"a key judgment held with {a.confidence} confidence lists no assumptions, expected "
                             "assumptions: [{text, if_wrong}] saying what it takes for granted"))
    for aid, a in sorted(data.assessments.items()):
        if a.status != "current":
            continue
        table = matrix(a)
        if table is None:
            continue
        if not table.diagnostic:
            found.append(_at(data, aid, ("alternatives",), "no-diagnostic-evidence",
                             f"{words.counted(len(a.alternatives), 'alternative')} listed but no evidence rates differently across the "
                             "hypotheses, expected at least one evidence item whose fits tell them apart"))
        for n, alt in enumerate(a.alternatives, start=1):
            if alt.status == "rejected" and table.inconsistent[n] == 0:
                found.append(_at(data, aid, ("alternatives", n - 1, "status"), "rejected-without-inconsistent-evidence",
                                 f"alternative '{alt.id}' is rejected but no evidence is rated inconsistent with it, "
                                 f"expected fits: {{{alt.id}: inconsistent}} on the evidence that rules it out, or "
                                 "status open or less likely"))
    return found


def _at(data: Dataset, aid: str, loc: tuple, code: str, message: str) -> Problem:
    doc = data.documents.get(("assessments", aid))
    line, column = doc.where(loc) if doc else (1, 1)
    path = doc.path if doc else f"data/assessments/{aid}.yml"
    return Problem(path, line, column, field_label(loc), message, code=code, severity="warning")


# ---------------------------------------------------------------- scope and sourcing of the whole brief


def cutoff(data: Dataset) -> date:
    """The information cut-off: scope.cutoff when given, else the latest day any dated fact may stand for, known at
    least to the day, never later than the edition."""
    scope = data.brief.scope
    if scope and scope.cutoff:
        return scope.cutoff
    whens = [f.when for f in data.flights.values()] + [e.date for e in data.events.values()]
    whens += [o.date for b in data.bases.values() for o in b.observations]
    days = [w.latest.end.date() for w in whens if w.known and _to_the_day(w)]
    return min(max(days, default=data.brief.edition), data.brief.edition)


def _to_the_day(when) -> bool:
    return all(i.precision not in ("year", "month") for i in ((when.at,) if when.at else when.between))


def origins(data: Dataset, origin_of: dict[str, str], fact_sources) -> list[str]:
    """The independent origins behind what the brief's facts say (not the sources that only place them on the map),
    most cited first. fact_sources(data, kind, id) gives the sources a fact cites for what it says."""
    counts: dict[str, int] = {}
    for kind in ("bases", "flights", "events", "assessments", "indicators"):
        for fact_id in data.of_kind(kind):
            for origin in {origin_of[s] for s in fact_sources(data, kind, fact_id) if s in origin_of}:
                counts[origin] = counts.get(origin, 0) + 1
    return sorted(counts, key=lambda o: (-counts[o], o))
