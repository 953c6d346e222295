"""Claim-level conflicts between sources: different values for the same attribute, opposite statements.

Precision first. Two numbers are compared only when they come from different articles, have the
same kind and unit, quantify the same noun (or, for durations/money/percent, sit in sentences
about the same thing), and the two sentences are similar (MiniLM cosine) and share content words.
Values agree when their intervals overlap ("27 years" ~ "almost 30 years" ~ "nearly three decades");
agreeing values with different wording are reported as `agreements`.

Opposite statements: one source asserts a concrete time/plan ("would meet again in less than a
month") that another says does not exist ("no date had been set for the follow-up meeting").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache

from newsbrief.analysis._text import Similarity, span
from newsbrief.text.dates import as_date, date_mentions, month_pattern, resolve, weekday_pattern
from newsbrief.text.numbers import TENS, UNITS, Quantity, find_quantities, singular
from newsbrief.text.stem import content_stems, is_content_word, match_stem
from newsbrief.text.tokens import letter_words, word_tree
from newsbrief.text.wordlists import FUNCTION_WORDS

# thresholds (cosine of MiniLM sentence vectors)
COUNT_SIM = 0.6  # same counted noun
BARE_SIM = 0.5  # "the five are diplomats": counted noun taken from the copula complement
DURATION_SIM = 0.62
YEAR_SIM = 0.8
MEASURE_SIM = 0.85
AGE_SIM = 0.6
DATE_SIM = 0.7
POLARITY_SIM = 0.5
MAX_EMBED = 16  # sentences embedded per call when no vectors are given

_VAGUE_HEADS = {"time", "way", "thing", "part", "point", "one", "other", "kind", "side", "sort", "lot",
                "number", "few", "many", "some", "more", "all", "each", "both", "round", "step", "place"}
_COPULA_NOUN = re.compile(r"\b(?:are|were|is|was|being)\s+(?:all\s+|also\s+|not\s+)?(?:[a-z]+\s+)?([a-z]+s)\b")
_NUMBER_WORDS = set(UNITS) | set(TENS) | {"hundreds", "thousands", "dozens", "millions"}
_BARE = re.compile(r"\b(?:the|these|those|all)\s+$", re.I)


def _numeric_facts(articles, sentences, quotes_mask=None):
    facts = []
    for s in sentences:
        for q in find_quantities(s.text):
            if q.kind == "count" and (q.value == 1 or q.value != int(q.value) and q.value < 1000):
                continue  # "one" is mostly a pronoun; "5.9" is not a count of things
            heads = set()
            if q.head and q.head not in _VAGUE_HEADS:
                heads.add(q.head)
            before = s.text[max(0, q.start - 12):q.start]
            bare = q.kind == "count" and not q.head and bool(_BARE.search(before))
            if bare or q.kind == "count":
                # nouns the count is equated with: "the five are diplomats", "men Iran insists are diplomats"
                for m in _COPULA_NOUN.finditer(s.text):
                    w = m.group(1)
                    if m.group(0).split()[1].lower() in _NUMBER_WORDS or re.search(r"\d", m.group(0)):
                        continue
                    if w not in FUNCTION_WORDS and len(w) > 3:
                        heads.add(singular(w))
            if q.kind == "count" and not heads:
                continue
            facts.append((s, q, heads, bare))
    return facts


def _display(q: Quantity) -> str:
    return q.text


def _value_label(q: Quantity) -> str:
    v = q.value
    if q.kind == "duration":
        unit = q.unit + ("s" if v != 1 else "")
        return f"{v:g} {unit}" if q.unit != "second" else _seconds(v)
    if q.kind == "money":
        return f"{v:,.0f} {q.unit}"
    if q.kind == "percent":
        return f"{v:g}%"
    return f"{v:,.10g}"


def _seconds(v: float) -> str:
    if v % 3600 == 0:
        return f"{v / 3600:g} hours"
    if v % 60 == 0:
        return f"{v / 60:g} minutes"
    return f"{v:g} seconds"


def _context(s_text: str, q: Quantity, width: int = 60) -> set[str]:
    return content_stems(s_text[max(0, q.start - width):q.end + width])


_UNIT_STEMS = {match_stem(w) for w in """kilometer kilometers kilometre kilometres km kms mile miles meter meters metre
    metres year years decade decades century centuries month months week weeks day days hour hours minute minutes
    second seconds percent cent dollar dollars million millions billion billions""".split()}


_HUMAN = {"person", "people", "man", "woman", "child", "resident", "civilian", "passenger", "victim",
          "adult", "student", "worker", "citizen", "individual", "inhabitant", "tourist", "local"}
_STATES = {match_stem(w) for w in """killed dead died deaths injured wounded hurt missing homeless displaced evacuated
    arrested detained rescued affected board aboard survived survivors hospitalised hospitalized trapped
    confirmed unaccounted captured held hostage kidnapped released charged convicted employed infected
    carrying carried""".split()} | {"board"}
_ON_BOARD = {match_stem(w) for w in ("carry", "carried", "carrying", "aboard")}  # counted as "board"
_SKIP_GOV = FUNCTION_WORDS | {"about", "around", "almost", "nearly", "least", "more", "than", "some", "over", "under",
                    "approximately", "estimated", "another", "other", "only", "just", "exactly", "further"}


def _local(s_text: str, q: Quantity) -> tuple[frozenset[str], str]:
    """Content stems of the few words around the quantity, and its governing word (nearest content word before)."""
    return _local_words(s_text, q.start, q.end)


@lru_cache(maxsize=20000)
def _local_words(s_text: str, start: int, end: int, before: int = 3, after: int = 6) -> tuple[frozenset[str], str]:
    left = letter_words(s_text[max(0, start - 60):start])[-before:]
    right = letter_words(s_text[end:end + 80])[:after]
    words = {match_stem(w) for w in left + right if is_content_word(w)}
    gov = ""
    for w in reversed(left):
        if w.lower() not in _SKIP_GOV and len(w) > 2 and not w[0].isupper():
            gov = match_stem(w)
            break
    return frozenset(words - _UNIT_STEMS - {"number"}), gov


class _NoSim:
    """Stand-in similarity for the cheap first pass: everything passes."""

    def __call__(self, a, b):
        return 1.0


_CAPITALISED = re.compile(r"(?<=[\s(])[A-Z][\w’'-]+")


@lru_cache(maxsize=20000)
def _proper(text: str) -> frozenset[str]:
    """Capitalised words that are not the first word of the sentence (names, places, days)."""
    return frozenset(match_stem(w) for w in _CAPITALISED.findall(text) if w.lower() not in FUNCTION_WORDS)


def _comparable(f1, f2, sim) -> tuple[int, float]:
    """0: not about the same thing; 1: enough to show agreement; 2: enough to report a conflict."""
    (s1, q1, h1, _), (s2, q2, h2, _) = f1, f2
    if s1.article == s2.article or q1.kind != q2.kind or q1.unit != q2.unit:
        return 0, 0.0
    if not q1.agrees(q2):
        n1, n2 = _proper(s1.text), _proper(s2.text)
        if n1 and n2 and not (n1 & n2):
            return 0, 0.0  # different places/days/names: "near Kandahar on Monday" vs "in Helmand on Wednesday"
    l1, g1 = _local(s1.text, q1)
    l2, g2 = _local(s2.text, q2)
    if q1.kind == "count":
        shared = h1 & h2
        if not shared:
            return 0, 0.0
        direct = bool(q1.head and q1.head in shared and q2.head and q2.head in shared)
        head_stems = {match_stem(h) for h in shared} | {match_stem(h + "s") for h in shared}
        if direct:
            local = (l1 & l2) - head_stems
        else:  # a bare "the five": its own context is the whole sentence
            local = (content_stems(s1.text) & content_stems(s2.text)) - head_stems - _UNIT_STEMS
        if not local:
            return 0, 0.0
        if q1.agrees(q2):
            return (1 if direct else 0), 0.0
        if direct and shared & _HUMAN:
            st1 = {("board" if w in _ON_BOARD else w) for w in l1 & _STATES}
            st2 = {("board" if w in _ON_BOARD else w) for w in l2 & _STATES}
            if not st1 or st1 != st2:
                return 0, 0.0  # people killed vs people evacuated / homeless
        if direct and g1 and g2 and g1 != g2 and not (g1 in l2 or g2 in l1):
            return 0, 0.0  # "convicted on two counts" vs "charged with nine counts"
        c = sim(s1.text, s2.text)
        return (2 if c >= (COUNT_SIM if direct else BARE_SIM) else 0), c
    if q1.kind == "age":
        # "a 34-year-old man from Leeds" vs "a 36-year-old man from Leeds": same noun, same names around
        if not (q1.head and q1.head == q2.head) or q1.agrees(q2):
            return 0, 0.0
        if not (_proper(s1.text) & _proper(s2.text)):
            return 0, 0.0
        c = sim(s1.text, s2.text)
        return (2 if c >= AGE_SIM else 0), c
    local = l1 & l2
    if q1.agrees(q2):  # agreeing values: a lexical link is enough to show them together, no embedding
        ctx = (_context(s1.text, q1, 50) & _context(s2.text, q2, 50)) - _UNIT_STEMS
        return (1 if ctx and q1.kind in ("duration", "money", "percent") else 0), 0.0
    c = sim(s1.text, s2.text)
    if q1.kind == "year":
        return (2 if len(local) >= 2 and c >= YEAR_SIM else 0), c
    need = MEASURE_SIM if q1.kind == "measure" else DURATION_SIM
    if q1.kind == "measure":
        if len(local) >= 2 and g1 and g1 == g2 and c >= need:
            return 2, c
    elif local and (not g1 or not g2 or g1 == g2) and c >= need:
        return 2, c
    return 0, c


def numeric_conflicts(articles, sentences, sim: Similarity) -> tuple[list[dict], list[dict]]:
    texts = {a.id: a.text for a in articles}
    facts = _numeric_facts(articles, sentences)
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, (s, q, heads, bare) in enumerate(facts):
        by_key[(q.kind, q.unit)].append(i)
    # cheap filter first, then embed only sentences that are still candidates
    pairs = []
    for idx in by_key.values():
        for a_i, i in enumerate(idx):
            for j in idx[a_i + 1:]:
                f1, f2 = facts[i], facts[j]
                if f1[0].article == f2[0].article:
                    continue
                if f1[1].kind == "count" and not (f1[2] & f2[2]):
                    continue
                if _comparable(f1, f2, _NoSim())[0]:
                    pairs.append((i, j))
    # embed at most MAX_EMBED sentences (the pairs with most words in common first); pairs left out are
    # not compared (precision first; the pipeline can pass its sentence vectors, then nothing is embedded)
    pairs.sort(key=lambda p: -len(content_stems(facts[p[0]][0].text) & content_stems(facts[p[1]][0].text)))
    chosen: list[str] = []
    kept = []
    for i, j in pairs:
        need = [facts[k][0].text for k in (i, j) if facts[k][0].text not in chosen and facts[k][0].text not in sim.cache]
        if len(chosen) + len(need) > MAX_EMBED:
            if facts[i][1].agrees(facts[j][1]):
                kept.append((i, j))  # agreeing values need no embedding
            continue
        chosen.extend(need)
        kept.append((i, j))
    pairs = kept
    sim.prepare(chosen)
    parent = list(range(len(facts)))
    by_sentence: dict[int, list[int]] = defaultdict(list)
    for k, f in enumerate(facts):
        by_sentence[id(f[0])].append(k)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked = defaultdict(float)
    strong: set[tuple[int, int]] = set()
    weak: list[tuple[int, int]] = []
    for i, j in pairs:
        level, c = _comparable(facts[i], facts[j], sim)
        if level == 2 and not facts[i][1].agrees(facts[j][1]) and (
                _slot_elsewhere(facts[i], by_sentence[id(facts[j][0])], facts)
                or _slot_elsewhere(facts[j], by_sentence[id(facts[i][0])], facts)
                or _ambiguous(facts[i], by_sentence[id(facts[i][0])], facts)
                or _ambiguous(facts[j], by_sentence[id(facts[j][0])], facts)):
            level = 0  # the other sentence reports this value too, in another slot ("from 1960 to 1994")
        if level:
            linked[(i, j)] = c
            if level == 2 and not facts[i][1].agrees(facts[j][1]):
                strong.add((i, j))
                parent[find(i)] = find(j)
            elif facts[i][1].agrees(facts[j][1]):
                weak.append((i, j))
    conflict_members = {k for p in strong for k in p}
    # agreeing mentions join a conflict side only through a link to one of its members
    for i, j in weak:
        if (i in conflict_members) != (j in conflict_members):
            parent[find(i)] = find(j)
    for i, j in weak:
        if i not in conflict_members and j not in conflict_members:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in {k for p in strong for k in p} | {k for p in weak for k in p}:
        groups[find(i)].append(i)

    conflicts, agreements = [], []
    for members in groups.values():
        members.sort(key=lambda k: (facts[k][0].article, facts[k][1].start))
        # split into value sides: mentions whose intervals overlap form one side
        sides: list[list[int]] = []
        for k in sorted(members, key=lambda k: facts[k][1].value):
            q = facts[k][1]
            for side in sides:
                if all(q.agrees(facts[o][1]) for o in side):
                    side.append(k)
                    break
            else:
                sides.append([k])
        articles_of = [{facts[k][0].article for k in side} for side in sides]
        if len({a for side in articles_of for a in side}) < 2:
            continue
        item_sides = []
        for side in sides:
            side.sort(key=lambda k: (facts[k][0].article, facts[k][1].start))
            q0 = facts[side[0]][1]
            item_sides.append({
                "value": q0.value,
                "display": _display(q0),
                "label": _value_label(q0),
                "sources": sorted({facts[k][0].article for k in side}, key=lambda a: [x.id for x in articles].index(a)),
                "citations": [span(facts[k][0].article, texts[facts[k][0].article],
                                   facts[k][0].start + facts[k][1].start, facts[k][0].start + facts[k][1].end)
                              for k in side],
                "sentences": [span(facts[k][0].article, texts[facts[k][0].article], facts[k][0].start, facts[k][0].end)
                              for k in side],
            })
        q0 = facts[members[0]][1]
        order_ids = [x.id for x in articles]
        item_sides.sort(key=lambda sd: order_ids.index(sd["sources"][0]))
        heads = set.intersection(*[facts[k][2] for k in members]) if q0.kind == "count" else set()
        direct = sorted({facts[k][1].head for k in members if facts[k][1].head})
        if q0.kind == "count" and direct:
            names = direct + sorted(heads - set(direct))
            attribute = "number of " + " / ".join(_plural(h) for h in names[:2])
        else:
            attribute = _attribute(q0, heads)
        if len(sides) > 3 or len(members) > 10:
            continue  # too many different values: not one attribute, or a running tally; do not guess
        if len(sides) == 1:
            vals = [facts[k][1].value for k in members]
            close = (max(vals) - min(vals)) <= 0.15 * max(vals)
            if close and len({facts[k][1].text.lower() for k in members}) > 1:
                agreements.append({"attribute": attribute, "kind": q0.kind, "sides": item_sides,
                                   "sources": item_sides[0]["sources"]})
            continue
        # the values must come from different articles (one article giving both is an update, not a conflict)
        if not any(a - b and b - a for x, a in enumerate(articles_of) for b in articles_of[x + 1:]):
            continue
        side_of = {k: n for n, side in enumerate(sides) for k in side}
        if not any(side_of[i] != side_of[j] for i, j in strong if i in side_of and j in side_of):
            continue
        conf = max(linked[(i, j)] for i, j in strong if i in side_of and j in side_of and side_of[i] != side_of[j])
        conflicts.append({
            "type": "value",
            "kind": q0.kind,
            "attribute": attribute,
            "sides": item_sides,
            "sources": sorted({a for s in item_sides for a in s["sources"]}, key=lambda a: [x.id for x in articles].index(a)),
            "similarity": round(conf, 3),
        })
    return conflicts, agreements


def _same_slot(q1: Quantity, q2: Quantity) -> bool:
    return q1.kind == q2.kind and q1.unit == q2.unit and (q1.kind != "count" or q1.head == q2.head)


def _slot_elsewhere(f, others: list[int], facts) -> bool:
    """The other sentence also carries this value for the same thing: the two values are different slots."""
    q = f[1]
    return any(_same_slot(q, facts[k][1]) and q.agrees(facts[k][1]) for k in others)


def _ambiguous(f, same_sentence: list[int], facts) -> bool:
    """The sentence gives two different values of the same kind for the same noun ("four votes short of the 316
    votes"): which one to compare is not clear."""
    q = f[1]
    if q.kind != "count":
        return False
    return any(facts[k][1] is not q and _same_slot(q, facts[k][1]) and not q.agrees(facts[k][1])
               for k in same_sentence)


def _plural(w: str) -> str:
    irregular = {"person": "people", "man": "men", "woman": "women", "child": "children", "police": "police",
                 "crew": "crew", "staff": "staff", "personnel": "personnel"}
    if w in irregular:
        return irregular[w]
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith(("s", "x", "ch", "sh")):
        return w + "es"
    return w + "s"


def _attribute(q: Quantity, heads: set[str]) -> str:
    if q.kind == "age":
        return "age of the " + (q.head or "person")
    if q.kind == "count":
        h = sorted(heads, key=lambda h: (h != q.head, h))
        return "number of " + ("/".join(_plural(x) for x in h[:2]) if h else "items")
    if q.kind == "duration":
        return "duration (" + q.unit + "s)"
    if q.kind == "year":
        return "year"
    return q.kind


# ---------------------------------------------------------------- opposite statements

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
    r"(?:days?|weeks?|months?|years?)|next\s+(?:week|month|year|" + weekday_pattern(full=True) + r")"
    r"|on\s+" + weekday_pattern(full=True) + r"|tomorrow|"
    r"(?:in|on|by)\s+" + month_pattern(full=True) + r"\b)",
    re.I,
)
_SAID_THAT = re.compile(r"\b(?:said|says|told\s+\w+|announced|added|stated)\s+(?:that\s+)?", re.I)


