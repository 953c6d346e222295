"""Numbers, quantities and durations in English news text, normalised.

`stated_numbers(text)` is the plain set of numbers a sentence states ("37,000" -> "37000", "Two" ->
"two"): two reports of different figures are not one claim (features.semantic_veto).

`find_quantities(text)` returns every numeric expression with its value, the unit it counts
(a base unit for durations: "three decades" -> 30 years), the noun it quantifies ("seven alleged
Revolutionary Guards agents" -> "agent"), and an interval of values it is compatible with
("almost 30 years" -> [25.5, 30]; "quarter of a century" -> [22, 28]). Two quantities agree when
their intervals overlap; that is what keeps "27 years" / "almost 30 years" / "nearly three
decades" from being reported as a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsbrief.text.months import month_pattern
from newsbrief.text.tokens import word_tree

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}

# duration units -> (base unit, factor)
DURATION = {
    "second": ("second", 1), "minute": ("second", 60), "hour": ("second", 3600),
    "day": ("day", 1), "week": ("day", 7), "fortnight": ("day", 14),
    "month": ("month", 1), "year": ("year", 1), "decade": ("year", 10),
    "century": ("year", 100), "centuries": ("year", 100), "millennium": ("year", 1000),
}
# units of measure -> base unit, factor
MEASURE = {
    "km": ("m", 1000), "kilometre": ("m", 1000), "kilometer": ("m", 1000), "metre": ("m", 1),
    "meter": ("m", 1), "m": ("m", 1), "mile": ("m", 1609.34), "ft": ("m", 0.3048),
    "feet": ("m", 0.3048), "foot": ("m", 0.3048), "kilometres": ("m", 1000), "kilometers": ("m", 1000),
    "miles": ("m", 1609.34), "metres": ("m", 1), "meters": ("m", 1), "kms": ("m", 1000), "kg": ("kg", 1),
    "kilogram": ("kg", 1),
    "tonne": ("kg", 1000), "ton": ("kg", 1000), "percent": ("%", 1), "per cent": ("%", 1),
    "%": ("%", 1), "magnitude": ("magnitude", 1), "mph": ("km/h", 1.609), "kph": ("km/h", 1),
    "knots": ("km/h", 1.852), "knot": ("km/h", 1.852), "km/h": ("km/h", 1), "kmh": ("km/h", 1),
}
CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "dollar": "USD", "dollars": "USD",
            "usd": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
            "yen": "JPY", "yuan": "CNY"}

# approximation words before the number: (low factor, high factor)
APPROX = {
    "almost": (0.85, 1.0), "nearly": (0.85, 1.0), "close to": (0.85, 1.0), "just under": (0.85, 1.0),
    "about": (0.85, 1.15), "around": (0.85, 1.15), "some": (0.85, 1.15), "roughly": (0.85, 1.15),
    "approximately": (0.85, 1.15), "an estimated": (0.8, 1.2), "estimated": (0.8, 1.2),
    "circa": (0.85, 1.15), "up to": (0.0, 1.0), "less than": (0.0, 1.0), "fewer than": (0.0, 1.0),
    "under": (0.0, 1.0), "below": (0.0, 1.0), "at most": (0.0, 1.0), "no more than": (0.0, 1.0),
    "more than": (1.0, 3.0), "over": (1.0, 3.0), "at least": (1.0, 3.0), "above": (1.0, 3.0),
    "just over": (1.0, 1.15), "in excess of": (1.0, 3.0), "upwards of": (1.0, 3.0),
    "as many as": (0.7, 1.0), "as much as": (0.7, 1.0), "only": (1.0, 1.0), "exactly": (1.0, 1.0),
}
_APPROX_RE = "|".join(sorted((re.escape(k) for k in APPROX), key=len, reverse=True))

# number words as prefix trees: the same matches (longer words first) as the plain alternation, faster
_NUMBER_WORD = "(?:{}(?:[\\s-]+{})*)".format(
    word_tree(list(UNITS) + list(TENS) + ["dozen"]),
    word_tree(list(UNITS) + list(TENS) + list(SCALES) + ["a", "an", "and", "dozen"]),
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

# one number token: digits (optionally followed by a scale word) or a spelt-out number
_NUM = re.compile(
    r"(?<![\w.,$])(?P<cur>(?:US)?\$|€|£)?\s?"
    r"(?P<num>" + _DIGITS + r"(?:\s*(?:hundred|thousand|million|billion|trillion|bn|m)\b)?"
    r"|(?:half|quarter)[\s-](?:a[\s-])?(?:million|billion|century|decade)"
    r"|(?:a|one|three)[\s-](?:half|quarter|third)[\s-]of[\s-]a[\s-](?:million|billion|century|decade)"
    r"|(?:a\s+)?(?:dozen|half[\s-]dozen)"
    r"|\b" + _NUMBER_WORD + r")\b"
    r"(?P<pct>\s?%)?",
    re.IGNORECASE,
)
_APPROX_BEFORE = re.compile(r"(?:\b(?P<ap>" + _APPROX_RE + r")\s+)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*|[%$€£]")

_NOT_A_HEAD = {
    "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "the", "a", "an",
    "was", "were", "is", "are", "be", "been", "had", "has", "have", "will", "would", "that",
    "which", "who", "after", "before", "since", "ago", "as", "than", "into", "this", "these",
    "those", "its", "their", "his", "her", "it", "they", "said", "says", "per", "later", "earlier",
}
_MODIFIERS = {
    "alleged", "suspected", "more", "other", "additional", "new", "former", "american", "british",
    "us", "u.s.", "iraqi", "iranian", "foreign", "armed", "young", "old", "small", "large", "major",
    "confirmed", "reported", "known", "dead", "injured", "missing", "people's", "extra", "further",
    "consecutive", "straight", "long", "full", "separate", "different", "high-level", "top",
    "senior", "civilian", "military", "local",
}
_IRREGULAR_PLURAL = {"people": "person", "men": "man", "women": "woman", "children": "child",
                     "police": "police", "personnel": "personnel", "staff": "staff", "feet": "foot",
                     "crew": "crew", "troops": "troop", "lives": "life", "centuries": "century",
                     "casualties": "casualty", "injuries": "injury", "countries": "country",
                     "cities": "city", "bodies": "body", "families": "family", "parties": "party"}


def singular(word: str) -> str:
    w = word.lower().strip("'’")
    if w in _IRREGULAR_PLURAL:
        return _IRREGULAR_PLURAL[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def words_to_number(text: str) -> float | None:
    """'seven' -> 7, 'twenty-seven' -> 27, '3,455' -> 3455, '1.5 million' -> 1.5e6,
    'quarter of a century' -> 25 (years handled by the caller), 'half a million' -> 5e5."""
    t = text.lower().replace("-", " ").strip()
    t = re.sub(r"\s+", " ", t)
    if not t:
        return None
    m = re.fullmatch(r"(" + _DIGITS + r")\s*(hundred|thousand|million|billion|trillion|bn|m)?", t)
    if m:
        v = float(m.group(1).replace(",", ""))
        scale = m.group(2)
        if scale:
            v *= {"bn": 1e9, "m": 1e6}.get(scale, SCALES.get(scale, 1))
        return v
    m = re.fullmatch(r"(?:(a|one|three) )?(half|quarter|third)(?: of)?(?: a)? (million|billion|century|decade)", t)
    if m:
        mult = {"a": 1, "one": 1, "three": 3, None: 1}[m.group(1)]
        base = {"million": 1e6, "billion": 1e9, "century": 100, "decade": 10}[m.group(3)]
        return mult * FRACTIONS[m.group(2)] * base
    if t in ("dozen", "a dozen"):
        return 12.0
    if t in ("half dozen", "a half dozen"):
        return 6.0
    total, current, seen = 0.0, 0.0, False
    for tok in t.split():
        if tok in ("and", "a", "an"):
            if tok in ("a", "an") and not seen:
                current = 1.0
            continue
        if tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in SCALES:
            total += (current or 1) * SCALES[tok]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass
class Quantity:
    start: int  # offsets into the text given to find_quantities
    end: int
    text: str  # the whole expression, e.g. "almost 30 years"
    value: float  # normalised value in `unit`
    unit: str  # "year", "day", "second", "USD", "%", "m", "count", ...
    head: str = ""  # singular noun it quantifies ("agent", "troop"); "" when bare
    kind: str = "count"  # count | duration | money | percent | measure | year
    approx: str = ""  # the approximation word, if any
    low: float = 0.0
    high: float = 0.0
    tokens_after: list[str] = field(default_factory=list)

    def agrees(self, other: Quantity) -> bool:
        return self.low <= other.high * 1.0000001 and other.low <= self.high * 1.0000001


def _interval(value: float, approx: str, vague: bool, raw: str) -> tuple[float, float]:
    lo, hi = value, value
    if approx:
        f = APPROX.get(approx.lower(), (0.85, 1.15))
        lo, hi = value * f[0], value * f[1]
        if f[1] >= 3.0:
            hi = float("inf")  # "at least 2", "more than 100": no upper bound
    # round numbers written as such ("3,500", "two decades", "a quarter of a century") are loose
    if vague:
        lo, hi = min(lo, value * 0.88), max(hi, value * 1.12)
    elif value >= 1000 and value % 100 == 0 and not approx:
        lo, hi = min(lo, value * 0.95), max(hi, value * 1.05)
    return lo, hi


_SCALE_AFTER = re.compile(r"\s*(?:hundred|thousand|million|billion|dozen)")
_OF_AFTER = re.compile(r"\s+of\b")
_MONTH_BEFORE = re.compile(month_pattern() + r"\.?\s+$", re.I)
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + month_pattern(full=True) + r"\b", re.I)
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_HYPHENATED = re.compile(r"-(\w+)(?:-old)?")
_VAGUE = re.compile(r"half|quarter|third|dozen")
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_DECADES = re.compile(r"(?:century|decade)$")
_PERCENT_WORD = re.compile(r"\s*(?:per\s?cent|percent|%)")
_NEXT_WORD = re.compile(r"[\s-]*\w+")
_NEXT_TOKEN = re.compile(r"[\s-]*\S+")
_SECOND_NUMBER_UNIT = re.compile(
    r"\s*(?:and|or|to|-|–)\s*(?:\d[\d,.]*|" + "|".join(list(UNITS) + list(TENS)) + r")\s+([A-Za-z]+)"
)
_UNIT_WORD = re.compile(r"\s*\S+?(?=[\s,.;:)]|$)")
_AGE = re.compile(r"-years?-old\b")
_CURRENCY_WORD = re.compile(r"dollars?|euros?|pounds?|yen|yuan", re.I)


def find_quantities(text: str) -> list[Quantity]:
    """Numeric expressions in `text` (years such as 1980 come out with kind 'year')."""
    out: list[Quantity] = []
    for m in _NUM.finditer(text):
        raw = m.group("num")
        low = raw.lower()
        if low in ("a", "an", "one") and not _SCALE_AFTER.match(text[m.end():]):
            # "one of his assistants", "a meeting": not a quantity worth comparing
            if low != "one":
                continue
        value = words_to_number(raw)
        if value is None:
            continue
        if low in ("one", "a", "an") and _OF_AFTER.match(text[m.end():]):
            continue
        start, end = m.start("num"), m.end()
        clock = text[end:end + 1] == ":" and text[end + 1:end + 2].isdigit()
        if clock or text[max(0, start - 1):start] in (":", "/", "-", "."):
            continue  # clock times "02:21", dates "2005/01/08", ranges
        if _MONTH_BEFORE.search(text[max(0, start - 12):start]) and raw.isdigit() and int(raw) <= 31:
            continue  # "February 27"
        if raw.isdigit() and int(raw) <= 31 and _MONTH_AFTER.match(text[end:end + 14]):
            continue  # "27 February"
        if _ORDINAL_SUFFIX.match(text[end:end + 3]):
            continue  # "July 7th"
        cur = m.group("cur")
        after = text[end:end + 80]
        toks = _WORD.findall(after)[:6]
        before = text[max(0, start - 40):start]
        ap = _APPROX_BEFORE.search(before)
        approx = ap.group("ap") if ap else ""
        qstart = start - len(ap.group(0)) if ap else start
        if cur:
            qstart = min(qstart, m.start())
        # hyphenated "four-hour", "27-year-old"
        hy = _HYPHENATED.match(text[end:end + 20])
        kind, unit, head = "count", "count", ""
        vague = bool(_VAGUE.search(low))
        qend = end
        # years: 4 digits 1000-2100 without a unit/scale word after
        is_year = bool(_YEAR.fullmatch(raw)) and not m.group("pct")
        if is_year and not (toks and singular(toks[0]) in DURATION) and not (hy and singular(hy.group(1)) in DURATION):
            out.append(Quantity(m.start("num"), end, text[m.start("num"):end], value, "year", "", "year", "",
                                value, value, toks))
            continue
        if _DECADES.search(low):
            kind, unit = "duration", "year"
            # value is already in years (words_to_number)
            vague = True
        elif m.group("pct") or (toks and toks[0].lower() in ("percent", "%")) or (toks[:2] == ["per", "cent"]):
            kind, unit = "percent", "%"
            if not m.group("pct"):
                w = _PERCENT_WORD.match(after)
                qend = end + (w.end() if w else 0)
        elif (
            cur
            or (toks and toks[0].lower() in CURRENCY)
            or (len(toks) > 1 and toks[0].lower() in SCALES and toks[1].lower() in CURRENCY)
        ):
            kind = "money"
            if toks and toks[0].lower() in SCALES:
                value *= SCALES[toks[0].lower()]
                toks = toks[1:]
                w = _NEXT_WORD.match(after)
                qend = end + (w.end() if w else 0)
                after = text[qend:qend + 80]
            if cur:
                unit = CURRENCY.get(cur.lower(), "USD")
            else:
                unit = CURRENCY[toks[0].lower()]
                w = _NEXT_TOKEN.match(after)
                qend = qend + (w.end() if w else 0)
        else:
            unit_tok = None
            # "11 and 12 years", "2 or 3 km", "five to six hours": the unit of the second number
            pair = _SECOND_NUMBER_UNIT.match(after)
            if pair and (singular(pair.group(1)) in DURATION or pair.group(1).lower() in MEASURE
                         or singular(pair.group(1)) in MEASURE) and not (toks and singular(toks[0]) in DURATION):
                toks = [pair.group(1)] + toks
            if hy and (singular(hy.group(1)) in DURATION or hy.group(1).lower() in MEASURE):
                unit_tok = hy.group(1)
                qend = end + hy.end()
            elif toks and (singular(toks[0]) in DURATION or toks[0].lower() in MEASURE or singular(toks[0]) in MEASURE):
                unit_tok = toks[0]
                w = _UNIT_WORD.match(after)
                if not pair or not w or w.group().strip().lower() == unit_tok.lower():
                    qend = end + (w.end() if w else 0)
            age = _AGE.match(text[end:end + 12])
            if age:
                kind, unit = "age", "year"
                qend = end + age.end()
                head = _count_head(_WORD.findall(text[qend:qend + 60])[:6])
            elif unit_tok is not None:
                u = singular(unit_tok)
                factor: float
                if u in DURATION:
                    kind = "duration"
                    unit, factor = DURATION[u]
                else:
                    kind = "measure"
                    unit, factor = MEASURE.get(unit_tok.lower()) or MEASURE[singular(unit_tok)]
                value *= factor
            else:
                # count: find the noun it counts, skipping modifiers ("seven alleged ... agents")
                if toks and toks[0].lower() in SCALES:
                    value *= SCALES[toks[0].lower()]
                    toks = toks[1:]
                head = _count_head(toks)
                if head in CURRENCY:
                    kind, unit, head = "money", CURRENCY[head], ""
                    w = _CURRENCY_WORD.search(text[end:end + 40])
                    qend = end + (w.end() if w else 0)
        lo, hi = _interval(value, approx, vague, raw)
        out.append(Quantity(qstart, qend, text[qstart:qend], value, unit, head, kind, approx, lo, hi, toks))
    return out


def _count_head(toks: list[str]) -> str:
    """The counted noun among the words after a number: first plural-looking noun within 4 words."""
    first_lower = None
    for i, t in enumerate(toks[:5]):
        tl = t.lower().strip("'’")
        if tl in _NOT_A_HEAD or re.match(r"[\d%$€£]", tl) or tl in UNITS or tl in TENS:
            break
        if tl in _IRREGULAR_PLURAL:
            return _IRREGULAR_PLURAL[tl]
        if t[0].islower() and tl.endswith("s") and not tl.endswith(("ss", "us", "is")) and tl not in _MODIFIERS:
            return singular(tl)
        if first_lower is None and t[0].islower() and tl not in _MODIFIERS:
            first_lower = tl
        if t[0].isupper() and i == 0 and tl.endswith("s") and not tl.endswith("ss") and len(tl) > 3:
            return singular(tl)  # "two Muslims", "three Americans"
    return singular(first_lower) if first_lower else ""


_NUMBER_TOKEN = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen)\b", re.I
)


def number_tokens(text: str) -> list[str]:
    """Every number token of `text` as written: digits ("37,000", "2007") and number words up to twelve."""
    return _NUMBER_TOKEN.findall(text)


def stated_numbers(text: str) -> set[str]:
    """The numbers a sentence states, normalised ("37,000" -> "37000", "Two" -> "two")."""
    return {t.replace(",", "").rstrip(".").lower() for t in number_tokens(text)}
