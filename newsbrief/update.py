"""Update briefs: what new articles add to earlier coverage of the same story.

    >>> newsbrief.brief(["july.txt"], since=["may/"])          # or since=[saved_brief.json]

Three parts, each its own function:

* **Novelty** (`novelty`): a new sentence *restates* the earlier coverage when it is a paraphrase of an
  earlier sentence by the rule newsbrief.group uses for claims: TF-IDF cosine >= features.LEXICAL_SAME (IDF
  over old and new sentences together), or MiniLM cosine >= features.SEMANTIC_SAME for a pair whose TF-IDF
  cosine is at least group.PARAPHRASE_MIN_LEXICAL (`min_lexical`; below it MiniLM matches are mostly
  topical, scripts/bench_claims.py), with the number veto of features.semantic_veto and an ordinal veto
  ("the second meeting" does not restate "the first meeting"). A restating sentence is never chosen. The
  benchmark (scripts/bench_focus.py) reports the share of restating sentences under this rule and under the
  strict reading (`restating(min_lexical=0)`: MiniLM over every pair, number veto only).
* **Selection** (`focus`, a select.Focus): the concepts (stemmed bigrams) the earlier articles already use
  weigh `old_concept_factor` (0.6) times as much (optionally less for those likely in a summary of the
  earlier coverage, `old_concept_scale`), and a sentence's prior can be scaled down with its closeness to
  the earlier coverage (`old_prior_penalty`; 0: no gain on the tuning topics).
* **What changed** (`what_changed`): figures of the new articles set against the earlier ones ("people dead:
  rose from at least 10,059 to over 12,000"), both sides cited: counts of the same thing (people by what
  happened to them: killed, injured, missing, ...; "the death toll" counts the dead), money, percentages,
  and ordinals of a recurring event ("the second meeting" after "the first"); precision first (same
  measure, close sentences by MiniLM or TF-IDF, shared context and names). The alignment
  (`align_figures`) works on `Figure` records, so another aligner (the analysis' conflict engine, which
  aligns values by subject and measure) can replace it without touching the rest.

Parameters were chosen on 4 of the 10 DUC 2007 update topics (scripts/tune_focus.py); the other 6 are
reported separately (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.features import (
    LEXICAL_SAME,
    SEMANTIC_SAME,
    content_terms,
    porter_bigrams,
    semantic_veto,
    tfidf_matrix,
)
from newsbrief.group import PARAPHRASE_MIN_LEXICAL
from newsbrief.model import Article, Brief, ConflictSide, FigureChange, Sentence, Span
from newsbrief.select import DEFAULT, Focus, concept_matrix, concept_uses
from newsbrief.text.numbers import Quantity, find_quantities, singular
from newsbrief.text.stem import light_stem
from newsbrief.text.wordlists import STOP_WORDS

Embedder = Callable[[list[str]], np.ndarray]

MIN_LEXICAL = PARAPHRASE_MIN_LEXICAL  # below this TF-IDF cosine, MiniLM is not asked (as for claims)
MAX_PARTNERS = 5  # earlier sentences checked by MiniLM per new sentence
MAX_CHANGES = 8


@dataclass(frozen=True)
class UpdateConfig:
    old_concept_factor: float = 0.6  # weight of a concept the earlier articles use, relative to a new one ...
    old_concept_scale: float = 0.0  # ... times (1 - scale * its chance of being in a summary of them)
    old_prior_penalty: float = 0.0  # prior * (1 - penalty * closeness to the earlier coverage)
    semantic: bool = True  # MiniLM paraphrase check (with an embedder)
    min_lexical: float = MIN_LEXICAL  # MiniLM is asked about pairs with at least this TF-IDF cosine (0: every pair)


DEFAULT_UPDATE = UpdateConfig()


# --------------------------------------------------------------------------------------------------
# reading the earlier coverage


def read_since(inputs: Iterable[Any] | Any) -> tuple[list[Article], list[str]]:
    """The earlier articles of an update brief, and warnings. `inputs`: paths, directories, Articles, dicts,
    raw text (as for `brief`), and saved briefs: a Brief, its JSON dict or a .json file of it. A saved brief
    brings its articles as they were briefed (cleaned text and offsets kept) and, for a saved update brief,
    its own earlier coverage too."""
    from newsbrief.readers import read_inputs

    if isinstance(inputs, (str, Path, Article, dict, Brief, bytes)) or not isinstance(inputs, Iterable):
        inputs = [inputs]
    articles: list[Article] = []
    warnings: list[str] = []
    plain: list[Any] = []
    for item in inputs:
        saved = _saved_brief(item)
        if saved is not None:
            articles += saved.articles + saved.earlier
        elif isinstance(item, (str, Path)) and Path(item).is_dir():
            for f in sorted(p for p in Path(item).rglob("*") if p.is_file() and not p.name.startswith(".")):
                saved = _saved_brief(f)
                if saved is not None:
                    articles += saved.articles + saved.earlier
                else:
                    plain.append(f)
        else:
            plain.append(item)
    if plain:
        got, warn = read_inputs(plain)
        articles += got
        warnings += warn
    seen: set[str] = set()
    out = []
    for a in articles:  # the same article twice (a saved brief and its files): once
        key = a.id + "\0" + a.text
        if key not in seen and a.text.strip():
            seen.add(key)
            out.append(a)
    return out, warnings


def _saved_brief(item: Any) -> Brief | None:
    if isinstance(item, Brief):
        return item
    if isinstance(item, dict):
        return Brief.from_dict(item) if _is_brief_dict(item) else None
    if isinstance(item, (str, Path)) and str(item).lower().endswith(".json"):
        try:
            data = json.loads(Path(item).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Brief.from_dict(data) if isinstance(data, dict) and _is_brief_dict(data) else None
    return None


def _is_brief_dict(d: dict) -> bool:
    return isinstance(d.get("articles"), list) and "summary" in d


def distinct_ids(new: Sequence[Article], old: list[Article]) -> list[Article]:
    """`old` with ids that clash with a new article's id renamed ("earlier-<id>"), in place."""
    taken = {a.id for a in new}
    for a in old:
        if a.id in taken:
            base, k = "earlier-" + a.id, 1
            a.id = base
            while a.id in taken:
                k += 1
                a.id = f"{base}-{k}"
        taken.add(a.id)
    return old


