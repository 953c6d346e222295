"""Nearest neighbours by sparse TF-IDF cosine, blocked by time window.

Every representative (an article that is not a copy of an earlier one) gets a TF-IDF vector
(words and bigrams, see :mod:`.features`), normalised over all its terms, then without the terms
that occur in more than ``MAX_DF`` of the articles and cut to its ``DOC_TERMS`` strongest; its
``KNN`` nearest neighbours are found by sparse matrix products restricted to the articles dated
within the window (cost grows with the corpus times the window's size, not with its square).
Undated articles form one block of their own and may pair with any article.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from newsbrief.stories.features import NO_DAY

DOC_TERMS = 1000  # strongest terms kept per article vector (a cap: most articles have fewer)
KNN = 30  # neighbours kept per representative article
MIN_EDGE = 0.03  # weaker neighbour links are dropped
MAX_DF = 0.2  # terms in more than this share of the articles (and in more than MAX_DF_MIN) are left out of the
MAX_DF_MIN = 100  # similarity: they weigh little, and their long posting lists would cost most of the search


def article_vector(ix: np.ndarray, tf: np.ndarray, df: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """(term buckets int32, weights float32) of an article: TF-IDF (idf = 1 + log((1 + n) / (1 + df))),
    L2-normalised over all its terms, then without the terms too common to search by (in more than
    MAX_DF of the articles and more than MAX_DF_MIN of them) and cut to its DOC_TERMS strongest."""
    d = df[ix]
    w = tf * (np.log((1.0 + n_docs) / (1.0 + d)) + 1.0)
    nrm = float(np.sqrt(np.dot(w, w))) or 1.0
    common = d > max(MAX_DF * n_docs, MAX_DF_MIN)
    if common.any():
        keep = ~common
        ix, w = ix[keep], w[keep]
    if len(ix) > DOC_TERMS:
        keep = np.argpartition(-w, DOC_TERMS)[:DOC_TERMS]
        ix, w = ix[keep], w[keep]
    return ix.astype(np.int32), (w / nrm).astype(np.float32)


def window_slices(days: np.ndarray, q_lo: int, q_hi: int, window: int) -> list[tuple[int, int]]:
    """Row ranges of the sorted `days` (undated = -1 first) that rows [q_lo, q_hi) may pair with:
    undated rows with every row, dated rows with the undated ones and those within the window."""
    qd = days[q_lo:q_hi]
    if (qd == NO_DAY).any():
        return [(0, len(days))]
    out = [(0, int(np.searchsorted(days, NO_DAY, "right")))]
    dated = qd[qd != NO_DAY]
    if len(dated):
        out.append((int(np.searchsorted(days, dated.min() - window, "left")),
                    int(np.searchsorted(days, dated.max() + window, "right"))))
    return out




def _compact(q: Any, c: Any) -> tuple[Any, Any]:
    """The two CSR matrices over only the buckets they use (a product over 2**21 columns would
    allocate a 2**21-long index for its transpose, every call)."""
    from scipy import sparse

    used, inv = np.unique(np.concatenate([q.indices, c.indices]), return_inverse=True)
    nq = len(q.indices)
    q2 = sparse.csr_matrix((q.data, inv[:nq], q.indptr), shape=(q.shape[0], len(used)))
    c2 = sparse.csr_matrix((c.data, inv[nq:], c.indptr), shape=(c.shape[0], len(used)))
    return q2, c2


def knn_task(q: Any, q_keys: np.ndarray, q_days: np.ndarray, c: Any, c_keys: np.ndarray,
              c_days: np.ndarray, k: int, min_sim: float, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (key, key, cosine) from each query row to its k most similar column rows.

    `q` and `c` are CSR matrices of L2-normalised pruned TF-IDF vectors; only pairs with both
    dates within `window` days (or either undated) and cosine >= min_sim count."""
    q, c = _compact(q, c)
    prod = (q @ c.T).tocsr()
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    val: list[np.ndarray] = []
    for r in range(prod.shape[0]):
        lo, hi = prod.indptr[r], prod.indptr[r + 1]
        if lo == hi:
            continue
        cols = prod.indices[lo:hi]
        sims = prod.data[lo:hi]
        keys = c_keys[cols]
        d = q_days[r]
        cd = c_days[cols]
        ok = (keys != q_keys[r]) & (sims >= min_sim)
        if d != NO_DAY:  # an undated article may belong with any other: no window applies to it
            ok &= (cd == NO_DAY) | (np.abs(cd - d) <= window)
        if not ok.any():
            continue
        keys, sims = keys[ok], sims[ok]
        top = np.lexsort((keys, -sims))[:k]
        src.append(np.full(len(top), q_keys[r], dtype=np.int64))
        dst.append(keys[top].astype(np.int64))
        val.append(sims[top].astype(np.float64))
    if not src:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    # arrays, not lists of tuples: cheap to send back from a worker
    return np.concatenate(src), np.concatenate(dst), np.concatenate(val)


