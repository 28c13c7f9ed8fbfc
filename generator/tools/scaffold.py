"""`brief new`: a correctly named, valid fact file from options, so nobody copies and pastes.

Every field of every kind has an option, made from the kind's JSON Schema, so a field added to a model
gets its option with no change here: `--title`, `--origin-place`, `--aircraft-type`, a repeatable
`--source`, `--departure-between EARLIEST LATEST`, and for a record that has a short form, the short form
itself (`--departure 2024-12-14`, `--origin OSLK`, `--count 3`). A list of records (stops, cargo,
observations, evidence) is filled item by item: `--stop OSLK --stop-arrival … --stop HLLB`; giving a field the
current item already holds starts the next item. Observations, evidence, stops and cargo can also be added
to a fact that exists: `brief new observation --base B …` appends to data/bases/B.yml.
"""
from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from generator import disk
from generator.errors import BriefError, field_label
from generator.facts import loader
from generator.facts.models import KINDS, SINGULAR
from generator.facts.text import visible
from generator.tools.schema import modeline, schema_for

KIND_OF = {singular: kind for kind, singular in SINGULAR.items() if kind in KINDS}
# Parts of a fact that can be added to a fact already written: kind → (the parent's kind, its list field).
MEMBERS = {"observation": ("bases", "observations"), "evidence": ("assessments", "evidence"),
           "stop": ("flights", "stops"), "cargo": ("flights", "cargo")}
NEW_KINDS = (*KIND_OF, *MEMBERS)
ITEM = "*"  # in an option's path: the current item of a list of records
# What a new fact says when the option is not given: the sources are silent, or it is the brief's own view.
DEFAULTS = {"source": {"publisher": "unknown", "published": "unknown"}, "base": {"location": "unknown"},
            "flight": {"departure": "unknown", "arrival": "unknown"},
            "assessment": {"date": "unknown", "attribution": "brief"}}
ALIASES = {"base": {"icao": "location-icao"}}  # short names kept from earlier releases


@dataclass(frozen=True)
class Option:
    """One command-line option of `brief new KIND`: the field it fills and how it reads its value."""

    flag: str  # without the leading dashes: "stop-arrival"
    path: tuple  # where the value goes: ("stops", ITEM, "arrival")
    form: str  # "value"; "append" (repeatable, into a list); "pair" (two values); "short" (a record's short form);
    # "mapping" (repeatable KEY=VALUE, into a mapping)
    record: str = ""  # for "short": which record the short form stands for (When, Endpoint, Count, …)
    choices: tuple = ()
    help: str = ""
    type: str = "string"  # the JSON Schema type of the value: integer values are written as numbers


# ---------------------------------------------------------------- options, from the schema


@cache
def options(kind: str) -> tuple[Option, ...]:
    """Every option `brief new KIND` takes, one or more per field of the kind's schema, in the schema's order."""
    if kind in MEMBERS:
        parent, field = MEMBERS[kind]
        schema = schema_for(KINDS[parent])
        item = next(f for f in _forms(schema["properties"][field]["items"], schema["$defs"]) if "properties" in f)
        found = [Option(SINGULAR[parent], ("@parent",), "value", help=f"id of the {SINGULAR[parent]} to add it to")]
        for option in _walk(item, schema["$defs"], (), ""):
            flag = f"{kind}-{option.flag}" if option.flag == SINGULAR[parent] else option.flag  # evidence-assessment
            found.append(Option(flag, option.path, option.form, option.record, option.choices, option.help, option.type))
        return tuple(found)
    schema = schema_for(KINDS[KIND_OF[kind]])
    return tuple(_walk(schema, schema["$defs"], (), ""))


def _walk(node: dict, defs: dict, path: tuple, prefix: str) -> list[Option]:
    found = []
    for name, prop in node.get("properties", {}).items():
        found += _field(prop, defs, (*path, name), (f"{prefix}-{name}" if prefix else name).replace("_", "-"))
    return found


