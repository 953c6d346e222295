"""Claim-level conflicts between sources: different values for the same attribute, opposite statements.

Precision first; a conflict shows every side with its outlets and the exact spans.

Numbers (counts and tolls, ages, measures with units, durations, money, percentages) are aligned by
what they measure, not by how alike their sentences are: every value mention gets a slot description
(the counted noun, the state it counts — killed, injured, missing, held... —, the word governing it,
the words around it, the person it belongs to, the places next to it, the names of its sentence).
Two mentions from different articles whose values cannot agree are compared only when neither
article also gives the other's figure for that slot (then they are two slots, or an update), no
place next to one is missing from the other's sentence, and their sentences share some words; a
rule over their `SLOT_FEATURES` (`same_attribute`; parameters cross-validated over the hand labels
of tests/labels/trust_*.json by scripts/fit_trust.py) says whether they measure the same thing. Linked mentions form an
attribute; its mentions split into sides by value. Hedges are intervals ("at least 40" agrees with 47,
"up to 300,000" does not with "more than 300,000"); units are converted (km / miles / feet, minutes /
hours); a sentence giving two values for one slot ("from 1960 to 1994"), a decimal read as a count,
initials and titles never make a side. An article that carries two sides keeps neither (a figure it
corrects or updates itself).

Change over time: when the sides come from articles of different dates and the value grows with the
date (a toll, a count of cases), or the later side says so ("rose to", "has climbed to"), the item is
a `Conflict` of type "change", shown apart, never as a contradiction.

Agreements: values of one attribute worded differently that agree ("27 years" / "almost 30 years").

Dates and weekdays of the same event, resolved against each article's date; one-holder offices named
with different people; opposite statements (a time set for a follow-up vs "no date had been set").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsbrief.analysis._text import Similarity, span
from newsbrief.model import Agreement, Conflict, ConflictSide, Sentence, Span
from newsbrief.text.dates import as_date, date_mentions, resolve
from newsbrief.text.numbers import Quantity, find_quantities, singular
from newsbrief.text.stem import content_stems, match_stem
from newsbrief.text.wordlists import FUNCTION_WORDS

# ---------------------------------------------------------------------------------------------- mentions

# what a count counts: canonical states (a toll, the injured, the missing...), from the words around it
_STATE_WORDS = {
    "dead": "killed kill kills killing dead died die dies dying death deaths toll fatalities fatality lives perished "
            "murdered drowned slain victims",
    "injured": "injured injuring injure wounded wounding hurt injuries",
    "missing": "missing unaccounted",
    "homeless": "homeless displaced evacuated evacuees fled flee",
    "held": "hostage hostages kidnapped abducted seized held captive captives",
    "arrested": "arrested detained jailed charged indicted convicted",
    "rescued": "rescued saved plucked",
    "recovered": "recovered discharged survived survivors surviving",
    "aboard": "aboard board onboard carrying carried",
    "sick": "ill sick infected cases case sickened",
}
STATES = {w: k for k, ws in _STATE_WORDS.items() for w in ws.split()}
_CHANGE = re.compile(r"\b(?:rose|risen|rising|rises|climbed|climbs|climbing|jumped|increased|grew|reached|reaches|"
                     r"bringing|brought|pushing|pushed|mounted|now|latest|updated|revised|raised)\b", re.I)
_RETRACT = re.compile(r"\b(?:wrong|incorrect|mistaken|erroneous|revised|corrected|initially|originally|first "
                      r"reported|earlier (?:reported|said|put))\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME_BEFORE = re.compile(r"([A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+)*)\W{0,3}$")
_APPOSITIVE_AGE = re.compile(r"\b([A-Z][a-z][\w'’-]*),\s+(\d{1,2}),?"
                             r"(?=[,.;]|\s+(?:and|of|from|was|is|who|has|had|a|an|the)\b)")
_COPULA_NOUN = re.compile(r"\b(?:are|were|is|was|being)\s+(?:all\s+|also\s+|not\s+)?(?:[a-z]+\s+)?([a-z]+s)\b")
_BARE = re.compile(r"\b(?:the|these|those|all)\s+$", re.I)
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundreds",
                 "thousands", "dozens", "millions"}
_PLACE = re.compile(r"\b(?:in|at|throughout|across|near|around)\s+(?:the\s+)?([A-Z][\w'’-]+)")
_RELATIVE = re.compile(r"\s+(?:other\s+[a-z]|more|additional|further|new|extra)\b", re.I)
_CLOCK = re.compile(r"\s*(?:a\.?m\.?|p\.?m\.?|o'clock|GMT|EDT|EST|local time)\b|:\d", re.I)
_RANGE = re.compile(r"\b(\d[\d,]*)\s*(?:-|–|to|and)\s*(\d[\d,]*)\s+([A-Za-z]+)")
_MAGNITUDE = re.compile(r"\bmagnitude[\s-]+(\d(?:\.\d)?)\b", re.I)
_TEMPERATURE = re.compile(r"^\s*(?:degrees?\s+)?(celsius|centigrade|fahrenheit|degrees?|[CF]\b)", re.I)
_MINUS = re.compile(r"\b(?:minus|negative)\s+$", re.I)
_UNIT_STEMS = {match_stem(w) for w in """kilometer kilometers kilometre kilometres km kms mile miles meter meters metre
    metres year years decade decades month months week weeks day days hour hours minute minutes second seconds percent
    cent dollar dollars million millions billion billions foot feet""".split()}
_SKIP_GOV = FUNCTION_WORDS | {"about", "around", "almost", "nearly", "least", "more", "than", "some", "over", "under",
                    "approximately", "estimated", "another", "other", "only", "just", "exactly", "further", "total"}
_VAGUE_HEADS = {"time", "way", "thing", "part", "point", "one", "other", "others", "kind", "side", "sort", "lot",
                "number", "few", "many", "some", "more", "all", "each", "both", "round", "step", "place", "still",
                "percent", "year", "month", "day", "week", "hour", "minute"}


_NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
               "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
               "fahrenheit", "celsius", "u.s", "u.s.", "us"}
_ABOVE = {"more than", "over", "above", "in excess of", "upwards of", "just over"}
_BELOW = {"less than", "fewer than", "under", "below", "just under"}
_ROUND_WORDS = re.compile(r"\b(?:decades?|centuries|century|dozens?|scores?|hundreds|thousands)\b", re.I)
_HUMAN = {"person", "resident", "inhabitant", "citizen", "civilian", "individual", "adult", "soul"}


@dataclass(frozen=True)
class Value:
    """A value mention inside one sentence (offsets into the sentence text)."""

    start: int
    end: int
    text: str
    kind: str  # count, age, measure, duration, money, percent
    unit: str
    value: float
    low: float
    high: float
    approx: str
    head: str  # the counted noun ("person", "village"), "" if none
    heads: frozenset[str]  # the counted noun and nouns the sentence equates it with ("the five are diplomats")
    bare: bool  # a definite count without a noun ("the five"): only the equated nouns say what it counts
    state: str  # what the count counts: dead, injured, missing, held... ("" if none)
    gov: str  # the nearest content word before it
    local: frozenset[str]  # content stems around it
    subject: str  # the name it belongs to ("slepian" in "Slepian, 51,"), "" if none
    places: frozenset[str]  # capitalised words next to it ("throughout Europe", "in Sissano")
    change: bool  # its clause reports a change ("rose to", "bringing the toll to")
    retracted: bool  # its sentence says a figure was wrong or revised


def _window(text: str, start: int, end: int, before: int = 4, after: int = 6) -> tuple[list[str], list[str]]:
    left = _WORD.findall(text[max(0, start - 70):start])[-before:]
    right = _WORD.findall(text[end:end + 90])[:after]
    return left, right


def _value(text: str, q: Quantity, kind: str | None = None, unit: str | None = None, value: float | None = None,
           subject: str = "") -> Value:
    left, right = _window(text, q.start, q.end)
    low_words = [w.lower() for w in left + right]
    state = next((STATES[w] for w in reversed([w.lower() for w in left]) if w in STATES), "") or \
        next((STATES[w] for w in [w.lower() for w in right] if w in STATES), "")
    gov = ""
    for w in reversed(left):
        if w.lower() not in _SKIP_GOV and len(w) > 2 and not w[0].isupper():
            gov = match_stem(w)
            break
    local = frozenset(match_stem(w) for w in low_words
                      if w not in FUNCTION_WORDS and len(w) > 2) - _UNIT_STEMS - {"number"}
    if not subject:
        m = _NAME_BEFORE.search(text[max(0, q.start - 40):q.start])
        if m and q.kind == "age" and m.group(1).split()[-1].lower() not in FUNCTION_WORDS:
            subject = m.group(1).split()[-1].lower()
    clause = text[max(0, q.start - 60):q.end]
    v = q.value if value is None else value
    low, high = (q.low, q.high) if value is None else (value, value)
    ap = q.approx.lower()
    if ap in _ABOVE:  # "more than 300,000" excludes 300,000 itself ("as many as 300,000" does not)
        low = max(low, v + 1e-6 * max(abs(v), 1.0))
    elif ap in _BELOW:
        high = min(high, v - 1e-6 * max(abs(v), 1.0))
    if not ap and _ROUND_WORDS.search(q.text):  # "four decades", "two dozen": round by nature
        low, high = min(low, v * 0.88), max(high, v * 1.12)
    head = q.head if q.head not in _VAGUE_HEADS else ""
    head = "person" if head in _HUMAN else head
    bare = q.kind == "count" and not head and bool(_BARE.search(text[max(0, q.start - 12):q.start]))
    heads = {head} if head else set()
    if q.kind == "count" and (bare or head):  # "seven ... agents, men Iran insists are diplomats"
        for c in _COPULA_NOUN.finditer(text):
            w = c.group(1)
            if c.group(0).split()[1].lower() not in _NUMBER_WORDS and not re.search(r"\d", c.group(0)) \
                    and w not in FUNCTION_WORDS and len(w) > 3:
                heads.add(singular(w))
    near = text[max(0, q.start - 30):min(len(text), q.end + 45)]
    places = frozenset(match_stem(w) for w in _PLACE.findall(near)
                       if w.lower() not in _NOT_PLACES and w.lower() != subject)
    return Value(q.start, q.end, text[q.start:q.end], kind or q.kind, unit or q.unit, v, low, high, q.approx, head,
                 frozenset(heads), bare, state, gov, local, subject, places, bool(_CHANGE.search(clause)),
                 bool(_RETRACT.search(text)))


@lru_cache(maxsize=20000)
def values(text: str) -> tuple[Value, ...]:
    """Every value mention of a sentence worth comparing across sources."""
    out: list[Value] = []
    taken: list[tuple[int, int]] = []
    for m in _APPOSITIVE_AGE.finditer(text):  # "Slepian, 51," / "Qin, 44, and Wang, 31"
        age = int(m.group(2))
        if m.group(1).lower() in FUNCTION_WORDS or age < 1:
            continue
        q = Quantity(m.start(2), m.end(2), m.group(2), float(age), "year", "", "age", "", age, age)
        out.append(_value(text, q, subject=m.group(1).lower()))
        taken.append((m.start(2), m.end(2)))
    for m in _MAGNITUDE.finditer(text):  # "magnitude 6", "magnitude-6.2"
        mag = float(m.group(1))
        q = Quantity(m.start(1), m.end(1), m.group(1), mag, "magnitude", "", "measure", "", mag, mag)
        out.append(_value(text, q))
        taken.append((m.start(1), m.end(1)))
    for m in _RANGE.finditer(text):  # "between 130-170 degrees", "20 to 30 people"
        lo, hi = float(m.group(1).replace(",", "")), float(m.group(2).replace(",", ""))
        word = m.group(3).lower()
        if hi <= lo or word in FUNCTION_WORDS:
            continue
        temperature = word.startswith(("degree", "fahrenheit", "celsius"))
        if not temperature and not (word.endswith("s") or word in ("people", "men", "women", "children")):
            continue
        q = Quantity(m.start(1), m.end(3), m.group(0), lo, "", "", "count", "", lo, hi)
        if temperature:
            rv = _value(text, q, "measure", "°C" if "celsius" in word else "°F" if "fahr" in word else "degrees")
        else:
            q = Quantity(m.start(1), m.end(3), m.group(0), lo, "count", singular(word), "count", "", lo, hi)
            rv = _value(text, q)
        out.append(Value(**{**rv.__dict__, "low": lo, "high": hi}))
        taken.append((m.start(1), m.end(2)))
    for q in _quantities(text):
        if q.kind == "year" or any(s <= q.start < e or q.start <= s < q.end for s, e in taken):
            continue
        kind, unit, value = q.kind, q.unit, None
        temp = _TEMPERATURE.match(text[q.end:q.end + 20]) if q.kind == "count" else None
        if q.kind == "count" and (temp or q.head in ("degree", "celsius", "fahrenheit")):
            word = (temp.group(1) if temp else q.head).lower()
            kind, unit = "measure", {"c": "°C", "celsius": "°C", "centigrade": "°C", "f": "°F",
                                     "fahrenheit": "°F"}.get(word, "degrees")
            value = -q.value if _MINUS.search(text[max(0, q.start - 10):q.start]) else q.value
        elif q.kind == "count" and (q.value == 1 or (q.value != int(q.value) and q.value < 1000)):
            continue  # "one" is mostly a pronoun; "5.9" is not a count of things
        if q.kind == "count" and (_RELATIVE.match(text[q.end:q.end + 20]) or _CLOCK.match(text[q.end:q.end + 8])):
            continue  # "three other provinces", "four more cases": an increment, not a total; "8 p.m."
        val = _value(text, q, kind, unit, value)
        if kind == "count" and not (val.heads or val.state):
            continue  # a bare number: nothing to say what it counts
        out.append(val)
    return tuple(out)


@dataclass
class Mention:
    """A value mention in the cluster: which sentence (index into the analysis' sentences), which value."""

    i: int
    sentence: Sentence
    v: Value
    names: frozenset[str]
    date: dt.date | None

    @property
    def article(self) -> str:
        return self.sentence.article


_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w’'-]*")


@lru_cache(maxsize=20000)
def _names(text: str) -> frozenset[str]:
    """Capitalised words of the sentence, its dateline included (stemmed, lower-cased)."""
    return frozenset(match_stem(w) for w in _CAPITALISED_WORD.findall(text)
                     if w.lower() not in FUNCTION_WORDS and w.lower() not in _NOT_PLACES)


def cluster_mentions(articles, sentences) -> list[Mention]:

    dates = {a.id: as_date(a.date) for a in articles}
    out: list[Mention] = []
    for i, s in enumerate(sentences):
        vs = values(s.text)
        if vs:
            names = _names(s.text)
            out.extend(Mention(i, s, v, names, dates.get(s.article)) for v in vs)
    return out


# ---------------------------------------------------------------------------------------------- pairs

SLOT_FEATURES = (
    "count", "age", "measure", "duration", "money", "percent",
    "head same", "head differs", "head missing", "state same", "state differs", "state missing",
    "governor same", "context overlap", "lexical", "names overlap", "subject same", "subject differs",
    "log ratio", "one hedged", "both hedged", "dated apart", "days apart", "change words", "later is larger",
    "verbatim run", "retraction",
)
_KINDS = ("count", "age", "measure", "duration", "money", "percent")
PAIR_FLOOR = 0.2  # TF-IDF cosine of the two sentences below which a pair is not scored (unless one named person)


def agree(a: Value, b: Value) -> bool:
    """The two values can be the same figure (their intervals overlap)."""
    eps = 1e-7 * max(abs(a.value), abs(b.value), 1.0)
    return a.low <= b.high + eps and b.low <= a.high + eps


def _comparable(a: Value, b: Value) -> bool:
    """Worth asking the model: same kind and unit, and something says they may measure the same thing."""
    return a.kind == b.kind and a.unit == b.unit and _slot_hint(a, b)


def _different_places(a: Mention, b: Mention) -> bool:
    """A place named next to one value that the other sentence does not name, while it names others: "32 (in
    Poland)" / "62 throughout Europe" count different things."""
    for x, y in ((a, b), (b, a)):
        if x.v.places and y.names and not (x.v.places & y.names):
            return True
    return False


def _slot_hint(a: Value, b: Value) -> bool:
    if a.kind == "count":
        return bool((a.heads & b.heads) or (a.state and a.state == b.state))
    if a.kind == "age":
        return bool((a.subject and a.subject == b.subject) or (a.head and a.head == b.head) or a.local & b.local)
    return bool(a.local & b.local or (a.gov and a.gov == b.gov))


@lru_cache(maxsize=20000)
def _all_counts(text: str) -> frozenset[float]:
    """Every count a sentence states, whatever it counts ("three others" included)."""
    return frozenset(q.value for q in _quantities(text) if q.kind == "count")


@lru_cache(maxsize=20000)
def _quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(find_quantities(text))


def candidate_pairs(mentions: list[Mention]) -> list[tuple[int, int]]:
    """Pairs of mentions (indices) from different articles, comparable, whose values cannot agree, and neither
    of whose values the other sentence also gives (then they are two slots of one report: "40 dead at Malol
    and 41 at Sissano" against the same sentence elsewhere)."""
    by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
    in_sentence: dict[int, list[Value]] = defaultdict(list)
    in_article: dict[str, list[Value]] = defaultdict(list)
    mentions_text = {m.i: m.sentence.text for m in mentions}
    for k, m in enumerate(mentions):
        by_kind[(m.v.kind, m.v.unit)].append(k)
        in_sentence[m.i].append(m.v)
        in_article[m.article].append(m.v)

    def elsewhere(v: Value, sentence: int) -> bool:
        return any(o.kind == v.kind and o.unit == v.unit and agree(o, v) for o in in_sentence[sentence]) or \
            (v.kind == "count" and v.value in _all_counts(mentions_text[sentence]))

    def in_other_article(v: Value, article: str) -> bool:
        """The other article gives this very figure for the same thing too: it reports both values."""
        return any(o.kind == v.kind and o.unit == v.unit and agree(o, v) and _slot_hint(o, v) and
                   (o.kind != "count" or (bool(o.heads & v.heads) and o.state == v.state)) for o in in_article[article])

    pairs = []
    for idx in by_kind.values():
        for x, k in enumerate(idx):
            a = mentions[k]
            for k2 in idx[x + 1:]:
                b = mentions[k2]
                if a.article == b.article or agree(a.v, b.v) or not _comparable(a.v, b.v) or \
                        _different_places(a, b):
                    continue
                if elsewhere(a.v, b.i) or elsewhere(b.v, a.i) or in_other_article(a.v, b.article) or \
                        in_other_article(b.v, a.article):
                    continue
                pairs.append((k, k2))
    return pairs


def pair_features(a: Mention, b: Mention, lexical: float) -> np.ndarray:
    from newsbrief.support import facts, verbatim_run

    va, vb = a.v, b.v
    jn = len(a.names & b.names) / len(a.names | b.names) if a.names and b.names else 0.0
    jl = len(va.local & vb.local) / len(va.local | vb.local) if va.local and vb.local else 0.0
    ratio = abs(math.log(max(abs(va.value), 1e-9) / max(abs(vb.value), 1e-9))) if va.value and vb.value else 3.0
    dated = a.date is not None and b.date is not None
    days = abs((a.date - b.date).days) if a.date is not None and b.date is not None else 0
    later_larger = a.date is not None and b.date is not None and days > 0 and \
        ((a.date > b.date) == (va.value > vb.value))
    return np.array([
        *(float(va.kind == k) for k in _KINDS),
        float(bool(va.heads & vb.heads)),
        float(bool(va.heads and vb.heads and not (va.heads & vb.heads))),
        float(not va.heads or not vb.heads),
        float(bool(va.state and va.state == vb.state)),
        float(bool(va.state and vb.state and va.state != vb.state)),
        float(not va.state or not vb.state),
        float(bool(va.gov and va.gov == vb.gov)),
        jl,
        lexical,
        jn,
        float(bool(va.subject and va.subject == vb.subject)),
        float(bool(va.subject and vb.subject and va.subject != vb.subject)),
        min(ratio, 3.0),
        float(bool(va.approx) != bool(vb.approx)),
        float(bool(va.approx and vb.approx)),
        float(dated and days > 0),
        min(days, 30),
        float(va.change or vb.change),
        float(later_larger),
        verbatim_run(facts(a.sentence.text), facts(b.sentence.text)),
        float(va.retracted or vb.retracted),
    ])


# the link rule's two parameters, chosen by cross-validation over the labelled clusters (scripts/fit_trust.py):
# two mentions measure the same thing when their sentences are this alike (TF-IDF cosine), or share this
# much of one verbatim run, and nothing about them differs (counted noun, state, person)
LINK_LEXICAL = 0.55
LINK_VERBATIM = 0.6
LINK_STRONG_SLOT = 0.1  # less sentence likeness needed when noun, state and names all agree
_FI = {name: k for k, name in enumerate(SLOT_FEATURES)}


def same_attribute(x, lexical: float | None = None, verbatim: float | None = None) -> bool:
    """Do two mentions (their SLOT_FEATURES `x`) give the same attribute? Precision first.

    A learned alternative (gradient-boosted trees over the same features, fitted on the trust labels) reached
    only 0.55-0.67 held-out precision at 0.09-0.15 recall and did not keep the constructed test pairs, so the
    rule decides (BENCHMARKS.md)."""
    if x[_FI["state differs"]] or x[_FI["head differs"]] or x[_FI["subject differs"]]:
        return False
    if x[_FI["age"]] and x[_FI["subject same"]]:
        return True  # "Slepian, 51," / "Dr. Barnett A. Slepian, 52,": one named person, two ages
    if x[_FI["count"]] and not (x[_FI["head same"]] or x[_FI["state same"]]):
        return False
    if x[_FI["age"]] and not x[_FI["head same"]]:
        return False
    lexical = LINK_LEXICAL if lexical is None else lexical
    verbatim = LINK_VERBATIM if verbatim is None else verbatim
    if x[_FI["count"]] and x[_FI["head same"]] and x[_FI["state same"]] and x[_FI["names overlap"]] >= 0.5:
        lexical -= LINK_STRONG_SLOT  # the same noun in the same state, in sentences naming the same places/people
    return x[_FI["lexical"]] >= lexical or x[_FI["verbatim run"]] >= verbatim


def scored_pairs(articles, sentences, mentions: list[Mention] | None = None
                 ) -> tuple[list[Mention], list[tuple[int, int]], np.ndarray]:
    """Mentions, candidate pairs and their SLOT_FEATURES (what scripts/fit_trust.py trains on)."""
    from newsbrief.features import tfidf_matrix

    mentions = cluster_mentions(articles, sentences) if mentions is None else mentions
    pairs = candidate_pairs(mentions)
    if not pairs:
        return mentions, [], np.zeros((0, len(SLOT_FEATURES)))
    rows = sorted({mentions[k].i for p in pairs for k in p})
    where = {i: r for r, i in enumerate(rows)}
    tf = tfidf_matrix([sentences[i].text for i in rows])
    kept, feats = [], []
    for a, b in pairs:
        ma, mb = mentions[a], mentions[b]
        lexical = float(tf[where[ma.i]].multiply(tf[where[mb.i]]).sum())
        if lexical < PAIR_FLOOR and not (ma.v.subject and ma.v.subject == mb.v.subject) and not \
                (ma.v.bare or mb.v.bare):
            continue  # sentences with next to nothing in common: not one fact (held-out precision, fit_trust.py)
        kept.append((a, b))
        feats.append(pair_features(ma, mb, lexical))
    return mentions, kept, np.array(feats).reshape(-1, len(SLOT_FEATURES))


# ---------------------------------------------------------------------------------------------- attributes

MAX_SIDES = 4
_PLURAL = {"person": "people", "man": "men", "woman": "women", "child": "children", "police": "police",
           "staff": "staff", "personnel": "personnel", "crew": "crew"}
_STATE_LABEL = {"dead": "killed", "injured": "injured", "missing": "missing", "homeless": "displaced",
                "held": "held", "arrested": "arrested", "rescued": "rescued", "sick": "ill", "recovered": "recovered",
                "aboard": "aboard"}
_AGE_NOT_CHANGING = 300  # days apart before two ages of one person may be a birthday, not a disagreement


def _plural(w: str) -> str:
    if w in _PLURAL:
        return _PLURAL[w]
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith(("s", "x", "ch", "sh")):
        return w + "es"
    return w + "s"


def _attribute(vs: list[Value]) -> tuple[str, str]:
    """(attribute in words, kind) of a group of mentions."""
    v = vs[0]
    common = lambda attr: max({getattr(x, attr) for x in vs if getattr(x, attr)}, default="",  # noqa: E731
                              key=lambda w: sum(getattr(x, attr) == w for x in vs))
    if v.kind == "count":
        state, head = common("state"), common("head")
        if state and head:
            return f"number of {_plural(head)} {_STATE_LABEL[state]}", "count"
        if state:
            return f"number {_STATE_LABEL[state]}", "count"
        return f"number of {_plural(head) if head else 'items'}", "count"
    if v.kind == "age":
        who = common("subject")
        return f"age of {who.title() if who else 'the ' + (common('head') or 'person')}", "age"
    if v.kind == "measure":
        name = {"m": "distance / height", "magnitude": "magnitude", "°C": "temperature", "°F": "temperature",
                "degrees": "temperature", "kg": "weight", "km/h": "speed", "%": "percentage"}.get(v.unit, "measure")
        return name, "measure"
    if v.kind == "duration":
        return f"duration ({v.unit}s)", "duration"
    if v.kind == "money":
        return f"amount ({v.unit})", "money"
    return "percentage", v.kind


def _label(v: Value) -> str:
    x = v.value
    if v.kind == "duration":
        return f"{x:g} {v.unit}{'s' if x != 1 else ''}"
    if v.kind == "money":
        return f"{x:,.0f} {v.unit}"
    if v.kind in ("percent",) or v.unit == "%":
        return f"{x:g}%"
    if v.kind == "measure" and v.unit == "m":
        return f"{x / 1000:g} km" if x >= 1000 else f"{x:g} m"
    if v.kind == "measure" and v.unit in ("°C", "°F"):
        return f"{x:g} {v.unit}"
    if v.kind == "age":
        return f"{x:g} years"
    return (v.approx.lower() + " " if v.approx else "") + f"{x:,.10g}"


def _same_value_link(a: Mention, b: Mention) -> bool:
    """Another mention of the same figure for the same thing (joins that side; no model needed)."""
    from newsbrief.support import same_figure

    va, vb = a.v, b.v
    if a.article == b.article or va.kind != vb.kind or va.unit != vb.unit:
        return False
    q = Quantity(0, 0, "", va.value, va.unit, "", va.kind, va.approx, va.low, va.high)
    r = Quantity(0, 0, "", vb.value, vb.unit, "", vb.kind, vb.approx, vb.low, vb.high)
    if not same_figure(q, r):
        return False
    if va.kind == "count" and not ((va.heads & vb.heads) or (va.state and va.state == vb.state)):
        return False
    if va.kind == "age" and va.subject and vb.subject and va.subject != vb.subject:
        return False
    names = len(a.names & b.names) / len(a.names | b.names) if a.names and b.names else 0.0
    local = len(va.local & vb.local) / len(va.local | vb.local) if va.local and vb.local else 0.0
    return local >= 0.25 and (names >= 0.25 or not (a.names or b.names))


def assemble(articles, mentions: list[Mention], pairs: list[tuple[int, int]], probs, threshold: float
             ) -> list[Conflict]:
    """Conflicts (and changes over time) from the linked mention pairs."""
    order = [a.id for a in articles]
    texts = {a.id: a.text for a in articles}
    parent = list(range(len(mentions)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    score: dict[int, float] = {}
    for (a, b), p in zip(pairs, probs):
        if p >= threshold:
            parent[find(a)] = find(b)
            root = find(a)
            score[root] = max(score.get(root, 0.0), float(p), score.pop(a, 0.0) if a != root else 0.0)
    groups: dict[int, list[int]] = defaultdict(list)
    linked = {k for (a, b), p in zip(pairs, probs) if p >= threshold for k in (a, b)}
    for k in linked:
        groups[find(k)].append(k)
    if not groups:
        return []
    by_value: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, m in enumerate(mentions):
        by_value[(m.v.kind, m.v.unit)].append(k)
    out = []
    for members in groups.values():
        inside = set(members)
        for k in list(members):  # same figure elsewhere for the same thing: the same side
            for k2 in by_value[(mentions[k].v.kind, mentions[k].v.unit)]:
                if k2 not in inside and k2 not in linked and _same_value_link(mentions[k], mentions[k2]):
                    inside.add(k2)
                    members.append(k2)
        item = _conflict(members, mentions, order, texts, max(score.get(find(k), 0.0) for k in members))
        if item is not None:
            out.append(item)
    return out


def _conflict(members: list[int], mentions: list[Mention], order: list[str], texts: dict[str, str],
              similarity: float) -> Conflict | None:
    ms = sorted((mentions[k] for k in members), key=lambda m: (m.v.value, order.index(m.article), m.sentence.start))
    sides: list[list[Mention]] = []
    for m in sorted(ms, key=lambda m: (bool(m.v.approx), m.v.value)):  # exact figures first: they define sides
        fits = [side for side in sides if all(agree(m.v, o.v) for o in side)]
        if not fits:
            sides.append([m])
        elif len(fits) == 1:
            fits[0].append(m)
        # a hedged figure that fits several sides ("at least 40" beside 45 and 47) supports none of them
    # an article on two sides corrects or updates itself: it stays out of the disagreement
    count: dict[str, int] = defaultdict(int)
    for side in sides:
        for a in {m.article for m in side}:
            count[a] += 1
    sides = [[m for m in side if count[m.article] == 1] for side in sides]
    sides = sorted((side for side in sides if side), key=lambda side: min(m.v.value for m in side))
    if len(sides) < 2 or len(sides) > MAX_SIDES:
        return None
    attribute, kind = _attribute([m.v for side in sides for m in side])
    ctype = "change" if _is_change(sides) else "value"
    item_sides: list[ConflictSide] = []
    for side in sides:
        side.sort(key=lambda m: (order.index(m.article), m.sentence.start, m.v.start))
        v0 = side[0].v
        item_sides.append(ConflictSide(
            display=v0.text, label=_label(v0), value=v0.value,
            sources=list(dict.fromkeys(m.article for m in side)),
            citations=[Span.of(m.article, texts[m.article], m.sentence.start + m.v.start,
                               m.sentence.start + m.v.end) for m in side],
            sentences=[Span.of(m.article, texts[m.article], m.sentence.start, m.sentence.end) for m in side],
        ))
    note = None
    paired = list(zip(item_sides, sides))
    if ctype == "change":  # oldest report first
        paired.sort(key=lambda p: min(_date_of(m) for m in p[1]))
        note = "reported later with a new figure: " + " -> ".join(
            f"{sd.label} ({_date_label(side)})" for sd, side in paired)
    else:
        paired.sort(key=lambda p: order.index(p[0].sources[0]))
    item_sides = [sd for sd, _ in paired]
    return Conflict(type=ctype, kind=kind, attribute=attribute, sides=item_sides,
                    sources=sorted({a for sd in item_sides for a in sd.sources}, key=order.index),
                    similarity=round(similarity, 3), note=note)


def _date_of(m: Mention) -> dt.date:
    return m.date or dt.date.min


def _date_label(ms: list[Mention]) -> str:
    ds = sorted({m.date for m in ms if m.date})
    return ", ".join(d.isoformat() for d in ds) if ds else "undated"


def _is_change(sides: list[list[Mention]]) -> bool:
    """Sides from successive dates whose values grow with the date (a toll, a tally), or a later side that
    says the figure moved ("rose to"): a change over time."""
    v0 = sides[0][0].v
    if v0.kind not in ("count", "age", "measure", "duration", "money"):
        return False
    dated = [[m.date for m in side if m.date is not None] for side in sides]
    if any(len(d) != len(side) for d, side in zip(dated, sides)):
        return False
    spans = [(min(d), max(d)) for d in dated]  # sides ascend by value
    ordered = all(spans[k][1] < spans[k + 1][0] for k in range(len(spans) - 1))
    if v0.kind == "age":
        return ordered and (spans[-1][0] - spans[0][1]).days >= _AGE_NOT_CHANGING
    if v0.kind != "count":
        return ordered and any(m.v.change for m in sides[-1])
    if ordered:
        return True
    later_says = all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1)) and \
        any(m.v.change for m in sides[-1])
    return later_says


BARE_SIM = 0.5  # MiniLM cosine for a bare definite count ("the five") linked through an equated noun


def numeric_conflicts(articles, sentences, mentions: list[Mention] | None = None, sim: Similarity | None = None
                      ) -> list[Conflict]:
    """Value conflicts and changes over time between the articles' numbers (see the module docstring)."""
    mentions, pairs, X = scored_pairs(articles, sentences, mentions)
    if not pairs:
        return []
    links = [float(same_attribute(x)) for x in X]
    for n, (a, b) in enumerate(pairs):  # "the five are diplomats": the equated noun links it, if the sentences agree
        ma, mb = mentions[a], mentions[b]
        if not links[n] and (ma.v.bare or mb.v.bare) and ma.v.heads & mb.v.heads and sim is not None \
                and not X[n][_FI["state differs"]]:
            links[n] = float(sim(ma.sentence.text, mb.sentence.text) >= BARE_SIM)
    return assemble(articles, mentions, pairs, links, 0.5)


# ---------------------------------------------------------------------------------------------- agreements

_AGREE_KINDS = ("duration", "money", "percent", "count", "measure")


def _norm_text(t: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", t.lower()))


def agreements(articles, mentions: list[Mention], exclude: set[int]) -> list[Agreement]:
    """One attribute given in different words with values that agree ("27 years" / "almost 30 years")."""
    order = [a.id for a in articles]
    texts = {a.id: a.text for a in articles}
    by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, m in enumerate(mentions):
        if k not in exclude and m.v.kind in _AGREE_KINDS:
            by_kind[(m.v.kind, m.v.unit)].append(k)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for idx in by_kind.values():
        for x, k in enumerate(idx):
            a = mentions[k]
            for k2 in idx[x + 1:]:
                b = mentions[k2]
                if a.article == b.article or not agree(a.v, b.v):
                    continue
                if a.v.kind == "count" and not (a.v.heads & b.v.heads and a.v.local & b.v.local):
                    continue
                if a.v.kind != "count" and not (a.v.local & b.v.local):
                    continue
                parent[find(k)] = find(k2)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in parent:
        groups[find(k)].append(k)
    out = []
    for members in groups.values():
        ms = [mentions[k] for k in members]
        vals = [m.v.value for m in ms]
        if len({m.article for m in ms}) < 2 or len({_norm_text(m.v.text) for m in ms}) < 2:
            continue
        if max(vals) - min(vals) > 0.15 * max(abs(v) for v in vals):
            continue
        ms.sort(key=lambda m: (order.index(m.article), m.sentence.start))
        first: list[Mention] = []
        for m in ms:
            if m.article not in {f.article for f in first}:
                first.append(m)
        attribute, kind = _attribute([m.v for m in first])
        side = ConflictSide(
            display=first[0].v.text, label=_label(first[0].v), value=first[0].v.value,
            sources=[m.article for m in first],
            citations=[Span.of(m.article, texts[m.article], m.sentence.start + m.v.start, m.sentence.start + m.v.end)
                       for m in first],
            sentences=[Span.of(m.article, texts[m.article], m.sentence.start, m.sentence.end) for m in first])
        out.append(Agreement(attribute=attribute, kind=kind, sides=[side], sources=list(side.sources)))
    return out


_CAPITALISED = re.compile(r"(?<=[\s(])[A-Z][\w’'-]+")


@lru_cache(maxsize=20000)
def _proper(text: str) -> frozenset[str]:
    """Capitalised words that are not the first word of the sentence (names, places, days)."""
    return frozenset(match_stem(w) for w in _CAPITALISED.findall(text) if w.lower() not in FUNCTION_WORDS)


# ---------------------------------------------------------------- opposite statements

POLARITY_SIM = 0.5  # MiniLM cosine of the two sentences
DATE_SIM = 0.7

_NEG_SPECIFIC = re.compile(
    r"\b(?:no\s+(?:firm\s+|new\s+|specific\s+|exact\s+)?(?:date|time|timetable|timeframe|schedule|decision|"
    r"agreement|deal|plans?|venue)\s+(?:has\s+|had\s+|have\s+)?(?:yet\s+)?(?:been|was|were|is)\s+"
    r"(?:yet\s+)?(?:set|fixed|agreed|reached|made|scheduled|announced|decided)"
    r"|(?:date|time|timetable|schedule)\s+(?:has|had|have)\s+not\s+(?:yet\s+)?been\s+(?:set|fixed|agreed|scheduled|announced))"
    r"[^.;]*",
    re.I,
)
_TIME_EXPR = re.compile(
    r"\b(?:(?:in|within)\s+(?:less\s+than\s+|more\s+than\s+|about\s+|the\s+next\s+)?(?:a|an|one|two|three|four|five|six|\d+|several|few)\s+"
    r"(?:days?|weeks?|months?|years?)|next\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|tomorrow|"
    r"(?:in|on|by)\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)",
    re.I,
)
_PLANNED = re.compile(r"\b(?:will|would|shall|to be|is due|are due|plans?|planned|scheduled)\b", re.I)
_SAID_THAT = re.compile(r"\b(?:said|says|told\s+\w+|announced|added|stated)\s+(?:that\s+)?", re.I)


def polarity_conflicts(articles, sentences, sim: Similarity) -> list[Conflict]:
    texts = {a.id: a.text for a in articles}
    negs, poss = [], []
    for s in sentences:
        m = _NEG_SPECIFIC.search(s.text)
        if m:
            negs.append((s, m.start(), m.end()))
        t = _TIME_EXPR.search(s.text)
        if t and _PLANNED.search(s.text[:t.end()]):
            # the clause holding the time expression: after the last "said that" before it
            start = 0
            for sm in _SAID_THAT.finditer(s.text, 0, t.start()):
                start = sm.end()
            end = len(s.text.rstrip(" ."))
            poss.append((s, start, end))
    if not negs or not poss:
        return []
    sim.prepare([s.text for s, _, _ in negs + poss])
    found: dict[int, dict] = {}
    for ps, pa, pb in poss:
        pos_clause = ps.text[pa:pb]
        if re.search(r"\b(?:not|no|never)\b", pos_clause, re.I):
            continue
        for ns, na, nb in negs:
            if ns.article == ps.article:
                continue
            neg_clause = ns.text[na:nb]
            shared = content_stems(pos_clause) & content_stems(ns.text)
            event = {w for w in shared if w in _EVENT_STEMS}
            if not event and not (content_stems(pos_clause) & _MEET and content_stems(neg_clause) & _MEET):
                ev_pos = {match_stem(w) for w in re.findall(r"[a-z]+", pos_clause.lower())} & _EVENT_STEMS
                ev_neg = {match_stem(w) for w in re.findall(r"[a-z]+", neg_clause.lower())} & _EVENT_STEMS
                if not (ev_pos & ev_neg):
                    continue
            if len(content_stems(ps.text) & content_stems(ns.text)) < 2:
                continue
            c = sim(ps.text, ns.text)
            if c < POLARITY_SIM:
                continue
            key = id(ps)
            item = found.setdefault(key, {
                "type": "opposite",
                "kind": "statement",
                "attribute": "whether " + _event_name(pos_clause, neg_clause) + " is scheduled",
                "sides": [
                    {"display": pos_clause, "label": "scheduled", "sources": [ps.article],
                     "citations": [span(ps.article, texts[ps.article], ps.start + pa, ps.start + pb)],
                     "sentences": [span(ps.article, texts[ps.article], ps.start, ps.end)]},
                    {"display": neg_clause, "label": "not scheduled", "sources": [], "citations": [], "sentences": []},
                ],
                "similarity": round(c, 3),
            })
            neg_side = item["sides"][1]
            if ns.article not in neg_side["sources"]:
                neg_side["sources"].append(ns.article)
                neg_side["citations"].append(span(ns.article, texts[ns.article], ns.start + na, ns.start + nb))
                neg_side["sentences"].append(span(ns.article, texts[ns.article], ns.start, ns.end))
            item["similarity"] = round(min(item["similarity"], c), 3)
    out = []
    order = [a.id for a in articles]
    for item in found.values():
        item["sides"][1]["sources"].sort(key=order.index)
        item["sources"] = sorted({a for s in item["sides"] for a in s["sources"]}, key=order.index)
        out.append(item)
    return [Conflict.from_dict(d) for d in out]


_EVENT_STEMS = {match_stem(w) for w in """meet meeting talks negotiations summit vote election trial hearing visit
    launch ceasefire conference session round release withdrawal follow-up decision deal agreement""".split()}
_MEET = {match_stem("meet"), match_stem("meeting")}


def _event_name(pos: str, neg: str) -> str:
    m = re.search(r"\b(follow-up meeting|next meeting|meeting|talks|vote|election|summit|trial|hearing|visit|launch)\b",
                  neg + " " + pos, re.I)
    return ("a " + m.group(1).lower()) if m else "the event"



_SPEECH_NEAR = re.compile(r"\b(?:said|says|told|reported|announced|added|stated|declared|confirmed|wrote|quoted)\W+"
                          r"(?:\w+\W+){0,2}$", re.I)
_FORWARD = re.compile(r"\b(?:will|would|shall|scheduled|due|planned|plans|expected|set|to (?:begin|start|open|resume|"
                      r"meet|be held|take place))\b[^.;]{0,40}$", re.I)
_DATEISH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b")
_EVENT_WORDS = frozenset(match_stem(w) for w in """began begin begins beginning start started starts starting
    opened opens opening inaugurated inauguration struck strike hit arrested arrest captured capture caught killed
    attack attacked bombing crash crashed exploded explosion signed approved backed endorsed voted vote elected election
    released freed meet met meeting talks summit trial hearing sentenced convicted indicted ruling visit visited landed
    launched launch resumed resume ended end closed ceasefire kidnapped abducted seized erupted died funeral
    selection jury""".split())
_EVENT_SAME = {match_stem(w): match_stem(k) for k, ws in {
    "begin": "began begins beginning start started starts starting opened opens opening launched launch commenced "
             "resumed resume",
    "approved": "backed endorsed approved",
    "arrested": "arrested arrest captured capture caught seized",
    "released": "released freed",
    "meet": "meet met meeting meetings summit talks"}.items() for w in ws.split()}
_DATE_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "last", "next",
                         "this", "on", "january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december", "early", "late", "morning", "night",
                         "evening", "afternoon"})


