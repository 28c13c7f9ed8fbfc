"""Releasability: the TLP marking of every fact, the rule that none is marked below its sources, and tearlines.

`release(data, label)` is the one place facts above an audience's marking are taken out. Everything that
makes output (pages, charts, search, exports, PDF, What changed) receives the dataset it returns, so a
withheld fact cannot reach an edition by any path.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from functools import partial

from generator.errors import Problem, ValidationFailed, field_label
from generator.facts.models import SINGULAR, TLP_LABELS, shared_fields_set

RANK = {label: rank for rank, label in enumerate(TLP_LABELS)}
MARKED = ("sources", "bases", "flights", "assessments", "events", "indicators")


@dataclass(frozen=True)
class Withheld:
    """What a release left out: how many facts of each kind, and the evidence each kept assessment lost."""

    label: str | None = None  # the edition's marking; None before any release was made
    release: bool = False  # a tearline edition (--release), not the full one
    facts: dict[str, int] = field(default_factory=dict)  # kind (and "observations", "tracks") → number left out
    evidence: dict[str, int] = field(default_factory=dict)  # kept assessment id → evidence items left out
    kept: int = 0  # facts in the edition

    def any(self, kind: str | None = None) -> bool:
        """Whether facts (of this kind) were left out."""
        return bool(self.facts.get(kind)) if kind else any(self.facts.values())


def describe(withheld: Withheld) -> str:
    """The edition in words: which marking, and what it leaves out."""
    if not withheld.release:
        return f"the full edition, marked {withheld.label} (the highest marking of any fact in it)"
    if not withheld.any():
        return f"the {withheld.label} release: every fact is cleared for {withheld.label}, so nothing is left out"
    if not withheld.kept:
        return f"the {withheld.label} release holds no facts: every fact is marked above {withheld.label}"
    return f"the {withheld.label} release: facts marked above {withheld.label} are left out"


def above(label: str, limit: str) -> bool:
    return RANK[label] > RANK[limit]


def highest(labels) -> str | None:
    return max(labels, key=RANK.__getitem__, default=None)


def misplaced_marking() -> str:
    """The message for a tlp key where no marking can go."""
    return ("a marking cannot be set here, expected tlp only on a source, base, observation, flight, assessment "
            "or event (or in a track file), as one of: " + ", ".join(TLP_LABELS))


# ---------------------------------------------------------------- each fact's marking


def of(data, kind: str, fact_id: str) -> str:
    """A fact's own marking, else the brief's."""
    if kind == "tracks":
        return data.track_markings.get(fact_id) or data.brief.tlp
    return data.of_kind(kind)[fact_id].tlp or data.brief.tlp


def of_observation(data, base_id: str, n: int) -> str:
    """An observation's marking: its own, else its base's; never below its base's, since it is shown inside it."""
    base_mark = of(data, "bases", base_id)
    own = data.bases[base_id].observations[n].tlp
    return highest([own or base_mark, base_mark])


def of_capture(data, source_id: str, n: int) -> str:
    """A capture's marking: its own, else its source's; never below its source's, whose words it holds."""
    source_mark = of(data, "sources", source_id)
    return highest([data.sources[source_id].archive[n].tlp or source_mark, source_mark])


def present(data) -> list[str]:
    """The marking of every fact, observation, capture and track in the dataset."""
    found = [of(data, kind, fid) for kind in MARKED for fid in data.of_kind(kind)]
    found += [of_observation(data, bid, n) for bid, base in data.bases.items() for n in range(len(base.observations))]
    found += [of_capture(data, sid, n) for sid, source in data.sources.items() for n in range(len(source.archive))]
    return found + [of(data, "tracks", tid) for tid in data.tracks]


def edition_label(data) -> str:
    """The marking of the full edition: the highest of any fact in it (the brief's own when it has none)."""
    return highest(present(data)) or data.brief.tlp