def _field(prop: dict, defs: dict, path: tuple, flag: str) -> list[Option]:
    forms = _forms(prop, defs)
    records = [f for f in forms if "properties" in f]
    lists = [f for f in forms if f.get("type") == "array"]
    values = [f for f in forms if f not in records and f not in lists]
    about = _about(prop, defs, records)
    if lists and "prefixItems" in lists[0]:
        return [Option(flag, path, "pair", help=about)]
    if lists:
        items = _forms(lists[0]["items"], defs)
        item_records = [f for f in items if "properties" in f]
        one = _singular(flag)
        if not item_records:
            return [Option(one, path, "append", choices=_choices(items), help=f"{about} (repeatable)")]
        short = [Option(one, (*path, ITEM), "short", item_records[0]["@name"], help=_about(lists[0]["items"], defs, item_records))
                 ] if len(items) > 1 else []
        return short + _walk(item_records[0], defs, (*path, ITEM), one)
    if records:
        short = [Option(flag, path, "short", records[0]["@name"], _choices(values) if _all_constant(values) else (),
                        about)] if values else []
        return short + _walk(records[0], defs, path, flag)
    if values and values[0].get("type") == "object":  # a mapping, such as an evidence's fits
        found = values[0].get("additionalProperties") or next(iter(values[0].get("patternProperties", {}).values()), {})
        return [Option(flag, path, "mapping", choices=_choices(_forms(found, defs)) if found else (),
                       help=f"{about} (repeatable, as KEY=VALUE)")]
    return [Option(flag, path, "value", choices=_choices(values), help=about, type=values[0].get("type", "string"))]


def _resolve(node: dict, defs: dict) -> dict:
    name = ""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
    return {**node, "@name": name.removesuffix("Fields")} if name else node


def _forms(node: dict, defs: dict) -> list[dict]:
    """The forms a value may take (a text, a record, a list), references followed, null left out."""
    node = _resolve(node, defs)
    if "anyOf" in node:
        return [form for alternative in node["anyOf"] for form in _forms(alternative, defs)]
    return [] if node.get("type") == "null" else [node]


def _about(prop: dict, defs: dict, records: list[dict]) -> str:
    resolved = _resolve(prop, defs)
    return resolved.get("description") or (records[0].get("description") if records else "") or prop.get("title", "")


def _choices(forms: list[dict]) -> tuple:
    return tuple(c for f in forms for c in (f.get("enum") or ([f["const"]] if "const" in f else [])))


def _all_constant(forms: list[dict]) -> bool:
    return all("const" in f for f in forms)


def _singular(flag: str) -> str:
    """The option for one entry of a list: sources → source, aliases → alias, stops → stop, cargo → cargo."""
    if flag.endswith("ses") and not flag.endswith("rces"):
        return flag[:-2]
    return flag[:-1] if flag.endswith("s") and not flag.endswith("ss") else flag


# ---------------------------------------------------------------- the command line of one kind


class _Refusal(argparse.ArgumentParser):
    """A kind's parser that reports a bad option as a BriefError naming the options the kind takes."""

    def error(self, message):
        kind = self.prog.split()[-1]
        flags = ", ".join(f"--{o.flag}" for o in options(kind))
        unknown = re.match(r"unrecognized arguments: (\S+)", message)
        if unknown:
            raise BriefError(f"brief new {kind}: {unknown.group(1)} is not an option of {_article(kind)} {kind}, "
                             f"expected one of: {flags}")
        raise BriefError(f"brief new {kind}: {message}")


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


class _InOrder(argparse.Action):
    """Keeps every option in the order given: which item of a list an option fills depends on it."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.given = [*getattr(namespace, "given", []), (self.dest, values)]


def parser(kind: str) -> argparse.ArgumentParser:
    """The options of `brief new KIND`, each with its help and, where the schema lists them, its choices."""
    about = (f"Add {_article(kind)} {kind} to a {SINGULAR[MEMBERS[kind][0]]} already written." if kind in MEMBERS
             else f"Write data/{KIND_OF[kind]}/<id>.yml from these options.")
    top = _Refusal(prog=f"brief new {kind}", description=about + " A list field takes its option once per entry; "
                "a field the current entry already has starts the next entry.", allow_abbrev=False)
    aliases = {target: name for name, target in ALIASES.get(kind, {}).items()}
    for option in options(kind):
        flags = [f"--{option.flag}", *([f"--{aliases[option.flag]}"] if option.flag in aliases else [])]
        extra = {"nargs": 2, "metavar": ("EARLIEST", "LATEST")} if option.form == "pair" else {"metavar": _metavar(option)}
        words = option.help + (f" (one of: {', '.join(option.choices)})" if option.choices else "")
        top.add_argument(*flags, dest=option.flag, action=_InOrder, help=words.replace("%", "%%"), **extra)
    top.set_defaults(given=[])
    return top


def _metavar(option: Option) -> str:
    return {"When": "TIME", "Endpoint": "PLACE", "Stop": "PLACE", "Count": "N"}.get(option.record, "VALUE")


def read(kind: str, argv: list[str]) -> list[tuple[str, object]]:
    """The options given to `brief new KIND`, in order, as (flag, value)."""
    return parser(kind).parse_args(argv).given


# ---------------------------------------------------------------- from options to a fact


def record(kind: str, given: list[tuple[str, object]]) -> dict:
    """The fact (or the part of one) as YAML-ready data, its fields in the schema's order."""
    table = {o.flag: o for o in options(kind)}
    tree: dict = {}
    for flag, value in given:
        option = table[flag]
        _put(tree, option, _typed(option, value))
    for name, value in DEFAULTS.get(kind, {}).items():
        tree.setdefault(name, value)
    _require(kind, tree)
    return _ordered(_expanded(tree), kind)