def _date_facts(articles, sentences):
    """(sentence, match, date, precision, event stems) for every date of an event: explicit dates, months and
    weekdays resolved against the article's date (a weekday after "will"/"scheduled to" points forward); a date
    attached to a speech verb ("said Monday") dates the report, not the event, and is left out."""

    anchors = {a.id: as_date(a.date) for a in articles}
    out = []
    for s in sentences:
        if not _DATEISH.search(s.text):
            continue  # no month or weekday: nothing to resolve (cheap test before the date grammar)
        anchor = anchors.get(s.article)
        for m in date_mentions(s.text):
            if not (m.group("mdy") or m.group("dmy") or m.group("my") or m.group("wd")):
                continue
            before = s.text[max(0, m.start() - 40):m.start()]
            if _SPEECH_NEAR.search(before):
                continue
            if m.group("wd") and anchor is None:
                continue  # a weekday relative to an unknown date
            r = resolve(m, anchor or dt.date(2000, 12, 31))  # month and day are compared, not inferred years
            if not r:
                continue
            d, precision = r
            if m.group("wd") and not m.group("wd").lower().startswith("last") and anchor is not None and \
                    _FORWARD.search(s.text[max(0, m.start() - 60):m.start()]):
                d = d + dt.timedelta(days=7) if d < anchor else d
            wide_before, wide_after = s.text[max(0, m.start() - 70):m.start()], s.text[m.end():m.end() + 60]
            around = [w for w in _WORD.findall(wide_before)[-7:] + _WORD.findall(wide_after)[:6]
                      if w.lower() not in FUNCTION_WORDS and w.lower() not in _DATE_WORDS]
            event = frozenset(_EVENT_SAME.get(match_stem(w), match_stem(w))
                              for w in around if not w[0].isupper()) & _EVENT_WORDS
            if event:
                out.append((s, m, d, precision, event))
    return out


