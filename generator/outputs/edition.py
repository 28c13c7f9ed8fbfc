"""The distribution edition: the brief a reader is handed, a few A4 pages made from a Dataset.

It is rendered straight from the validated facts into one print document (never from the built
site) and summarises instead of listing: the key judgments in the brief's ranking (generator/facts/ranking.py),
the busiest routes and bases, counts, the changes that matter most, and the sources the printed judgments rest on.
Its size therefore does not grow with the facts; pages it leaves spare carry more key judgments, then the brief's
other current judgments, as many as fit.
view() and document() are pure; print_edition() is the one impure edge.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import words
from generator.facts import counting, markings, ranking, sourcing
from generator.facts.dataset import Dataset
from generator.facts.models import CONFIDENCES, KINDS, STATUSES, Assessment, Count
from generator.outputs import pdf
from generator.site import analytic, charts, figures, present, routemap, whatchanged

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def full_record(site_url: str | None = None, full: bool = False) -> str:
    """Where a reader of paper finds the full record: the published address when this edition is the one published
    there, and the complete reference PDF when it was printed too; empty when neither, so paper points nowhere."""
    found = [f"the brief's site, {site_url}"] if site_url else []
    found += [f"the complete reference, {pdf.FULL_NAME}"] if full else []
    return " and ".join(found)
KEY_JUDGMENTS = ranking.PAGE_ONE  # the brief's own current judgments printed on page 1, in the brief's ranking
MORE_JUDGMENTS = 60  # further judgments (key ones first) offered to the pages left spare; printing keeps as many as fit
MAX_PAGES = 6
IMPLICATIONS = 4  # page 1's implications, in the order written
WATCH = 5  # page 1's What to watch: met first, then possibly met, then not met
GAPS = 4  # intelligence gaps printed after What to watch
OUTSIDE_VIEWS = 4
CHANGES = 8
ALERTS = 4
TOP = 8  # routes and bases in each summary table
SOURCES = 8  # rows of the sources table: about a third of a page
MAP_LABELS = 12  # beyond this many mapped bases, names are in the table, not on the map
MAP_ROUTES = 40  # the busiest routes drawn on the printed map
CHART_ROUTES = 5  # routes with their own series in the printed flights chart
CHART_LANES = 4  # range-dated flights (or ranges) with their own lane in the printed flights chart
TLP_ASKS = {
    "TLP:CLEAR": "Recipients may share it without limit, subject to copyright.",
    "TLP:GREEN": "Recipients may share it within their community, but not publicly.",
    "TLP:AMBER": "Recipients may share it within their organisation and with its clients, on a need-to-know basis only.",
    "TLP:AMBER+STRICT": "Recipients may share it within their own organisation only, on a need-to-know basis.",
    "TLP:RED": "For the named recipients only: do not share it further.",
}
# Black-and-white readable styles: a marker symbol per base status, a line style and marker per route.
STATUS_SYMBOLS = {
    "active": "circle", "expanding": "triangle-up", "drawing down": "triangle-down", "evacuating": "x",
    "uncertain": "diamond", "inactive": "square-open", "unknown": "circle-open",
}
BAR_STYLES = [("#4d4d4d", ""), ("#ffffff", "/"), ("#bdbdbd", ""), ("#ffffff", "x"), ("#ffffff", "."),
              ("#8c8c8c", "")]
LINE_STYLES = [("solid", "circle"), ("dash", "square-open"), ("dot", "triangle-up"), ("dashdot", "x"),
               ("longdash", "diamond-open"), ("solid", "circle-open")]


@dataclass(frozen=True)
class Context:
    """What the edition prints beside the facts: its marking, the data revision and the changes."""

    marking: str
    revision: str = "not under version control"
    revision_date: str = ""
    previous: str | None = None  # the previous edition compared with, if any
    changes: object | None = None  # a diff.Report, or None when no previous edition is known
    full_record: str = ""  # where the full record is, or nothing to point to
    made_with: str = ""  # the intelbrief version and commit that printed it


# ---------------------------------------------------------------- what the edition says


def view(data: Dataset, context: Context) -> dict:
    """Everything the edition prints, as plain values for the template."""
    report = context.changes
    moved = ranking.shifts(report.before, report.after) if report is not None else {}
    ranked = present.judgment_order([(aid, a) for aid, a in data.assessments.items() if a.status == "current"], moved)
    own = [a for _, a in present.key_judgments(ranked)]
    keyed = any(a.key for a in own)
    own_total = sum(1 for _, a in ranked if a.by_brief)
    more = own[KEY_JUDGMENTS:KEY_JUDGMENTS + MORE_JUDGMENTS]
    others = [a for _, a in ranked if a.by_brief and not a.key] if keyed else []  # offered once the key ones are all in
    spare = MORE_JUDGMENTS - len(more)
    outside = [a for _, a in ranked if not a.by_brief]
    printed = own[:KEY_JUDGMENTS] + outside[:OUTSIDE_VIEWS]
    headline = figures.headline(data)
    origin_of, grade_of = sourcing.roots(data), sourcing.weakest(data)
    portions = present.portions_shown(data)
    shown = lambda a: judgment(data, a, origin_of, grade_of, moved, portions)  # noqa: E731
    return {
        "brief": data.brief, "context": context, "asks": TLP_ASKS.get(context.marking, ""),
        "judgments": [shown(a) for a in own[:KEY_JUDGMENTS]], "judgments_total": len(own),
        "more_judgments": [shown(a) for a in more], "other_judgments": [shown(a) for a in others[:spare]],
        "others_total": len(others),
        "keyed": keyed, "all_shown": all_shown(len(own), keyed), "bases_moved": bases_moved(data, report),
        "outside": [shown(a) for a in outside[:OUTSIDE_VIEWS]], "outside_total": len(outside),
        "unstated": unstated(outside[:OUTSIDE_VIEWS]), "cutoff": present.day(headline["cutoff"]),
        "figures": key_figures(data, headline, own_total, len(outside)),
        "routes": top_routes(data), "bases": busiest_bases(data), "headline": headline,
        "changes": changes(context, {a.id for a in own}),
        "sources": sources_behind(data, printed, origin_of, grade_of, portions),
        "charts": [c for c in (route_map(data), flights_chart(data)) if c],
        "line": analytic_line(data), "portions": portions,
    }


def analytic_line(data: Dataset) -> dict:
    """Page 1 after the key judgments: implications, outlook, what to watch, sourcing; then the gaps, all capped."""
    items = analytic.watched(data)
    brief = data.brief
    return {"bottom_line": " ".join((brief.bottom_line or brief.summary or "").split()),
            "implications": [" ".join(i.text.split()) for i in brief.implications[:IMPLICATIONS]],
            "implications_more": max(0, len(brief.implications) - IMPLICATIONS),
            "outlook": analytic.outlook(data), "watch": items[:WATCH], "watch_total": len(items),
            "watch_counts": analytic.counts(items), "sourcing": analytic.sourcing_line(data),
            "gaps": brief.gaps[:GAPS], "gaps_more": max(0, len(brief.gaps) - GAPS), "scope": analytic.scope(data)}


def judgment(data: Dataset, a: Assessment, origin_of: dict[str, str], grade_of: dict[str, str] | None = None,
             moved: dict[str, ranking.Shift] | None = None, portions: bool = True) -> dict:
    """One judgment with its likelihood (term and range), confidence, independent lines and how it moved, in words;
    'grade' names only what the judgment states."""
    behind = sourcing.sourcing(data, a, origin_of, grade_of)
    stated = [f"likelihood: {present.likelihood(a)}" if a.likelihood else "",
              f"confidence: {a.confidence}" if a.confidence else ""]
    return {"id": a.id, "mark": present.portion(markings.of(data, "assessments", a.id)) if portions else "",
            "grade": "; ".join(x for x in stated if x),
            "title": " ".join(a.title.split()), "text": " ".join(a.judgment.split()),
            "date": present.when(a.date), "likelihood": present.likelihood(a), "confidence": present.confidence(a),
            "origins": present.lines(behind), "sources": len(a.sources),
            "moved": present.shift((moved or {}).get(a.id)),
            "who": None if a.by_brief else present.attribution(a).removeprefix("View of ")}


def all_shown(total: int, keyed: bool) -> str:
    """'Both key judgments are shown.', 'All 4 of the brief's current judgments are shown.'"""
    what = "key judgment" if keyed else "current judgment of the brief's own"
    if total == 1:
        return f"The one {what} is shown."
    what = "key judgments" if keyed else "of the brief's current judgments"
    return f"{'Both' if total == 2 else 'All ' + words.number(total)} {what} are shown."