def _typed(option: Option, value):
    if option.form == "pair":
        return list(value)
    if option.form == "mapping":
        key, equals, item = value.partition("=")
        if not (key and equals and item):
            raise BriefError(f"--{option.flag} '{value}' is not KEY=VALUE, expected e.g. --{option.flag} "
                             f"main={option.choices[0] if option.choices else 'value'}")
        return key, item
    if option.type == "integer" and re.fullmatch(r"[0-9]+", value):
        return int(value)
    if option.type == "number" and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return float(value)
    if option.type == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def _put(tree: dict, option: Option, value) -> None:
    """Set one option's value at its path; in a list of records, a field already set starts the next item."""
    node, path = tree, list(option.path)
    while True:
        key = path.pop(0)
        if path and path[0] == ITEM:
            path.pop(0)
            items = node.setdefault(key, [])
            if not items or (option.form not in ("append", "mapping") and _holds(items[-1], path)):
                items.append({})
            node = items[-1]
            if not path:  # the short form of a list's item: --stop OSLK
                node[""] = (option.record, value)
                return
            continue
        if not path:
            break
        node = node.setdefault(key, {})
    if option.form == "short":
        node.setdefault(key, {})[""] = (option.record, value)
    elif option.form == "append":
        node.setdefault(key, []).append(value)
    elif option.form == "mapping":
        node.setdefault(key, {})[value[0]] = value[1]
    else:
        node[key] = value


def _holds(item: dict, path: list) -> bool:
    """Whether the item already has a value at path ([] means its short form)."""
    node = item
    for key in path or [""]:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _expanded(node):
    """Short forms written out: {'': ('When', '2024-12-14'), 'note': …} → {'at': '2024-12-14', 'note': …}."""
    if isinstance(node, list):
        return [_expanded(item) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {key: _expanded(value) for key, value in node.items() if key != ""}
    if "" not in node:
        return rest
    record, text = node[""]
    short = SHORT_FORMS.get(record, lambda t: t)(text)
    if isinstance(short, dict):
        return {**short, **rest}
    return rest or short


def endpoint(text: str) -> dict | str:
    """OSLK → an airfield, SY → a country, 'unknown' stays unknown, anything else → a base id."""
    if text == "unknown":
        return "unknown"
    if re.fullmatch(r"[A-Z0-9]{4}", text):
        return {"airfield": text}
    if re.fullmatch(r"[A-Z]{2}", text):
        return {"country": text}
    return {"base": text}


def _when(text: str) -> dict | str:
    if text == "unknown":
        return "unknown"
    return {"between": text.split("/", 1)} if "/" in text else {"at": text}


def _location(text: str) -> dict | str:
    return {"icao": text} if re.fullmatch(r"[A-Z0-9]{4}", text) else text


def _count(text: str) -> dict | str:
    return {"exactly": int(text)} if re.fullmatch(r"[0-9]+", text) else text


SHORT_FORMS = {"When": _when, "Endpoint": endpoint, "Stop": endpoint, "Location": _location, "Count": _count}


def _require(kind: str, tree: dict) -> None:
    """Refuse early, naming the option, when a field the kind cannot do without is missing."""
    if kind in MEMBERS:
        parent = SINGULAR[MEMBERS[kind][0]]
        if "@parent" not in tree:
            raise BriefError(f"brief new {kind}: --{parent} is required, expected the id of the {parent} to add it to")
        return
    if "id" not in tree:
        raise BriefError(f"brief new {kind}: --id is required, expected the new {kind}'s id (lower-case words "
                         "joined by hyphens)")
    schema = schema_for(KINDS[KIND_OF[kind]])
    needed = [name for name in schema.get("required", []) if name != "id"]
    flags = {name: next(o.flag for o in options(kind) if o.path[:1] == (name,) and o.path[1:] in ((), (ITEM,)))
             for name in needed}
    missing = [name for name in needed if name not in tree]
    if missing:
        shown = [flags[n] for n in needed if n not in DEFAULTS.get(kind, {})]
        raise BriefError(f"brief new {kind}: --{flags[missing[0]]} is required, expected "
                         + ", ".join(f"--{f}" for f in shown))


def _ordered(node, kind: str, path: tuple = ()):
    """Fields in the order the schema lists them, at every depth, so every new file reads the same way."""
    rank = {o.path: n for n, o in reversed(list(enumerate(options(kind))))}

    def place(value, where):
        if isinstance(value, list):
            return [place(item, (*where, ITEM)) for item in value]
        if not isinstance(value, dict):
            return value
        keys = sorted(value, key=lambda k: min((n for p, n in rank.items() if p[:len(where) + 1] == (*where, k)),
                                               default=len(rank)))
        return {k: place(value[k], (*where, k)) for k in keys}
    return place(node, path)


# ---------------------------------------------------------------- writing


def create(data_dir: Path, kind: str, given: list[tuple[str, object]]) -> Path:
    """Write data/<kinds>/<id>.yml (or add to the fact it belongs to) after checking it; never overwrite."""
    if kind in MEMBERS:
        return _add_to(data_dir, kind, record(kind, given))
    fact = record(kind, given)
    _check(kind, KINDS[KIND_OF[kind]], fact)
    path = data_dir / KIND_OF[kind] / f"{fact['id']}.yml"
    if os.path.lexists(path):
        raise BriefError(f"{path}: already exists, expected a new id")
    disk.write_new(path, as_yaml(KIND_OF[kind], fact))
    return path


def as_yaml(kind: str, fact: dict) -> bytes:
    """A fact file's bytes: the schema line for editors, then the fields in order."""
    return (modeline(kind, 2) + _dump(fact)).encode("utf-8")


def _dump(value) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)


