"""Every command in the README's command table is run end to end by some test, through the entry point a user types.

A test runs a command end to end when it calls the `brief` entry point (`cli.main([...])`, a helper in its
module that does, or `python -m generator ...` in a subprocess) with the command's words as arguments.
"""
import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

ENTRY_POINTS = {"main"}  # generator.cli.main, the function behind the brief command


def readme_commands() -> list[str]:
    """The first column of the README's command table, e.g. 'brief validate --format github|json'."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| (`brief .*?`) \|", table, re.M)  # a cell may name several: `a`, `b`
    return [command for cell in first_cells for command in re.findall(r"`(brief [^`]+)`", cell)]


def words(command: str) -> list[str]:
    """The words a test must pass: those before the first placeholder ('validate --format', 'import track')."""
    found = []
    for part in command.split()[1:]:
        if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*|--[a-z-]+", part):
            break
        found.append(part)
    return found


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def invocations(path: Path) -> list[tuple[str, set[str]]]:
    """(test or helper name, the strings passed) of every call in a test module that runs the brief command."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [(fn.name, call) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.ClassDef))
             for call in ast.walk(fn) if isinstance(call, ast.Call)]
    runs_brief = {name for name, call in calls if _name(call) in ENTRY_POINTS or {"-m", "generator"} <= _strings(call)}
    helpers = {name for name in runs_brief if not name.startswith("test")}
    return [(name, _strings(call)) for name, call in calls
            if _name(call) in ENTRY_POINTS | helpers or {"-m", "generator"} <= _strings(call)]


@pytest.fixture(scope="module")
def proven() -> list[tuple[str, str, set[str]]]:
    found = []
    for path in sorted((REPO / "tests").rglob("test_*.py")):
        if path.name != Path(__file__).name:
            found += [(path.relative_to(REPO).as_posix(), name, args) for name, args in invocations(path)]
    return found


def test_the_command_table_lists_every_command():
    assert len(readme_commands()) >= 11
    assert {c.split()[1] for c in readme_commands()} >= {"validate", "build", "diff", "new", "schema", "pdf", "synth",
                                                          "import", "serve", "init"}


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_has_an_end_to_end_test(command, proven):
    needed = set(words(command))
    runs = [f"{path}::{name}" for path, name, args in proven if needed <= args]
    assert runs, f"README command `{command}` has no test running it through the brief entry point with {sorted(needed)}"
