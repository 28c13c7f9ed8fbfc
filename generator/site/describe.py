"""Each page's meta description: one sentence from the facts the page shows, for search engines and link previews.

The theme writes a page's `description` front matter into <meta name="description"> without escaping it, so the
text goes into the front matter HTML-escaped, as page titles do. A description the page already states in its
front matter (a template's or a hand-written page's own) is kept.
"""
from __future__ import annotations

import html
import re

from generator.errors import plural
from generator.site import present
from generator.site.render import page_title

LONGEST = 200  # characters: search engines show about 150-160; the rest is cut at a word with an ellipsis
LISTED = 3  # names listed before "and N more"


def described(markdown: str, text: str | None) -> str:
    """The page's Markdown with text as its front matter's description, unless it has one (or text is empty)."""
    if not text:
        return markdown
    line = f"description: {page_title(_shortened(text))}\n"
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end != -1:
            head = markdown[4:end + 1]
            if re.search(r"^description\s*:", head, re.M):
                return markdown
            return f"---\n{head}{line}{markdown[end + 1:]}"
    return f"---\n{line}---\n\n{markdown}"


def description(template: str, context: dict, markdown: str = "") -> str | None:
    """The description of a generated page (by its template), else the first paragraph of its text."""
    rule = RULES.get(template)
    return rule(context) if rule else first_paragraph(markdown)