def unstated(views: list[Assessment]) -> str:
    """One line for the outside views that state no likelihood or confidence, instead of 'not stated' on each."""
    bare = sum(1 for a in views if not a.likelihood and not a.confidence)
    if not bare:
        return ""
    if bare == len(views):
        return "None of these views states a likelihood or a confidence."
    return f"{words.number(bare)} of these views {words.form('states', bare)} no likelihood or confidence."


def key_figures(data: Dataset, headline: dict, own: int, outside: int) -> list[tuple[str, str]]:
    """The headline numbers as (what, value) rows; a count a release may have cut says "at least"; the flights'
    parts add up to their total, every basis named."""
    found = present.headline(headline)
    statuses = ", ".join(f"{words.number(n)} {s}" for s, n in sorted(headline["bases_by_status"].items(),
                                                                      key=lambda kv: STATUSES.index(kv[0])))
    records = headline["flight_records"]
    records = words.counted(records.number, "flight record", records.lower_bound) if isinstance(records, Count) \
        else words.counted(records, "flight record")
    rows = [
        ("Flights", f"{found['flights']}" + (f" ({found['by_basis']})" if found["by_basis"] else "") + f" in {records}"),
        ("When", present.capitalize_first(found["flight_dates"])),
        ("Bases followed", f"{found['bases']}" + (f": {statuses}" if statuses else "")),
        ("Current judgments", f"{found['current_assessments']} of {found['assessments']}: {words.number(own)} of the "
                              f"brief's own and {words.counted(outside, 'outside view')} in this edition"),
        ("Sources", f"{found['sources']}, graded for reliability"),
        ("Context events", str(found["events"])),
    ]
    if own:
        by_confidence = Counter(a.confidence for a in data.assessments.values() if a.status == "current" and a.by_brief)
        rows.append(("Confidence of own judgments", ", ".join(f"{words.number(by_confidence[c])} {c}" for c in CONFIDENCES)))
    return rows


