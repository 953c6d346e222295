"""Near-duplicate copies: datasketch MinHashLSH over word-shingle signatures, chunked by date.

Articles whose estimated shingle Jaccard is at least ``DUP_THRESHOLD`` and whose dates lie within
the time window are copies (wire copies, re-dated reprints, light rewrites, shuffled paragraphs).
The search is cut into date-ordered chunks, each with a "halo" of the earlier articles that are
still inside the window, so chunks are independent tasks (Dask); a pair found by two tasks counts
once. Copies are joined by union-find; the root of a group is its earliest copy.
"""

from __future__ import annotations

import numpy as np

from newsbrief.stories.features import NO_DAY, NUM_PERM

DUP_THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles for near-duplicate copies


def lsh_params(threshold: float) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def dup_pairs_task(
    keys: np.ndarray, days: np.ndarray, sigs: np.ndarray, query_from: int, window: int, threshold: float
) -> list[tuple[int, int]]:
    """Near-duplicate pairs (earlier key, later key) among rows >= query_from (rows before are the
    halo: earlier articles, only indexed). Rows are in global order."""
    from datasketch import LeanMinHash, MinHashLSH

    b, r = lsh_params(threshold)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(b, r))
    pairs: list[tuple[int, int]] = []
    for row in range(len(keys)):
        sig = sigs[row]
        if not sig.any():
            continue
        m = LeanMinHash(seed=1, hashvalues=sig, scheme="affine32")
        if row >= query_from:
            d = days[row]
            for c in lsh.query(m):
                crow = int(c)
                if d != NO_DAY and days[crow] != NO_DAY and abs(int(d) - int(days[crow])) > window:
                    continue
                if float(np.mean(sigs[crow] == sig)) >= threshold:
                    pairs.append((int(keys[crow]), int(keys[row])))
        lsh.insert(str(row), m)
    # MinHashLSH keeps a bound method of itself (a reference cycle): break it, so that the index
    # is freed now even while the cyclic garbage collector is paused (see group_stories)
    lsh.__dict__.pop("_H", None)
    del lsh
    return pairs




def copy_roots(n_all: int, known_roots: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    """Root (earliest copy) of every global index: the first ``len(known_roots)`` keep the roots
    a state holds; each pair (a, b) joins two groups, the smaller root wins."""
    parent = list(range(n_all))
    for g, r in enumerate(known_roots):
        parent[g] = r

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_, b_ in pairs:
        ra, rb = find(a_), find(b_)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # root = the earliest copy
    return [find(g) for g in range(n_all)]