def shown_in(data, release: str | None):
    """Whether a release shows a fact: (kind, id) → bool; every fact without a release."""
    if release is None:
        return lambda kind, fact_id: True
    return lambda kind, fact_id: fact_id in data.of_kind(kind) and not above(of(data, kind, fact_id), release)


# ---------------------------------------------------------------- the rule: never below a cited source


def check(data, release: str | None = None) -> list[Problem]:
    """Every fact marked lower than a source it cites, located at the citation; with a release label, a source the
    release withholds is not named, nor an observation's place among its base's."""
    problems = []
    shown = shown_in(data, release)
    for kind, fact_id, loc, target_kind, target in data.references():
        if target_kind != "sources" or target not in data.sources:
            continue
        mark, cited = _citing_marking(data, kind, fact_id, loc), of(data, "sources", target)
        if above(cited, mark):
            who = f"{SINGULAR[kind]} {fact_id}"
            if loc[0] == "observations":
                who = f"{f'observation {loc[1] + 1}' if release is None else 'an observation'} of base {fact_id}"
            source = f"source {target}" if shown("sources", target) else "a withheld source"
            problems.append(_at(data, kind, fact_id, loc, f"{who} is {mark} but cites {source} marked {cited}"))
    return problems


def _citing_marking(data, kind: str, fact_id: str, loc: tuple) -> str:
    if kind == "bases" and loc[0] == "observations":
        return of_observation(data, fact_id, loc[1])
    return of(data, kind, fact_id)


def _at(data, kind: str, fact_id: str, loc: tuple, message: str) -> Problem:
    doc = data.documents[(kind, fact_id)]
    line, column = doc.where(loc)
    return Problem(doc.path, line, column, field_label(loc), message, code="marking-below-source")


# ---------------------------------------------------------------- publishing


def publish_label(brief, where) -> str:
    """The label the public site is built at (brief.yml's publish); ValidationFailed when deploying could leak.

    where(key) gives the (path, line, column) of a key of brief.yml, for the message.
    """
    if brief.publish is None:
        problem = Problem(*where("publish"), "publish", "no publish label, so nothing is deployed: expected "
                          "publish: TLP:CLEAR (the marking the public site is built at)", code="publish-missing")
    elif above(brief.publish, "TLP:CLEAR") and not brief.publish_private:
        problem = Problem(*where("publish"), "publish", f"{brief.publish} is above TLP:CLEAR and publish_private is "
                          "not true, so nothing is deployed: a published site may be open to anyone; expected "
                          "publish: TLP:CLEAR, or publish_private: true for access-controlled hosting only",
                          code="publish-above-clear")
    else:
        return brief.publish
    raise ValidationFailed([problem])


# ---------------------------------------------------------------- the tearline


class Copies:
    """The copies of marked facts one release made, for the next release of mostly the same facts (the live
    preview's, after each save): a fact that is the very object it was, to be given the same values, is given the
    same copy. So unchanged facts stay the same objects from one save to the next, which the preview compares by
    identity first, and no copy is made again. Only the last release's copies are kept."""

    def __init__(self):
        self._last: dict[int, tuple] = {}  # id of the fact → (the fact, the values set, its copy)

    def copy(self, model, update: dict, made: dict[int, tuple]):
        kept = self._last.get(id(model))
        if (kept is not None and kept[0] is model and kept[1].keys() == update.keys()
                and all(_same(kept[1][name], value) for name, value in update.items())):
            copied = kept[2]
        else:
            copied = model.model_copy(update=update)
        made[id(model)] = (model, update, copied)
        return copied

    def settle(self, made: dict[int, tuple]) -> None:
        self._last = made


