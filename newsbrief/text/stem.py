"""Stemmers, each named for its job; all safe to call from several threads, all caches bounded.

- `light_stem`: strips one common suffix ("talks" -> "talk", but "meetings" -> "meeting" and "meeting"
  -> "meet"); the stems of TF-IDF terms, with which claim grouping and selection were tuned.
- `rouge_stem`: the Porter stem of a word of more than 3 characters, as ROUGE stems it (rouge-score
  with `use_stemmer=True`); the stems of selection concepts. PyStemmer's C Porter, not nltk's
  (importing nltk costs ~0.9 s); the two differ on ~3% of tokens, mostly in spelling ('friday' vs
  'fridai'). PyStemmer objects are not thread-safe: each thread gets its own.
- `match_stem` / `content_stems`: `rouge_stem` of words as written (case, possessives), for comparing the
  content words of two sentences (analysis).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from newsbrief.text.tokens import letter_words
from newsbrief.text.wordlists import FUNCTION_WORDS

_LIGHT_SUFFIXES = ("ing", "edly", "ed", "es", "s", "ly")


@lru_cache(maxsize=65536)
def light_stem(word: str) -> str:
    """A light suffix stripper: enough to match 'talks'/'talk', 'accused'/'accuses'."""
    if len(word) <= 4:
        return word
    for suffix in _LIGHT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


_MAX_CACHED = 200_000  # stems kept in memory by a long-running server
_cache: dict[str, str] = {}
_local = threading.local()  # one PyStemmer object per thread: they are not thread-safe


def _porter() -> Any:
    stemmer = getattr(_local, "porter", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.porter = Stemmer.Stemmer("porter")
    return stemmer


def rouge_stem(word: str) -> str:
    """Porter stem of a lower-case word as ROUGE stems it (words of 3 characters or fewer unchanged)."""
    s = _cache.get(word)
    if s is None:
        s = _porter().stemWord(word) if len(word) > 3 else word
        if len(_cache) >= _MAX_CACHED:
            _cache.clear()
        _cache[word] = s
    return s


_POSSESSIVE = re.compile(r"['’]s$")


@lru_cache(maxsize=65536)
def match_stem(word: str) -> str:
    """The stem of a word as written, for matching words across sentences: lower-cased, edge apostrophes
    and hyphens and a possessive "'s" dropped, then `rouge_stem` ("Talks" -> "talk", "Iran's" -> "iran")."""
    return rouge_stem(_POSSESSIVE.sub("", word.lower().strip("'’-")))


def is_content_word(word: str) -> bool:
    """A word as written that carries content: more than 2 letters once normalised, not a function word."""
    w = _POSSESSIVE.sub("", word.lower().strip("'’-"))
    return len(w) > 2 and w not in FUNCTION_WORDS


@lru_cache(maxsize=20000)
def content_stems(text: str) -> frozenset[str]:
    """`match_stem`s of the content words of `text` (memoised: sentences are compared pair by pair)."""
    return frozenset(match_stem(w) for w in letter_words(text) if is_content_word(w))
