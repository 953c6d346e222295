"""Word lists read from the package's data files (`newsbrief/text/data/`), loaded once at import."""

from __future__ import annotations

from importlib.resources import files


def _lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a data file."""
    text = (files("newsbrief.text") / "data" / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _word_list(name: str) -> frozenset[str]:
    return frozenset(w for ln in _lines(name) for w in ln.split())


def _loaded_terms() -> dict[str, tuple[str, bool]]:
    out = {}
    for ln in _lines("loaded-terms-en.tsv"):
        term, category, label = ln.split("\t")
        out[term] = (category, label == "yes")
    return out


ENGLISH_STOP_WORDS: frozenset[str] = _word_list("stopwords-en.txt")
"""scikit-learn's English stop words (the same 318 words, without importing scikit-learn): a retrieval
stop list, for TF-IDF terms, concepts and story features. It also drops some content-bearing words
("fire", "bill", "found", "last"), so comparisons of content words use `FUNCTION_WORDS` instead."""

STOP_WORDS: frozenset[str] = ENGLISH_STOP_WORDS | _word_list("stopwords-news-en.txt")
"""English stop words plus the words of reporting ("said", "told", "mr"): not content for matching."""

FUNCTION_WORDS: frozenset[str] = _word_list("function-words-en.txt")
"""English function words and reporting verbs: not content when comparing the words of two sentences."""

_TERMS = _loaded_terms()
LOADED_TERMS: dict[str, str] = {t: category for t, (category, _) in _TERMS.items()}
"""Loaded or evaluative words about actors -> their category ("pejorative label", "distancing", ...)."""

LOADED_LABELS: frozenset[str] = frozenset(t for t, (_, label) in _TERMS.items() if label)
"""The loaded terms that are labels with no neutral use ("puppet", "invaders"): kept out of summaries."""
