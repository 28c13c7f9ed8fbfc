"""Validation problems for machines: GitHub workflow annotations and JSON."""
from __future__ import annotations

import json

from generator.errors import Problem
from generator.facts.text import visible

JSON_VERSION = 1


def problems(found: list[Problem], fmt: str, warnings: list[Problem] = ()) -> str:
    """Every problem, then every warning (tradecraft findings), in the chosen format, in a stable order."""
    ordered, cautions = sorted(set(found)), sorted(set(warnings))
    if fmt == "github":
        return "".join(github(p) + "\n" for p in [*ordered, *cautions])
    return json.dumps({"format_version": JSON_VERSION, "valid": not ordered, "problems": [_entry(p) for p in ordered],
                       "warnings": [_entry(w) for w in cautions]}, indent=2, ensure_ascii=False) + "\n"


def _entry(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "column": p.column, "field": p.field, "code": p.code, "severity": p.severity,
            "message": visible(p.message)}


def github(problem: Problem) -> str:
    """One GitHub workflow annotation (error or warning), shown on the line of the pull request that caused it."""
    title = f"{problem.field}: {problem.code}" if problem.field else problem.code
    props = ",".join(f"{key}={_property(value)}" for key, value in (
        ("file", problem.file), ("line", problem.line), ("col", problem.column), ("title", title)))
    return f"::{problem.severity} {props}::{_data(visible(problem.message))}"


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
