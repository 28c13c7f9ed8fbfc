"""The sourcing graph: the chains of reporting behind every assessment, and the tradecraft findings they show.

Counting rules (the Methodology page and the README say the same in plain words):
- Every source a judgment's evidence cites starts a chain: the cited source, the source it is reported via, and so
  on to the end of its `via` links. The chain has two ends: its originator, the cited source (it cites no earlier
  one), and its channel, the last source of the chain, the one the analyst read.
- A chain is graded by its weakest link: the worst reliability of its originator and of every relay (A best, F last).
- Two chains are independent lines of reporting only when they share neither an originator nor a channel. The
  independent lines of a judgment are a largest set of pairwise independent chains: a maximum matching between
  originators and channels in the bipartite graph whose edges are the chains, best-graded chains tried first.
- An assessment rests on the sources its evidence cites: a flight's, event's or base's `sources` (a base with
  those of all its observations), an evidence source itself, and for an evidence assessment its own `sources`
  (where that judgment was stated) together with what its evidence cites, followed to any depth without looping.
- Its own `sources` (where the judgment itself is written down) are not corroboration of it and do not count,
  nor do the sources that only give coordinates for the map.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from generator.errors import Problem, field_label
from generator.facts import analysis, captures, ranking
from generator.facts.dataset import Dataset
from generator.facts.models import GRADES, Assessment

FIRST_HAND_KINDS = ("flight tracking", "imagery", "video")  # collection a reader can see, unless relayed
WEAK_GRADES = ("E", "F")
_RANK = {grade: n for n, grade in enumerate(GRADES)}  # A best (0), F last
CODES = (  # the stable codes of the findings, as the README lists them
    "single-origin-high-confidence", "weak-origin-moderate-confidence", "superseded-evidence-only",
    "circular-corroboration", "stale-judgment", "credibility-without-corroboration", "too-many-key-judgments",
    *analysis.CODES,
)


@dataclass(frozen=True)
class Chain:
    """One line of reporting, by its two ends: the source cited and the channel the analyst read it in."""

    originator: str  # the source cited: it cites no earlier one
    channel: str     # the end of its via links (the originator itself when it was read directly)
    grade: str       # the weakest link: the worst reliability from the originator through every relay to the channel


@dataclass(frozen=True)
class Sourcing:
    """What stands behind one assessment."""

    chains: tuple[Chain, ...]                     # one per source cited, by originator
    lines: tuple[Chain, ...]                      # a largest set of pairwise independent chains, by originator
    cited: tuple[str, ...]                        # every source the evidence rests on, sorted
    reported: int                                 # evidence items that are reported …
    counted: int                                  # … of the evidence items that are facts (judgments are not)
    newest: date | None                           # earliest possible day of the newest dated evidence (edition at most)
    age_days: int | None                          # edition day minus that day

    @property
    def originators(self) -> tuple[str, ...]:
        return tuple(sorted({c.originator for c in self.chains}))

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(sorted({c.channel for c in self.chains}))

    @property
    def best_grade(self) -> str | None:
        """The grade of the best chain, each chain graded by its weakest link."""
        return min((c.grade for c in self.chains), key=GRADES.index, default=None)

    @property
    def reported_share(self) -> float | None:
        return self.reported / self.counted if self.counted else None


# ---------------------------------------------------------------- the graph


def roots(data: Dataset) -> dict[str, str]:
    """Source id → its channel, the end of its via chain (the source the analyst read); each source walked once."""
    found: dict[str, str] = {}
    for start in data.sources:
        path, current = [], start
        while current not in found and current not in path:
            path.append(current)
            relay = data.sources[current].via if current in data.sources else None
            if relay is None or relay not in data.sources:
                found[current] = current
                break
            current = relay
        root = found.get(current, current)  # a cycle (already a validation error) ends where it closes
        for sid in path:
            found[sid] = root
    return found


def weakest(data: Dataset) -> dict[str, str]:
    """Source id → the worst reliability along its chain, from itself to its channel; each source walked once."""
    found: dict[str, str] = {}
    sources = data.sources
    for start, source in sources.items():
        if start in found:
            continue
        path, seen, current = [], set(), start
        while current in sources and current not in found and current not in seen:
            path.append(current)
            seen.add(current)
            current = sources[current].via
        worst = found.get(current)  # None at the end of the chain (or where a cycle closes)
        for sid in reversed(path):
            grade = sources[sid].reliability
            if worst is None or _RANK[grade] > _RANK[worst]:
                worst = grade
            found[sid] = worst
    return found


def chain(data: Dataset, source_id: str, limit: int | None = None) -> list[str]:
    """The source, the sources that relay it, and its channel, in that order (the first limit of them)."""
    out, seen = [source_id], {source_id}
    while (limit is None or len(out) < limit) and (via := data.sources[out[-1]].via) and via in data.sources \
            and via not in seen:
        out.append(via)
        seen.add(via)
    return out


def chains(data: Dataset, cited, channel_of: dict[str, str], grade_of: dict[str, str]) -> list[Chain]:
    """The chain of each cited source, by originator: its two ends and its grade (chain() lists its relays)."""
    return [Chain(sid, channel_of[sid], grade_of[sid]) for sid in sorted(set(cited)) if sid in data.sources]


def independent(found: list[Chain]) -> tuple[Chain, ...]:
    """A largest set of chains no two of which share an originator or a channel.

    A maximum bipartite matching (augmenting paths) between originators and channels, each chain an edge; chains
    are tried best grade first, so among the largest sets one with well-graded lines is kept. Deterministic. While a
    source names one via, each originator starts one chain, so an augmenting path is at most two chains long.
    """
    order = sorted(found, key=lambda c: (GRADES.index(c.grade), c.originator, c.channel))
    by_originator: dict[str, list[Chain]] = defaultdict(list)
    for c in order:
        by_originator[c.originator].append(c)
    matched: dict[str, Chain] = {}  # channel → the chain that holds it

    def augment(originator: str, seen: set[str]) -> bool:
        for c in by_originator[originator]:
            if c.channel in seen:
                continue
            seen.add(c.channel)
            holder = matched.get(c.channel)
            if holder is None or augment(holder.originator, seen):
                matched[c.channel] = c
                return True
        return False

    for originator in dict.fromkeys(c.originator for c in order):
        augment(originator, set())
    return tuple(sorted(matched.values(), key=lambda c: (c.originator, c.channel)))


def fact_sources(data: Dataset, kind: str, fact_id: str) -> list[str]:
    """The sources a fact cites for what it says (not the ones that only place it on the map)."""
    if kind == "sources":
        return [fact_id]
    fact = data.of_kind(kind)[fact_id]
    if kind == "bases":
        return _unique([*fact.sources, *(s for obs in fact.observations for s in obs.sources)])
    return list(fact.sources)


def evidence_sources(data: Dataset, assessment: Assessment) -> list[str]:
    """Every source an assessment's evidence rests on, following evidence judgments without looping."""
    out: dict[str, None] = {}
    stack, seen = [assessment], {assessment.id}  # a loop back to the judgment adds nothing of its own
    while stack:
        current = stack.pop()
        for item in current.evidence:
            kind, target = item.target
            if kind == "assessments":
                if target in data.assessments and target not in seen:
                    seen.add(target)
                    nested = data.assessments[target]
                    out.update(dict.fromkeys(nested.sources))
                    stack.append(nested)
            elif target in data.of_kind(kind):
                out.update(dict.fromkeys(fact_sources(data, kind, target)))
    return [sid for sid in out if sid in data.sources]


