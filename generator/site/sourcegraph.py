"""How the site shows sourcing: each judgment's lines and chains, and the Sourcing page's graph and tables.

origin_of here maps a source to its channel, the end of its via chain (sourcing.roots)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from generator import words
from generator.facts import sourcing
from generator.facts.dataset import Dataset
from generator.site import present
from generator.site.charts import Chart, _figure

PAGE = "sourcing.md"
CITING_KINDS = ("flights", "bases", "events", "assessments")
ROW_HEIGHT = 26  # pixels per source in the graph
KIND_HEIGHT = 80  # pixels per kind of citing fact: its square and a two-line label below it
NAMED_ORIGINS = 5  # originators and channels named beside a judgment; the Sourcing page's graph and table show them all
SHOWN_ROUTES = 12  # evidence items whose chains a judgment shows on demand
MAX_SOURCE_ROWS = 250  # sources the page's graph and table show; beyond, relays first and the rest counted
MAX_JUDGMENT_ROWS = 300  # newest judgments tabled on the Sourcing page; each assessment shows its own line anyway
MAX_FINDINGS = 150  # findings listed on the Sourcing page; brief validate lists them all
SHOWN_CHAINS = 4  # relayed sources of one evidence item whose chains are shown
SHOWN_HOPS = 4  # a longer chain shows its first sources, how many relays are left out, and its origin


@dataclass(frozen=True)
class Route:
    """One piece of evidence and, for each source it cites, the chain from that source to its origin.

    A chain lists source ids; a number in it stands for that many relays left out before the origin."""

    kind: str
    id: str
    chains: tuple[tuple[str | int, ...], ...]  # relayed sources only, the first SHOWN_CHAINS of them
    rest: str  # "plus 2 origins cited directly" and relayed sources left out, in words ("" when none)


@dataclass(frozen=True)
class SourceRow:
    """One source as the Sourcing page tables it: who relays it, its origin, what cites it."""

    id: str
    depth: int
    origin: str
    cited: tuple[tuple[str, int], ...]  # (kind, number of facts of that kind citing it)

    @property
    def citing(self) -> str:
        return present.citing(self.cited)

    @property
    def distance(self) -> str:
        return present.relays(self.depth)


def routes(data: Dataset, evidence, origin_of: dict[str, str], depth: dict[str, int]) -> list[Route]:
    """Each evidence item with the chains of the sources it cites (an evidence judgment: where it was stated)."""
    out = []
    for item in evidence:
        kind, target = item.target
        cited = data.assessments[target].sources if kind == "assessments" else sourcing.fact_sources(data, kind, target)
        relayed = [sid for sid in cited if depth[sid]]
        chains = tuple(_shown_chain(data, sid, origin_of, depth) for sid in relayed[:SHOWN_CHAINS])
        out.append(Route(kind, target, chains, present.rest(len(cited) - len(relayed), len(relayed) - len(chains), bool(chains))))
    return out


def _shown_chain(data: Dataset, source_id: str, origin_of: dict[str, str], depth: dict[str, int]) -> tuple:
    """The chain from a source to its origin, its middle elided when long: walks SHOWN_HOPS steps at most."""
    head = sourcing.chain(data, source_id, limit=SHOWN_HOPS)
    origin = origin_of[source_id]
    if head[-1] == origin:
        return tuple(head)
    hidden = depth[source_id] - len(head)
    return (*head, hidden, origin) if hidden else (*head, origin)


def source_rows(data: Dataset, origin_of: dict[str, str], depth: dict[str, int]) -> list[SourceRow]:
    """Every source, grouped under its origin and ordered so that each relay follows what it relays."""
    cited: dict[str, Counter] = defaultdict(Counter)
    for source_id, citers in data.cited_by.items():
        cited[source_id].update(kind for kind, _ in citers if kind in CITING_KINDS)
    order = _outline(data, origin_of)
    return [SourceRow(sid, depth[sid], origin_of[sid], tuple((k, cited[sid][k]) for k in CITING_KINDS if cited[sid][k]))
            for sid in order]


def _depths(data: Dataset, origin_of: dict[str, str]) -> dict[str, int]:
    """Hops from each source to its origin, each source walked once."""
    depth: dict[str, int] = {}
    for start in data.sources:
        path, current = [], start
        while current not in depth and current != origin_of[current] and current not in path:
            path.append(current)
            current = data.sources[current].via
        base = depth.setdefault(current, 0)
        for n, sid in enumerate(reversed(path), start=1):
            depth[sid] = base + n
    return depth


def _outline(data: Dataset, origin_of: dict[str, str]) -> list[str]:
    """Sources in outline order: each origin, then depth-first what it relays (ids sorted), iteratively."""
    relayed: dict[str, list[str]] = defaultdict(list)
    for sid in sorted(data.sources):
        via = data.sources[sid].via
        if via in data.sources and sid != origin_of[sid]:
            relayed[via].append(sid)
    order, stack = [], sorted((o for o in set(origin_of.values())), reverse=True)
    while stack:
        sid = stack.pop()
        order.append(sid)
        stack.extend(reversed(relayed[sid]))
    return order


def graph(data: Dataset, rows: list[SourceRow]) -> Chart:
    """Who relays whom and which facts cite them: sources by distance from their origin, lines to their relays."""
    y = {row.id: -n for n, row in enumerate(rows)}
    x = {row.id: row.depth for row in rows}
    right = max(x.values(), default=0) + 4  # room for the labels of the farthest relays, on a phone's width too
    kinds = [k for k in CITING_KINDS if any(dict(r.cited).get(k) for r in rows)]
    spread = max(len(rows) - 1, 1)
    kind_y = {k: -spread * (n + 0.5) / max(len(kinds), 1) for n, k in enumerate(kinds)}
    relays, cites = _lines(), _lines()
    for row in rows:
        via = data.sources[row.id].via
        if via in x:
            relays.add((x[via], y[via]), (x[row.id], y[row.id]))
        for kind, _ in row.cited:
            cites.add((x[row.id], y[row.id]), (right, kind_y[kind]))
    traces = [
        {"type": "scatter", "mode": "lines", "name": "relays (via)", "hoverinfo": "skip",
         "line": {"width": 2, "color": "#7f8c8d"}, **relays.xy()},
        {"type": "scatter", "mode": "lines", "name": "cited by", "hoverinfo": "skip",
         "line": {"width": 1, "dash": "dot", "color": "#b0b7bf"}, **cites.xy()},
    ]
    named = labels(data, [r.id for r in rows])
    for role, test, colour in (("channel", lambda r: r.depth == 0, "#c0392b"), ("relayed", lambda r: r.depth > 0, "#3366cc")):
        chosen = [r for r in rows if test(r)]
        if chosen:
            traces.append({"type": "scatter", "mode": "markers+text", "name": role, "textposition": "middle right",
                           "x": [x[r.id] for r in chosen], "y": [y[r.id] for r in chosen],
                           "text": [named[r.id] for r in chosen], "marker": {"size": 11, "color": colour},
                           "textfont": {"size": 11},
                           "hovertext": [_hover(data, r) for r in chosen], "hoverinfo": "text"})
    if kinds:
        counts = {k: sum(dict(r.cited).get(k, 0) for r in rows) for k in kinds}
        traces.append({"type": "scatter", "mode": "markers+text", "name": "facts", "textposition": "bottom center",
                       "x": [right] * len(kinds), "y": [kind_y[k] for k in kinds], "textfont": {"size": 11},
                       "text": [f"{k}\n{counts[k]} citations" for k in kinds], "hoverinfo": "text",
                       "marker": {"size": 13, "symbol": "square", "color": "#2e8b57"}})
    layout = {"height": max(320, ROW_HEIGHT * len(rows) + 80, KIND_HEIGHT * len(kinds) + 80), "showlegend": True,
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
              "xaxis": {"title": {"text": "relays to the channel read"}, "zeroline": False,
                        "range": [-0.5, right + 1], "tickvals": list(range(right - 3))},
              "yaxis": {"visible": False}, "margin": {"l": 20, "r": 20, "t": 40, "b": 50}}
    def title(source_id: str | None) -> str:
        return data.sources[source_id].title if source_id in data.sources else source_id or "—"

    table = tuple((title(r.id), data.sources[r.id].reliability, title(data.sources[r.id].via), title(r.origin), r.depth,
                   r.citing) for r in rows)  # readers see titles, never ids
    origins = sum(1 for r in rows if r.depth == 0)
    caption = (f"The source graph: {words.counted(len(rows), 'source')} read through "
               f"{words.counted(origins, 'channel')}. Each channel, the source the analyst read "
               "(red), is linked to the sources it relays (blue), further right the more hands a report passed through; "
               "dotted lines lead to the kinds of fact that cite each source.")
    figure = _figure(traces, layout)
    for trace in figure["data"]:  # a fact kind's label on two lines, the break put in once the text is escaped
        if trace["name"] == "facts":
            trace["text"] = [text.replace("\n", "<br>") for text in trace["text"]]
    return Chart("source-graph", "Source graph", figure, caption,
                 ("Source", "Reliability", "Reported via", "Channel", "Relays to channel", "Cited by"), table)


def _hover(data: Dataset, row: SourceRow) -> str:
    source = data.sources[row.id]
    return f"{source.title} ({source.reliability}); channel {row.origin}; cited by {row.citing}"


class _lines:
    """Line segments collected as one trace's x and y, separated by gaps."""

    def __init__(self):
        self.x: list = []
        self.y: list = []

    def add(self, start: tuple, end: tuple) -> None:
        self.x += [start[0], end[0], None]
        self.y += [start[1], end[1], None]

    def xy(self) -> dict:
        return {"x": self.x, "y": self.y}


