"""Validation problems for machines: GitHub workflow annotations and JSON."""
from __future__ import annotations

import json

from generator.errors import Problem

JSON_VERSION = 1


def problems(found: list[Problem], fmt: str) -> str:
    """Every problem in the chosen format, in a stable order."""
    ordered = sorted(set(found))
    if fmt == "github":
        return "".join(github(p) + "\n" for p in ordered)
    return json.dumps({"format_version": JSON_VERSION, "valid": not ordered, "problems": [
        {"file": p.file, "line": p.line, "column": p.column, "field": p.field, "code": p.code, "severity": p.severity,
         "message": p.message} for p in ordered
    ]}, indent=2, ensure_ascii=False) + "\n"


def github(problem: Problem) -> str:
    """One GitHub workflow annotation (error or warning), shown on the line of the pull request that caused it."""
    title = f"{problem.field}: {problem.code}" if problem.field else problem.code
    props = ",".join(f"{key}={_property(value)}" for key, value in (
        ("file", problem.file), ("line", problem.line), ("col", problem.column), ("title", title)))
    return f"::{problem.severity} {props}::{_data(problem.message)}"


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