def sourcing(data: Dataset, assessment: Assessment, origin_of: dict[str, str],
             grade_of: dict[str, str] | None = None) -> Sourcing:
    """The chains, independent lines, reported share and newest evidence of one assessment."""
    cited = sorted(evidence_sources(data, assessment))
    found = chains(data, cited, origin_of, grade_of if grade_of is not None else weakest(data))
    kinds = [_basis(data, *item.target) for item in assessment.evidence]
    counted = [k for k in kinds if k is not None]
    edition = data.brief.edition
    days = [min(d, edition) for d in (_newest(data, *item.target) for item in assessment.evidence) if d is not None]
    newest = max(days, default=None)
    return Sourcing(tuple(found), independent(found), tuple(cited), counted.count("reported"), len(counted), newest,
                    (edition - newest).days if newest else None)


def all_sourcing(data: Dataset) -> dict[str, Sourcing]:
    """Assessment id → its sourcing, for every assessment; worked out once per dataset (the findings, the Sourcing
    page, the assessment pages and the exports all read it)."""
    return data.remember(("sourcing of every assessment",), partial(_all_sourcing, data))


def _all_sourcing(data: Dataset) -> dict[str, Sourcing]:
    origin_of, grade_of = roots(data), weakest(data)
    return {aid: sourcing(data, a, origin_of, grade_of) for aid, a in data.assessments.items()}


