"""The one error hierarchy of intelbrief: library code raises these, the CLI reports them."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator import words
from generator.facts.text import visible


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the facts, located in a file, with a stable code tools can key on."""

    file: str
    line: int
    column: int
    field: str
    message: str
    code: str = field(kw_only=True)
    severity: str = field(default="error", kw_only=True)  # "error", or "warning" for a tradecraft finding

    def __str__(self) -> str:
        """One line for a terminal or log: control characters from the facts show as escapes (\\n, \\u202e)."""
        where = f"{self.file}:{self.line}:{self.column}" + (": warning" if self.severity == "warning" else "")
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return visible(f"{text} [{self.code}]")


def field_label(loc: tuple) -> str:
    """('observations', 0, 'status') → observations[0].status"""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class BriefError(Exception):
    """Anything intelbrief reports to a person instead of a traceback."""


class ValidationFailed(BriefError):
    """The facts do not hold up; every problem found is attached."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] = ()):
        self.problems = sorted(set(problems))
        self.warnings = sorted(set(warnings))  # tradecraft findings, printed after the errors
        super().__init__(f"{words.counted(len(self.problems), 'problem')} in the facts")

    def report(self) -> str:
        lines = [str(p) for p in self.problems] + [str(w) for w in self.warnings]
        count = len(self.problems)
        also = f", {plural(len(self.warnings), 'warning')}" if self.warnings else ""
        lines.append(f"{count} error{'s' if count != 1 else ''}{also}; nothing was written.")
        return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


class ConfigError(BriefError):
    """The project layout or brief configuration is unusable."""


class BuildError(BriefError):
    """Generation or the site build failed after the facts validated."""


class BrowserMissing(BriefError):
    """No Chromium executable was found for a step that needs one."""
