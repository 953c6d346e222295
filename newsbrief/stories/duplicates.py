"""Near-duplicate copies: datasketch MinHashLSH over word-shingle signatures, chunked by date.

Articles whose estimated shingle Jaccard is at least ``DUP_THRESHOLD`` and whose dates lie within
the time window are copies (wire copies, re-dated reprints, light rewrites, shuffled paragraphs).
The search is cut into date-ordered chunks, each with a "halo" of the earlier articles that are
still inside the window, so chunks are independent tasks (Dask); a pair found by two tasks counts
once. Copies are joined by union-find; the root of a group is its earliest copy.
"""

from __future__ import annotations

import functools

import numpy as np

from newsbrief.stories.features import NO_DAY, NUM_PERM

DUP_THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles for near-duplicate copies


# datasketch's MinHashLSH choice for DUP_THRESHOLD and NUM_PERM, known ahead (a test checks it): computing it
# imports datasketch, and with it scipy.integrate, which would cost a brief 0.4 s of start-up.
_KNOWN_PARAMS = {(0.5, 64): (14, 4)}


@functools.lru_cache(maxsize=8)
def lsh_params(threshold: float) -> tuple[int, int]:
    """datasketch's (bands, rows) for the threshold (it integrates to find them: done once)."""
    if (threshold, NUM_PERM) in _KNOWN_PARAMS:
        return _KNOWN_PARAMS[(threshold, NUM_PERM)]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


BUCKET_LINKS = 32  # in a band bucket, each article is checked against at most this many earlier ones


def dup_pairs_task(
    keys: np.ndarray, days: np.ndarray, sigs: np.ndarray, query_from: int, window: int, threshold: float
) -> list[tuple[int, int]]:
    """Near-duplicate pairs (earlier key, later key) with the later row >= query_from (rows before
    are the halo: earlier articles, only matched against). Rows are in global order.

    LSH banding in numpy (the (bands, rows) datasketch's MinHashLSH would choose for the
    threshold): rows whose signatures agree on a whole band are candidates; a candidate pair is
    kept when the share of agreeing signature values is >= threshold and the dates lie within
    ``window`` days (or either is undated). In a crowded bucket (a wire story copied many
    times) each row is checked against its BUCKET_LINKS predecessors only: copies chain, and
    union-find joins the chain."""
    b, r = lsh_params(threshold)
    n = len(keys)
    live = np.nonzero(sigs.any(axis=1))[0]
    if n < 2 or len(live) < 2:
        return []
    cand: list[np.ndarray] = []
    s64 = sigs[live].astype(np.uint64)
    for band in range(b):
        cols = s64[:, band * r: (band + 1) * r]
        h = np.zeros(len(live), np.uint64)
        with np.errstate(over="ignore"):
            for c in range(cols.shape[1]):
                h = (h ^ cols[:, c]) * np.uint64(0x100000001B3)
        order = np.lexsort((live, h))  # by bucket, then by row
        hs, rows = h[order], live[order]
        for k in range(1, BUCKET_LINKS + 1):
            if k >= len(rows):
                break
            same = hs[k:] == hs[:-k]
            if not same.any():
                break
            i, j = rows[:-k][same], rows[k:][same]
            keep = j >= query_from
            if keep.any():
                cand.append(i[keep] * n + j[keep])
    if not cand:
        return []
    code = np.unique(np.concatenate(cand))
    i, j = code // n, code % n
    agree = (sigs[i] == sigs[j]).mean(axis=1) >= threshold
    di, dj = days[i], days[j]
    near = (di == NO_DAY) | (dj == NO_DAY) | (np.abs(di - dj) <= window)
    ok = agree & near
    return list(zip(keys[i[ok]].tolist(), keys[j[ok]].tolist(), strict=True))


def copy_roots(n_all: int, known_roots: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    """Root (earliest copy) of every global index: the first ``len(known_roots)`` keep the roots
    a state holds; each pair (a, b) joins two groups, the smaller root wins."""
    parent = np.arange(n_all, dtype=np.int64)
    parent[: len(known_roots)] = known_roots
    touched: dict[int, int] = {}

    def find(x: int) -> int:
        while True:
            p = touched.get(x, int(parent[x]))
            if p == x:
                return x
            x = p

    for a_, b_ in pairs:
        ra, rb = find(a_), find(b_)
        if ra != rb:
            touched[max(ra, rb)] = min(ra, rb)  # root = the earliest copy
    for x, p in touched.items():
        parent[x] = p
    while True:  # pointer jumping: every index straight to its root
        up = parent[parent]
        if np.array_equal(up, parent):
            return parent.tolist()
        parent = up