def _basis(data: Dataset, kind: str, target: str) -> str | None:
    """'reported', 'tracked', 'observed' or 'inferred' for a fact cited as evidence; None for a judgment."""
    facts = data.of_kind(kind)
    if kind == "assessments" or target not in facts:
        return None
    if kind == "flights":
        return facts[target].basis
    first_hand = any(data.sources[s].kind in FIRST_HAND_KINDS and not data.sources[s].via
                     for s in fact_sources(data, kind, target) if s in data.sources)
    return "observed" if first_hand else "reported"


def _newest(data: Dataset, kind: str, target: str) -> date | None:
    """How fresh a fact cited as evidence is: the earliest day its date could stand for (a fact dated only '2024'
    is as fresh as 1 Jan 2024, never the edition's day); its newest observation's, for a base."""
    facts = data.of_kind(kind)
    if target not in facts:
        return None
    fact = facts[target]
    whens = {"flights": lambda: [fact.when], "events": lambda: [fact.date], "assessments": lambda: [fact.date],
             "sources": lambda: [fact.published], "bases": lambda: [o.date for o in fact.observations]}[kind]()
    return max((w.earliest.start.date() for w in whens if w.known), default=None)


def _unique(items) -> list:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------- findings


def findings(data: Dataset, stale_after: int | None = None) -> list[Problem]:
    """Every tradecraft finding in a valid dataset, in file order; worked out once per dataset and setting."""
    return list(data.remember(("tradecraft findings", stale_after), partial(_findings, data, stale_after)))


def _findings(data: Dataset, stale_after: int | None) -> list[Problem]:
    origin_of, grade_of = roots(data), weakest(data)
    every = all_sourcing(data)
    found: list[Problem] = []
    for aid, assessment in data.assessments.items():
        if assessment.status == "current":
            found += _judgment(data, aid, assessment, every[aid], stale_after)
            found += _circular_evidence(data, aid, assessment, origin_of)
    for kind, fact_id, loc, sources, credibility in _citations(data):
        found += _circular(data, kind, fact_id, loc + ("sources",), sources, origin_of)
        if credibility == 1:
            lines = independent(chains(data, sources, origin_of, grade_of))
            if len(lines) == 1:
                found.append(_at(data, kind, fact_id, loc + ("credibility",), code="credibility-without-corroboration",
                                 message=f"credibility 1 (confirmed by other sources) but its sources make one independent "
                                 f"line ({_line(lines[0])}), expected a second independent line or a lower grade"))
    found += _overflow(data)
    found += analysis.findings(data)
    return sorted(set(found))


def checked(data: Dataset | None, problems: list[Problem], *, strict: bool = False) -> tuple[list[Problem], list[Problem]]:
    """Validation problems and tradecraft warnings; with strict, the warnings join the problems as errors."""
    found = [*findings(data, data.brief.stale_after), *captures.findings(data)] if data is not None else []
    return ([*problems, *(replace(f, severity="error") for f in found)], []) if strict else (problems, found)


def _judgment(data: Dataset, aid: str, a: Assessment, s: Sourcing, stale_after: int | None) -> list[Problem]:
    out = []
    named = _named(s.lines)
    if a.by_brief and a.confidence == "high" and len(s.lines) < 2:
        out.append(_at(data, "assessments", aid, ("confidence",), code="single-origin-high-confidence",
                       message=f"high confidence rests on {named}, expected at least two independent lines "
                       "(sharing neither originator nor channel) or a lower confidence"))
    best = s.best_grade
    if a.by_brief and a.confidence == "moderate" and (best is None or best in WEAK_GRADES):
        graded = f", its best chain graded only {best} at its weakest link ({_graded(s.chains)})" if best else ""
        out.append(_at(data, "assessments", aid, ("confidence",), code="weak-origin-moderate-confidence",
                       message=f"moderate confidence rests on {named}{graded}, expected a chain graded A to D "
                       "from originator to channel or a lower confidence"))
    judgments = [item.assessment for item in a.evidence]
    if a.evidence and all(j and j in data.assessments and data.assessments[j].status != "current" for j in judgments):
        out.append(_at(data, "assessments", aid, ("evidence",), code="superseded-evidence-only",
                       message=f"every piece of evidence is a superseded or withdrawn judgment ({', '.join(judgments)}), "
                       "expected at least one current fact"))
    if stale_after is not None and s.age_days is not None and s.age_days > stale_after:
        out.append(_at(data, "assessments", aid, ("evidence",), code="stale-judgment",
                       message=f"the newest evidence is from {s.newest.isoformat()}, {_days(s.age_days)} before the edition, "
                       f"expected evidence from the last {stale_after} days (stale_after) or status superseded"))
    return out