def date_conflicts(articles, sentences, sim: Similarity) -> list[Conflict]:
    """Dates of the same event that differ: "began Monday" / "began Wednesday", "in July" / "in August",
    resolved against each article's date. A planned date that a later article gives differently is a
    change of plan (type "change")."""

    texts = {a.id: a.text for a in articles}
    dates = {a.id: as_date(a.date) for a in articles}
    order = [a.id for a in articles]
    facts = _date_facts(articles, sentences)
    out: list[Conflict] = []
    seen = set()
    for i, (s1, m1, d1, p1, e1) in enumerate(facts):
        for s2, m2, d2, p2, e2 in facts[i + 1:]:
            if s1.article == s2.article or not (e1 & e2):
                continue
            coarse = "month" if "month" in (p1, p2) else "day"
            k1 = d1.month if coarse == "month" else (d1.month, d1.day)  # years are often inferred: not compared
            k2 = d2.month if coarse == "month" else (d2.month, d2.day)
            if k1 == k2:
                continue
            if m1.group("wd") and m2.group("wd") and m1.group("day").lower() == m2.group("day").lower():
                continue  # "Tuesday" in articles of different weeks: two Tuesdays, two events
            n1, n2 = _proper(s1.text), _proper(s2.text)
            if not (n1 & n2) or len(content_stems(s1.text) & content_stems(s2.text)) < 3:
                continue
            c = sim(s1.text, s2.text)
            if c < DATE_SIM:
                continue
            key = (s1.article, s2.article, k1, k2)
            if key in seen:
                continue
            seen.add(key)
            a1, a2 = dates.get(s1.article), dates.get(s2.article)
            planned = a1 is not None and a2 is not None and a1 != a2 and min(d1, d2) >= min(a1, a2)
            sides = []
            for s, m, d in sorted(((s1, m1, d1), (s2, m2, d2)), key=lambda x: order.index(x[0].article)):
                label = d.strftime("%B %Y") if coarse == "month" else f"{d:%A} {d.day} {d:%B %Y}"
                sides.append(ConflictSide(
                    display=m.group(0), label=label, value=d.isoformat(), sources=[s.article],
                    citations=[Span.of(s.article, texts[s.article], s.start + m.start(), s.start + m.end())],
                    sentences=[Span.of(s.article, texts[s.article], s.start, s.end)]))
            event = sorted(e1 & e2)[0]
            out.append(Conflict(
                type="change" if planned else "value", kind="date", attribute=f"date ({event})", sides=sides,
                sources=[sd.sources[0] for sd in sides], similarity=round(c, 3),
                note="a later article gives another date for a planned event: the plan may have changed"
                if planned else None))
    return out