def polarity_conflicts(articles, sentences, sim: Similarity) -> list[dict]:
    texts = {a.id: a.text for a in articles}
    negs, poss = [], []
    for s in sentences:
        m = _NEG_SPECIFIC.search(s.text)
        if m:
            negs.append((s, m.start(), m.end()))
        t = _TIME_EXPR.search(s.text)
        if t and re.search(r"\b(?:will|would|shall|to be|is due|are due|plans?|planned|scheduled)\b", s.text[:t.end()], re.I):
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
    return out


_EVENT_STEMS = {match_stem(w) for w in """meet meeting talks negotiations summit vote election trial hearing visit
    launch ceasefire conference session round release withdrawal follow-up decision deal agreement""".split()}
_MEET = {match_stem("meet"), match_stem("meeting")}


def _event_name(pos: str, neg: str) -> str:
    m = re.search(r"\b(follow-up meeting|next meeting|meeting|talks|vote|election|summit|trial|hearing|visit|launch)\b",
                  neg + " " + pos, re.I)
    return ("a " + m.group(1).lower()) if m else "the event"


_DATE_EVENT = re.compile(r"\b(" + word_tree("summit meeting talks vote election referendum trial hearing conference visit "
                                                "launch ceremony match final opening deadline ceasefire funeral wedding "
                                                "inauguration".split()) + r")\b", re.I)


