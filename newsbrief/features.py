"""Per-sentence features shared by grouping and selection: terms, TF-IDF vectors, embeddings."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsbrief.model import Sentence
from newsbrief.resources import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "mr", "mrs", "ms", "s"}


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


_STEM_SUFFIXES = ("ing", "edly", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'talks'/'talk', 'accused'/'accuse'."""
    if len(word) <= 4:
        return word
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed non-stop-word tokens."""
    return [stem(w) for w in words(text) if _is_content(w)]


def _is_content(word: str) -> bool:
    if word.isdigit():
        return len(word) > 1  # "1980", "27" carry meaning; "2" rarely does
    return word not in STOP_WORDS


def bigrams(text: str) -> set[tuple[str, str]]:
    """Stemmed bigrams (over all words) that contain at least one content word."""
    toks = words(text)
    out = set()
    for a, b in zip(toks, toks[1:]):
        if a in STOP_WORDS and b in STOP_WORDS:
            continue
        out.add((stem(a), stem(b)))
    return out


@dataclass
class SentenceFeatures:
    """Aligned with a list of sentences: row i describes sentences[i]."""

    tfidf: sparse.csr_matrix  # L2-normalised rows
    vectors: np.ndarray | None  # (n, d) unit embeddings, or None when embeddings are off


def tfidf_matrix(texts: list[str]) -> sparse.csr_matrix:
    """Rows: L2-normalised sublinear TF x smoothed IDF over content terms (as scikit-learn's)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        counts: dict[int, int] = {}
        for term in content_terms(text):
            j = vocab.setdefault(term, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        rows += [r] * len(counts)
        cols += list(counts)
        vals += [1.0 + np.log(c) for c in counts.values()]
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))
    df = np.bincount(m.indices, minlength=m.shape[1])
    m = m @ sparse.diags(np.log((1 + len(texts)) / (1 + df)) + 1.0)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ m).tocsr()


def compute_features(sentences: list[Sentence], use_embeddings: bool = True) -> SentenceFeatures:
    texts = [s.text for s in sentences]
    vectors = None
    if use_embeddings and texts:
        from newsbrief.embed import embed

        vectors = embed(texts)
    return SentenceFeatures(tfidf=tfidf_matrix(texts), vectors=vectors)


def similarity(features: SentenceFeatures) -> np.ndarray:
    """Pairwise sentence similarity: the larger of lexical (TF-IDF) and embedding cosine."""
    lexical = (features.tfidf @ features.tfidf.T).toarray()
    if features.vectors is None:
        return lexical
    return np.maximum(lexical, features.vectors @ features.vectors.T)
