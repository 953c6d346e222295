"""The one month and weekday table, and regexes of their names built from it."""

from __future__ import annotations

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
MONTHS: dict[str, int] = {name: i for i, name in enumerate(MONTH_NAMES, 1)} | {
    name[:3]: i for i, name in enumerate(MONTH_NAMES, 1)} | {"sept": 9}
"""Month names and abbreviations (lower case) -> month number: the one month table."""

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(WEEKDAY_NAMES)} | {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
"""Weekday names and abbreviations (lower case) -> weekday number (Monday 0), as `date.weekday()`."""


def _alternation(names: list[str], capitalised: bool) -> str:
    ordered = sorted(names, key=lambda n: (-len(n), n))  # longest first: "March" before "Mar"
    return "(?:" + "|".join(n.capitalize() if capitalised else n for n in ordered) + ")"


def month_pattern(full: bool = False, capitalised: bool = False) -> str:
    """Regex (a non-capturing group) of the month names, abbreviations too unless `full`."""
    return _alternation(list(MONTH_NAMES if full else MONTHS), capitalised)


def weekday_pattern(full: bool = False, capitalised: bool = False) -> str:
    """Regex (a non-capturing group) of the weekday names, abbreviations too unless `full`."""
    return _alternation(list(WEEKDAY_NAMES if full else WEEKDAYS), capitalised)