def date_conflicts(articles, sentences, sim: Similarity) -> list[dict]:
    """Explicit dates of the same scheduled event that differ ("on 12 March" vs "on 15 March")."""
    texts = {a.id: a.text for a in articles}
    anchors = {a.id: as_date(a.date) for a in articles}
    known = [d for d in anchors.values() if d]
    fallback = max(known) if known else None
    facts = []
    for s in sentences:
        ev = {m.group(1).lower() for m in _DATE_EVENT.finditer(s.text)}
        if not ev:
            continue
        for m in date_mentions(s.text):
            if not (m.group("mdy") or m.group("dmy")):
                continue
            r = resolve(m, anchors.get(s.article) or fallback or dt.date(2000, 1, 1))
            if r:
                facts.append((s, m, r[0], ev))
    out = []
    seen = set()
    for i, (s1, m1, d1, e1) in enumerate(facts):
        for s2, m2, d2, e2 in facts[i + 1:]:
            if s1.article == s2.article or d1 == d2 or not (e1 & e2):
                continue
            if (d1.month, d1.day) == (d2.month, d2.day):
                continue  # a year read from different anchors
            n1, n2 = _proper(s1.text), _proper(s2.text)
            if not (n1 & n2) or len(content_stems(s1.text) & content_stems(s2.text)) < 3:
                continue
            c = sim(s1.text, s2.text)
            if c < DATE_SIM:
                continue
            key = (s1.article, s1.start, s2.article, s2.start)
            if key in seen:
                continue
            seen.add(key)
            ev = sorted(e1 & e2)[0]
            out.append({
                "type": "value", "kind": "date", "attribute": f"date of the {ev}",
                "sides": [
                    {"value": d.isoformat(), "display": m.group(0), "label": d.isoformat(), "sources": [s.article],
                     "citations": [span(s.article, texts[s.article], s.start + m.start(), s.start + m.end())],
                     "sentences": [span(s.article, texts[s.article], s.start, s.end)]}
                    for s, m, d in ((s1, m1, d1), (s2, m2, d2))],
                "sources": [s1.article, s2.article],
                "similarity": round(c, 3),
            })
    return out


