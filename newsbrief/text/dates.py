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
from dataclasses import dataclass

from newsbrief.text.months import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS, month_pattern, weekday_pattern
from newsbrief.text.numbers import UNITS, words_to_number

__all__ = [
    "MONTHS", "MONTH_NAMES", "WEEKDAYS", "WEEKDAY_NAMES", "DateMention", "add_months", "as_date", "date_line",
    "date_mentions", "dateline", "find_dates", "leading_date", "month_pattern", "nearest_year", "parse_date",
    "resolve", "stamp_date", "updated_stamp", "weekday_pattern", "wire_id_date",
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
_DATE_LINE = re.compile(rf"^[*•·>]*\s*{_DATE_PREFIX}{_DATE_CORE}{_TIME}\.?$", re.I)  # "*Wednesday, Feb. 24, 1999"
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


# --------------------------------------------------------------------------------------------------
# article dates from ids, datelines and stamps

_WIRE_ID = re.compile(r"^(?:[A-Z]{2,8}(?:_[A-Z]{2,3})?_?)((?:19[89]|20[0-3])\d)(\d{2})(\d{2})[._]\d{3,4}(?:\.\d+)?$")


def wire_id_date(identifier: str | None) -> str | None:
    """ISO date of a DUC/TAC/Gigaword-style newswire id ("APW19981106.0520", "XIE20000424.0055",
    "AFP_ENG_20050101.0001"), or None for any other id."""
    if not identifier:
        return None
    m = _WIRE_ID.match(identifier.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def nearest_year(month: int, day: int, near: dt.date) -> dt.date | None:
    """The date month/day in the year that puts it closest to `near` ("Dec. 31" near 2 Jan 1999 -> 1998)."""
    best = None
    for y in (near.year - 1, near.year, near.year + 1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - near).days) < abs((best - near).days):
            best = d
    return best


_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*(?P<place>[A-Z][A-Z.'’-]*(?:[ ][A-Z][A-Z.'’-]*){0,3}"  # PARIS, KUALA LUMPUR
    r"(?:,[ ][A-Z][A-Za-z.]*(?:[ ][A-Z][A-Za-z.]*)?)?),?[ ]"  # AMHERST, N.Y.
    rf"(?P<mon>{month_pattern(capitalised=True)})\.?[ ](?P<day>\d{{1,2}})(?:,?[ ](?P<year>\d{{4}}))?"
    r"[ ]*(?:\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?[ ]*(?:--|_|-|–|—|:)"
)


def dateline(text: str, near: dt.date | None = None, within: int = 600) -> tuple[int, int, str | None] | None:
    """A wire dateline in the first `within` characters: "PARIS, February 20 (Xinhua) --",
    "WASHINGTON, Oct. 29, 1998 (AP) _". Returns (start, end) of its date words and the ISO date: the
    year written, else the one nearest `near` (the wire id's date), else None."""
    m = _DATELINE.search(text[:within])
    if not m:
        return None
    month, day = MONTHS[m["mon"].lower()], int(m["day"])
    d = None
    try:
        if m["year"]:
            d = dt.date(int(m["year"]), month, day)
        elif near is not None:
            d = nearest_year(month, day, near)
    except ValueError:
        d = None
    return m.start("mon"), m.end("year") if m["year"] else m.end("day"), d.isoformat() if d else None


_STAMP_WORD = r"(?P<kind>first published|published|posted|last updated|updated|last modified|modified|date)"
_STAMP = re.compile(
    rf"(?:^|[(\[|•·\s])(?:[\w ]{{0,12}}\s)?{_STAMP_WORD}\b[^.()\n]{{0,30}}?(?:\bon\s+|:\s*|\s)"
    rf"(?P<date>{_DATE_CORE.replace('(?P<', '(?P<s_')})",
    re.I,
)
_NOT_A_STAMP = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b|\bphoto\b|\bpictured\b|\bfile\b", re.I)
_UPDATED = ("updated", "last updated", "modified", "last modified")


def stamp_date(line: str) -> tuple[str, str] | None:
    """(kind, ISO date) of a publication stamp in a header line: "Published on Feb 23, 2016", "posted at
    10:01 pm on March 2, 2016 by John Sexton", "(Published Tuesday, March 29, 2016)", "Updated: 2 June
    2007". `kind` is "published" or "updated" (an updated/modified stamp, never the article date).
    Copyright lines and photo credits are no stamps."""
    if len(line) > 400 or _NOT_A_STAMP.search(line):
        return None
    m = _STAMP.search(line)
    if not m:
        return None
    g = {k[2:]: v for k, v in m.groupdict().items() if k.startswith("s_")}
    iso = _line_date(_Groups(g))  # type: ignore[arg-type]
    if not iso:
        return None
    return ("updated" if m["kind"].lower() in _UPDATED else "published"), iso