_UNIQUE_OFFICE = re.compile(
    r"\b(president|prime minister|foreign minister|defen[cs]e minister|interior minister|finance minister|"
    r"ambassador|secretary-general|secretary general|chief executive|ceo|chancellor|king|queen|pope|mayor|governor|"
    r"spokes(?:man|woman|person)|foreign secretary|defen[cs]e secretary|secretary of state|head|director|chairman|"
    r"captain|coach)\b",
    re.I)
_NOT_UNIQUE = re.compile(r"\b(former|ex-|acting|deputy|vice|assistant|a|an|one|late|then|outgoing|incoming|another)\b",
                         re.I)


def _office_key(role: str) -> str | None:
    """A normalised office held by one person at a time ("Iranian ambassador to Iraq"), or None."""
    from newsbrief.analysis.entities import NATIONALITY

    r = re.sub(r"'s\b", "", role.lower().replace("’", "'"))
    if _NOT_UNIQUE.search(r) or not _UNIQUE_OFFICE.search(r):
        return None
    from newsbrief.analysis.entities import _countries

    places, demonyms = _countries()
    geo = {p.lower() for p in places} | {d.lower() for d in demonyms} | set(NATIONALITY)
    words = [NATIONALITY.get(w, w) for w in re.findall(r"[a-z.'-]+", r)
             if w not in ("the", "his", "her", "its", "their")]
    # qualified by a country or nationality ("Iranian ambassador", "ambassador to Iraq"): one holder at a time
    if not any(w.lower() in geo for w in re.findall(r"[a-z.'-]+", r)) or len(words) < 2:
        return None
    return " ".join(words)


