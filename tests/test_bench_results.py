"""make bench's RESULTS.md: a run keeps the sections it does not measure, and sums up every target it did."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # they import each other by name
import run  # noqa: E402  benchmarks/run.py


OLD = """# Scale benchmark

old scale table

## Targets

- old target: 1 s, met

## A profile written by hand

where the time goes

## Phones: Lighthouse mobile scores

- overview at S: 80/100/100/100, MISSED
"""

NEW = """# Scale benchmark

new scale table

## Targets

- whole brief build at L within 25 s: 24.0 s, met
"""


def test_a_run_keeps_the_sections_it_does_not_write_in_their_order():
    kept = run.kept_sections(OLD, NEW)
    assert kept == ("\n## A profile written by hand\n\nwhere the time goes\n"
                    "\n## Phones: Lighthouse mobile scores\n\n- overview at S: 80/100/100/100, MISSED\n")


@pytest.mark.parametrize("line, counted", [
    ("- whole brief build at L within 25 s: 24.0 s, met", "met"),
    ("- overview at L: performance ≥ 90, the others 100: 88/100/100/100, MISSED", "MISSED"),
    ("- desktop, served, L: 0.21 s = 1.17× the example's 0.18 s (target ≤ 1.5×): met", "met"),
    ("- XL: not run (`make bench XL=1`)", None),
    ("| L | 4.54 s | ≤ 1.5 s: MISSED |", None),  # a table cell is the section's own; its verdict line is what counts
])
def test_the_summary_takes_each_targets_verdict_line(line, counted):
    text = run.summary({"Section": f"intro\n\n{line}\n"}, started=0)
    if counted is None:
        assert "**Section**" not in text and "Targets met: 0; missed: 0." in text
    else:
        assert f"**Section**\n\n{line}\n" in text
        assert f"Targets met: {int(counted == 'met')}; missed: {int(counted == 'MISSED')}." in text