class _Groups:
    """A dict of date-core groups that `_line_date` reads like a match."""

    def __init__(self, g: dict):
        self._g = g

    def groupdict(self) -> dict:
        return self._g


def updated_stamp(line: str) -> bool:
    """True for a date line that is an "updated"/"modified" stamp: it never gives the article date."""
    return bool(re.match(r"^\W*(?:last\s+)?(?:updated|modified)\b", line, re.I))


# --------------------------------------------------------------------------------------------------
# the in-text date finder with resolution: `find_dates(text, anchor)` -> [DateMention]

@dataclass(frozen=True)
class DateMention:
    """One resolved date expression of a text: `text[start:end]` means `date` at `precision`.

    `relative`: it needs the article date (weekdays, "yesterday", "two weeks ago", "last month");
    `explicit_year`: the year is written; `kind`: date, weekday, day (today...), ago, week, month, year;
    `forward`: a weekday the text points forward to ("will meet Thursday")."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: str  # day, month, year
    relative: bool
    explicit_year: bool
    kind: str
    forward: bool = False


_S = r"[ \u00a0]+"  # words of one date expression never span a paragraph break
_MON_T = month_pattern(capitalised=True) + r"\.?"
_WD_T = weekday_pattern(full=True, capitalised=True)
_YEAR_T = r"(?:1[6-9]\d\d|20\d\d)"
_ORD = r"(?:st|nd|rd|th)?"
_NUM_T = r"(?:\d+|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r"|a|an|one)"
_NUM_T_CAP = r"(?:\d+|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r"|[Aa]n?|[Oo]ne|" + "|".join(
    w.capitalize() for w in sorted(UNITS, key=len, reverse=True)) + r")"


def _ci(word: str) -> str:
    """A word whose first letter may be capitalised ("Last"/"last")."""
    return f"[{word[0].upper()}{word[0]}]{word[1:]}"


_UNIT_AFTER = (
    r"(?:people|persons|troops|soldiers|men|women|children|residents|workers|employees|km|kilomet(?:er|re)s|miles|"
    r"met(?:er|re)s|feet|ft|tons|tonnes|kg|pounds|dollars|euros|yuan|yen|rupees|gmt|utc|hours|hrs|local|est|edt|"
    r"pst|bst|cet|units|votes|cases|deaths|houses|homes|cars|vehicles|acres|hectares|barrels|points|pages|copies|"
    r"seats|members|jobs|rounds|shares|calories|students|passengers|victims|refugees|flights|ships|planes)\b"
)

_DAY_MONTH = (  # "May 28" or "28 May", for a weekday's date
    rf"(?:(?P<m0>{_MON_T}){_S}(?P<d0>\d{{1,2}}){_ORD}(?!\d)|(?P<d0b>\d{{1,2}}){_ORD}{_S}(?P<m0b>{_MON_T}))"
)
_ALTERNATIVES = [
    # a weekday with its date: "Monday, May 28", "Tuesday, Oct. 30, 2012" (the date is explicit)
    rf"(?P<wdate>(?:\b(?:[Oo]n|[Ll]ast|[Ss]ince|[Bb]y|[Uu]ntil){_S})?(?P<wd0>{_WD_T}),?{_S}{_DAY_MONTH}"
    rf"(?:,?{_S}(?P<y0>{_YEAR_T}))?(?!\d|:\d))",
    # "May 28", "Oct. 3, 1998"
    rf"(?P<mdy>(?P<m1>{_MON_T}){_S}(?P<d1>\d{{1,2}}){_ORD}(?!\d|:\d)(?:,?{_S}(?P<y1>{_YEAR_T}))?(?!\d))",
    # "28 May 2007", "the 3rd of October"
    rf"(?P<dmy>(?<![\d,.])(?P<d2>\d{{1,2}}){_ORD}{_S}(?:of{_S})?(?P<m2>{_MON_T})(?:,?{_S}(?P<y2>{_YEAR_T}))?(?!\d))",
    # "this week", "last weekend", "earlier this month", "last year"
    rf"(?P<rel2>\b(?:(?P<ea>{_ci('earlier')}|{_ci('later')}){_S})?"
    rf"(?P<which>{_ci('last')}|{_ci('this')}|{_ci('next')}|{_ci('past')}){_S}(?P<unit>weekend|week|month|year)\b(?!-))",
    # "January 1999", "in May", "last October", "early January", "by the end of May" (not "May 28")
    r"(?P<my>(?:\b(?P<mpre>in|since|by|during|until|of|from|through|before|after|early|late|mid-|last|next|this|"
    r"[Ee]arly|[Ll]ate|[Ll]ast|[Nn]ext|[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom)"
    rf"{_S}(?:(?:the{_S})?(?:beginning|end|middle){_S}of{_S})?)?"
    rf"(?P<m3>{_MON_T})(?!\.?{_S}\d{{1,2}}(?!\d))(?:,?{_S}(?P<y3>{_YEAR_T}))?(?![\w\d]))",
    # "three days ago", "a week ago"
    rf"(?P<ago>\b(?P<n>{_NUM_T_CAP}){_S}(?P<u>days?|weeks?|months?|years?){_S}ago\b)",
    # "two days earlier", "24 hours earlier" (counted from the article date)
    rf"(?P<earlier>\b(?P<n2>{_NUM_T_CAP}){_S}(?P<u2>days|hours|day){_S}earlier\b)",
    # weekdays: "Monday", "on Friday night", "last Thursday", "Friday's bombing", "late Sunday"
    r"(?P<wd>(?:\b(?P<wpre>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate|[Ss]ince|[Bb]y|[Uu]ntil|"
    rf"[Oo]n{_S}the{_S}night{_S}of){_S})?(?P<day>{_WD_T})(?![a-z])(?:['’]s)?"
    rf"(?:{_S}(?:morning|afternoon|evening|night))?)",
    # "yesterday", "today", "tonight", "tomorrow"
    r"(?P<rel>\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow)\b)",
    # a year: "in 1980", "since 1995", "1957 --", "the party's 2016 contenders" (not "2000 people", "1800 GMT")
    rf"(?P<year>(?<![\w$€£#.,/-])(?P<y4>{_YEAR_T})(?![\w%]|[.,]\d|-\d|{_S}(?:[A-Za-z]+{_S})?{_UNIT_AFTER}"
    rf"|{_S}(?:GMT|UTC|EST|EDT|hours|hrs)\b))",
]
# every expression starts a word: positions inside words fail at once
FIND_DATES = re.compile(r"\b(?:" + "|".join(_ALTERNATIVES) + ")")
"""The timeline's date finder (see `find_dates`); DATE_MENTION stays as it is for its users."""