_UNIQUE_OFFICE = re.compile(
    r"\b(president|prime minister|foreign minister|defen[cs]e minister|interior minister|finance minister|"
    r"ambassador|secretary-general|secretary general|chief executive|ceo|chancellor|king|queen|pope|mayor|governor|"
    r"spokes(?:man|woman|person)|foreign secretary|defen[cs]e secretary|secretary of state|head|director|chairman|captain|coach)\b",
    re.I)
_NOT_UNIQUE = re.compile(r"\b(former|ex-|acting|deputy|vice|assistant|a|an|one|late|then|outgoing|incoming|another)\b", re.I)


def _office_key(role: str) -> str | None:
    """A normalised office held by one person at a time ("Iranian ambassador to Iraq"), or None."""
    from newsbrief.analysis.entities import NATIONALITY

    r = re.sub(r"'s\b", "", role.lower().replace("’", "'"))
    if _NOT_UNIQUE.search(r) or not _UNIQUE_OFFICE.search(r):
        return None
    from newsbrief.analysis.entities import _countries

    places, demonyms = _countries()
    geo = {p.lower() for p in places} | {d.lower() for d in demonyms} | set(NATIONALITY)
    words = [NATIONALITY.get(w, w) for w in re.findall(r"[a-z.'-]+", r) if w not in ("the", "his", "her", "its", "their")]
    # qualified by a country or nationality ("Iranian ambassador", "ambassador to Iraq"): one holder at a time
    if not any(w.lower() in geo for w in re.findall(r"[a-z.'-]+", r)) or len(words) < 2:
        return None
    return " ".join(words)


def name_conflicts(articles, entities: list[dict]) -> list[dict]:
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
        out.append({
            "type": "value", "kind": "name", "attribute": f"who is {label[key]}",
            "sides": [{"value": n, "display": n, "label": n, "sources": sorted(arts[n], key=order.index),
                       "citations": people[n][:3], "sentences": []} for n in (a, b)],
            "sources": sorted(arts[a] | arts[b], key=order.index),
            "similarity": None,
        })
    return out


def find_conflicts(articles, sentences, sim: Similarity | None = None, entities: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    sim = sim or Similarity()
    values, agreements = numeric_conflicts(articles, sentences, sim)
    opposite = polarity_conflicts(articles, sentences, sim)
    dates = date_conflicts(articles, sentences, sim)
    names = name_conflicts(articles, entities or [])
    conflicts = values + opposite + dates + names
    conflicts.sort(key=lambda c: (-len(c["sources"]), -(c.get("similarity") or 0)))
    return conflicts, agreements
