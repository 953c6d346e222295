"""One story per brief: the stories an input covers, counting only clearly unrelated groups.

A brief blends whatever it is given, so an input that mixes stories (50 articles from five stories)
would give one incoherent brief. `story_groups(articles)` finds the stories; the pipeline briefs the
largest and names the others (`Brief.stories`, a warning), or the one asked for.

Grouping is conservative: articles about one story must never be split, even when they report
different events of it weeks apart (the bundled example's May and July articles). So there is no
time window, and two groups count as different stories only when they are *clearly* unrelated:

1. start from the story grouping's groups (`newsbrief.stories.split_into_stories` when the package
   has it, else each article alone);
2. average linkage over TF-IDF cosines (content words: the story grouping's features without bigrams, document
   frequencies of this input): merge the two most similar groups while their average cosine is at
   least `GROUP_SIMILARITY`, or at least `RELATIVE` times the average cosine inside the looser of
   the two (a group whose own articles are loosely related needs a clearer gap);
3. a single article left alone is a story of its own only if it has `LONE_WORDS` words or more
   and no article is `LONE_SIMILARITY` similar to it; otherwise it joins its nearest group.

Measured on the benchmark clusters (DUC 2003/2004/2006/2007, TAC 2010, Multi-News, MultiLing; each
cluster one story) by `scripts/bench_split.py`: see BENCHMARKS.md.
"""

from __future__ import annotations

import numpy as np

from newsbrief.model import Article

GROUP_SIMILARITY = 0.045  # average TF-IDF cosine between two groups at which they are one story
RELATIVE = 0.4  # ... or this fraction of the looser group's own average cosine
LONE_WORDS = 150  # a single article is a story of its own only when this long ...
LONE_SIMILARITY = 0.08  # ... and no other article is this similar to it
MAX_GROUPS = 400  # more starting groups than this: average linkage on the articles (scipy) first


def similarity(articles: list[Article]) -> np.ndarray:
    """Cosine similarities of the articles' TF-IDF vectors (content words of title and text; document
    frequencies of these articles)."""
    from scipy import sparse

    from newsbrief.stories.features import N_FEATURES, featurize_one

    n = len(articles)
    feats = [featurize_one(a.title or "", a.text or a.raw or "", signature=False, bigrams=False) for a in articles]
    df = np.zeros(N_FEATURES, dtype=np.float64)
    for ix, _w, _sig in feats:
        df[ix] += 1
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    data, indices, indptr = [], [], [0]
    for ix, w, _sig in feats:
        v = w.astype(np.float64) * idf[ix]
        norm = float(np.sqrt(np.dot(v, v))) or 1.0
        data.append(v / norm)
        indices.append(ix)
        indptr.append(indptr[-1] + len(ix))
    x = sparse.csr_matrix((np.concatenate(data) if data else np.zeros(0), np.concatenate(indices) if indices
                           else np.zeros(0, np.int32), np.array(indptr)), shape=(n, N_FEATURES))
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return sim


def _base_groups(articles: list[Article], sim: np.ndarray) -> list[list[int]]:
    """The starting groups: the story grouping's (`split_into_stories`), pre-merged by scipy's average
    linkage when there are very many."""
    from newsbrief.stories import split_into_stories

    index = {id(a): i for i, a in enumerate(articles)}
    groups = [[index[id(a)] for a in g if id(a) in index] for g in split_into_stories(articles)]
    seen = {i for g in groups for i in g}
    groups = [g for g in groups if g] + [[i] for i in range(len(articles)) if i not in seen]
    if len(groups) > MAX_GROUPS:
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        dist = np.clip(1.0 - sim, 0.0, 2.0)
        dist = (dist + dist.T) / 2
        np.fill_diagonal(dist, 0.0)
        labels = fcluster(linkage(squareform(dist, checks=False), "average"), 1.0 - GROUP_SIMILARITY, "distance")
        by: dict[int, list[int]] = {}
        for i, c in enumerate(labels.tolist()):
            by.setdefault(c, []).append(i)
        groups = list(by.values())
    return groups


def _merge(groups: list[list[int]], sim: np.ndarray) -> list[list[int]]:
    """Average linkage from `groups`: merge the most similar pair while it is not clearly two stories."""
    groups = [list(g) for g in groups]
    ind = np.zeros((len(groups), len(sim)))
    for k, g in enumerate(groups):
        ind[k, g] = 1.0
    cross = ind @ sim @ ind.T  # sums of cosines between (and inside) groups
    size = ind.sum(1)
    alive = np.ones(len(groups), bool)
    while alive.sum() > 1:
        idx = np.nonzero(alive)[0]
        c = cross[np.ix_(idx, idx)]
        sz = size[idx]
        avg = c / np.outer(sz, sz)
        inside = np.where(sz > 1, (np.diag(c) - sz) / np.maximum(sz * (sz - 1), 1), np.inf)
        looser = np.minimum.outer(inside, inside)
        rel = np.where(np.isfinite(looser) & (looser > 0), avg / np.where(looser > 0, looser, 1), 0.0)
        score = np.maximum(avg / GROUP_SIMILARITY, rel / RELATIVE)
        np.fill_diagonal(score, -np.inf)
        i, j = np.unravel_index(int(np.argmax(score)), score.shape)
        if score[i, j] < 1.0:
            break
        a, b = int(idx[i]), int(idx[j])
        groups[a] += groups[b]
        groups[b] = []
        cross[a, :] += cross[b, :]
        cross[:, a] += cross[:, b]
        size[a] += size[b]
        alive[b] = False
    return [g for g in groups if g]


def story_groups(articles: list[Article]) -> list[list[Article]]:
    """The stories among `articles`, largest first (ties: the one whose first article comes first);
    articles keep their input order inside a story. One group when nothing is clearly unrelated."""
    n = len(articles)
    if n < 2:
        return [list(articles)]
    sim = similarity(articles)
    groups = _merge(_base_groups(articles, sim), sim)
    if len(groups) > 1:  # a lone article is a story only when it is long and clearly apart
        kept = [g for g in groups if len(g) > 1]
        attach: list[int] = []
        for (i,) in (g for g in groups if len(g) == 1):
            others = np.delete(sim[i], i)
            long = len((articles[i].text or "").split()) >= LONE_WORDS
            if long and others.max() < LONE_SIMILARITY:
                kept.append([i])
            else:
                attach.append(i)
        if not kept:
            kept = [list(range(n))]
            attach = []
        for i in attach:
            max(kept, key=lambda g: float(sim[i, g].mean())).append(i)
        groups = kept
    groups = [sorted(g) for g in groups]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return [[articles[i] for i in g] for g in groups]


__all__ = ["story_groups", "similarity", "GROUP_SIMILARITY", "RELATIVE", "LONE_WORDS", "LONE_SIMILARITY"]