def _overflow(data: Dataset) -> list[Problem]:
    """More judgments marked key than page 1 of the distribution edition prints: the ranking, not the analyst, picks."""
    marked = [(aid, a) for aid, a in data.assessments.items() if a.key and a.status == "current" and a.by_brief]
    if len(marked) <= ranking.PAGE_ONE:
        return []
    ranked = ranking.judgment_order(marked)
    first_left = ranked[ranking.PAGE_ONE][0]
    return [_at(data, "assessments", first_left, ("key",), code="too-many-key-judgments",
                message=f"{len(marked)} current judgments are marked key but page 1 prints {ranking.PAGE_ONE}; this one "
                f"ranks {ranking.PAGE_ONE + 1}th and goes to a later page, expected at most {ranking.PAGE_ONE} marked key "
                "or a priority on the ones page 1 must carry")]


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _line(c: Chain) -> str:
    """'tracker' through 'report', or 'report' for a source read directly."""
    return f"'{c.originator}'" if c.originator == c.channel else f"'{c.originator}' through '{c.channel}'"


def _named(lines: tuple[Chain, ...], shown: int = 5) -> str:
    if not lines:
        return "no independent line (no evidence)"
    names = ", ".join(_line(c) for c in lines[:shown]) + (f" and {len(lines) - shown} more" if len(lines) > shown else "")
    return f"{len(lines)} independent line{'s' if len(lines) != 1 else ''} ({names})"


def _graded(found: tuple[Chain, ...], shown: int = 5) -> str:
    text = ", ".join(f"{_line(c)} {c.grade}" for c in found[:shown])
    return text + (f" and {len(found) - shown} more" if len(found) > shown else "")


def _citations(data: Dataset):
    """(kind, id, location, cited sources, credibility) of every list of sources a fact gives."""
    for kind in ("bases", "flights", "events"):
        for fact_id, fact in data.of_kind(kind).items():
            yield kind, fact_id, (), fact.sources, getattr(fact, "credibility", None)
    for base_id, base in data.bases.items():
        for n, obs in enumerate(base.observations):
            yield "bases", base_id, ("observations", n), obs.sources, obs.credibility
    for aid, a in data.assessments.items():
        if a.status == "current":
            yield "assessments", aid, (), _unique([*a.sources, *(i.source for i in a.evidence if i.source)]), None


def _circular(data: Dataset, kind: str, fact_id: str, loc: tuple, sources: list[str],
              origin_of: dict[str, str]) -> list[Problem]:
    """Two or more cited sources through one channel that none of them names: one voice counted twice."""
    out = []
    for origin, members in _shared(sources, origin_of).items():
        out.append(_at(data, kind, fact_id, loc, code="circular-corroboration",
                       message=f"{_and(members)} all reach the brief through '{origin}', which is not cited, "
                       "expected them counted as one line of reporting (cite the channel too)"))
    return out


def _circular_evidence(data: Dataset, aid: str, a: Assessment, origin_of: dict[str, str]) -> list[Problem]:
    """The same across the facts an assessment cites, when no single one of them already shows it."""
    lists = [fact_sources(data, kind, target) for kind, target in (i.target for i in a.evidence)
             if kind != "assessments" and target in data.of_kind(kind)]
    everything = _unique(s for sources in lists for s in sources)
    out = []
    for origin, members in _shared(everything, origin_of).items():
        if origin in a.sources or any(set(members) <= set(sources) for sources in lists):
            continue  # the judgment names the origin, or one evidence fact cites them all and is reported itself
        out.append(_at(data, "assessments", aid, ("evidence",), code="circular-corroboration",
                       message=f"evidence from {_and(members)} all reaches the brief through '{origin}', which none of it "
                       "cites, expected it counted as one line of reporting, not as corroboration"))
    return out


def _shared(sources, origin_of: dict[str, str]) -> dict[str, list[str]]:
    """Channel → the cited sources that reach it, where two or more do and the channel itself is not cited."""
    by_origin: dict[str, list[str]] = defaultdict(list)
    for sid in _unique(sources):
        if sid in origin_of:
            by_origin[origin_of[sid]].append(sid)
    return {o: sorted(m) for o, m in sorted(by_origin.items()) if len(m) > 1 and o not in m}


def _and(ids: list[str]) -> str:
    quoted = [f"'{i}'" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _at(data: Dataset, kind: str, fact_id: str, loc: tuple, *, code: str, message: str) -> Problem:
    doc = data.documents.get((kind, fact_id))
    line, column = doc.where(loc) if doc else (1, 1)
    path = doc.path if doc else f"data/{kind}/{fact_id}.yml"
    return Problem(path, line, column, field_label(loc), message, code=code, severity="warning")
