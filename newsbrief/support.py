"""Citation support: does a sentence of another article carry a summary sentence's claim?

A source is cited for a sentence only if one of its sentences carries that sentence's main statement:
the same event or fact, and every number, name, date, polarity, modality and attribution that both
mention agrees (extra detail on either side is fine; a figure the sentence gives must be there, and
compatible). `carries(a, b)` answers for a candidate `b` of an anchor `a` with a probability from
gradient-boosted trees over agreement features (below), fitted on the hand labels of tests/labels/trust_*.json
by `scripts/fit_trust.py` (threshold from k-fold CV over clusters; no cluster's strings are known to it). A
figure, weekday, month or date the candidate gives differently vetoes it: a conflict, not a citation.

Features of a pair (anchor `a`, candidate `b`), all cheap and computed from the two texts plus the
cluster's TF-IDF: lexical cosine; how much of the
anchor's TF-IDF mass the candidate covers (and the reverse); numbers of the anchor the candidate lacks
or gives differently (same kind, unit and counted noun, values that cannot agree); names of the anchor
the candidate lacks; negation, modality and attribution (who said it) that differ; weekdays and
months that differ; the share of the anchor in its longest verbatim run in the candidate.

`kind(a, b)`: "same wording" when the candidate is a near-verbatim copy (70% of the anchor's words in
one run, or TF-IDF cosine >= 0.9), else "paraphrase".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsbrief.compress import lead_cut
from newsbrief.text.numbers import Quantity, find_quantities
from newsbrief.text.stem import light_stem as stem
from newsbrief.text.tokens import words
from newsbrief.text.wordlists import STOP_WORDS

SAME_WORDING = "same wording"
PARAPHRASE = "paraphrase"
SOURCE = "source"  # the shown sentence itself (spans[0])

FEATURES = (
    "lexical", "anchor covered", "candidate covered", "anchor numbers",
    "anchor numbers missing", "numbers differ", "candidate numbers extra", "anchor names missing",
    "candidate names extra", "negation differs", "modality differs", "speaker differs", "speaker missing",
    "weekday differs", "month differs", "verbatim run", "log length ratio", "date missing", "date differs",
    "weakest clause covered", "subject covered", "anchor terms uncovered", "anchor length", "bigrams covered",
)



@dataclass(frozen=True)
class Facts:
    """What a sentence states that a citation must agree with."""

    body: str  # the sentence without its dateline
    tokens: tuple[str, ...]  # lower-cased word tokens of the body
    quantities: tuple[Quantity, ...]
    names: frozenset[str]  # capitalised words past the first (stemmed, lower-cased)
    negated: bool
    modal: frozenset[str]
    speaker: frozenset[str]  # content stems of who the sentence is attributed to ("police", "crocker")
    weekdays: frozenset[str]
    months: frozenset[str]
    dates: frozenset[str]  # month and day ("oct 3")
    clauses: tuple[frozenset[str], ...]  # content stems of each clause (split at ', and', ';', ' but ')
    subject: frozenset[str]  # content stems before the first verb-like word (a rough grammatical subject)
    stems: frozenset[str]


_NEGATION = re.compile(r"\b(?:not|no|never|without|neither|nor|none|nobody|nothing|den(?:y|ied|ies)|refused?|"
                       r"\w+n[’']t)\b", re.I)
_MODAL = re.compile(r"\b(would|could|may|might|will|shall|should|plans?|planned|expected|likely|possibly|"
                    r"reportedly|allegedly|suspected|apparently|probably)\b", re.I)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_MONTH = re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december|"
                    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.I)
_SPEECH = r"(?:said|says|told|added|stated|announced|reported|claimed|insisted|warned|confirmed|declared)"
_SPEAKER_BEFORE = re.compile(r"((?:[\w.'’-]+\s+){1,4})" + _SPEECH + r"\b")
_SPEAKER_AFTER = re.compile(r"\b" + _SPEECH + r"\s+((?:(?:the\s+)?[A-Z][\w.'’-]*\s*){1,4})")
_ACCORDING = re.compile(r"\baccording to\s+((?:[\w.'’-]+\s*){1,4})", re.I)
_CAPITAL = re.compile(r"(?<=[\s(“\"'])[A-Z][\w’'-]*")
_NOT_SPEAKER = STOP_WORDS | {"he", "she", "they", "it", "we", "i", "who", "which", "that", "also", "had",
                             "has", "have", "was", "were", "is", "are", "been", "then", "later", "earlier",
                             "on", "in", "at", "the", "a", "an", "monday", "tuesday", "wednesday", "thursday",
                             "friday", "saturday", "sunday", "today", "yesterday", "statement", "reporters"}
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"}


_DATE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b|"
                   r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_CLAUSE = re.compile(r";|,\s+(?:and|but|while|after|before|as|which|who|where)\b|\s+but\s+|\s+while\s+|"
                     r"\s+and\s+(?=(?:the|a|an|he|she|they|it|police|officials?)\b)", re.I)
_VERBISH = re.compile(r"^(?:is|are|was|were|has|have|had|will|would|could|can|may|might|said|says|did|does|"
                      r"\w+ed|\w+s)$")


def _content(tokens) -> frozenset[str]:
    return frozenset(stem(w) for w in tokens if w not in STOP_WORDS and len(w) > 2 and not w.isdigit())


def _subject(tokens: tuple[str, ...]) -> frozenset[str]:
    out: list[str] = []
    for w in tokens[:8]:
        if _VERBISH.match(w) and out:
            break
        if w not in STOP_WORDS and len(w) > 2:
            out.append(w)
    return _content(out)


def _speaker(body: str) -> frozenset[str]:
    found: list[str] = []
    for rx in (_SPEAKER_BEFORE, _SPEAKER_AFTER, _ACCORDING):
        for m in rx.finditer(body):
            found += [w for w in words(m.group(1)) if w not in _NOT_SPEAKER and not w.isdigit()]
    return frozenset(stem(w) for w in found)


@lru_cache(maxsize=50_000)
def facts(text: str) -> Facts:
    body = text[lead_cut(text, dateline=True, lead=False):]
    toks = tuple(words(body))
    quantities = tuple(q for q in find_quantities(body)
                       if not (q.kind == "count" and q.value == 1 and not q.text[:1].isdigit()))
    first = body.split(maxsplit=1)[0] if body.split() else ""
    names = frozenset(stem(w.lower().strip("'’")) for w in _CAPITAL.findall(" " + body[len(first):])
                      if w.lower() not in STOP_WORDS and w.lower() not in _MONTH_NAMES
                      and not _WEEKDAY.fullmatch(w))
    return Facts(
        body=body,
        tokens=toks,
        quantities=quantities,
        names=names,
        negated=bool(_NEGATION.search(body)),
        modal=frozenset(m.group(1).lower() for m in _MODAL.finditer(body)),
        speaker=_speaker(body),
        weekdays=frozenset(m.group(1).lower() for m in _WEEKDAY.finditer(body)),
        months=frozenset(m.group(1).lower()[:3] for m in _MONTH.finditer(body)),
        dates=frozenset(f"{(m.group(1) or m.group(4)).lower()[:3]} {m.group(2) or m.group(3)}"
                        for m in _DATE.finditer(body)),
        clauses=tuple(c for c in (_content(words(part)) for part in _CLAUSE.split(body)) if len(c) >= 3),
        subject=_subject(toks),
        stems=_content(toks),
    )


def _same_slot(q: Quantity, r: Quantity) -> bool:
    """Two quantities that measure the same kind of thing (so that different values would disagree)."""
    if q.kind != r.kind or q.unit != r.unit:
        return False
    if q.kind == "count":
        return bool(q.head and q.head == r.head)
    return True


def same_figure(q: Quantity, r: Quantity) -> bool:
    """The same reported figure: equal values, or an exact value and a hedged one it fits ("at least 40"
    and 40). Two different hedged figures ("at least 62" / "at least 65") are two reports, not one."""
    if q.kind != r.kind or q.unit != r.unit:
        return False
    if abs(q.value - r.value) <= 1e-9 * max(abs(q.value), 1.0):
        return True
    if bool(q.approx) == bool(r.approx):
        return False
    return q.agrees(r)


def number_agreement(a: Facts, b: Facts) -> tuple[int, int, int]:
    """(anchor quantities absent from the candidate, anchor quantities the candidate gives differently,
    candidate quantities absent from the anchor)."""
    missing = differ = 0
    for q in a.quantities:
        if any(same_figure(q, r) for r in b.quantities):
            continue
        if any(_same_slot(q, r) for r in b.quantities):
            differ += 1
        else:
            missing += 1
    extra = sum(1 for r in b.quantities if not any(same_figure(q, r) for q in a.quantities))
    return missing, differ, extra


def verbatim_run(a: Facts, b: Facts) -> float:
    """Share of the anchor's tokens in its longest run of consecutive tokens that the candidate also has."""
    x, y = a.tokens, b.tokens
    if not x or not y:
        return 0.0
    where = _positions(y)
    best = 0
    prev: dict[int, int] = {}
    for w in x:
        cur = {j: prev.get(j - 1, 0) + 1 for j in where.get(w, ())}
        if cur:
            best = max(best, max(cur.values()))
        prev = cur
    return best / len(x)


