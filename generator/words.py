"""Numbers, plurals and dates for readers, from one place: Babel's English rules, never hand-written '(s)'.

Every count a reader sees is written by `number` (thousands separators), every counted noun by `counted`
(the plural form Babel's plural rule picks), and every date by `day`/`month` (one style: 14 Dec 2024).
"""
from __future__ import annotations

import datetime
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = Locale("en")
DAY = "d MMM y"  # 14 Dec 2024: the one date style readers see
MONTH = "MMM y"  # Dec 2024
# Plural forms that are not the singular with an s added.
IRREGULAR = {"country": "countries", "was": "were", "is": "are", "names": "name", "states": "state", "view": "views", "it": "them", "this": "these",
             "analysis": "analyses", "entry": "entries", "activity": "activities", "its": "their"}


def number(value: int) -> str:
    """A whole number as readers write it: 1,234."""
    return format_decimal(value, locale=LOCALE)


@cache
def _plural(noun: str) -> str:
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    head, _, last = noun.rpartition(" ")
    if " " in noun:  # "flight record" → "flight records", "outside view" → "outside views"
        return f"{head} {_plural(last)}"
    return noun + "s"


def form(noun: str, value: int) -> str:
    """The form of a noun (or a verb such as 'is') that agrees with a count: 'flight' or 'flights'."""
    return noun if LOCALE.plural_form(value) == "one" else _plural(noun)


def counted(value: int, noun: str, lower_bound: bool = False) -> str:
    """'1 flight', '1,234 flights', 'at least 3 flights'."""
    return f"{'at least ' if lower_bound else ''}{number(value)} {form(noun, value)}"


def day(value: datetime.date) -> str:
    """A calendar day: 14 Dec 2024."""
    return format_date(value, DAY, locale=LOCALE)


def month(value: datetime.date | str) -> str:
    """A month: Dec 2024 (from a date or a 'YYYY-MM' key)."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value + "-01")
    return format_date(value, MONTH, locale=LOCALE)


def days_between(first: datetime.date, last: datetime.date) -> str:
    """'7 and 15 Dec 2024', '30 Nov and 2 Dec 2024', '30 Dec 2024 and 2 Jan 2025' (shortest unambiguous form)."""
    if first.year != last.year:
        return f"{day(first)} and {day(last)}"
    if first.month != last.month:
        return f"{format_date(first, 'd MMM', locale=LOCALE)} and {day(last)}"
    return f"{first.day} and {day(last)}"