def first_paragraph(markdown: str) -> str | None:
    """The first paragraph of prose after the front matter and the title, as plain text."""
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or re.match(r"(#|\||<|\{|!|>|-\s|\*\s|\d+\.\s|```|~~~|\[TOC\])", block):
            continue
        plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)  # links and images: their words
        plain = re.sub(r"<[^>]+>", "", plain)
        plain = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", plain)
        plain = " ".join(html.unescape(plain).split())
        if plain:
            return plain
    return None


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LONGEST:
        return text
    return text[:LONGEST - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _listed(names: list[str], more: str) -> str:
    """'A, B and C', or 'A, B, C and 4 more <more>' (a plural noun) when the list is long."""
    names = list(dict.fromkeys(names))
    if not names:
        return ""
    if len(names) <= LISTED + 1:
        return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return ", ".join(names[:LISTED]) + f" and {len(names) - LISTED} more {more}"


def _part(part) -> str:
    return f" (part {part.number} of {part.of})" if part.of > 1 else ""


def _times(word: str, noun: str) -> str:
    """'at least 5 flights', '1 base' from the headline figures' words."""
    return f"{word} {noun}{'' if word == '1' else 's'}"


def _overview(c: dict) -> str:
    brief, f = c["brief"], c["figures"]
    lead = brief.subtitle or brief.title
    return (f"{lead}: {_times(f['flights'], 'flight')}, {_times(f['bases'], 'base')}, "
            f"{_times(f['assessments'], 'assessment')} from {_times(f['sources'], 'source')}. "
            f"Edition {brief.edition.isoformat()}, {brief.tlp}.")


def _bases_index(c: dict) -> str:
    by_country = c["by_country"]
    total = sum(len(bases) for bases in by_country.values())
    if not total:
        return "The bases the brief follows: none yet."
    part = c.get("part")
    if part is not None and part.of > 1:  # the list over several pages: this page's bases
        return (f"The bases the brief follows{_part(part)}: {plural(total, 'base')} by country: "
                + _listed([f"{country} ({len(bases)})" for country, bases in by_country.items()], "countries") + ".")
    return (f"The {plural(total, 'base')} the brief follows, by country: "
            + _listed([f"{country} ({len(bases)})" for country, bases in by_country.items()], "countries") + ".")


def _base(c: dict) -> str:
    base, now = c["base"], c["base"].current()
    text = f"{base.name}, {base.kind} in {present.country(base.country)}"
    if base.operator:
        text += f", used by {base.operator}"
    if now:
        text += f": {now.status}" + (f" as last observed {present.when(now.date)}" if now.date.known else "")
    return text + f"; {plural(c['flight_total'], 'flight record')}."


def _flights_index(c: dict) -> str:
    log = c["log"]
    records = sum(len(part.items) for part in log)
    months = list(dict.fromkeys(part.name for part in log))
    if not months:
        return "The flight log: no flights recorded yet."
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    return (f"The flight log: {c['figures']['flights']} flights in {plural(records, 'record')}, "
            f"a page per month from {span}, with the route map and the flights per day.")


def _flight_log(c: dict) -> str:
    flights, part = c["flights"], c["part"]
    routes = _listed([c["route"](flight) for _, flight in flights], "routes")
    return f"Flight log of {part.name}{_part(part)}: {plural(len(flights), 'record')}" + (
        f"; routes {routes}." if routes else ".")


def _assessments(c: dict) -> str:
    part = c["part"]
    counts = [plural(len(found), f"{title.lower()} judgment") for title, found in c["groups"]]
    titles = _listed([a.title for _, a in part.items], "judgments")
    if not part.items:
        return "The brief's assessments: none yet."
    return (f"The brief's assessments{_part(part)}, with likelihood, confidence and evidence: {', '.join(counts)}. "
            f"{titles}.")


def _timeline(c: dict) -> str:
    rows, months = c["rows"], c["months"]  # its own rows, or its months when they are listed a month a page
    if not rows and not months:
        return "The brief's timeline: no dated facts yet."
    total = len(rows) or sum(count for _, _, count in months)
    span = (f"from {present.when(rows[0].when)} to {present.when(rows[-1].when)}" if rows else
            f"over {plural(len(months), 'month')}, {months[0][0]} to {months[-1][0]}")
    return f"Every dated fact of the brief, oldest first: {total} {'entry' if total == 1 else 'entries'} {span}."


def _timeline_month(c: dict) -> str:
    total, part = c.get("total", len(c["rows"])), c.get("part")
    where = f", part {part.number} of {part.of} ({len(c['rows'])} of them)" if part and part.of > 1 else ""
    return f"The brief's dated facts of {c['month']}: {total} timeline {'entry' if total == 1 else 'entries'}{where}."


def _routes(c: dict) -> str:
    part = c["part"]
    return (f"Every route in the flight log{_part(part)}: {plural(len(part.items), 'route')}, "
            + _listed([route for route, _, _ in part.items], "routes") + ".") if part.items else (
        "Every route in the flight log: none yet.")


def _sources(c: dict) -> str:
    part = c["part"]
    if not part.items:
        return "The sources the brief cites: none yet."
    return (f"The sources the brief cites{_part(part)}, with publisher, reliability and what cites them: "
            + _listed([s.title for _, s in part.items], "sources") + ".")


def _sourcing(c: dict) -> str:
    judged = c["sourcing"]
    part = c.get("part")
    return (f"How many independent origins stand behind each of the brief's {plural(len(judged), 'judgment')}"
            f"{_part(part) if part is not None else ''}, "
            f"with the source graph and {plural(len(c['findings']) + c['findings_left_out'], 'tradecraft finding')}.")


def _changes(c: dict) -> str:
    if c["unreadable"]:
        return f"What changed since the previous edition ({c['previous']}): that edition cannot be read."
    if not c["report"]:
        return "What changed since the previous edition: no previous edition is set."
    return f"What changed in the facts since the previous edition ({c['previous']})."


def _data(c: dict) -> str:
    exports = c["exports"]
    return (f"The brief's facts as {plural(len(exports), 'file')} for other tools, written from the same facts as "
            f"the pages: " + _listed([e.path.rsplit('/', 1)[-1] for e in exports], "files")
            + f". Marked {c['brief'].tlp}.")


RULES = {"overview.md.j2": _overview, "bases_index.md.j2": _bases_index, "base.md.j2": _base,
         "flights_index.md.j2": _flights_index, "flight_log.md.j2": _flight_log, "assessments.md.j2": _assessments,
         "timeline.md.j2": _timeline, "timeline_month.md.j2": _timeline_month, "routes.md.j2": _routes,
         "sources.md.j2": _sources, "sourcing.md.j2": _sourcing, "changes.md.j2": _changes, "data.md.j2": _data}