_NOT_YEAR_BEFORE = re.compile(
    r"(?:\b(?:No|no|number|Flight|flight|Route|route|Highway|Resolution|resolution|Boeing|Airbus|at|Article|Room|room|"
    r"Suite|page|pages|Section|section|model|Model|Form|form|Channel)\.?|[$€£#]|[\d,]\s?)\s*$"
)
_FORWARD = re.compile(
    r"\b(?:will|shall|would|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|slated|going)\s+to|"
    r"(?:plans?|planned|planning|intends?|hopes?|expects?|expected|scheduled|due|set|slated|vowed|promised)"
    r"\s+to|(?:to\s+be\s+held|to\s+meet|to\s+give|to\s+vote|to\s+visit|to\s+announce|to\s+speak|to\s+hold)|"
    r"upcoming|coming|scheduled\s+(?:for|on)|next)\b|['’]ll\b|\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s+to\s+"
    r"(?!be\b)[a-z]+\b(?=[^,.;]*$)",
)
_PAST_AFTER_CUE = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|declared|denied|insisted|warned|noted|"
    r"wrote|claimed|admitted|revealed|disclosed|explained)\b"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s|\s[-–—]{1,2}\s|,\s(?:but|and|while|although|though)\s")


def _points_forward(text: str, start: int) -> bool:
    """Does the clause before a weekday point forward ("will meet Thursday", "to give a speech Thursday")?"""
    before = text[max(0, start - 90):start]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    before = before[cut:]
    cues = list(_FORWARD.finditer(before))
    if not cues:
        return False
    return not _PAST_AFTER_CUE.search(before[cues[-1].end():])