def release(data, label: str | None = None, *, owned: bool = False, copies: Copies | None = None):
    """The facts cleared for label (default: the full edition), each carrying its marking, and what was left out.

    A fact the release leaves as it is stays the same object. owned: the caller hands data over (nothing else holds
    its facts, and data is not used again), so a kept fact is marked in place rather than copied; at 100,000
    flights that spares a second copy of every flight, base and source. copies: the last release's copies, given
    again for facts unchanged since (see Copies)."""
    tearline, label = label is not None, label or edition_label(data)
    keep = {kind: {fid for fid in data.of_kind(kind) if not above(of(data, kind, fid), label)} for kind in MARKED}
    keep["tracks"] = {tid for tid in data.tracks if not above(of(data, "tracks", tid), label)}
    evidence = _settle_assessments(data, keep)
    facts = {kind: len(data.of_kind(kind)) - len(keep[kind]) for kind in MARKED}
    facts["tracks"] = len(data.tracks) - len(keep["tracks"])
    facts["observations"] = sum(above(of_observation(data, bid, n), label) for bid in keep["bases"]
                                for n in range(len(data.bases[bid].observations)))
    facts["captures"] = sum(above(of_capture(data, sid, n), label) for sid in keep["sources"]
                            for n in range(len(data.sources[sid].archive)))
    kept = sum(len(keep[kind]) for kind in MARKED)
    withheld = Withheld(label, tearline, {k: n for k, n in facts.items() if n}, evidence, kept)
    made: dict[int, tuple] = {}
    put = partial(_updated, owned=owned, copy=partial(copies.copy, made=made) if copies is not None else None)
    released = dataclasses.replace(
        data,
        brief=_brief(data.brief, label, keep["assessments"]),
        sources={sid: _source(data, sid, label, put) for sid in data.sources if sid in keep["sources"]},
        bases={bid: _base(data, bid, label, put) for bid in sorted(keep["bases"])},
        flights={fid: _flight(data, fid, keep, put) for fid in data.flights if fid in keep["flights"]},
        assessments={aid: _assessment(data, aid, keep, put) for aid in data.assessments if aid in keep["assessments"]},
        events={eid: _event(data, eid, keep, put) for eid in data.events if eid in keep["events"]},
        indicators={iid: _indicator(data, iid, keep, put) for iid in data.indicators if iid in keep["indicators"]},
        tracks={tid: points for tid, points in data.tracks.items() if tid in keep["tracks"]},
        track_markings={tid: of(data, "tracks", tid) for tid in data.tracks if tid in keep["tracks"]},
        documents={key: doc for key, doc in data.documents.items() if key[1] in keep.get(key[0], ())},
        withheld=withheld,
    )
    if copies is not None:
        copies.settle(made)
    return released, withheld


def _updated(model, update: dict, owned: bool, copy=None):
    """model with the values of update: the model itself when it holds them already; when owned, the model changed
    in place (its own values and the fields it counts as set, as a copy would have them); else a copy (copy(model,
    update) when given)."""
    if all(_same(model.__dict__[name], value) for name, value in update.items()):
        return model
    if not owned:
        return copy(model, update) if copy else model.model_copy(update=update)
    model.__dict__.update(update)
    object.__setattr__(model, "__pydantic_fields_set__", shared_fields_set(model.__pydantic_fields_set__ | update.keys()))
    return model


def _same(had, value) -> bool:
    """Whether a field's value is the one it had: the same object, a list of the same objects (a list of evidence
    nothing was taken from, compared item by item without comparing each item's fields), or an equal value."""
    if had is value:
        return True
    if type(had) is list and type(value) is list and len(had) == len(value):
        return all(a is b for a, b in zip(had, value)) or had == value
    return had == value


def _settle_assessments(data, keep: dict) -> dict[str, int]:
    """Leave out assessments that rest only on withheld evidence (repeatedly: one may rest on another)."""
    while True:
        lost = {aid: _lost_evidence(data.assessments[aid], keep) for aid in keep["assessments"]}
        empty = {aid for aid, n in lost.items() if n and n == len(data.assessments[aid].evidence)}
        if not empty:
            return {aid: n for aid, n in sorted(lost.items()) if n}
        keep["assessments"] -= empty


def _lost_evidence(assessment, keep: dict) -> int:
    return sum(1 for item in assessment.evidence if item.target[1] not in keep[item.target[0]])


