"""What changed since the previous edition, in words and by consequence: the records the What changed page and the
distribution edition print, made from a fact comparison (added, removed and changed facts with the two fact sets).

Every record names its fact by its title (a base by its name, a flight by its route and date); additions and
removals of many flights or other facts are summed into one record each. ranking.change_order() puts them in order.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from generator.facts import ranking
from generator.facts.models import SINGULAR
from generator.site import present

# tiers below the three of the issue order (ranking.KEY_JUDGMENT, INDICATOR, BASE_STATUS): everything else, in turn
JUDGMENT, BATCH, SOURCE, EDIT = 3, 4, 5, 6
LISTED = 3  # added or removed facts of a kind named one by one; beyond, summed
BRIEF = "brief"


def records(report, key_ids: set[str] | None = None) -> list[ranking.Change]:
    """The changes of a report (generator.tools.diff.Report or any object with .changes, .before, .after), ranked.

    key_ids: the judgments counted as key (default: those the overview leads with in the new edition)."""
    old, new = report.before, report.after
    if key_ids is None:
        key_ids = {aid for aid, _ in present.bottom_line(new.assessments)} if new is not None else set()
    since = f" since {old.brief.edition.isoformat()}" if old is not None else ""
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
        out += _batch(kind, found, new, "+", "new")
    for kind, found in removed.items():
        out += _batch(kind, found, old, "−", "removed")
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
    """Added or removed facts of one kind: a few named one by one, many summed into one record."""
    link = (lambda c: (kind, c.id)) if what == "new" else (lambda c: (None, None))
    if len(found) <= LISTED:
        return [ranking.Change(BATCH if kind != "assessments" else JUDGMENT,
                               f"{_capital(what)} {SINGULAR[kind]}: {c.summary or c.id}", *link(c), weight=1)
                for c in found]
    if kind == "flights":
        return [_flights(found, data, sign, what)]
    names = "; ".join(c.summary for c in found[:LISTED])
    gone = " (removed)" if what == "removed" else ""
    return [ranking.Change(BATCH, f"{sign}{len(found)} {kind}{gone}, among them {names}", weight=len(found))]


def _flights(found: list, data, sign: str, what: str) -> ranking.Change:
    """'+300 flights in Feb 2025, 212 of them Vnukovo → Bassel' for flights added (or removed), by their counts."""
    flights = [data.flights[c.id] for c in found if c.id in data.flights]
    counted = [f for f in flights if not f.part_of]  # a counted group carries the flights inside it
    total = sum(f.count.number for f in counted)
    lower = any(f.count.lower_bound for f in counted)
    routes: Counter = Counter()
    months: set[str] = set()
    for f in counted:
        routes[present.route(f, data.bases)] += f.count.number
        months.add(f.when.earliest.start.strftime("%Y-%m") if f.when.known else "undated")
    dated = sorted(m for m in months if m != "undated")
    when = ("" if not dated else f" in {_month(dated[0])}" if len(dated) == 1
            else f" from {_month(dated[0])} to {_month(dated[-1])}")
    route, busiest = min(routes.items(), key=lambda kv: (-kv[1], kv[0])) if routes else ("", 0)
    share = f", {busiest} of them {route}" if len(routes) > 1 else f", all {route}" if routes else ""
    noun = "flight" if total == 1 else "flights"
    text = f"{sign}{present.tally(total, lower)} {noun}{' (removed)' if what == 'removed' else ''}{when}{share}"
    return ranking.Change(BATCH, text, weight=total)


def _indicators(report) -> list[ranking.Change]:
    """Indicator status changes (tier ranking.INDICATOR): the records a comparison that knows indicators gives in
    report.indicator_changes, each already worded and naming its indicator by its title."""
    return [ranking.Change(ranking.INDICATOR, text) for text in getattr(report, "indicator_changes", ())]


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


def _fields(fields) -> str:
    names = [name.replace("_", " ") for name in fields]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _month(key: str) -> str:
    year, month = key.split("-")
    return date(int(year), int(month), 1).strftime("%b %Y")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