def _week(anchor: dt.date, which: str, unit: str, edge: str | None) -> tuple[dt.date, str] | None:
    which = which.lower()
    if unit == "year":
        off = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        return dt.date(anchor.year + off, 1, 1), "year"
    if unit == "month":
        off = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        d = add_months(anchor.replace(day=1), off)
        return d, "month"
    if unit == "weekend":
        wd = anchor.weekday()
        if which in ("last", "past"):
            sat = anchor - dt.timedelta(days=(wd - 5) % 7)
            if wd >= 5:
                sat -= dt.timedelta(days=7)
        elif which == "this":
            sat = anchor - dt.timedelta(days=wd - 5) if wd >= 5 else anchor + dt.timedelta(days=5 - wd)
        else:
            sat = anchor + dt.timedelta(days=(5 - wd) % 7 or 7)
            if wd >= 5:
                sat = anchor + dt.timedelta(days=12 - wd)
        first, last = sat, sat + dt.timedelta(days=1)
    else:  # week: Monday to Sunday
        monday = anchor - dt.timedelta(days=anchor.weekday())
        off = {"last": -7, "past": -7, "this": 0, "next": 7}[which]
        first = monday + dt.timedelta(days=off)
        last = first + dt.timedelta(days=6)
        if which == "this" and edge:
            if edge.lower() == "earlier":
                last = anchor
            else:
                first = anchor
    if first.month != last.month:
        return None
    return first.replace(day=1), "month"


def _count(word: str) -> int:
    w = word.lower()
    return 1 if w in ("a", "an", "one") else int(words_to_number(w) or 0)


def _resolve_found(m: re.Match, text: str, anchor: dt.date | None) -> DateMention | None:
    g = m.groupdict()
    rel, explicit_year, forward = False, False, False
    try:
        if g["wdate"] or g["mdy"] or g["dmy"]:
            mon_word = g["m0"] or g["m0b"] or g["m1"] or g["m2"]
            day_word = g["d0"] or g["d0b"] or g["d1"] or g["d2"]
            year_word = g["y0"] or g["y1"] or g["y2"]
            mon, day = MONTHS[mon_word.lower().rstrip(".")], int(day_word)
            d: dt.date | None
            if year_word:
                d, explicit_year = dt.date(int(year_word), mon, day), True
            elif anchor is None:
                return None
            else:
                d = nearest_year(mon, day, anchor)
                if d is None:
                    return None
                if g["wd0"] and d.weekday() != WEEKDAYS[g["wd0"].lower()]:
                    # the weekday names the year: "Monday, May 28" is 2007 near 2008
                    for y in (d.year - 1, d.year + 1):
                        try:
                            alt = dt.date(y, mon, day)
                        except ValueError:
                            continue
                        if alt.weekday() == WEEKDAYS[g["wd0"].lower()]:
                            d = alt
                            break
            return DateMention(m.start(), m.end(), m.group(0), d, "day", False, explicit_year, "date")
        if g["my"]:
            mon = MONTHS[g["m3"].lower().rstrip(".")]
            if not g["y3"] and not g["mpre"]:
                return None  # a bare month name ("August", "March") is too often something else
            if g["y3"]:
                d, explicit_year = dt.date(int(g["y3"]), mon, 1), True
            elif anchor is None:
                return None
            else:
                pre = (g["mpre"] or "").lower()
                if pre == "last":
                    year = anchor.year if mon < anchor.month else anchor.year - 1
                elif pre == "next":
                    year = anchor.year if mon > anchor.month else anchor.year + 1
                else:
                    near = nearest_year(mon, 15, anchor)
                    year = near.year if near else anchor.year
                d = dt.date(year, mon, 1)
                rel = pre in ("last", "next")
            start = m.start("m3") if (g["mpre"] or "").lower() in ("in", "since", "by", "during", "until", "of",
                                                                    "from", "through", "before", "after") else m.start()
            return DateMention(start, m.end(), text[start:m.end()], d, "month", rel, explicit_year, "month")
        if g["year"]:
            y = int(g["y4"])
            if _NOT_YEAR_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
                return None
            if anchor is not None and y > anchor.year + 30:
                return None
            return DateMention(m.start(), m.end(), m.group(0), dt.date(y, 1, 1), "year", False, True, "year")
        if anchor is None:
            return None
        rel = True
        if g["rel2"]:
            r = _week(anchor, g["which"], g["unit"], g["ea"])
            if r is None:
                return None
            return DateMention(m.start(), m.end(), m.group(0), r[0], r[1], True, False, "week")
        if g["ago"]:
            n = _count(g["n"])
            unit = g["u"].rstrip("s")
            if not n:
                return None
            if unit == "day":
                d, prec = anchor - dt.timedelta(days=n), "day"
            elif unit == "week":
                d, prec = anchor - dt.timedelta(days=7 * n), "day"
            elif unit == "month":
                d, prec = add_months(anchor, -n).replace(day=1), "month"
            else:
                d, prec = dt.date(anchor.year - n, 1, 1), "year"
            return DateMention(m.start(), m.end(), m.group(0), d, prec, True, False, "ago")
        if g["earlier"]:
            n = _count(g["n2"])
            days = n if g["u2"].startswith("day") else (n // 24 if n % 24 == 0 else 0)
            if not days:
                return None
            return DateMention(m.start(), m.end(), m.group(0), anchor - dt.timedelta(days=days), "day", True, False,
                               "ago")
        if g["wd"]:
            target = WEEKDAYS[g["day"].lower()]
            back = (anchor.weekday() - target) % 7
            pre = (g["wpre"] or "").lower()
            if pre == "next":
                d, forward = anchor + dt.timedelta(days=(7 - back) or 7), True
            elif pre == "last":
                d = anchor - dt.timedelta(days=back + 7 if back <= 1 else back)
            elif back and pre not in ("since",) and _points_forward(text, m.start()):
                d, forward = anchor + dt.timedelta(days=7 - back), True
            else:
                d = anchor - dt.timedelta(days=back)
            return DateMention(m.start(), m.end(), m.group(0), d, "day", True, False, "weekday", forward)
        if g["rel"]:
            off = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["rel"].lower()]
            return DateMention(m.start(), m.end(), m.group(0), anchor + dt.timedelta(days=off), "day", True, False,
                               "day")
    except (ValueError, KeyError, OverflowError):
        return None
    return None


