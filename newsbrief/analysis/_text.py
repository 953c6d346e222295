"""Small text helpers shared by the analysis modules: spans, stems, stop words, similarity."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

STOP = set(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours said says say
    told tell also however would could may might must shall us mr mrs ms one two its it's ’s 's""".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def span(article_id: str, text: str, start: int, end: int) -> dict[str, Any]:
    """An exact citation span; trims surrounding whitespace so text == article.text[start:end]."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"article": article_id, "start": start, "end": end, "text": text[start:end]}


def word_tree(words) -> str:
    """A regex matching exactly `words`, written as a prefix tree ("a(?:dm|ide|...)|..."): the engine then tries
    a few letters at each position instead of every word in turn. Where several words match, the longer one is
    tried first, as in an alternation sorted longest first, so the matches are the same; only faster."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(tree)


_POSSESSIVE = re.compile(r"['’]s$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = word.lower().strip("'’-")
    w = _POSSESSIVE.sub("", w)
    for suf in ("ings", "ing", "ied", "ies", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf in ("ied", "ies"):
                w += "y"
            break
    return w


@lru_cache(maxsize=20000)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of `text` (memoised: sentences are compared pair by pair)."""
    return frozenset(stem(t) for t in _TOKEN.findall(text) if t.lower() not in STOP and len(t) > 2)


_english_hint = re.compile(r"\b(the|and|of|to|in|that|is|was|said|for)\b", re.I)


def is_english(article) -> bool:
    lang = (getattr(article, "language", "en") or "en").lower()
    if not lang.startswith("en"):
        return False
    text = article.text[:3000]
    words = len(text.split())
    if words == 0:
        return False
    hits = len(_english_hint.findall(text))
    return words < 12 or hits / words > 0.06


class Similarity:
    """Cosine similarity of sentences, embedding lazily and only the sentences asked about."""

    def __init__(self):
        self.cache: dict[str, np.ndarray] = {}  # text -> unit vector, for one analysis call
        self.available = True

    def prepare(self, texts: list[str]) -> None:
        todo = sorted({t for t in texts if t not in self.cache})
        if not todo or not self.available:
            return
        try:
            from newsbrief.embed import embed

            vecs = embed(todo)
        except Exception:  # model unavailable: fall back to lexical overlap
            self.available = False
            return
        for t, v in zip(todo, vecs):
            self.cache[t] = v

    def __call__(self, a: str, b: str) -> float:
        if self.available:
            self.prepare([a, b])
        if self.available and a in self.cache and b in self.cache:
            return float(self.cache[a] @ self.cache[b])
        sa, sb = content_stems(a), content_stems(b)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / len(sa | sb)  # no model: Jaccard, lower than cosine, so fewer conflicts (precision first)
