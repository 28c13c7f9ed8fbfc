"""A chart's first drawing: an SVG made at build time from the same Plotly figure the page embeds.

A page shows this drawing until its reader asks for the interactive chart (brief-charts.js then loads plotly.js and
draws the figure in the same box), so a phone draws a chart without evaluating 1.4 MB of script. The drawing reads
the figure's own traces, axes, annotations and shapes (the figures charts.py makes: bars, stacked or lying along a
time axis, lines and markers on number or category axes), in the figure's height, so nothing moves when the
interactive chart replaces it. Two drawings are made, one for a phone's width and one for a desktop's, and the
stylesheet shows the one that fits. Text is measured with the advance widths of the site's own font (IBM Plex Sans,
shipped with the site), so labels are wrapped and spaced without the reader's fonts; every label is escaped as
XML text. Colours of text and grid follow the theme's light or dark scheme through CSS; traces keep their colours.
Same figure, same bytes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

WIDE, NARROW = 720, 343  # a desktop's content column (688-750 px measured) and a phone's (343 px at 375 px)

# Advance widths of IBM Plex Sans Regular, in thousandths of an em (measured from the shipped font file); a character
# not listed is taken as wide as the widest Latin letters, so an estimate errs towards more room.
ADVANCE = {
    " ": 236, "!": 284, '"': 419, "#": 713, "$": 598, "%": 927, "&": 694, "'": 242, "(": 335, ")": 335, "*": 450,
    "+": 600, ",": 272, "-": 399, ".": 272, "/": 383, ":": 292, ";": 292, "<": 600, "=": 600, ">": 600, "?": 477,
    "@": 891, "A": 641, "B": 653, "C": 621, "D": 671, "E": 583, "F": 559, "G": 695, "H": 707, "I": 400, "J": 510,
    "K": 634, "L": 501, "M": 812, "N": 707, "O": 708, "P": 606, "Q": 708, "R": 640, "S": 581, "T": 572, "U": 678,
    "V": 609, "W": 891, "X": 613, "Y": 593, "Z": 580, "[": 317, "\\": 383, "]": 317, "^": 600, "_": 565, "`": 600,
    "a": 534, "b": 580, "c": 503, "d": 580, "e": 549, "f": 324, "g": 528, "h": 568, "i": 250, "j": 250, "k": 527,
    "l": 272, "m": 873, "n": 568, "o": 560, "p": 580, "q": 580, "r": 367, "s": 487, "t": 351, "u": 568, "v": 492,
    "w": 768, "x": 507, "y": 499, "z": 464, "{": 343, "|": 314, "}": 343, "~": 600, "→": 820, "–": 588, "—": 780,
    "’": 273, "‘": 273, "“": 475, "”": 474, "…": 803, "·": 326, "°": 468, "×": 600, **dict.fromkeys("0123456789", 600),
}
WIDE_GLYPH = 900  # an unlisted character (an accented letter, a script other than Latin): room for a wide one
LINE = 1.3  # line height, in font sizes
TICK_FONT, TITLE_FONT, LEGEND_FONT = 13, 13, 12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_MS = 86_400_000
EPOCH = datetime(1970, 1, 1)


def drawable(figure: dict) -> bool:
    """Whether this module draws the figure: bars, lines and markers on number, date or category axes. A figure with
    text beside its markers, hidden axes or ticks at chosen values (the source graph) or a map is left to plotly.js."""
    layout = figure.get("layout", {})
    axes = [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))]
    return bool(layout.get("height")) and not any(
        "text" in t.get("mode", "") or t.get("type") not in ("bar", "scatter") for t in figure.get("data", [])) and not any(
        a.get("visible") is False or "tickvals" in a for a in axes)


@lru_cache(maxsize=1 << 14)  # labels are measured again and again as places are tried for them
def text_width(text: str, size: float) -> float:
    """How wide text is set in IBM Plex Sans at size px (an estimate that errs wide for characters not listed)."""
    return sum(ADVANCE.get(ch, WIDE_GLYPH) for ch in text) * size / 1000


def wrap(text: str, size: float, width: float) -> list[str]:
    """text broken between words into lines no wider than width (a word wider than that stands on its own line)."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines or [""]