def top_routes(data: Dataset) -> dict:
    """The busiest routes (the one ranking of routes), each with its flights and its groups' members inside it."""
    ranked = counting.routes(data)
    rows = [(f"{present.endpoint(r.origin, data.bases)} → {present.endpoint(r.destination, data.bases)}",
             present.route_count(r, data.bases)) for r in ranked[:TOP]]
    return {"rows": rows, "shown": words.number(len(rows)), "total": words.counted(len(ranked), "route"),
            "records": words.counted(len(data.flights), "flight record")}


def busiest_bases(data: Dataset) -> dict:
    """The bases with the most flights from or to them (counted as flights, not records), with their latest
    status; a base no flight names says how many name only its country."""
    ranked = counting.bases(data)
    rows = []
    for found in ranked[:TOP]:
        base = data.bases[found.id]
        current = base.current()
        flights = present.base_flights(base, found.tally, found.country_only)
        rows.append((base.name, present.country(base.country), current.status if current else "unknown", flights))
    return {"rows": rows, "shown": words.number(len(rows)), "total": words.counted(len(ranked), "base")}


def bases_moved(data: Dataset, report) -> str:
    """One line for page 1 when any of the busiest bases (the one ranking of bases) changed status since the previous
    edition, else ''."""
    old = report.before if report is not None else None
    if old is None:
        return ""
    busiest = [(found.id, data.bases[found.id]) for found in counting.bases(data)[:TOP]]
    moved: dict[str, list[str]] = {}
    for base_id, base in busiest:
        now, then = base.current(), old.bases[base_id].current() if base_id in old.bases else None
        if (now and now.status) != (then and then.status):
            moved.setdefault(now.status if now else "without a status", []).append(base.name)
    if not moved:
        return ""
    since = f"since {words.day(old.brief.edition)}"
    now = Counter(base.current().status if base.current() else "unknown" for _, base in busiest)
    if len(moved) == 1:
        status, names = next(iter(moved.items()))
        if now[status] == len(names):
            return f"{_of(len(names), len(busiest), status)} {since}: {_and(names)}."
        return f"{_of(now[status], len(busiest), status)}, {words.number(len(names))} of them {since} ({_and(names)})."
    parts = [f"{_and(names)} now {status} ({words.number(now[status])} of the {words.number(len(busiest))} "
             f"{'is' if now[status] == 1 else 'are'})"
             for status, names in sorted(moved.items(), key=lambda kv: STATUSES.index(kv[0]) if kv[0] in STATUSES else 99)]
    return f"Status changes among the {words.number(len(busiest))} busiest bases {since}: {'; '.join(parts)}."


