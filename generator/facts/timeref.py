"""Dates and times as analysts know them: with a precision, possibly a range, possibly unknown."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, timedelta, timezone

from pydantic_core import PydanticCustomError

ZONE = r"(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$"  # UTC, or an ISO 8601 offset from it (+02:00, +0200, -05)
_FORMS = [
    ("year", re.compile(r"^(\d{4})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("minute", re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})" + ZONE)),
    ("second", re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})" + ZONE)),
]
EXPECTED = "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00)"
PARTS_OF_DAY = ("early morning", "morning", "afternoon", "evening", "night")
YEARS = (1900, 2100)  # facts are dated within these years, so every range and chart axis stays computable


def check_year(year: int, text: str) -> None:
    """Refuse a date outside YEARS (year 1 or 9999 validate as dates but leave no room to compute with)."""
    if not YEARS[0] <= year <= YEARS[1]:
        raise PydanticCustomError("date_out_of_range", "'{value}' is outside the years {low} to {high}, expected a date "
                                  "in that range", {"value": text, "low": YEARS[0], "high": YEARS[1]})


@dataclass(frozen=True, order=True)
class Instant:
    """A point in time known to a precision: a year, a month, a day, a minute or a second (UTC)."""

    start: datetime
    precision: str

    @cached_property
    def end(self) -> datetime:
        """The last moment this instant could stand for (worked out once: counts, charts and sorting ask often)."""
        s = self.start
        if self.precision == "year":
            return s.replace(year=s.year + 1) - timedelta(microseconds=1)
        if self.precision == "month":
            nxt = s.replace(year=s.year + (s.month == 12), month=s.month % 12 + 1)
            return nxt - timedelta(microseconds=1)
        step = {"day": timedelta(days=1), "minute": timedelta(minutes=1), "second": timedelta(seconds=1)}
        return s + step[self.precision] - timedelta(microseconds=1)

    @property
    def day(self) -> date | None:
        """The calendar day, when known."""
        return self.start.date() if self.precision in ("day", "minute", "second") else None

    def iso(self) -> str:
        """The form it was written in, normalised."""
        fmt = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%dT%H:%MZ",
               "second": "%Y-%m-%dT%H:%M:%SZ"}[self.precision]
        return self.start.strftime(fmt)


def _offset(zone: str | None, text: str) -> timezone:
    """The time zone a written offset names: Z is UTC, +02:00 two hours ahead of it."""
    if not zone or zone == "Z":
        return timezone.utc
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise PydanticCustomError("when_impossible", "'{value}' has no such time zone offset, " + EXPECTED,
                                  {"value": text})
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_instant(value: object) -> Instant:
    """Read one instant from its written form, rejecting impossible dates and times without a zone.

    A time written with an offset (2023-10-20T16:26+02:00) is kept as the UTC moment it names (14:26Z).
    """
    if isinstance(value, Instant):
        return value
    if isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise PydanticCustomError("when", "{value!r} is not a date, " + EXPECTED, {"value": value})
    text = value.strip()
    for precision, pattern in _FORMS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groups()
        if precision in ("minute", "second") and not groups[-1]:
            raise PydanticCustomError(
                "when_naive", "'{value}' has no time zone, expected UTC written with a trailing Z, or the local "
                "time with its offset from UTC (+02:00)", {"value": text}
            )
        zone = groups[-1] if precision in ("minute", "second") else None
        numbers = [int(g) for g in (groups[:-1] if zone else groups) if g]
        check_year(numbers[0], text)
        numbers += [1] * (3 - len(numbers)) if len(numbers) < 3 else []
        offset = _offset(zone, text)
        try:
            moment = datetime(*numbers, tzinfo=offset)
        except ValueError:
            raise PydanticCustomError(
                "when_impossible", "'{value}' is not a real date or time, " + EXPECTED, {"value": text}
            ) from None
        return Instant(moment.astimezone(timezone.utc), precision)
    raise PydanticCustomError("when", "'{value}' is not a date, " + EXPECTED, {"value": text})
