"""The last gate before a site is published: no script, handler or link the project did not put there.

Fact text is escaped long before this point; this check makes sure that stays true whatever a
template, a theme override or a future change does. It parses every generated HTML file and fails on
any event-handler attribute, any javascript:/data:/vbscript: address, any script from outside the
site, and any inline script that is not one of the theme's own.
"""
from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


@cache
def theme_scripts() -> tuple[re.Pattern, ...]:
    """The inline scripts Material's templates can emit, with their template expressions as wildcards."""
    import material

    root = Path(material.__file__).parent / "templates"
    patterns = []
    for template in sorted(root.rglob("*.html")):
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.S):
            parts = re.split(r"\{\{.*?\}\}|\{%.*?%\}", body, flags=re.S)
            patterns.append(re.compile("^" + ".*?".join(re.escape(p) for p in parts) + "$", re.S))
    return tuple(patterns)


@cache
def theme_files() -> frozenset[str]:
    """Paths of the script files Material ships, relative to the site root."""
    import material

    root = Path(material.__file__).parent / "templates"
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*.js"))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self.scripts: list[tuple[int, dict, str]] = []
        self._script: tuple[int, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append((line, f"<{tag}> has an event-handler attribute {name}"))
            if name in URL_ATTRIBUTES and _bad_scheme(value):
                self.problems.append((line, f"<{tag}> {name} uses a forbidden scheme: {value[:60]!r}"))
        if tag == "script":
            self._script, self._text = (line, values), []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((*self._script, "".join(self._text)))
            self._script = None


def _bad_scheme(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return squeezed.startswith(BAD_SCHEMES)


def check_page(html: str, page: str, allowed_sources: set[str]) -> list[str]:
    """Every unsafe construct in one page, as 'page:line: what'."""
    parser = _Page()
    parser.feed(html)
    parser.close()
    problems = [f"{page}:{line}: {what}" for line, what in parser.problems]
    for line, attrs, body in parser.scripts:
        kind = attrs.get("type", "").strip().lower()
        if "src" in attrs:
            target = _resolve(page, attrs["src"])
            if target is None or target not in allowed_sources:
                problems.append(f"{page}:{line}: <script> loads {attrs['src']!r}, which is not one of the site's own scripts")
        elif kind in DATA_SCRIPT_TYPES:
            continue
        elif kind not in EXECUTABLE_TYPES:
            problems.append(f"{page}:{line}: <script> of unknown type {kind!r}")
        elif not any(p.match(body) for p in theme_scripts()):
            problems.append(f"{page}:{line}: inline <script> that neither the theme nor intelbrief writes: {body[:60]!r}")
    return problems


def _resolve(page: str, src: str) -> str | None:
    """The site-relative path a relative script address points at; None for anything outside the site."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
        return None
    path = src.split("?")[0].split("#")[0]
    joined = PurePosixPath(path.lstrip("/")) if path.startswith("/") else PurePosixPath(page).parent / path
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def check_site(site: Path, extra_scripts: list[str]) -> None:
    """Raise BuildError listing every unsafe construct in the built site."""
    allowed = set(theme_files()) | {s.lstrip("./") for s in extra_scripts}
    problems: list[str] = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        problems += check_page(path.read_text(encoding="utf-8", errors="replace"), page, allowed)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BuildError(f"the built site failed the safety check; nothing was published:\n{shown}{more}")
