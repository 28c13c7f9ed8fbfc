"""The sourcing graph: the independent origins behind every assessment, and the tradecraft findings they show.

Counting rules (the Methodology page and the README say the same in plain words):
- A source's origin is the end of its `via` chain: the source that relays nothing.
- An assessment rests on the sources its evidence cites: a flight's, event's or base's `sources` (a base with
  those of all its observations), an evidence source itself, and for an evidence assessment its own `sources`
  (where that judgment was stated) together with what its evidence cites, followed to any depth without looping.
- Its own `sources` (where the judgment itself is written down) are not corroboration of it and do not count,
  nor do the sources that only give coordinates for the map.
- Independent origins are the distinct origins of those sources.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from generator.errors import Problem, field_label
from generator.facts import analysis, captures
from generator.facts.dataset import Dataset
from generator.facts.models import Assessment

FIRST_HAND_KINDS = ("flight tracking", "imagery", "video")  # collection a reader can see, unless relayed
WEAK_GRADES = ("E", "F")
CODES = (  # the stable codes of the findings, as the README lists them
    "single-origin-high-confidence", "weak-origin-moderate-confidence", "superseded-evidence-only",
    "circular-corroboration", "stale-judgment", "credibility-without-corroboration", *analysis.CODES,
)


@dataclass(frozen=True)
class Sourcing:
    """What stands behind one assessment."""

    origins: tuple[str, ...]                      # independent origins: distinct root source ids, sorted
    cited: tuple[str, ...]                        # every source the evidence rests on, sorted
    best_reliability: str | None                  # best grade among the origins (A best, F last)
    reported: int                                 # evidence items that are reported …
    counted: int                                  # … of the evidence items that are facts (judgments are not)
    newest: date | None                           # earliest possible day of the newest dated evidence (edition at most)
    age_days: int | None                          # edition day minus that day

    @property
    def reported_share(self) -> float | None:
        return self.reported / self.counted if self.counted else None


# ---------------------------------------------------------------- the graph


def roots(data: Dataset) -> dict[str, str]:
    """Source id → its origin, the end of its via chain; each source is walked once."""
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


def chain(data: Dataset, source_id: str, limit: int | None = None) -> list[str]:
    """The source, the sources that relay it, and its origin, in that order (the first limit of them)."""
    out, seen = [source_id], {source_id}
    while (limit is None or len(out) < limit) and (via := data.sources[out[-1]].via) and via in data.sources \
            and via not in seen:
        out.append(via)
        seen.add(via)
    return out


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


def sourcing(data: Dataset, assessment: Assessment, origin_of: dict[str, str]) -> Sourcing:
    """The origins, best grade, reported share and newest evidence of one assessment."""
    cited = sorted(evidence_sources(data, assessment))
    origins = sorted({origin_of[sid] for sid in cited})
    grades = sorted(data.sources[o].reliability for o in origins)
    kinds = [_basis(data, *item.target) for item in assessment.evidence]
    counted = [k for k in kinds if k is not None]
    edition = data.brief.edition
    days = [min(d, edition) for d in (_newest(data, *item.target) for item in assessment.evidence) if d is not None]
    newest = max(days, default=None)
    return Sourcing(tuple(origins), tuple(cited), grades[0] if grades else None, counted.count("reported"),
                    len(counted), newest, (edition - newest).days if newest else None)


def all_sourcing(data: Dataset) -> dict[str, Sourcing]:
    """Assessment id → its sourcing, for every assessment."""
    origin_of = roots(data)
    return {aid: sourcing(data, a, origin_of) for aid, a in data.assessments.items()}


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
    """Every tradecraft finding in a valid dataset, in file order."""
    origin_of = roots(data)
    found: list[Problem] = []
    for aid, assessment in data.assessments.items():
        if assessment.status == "current":
            found += _judgment(data, aid, assessment, sourcing(data, assessment, origin_of), stale_after)
            found += _circular_evidence(data, aid, assessment, origin_of)
    for kind, fact_id, loc, sources, credibility in _citations(data):
        found += _circular(data, kind, fact_id, loc + ("sources",), sources, origin_of)
        if credibility == 1:
            origins = _unique(origin_of[s] for s in sources if s in origin_of)
            if len(origins) == 1:
                found.append(_at(data, kind, fact_id, loc + ("credibility",), code="credibility-without-corroboration",
                                 message=f"credibility 1 (confirmed by other sources) but its sources trace to one origin, "
                                 f"'{origins[0]}', expected a second independent origin or a lower grade"))
    found += analysis.findings(data)
    return sorted(set(found))


def checked(data: Dataset | None, problems: list[Problem], *, strict: bool = False) -> tuple[list[Problem], list[Problem]]:
    """Validation problems and tradecraft warnings; with strict, the warnings join the problems as errors."""
    found = [*findings(data, data.brief.stale_after), *captures.findings(data)] if data is not None else []
    return ([*problems, *(replace(f, severity="error") for f in found)], []) if strict else (problems, found)


def _judgment(data: Dataset, aid: str, a: Assessment, s: Sourcing, stale_after: int | None) -> list[Problem]:
    out = []
    named = _named(s.origins)
    if a.by_brief and a.confidence == "high" and len(s.origins) < 2:
        out.append(_at(data, "assessments", aid, ("confidence",), code="single-origin-high-confidence",
                       message=f"high confidence rests on {named}, expected at least two independent origins "
                       "or a lower confidence"))
    weak = all(data.sources[o].reliability in WEAK_GRADES for o in s.origins)
    if a.by_brief and a.confidence == "moderate" and weak:
        grades = ", ".join(f"{o} {data.sources[o].reliability}" for o in s.origins)
        out.append(_at(data, "assessments", aid, ("confidence",), code="weak-origin-moderate-confidence",
                       message=f"moderate confidence rests on {named}" + (f" graded only E or F ({grades})" if grades else "")
                       + ", expected an origin graded A to D or a lower confidence"))
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


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _named(origins: tuple[str, ...]) -> str:
    if not origins:
        return "no independent origin (no evidence)"
    names = ", ".join(f"'{o}'" for o in origins)
    return f"{len(origins)} independent origin{'s' if len(origins) != 1 else ''} ({names})"


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
    """Two or more cited sources with one origin that none of them names: one voice counted twice."""
    out = []
    for origin, members in _shared(sources, origin_of).items():
        out.append(_at(data, kind, fact_id, loc, code="circular-corroboration",
                       message=f"{_and(members)} all come from '{origin}', which is not cited, "
                       "expected them counted as one origin (cite the origin too)"))
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
                       message=f"evidence from {_and(members)} all comes from '{origin}', which none of it cites, "
                       "expected it counted as one origin, not as corroboration"))
    return out


def _shared(sources, origin_of: dict[str, str]) -> dict[str, list[str]]:
    """Origin → the cited sources that lead to it, where two or more do and the origin itself is not cited."""
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