@dataclass(frozen=True)
class Judgment:
    """One assessment's sourcing as pages show it: its independent lines, both ends of its chains, each route."""

    id: str
    originators: tuple[str, ...]  # the first NAMED_ORIGINS sources cited; `more` says how many are left unnamed
    more: str  # "and 12 more originators", or ""
    channels: tuple[str, ...]  # the first NAMED_ORIGINS channels read; `more_channels` counts the rest
    more_channels: str
    count: str  # "1 independent line"
    best: str  # the best chain's grade (each chain graded by its weakest link), or "—"
    reported: str
    newest: str
    routes: tuple[Route, ...]  # the first SHOWN_ROUTES evidence items; `more_routes` counts the rest
    more_routes: str


def judgments(data: Dataset, origin_of: dict[str, str], depth: dict[str, int]) -> dict[str, Judgment]:
    """Assessment id → its sourcing view, newest assessment first; long lists are cut to keep pages light."""
    out = {}
    every = sourcing.all_sourcing(data)
    for aid, a in data.assessments_newest_first():
        s = every[aid]
        shown = routes(data, a.evidence[:SHOWN_ROUTES], origin_of, depth)
        lines = len(s.lines)
        out[aid] = Judgment(aid, s.originators[:NAMED_ORIGINS],
                            present.more(len(s.originators) - NAMED_ORIGINS, "originator"),
                            s.channels[:NAMED_ORIGINS], present.more(len(s.channels) - NAMED_ORIGINS, "channel"),
                            f"{lines} independent line{'' if lines == 1 else 's'}", s.best_grade or "—",
                            present.reported(s), present.newest(s), tuple(shown),
                            present.more(len(a.evidence) - SHOWN_ROUTES, "evidence item"))
    return out


