"""Dates: metadata dates, date lines, the in-text date finder, date arithmetic.

- `parse_date("Tuesday, May 29, 2007")` / `parse_date("2007-05-29T10:00Z")` -> "2007-05-29": metadata
  strings, read by dateutil (a date needs its day, month and year).
- `date_line(line)` / `leading_date(line)`: a line that is only a date ("Posted: Mon, 28 May 2007 10:21"),
  or that starts with one ("2005/01/08 Tsunami aid ..."): the cleaner's header and byline lines.
- `date_mentions(text)` + `resolve(match, anchor)`: dates inside text, relative ones included ("Monday",
  "yesterday", "two weeks ago", "in May"), resolved against the article date (timeline, conflicts).
- `add_months`, `as_date`: date arithmetic (dateutil's relativedelta) and ISO strings -> `datetime.date`.

The month and weekday names come from `months` (one table).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from newsbrief.text.months import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS, month_pattern, weekday_pattern
from newsbrief.text.numbers import UNITS, words_to_number

__all__ = [
    "MONTHS", "MONTH_NAMES", "WEEKDAYS", "WEEKDAY_NAMES", "add_months", "as_date", "date_line", "date_mentions",
    "leading_date", "month_pattern", "parse_date", "resolve", "weekday_pattern",
]


def as_date(value: str | None) -> dt.date | None:
    """`datetime.date` of an ISO date string ("2007-05-29", "2007-05-29T10:00Z"), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def add_months(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` months (the day clipped to the month's end: 31 March - 1 month = 28/29 Feb)."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=n)


# --------------------------------------------------------------------------------------------------
# metadata strings

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DEFAULTS = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))  # a date part missing gives two answers


def parse_date(value: object) -> str | None:
    """ISO date (YYYY-MM-DD) of a metadata date string, or None when its day, month or year is missing."""
    if value is None:
        return None
    s = " ".join(str(value).split())
    m = _ISO.match(s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    if not s or len(s) > 100 or not any(c.isdigit() for c in s):
        return None
    from dateutil import parser

    try:
        a, b = (parser.parse(s, default=d, fuzzy=True).date() for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    return a.isoformat() if a == b else None


# --------------------------------------------------------------------------------------------------
# date lines (case-insensitive): "Tuesday, May 29, 2007", "Posted on 28 May 2007 at 10:21 GMT", "2005/01/08"

_MON = rf"(?P<mon>{month_pattern()})\.?"
_WDAY = rf"(?:{weekday_pattern()}\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|at|\||-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)?)?"
)
_DATE_CORE = (
    rf"(?:{_WDAY}(?:{_MON}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON.replace('mon>', 'mon2>')}\s*,?\s+(?P<y2>\d{{4}}))"
    r"|(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2}))"
)
_DATE_PREFIX = r"(?:(?:published|posted|updated|last updated|first published|date)(?:\s+on)?\s*:?\s*)?"
_DATE_LINE = re.compile(rf"^{_DATE_PREFIX}{_DATE_CORE}{_TIME}\.?$", re.I)
_DATE_START = re.compile(rf"^{_DATE_CORE}\s+(?=\S)", re.I)


def _line_date(m: re.Match) -> str | None:
    g = m.groupdict()
    try:
        if g.get("y1"):
            y, mo, d = int(g["y1"]), MONTHS[g["mon"].lower().rstrip(".")], int(g["d1"])
        elif g.get("y2"):
            y, mo, d = int(g["y2"]), MONTHS[g["mon2"].lower().rstrip(".")], int(g["d2"])
        else:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        return dt.date(y, mo, d).isoformat()
    except (KeyError, ValueError, TypeError):
        return None


def date_line(line: str) -> str | None:
    """ISO date of a line that is only a date (with a 'Posted:'-like prefix and a time, if any)."""
    m = _DATE_LINE.match(line)
    return _line_date(m) if m else None


def leading_date(line: str) -> tuple[int, str | None] | None:
    """(end, ISO date or None if invalid) of a full date starting `line` and followed by more text."""
    m = _DATE_START.match(line)
    return (m.end(), _line_date(m)) if m else None


# --------------------------------------------------------------------------------------------------
# dates inside text (case-sensitive: "May" is a month, "may" a verb)

_MONTH_RE = month_pattern(capitalised=True) + r"\.?"
_DAY_RE = weekday_pattern(full=True, capitalised=True)
DATE_MENTION = re.compile(
    r"(?P<mdy>" + _MONTH_RE + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{4}))?)"
    r"|(?P<dmy>(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH_RE + r")(?:,?\s+(?P<y2>\d{4}))?)"
    r"|(?P<my>(?:in|since|by|during|until|of)\s+(?P<m3>" + _MONTH_RE + r")(?:\s+(?P<y3>\d{4}))?)"
    r"|(?P<wd>(?:(?:on|last|this|early|late|on\s+the\s+night\s+of)\s+)?(?P<day>" + _DAY_RE + r")(?:['’]s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?)"
    r"|(?P<rel>\b(?:yesterday|today|tonight|tomorrow)\b)"
    r"|(?P<ago>\b(?P<n>\d+|" + "|".join(UNITS) + r"|a|an)\s+(?P<u>days?|weeks?|months?|years?)\s+ago\b)",
)
"""The in-text date finder; groups: mdy, dmy, my (month), wd (weekday), rel (yesterday...), ago."""


def date_mentions(text: str) -> Iterator[re.Match]:
    """The date expressions of `text`, in order (see `DATE_MENTION` for the kinds)."""
    return DATE_MENTION.finditer(text)


def resolve(m: re.Match, anchor: dt.date | None) -> tuple[dt.date, str] | None:
    """(date, precision 'day'|'month'|'year') of one date mention, relative to the article date `anchor`."""
    g = m.groupdict()
    try:
        if g["mdy"]:
            mon = MONTHS[g["mdy"].split()[0].lower().rstrip(".")]
            year = int(g["y1"]) if g["y1"] else (anchor.year if anchor else None)
            if year is None:
                return None
            return dt.date(year, mon, int(g["d1"])), "day"
        if g["dmy"]:
            mon = MONTHS[g["m2"].lower().rstrip(".")]
            year = int(g["y2"]) if g["y2"] else (anchor.year if anchor else None)
            if year is None:
                return None
            return dt.date(year, mon, int(g["d2"])), "day"
        if g["my"]:
            mon = MONTHS[g["m3"].lower().rstrip(".")]
            if g["y3"]:
                return dt.date(int(g["y3"]), mon, 1), "month"
            if anchor is None:
                return None
            year = anchor.year if mon <= anchor.month else anchor.year - 1
            return dt.date(year, mon, 1), "month"
        if anchor is None:
            return None
        if g["wd"]:
            back = (anchor.weekday() - WEEKDAYS[g["day"].lower()]) % 7
            if g["wd"].lower().startswith("last") and back == 0:
                back = 7
            return anchor - dt.timedelta(days=back), "day"
        if g["rel"]:
            off = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["rel"].lower()]
            return anchor + dt.timedelta(days=off), "day"
        if g["ago"]:
            word = g["n"].lower()
            n = 1 if word in ("a", "an") else int(words_to_number(word) or 0)
            unit = g["u"].rstrip("s")
            if unit == "day":
                return anchor - dt.timedelta(days=n), "day"
            if unit == "week":
                return anchor - dt.timedelta(days=7 * n), "day"
            if unit == "month":
                return add_months(anchor, -n), "month"
            return dt.date(anchor.year - n, 1, 1), "year"
    except (ValueError, KeyError):
        return None
    return None