def _base(data, base_id: str, label: str, put):
    base = data.bases[base_id]
    observations = [put(obs, {"tlp": mark}) for n, obs in enumerate(base.observations)
                    if not above(mark := of_observation(data, base_id, n), label)]
    return put(base, {"tlp": of(data, "bases", base_id), "observations": observations})


def _source(data, source_id: str, label: str, put):
    source = data.sources[source_id]
    captures = [put(c, {"tlp": mark}) for n, c in enumerate(source.archive)
                if not above(mark := of_capture(data, source_id, n), label)]
    return put(source, {"tlp": of(data, "sources", source_id), "archive": captures})


def flight_digest(data, flight_id: str) -> str | None:
    """A digest of a flight as this edition holds it, for a record that a build keeps for the next: its file's bytes
    (the fact validated from them) and each value a release may have changed in it (see _flight); None when the
    bytes are not at hand. Much cheaper than encoding the model, at 10,000 flights in every rebuild."""
    raw = getattr(data.documents.get(("flights", flight_id)), "raw", None)
    flight = data.flights.get(flight_id)
    if raw is None or flight is None:
        return None
    released = (flight.tlp, flight.origin.base, flight.destination.base, [stop.base for stop in flight.stops],
                flight.part_of, flight.track)
    return hashlib.blake2b(raw + b"\0" + repr(released).encode("utf-8"), digest_size=20).hexdigest()


def _flight(data, flight_id: str, keep: dict, put):
    flight = data.flights[flight_id]
    update = {"tlp": of(data, "flights", flight_id)}
    for end in ("origin", "destination"):
        point = getattr(flight, end)
        if point.base and point.base not in keep["bases"]:
            update[end] = point.model_copy(update={"base": None})
    if any(stop.base and stop.base not in keep["bases"] for stop in flight.stops):
        update["stops"] = [stop.model_copy(update={"base": None}) if stop.base not in keep["bases"] else stop
                           for stop in flight.stops]
    if flight.part_of and flight.part_of not in keep["flights"]:
        update["part_of"] = None
    if flight.track and flight.track not in keep["tracks"]:
        update["track"] = None
    return put(flight, update)


def _brief(brief, label: str, assessments: set[str]):
    """The brief's own file at the release's marking, citing only the judgments the release keeps."""
    implications = [i.model_copy(update={"rests_on": [a for a in i.rests_on if a in assessments]})
                    for i in brief.implications]
    gaps = [g.model_copy(update={"bears_on": [a for a in g.bears_on if a in assessments]}) for g in brief.gaps]
    return brief.model_copy(update={"tlp": label, "implications": implications, "gaps": gaps})


def _indicator(data, indicator_id: str, keep: dict, put):
    """An indicator as a release shows it: bearing only on kept judgments, citing only kept sources. Its status is
    evaluated on the released facts, so a withheld flight or observation never shows through it."""
    indicator = data.indicators[indicator_id]
    return put(indicator, {"tlp": of(data, "indicators", indicator_id),
                           "bears_on": [b for b in indicator.bears_on if b.assessment in keep["assessments"]],
                           "sources": [s for s in indicator.sources if s in keep["sources"]]})


def _event(data, event_id: str, keep: dict, put):
    """An event as released: a withheld base it happened at is not named (nor placed on the map)."""
    event = data.events[event_id]
    update = {"tlp": of(data, "events", event_id)}
    if event.base and event.base not in keep["bases"]:
        update["base"] = None
    return put(event, update)


def _assessment(data, assessment_id: str, keep: dict, put):
    assessment = data.assessments[assessment_id]
    update = {"tlp": of(data, "assessments", assessment_id),
              "evidence": [e for e in assessment.evidence if e.target[1] in keep[e.target[0]]]}
    if assessment.superseded_by and assessment.superseded_by not in keep["assessments"]:
        update["superseded_by"] = None
    return put(assessment, update)