def _of(number: int, of: int, status: str) -> str:
    """'3 of the 8 busiest bases are evacuating'."""
    return f"{words.number(number)} of the {words.number(of)} busiest bases {'is' if number == 1 else 'are'} {status}"


def changes(context: Context, key_ids: set[str]) -> dict:
    """What changed since the previous edition, most consequential first, in words, capped, with how many are left
    out (generator/site/whatchanged.py, as on the What changed page)."""
    report = context.changes
    if report is None:
        return {"known": False, "previous": context.previous, "rows": [], "more": 0}
    found = whatchanged.records(report, key_ids)
    return {"known": True, "previous": context.previous, "rows": [c.text for c in found[:CHANGES]],
            "total": len(found), "more": max(0, len(found) - CHANGES),
            "shown_text": f"{words.number(min(CHANGES, len(found)))} most consequential of "
                          f"{words.counted(len(found), 'change')}",
            "all_text": words.counted(len(found), "change")}


def sources_behind(data: Dataset, printed: list[Assessment], origin_of: dict[str, str], grade_of: dict[str, str],
                   portions: bool = True) -> dict:
    """The sources the printed judgments rest on: both ends of every chain behind their evidence, and where each
    judgment is written down; those most printed judgments rest on first, capped to a share of a page."""
    weight: Counter = Counter()
    for a in printed:
        behind = sourcing.sourcing(data, a, origin_of, grade_of)
        ends = {sid for c in behind.chains for sid in (c.originator, c.channel)} | {s for s in a.sources if s in data.sources}
        weight.update(ends)
    wanted = sorted(weight, key=lambda sid: (-weight[sid], sourcing.GRADES.index(data.sources[sid].reliability), sid))
    rows = [source_row(data, source_id, portions) for source_id in wanted[:SOURCES]]
    return {"rows": rows, "total": len(wanted), "more": max(0, len(wanted) - SOURCES),
            "total_text": words.counted(len(wanted), "source")}


def source_row(data: Dataset, source_id: str, portions: bool = True) -> dict:
    source = data.sources[source_id]
    relays = [data.sources[s] for s in sourcing.chain(data, source_id)[1:]]
    return {"mark": present.portion(markings.of(data, "sources", source_id)) if portions else "",
            "title": " ".join(source.title.split()), "publisher": source.publisher, "kind": source.kind,
            "grade": present.reliability(source.reliability), "url": source.url,
            "via": " → ".join(" ".join(r.title.split()) for r in relays)}


# ---------------------------------------------------------------- charts for A4, in black and white


def route_map(data: Dataset) -> charts.Chart | None:
    """The route map restyled for print: marker symbols per status, dark routes, no colour needed."""
    chart = routemap.route_map(data, chart_id="edition-map", max_routes=MAP_ROUTES)
    if not any(t["lat"] for t in chart.figure["data"]):
        return None
    traces = []
    for trace in chart.figure["data"]:
        trace = dict(trace)
        if trace["name"].startswith("Base: "):
            status = trace["name"][len("Base: "):]
            trace["marker"] = {"size": 10, "symbol": STATUS_SYMBOLS[status], "color": "#000000",
                               "line": {"width": 1.5, "color": "#000000"}}
        elif trace["name"] == "airfield or place":
            trace["marker"] = {**trace["marker"], "color": "#000000", "symbol": "square-open", "line": {"width": 2}}
        elif trace["name"] == "country known, place within it not":
            trace.update(fillcolor="rgba(0,0,0,0.12)", line={"width": 0.8, "color": "#000000"})
        elif trace["name"] == "direction":
            trace["marker"] = {**trace["marker"], "color": "#000000"}
        elif trace["name"] == "Incident":
            trace["marker"] = {**trace["marker"], "color": "#000000", "line": {"width": 0}}
        elif trace.get("line"):
            trace["line"] = {**trace["line"], "color": "#262626"}
            if trace["name"] == "tracks":
                trace["line"]["dash"] = "dash"
        traces.append(trace)
    layout = {**chart.figure["layout"], "height": 380, "width": 680,
              "legend": {"orientation": "h", "y": 0, "yanchor": "top", "font": {"size": 10}},
              "geo": {**chart.figure["layout"]["geo"], "landcolor": "#eeeeee", "oceancolor": "#ffffff",
                      "countrycolor": "#9a9a9a", "coastlinecolor": "#6e6e6e", "bgcolor": "#ffffff"}}
    caption = chart.caption.replace("coloured by their latest observed status", "by their latest status (one marker "
                                    "shape per status)").replace("named places as squares", "named places as open squares")
    return charts.Chart(chart.id, "Route map", {"data": traces, "layout": layout}, caption, chart.columns, (), geo=True)


