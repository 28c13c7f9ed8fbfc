"""Text safe to show on a terminal or in a log: invisible and control characters as their escapes.

The lowest layer: errors, facts and tools all print through it.
"""
from __future__ import annotations

import re

# Characters that change how text is displayed or read without being visible: never allowed in a value.
INVISIBLE = frozenset({"\u2028", "\u2029", "\u200e", "\u200f", "\u061c", "\ufeff"} | {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
})
_SHOWN_AS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE)) + "]")


def visible(text: str) -> str:
    """Text safe to print on a terminal: controls, bidi marks and separators as visible escapes."""
    return _SHOWN_AS_ESCAPE.sub(_escape, str(text))


def _escape(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
