"""Templates to Markdown: the Jinja environment and the filters that keep fact text inert."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.errors import BuildError
from generator.facts.models import SINGULAR
from generator import words
from generator.site import present

# Every ASCII character that Markdown, its extensions, HTML or Jinja could read as syntax.
_ACTIVE = set("\\`*_{}[]()<>#+-.!|~^=:$&\"'%/@;?")
_INERT = {**{ord(char): f"&#{ord(char)};" for char in _ACTIVE}, ord("\n"): "<br>"}


def text(value) -> Markup:
    """Fact text as inert inline HTML: shown literally, never read as Markdown, HTML or template."""
    if value is None:
        return Markup("")
    if type(value) is str:  # the same names and dates come back on many pages
        return _inert(value)
    return Markup(str(value).translate(_INERT))


@lru_cache(maxsize=1 << 16)
def _inert(value: str) -> Markup:
    return Markup(value.translate(_INERT))


def cell(value) -> Markup:
    """Fact text for a table cell: as text(), on one line."""
    return text(" ".join(str(value).split())) if value is not None else Markup("")


def page_title(value) -> Markup:
    """Fact text as a page title in front matter: a YAML string holding HTML-escaped text.

    The site engine puts titles into <title>, navigation and the search index without escaping them.
    """
    escaped = html.escape(" ".join(str(value).split()), quote=True)
    return Markup('"' + "".join(map(_yaml_char, escaped)) + '"')


def _yaml_char(char: str) -> str:
    """One character inside a double-quoted YAML string, as printable ASCII (astral characters as \\U, never as surrogates)."""
    code = ord(char)
    if char in '"\\':
        return "\\" + char
    if 0x20 <= code < 0x7F:
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def anchor(kind: str, fact_id: str) -> str:
    """The HTML id of a fact on its page; ids are validated slugs, so they are safe here."""
    return f"{SINGULAR[kind]}-{fact_id}"


def attr(value) -> Markup:
    """A value for an HTML attribute in project-written markup."""
    escaped = str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(escaped)


# present's words as filters: {{ flight.when|when }}, {{ flight.count|tally }}, {{ base.country|country }}
WORDS = {"when": present.when, "instant": present.instant, "tally": present.count, "country": present.country,
         "aircraft": present.aircraft, "ends": present.ends, "likelihood": present.likelihood, "confidence": present.confidence,
         "attribution": present.attribution, "reliability": present.reliability, "credibility": present.credibility,
         "noun": present.noun, "location": present.location, "portion": present.portion, "day": present.day,
         "number": words.number, "counted": words.counted, "month": words.month,
         "capitalize_first": present.capitalize_first, "file_size": present.file_size}


def environment(template_dirs: list[Path], globals_: dict) -> jinja2.Environment:
    """The one Jinja environment for generated pages and hand-written content."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(text=text, cell=cell, attr=attr, page_title=page_title, **WORDS)
    env.globals.update(globals_, anchor=anchor)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render one page template to Markdown, with blank-line runs folded."""
    try:
        return re.sub(r"\n{3,}", "\n\n", env.get_template(name).render(**context))
    except jinja2.TemplateError as err:
        raise BuildError(f"templates/{_where(err, name)}: {err.message}, expected a template that renders") from None


def render_string(env: jinja2.Environment, source: str, context: dict, name: str,
                  expected: str = "Markdown whose {{ … }} parts render") -> str:
    """Render hand-written Markdown that may pull figures and charts from the facts."""
    try:
        return env.from_string(source).render(**context)
    except jinja2.TemplateError as err:
        raise BuildError(f"{_where(err, name)}: {(err.message or '').rstrip('.')}, expected {expected}") from None


def _where(err: jinja2.TemplateError, name: str) -> str:
    """file:line of a template error, from the error itself or the innermost template frame."""
    line = getattr(err, "lineno", None)
    if line is None:
        tb = err.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename in ("<template>",) or tb.tb_frame.f_code.co_filename.endswith(".j2"):
                line = tb.tb_lineno
            tb = tb.tb_next
    return f"{getattr(err, 'filename', None) and err.filename.rsplit('/', 1)[-1] or name}:{line or 1}"