# --------------------------------------------------------------------------------------------------
# novelty


@dataclass
class Novelty:
    """Per new sentence: does it restate the earlier coverage, and how close to it is it."""

    restated: np.ndarray  # bool
    closeness: np.ndarray  # max TF-IDF cosine to an earlier sentence
    partner: np.ndarray  # index of the closest earlier sentence (-1: none)


_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|latest|"
                      r"1st|2nd|3rd|4th|5th)\b", re.I)


def ordinal_veto(a: str, b: str) -> bool:
    """Both sentences use ordinals and share none: "the second meeting" vs "the first meeting"."""
    oa = {m.lower() for m in _ORDINAL.findall(a)}
    ob = {m.lower() for m in _ORDINAL.findall(b)}
    return bool(oa and ob and not (oa & ob))


def veto(a: str, b: str) -> bool:
    """The update mode's veto on a MiniLM paraphrase: different numbers or different ordinals."""
    return semantic_veto(a, b) or ordinal_veto(a, b)


def lexical_closeness(new_texts: Sequence[str], old_texts: Sequence[str]) -> np.ndarray:
    """(len(new), len(old)) TF-IDF cosine, IDF over both sets."""
    if not new_texts or not old_texts:
        return np.zeros((len(new_texts), len(old_texts)))
    m = tfidf_matrix(list(new_texts) + list(old_texts))
    n = len(new_texts)
    return (m[:n] @ m[n:].T).toarray()


