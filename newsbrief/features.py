"""Per-sentence features shared by grouping and selection: terms, TF-IDF vectors, embeddings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from newsbrief.model import Sentence
from newsbrief.text.numbers import stated_numbers
from newsbrief.text.stem import light_stem, rouge_stem
from newsbrief.text.tokens import rouge_tokens, words
from newsbrief.text.wordlists import STOP_WORDS


def content_terms(text: str) -> list[str]:
    """Light-stemmed non-stop-word tokens: the TF-IDF terms."""
    return [light_stem(w) for w in words(text) if _is_content(w)]


def _is_content(word: str) -> bool:
    if word.isdigit():
        return len(word) > 1  # "1980", "27" carry meaning; "2" rarely does
    return word not in STOP_WORDS


@lru_cache(maxsize=100_000)
def bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Light-stemmed bigrams (over all words) that contain at least one content word."""
    toks = words(text)
    out = set()
    for a, b in zip(toks, toks[1:], strict=False):
        if a in STOP_WORDS and b in STOP_WORDS:
            continue
        out.add((light_stem(a), light_stem(b)))
    return frozenset(out)


@lru_cache(maxsize=100_000)
def porter_bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Bigrams as ROUGE-2 counts them (rouge-score tokens, Porter stems) with a content word."""
    toks = rouge_tokens(text)
    stems = [rouge_stem(w) for w in toks]
    return frozenset(
        (stems[i], stems[i + 1])
        for i in range(len(toks) - 1)
        if not (toks[i] in STOP_WORDS and toks[i + 1] in STOP_WORDS)
    )


@dataclass
class SentenceFeatures:
    """Aligned with a list of sentences: row i describes sentences[i]."""

    tfidf: sparse.csr_matrix  # L2-normalised rows
    lexical: sparse.csr_matrix  # (n, n) TF-IDF cosine, pairs below LEXICAL_FLOOR left out (zero)


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


LEXICAL_FLOOR = 0.15  # cosines below this are not stored: no use looks below 0.2 (paraphrase candidates)
_ROWS_PER_BLOCK = 512  # rows of the similarity computed at once (bounds the product's intermediate size)


def lexical_similarity(tfidf: sparse.csr_matrix) -> sparse.csr_matrix:
    """Sparse (n, n) cosine of L2-normalised rows, keeping entries >= LEXICAL_FLOOR, computed in row
    blocks: memory grows with the pairs of sentences that share content words, not with n squared."""
    n = tfidf.shape[0]
    right = tfidf.T.tocsc()
    blocks = []
    for lo in range(0, n, _ROWS_PER_BLOCK):
        block = (tfidf[lo:lo + _ROWS_PER_BLOCK] @ right).tocsr()
        block.data[block.data < LEXICAL_FLOOR] = 0.0
        block.eliminate_zeros()
        blocks.append(block)
    return sparse.vstack(blocks, format="csr") if blocks else sparse.csr_matrix((0, 0))


def compute_features(sentences: list[Sentence]) -> SentenceFeatures:
    tfidf = tfidf_matrix([s.text for s in sentences])
    return SentenceFeatures(tfidf=tfidf, lexical=lexical_similarity(tfidf))


LEXICAL_SAME = 0.6  # TF-IDF cosine at which two sentences say the same thing (copies, light rewrites)
SEMANTIC_SAME = 0.7  # MiniLM cosine at which they do (close paraphrase; scripts/bench_claims.py)


def semantic_veto(a: str, b: str) -> bool:
    """True when two sentences both state numbers and share none: related reports of different figures
    (a death toll at two times, 60 vs 67 dead) are not one claim, however similar their embeddings."""
    na, nb = stated_numbers(a), stated_numbers(b)
    return bool(na and nb and not (na & nb))


def sameness(
    features: SentenceFeatures,
    embedded: list[int] | None = None,
    vectors: np.ndarray | None = None,
    texts: list[str] | None = None,
) -> sparse.csr_matrix:
    """How clearly two sentences say the same thing: >= 1 means they do (sparse: unrelated pairs are 0).

    The larger of lexical and (for the `embedded` sentences, whose MiniLM `vectors` are given)
    semantic cosine, each scaled by its own threshold. Only the sentences that can matter are
    embedded, to bound the model's cost. With the sentence `texts`, a semantic match between
    sentences that state different numbers is vetoed (see `semantic_veto`).
    """
    score = (features.lexical / LEXICAL_SAME).tocsr()
    if embedded and vectors is not None:
        semantic = (vectors @ vectors.T) / SEMANTIC_SAME
        if texts is not None:
            for x, i in enumerate(embedded):
                for y in range(x + 1, len(embedded)):
                    if semantic[x, y] >= 1 and semantic_veto(texts[i], texts[embedded[y]]):
                        semantic[x, y] = semantic[y, x] = 0.0
        rows = np.repeat(embedded, len(embedded))
        cols = np.tile(embedded, len(embedded))
        block = sparse.csr_matrix((semantic.ravel(), (rows, cols)), shape=score.shape)
        score = score.maximum(block).tocsr()
    return score