_TITLES = {"mr", "mrs", "ms", "dr", "sir", "jr", "sr", "prof", "gen", "col", "lt", "sen", "rep", "gov"}


def _name_words(name: str) -> set[str]:
    """The words of a name that identify the person: no initials ("C."), no titles ("Dr.")."""
    return {w for w in re.findall(r"[a-z][a-z'’-]+", name.lower()) if len(w) > 1 and w not in _TITLES}


def _same_person(a: str, b: str) -> bool:
    """Two renderings of one name: one's words within the other's ("Ryan C" / "Ryan Crocker" / "Crocker")."""
    wa, wb = _name_words(a), _name_words(b)
    return bool(wa and wb and (wa <= wb or wb <= wa))


def name_conflicts(articles, entities: list[dict]) -> list[Conflict]:
    """Different people named for the same one-holder office by different sources."""
    holders: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    label: dict[str, str] = {}
    for e in entities:
        if e.get("type") != "person":
            continue
        for r in e.get("roles", []):
            key = _office_key(r["text"])
            if key:
                holders[key][e["name"]].extend(r["citations"])
                label.setdefault(key, r["text"])
    out = []
    order = [a.id for a in articles]
    for key, people in holders.items():
        if len(people) < 2:
            continue
        arts = {name: {c["article"] for c in cites} for name, cites in people.items()}
        names = sorted(people, key=lambda n: -len(arts[n]))
        a, b = names[0], names[1]
        if arts[a] & arts[b]:
            continue  # one article names both: two holders (e.g. successive), not a contradiction
        if _same_person(a, b):
            continue  # "Ryan C. Crocker" / "Ryan Crocker": an initial or a title, not another person
        out.append({
            "type": "value", "kind": "name", "attribute": f"who is {label[key]}",
            "sides": [{"value": n, "display": n, "label": n, "sources": sorted(arts[n], key=order.index),
                       "citations": people[n][:3], "sentences": []} for n in (a, b)],
            "sources": sorted(arts[a] | arts[b], key=order.index),
            "similarity": None,
        })
    return [Conflict.from_dict(d) for d in out]




def find_conflicts(articles, sentences, sim: Similarity | None = None, entities: list[dict] | None = None
                   ) -> tuple[list[Conflict], list[Agreement]]:
    """Conflicts (value conflicts, changes over time, dates, names, opposite statements) and agreements."""
    sim = sim or Similarity()
    mentions = cluster_mentions(articles, sentences)
    values_ = numeric_conflicts(articles, sentences, mentions, sim)
    in_conflict = {k for k, m in enumerate(mentions)
                   if any(m.article == sp.article and m.sentence.start + m.v.start == sp.start
                          for c in values_ for sd in c.sides for sp in sd.citations)}
    others = polarity_conflicts(articles, sentences, sim) + name_conflicts(articles, entities or []) + \
        date_conflicts(articles, sentences, sim)
    conflicts = values_ + others
    conflicts.sort(key=lambda c: (c.type == "change", -len(c.sources), -(c.similarity or 0)))
    return conflicts, agreements(articles, mentions, in_conflict)
