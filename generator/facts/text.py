"""What fact text may hold: which characters, how many lines, and how long each kind of field may be.

The rules apply to the loaded value, so a YAML escape ("\\u202E", "\\0", "\\x85") is caught as surely
as the character typed in the file. `visible` is the other side: text shown on a terminal never
carries a control character, only its escape.
"""
from __future__ import annotations

import re
import unicodedata

from generator.terminal import INVISIBLE, visible  # noqa: F401  (visible: the other side, shown on terminals)

# C0 and C1 controls and DEL, except tab and newline, which only multi-line fields may hold.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
FORBIDDEN = re.compile("[" + _CONTROLS + "".join(sorted(INVISIBLE)) + "]")
_LINE_BREAKS = re.compile("[\t\n]")

# Length limits per kind of text field, in characters (documented in the README's data model).
LIMITS = {
    "name": 200,  # names, places, operators, publishers, aircraft details, aliases: one line
    "title": 300,  # titles of facts, sources and the brief: one line
    "note": 5_000,  # notes on how a time, place or piece of evidence was worked out
    "prose": 20_000,  # summaries, judgments, descriptions
}
ONE_LINE = {"name", "title"}
_CALLED = {"name": "a name", "title": "a title", "note": "a note", "prose": "a summary, judgment or description"}


def schema(kind: str) -> dict:
    """What an editor can check while typing: the length limit, and one line for names and titles."""
    return {"maxLength": LIMITS[kind], **({"pattern": "^[^\\n\\t]*$"} if kind in ONE_LINE else {})}


def forbidden(value: str) -> str | None:
    """The first character no fact text may hold, or None."""
    found = FORBIDDEN.search(value)
    return found.group() if found else None


def describe(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): a character named for a message."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'control character')})"


def problem(value: str, kind: str) -> tuple[str, str] | None:
    """(code, message) when value breaks the rules of its kind of field, else None."""
    char = forbidden(value)
    if char:
        return "invisible-character", f"invisible character {describe(char)} is not allowed, expected plain text"
    if kind in ONE_LINE and _LINE_BREAKS.search(value):
        which = "line break" if "\n" in value else "tab"
        return "not-one-line", f"a {which} is not allowed in {_CALLED[kind]}, expected one line of text"
    limit = LIMITS[kind]
    if len(value) > limit:
        return "text-too-long", (f"text is {len(value):,} characters long, expected at most {limit:,} characters "
                                 f"for {_CALLED[kind]}")
    return None
