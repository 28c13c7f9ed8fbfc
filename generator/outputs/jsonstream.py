"""JSON written piece by piece: the bytes json.dumps(value, indent=2, ensure_ascii=False) gives, with a final line end,
from a value whose big lists are made one item at a time as they are written (so a file of any size needs the memory
of one item)."""
from __future__ import annotations

import json
from collections.abc import Iterable


class Lazy:
    """A JSON list written item by item as its iterable gives them, never held whole (its items may be Lazy, Stream
    or Raw themselves)."""

    def __init__(self, items: Iterable):
        self.items = items


class Stream(dict):
    """A JSON object written member by member, so that the Lazy lists among its values can be streamed."""


class Later:
    """A JSON value made only when it is written (and dropped after)."""

    def __init__(self, make):
        self.make = make


class Raw:
    """Items of a Lazy list already encoded at their depth, separators included, in a file read back in pieces."""

    def __init__(self, spool):
        self.spool = spool


class Encoded:
    """Items of a Lazy list given as their text: text(depth) gives them encoded at the list's items' depth and
    joined by its separators (see joined), or "" for none (as kept by outputs/pieces.py)."""

    def __init__(self, text):
        self.text = text


def encoded(value, depth: int) -> str:
    """The text write_json gives a value as an item at this depth (without the separator before it)."""
    found: list[str] = []
    _encode(value, found.append, depth)
    return "".join(found)


def joined(values, depth: int) -> str:
    """Items at this depth encoded and joined as a Lazy list writes them (the text of an Encoded)."""
    return (",\n" + "  " * depth).join(encoded(value, depth) for value in values)


def write_json(value, out) -> None:
    """Write the text of json.dumps(value, indent=2, ensure_ascii=False) and a line end to a text file, member by
    member through Stream and item by item through Lazy, so only one item is held at a time."""
    _encode(value, out.write, 0)
    out.write("\n")


def _encode(value, write, depth: int) -> None:
    if isinstance(value, Later):
        value = value.make()
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, Stream):
        if not value:
            write("{}")
            return
        for n, (key, item) in enumerate(value.items()):
            write(("{" if n == 0 else ",") + pad + json.dumps(key, ensure_ascii=False) + ": ")
            _encode(item, write, depth + 1)
        write("\n" + "  " * depth + "}")
    elif isinstance(value, Lazy):
        first = True
        for item in value.items:
            text = item.text(depth + 1) if isinstance(item, Encoded) else None
            if text == "":
                continue
            write(("[" if first else ",") + pad)
            first = False
            if text is not None:
                write(text)
            elif isinstance(item, Raw):
                item.spool.seek(0)
                while chunk := item.spool.read(1 << 20):
                    write(chunk)
            else:
                _encode(item, write, depth + 1)
        write("[]" if first else "\n" + "  " * depth + "]")
    else:
        write(dumps(value, depth))


def dumps(value, depth: int = 0) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) with every line after the first indented by depth more levels
    (the text of a value written at that depth), in the same bytes, about twice as fast (see _indented)."""
    parts: list[str] = []
    _indented(value, "\n" + "  " * depth, parts)
    return "".join(parts)


_ESCAPED = json.encoder.encode_basestring  # json's own (C) string encoder, as json.dumps(ensure_ascii=False) uses
_FLOAT = float.__repr__
_SPECIAL = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}  # json.dumps writes these (allow_nan)


def _indented(value, pad: str, parts: list[str]) -> None:
    """json.dumps(value, indent=2, ensure_ascii=False) with each line after the first starting with pad's indent, in
    parts: the same bytes, without the generators through which json's Python encoder (the only one that indents)
    yields each piece. Types are tried in json's order; what json cannot encode raises TypeError as it does."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        parts.append(scalar(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = pad + "  "
        between = "," + inner
        parts.append("[" + inner)
        last = len(value) - 1
        for n, item in enumerate(value):
            scalar = _SCALARS.get(type(item))
            if scalar is not None:
                parts.append(scalar(item))
            else:
                _indented(item, inner, parts)
            parts.append(between if n != last else pad + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = pad + "  "
        parts.append("{")
        first = True
        for key, item in value.items():
            parts.append((inner if first else "," + inner) + _ESCAPED(key if type(key) is str else _key(key)) + ": ")
            first = False
            scalar = _SCALARS.get(type(item))
            if scalar is not None:
                parts.append(scalar(item))
            else:
                _indented(item, inner, parts)
        parts.append(pad + "}")
    else:
        parts.append(_scalar(value))


def _scalar(value) -> str:
    """A value that is no list, tuple or dict, as json.dumps writes it (in its order of types, for subclasses)."""
    if isinstance(value, str):
        return _ESCAPED(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _float(value: float) -> str:
    text = _FLOAT(value)
    return _SPECIAL.get(text, text) if value != value or value in (float("inf"), float("-inf")) else text


def _key(key) -> str:
    """A member name as json.dumps writes it (its keys may be numbers, booleans or None too)."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (int, float)):  # bool is an int
        return _scalar(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


_SCALARS = {str: _ESCAPED, int: int.__repr__, float: _float, bool: lambda value: "true" if value else "false",
            type(None): lambda value: "null"}  # by exact type: json.dumps writes these so whatever their place


def plain(value):
    """A value with every Stream and Lazy made into the dict and list it stands for (for tests and small briefs)."""
    if isinstance(value, Stream):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, Lazy):
        return [plain(item) for item in value.items]  # never given Encoded items (exports without kept pieces)
    if isinstance(value, Later):
        return plain(value.make())
    return value
