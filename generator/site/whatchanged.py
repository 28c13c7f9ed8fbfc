"""What changed since the previous edition, in words and by consequence: the records the What changed page and the
distribution edition print, made from a fact comparison (added, removed and changed facts with the two fact sets).

Every record names its fact by its title (a base by its name, a flight by its route and date); additions and
removals of many flights or other facts are summed into one record each. ranking.change_order() puts them in order.
"""
from __future__ import annotations

import re
from collections import defaultdict

from generator import words
from generator.facts import counting, ranking
from generator.facts.models import SINGULAR
from generator.site import present

# tiers below the three of the issue order (ranking.KEY_JUDGMENT, INDICATOR, BASE_STATUS): everything else, in turn
JUDGMENT, BATCH, SOURCE, EDIT = 3, 4, 5, 6
LISTED = 3  # added or removed facts of a kind named one by one; beyond, summed
BRIEF = "brief"


def records(report, key_ids: set[str] | None = None) -> list[ranking.Change]:
    """The changes of a report (generator.tools.diff.Report or any object with .changes, .before, .after), ranked.

    key_ids: the judgments counted as key (default: those the overview leads with in the new edition)."""
    old, new = getattr(report, "before", None), getattr(report, "after", None)
    if key_ids is None:
        key_ids = {aid for aid, _ in present.bottom_line(new.assessments)} if new is not None else set()
    since = f" since {words.day(old.brief.edition)}" if old is not None else ""
    moved = ranking.shifts(old, new)
    out: list[ranking.Change] = []
    added: dict[str, list] = defaultdict(list)
    removed: dict[str, list] = defaultdict(list)
    for c in report.changes:
        if c.change == "added":
            added[c.kind].append(c)
        elif c.change == "removed":
            removed[c.kind].append(c)
        elif c.kind == BRIEF:
            out += _brief(c)
        elif c.kind == "assessments":
            out += _judgment(c, old, new, moved, key_ids)
        elif c.kind == "bases":
            out += _base(c, old, new, since)
        elif c.kind == "sources":
            out += _source(c, new)
        else:
            out.append(_edit(c, new))
    for kind, found in added.items():
        out += _batch(kind, found, new, "+", "new") if kind != "flights" else []
    for kind, found in removed.items():
        out += _batch(kind, found, old, "−", "removed") if kind != "flights" else []
    out += _flights(added.get("flights", []), removed.get("flights", []), old, new)
    out += _indicators(report)
    out += _lost_sources(old, new)
    return ranking.change_order(out)


def _brief(c) -> list[ranking.Change]:
    fields = {f.path: f for f in c.fields}
    out = []
    if "tlp" in fields:
        f = fields.pop("tlp")
        out.append(ranking.Change(JUDGMENT, f"The brief's marking changed from {f.old} to {f.new}", weight=1000))
    if fields:
        out.append(ranking.Change(EDIT, f"The brief: {_fields(fields)} changed"))
    return out


def _judgment(c, old, new, moved, key_ids) -> list[ranking.Change]:
    a = new.assessments[c.id]
    title = " ".join(a.title.split())
    paths = {f.path.split(".")[0].split("[")[0]: f for f in c.fields}
    out = []
    shift = moved.get(c.id)
    if shift and shift.changed:
        key = c.id in key_ids
        out.append(ranking.Change(ranking.KEY_JUDGMENT if key else JUDGMENT,
                                  f"{'Key judgment' if key else 'Judgment'} “{title}”: {present.shift(shift)}",
                                  "assessments", c.id, shift.steps))
    status = paths.get("status")
    if status and status.new in ("superseded", "withdrawn"):
        successor = new.assessments.get(a.superseded_by) if a.superseded_by else None
        by = f" by “{' '.join(successor.title.split())}”" if successor else ""
        out.append(ranking.Change(JUDGMENT, f"Judgment “{title}”: {status.new}{by}", "assessments", c.id, 2))
    rest = {p: f for p, f in paths.items() if p not in ("likelihood", "confidence", "status", "superseded_by")}
    if rest:
        out.append(ranking.Change(EDIT, f"Judgment “{title}”: {_fields(rest)} changed", "assessments", c.id))
    return out