def find_dates(text: str, anchor: dt.date | None) -> list[DateMention]:
    """Every date expression of `text` resolved against the article date `anchor` (None: only the dates that
    need no anchor, i.e. those with their year written). Weekdays resolve to the most recent such day on or
    before the anchor unless the text points forward ("will meet Thursday", "next Monday"); "last Thursday"
    said on a Friday is the week before; a month-day without a year takes the year nearest the anchor;
    "last week" is a month when the whole week lies in one month."""
    out = []
    for m in _matches(text):
        r = _resolve_found(m, text, anchor)
        if r is not None:
            out.append(r)
    return out


# Scanning every position with FIND_DATES is slow (its many alternatives); the same matches come from trying
# it only where a date word is (a month or weekday name, a number, "today", "ago", "week"...) and at the
# prefix words just before it ("on", "last", "early", "the night of").
_TRIGGER = re.compile(r"[A-Z][a-z]+|\d+|\b(?:yesterday|today|tonight|tomorrow|ago|earlier|week|weekend|month|year)\b")
_CORE = {n.capitalize() for n in MONTHS} | {n.capitalize() for n in WEEKDAY_NAMES} | {
    "Yesterday", "Today", "Tonight", "Tomorrow"}
_PREFIX = {"on", "last", "this", "next", "past", "early", "late", "since", "by", "until", "in", "during", "of",
           "from", "through", "before", "after", "the", "beginning", "end", "middle", "night", "earlier", "later"}
_WORDS_BEFORE = re.compile(r"\S+")


def _matches(text: str) -> Iterator[re.Match]:
    """What FIND_DATES.finditer(text) gives, faster."""
    last_end = 0
    for t in _TRIGGER.finditer(text):
        p = t.start()
        if p < last_end:
            continue
        w = t.group(0)
        if w[0].isupper() and w not in _CORE:
            continue
        starts = [p]
        back = [(x.start(), x.group(0)) for x in _WORDS_BEFORE.finditer(text, max(0, p - 48), p)]
        if back and back[-1][0] + len(back[-1][1]) < p and "\n\n" not in text[back[-1][0]:p]:
            if w in ("ago", "earlier"):  # "three days ago", "24 hours earlier"
                starts = [x[0] for x in back[-2:]] + starts
            else:
                for pos, word in reversed(back[-4:]):
                    if word.lower() not in _PREFIX:
                        break
                    starts.insert(0, pos)
        if text[max(0, p - 4):p] == "mid-":
            starts.insert(0, p - 4)
        for st in starts:
            if st < last_end:
                continue
            m = FIND_DATES.match(text, st)
            if m and m.end() > p:
                last_end = m.end()
                yield m
                break