def _check(kind: str, model, fact: dict) -> None:
    try:
        model.model_validate(fact)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        loc += (first["ctx"]["field"],) if "field" in (first.get("ctx") or {}) else ()
        raise BriefError(visible(f"brief new {kind}: {field_label(loc)}: {first['msg']}")) from None


def _add_to(data_dir: Path, kind: str, item: dict) -> Path:
    """Append one entry to a list of the fact it belongs to, keeping the file as written around it."""
    parent, field = MEMBERS[kind]
    parent_id = item.pop("@parent")
    path = data_dir / parent / f"{parent_id}.yml"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", parent_id) or not path.is_file() or path.is_symlink():
        raise BriefError(f"brief new {kind}: no {SINGULAR[parent]} with id '{parent_id}', expected the id of a "
                         f"fact in data/{parent}/")
    model = KINDS[parent]
    _check(kind, model.model_fields[field].annotation.__args__[0], item)
    text = path.read_bytes().decode("utf-8")
    changed = append_item(text, field, item)
    display = f"{data_dir.name}/{parent}/{path.name}"
    try:
        doc = loader.parse(changed.encode("utf-8"), display)
    except loader.ProblemError as err:
        raise BriefError(str(err.problem)) from None
    _check(kind, model, doc.data)
    disk.replace(path, changed.encode("utf-8"))
    return path


def _last_leaf(node):
    """The last scalar (or flow collection) written inside a block collection."""
    while isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node


def append_item(text: str, field: str, item: dict) -> str:
    """The YAML text with item appended to the list under the top-level key field (made when missing)."""
    root = yaml.compose(text, Loader=yaml.BaseLoader)
    node = next((value for key, value in root.value if key.value == field), None)
    if node is None:
        return text + ("" if text.endswith("\n") else "\n") + _dump({field: [item]})
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        dash = node.start_mark.column
        block = "".join(" " * dash + line for line in _dump([item]).splitlines(keepends=True))
        lines = text.splitlines(keepends=True)
        end = _last_leaf(node).end_mark  # the list's own end lies past any comment that follows it
        at = end.line if end.column == 0 else end.line + 1
        head = "".join(lines[:at])
        return head + ("" if head.endswith("\n") else "\n") + block + "".join(lines[at:])
    block = "".join("  " + line for line in _dump([item]).splitlines(keepends=True))
    rest = text[node.end_mark.index:].lstrip(" ")
    return text[:node.start_mark.index].rstrip(" ") + "\n" + block + rest.removeprefix("\n")