def _base(c, old, new, since: str) -> list[ranking.Change]:
    base = new.bases[c.id]
    before = old.bases[c.id].current() if old is not None and c.id in old.bases else None
    after = base.current()
    out = []
    if (before and before.status) != (after and after.status):
        seen = f", observed {present.when(after.date)}" if after and after.date.known else ""
        out.append(ranking.Change(ranking.BASE_STATUS, f"{base.name}: status changed from "
                                  f"{before.status if before else 'none'} to {after.status if after else 'none'}"
                                  f"{since}{seen}", "bases", c.id))
    observations = [f for f in c.fields if f.path.startswith("observations[")]
    new_ones = sum(1 for f in observations if f.old is None and f.path.count(".") == 0)
    rest = {f.path.split(".")[0].split("[")[0] for f in c.fields} - ({"observations"} if new_ones and
                                                                      len(observations) == new_ones else set())
    words = []
    if new_ones:
        words.append(f"{new_ones} observation{'s' if new_ones != 1 else ''} added")
    if rest:
        words.append(f"{_fields(dict.fromkeys(rest))} changed")
    if words and not (out and not rest):  # an observation that changed the status is told by that change
        out.append(ranking.Change(EDIT, f"{base.name}: {', '.join(words)}", "bases", c.id))
    return out


def _source(c, new) -> list[ranking.Change]:
    source = new.sources[c.id]
    title = " ".join(source.title.split())
    out, rest = [], {}
    for f in c.fields:
        if f.path == "reliability":
            better = "raised" if (f.new or "F") < (f.old or "F") else "lowered"
            out.append(ranking.Change(SOURCE, f"Source “{title}”: reliability grade {better} from {f.old} to {f.new}",
                                      "sources", c.id))
        else:
            rest[f.path.split(".")[0].split("[")[0]] = f
    if rest:
        out.append(ranking.Change(EDIT, f"Source “{title}”: {_fields(rest)} changed", "sources", c.id))
    return out


def _edit(c, new) -> ranking.Change:
    fields = {f.path.split(".")[0].split("[")[0]: f for f in c.fields}
    return ranking.Change(EDIT, f"{_capital(present.fact_title(new, c.kind, c.id))}: {_fields(fields)} changed",
                          c.kind, c.id)


def _batch(kind: str, found: list, data, sign: str, what: str) -> list[ranking.Change]:
    """Added or removed facts of one kind (flights apart, see _flights): a few named one by one, many summed."""
    link = (lambda c: (kind, c.id)) if what == "new" else (lambda c: (None, None))
    if len(found) <= LISTED:
        return [ranking.Change(BATCH if kind != "assessments" else JUDGMENT,
                               f"{_capital(what)} {SINGULAR[kind]}: {c.summary or c.id}", *link(c), weight=1)
                for c in found]
    names = "; ".join(c.summary for c in found[:LISTED])
    gone = " (removed)" if what == "removed" else ""
    return [ranking.Change(BATCH, f"{sign}{words.number(len(found))} {kind}{gone}, among them {names}",
                           weight=len(found))]