def novelty(
    new: Sequence[Sentence],
    old: Sequence[Sentence],
    embed: Embedder | None = None,
    vectors: dict[int, np.ndarray] | None = None,
    candidates: np.ndarray | None = None,
    config: UpdateConfig = DEFAULT_UPDATE,
) -> Novelty:
    """Which new sentences restate an earlier one (see the module docstring). `vectors`: MiniLM vectors of new
    sentences already computed (index -> vector); `candidates` (bool per new sentence): only these are checked
    by MiniLM (the others are never chosen anyway); None: all."""
    n = len(new)
    if not old or not n:
        return Novelty(np.zeros(n, bool), np.zeros(n), np.full(n, -1))
    lex = lexical_closeness([s.text for s in new], [s.text for s in old])
    closeness = lex.max(axis=1)
    partner = lex.argmax(axis=1)
    restated = closeness >= LEXICAL_SAME
    if embed is not None and config.semantic:
        check = ~restated & (closeness >= config.min_lexical)
        if candidates is not None:
            check &= np.asarray(candidates, bool)
        pairs: list[tuple[int, int]] = []
        for k in np.flatnonzero(check).tolist():
            order = np.argsort(-lex[k])
            js = [int(j) for j in (order[:MAX_PARTNERS] if config.min_lexical > 0 else order)
                  if lex[k, j] >= config.min_lexical]
            pairs += [(k, j) for j in js]
        if pairs:
            known = dict(vectors or {})
            new_missing = sorted({i for i, _ in pairs} - set(known))
            old_needed = sorted({j for _, j in pairs})
            got = embed([new[i].text for i in new_missing] + [old[j].text for j in old_needed])
            known.update(zip(new_missing, got[: len(new_missing)]))
            old_vec = dict(zip(old_needed, got[len(new_missing):]))
            for i, j in pairs:
                if restated[i]:
                    continue
                if float(known[i] @ old_vec[j]) >= SEMANTIC_SAME and not veto(new[i].text, old[j].text):
                    restated[i] = True
                    partner[i] = j
    return Novelty(restated, closeness, partner)


def old_concept_weights(old: Sequence[Sentence]) -> dict[object, float]:
    """Each concept of the earlier coverage with its chance of having been in a summary of it: the generic
    concept model (select.DEFAULT.concept_model) over the earlier sentences' statistics; concepts of one earlier
    article only get 0 (the generic brief never weighs them)."""
    if not old:
        return {}
    first_use, counts = concept_uses(list(old), porter_bigrams)
    n = len({s.article for s in old})
    kept = [b for b, per in first_use.items() if len(per) >= min(2, n)]
    if not kept:
        return {}
    coef = np.asarray(DEFAULT.concept_model)
    p = 1.0 / (1.0 + np.exp(-(coef[0] + concept_matrix(kept, first_use, counts, n) @ coef[1:])))
    out: dict[object, float] = dict.fromkeys(first_use, 0.0)
    out.update(zip(kept, p.tolist()))
    return out


def focus(new: Sequence[Sentence], old: Sequence[Sentence], nov: Novelty,
          config: UpdateConfig = DEFAULT_UPDATE, base: Focus | None = None) -> Focus:
    """The selection changes of an update brief (combined with `base`, e.g. a question's focus)."""
    prior = np.where(nov.restated, 0.0, 1.0 - config.old_prior_penalty * np.minimum(nov.closeness / LEXICAL_SAME, 1.0))
    old_p = old_concept_weights(old)
    factor, scale = config.old_concept_factor, config.old_concept_scale
    inner = base.concept_factor if base is not None else None

    def concept_factor(b: object) -> float:
        p = old_p.get(b)
        f = 1.0 if p is None else factor * max(0.0, 1.0 - scale * p)
        return f * inner(b) if inner is not None else f

    if base is not None and base.prior_factor is not None:
        prior = prior * base.prior_factor
    return Focus(prior_factor=prior, prior_bonus=base.prior_bonus if base else None,
                 concept_weights=base.concept_weights if base else None, concept_factor=concept_factor,
                 keep_later=base.keep_later if base else False)


def restating(summary: Sequence[str], earlier: Sequence[str], embed: Embedder | None = None,
              min_lexical: float = 0.0) -> list[bool]:
    """For each summary sentence: does it restate an earlier sentence? The benchmark's novelty definition:
    TF-IDF cosine >= LEXICAL_SAME, or MiniLM >= SEMANTIC_SAME unless the number veto applies. `min_lexical`
    0 (the strict reading): every pair is embedded; MIN_LEXICAL (the claim rule of newsbrief.group and the
    update filter's default): MiniLM counts only for pairs with at least that TF-IDF cosine."""
    if not summary or not earlier:
        return [False] * len(summary)
    lex = lexical_closeness(summary, earlier)
    out = list(lex.max(axis=1) >= LEXICAL_SAME)
    if embed is not None:
        vs, ve = embed(list(summary)), embed(list(earlier))
        sem = vs @ ve.T
        for i in range(len(summary)):
            if not out[i]:
                out[i] = any(lex[i, j] >= min_lexical and not semantic_veto(summary[i], earlier[j])
                             for j in np.flatnonzero(sem[i] >= SEMANTIC_SAME).tolist())
    return [bool(x) for x in out]


