"""What comes first: the one ranking of judgments and the order of changes by consequence.

Judgments (page 1 of the distribution edition, the overview's bottom line, later pages of the edition, every list
of judgments) are ranked:
0. key judgments first (page 1 and the bottom line hold only those, when any is marked);
1. an explicit `priority` (1 first); judgments without one follow;
2. recent change: a judgment whose likelihood or confidence changed since the previous edition, then one that is
   new in this edition, then the rest;
3. likelihood, most probable first, then confidence, highest first;
4. the newest first, then by id, so the order is stable.

Changes since the previous edition are ordered by consequence: changed likelihood or confidence of key judgments,
then indicator status changes, then base status changes, then everything else; inside a tier the heavier change
first (a bigger jump, a bigger batch), then in the order they were found.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.facts.models import CONFIDENCES, LIKELIHOODS, Assessment

PAGE_ONE = 5  # the brief's own judgments page 1 of the distribution edition prints

# tiers of consequence for a change since the previous edition, most consequential first
KEY_JUDGMENT, INDICATOR, BASE_STATUS, OTHER = range(4)
TIERS = {KEY_JUDGMENT: "key judgment", INDICATOR: "indicator status", BASE_STATUS: "base status", OTHER: "other"}


@dataclass(frozen=True)
class Shift:
    """How one judgment's estimate moved since the previous edition (or that it is new in this one)."""

    since: date                     # the previous edition's date
    old_likelihood: str | None
    new_likelihood: str | None
    old_confidence: str | None
    new_confidence: str | None
    added: bool = False

    @property
    def changed(self) -> bool:
        return not self.added and (self.old_likelihood != self.new_likelihood or self.old_confidence != self.new_confidence)

    @property
    def steps(self) -> int:
        """How far the estimate moved: steps on the likelihood scale plus steps of confidence."""
        return _steps(LIKELIHOODS, self.old_likelihood, self.new_likelihood) + \
            _steps(CONFIDENCES, self.old_confidence, self.new_confidence)


def shifts(old, new) -> dict[str, Shift]:
    """Assessment id → how it moved since the previous edition, for judgments that changed estimate or are new.

    old and new are Datasets (old None when no previous edition is known: then nothing has moved)."""
    if old is None or new is None:
        return {}
    since = old.brief.edition
    out = {}
    for aid, a in new.assessments.items():
        before = old.assessments.get(aid)
        if before is None:
            out[aid] = Shift(since, None, a.likelihood, None, a.confidence, added=True)
        elif (before.likelihood, before.confidence) != (a.likelihood, a.confidence):
            out[aid] = Shift(since, before.likelihood, a.likelihood, before.confidence, a.confidence)
    return out


def judgment_key(aid: str, a: Assessment, moved: dict[str, Shift]) -> tuple:
    """The sort key of the ranking above (smaller first)."""
    shift = moved.get(aid)
    recent = 0 if shift and shift.changed else 1 if shift and shift.added else 2
    likelihood = LIKELIHOODS.index(a.likelihood) if a.likelihood else -1
    confidence = CONFIDENCES.index(a.confidence) if a.confidence else -1
    latest = a.date.latest.end.timestamp() if a.date.known else float("-inf")
    return (not a.key, a.priority is None, a.priority or 0, recent, -(shift.steps if shift and shift.changed else 0),
            -likelihood, -confidence, -latest, aid)


def judgment_order(items, moved: dict[str, Shift] | None = None) -> list[tuple[str, Assessment]]:
    """(id, assessment) pairs in the brief's one ranking; moved gives the changes since the previous edition."""
    moved = moved or {}
    return sorted(items, key=lambda item: judgment_key(item[0], item[1], moved))


@dataclass(frozen=True)
class Change:
    """One change since the previous edition, in words, with its tier of consequence."""

    tier: int
    text: str                          # what changed, the fact named by its title
    kind: str | None = None            # the fact it is about, for a link (None for a summed batch or the brief)
    id: str | None = None
    weight: int = 0                    # inside a tier, heavier first: steps of a judgment's jump, size of a batch


def change_order(changes: list[Change]) -> list[Change]:
    """Changes by consequence: tier, then weight, then the order they came in."""
    return [c for _, c in sorted(enumerate(changes), key=lambda nc: (nc[1].tier, -nc[1].weight, nc[0]))]


def _steps(scale: tuple[str, ...], old: str | None, new: str | None) -> int:
    if old == new:
        return 0
    if old is None or new is None:
        return 1
    return abs(scale.index(new) - scale.index(old))