def _flights(added: list, removed: list, old, new) -> list[ranking.Change]:
    """Flight records added or removed: a few named one by one; more summed by the one counting function as the
    change in flights between the editions ('+300 flights in Feb 2025, 212 of them Vnukovo → Bassel (1,000 →
    1,300)'), the route whose count grew (or fell) most named with its share."""
    if len(added) + len(removed) <= LISTED or old is None or new is None:
        return _batch("flights", added, new, "+", "new") + _batch("flights", removed, old, "−", "removed")
    before, after = counting.flights_total(old), counting.flights_total(new)
    net = after.certain - before.certain
    routes_before = {r.key: r.tally.certain for r in counting.routes(old)}
    moved = [(r.tally.certain - routes_before.get(r.key, 0), r) for r in counting.routes(new)]
    moved += [(-n, None) for key, n in routes_before.items() if key not in {r.key for _, r in moved}]
    months = sorted({counting.first_day(f.when).strftime("%Y-%m") for c, data in
                     [*((c, new) for c in added), *((c, old) for c in removed)]
                     if c.id in data.flights and (f := data.flights[c.id]).when.known})
    when = "" if not months else f" in {words.month(months[0])}" if len(months) == 1 else \
        f" from {words.month(months[0])} to {words.month(months[-1])}"
    at = (lambda t: f"{'at least ' if t.at_least else ''}{words.number(t.certain)}")
    totals = f" ({at(before)} → {at(after)} in all)"
    if net == 0:
        text = (f"{words.counted(len(added), 'flight record')} added and {words.number(len(removed))} removed{when}; "
                f"the flights counted stay {words.number(after.certain)}")
        return [ranking.Change(BATCH, text, weight=len(added) + len(removed))]
    grew = [(n, r) for n, r in moved if r is not None and (n > 0) == (net > 0) and n]
    n, route = max(grew, key=lambda nr: (abs(nr[0]), nr[1].key)) if grew else (0, None)
    share = ""
    if route is not None:
        named = f"{present.endpoint(route.origin, new.bases)} → {present.endpoint(route.destination, new.bases)}"
        share = f", all {named}" if abs(n) == abs(net) else f", {words.number(abs(n))} of them {named}"
    sign = "+" if net > 0 else "−"
    text = f"{sign}{words.counted(abs(net), 'flight')}{when}{share}{totals}"
    return [ranking.Change(BATCH, text, weight=abs(net))]


def _indicators(report) -> list[ranking.Change]:
    """Indicator status changes (tier ranking.INDICATOR), from a comparison that knows indicators: report.indicators,
    each with id, title, old and new status and the facts that moved it (causes, each with a summary)."""
    out = []
    for moved in getattr(report, "indicators", None) or ():
        text = f"Indicator “{' '.join(moved.title.split())}”: {moved.old or 'new'} → {moved.new or 'removed'}"
        causes = [c.summary for c in getattr(moved, "causes", ()) if getattr(c, "summary", "")]
        if causes:
            text += ", by " + "; ".join(causes[:LISTED]) + (f" and {words.number(len(causes) - LISTED)} more"
                                                          if len(causes) > LISTED else "")
        out.append(ranking.Change(ranking.INDICATOR, text, "indicators" if moved.new else None,
                                  moved.id if moved.new else None))
    return out


def _lost_sources(old, new) -> list[ranking.Change]:
    """Facts whose every cited source existed before and is gone now."""
    if old is None or new is None:
        return []
    out = []
    for kind in ("bases", "flights", "assessments", "events"):
        for fact_id, fact in new.of_kind(kind).items():
            if fact.sources and not any(s in new.sources for s in fact.sources) and all(s in old.sources for s in fact.sources):
                gone = "; ".join(" ".join(old.sources[s].title.split()) for s in fact.sources)
                out.append(ranking.Change(SOURCE, f"{_capital(present.fact_title(new, kind, fact_id))}: lost its last "
                                          f"source ({gone} removed)", kind, fact_id, 1))
    return out


def field_change(f, shown) -> str:
    """One changed field in words for the fact-by-fact table: 'observation 5 added: {…}', 'observation 2, status:
    active → evacuating', 'likelihood: likely → very likely' (shown writes a value)."""
    parts = [part for part in re.split(r"\.|\[(\d+)\]", f.path) if part]
    words_ = []
    for part in parts:
        if part.isdigit() and words_:
            words_[-1] = f"{NOUNS.get(words_[-1], words_[-1])} {int(part) + 1}"
        else:
            words_.append(part.replace("_", " "))
    name = ", ".join(words_)
    if f.old is None and isinstance(f.new, dict):
        return f"{name} added: {shown(f.new)}"
    if f.new is None and isinstance(f.old, dict):
        return f"{name} removed: {shown(f.old)}"
    return f"{name}: {shown(f.old)} → {shown(f.new)}"


NOUNS = {"observations": "observation", "evidence": "evidence item", "sources": "source", "aliases": "alias",
         "assumptions": "assumption", "alternatives": "alternative"}


def _fields(fields) -> str:
    names = [name.replace("_", " ") for name in fields]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
