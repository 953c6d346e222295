"""Average linkage over the sparse neighbour graph, most similar pair of groups first.

Clusters start as the existing stories of a state (frozen: never split, never merged with each
other) and the new representatives. The linkage of two clusters is the sum of the cosines of
their neighbour edges (each representative counted once per copy) divided by |A|*|B|; pairs that
are not neighbours count as 0. Merge while the best linkage is >= threshold.
"""

from __future__ import annotations

import heapq
from collections import Counter

import numpy as np


def average_linkage(story_members: list[list[int]], story_of: list[int], roots: list[int], weight: Counter,
                    edges: tuple[np.ndarray, np.ndarray, np.ndarray], n_old: int,
                    threshold: float) -> dict[int, int]:
    """Cluster of every new global index (``>= n_old``): an existing story index (``< n_st``) or
    a new cluster id (``>= n_st``, the id of its earliest representative's starting cluster).

    ``story_members``/``story_of``: the existing stories' members and each old article's story;
    ``roots``: every article's earliest copy; ``weight``: copies per root; ``edges``: (a, b, cosine)
    with a < b, each pair once."""
    n_all = len(roots)
    # cluster of a global index: old articles -> ("old story" cluster id = story index);
    # new representatives -> their own cluster; copies follow their root
    n_st = len(story_members)
    cluster_of: dict[int, int] = {}
    size: dict[int, int] = {}
    for sid, members in enumerate(story_members):
        if members:
            size[sid] = len(members)
    next_id = n_st
    rep_cluster: dict[int, int] = {}
    for g in range(n_old, n_all):
        r = roots[g]
        if r < n_old:
            continue  # a copy of an old article: joins that story, no clustering needed
        if r == g:
            rep_cluster[g] = next_id
            size[next_id] = weight[g]
            next_id += 1
    for g in range(n_old):
        cluster_of[g] = story_of[g]
    cluster_of.update(rep_cluster)
    adj: dict[int, dict[int, float]] = {c: {} for c in size}
    for a, b, sim in zip(edges[0].tolist(), edges[1].tolist(), edges[2].tolist(), strict=True):
        ca, cb = cluster_of.get(a), cluster_of.get(b)
        if ca is None or cb is None or ca == cb or (ca < n_st and cb < n_st):
            continue
        w = sim * weight[a] * weight[b]
        adj[ca][cb] = adj[ca].get(cb, 0.0) + w
        adj[cb][ca] = adj[ca][cb]
    heap: list[tuple[float, int, int, int, int]] = []
    version = dict.fromkeys(size, 0)
    for ca in sorted(adj):
        for cb, s in adj[ca].items():
            if ca < cb and s / (size[ca] * size[cb]) >= threshold:
                heap.append((-s / (size[ca] * size[cb]), ca, cb, 0, 0))
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
        merged_into[b] = a
        version[a] += 1
        for c, s in adj[a].items():
            link = s / (size[a] * size[c])
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