def plain(label) -> str:
    """A figure's label as the reader reads it: Plotly's escapes (charts._labels) undone, its line breaks as spaces."""
    text = str(label).replace("<br>", " ")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def lines_of(label) -> list[str]:
    """A figure's label line by line, as Plotly breaks it."""
    return [plain(part) for part in str(label).split("<br>")]


def xml(text: str) -> str:
    """Text for an SVG text node or attribute: fact text shows literally and can open no element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def num(value: float) -> str:
    """A coordinate, rounded to a tenth of a pixel (same figure, same bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else ("0" if text == "-0" else text)


def ms(value) -> float:
    """A Plotly date ("2024-12-14", "2024-12-14 12:00") as milliseconds since 1970, UTC; a number as it is."""
    if isinstance(value, (int, float)):
        return float(value)
    moment = datetime.fromisoformat(str(value).replace("Z", ""))
    return (moment.replace(tzinfo=None) - EPOCH) / timedelta(milliseconds=1)


def moment(value: float) -> datetime:
    return EPOCH + timedelta(milliseconds=value)


@dataclass
class Box:
    """A piece of text as drawn: its lines, where it is and how big; kept so no two labels can meet."""

    x: float
    y: float
    lines: list[str]
    size: float
    anchor: str = "start"  # start, middle, end
    cls: str = "t"

    @cached_property
    def width(self) -> float:  # a box's lines and size are set when it is made; only its place may move
        return max((text_width(line, self.size) for line in self.lines), default=0)

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE

    def bounds(self) -> tuple[float, float, float, float]:
        """left, top, right, bottom; y is the top of the first line."""
        left = self.x - {"start": 0, "middle": self.width / 2, "end": self.width}[self.anchor]
        return left, self.y, left + self.width, self.y + self.height

    def svg(self) -> str:
        anchor = "" if self.anchor == "start" else f' text-anchor="{self.anchor}"'
        first = self.y + self.size * (LINE - 1) / 2 + self.size * 0.8  # baseline of the first line
        if len(self.lines) == 1:
            return (f'<text class="{self.cls}" x="{num(self.x)}" y="{num(first)}" font-size="{num(self.size)}"'
                    f"{anchor}>{xml(self.lines[0])}</text>")
        spans = "".join(f'<tspan x="{num(self.x)}" y="{num(first + i * self.size * LINE)}">{xml(line)}</tspan>'
                        for i, line in enumerate(self.lines))
        return f'<text class="{self.cls}" font-size="{num(self.size)}"{anchor}>{spans}</text>'


def meet(a: Box, b: Box, slack: float = 0.5) -> bool:
    """Whether the text of two boxes would meet."""
    (al, at, ar, ab), (bl, bt, br, bb) = a.bounds(), b.bounds()
    return al < br - slack and bl < ar - slack and at < bb - slack and bt < ab - slack


def overlaps(boxes: list[Box], slack: float = 0.5) -> list[tuple[str, str]]:
    """Each pair of boxes whose text would meet, by their first lines."""
    return [(a.lines[0], b.lines[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if meet(a, b, slack)]


# ---------------------------------------------------------------- axes


@dataclass
class Axis:
    """One axis of the figure: its kind, its pixel span and the value range it shows."""

    name: str
    spec: dict
    kind: str = "linear"  # linear, date, category
    categories: list = field(default_factory=list)
    low: float = 0.0
    high: float = 1.0
    start: float = 0.0  # pixels where low is drawn
    end: float = 1.0  # pixels where high is drawn

    def at(self, value) -> float:
        if self.kind == "category":
            value = self.categories.index(value)
        elif self.kind == "date":
            value = ms(value)
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (float(value) - self.low) * (self.end - self.start) / (self.high - self.low)

    def length(self, amount: float) -> float:
        """A length along the axis (a bar's width) in pixels."""
        return abs(amount * (self.end - self.start) / (self.high - self.low)) if self.high != self.low else 0


def _axes(figure: dict) -> tuple[dict[str, Axis], dict[str, Axis]]:
    layout, data = figure["layout"], figure["data"]
    xs = {"x": Axis("x", layout.get("xaxis", {}))}
    ys = {}
    for key in sorted(layout):
        if key.startswith("yaxis"):
            name = "y" + key[5:]
            ys[name] = Axis(name, layout[key])
    for trace in data:
        name = trace.get("yaxis", "y")
        ys.setdefault(name, Axis(name, layout.get("yaxis" + name[1:], {})))
    for axis, letter in [(a, "x") for a in xs.values()] + [(a, "y") for a in ys.values()]:
        values = [v for t in data if t.get(letter + "axis", letter) == axis.name for v in _values(t, letter)]
        stated = axis.spec.get("type")
        if stated == "category" or (stated is None and any(isinstance(v, str) and not _is_date(v) for v in values)):
            axis.kind = "category"
            axis.categories = list(dict.fromkeys(v for v in values if v is not None))
        elif stated == "date" or any(isinstance(v, str) for v in values):
            axis.kind = "date"
    return xs, ys


def _is_date(value: str) -> bool:
    try:
        ms(value)
    except ValueError:
        return False
    return True


def _values(trace: dict, letter: str) -> list:
    """The values a trace puts along an axis: a lying bar's base and its end along x."""
    if trace.get("orientation") == "h" and letter == "x":
        return [v for b, length in zip(trace.get("base", []), trace.get("x", [])) for v in (b, moment(ms(b) + length).isoformat())]
    return list(trace.get(letter, []))


def _extent(axis: Axis, traces: list, letter: str) -> tuple[float, float]:
    """The range an axis shows: its stated range, else the data's (bars from zero, stacked, with a little room)."""
    if axis.kind == "category":
        n = len(axis.categories)
        return (-0.5, n - 0.5) if n else (-0.5, 0.5)
    stated = axis.spec.get("range")
    if stated:
        return ms(stated[0]) if axis.kind == "date" else stated[0], ms(stated[1]) if axis.kind == "date" else stated[1]
    mine = [t for t in traces if t.get(letter + "axis", letter) == axis.name]
    if axis.kind == "date":
        values = [ms(v) for t in mine for v in _values(t, letter) if v is not None]
        if not values:
            return 0.0, DAY_MS
        pad = max((max(values) - min(values)) * 0.05, DAY_MS / 2)
        return min(values) - pad, max(values) + pad
    stacks: dict = {}
    peak = 0.0
    for t in mine:
        if t.get("type") == "bar" and t.get("orientation") != "h":
            for x, y in zip(t.get("x", []), t.get("y", [])):
                stacks[x] = stacks.get(x, 0) + (y or 0)
        else:
            peak = max([peak, *(v for v in t.get(letter, []) if v is not None)])
    peak = max([peak, *stacks.values()]) or 1
    return 0.0, peak * 1.05


def _number_ticks(axis: Axis, pixels: float) -> list[float]:
    dtick = axis.spec.get("dtick")
    if not dtick:
        rough = (axis.high - axis.low) / max(2, pixels / 45)
        power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
        dtick = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
        dtick = max(dtick, 1)  # counts: whole numbers only
    first = math.ceil(axis.low / dtick) * dtick
    return [first + i * dtick for i in range(int((axis.high - first) / dtick) + 1)]


def _number_label(value: float) -> str:
    return f"{round(value):,}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


STEPS = [("day", 1), ("day", 2), ("week", 1), ("week", 2), ("month", 1), ("month", 2), ("month", 3), ("month", 6),
         ("year", 1), ("year", 2), ("year", 5), ("year", 10)]


def _date_ticks(low: float, high: float, width: float) -> list[tuple[float, list[str]]]:
    """Ticks on a time axis, as many as fit the width side by side: (where, label lines); the year is written under
    the first tick and wherever it changes."""
    fallback: list = []
    for unit, step in STEPS:
        ticks = _dates(low, high, unit, step)
        labels = _date_labels(ticks, unit)
        room = max((text_width(line, TICK_FONT) for lines in labels for line in lines), default=0) + 14
        found = list(zip((ms(t.isoformat()) for t in ticks), labels))
        if len(ticks) >= 2 and len(ticks) * room <= width:
            return found
        fallback = fallback or (found[:1] if ticks and room <= width else [])
    return fallback


def _dates(low: float, high: float, unit: str, step: int) -> list[datetime]:
    first = moment(low).replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "week":
        first -= timedelta(days=first.weekday())  # weeks start on Monday, as the chart counts them
    elif unit == "month":
        first = first.replace(day=1)
    elif unit == "year":
        first = first.replace(month=1, day=1)
    found, when = [], first
    while ms(when.isoformat()) <= high and len(found) < 4000:
        if ms(when.isoformat()) >= low:
            found.append(when)
        if unit in ("day", "week"):  # one unit at a time; the steps are picked below
            when += timedelta(days=7 if unit == "week" else 1)
        elif unit == "month":
            when = when.replace(year=when.year + when.month // 12, month=when.month % 12 + 1)
        else:
            when = when.replace(year=when.year + 1)
    if unit in ("day", "week"):  # steps of several days or weeks counted from a fixed day, not the view's edge
        found = [d for d in found if ((d - datetime(1970, 1, 5)).days // (7 if unit == "week" else 1)) % step == 0]
    elif unit == "month":
        found = [d for d in found if (d.month - 1) % step == 0]
    elif unit == "year":
        found = [d for d in found if d.year % step == 0]
    return found


def _date_labels(ticks: list[datetime], unit: str) -> list[list[str]]:
    labels, year = [], None
    for when in ticks:
        top = (str(when.year) if unit == "year" else MONTHS[when.month - 1] if unit == "month"
               else f"{when.day} {MONTHS[when.month - 1]}")
        labels.append([top] if unit == "year" or when.year == year else [top, str(when.year)])
        year = when.year
    return labels


# ---------------------------------------------------------------- drawing


def _colour(trace: dict, index: int, colorway: list[str], part: str = "marker") -> str:
    own = (trace.get(part) or {}).get("color")
    return own if isinstance(own, str) else colorway[index % len(colorway)]


def _legend(figure: dict, colorway: list[str]) -> list[tuple[str, str, list[str]]]:
    """(swatch kind, colour, name lines) for each entry the figure's legend shows."""
    if not figure["layout"].get("showlegend", len(figure["data"]) > 1):
        return []
    entries, groups = [], set()
    for i, trace in enumerate(figure["data"]):
        group = trace.get("legendgroup")
        if trace.get("showlegend") is False or (group and group in groups):
            continue
        groups.add(group)
        kind = "bar" if trace.get("type") == "bar" else "line" if "lines" in trace.get("mode", "lines") else "marker"
        entries.append((kind, _colour(trace, i, colorway, "line" if kind == "line" else "marker"),
                        lines_of(trace.get("name", f"trace {i}"))))
    return entries


def _legend_rows(entries: list, width: float) -> list[list[tuple[float, tuple]]]:
    """The legend entries flowed into rows across the width: [[(x, entry), ...], ...]."""
    rows, row, x = [], [], 0.0
    for entry in entries:
        w = 30 + max(text_width(line, LEGEND_FONT) for line in entry[2]) + 14
        if row and x + w > width:
            rows.append(row)
            row, x = [], 0.0
        row.append((x, entry))
        x += w
    return [*rows, row] if row else rows


def draw(figure: dict, width: int, label: str, cls: str = "brief-static") -> tuple[str, list[Box]]:
    """The figure drawn width px wide in its own height: the SVG markup, and the boxes of its text (for checks).

    label: what the drawing shows, in words (its title and caption), given to assistive technology."""
    layout, data = figure["layout"], figure["data"]
    template = layout.get("template", {}).get("layout", {})
    colorway = template.get("colorway", ["#3366cc"])
    height = float(layout.get("height") or 450)
    margin = {**template.get("margin", {}), **layout.get("margin", {})}
    xs, ys = _axes(figure)
    x = xs["x"]
    boxes: list[Box] = []
    parts: list[str] = []

    # the left margin: each shown y axis' tick labels and rotated title
    left = float(margin.get("l", 60))
    for axis in ys.values():
        axis.low, axis.high = _extent(axis, data, "y")
        if axis.spec.get("showticklabels", True) is False:
            continue
        labels = axis.categories if axis.kind == "category" else [_number_label(v) for v in _number_ticks(axis, 200)]
        need = max((text_width(plain(v), TICK_FONT) for v in labels), default=0) + 10
        if (axis.spec.get("title") or {}).get("text"):
            need += TITLE_FONT * LINE + 6
        left = max(left, need + 4)
    right = float(margin.get("r", 20))
    plot_w = width - left - right

    # the bottom margin: the time axis' ticks and title, then the legend
    x.low, x.high = _extent(x, data, "x")
    ticks = _date_ticks(x.low, x.high, plot_w) if x.kind == "date" else []
    tick_lines = max((len(lines) for _, lines in ticks), default=1)
    x_title = (x.spec.get("title") or {}).get("text", "")
    entries = _legend(figure, colorway)
    legend = _legend_rows(entries, width - 8)
    row_h = [max(len(e[2]) for _, e in row) * LEGEND_FONT * LINE + 6 for row in legend]
    bottom = 6 + tick_lines * TICK_FONT * LINE + (8 + TITLE_FONT * LINE if x_title else 0) + (
        10 + sum(row_h) if legend else 0) + 4
    bottom = max(bottom, float(margin.get("b", 40)))
    top = float(margin.get("t", 30))
    plot_h = height - top - bottom
    x.start, x.end = left, left + plot_w
    for axis in ys.values():
        d0, d1 = axis.spec.get("domain", [0, 1])
        lo_px, hi_px = top + plot_h * (1 - d0), top + plot_h * (1 - d1)
        reverse = axis.spec.get("autorange") == "reversed"
        axis.start, axis.end = (hi_px, lo_px) if reverse else (lo_px, hi_px)

    # grid and tick labels
    for axis in ys.values():
        span = sorted((axis.start, axis.end))
        for when, _ in ticks:
            px = x.at(when)
            parts.append(f'<line class="g" x1="{num(px)}" x2="{num(px)}" y1="{num(span[0])}" y2="{num(span[1])}"/>')
        shown = axis.spec.get("showticklabels", True) is not False
        values = axis.categories if axis.kind == "category" else _number_ticks(axis, span[1] - span[0])
        for value in values:
            py = axis.at(value)
            if shown:
                parts.append(f'<line class="g" x1="{num(left)}" x2="{num(left + plot_w)}" y1="{num(py)}" y2="{num(py)}"/>')
            if shown:
                text = plain(value) if axis.kind == "category" else _number_label(value)
                boxes.append(Box(left - 6, py - TICK_FONT * LINE / 2, [text], TICK_FONT, "end"))
        title = (axis.spec.get("title") or {}).get("text")
        if title and shown:  # rotated, in the margin's own column left of every tick label
            parts.append(f'<text class="t" font-size="{TITLE_FONT}" text-anchor="middle" '
                         f'transform="translate({num(4 + TITLE_FONT * 0.9)} {num((span[0] + span[1]) / 2)}) rotate(-90)">'
                         f"{xml(plain(title))}</text>")
    axis_bottom = max(max(a.start, a.end) for a in ys.values()) if ys else top + plot_h
    for when, lines in ticks:
        box = Box(x.at(when), axis_bottom + 4, lines, TICK_FONT, "middle")
        if box.bounds()[0] >= 0 and box.bounds()[2] <= width:  # a label that would leave the drawing is left out
            boxes.append(box)
    parts.append(f'<line class="a" x1="{num(left)}" x2="{num(left + plot_w)}" y1="{num(axis_bottom)}" '
                 f'y2="{num(axis_bottom)}"/>')
    below = axis_bottom + 4 + tick_lines * TICK_FONT * LINE
    if x_title:
        boxes.append(Box(left + plot_w / 2, below + 6, [plain(x_title)], TITLE_FONT, "middle"))
        below += 8 + TITLE_FONT * LINE

    # traces, clipped to the plot
    clip = f"c{abs(hash_text(label + str(width))) % 10**8}"
    parts.append(f'<clipPath id="{clip}"><rect x="{num(left)}" y="{num(top)}" width="{num(plot_w)}" '
                 f'height="{num(plot_h)}"/></clipPath><g clip-path="url(#{clip})">')
    stacks: dict = {}
    for i, trace in enumerate(data):  # each trace a group of its own, numbered as in the figure
        parts += [f'<g data-trace="{i}">', *_trace(trace, i, colorway, x, ys[trace.get("yaxis", "y")], stacks), "</g>"]
    parts.append("</g>")

    # shapes (vertical marks) and annotations (lane and event labels)
    for shape in layout.get("shapes", []):
        if shape.get("type") == "line" and shape.get("xref") == "x":
            px = x.at(shape["x0"])
            if not left <= px <= left + plot_w:
                continue
            line = shape.get("line", {})
            dash = ' stroke-dasharray="5 4"' if line.get("dash") == "dash" else ""
            parts.append(f'<line x1="{num(px)}" x2="{num(px)}" y1="{num(top + plot_h * (1 - shape.get("y1", 1)))}" '
                         f'y2="{num(top + plot_h * (1 - shape.get("y0", 0)))}" stroke="{xml(line.get("color", "#888"))}" '
                         f'stroke-width="{num(line.get("width", 1))}"{dash}/>')
    lying = [t for t in data if t.get("type") == "bar" and t.get("orientation") == "h"]
    for note in layout.get("annotations", []):
        tried = _annotation(note, x, ys, left, plot_w, top, plot_h, width, lying)
        fits = [b for b in tried if b.bounds()[1] >= 0 and not any(meet(b, placed) for placed in boxes)]
        if tried:
            boxes.append((fits or tried)[0])

    # the legend, below the time axis' title
    y = below + 10
    for row, h in zip(legend, row_h):
        for lx, (kind, colour, name) in row:
            cx, cy = 4 + lx, y + LEGEND_FONT * LINE / 2
            if kind == "bar":
                parts.append(f'<rect x="{num(cx + 4)}" y="{num(cy - 6)}" width="18" height="12" fill="{xml(colour)}"/>')
            elif kind == "line":
                parts.append(f'<line x1="{num(cx)}" x2="{num(cx + 26)}" y1="{num(cy)}" y2="{num(cy)}" '
                             f'stroke="{xml(colour)}" stroke-width="2"/>')
            else:
                parts.append(f'<circle cx="{num(cx + 13)}" cy="{num(cy)}" r="5" fill="{xml(colour)}"/>')
            boxes.append(Box(cx + 30, y, name, LEGEND_FONT))
        y += h

    body = "".join(parts) + "".join(b.svg() for b in boxes)
    svg = (f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" width="100%" height="{num(height)}" '
           f'viewBox="0 0 {width} {num(height)}" role="img" aria-label="{xml(label)}">{body}</svg>')
    return svg, boxes


def hash_text(text: str) -> int:
    """A stable number for a text (Python's own hash changes between runs)."""
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 2**61
    return value


def _trace(trace: dict, index: int, colorway: list[str], x: Axis, y: Axis, stacks: dict) -> list[str]:
    kind, out = trace.get("type", "scatter"), []
    if kind == "bar" and trace.get("orientation") == "h":
        marker = trace.get("marker", {})
        fill, edge = _colour(trace, index, colorway), (marker.get("line") or {})
        thick = y.length(trace.get("width", 0.8))
        for base, length, lane in zip(trace.get("base", []), trace.get("x", []), trace.get("y", [])):
            x0, x1, cy = x.at(base), x.at(ms(base) + length), y.at(lane)
            stroke = (f' stroke="{xml(edge["color"])}" stroke-width="{num(edge.get("width", 1))}"'
                      if edge.get("color") else "")
            out.append(f'<rect x="{num(x0)}" y="{num(cy - thick / 2)}" width="{num(max(x1 - x0, 1))}" '
                       f'height="{num(thick)}" fill="{xml(fill)}"{stroke}/>')
        return out
    if kind == "bar":
        fill = _colour(trace, index, colorway)
        for cx, value in zip(trace.get("x", []), trace.get("y", [])):
            if not value:
                continue
            key = (y.name, cx)
            floor = stacks.get(key, 0)
            stacks[key] = floor + value
            w = max(x.length(trace.get("width") or DAY_MS * 0.8), 1.5)
            top, low = y.at(floor + value), y.at(floor)
            out.append(f'<rect x="{num(x.at(cx) - w / 2)}" y="{num(top)}" width="{num(w)}" height="{num(low - top)}" '
                       f'fill="{xml(fill)}" data-y="{num(value)}"/>')  # the count it stands for, as the table says
        return out
    mode = trace.get("mode", "lines")
    if "lines" in mode:
        line = trace.get("line", {})
        colour = _colour(trace, index, colorway, "line")
        dash = {"dash": ' stroke-dasharray="6 4"', "dot": ' stroke-dasharray="2 3"'}.get(line.get("dash"), "")
        run: list[str] = []
        for px, py in [*zip(trace.get("x", []), trace.get("y", [])), (None, None)]:
            if px is None or py is None:
                if len(run) > 1:
                    out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{xml(colour)}" '
                               f'stroke-width="{num(line.get("width", 2))}"{dash}/>')
                run = []
                continue
            run.append(f"{num(x.at(px))},{num(y.at(py))}")
    if "markers" in mode:
        marker = trace.get("marker", {})
        colour = _colour(trace, index, colorway)
        r = marker.get("size", 6) / 2
        placed = set()
        for px, py in zip(trace.get("x", []), trace.get("y", [])):
            if px is None or py is None:
                continue
            cx = x.at(px)
            spot = (num(cx), num(y.at(py)))
            if spot in placed or not min(x.start, x.end) - r <= cx <= max(x.start, x.end) + r:
                continue  # a marker on the very spot of one drawn already (a busy lane, days apart by a pixel) adds nothing
            placed.add(spot)
            out.append(f'<circle cx="{spot[0]}" cy="{spot[1]}" r="{num(r)}" fill="{xml(colour)}"/>')
    return out


def _annotation(note: dict, x: Axis, ys: dict, left: float, plot_w: float, top: float, plot_h: float,
                width: float, bars: list) -> list[Box]:
    """An annotation's text where Plotly puts it, wrapped to stay inside the drawing: on as few lines as the room
    allows, then as the figure breaks it, then smaller (the first of these that meets no other label is drawn)."""
    size = float((note.get("font") or {}).get("size", 13))
    if note.get("xref") == "paper":
        px = left + plot_w * float(note.get("x", 0))
    else:
        px = x.at(note["x"])
        if not left - 1 <= px <= left + plot_w + 1:
            return []
    yref = note.get("yref", "paper")
    py = top + plot_h * (1 - float(note.get("y", 0))) if yref == "paper" else ys[yref].at(note["y"])
    py -= float(note.get("yshift", 0))
    if yref != "paper" and note.get("yanchor") == "bottom":  # a lane's label stands clear above the lane's bar
        thick = max((ys[yref].length(t.get("width", 0.8)) for t in bars if t.get("yaxis") == yref), default=0)
        py = min(py, ys[yref].at(note["y"]) - thick / 2 - 3)
    anchor = {"left": "start", "right": "end", "center": "middle"}.get(note.get("xanchor", "center"), "middle")
    given = lines_of(note.get("text", ""))
    other = {"start": "end", "end": "start", "middle": "middle"}[anchor]  # a mark's label may stand on its other side
    tried = []
    for side in dict.fromkeys((anchor, other)):
        room = {"start": width - px - 2, "end": px - 2, "middle": 2 * min(px, width - px) - 4}[side]
        for lines, smaller in ((wrap(" ".join(given), size, room), size), (given, size),
                               (wrap(" ".join(given), size - 1, room), size - 1),
                               (wrap(" ".join(given), size - 2, room), size - 2)):
            if max(text_width(line, smaller) for line in lines) > room:  # rewrapped to the room there is, never cut
                continue
            box = Box(px, py, lines, smaller, side)
            yanchor = note.get("yanchor", "middle")
            box.y = py - box.height if yanchor == "bottom" else py if yanchor == "top" else py - box.height / 2
            tried.append(box)
    return tried or [Box(px, py, given, size, anchor)]