def shown_rows(data: Dataset, rows: list[SourceRow]) -> list[SourceRow]:
    """The sources the page can carry: all of them, or when there are too many the relay chains first, cut off."""
    if len(rows) <= MAX_SOURCE_ROWS:
        return rows
    relaying = {data.sources[r.id].via for r in rows}
    return [r for r in rows if r.depth or r.id in relaying][:MAX_SOURCE_ROWS]


CONTEXT_NAMES = ("sourcing", "judgment_rows", "judgments_left_out", "source_rows", "sources_left_out", "source_graph",
                 "findings", "findings_left_out")  # what context gives, named before it is worked out


def context(data: Dataset) -> dict:
    """What the Sourcing page and the assessment pages show."""
    origin_of = sourcing.roots(data)
    depth = _depths(data, origin_of)
    rows = source_rows(data, origin_of, depth)
    shown = shown_rows(data, rows)
    every = judgments(data, origin_of, depth)
    found = sourcing.findings(data, data.brief.stale_after)
    return {"sourcing": every, "judgment_rows": list(every.values())[:MAX_JUDGMENT_ROWS],
            "judgments_left_out": max(len(every) - MAX_JUDGMENT_ROWS, 0),
            "source_rows": shown, "sources_left_out": len(rows) - len(shown),
            "source_graph": graph(data, shown), "findings": found[:MAX_FINDINGS],
            "findings_left_out": max(len(found) - MAX_FINDINGS, 0)}


LABEL = 22  # characters of a source's title beside its node; the hover and the table give it whole


def label(data, source_id: str, limit: int = LABEL) -> str:
    """A source as its node is labelled: its title, cut after a word when long (readers see titles, never ids)."""
    title = " ".join(data.sources[source_id].title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0] or title[:limit]
    return cut.rstrip(",;:") + "…"


def labels(data, source_ids) -> dict[str, str]:
    """Each source's node label, cut later where two titles would otherwise read alike ('GeoNames entry for…' twice);
    titles that are the same in full keep the same label."""
    limit = dict.fromkeys(source_ids, LABEL)
    while True:
        shown = {sid: label(data, sid, limit[sid]) for sid in limit}
        alike: dict[str, list[str]] = {}
        for sid, text in shown.items():
            alike.setdefault(text, []).append(sid)
        longer = [sid for same in alike.values() if len(same) > 1 for sid in same
                  if label(data, sid, limit[sid] + LABEL) != shown[sid]]
        if not longer:
            return shown
        for sid in longer:
            limit[sid] += LABEL // 2
