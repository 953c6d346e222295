"""Average linkage over the sparse neighbour graph, most similar pair of groups first.

Clusters start as the existing stories of a state (frozen: never split, never merged with each
other) and the new representatives. The linkage of two clusters is the sum of the cosines of
their neighbour edges (each representative counted once per copy) divided by |A|*|B|; pairs that
are not neighbours count as 0. Time decay: the linkage is multiplied by exp(-gap / decay_days),
the gap being the days between the two clusters' date ranges (0 when they overlap or when either
is undated), so a long-running story can still take a follow-up weeks later if it is similar
enough, while a same-topic article months away needs a much closer match. Merge while the best
linkage is >= threshold.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from newsbrief.stories.features import NO_DAY


def average_linkage(story_members: list[list[int]], story_of: list[int], roots: list[int], weight: list[int],
                    edges: tuple[np.ndarray, np.ndarray, np.ndarray], n_old: int, threshold: float,
                    days: np.ndarray | None = None, decay_days: float | None = None) -> dict[int, int]:
    """Cluster of every new global index (``>= n_old``): an existing story index (``< n_st``) or
    a new cluster id (``>= n_st``).

    ``story_members``/``story_of``: the existing stories' members and each old article's story;
    ``roots``: every article's earliest copy; ``weight``: copies per root; ``edges``: (a, b, cosine)
    with a < b, each pair once; ``days``: every article's day (NO_DAY if undated). Only the
    existing stories that an edge reaches take part, so a run costs what its new articles touch."""
    n_all = len(roots)
    n_st = len(story_members)
    size: dict[int, int] = {}
    rep_cluster: dict[int, int] = {}
    next_id = n_st
    for g in range(n_old, n_all):
        if roots[g] == g:
            rep_cluster[g] = next_id
            size[next_id] = weight[g]
            next_id += 1
    ea, eb, ev = edges[0].tolist(), edges[1].tolist(), edges[2].tolist()
    touched_old = {story_of[g] for g in ea + eb if g < n_old}
    for sid in touched_old:
        size[sid] = len(story_members[sid])

    def cluster_of(g: int) -> int | None:
        return story_of[g] if g < n_old else rep_cluster.get(g)

    # date range of every cluster (lo > hi: undated)
    decay = bool(decay_days) and days is not None
    lo: dict[int, int] = dict.fromkeys(size, 1 << 40)
    hi: dict[int, int] = dict.fromkeys(size, -(1 << 40))
    if decay and days is not None:
        for sid in touched_old:
            for g in story_members[sid]:
                d = int(days[g])
                if d != NO_DAY:
                    lo[sid], hi[sid] = min(lo[sid], d), max(hi[sid], d)
        for g in range(n_old, n_all):
            c = cluster_of(roots[g])
            d = int(days[g])
            if c is not None and c in lo and d != NO_DAY:
                lo[c], hi[c] = min(lo[c], d), max(hi[c], d)
    tau = float(decay_days or 1.0)

    def factor(a: int, b: int) -> float:
        if not decay or lo[a] > hi[a] or lo[b] > hi[b]:
            return 1.0
        gap = max(0, lo[b] - hi[a], lo[a] - hi[b])
        return math.exp(-gap / tau) if gap else 1.0

    adj: dict[int, dict[int, float]] = {c: {} for c in size}
    for a, b, sim in zip(ea, eb, ev, strict=True):
        ca, cb = cluster_of(a), cluster_of(b)
        if ca is None or cb is None or ca == cb or (ca < n_st and cb < n_st):
            continue
        w = sim * weight[a] * weight[b]
        adj[ca][cb] = adj[ca].get(cb, 0.0) + w
        adj[cb][ca] = adj[ca][cb]
    heap: list[tuple[float, int, int, int, int]] = []
    version = dict.fromkeys(size, 0)
    for ca in sorted(adj):
        for cb, s in adj[ca].items():
            if ca < cb:
                link = s / (size[ca] * size[cb]) * factor(ca, cb)
                if link >= threshold:
                    heap.append((-link, ca, cb, 0, 0))
    heapq.heapify(heap)
    merged_into: dict[int, int] = {}
    while heap:
        _neg, a, b, va, vb = heapq.heappop(heap)
        if a in merged_into or b in merged_into or version[a] != va or version[b] != vb:
            continue
        # b joins a (a < b: an old story keeps its id, else the earlier cluster survives)
        for c, s in adj.pop(b).items():
            if c == a:
                continue
            adj[c].pop(b, None)
            if a < n_st and c < n_st:
                continue  # two old stories never merge
            adj[a][c] = adj[a].get(c, 0.0) + s
            adj[c][a] = adj[a][c]
        adj[a].pop(b, None)
        size[a] += size.pop(b)
        lo[a], hi[a] = min(lo[a], lo.pop(b)), max(hi[a], hi.pop(b))
        merged_into[b] = a
        version[a] += 1
        for c, s in adj[a].items():
            link = s / (size[a] * size[c]) * factor(a, c)
            if link >= threshold:
                x, y = (a, c) if a < c else (c, a)
                heapq.heappush(heap, (-link, x, y, version[x], version[y]))

    def final(c: int) -> int:
        while c in merged_into:
            c = merged_into[c]
        return c

    out: dict[int, int] = {}
    for g in range(n_old, n_all):
        r = roots[g]
        out[g] = final(story_of[r] if r < n_old else rep_cluster[r])
    return out
