"""Hand-written pages (content/): Jinja in a sandbox that sees only figures, charts, links, scales and the marking.

A pull request can change content/ as easily as data/, so its templates are untrusted: they run in
Jinja's immutable sandbox (no underscore attributes, no unsafe calls, nothing mutated) with none of
Jinja's default globals, and see a whitelist of names instead of the generator's whole context.
"""
from __future__ import annotations

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.site.render import render_string
from generator.site.standin import itself

ALLOWED = ("figures", "chart", "link", "page_link", "probability", "credibility", "reliability", "gaps")
BRIEF_FIELDS = ("title", "subtitle", "edition", "tlp", "publisher")
EXPECTED = ("only figures, chart(…), link(…), page_link(…), probability, credibility, reliability, gaps and brief "
            "in a content page's {{ … }} parts")


def environment() -> ImmutableSandboxedEnvironment:
    """A sandbox that renders Markdown the way page templates do, with no globals and nothing to include."""
    env = _Sandbox(loader=_NoIncludes(), undefined=jinja2.StrictUndefined, autoescape=False,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.clear()
    return env


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, reading a value that stands in for another (figures worked out when first used) as that
    value itself, so that the same rules judge it: a stand-in for a mapping is as immutable as the mapping."""

    def getattr(self, obj, attribute):
        return super().getattr(itself(obj), attribute)

    def getitem(self, obj, argument):
        return super().getitem(itself(obj), argument)



class _NoIncludes(jinja2.BaseLoader):
    def get_source(self, environment, template):
        raise jinja2.TemplateNotFound(template, f"{template!r} cannot be included or imported by a content page")


def context(full: dict) -> dict:
    """The whitelisted part of a page's context, with the brief as plain values."""
    brief = full["brief"]
    return {**{name: full[name] for name in ALLOWED if name in full},
            "brief": {field: getattr(brief, field) for field in BRIEF_FIELDS}}


def render(source: str, full_context: dict, name: str) -> str:
    """One hand-written page rendered in the sandbox; a forbidden or unknown name fails with file and line."""
    return render_string(environment(), source, context(full_context), name, EXPECTED)
