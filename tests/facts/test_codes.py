"""Problem codes are stable words a user can look up: each one the code can give is listed in the README."""
import re
from pathlib import Path

from generator.facts import dataset
from tests.conftest import REPO


def codes_in_source() -> set[str]:
    """Every code a Problem can be given: written out at its origin, or in the table for pydantic's errors."""
    found = set()
    for path in sorted((REPO / "generator").rglob("*.py")):
        found |= set(re.findall(r'code="([a-z0-9-]+)"', path.read_text()))
    rules = (REPO / "generator" / "facts" / "rules.py").read_text()
    found |= set(re.findall(r'"([a-z0-9]+(?:-[a-z0-9]+)*)"\)$', rules, re.M))  # rules name the code last
    return found | set(dataset._CODES.values())


def test_every_problem_code_is_listed_in_the_readme():
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("## Problem codes"):readme.index("## Safety")]
    listed = set(re.findall(r"`([a-z0-9-]+)`", table))
    assert codes_in_source() - listed == set()