def flights_chart(data: Dataset) -> charts.Chart | None:
    """The site's flights chart restyled for black and white: grey bars with a pattern per route, a line style per
    route, outlined intervals; the same marks and the same caption as on the site."""
    chart = charts.flights_per_day(data, chart_id="edition-flights", max_routes=CHART_ROUTES, max_lanes=CHART_LANES)
    if not chart.figure["data"]:
        return None
    traces = []
    bars = lines = 0
    for trace in chart.figure["data"]:
        trace = dict(trace)
        if trace["type"] == "bar" and trace.get("orientation") == "h":
            trace["marker"] = {"color": "#dddddd", "line": {"color": "#000000", "width": 1.2}}
        elif trace["type"] == "bar":
            grey, pattern = BAR_STYLES[bars % len(BAR_STYLES)]
            trace["marker"] = {"color": grey, "line": {"color": "#000000", "width": 0.6},
                               "pattern": {"shape": pattern, "fgcolor": "#000000", "size": 6, "solidity": 0.25}}
            bars += 1
        else:
            dash, symbol = LINE_STYLES[lines % len(LINE_STYLES)]
            trace.update(mode="lines+markers", line={"color": "#000000", "width": 1.3, "dash": dash},
                         marker={"symbol": symbol, "size": 5, "color": "#000000"})
            lines += 1
        traces.append(trace)
    source = chart.figure["layout"]
    axes = {key: {**value, "gridcolor": "#dddddd", "linecolor": "#000000"} for key, value in source.items()
            if key.startswith(("xaxis", "yaxis"))}
    layout = {**source, **axes, "width": 680, "legend": {**source["legend"], "font": {"size": 9}},
              "shapes": [{**shape, "line": {**shape["line"], "color": "#000000"}} for shape in source["shapes"]]}
    return charts.Chart(chart.id, "Flights over time", {"data": traces, "layout": layout}, chart.caption, chart.columns, ())


# ---------------------------------------------------------------- the print document


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS / "pdf")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["figure_json"] = charts.figure_json
    env.filters.update(day=present.day, capitalize_first=present.capitalize_first)
    return env


def document(data: Dataset, context: Context, page_css: str) -> str:
    """The edition as one self-contained print HTML document (assets beside it)."""
    return _environment().get_template("edition.html.j2").render(**view(data, context), page_css=page_css)


def assets() -> dict[str, bytes]:
    """The files the print document loads, by the name it uses."""
    fonts = ASSETS / "vendor" / "fonts"
    return {"edition.css": (ASSETS / "pdf" / "edition.css").read_bytes(),
            "edition.js": (ASSETS / "pdf" / "edition.js").read_bytes(),
            "plotly.min.js": charts.plotly_js().read_bytes(), "world_110m.js": charts.world_map_js(),
            "maplabels.js": (ASSETS / "brief" / "brief-maplabels.js").read_bytes(),
            **{f"fonts/{p.name}": p.read_bytes() for p in sorted(fonts.iterdir()) if p.suffix == ".woff2"}}


def print_edition(data: Dataset, context: Context, output: Path, epoch: int) -> Path:
    """Print the distribution edition of data to output with the system Chromium."""
    with tempfile.TemporaryDirectory(prefix="brief-edition-") as folder:
        root = Path(folder)
        for name, body in assets().items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(body)
        page = root / "edition.html"
        page.write_text(document(data, context, pdf.page_css(context.marking)), encoding="utf-8")
        return pdf.print_document(page, output, title=data.brief.title, marking=context.marking, epoch=epoch,
                                  max_pages=MAX_PAGES)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
