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
        write(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", pad[:-2]))


def plain(value):
    """A value with every Stream and Lazy made into the dict and list it stands for (for tests and small briefs)."""
    if isinstance(value, Stream):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, Lazy):
        return [plain(item) for item in value.items]  # never given Encoded items (exports without kept pieces)
    if isinstance(value, Later):
        return plain(value.make())
    return value