@lru_cache(maxsize=50_000)
def _positions(tokens: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for j, w in enumerate(tokens):
        out.setdefault(w, []).append(j)
    return {w: tuple(js) for w, js in out.items()}


def pair_features(a_text: str, b_text: str, lexical: float, covered_a: float, covered_b: float) -> np.ndarray:
    """The FEATURES of the pair (anchor a, candidate b)."""
    a, b = facts(a_text), facts(b_text)
    missing, differ, extra = number_agreement(a, b)
    names_missing = len(a.names - b.names) / len(a.names) if a.names else 0.0
    names_extra = len(b.names - a.names) / len(b.names) if b.names else 0.0
    speaker_differs = bool(a.speaker and b.speaker and not (a.speaker & b.speaker))
    speaker_missing = bool(a.speaker and not b.speaker)
    return np.array([
        lexical,
        covered_a,
        covered_b,
        min(len(a.quantities), 3),
        min(missing, 3),
        min(differ, 3),
        min(extra, 3),
        names_missing,
        names_extra,
        float(a.negated != b.negated),
        float(a.modal != b.modal),
        float(speaker_differs),
        float(speaker_missing),
        float(bool(a.weekdays and b.weekdays and not (a.weekdays & b.weekdays))),
        float(bool(a.months and b.months and not (a.months & b.months))),
        verbatim_run(a, b),
        math.log((len(b.tokens) + 1) / (len(a.tokens) + 1)),
        float(bool(a.dates - b.dates) and not b.dates),
        float(bool(a.dates and b.dates and not (a.dates & b.dates))),
        min((len(c & b.stems) / len(c) for c in a.clauses), default=1.0),
        len(a.subject & b.stems) / len(a.subject) if a.subject else 1.0,
        min(len(a.stems - b.stems), 10) / 10,
        math.log(len(a.tokens) + 1),
        len(_bigrams(a.tokens) & _bigrams(b.tokens)) / max(len(_bigrams(a.tokens)), 1),
    ])


@lru_cache(maxsize=50_000)
def _bigrams(tokens: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset((stem(x), stem(y)) for x, y in zip(tokens, tokens[1:])
                     if not (x in STOP_WORDS and y in STOP_WORDS))


_F = {name: k for k, name in enumerate(FEATURES)}
_DISAGREEMENTS = [_F[n] for n in ("anchor numbers missing", "numbers differ", "negation differs", "speaker differs",
                                  "weekday differs", "date differs", "date missing", "month differs")]
_VETO = [_F[n] for n in ("numbers differ", "weekday differs", "date differs", "month differs")]
VERBATIM = 0.7  # share of the anchor in one verbatim run that makes a copy (labels: 0.98 precision at 0.7)


def verbatim_copy(x: np.ndarray) -> bool:
    """Most of the anchor word for word in the candidate, and nothing in it that disagrees: a copy
    (wire copy, syndicated quote with another attribution tag)."""
    return x[_F["verbatim run"]] >= VERBATIM and not any(x[k] for k in _DISAGREEMENTS)


def vetoed(x: np.ndarray) -> bool:
    """A figure, weekday, month or date the candidate gives differently: a conflict, never a citation."""
    return any(x[k] for k in _VETO)


def candidate_model():
    """The shipped support model (models/support.json), or the one a cross-validation fold swapped in."""
    from newsbrief import learned

    return learned.model("support", FEATURES)


class Checker:
    """carries(i, j): does sentence j carry sentence i's claim? Over one cluster's sentences and TF-IDF.

    Returns the probability of support (1.0 for an exact copy; 0.0 below the lexical floor, where the
    labels have almost no support at the precision the brief needs). Memoised per pair."""

    def __init__(self, sentences, features):
        self.sentences = sentences
        self.lexical = features.lexical
        if hasattr(self.lexical, "sort_indices"):
            self.lexical.sort_indices()  # for lexical_of's binary search (values unchanged)
        self._tfidf = features.tfidf.tocsr()
        self._tfidf.sort_indices()
        self.model = candidate_model()
        self.memo: dict[tuple[int, int], float] = {}
        self.index = {id(s): i for i, s in enumerate(sentences)}
        self.by_article: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            self.by_article.setdefault(s.article, []).append(i)

    @property
    def active(self) -> bool:
        return self.model is not None

    def probability(self, i: int, j: int) -> float:
        key = (i, j)
        p = self.memo.get(key)
        if p is None:
            p = self.memo[key] = self._probability(i, j)
        return p

    def _probability(self, i: int, j: int) -> float:
        a, b = self.sentences[i].text, self.sentences[j].text
        if a == b:
            return 1.0
        lex = self.lexical_of(i, j)
        if lex < LEXICAL_FLOOR or self.model is None:
            return 0.0 if self.model is not None else 1.0
        x = pair_features(a, b, lex, self.covered(i, j), self.covered(j, i))
        if vetoed(x):
            return 0.0
        if verbatim_copy(x):
            return 1.0
        return self.model.probability(x)

    def lexical_of(self, i: int, j: int) -> float:
        """The TF-IDF cosine of sentences i and j (a lookup in the sparse row: scipy's indexing is slow)."""
        m = self.lexical
        if not hasattr(m, "indptr"):
            return float(m[i, j])
        lo, hi = m.indptr[i], m.indptr[i + 1]
        k = lo + int(np.searchsorted(m.indices[lo:hi], j))
        return float(m.data[k]) if k < hi and m.indices[k] == j else 0.0

    def covered(self, i: int, j: int) -> float:
        """The share of sentence i's (L2-normalised) TF-IDF mass on terms sentence j also has; computed per
        pair from the sparse rows (an (n, n) table would grow with the square of the sentences)."""
        t = self._tfidf
        lo, hi = t.indptr[i], t.indptr[i + 1]
        shared = np.isin(t.indices[lo:hi], t.indices[t.indptr[j]:t.indptr[j + 1]], assume_unique=True)
        w = t.data[lo:hi][shared]
        return float(np.dot(w, w))

    def carries(self, i: int, j: int) -> bool:
        return self.model is None or self.probability(i, j) >= self.model.threshold

    def kind(self, i: int, j: int) -> str:
        return kind(self.sentences[i].text, self.sentences[j].text, self.lexical_of(i, j))

    def citations(self, i: int, members: tuple[int, ...] | list[int] = (), per_article: int = 2,
                  exclude: set[int] | frozenset[int] = frozenset()) -> list[tuple[int, str]]:
        """For sentence i, the sentence of each other article that carries it, with how it supports it:
        among the article's `per_article` sentences most like i by TF-IDF (and i's claim `members`), the
        likeliest to carry it, if it clears the threshold. `exclude`: sentences known to state another
        value of a disputed figure (conflict sides), never cited for i."""
        out: list[tuple[int, str]] = []
        own = self.sentences[i].article
        lexical_row = _dense_row(self.lexical, i)
        for article, idx in self.by_article.items():
            if article == own:
                continue
            row = lexical_row[idx]
            pool = {idx[k] for k in np.argsort(-row, kind="stable")[:per_article]}
            pool |= {j for j in members if self.sentences[j].article == article}
            best, best_p = -1, -1.0
            for j in sorted(pool):
                if j in exclude:
                    continue
                p = self.probability(i, j)
                if p > best_p:
                    best, best_p = j, p
            if best >= 0 and (self.model is None or best_p >= self.model.threshold):
                out.append((best, self.kind(i, best)))
        return out


LEXICAL_FLOOR = 0.35  # TF-IDF cosine below which a candidate is not scored (nearly all the model's
# confident support is above it; scripts/fit_trust.py)


def kind(a_text: str, b_text: str, lexical: float) -> str:
    """How a carrying candidate supports the anchor: near-verbatim copy or paraphrase."""
    if lexical >= 0.9 or verbatim_run(facts(a_text), facts(b_text)) >= VERBATIM:
        return SAME_WORDING
    return PARAPHRASE


def _dense_row(matrix, i: int) -> np.ndarray:
    """Row i of a dense or sparse (n, n) matrix as a dense vector."""
    row = matrix[i]
    return np.asarray(row.toarray()).ravel() if hasattr(row, "toarray") else np.asarray(row).ravel()


__all__ = ["FEATURES", "Facts", "facts", "pair_features", "Checker", "kind", "number_agreement",
           "SAME_WORDING", "PARAPHRASE", "SOURCE"]