# --------------------------------------------------------------------------------------------------
# what changed: figures set against the earlier ones


@dataclass
class Figure:
    """A numeric fact of one sentence: what it measures (`key`), its value, where it is written."""

    article: str
    sentence: Sentence
    quantity: Quantity  # offsets relative to the sentence
    key: tuple[str, str, str]  # (kind, unit, counted noun or event noun)
    context: frozenset[str]  # content stems around the figure
    measure: str  # the thing measured, in words


_EVENT_NOUNS = {"meeting": "meeting", "talk": "meeting", "round": "meeting", "encounter": "meeting",
                "session": "meeting", "summit": "meeting", "negotiation": "meeting", "visit": "visit",
                "attack": "attack", "bombing": "attack", "vote": "vote", "election": "election", "trial": "trial",
                "hearing": "hearing", "quarter": "quarter", "day": "day", "week": "week", "time": "time"}
_ORDINAL_NOUN = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
                           r"((?:[a-z-]+\s+){0,3}?)(meetings?|talks|rounds?|encounters?|sessions?|summits?|negotiations?|"
                           r"visits?|attacks?|bombings?|votes?|elections?|trials?|hearings?)\b", re.I)
_ORDINAL_VALUE = {w: i for i, w in
                  enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_VAGUE_HEADS = {"time", "way", "thing", "part", "point", "one", "other", "kind", "side", "sort", "lot", "step",
                "month", "year", "day", "week", "hour", "minute", "percent", "cent"}
_STATES = {light_stem(w) for w in """killed dead died deaths death toll injured wounded hurt missing homeless displaced
    evacuated arrested detained rescued affected aboard survived survivors hospitalised hospitalized trapped confirmed
    captured held hostage kidnapped released charged convicted employed infected""".split()}
_HUMAN = {"person", "people", "man", "woman", "child", "resident", "civilian", "passenger", "victim", "soldier",
          "troop", "worker", "citizen", "student"}


_CHANGE_WORDS = {light_stem(w) for w in """rose rise risen rising climbed climb jumped jump increased increase grew
    grown reached reach stood stand stands fell fall fallen dropped drop declined decline decreased hit topped passed
    surpassed exceeded now total totalled totaled put estimated latest new official figure number""".split()}
_CAPITALISED = re.compile(r"(?<=[\s(])[A-Z][\w’'-]+")
LEXICAL_SIM = 0.25  # two figures' sentences must be this close (TF-IDF cosine) ...
SEMANTIC_SIM = 0.6  # ... or this close by MiniLM, when an embedder is given


def figures(sentences: Sequence[Sentence]) -> list[Figure]:
    """The comparable numeric facts of the sentences: counts of a named thing ("310 people killed", "the death
    toll rose to 310"), money, percentages, and ordinals of a recurring event ("the second meeting"). Years,
    ages, dates, durations and measures (mostly different events: "after 19 days aloft") are left out."""
    out: list[Figure] = []
    for s in sentences:
        for q in find_quantities(s.text):
            if q.kind not in ("count", "money", "percent") or "(" in q.text or ")" in q.text:
                continue
            if s.text[:q.start].rstrip().endswith("("):
                continue  # a conversion or an aside: "12,000 square miles (31,200 sq. km)"
            if q.kind == "count":
                if q.value <= 1 or q.value != int(q.value):
                    continue
                head = q.head if _plural_head(q) else _subject_before(s.text, q.start)
                state = _state(s.text, q)
                if _TOLL.search(s.text[max(0, q.start - 80):q.start]) and not _plural_head(q):
                    head, state = "person", "dead"  # "the death toll rose to 310"
                elif head in ("dead", "toll", "casualty", "fatality", "death"):
                    head, state = "person", "dead"
                elif head in _HUMAN:
                    head = "person"
                if not head or (head == "person" and not state):
                    continue  # "1.4 million people live there": not a figure that changes
                key = ("count", "count", f"{head}:{state}" if state else head)
                measure = ("people " + state if head == "person" else _count_measure(s.text, q) if head == q.head
                           else _words_before(s.text, q.start))
            else:
                key = (q.kind, q.unit, "")
                measure = _measure_words(s.text, q)
            out.append(Figure(s.article, s, q, key, _context(s.text, q.start, q.end), measure))
        for m in _ORDINAL_NOUN.finditer(s.text):
            noun = singular(m.group(3).lower())
            event = _EVENT_NOUNS.get(noun, noun)
            value = float(_ORDINAL_VALUE[m.group(1).lower()])
            q = Quantity(m.start(), m.end(), m.group(0), value, "ordinal", event, "ordinal", "", value, value)
            out.append(Figure(s.article, s, q, ("ordinal", "ordinal", event), _context(s.text, m.start(), m.end()),
                              event))
    return out


_UNIT_WORDS = {"percent", "cent", "per", "dollars", "dollar", "dlrs", "million", "billion", "thousand", "hundred",
               "trillion", "us", "u.s", "points", "point"}
_STATE_CLASS = {
    **dict.fromkeys("killed kill kills killing dead died die dying deaths death toll fatalities bodies".split(),
                    "dead"),
    **dict.fromkeys("injured injuring wounded wounding hurt".split(), "injured"),
    **dict.fromkeys("missing unaccounted".split(), "missing"),
    **dict.fromkeys("homeless displaced evacuated".split(), "displaced"),
    **dict.fromkeys("arrested detained held jailed captured".split(), "detained"),
    **dict.fromkeys("rescued saved".split(), "rescued"),
    **dict.fromkeys("released freed".split(), "released"),
}
_TOLL = re.compile(r"\b(?:death toll|toll|number of (?:dead|deaths|victims))\b[^;]{0,60}$", re.I)
_CLAUSE_END = re.compile(r"[.;:]")


def _state(text: str, q: Quantity) -> str:
    """What happened to the counted ("killed" -> "dead", "injured", "missing", ...): the nearest such word
    within 4 words after the figure or 4 before it, in the same clause (after wins a tie)."""
    after = _WORD.findall(_CLAUSE_END.split(text[q.end:q.end + 60], maxsplit=1)[0])[:4]
    before = _WORD.findall(re.split(r"[.;:,]", text[max(0, q.start - 50):q.start])[-1])[-4:]
    found: list[tuple[float, str]] = [(d, _STATE_CLASS[w.lower()]) for d, w in enumerate(after)
                                      if w.lower() in _STATE_CLASS]
    found += [(d + 0.5, _STATE_CLASS[w.lower()]) for d, w in enumerate(reversed(before)) if w.lower() in _STATE_CLASS]
    return min(found)[1] if found else ""


_PLURALS = {"people", "men", "women", "children", "police", "personnel", "staff", "crew", "feet", "troops"}


def _plural_head(q: Quantity) -> bool:
    """The counted noun follows the number as a plural ("310 people", "seven agents"), not "22, lured"."""
    if not q.head or q.head in _VAGUE_HEADS:
        return False
    for t in q.tokens_after[:5]:
        lt = t.lower().strip("'’")
        if singular(lt) == q.head:
            return lt in _PLURALS or (lt.endswith("s") and lt != q.head)
    return False


def _before(text: str, start: int) -> list[str]:
    words = [w for w in _WORD.findall(text[max(0, start - 50):start])][-5:]
    out: list[str] = []
    for w in reversed(words):  # back from the number, over "rose to", "at", "of"
        lw = w.lower()
        if lw in STOP_WORDS or light_stem(lw) in _CHANGE_WORDS or lw in _UNIT_WORDS:
            if out:
                break
            continue
        if not w[0].islower():
            break
        out.insert(0, lw)
        if len(out) == 2:
            break
    return out


def _subject_before(text: str, start: int) -> str:
    """The noun a bare number measures, from the words before it: "toll" in "the death toll rose to 310"."""
    words = _before(text, start)
    return singular(words[-1]) if words and words[-1] not in _VAGUE_HEADS else ""


def _words_before(text: str, start: int) -> str:
    return " ".join(_before(text, start))


def _context(text: str, start: int, end: int, before: int = 4, after: int = 6) -> frozenset[str]:
    left = _WORD.findall(text[max(0, start - 60):start])[-before:]
    right = _WORD.findall(text[end:end + 80])[:after]
    return frozenset(light_stem(w.lower()) for w in left + right if w.lower() not in STOP_WORDS and len(w) > 2)


def _count_measure(text: str, q: Quantity) -> str:
    """'American troops killed' for '3,455 American troops killed': the words from the number to the head,
    and the participle after it."""
    words = _WORD.findall(text[q.end:q.end + 60])
    out = []
    for w in words[:5]:
        out.append(w)
        if singular(w.lower()) == q.head:
            break
    else:
        out = [q.head]
    rest = words[len(out):len(out) + 2]
    if rest and light_stem(rest[0].lower()) in _STATES:
        out.append(rest[0])
    return " ".join(out)


def _measure_words(text: str, q: Quantity) -> str:
    left = [w for w in _WORD.findall(text[max(0, q.start - 50):q.start]) if w.lower() not in STOP_WORDS][-2:]
    return " ".join(left) or q.kind


def _names(text: str) -> frozenset[str]:
    """Capitalised words that do not open the sentence (people, places, days)."""
    return frozenset(w.lower() for w in _CAPITALISED.findall(text) if w.lower() not in STOP_WORDS)


def _comparable(new: Figure, old: Figure, sim: float = 1.0, semantic: bool = False) -> float:
    """How clearly two figures measure the same thing (0: not comparable). `sim`: the similarity of their
    sentences (MiniLM cosine when `semantic`, else TF-IDF cosine)."""
    if new.key != old.key or sim < (SEMANTIC_SIM if semantic else LEXICAL_SIM):
        return 0.0
    nn, no = _names(new.sentence.text), _names(old.sentence.text)
    if nn and no and not (nn & no):
        return 0.0  # different places, people or days
    head = new.key[2]
    shared = (new.context & old.context) - {light_stem(head), light_stem(head + "s")}
    if new.key[0] == "ordinal":
        return sim + 0.1 * len(shared)  # the nth meeting: the noun is the subject
    if new.key[0] == "count" and ":" in head:
        return sim + 0.1 * len(shared)  # people killed: the same measure whatever the words around it
    if new.key[0] in ("percent", "money"):  # a share or a sum of the same thing: the same words before it
        before_new = set(_before(new.sentence.text, new.quantity.start))
        if not before_new & set(_before(old.sentence.text, old.quantity.start)):
            return 0.0
        if new.key[0] == "percent" and not (nn & no):
            return 0.0
    if not shared:
        return 0.0
    return sim + 0.1 * len(shared)


def _states_value(f: Figure, figures: Sequence[Figure], value: Quantity) -> bool:
    """Does f's sentence also give `value` for f's measure (then it restates the other side, not a change)?"""
    return any(g.sentence is f.sentence and g.key == f.key and _agree(g.quantity, value) for g in figures)


def align_figures(new: Sequence[Figure], old: Sequence[Figure],
                  similarity: Callable[[Figure, Figure], float] | None = None,
                  semantic: bool = False) -> list[tuple[Figure, Figure, float]]:
    """Changed figures, best first: a new figure whose comparable earlier figures (same measure, close
    sentences, shared context) all give another value, paired with the closest of them. A new figure that some
    earlier figure agrees with (intervals overlap) is no change. One pair per measure (key).
    `similarity(f, g)`: of the two figures' sentences (default: 1, every pair close enough)."""
    best: dict[tuple, tuple[Figure, Figure, float]] = {}
    for f in new:
        comparable = []
        for g in old:
            if g.key != f.key:
                continue
            c = _comparable(f, g, similarity(f, g) if similarity else 1.0, semantic)
            if c > 0:
                comparable.append((c, g))
        if not comparable or any(_agree(f.quantity, g.quantity) for _, g in comparable):
            continue
        comparable = [(c, g) for c, g in comparable
                      if not _states_value(f, new, g.quantity) and not _states_value(g, old, f.quantity)]
        if not comparable:
            continue
        c, g = max(comparable, key=lambda t: t[0])
        if f.key not in best or c > best[f.key][2]:
            best[f.key] = (f, g, c)
    return sorted(best.values(), key=lambda t: -t[2])


def _agree(a: Quantity, b: Quantity) -> bool:
    """The same value: equal ordinals; values within 3% when either is open-ended ("at least 10,059" and
    "over 12,000" agree as reports, but over time the figure rose); else overlapping intervals."""
    if a.kind == "ordinal":
        return a.value == b.value
    if math.isinf(a.high) or math.isinf(b.high) or a.low == 0 or b.low == 0:
        return abs(a.value - b.value) <= 0.03 * max(abs(a.value), abs(b.value))
    return a.agrees(b)


def what_changed(new: Sequence[Sentence], old: Sequence[Sentence], embed: Embedder | None = None,
                 limit: int = MAX_CHANGES, aligner: Callable[..., list] = align_figures) -> list[FigureChange]:
    """Figures of the new sentences set against those of the earlier ones, both sides cited. Sentences are
    compared by MiniLM with `embed`, else by TF-IDF cosine."""
    newf, oldf = figures(new), figures(old)
    keys = {f.key for f in newf} & {g.key for g in oldf}
    newf, oldf = [f for f in newf if f.key in keys], [g for g in oldf if g.key in keys]
    if not newf or not oldf:
        return []
    ns = list(dict.fromkeys(f.sentence.text for f in newf))
    os_ = list(dict.fromkeys(g.sentence.text for g in oldf))
    if embed is not None:
        vecs = embed(ns + os_)
        sims = vecs[: len(ns)] @ vecs[len(ns):].T
    else:
        sims = lexical_closeness(ns, os_)
    ni, oi = {t: i for i, t in enumerate(ns)}, {t: i for i, t in enumerate(os_)}

    def similarity(f: Figure, g: Figure) -> float:
        return float(sims[ni[f.sentence.text], oi[g.sentence.text]])

    pairs = aligner(newf, oldf, similarity, embed is not None)
    return [_change(f, g, newf, oldf) for f, g, _ in pairs[:limit]]


def _side(f: Figure, same: Sequence[Figure]) -> ConflictSide:
    """The value of `f`, citing every article that gives an agreeing value for the same measure."""
    members = [f] + [g for g in same if g is not f and g.key == f.key and g.article != f.article
                     and _agree(g.quantity, f.quantity) and _comparable(f, g) > 0
                     and set(content_terms(f.sentence.text)) & set(content_terms(g.sentence.text))]
    seen: dict[str, Figure] = {}
    for g in members:
        seen.setdefault(g.article, g)
    cites = [Span(g.article, g.sentence.start + g.quantity.start, g.sentence.start + g.quantity.end, g.quantity.text)
             for g in seen.values()]
    sents = [Span(g.article, g.sentence.start, g.sentence.end, g.sentence.text) for g in seen.values()]
    return ConflictSide(display=f.quantity.text, label=_label(f.quantity), sources=list(seen), citations=cites,
                        sentences=sents, value=f.quantity.value)


def _label(q: Quantity) -> str:
    if q.kind == "ordinal":
        return f"#{q.value:g}"
    if q.kind == "percent":
        return f"{q.value:g}%"
    if q.kind == "money":
        return f"{q.value:,.0f} {q.unit}"
    if q.kind in ("duration", "measure"):
        return f"{q.value:g} {q.unit}"
    return f"{q.value:,.10g}"


def _change(f: Figure, g: Figure, newf: Sequence[Figure], oldf: Sequence[Figure]) -> FigureChange:
    a, b = g.quantity, f.quantity
    direction = "rose" if b.value > a.value else "fell" if b.value < a.value else "changed"
    if f.key[0] == "ordinal":
        text = f"now the {b.text.split()[0].lower()} {f.measure} (earlier: the {a.text.split()[0].lower()})"
        direction = "changed" if b.value == a.value else ("next" if b.value > a.value else "earlier")
    else:
        text = f"{direction} from {a.text} to {b.text}"
    return FigureChange(measure=f.measure, kind=f.key[0], direction=direction, text=text,
                        old=_side(g, oldf), new=_side(f, newf))


# --------------------------------------------------------------------------------------------------
# stories --state: what changed in each story since its previous brief


def story_update(new_articles: list[Article], previous: dict, words: int,
                 options: dict[str, Any] | None = None) -> tuple[str, str, list[str], str]:
    """(json, markdown, what changed in a few lines, error) of a story's update brief: its articles of this run
    since its previous brief (`previous`: the saved brief's JSON dict). An error never raises."""
    try:
        from newsbrief.pipeline import brief

        b = brief(new_articles, words=words, since=[previous], **(options or {}))
        lines = [f"{c.measure}: {c.text}" for c in b.changes[:3]]
        lines += [s.text for s in b.summary[:2]]
        return b.to_json(), b.to_markdown(), lines, ""
    except Exception as e:  # noqa: BLE001
        return "", "", [], f"{type(e).__name__}: {e}"


__all__ = ["UpdateConfig", "DEFAULT_UPDATE", "read_since", "distinct_ids", "Novelty", "novelty", "focus",
           "restating", "veto", "ordinal_veto", "Figure", "figures", "align_figures", "what_changed", "story_update"]
