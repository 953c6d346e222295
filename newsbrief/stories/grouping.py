"""Grouping articles into stories: features -> near-duplicates -> neighbours -> linkage -> state.

See the package docstring for the method. :func:`group_stories` is the entry point; every stage
runs its chunks through :func:`newsbrief.stories.distributed.run_tasks` (here or on Dask).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from newsbrief.model import Article
from newsbrief.stories.distributed import Progress, run_tasks
from newsbrief.stories.duplicates import DUP_THRESHOLD, copy_roots, dup_pairs_task
from newsbrief.stories.features import N_FEATURES, NO_DAY, NUM_PERM, day_number, featurize_chunk
from newsbrief.stories.linkage import average_linkage
from newsbrief.stories.neighbours import KNN, MIN_EDGE, knn_task, pruned_vector, window_slices
from newsbrief.stories.results import StoryIndex
from newsbrief.stories.state import StoryState, index_from_state

DEFAULT_THRESHOLD = 0.05  # average cosine (pruned TF-IDF) between the articles of two merged groups
DEFAULT_WINDOW_DAYS = 7  # articles further apart are never linked directly; a story grows while its articles chain
CHUNK = 2000  # articles per feature / near-duplicate task


def story_id(first_article_id: str) -> str:
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:10]


def _validate(articles: Iterable[Article], known: set[str]) -> tuple[list[Article], list[Article], list[str]]:
    """(new articles, articles already in the state, warnings): empty ones and repeated ids skipped."""
    new: list[Article] = []
    old: list[Article] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for n, a in enumerate(articles, 1):
        where = a.path or f"article #{n}"
        if not a.id:
            warnings.append(f"{where}: article without an id skipped")
            continue
        if a.id in seen:
            warnings.append(f"{where}: duplicate article id {a.id!r} skipped (the first one is kept)")
            continue
        seen.add(a.id)
        if not (a.text or a.raw or "").strip():
            warnings.append(f"{where}: empty article {a.id!r} skipped")
            continue
        (old if a.id in known else new).append(a)
    return new, old, warnings


def title_of(a: Article) -> str:
    if a.title.strip():
        return a.title.strip()
    first = (a.text or a.raw).strip().split("\n", 1)[0].strip()
    return first[:117] + "..." if len(first) > 120 else first


def group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: StoryState | None = None,
    client: Any = None,
    progress: bool = False,
    chunk: int = CHUNK,
) -> StoryIndex:
    """Group articles into stories; see the module docstring for the method.

    ``state`` (from :func:`load_state` or :func:`new_state`) is updated in place: articles whose
    id it already holds are skipped, new ones join its stories or start new ones. ``client`` is a
    ``distributed.Client``: features, the near-duplicate search and the neighbour search then run
    on its workers; the result is identical to the single-process run. ``min_size`` only filters
    the returned story list (every article keeps its assignment in ``assignments``).
    """
    import gc

    # the cyclic garbage collector would rescan every live object (the whole corpus) again and
    # again while millions of small objects are made: time would grow faster than the corpus.
    # Nothing here makes reference cycles, so it is paused for the call.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _group_stories(articles, threshold, window_days, min_size, state, client, progress, chunk)
    finally:
        if enabled:
            gc.enable()


def _record(st: StoryState, new: list[Article], days_new: list[int], roots: list[int], cluster: dict[int, int],
            n_old: int) -> set[int]:
    """Write the new articles' assignments into the state; new clusters become stories in the
    order of their first article. Returns the indices of the stories that gained articles."""
    n_st = len(st.st_id)
    story_of_cluster: dict[int, int] = {c: c for c in range(n_st)}
    touched: set[int] = set()
    for i, a in enumerate(new):
        g = n_old + i
        c = cluster[g]
        sid = story_of_cluster.get(c)
        if sid is None:
            sid = story_of_cluster[c] = len(st.st_id)
            st.st_id.append(story_id(a.id))
            st.st_members.append([])
        st.st_members[sid].append(g)
        st.art_ids.append(a.id)
        st.art_day.append(days_new[i])
        st.art_story.append(sid)
        st.art_root.append(roots[g])
        st.art_title.append(title_of(a))
        st.art_source.append(a.source or "")
        touched.add(sid)
    return touched


def _group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: StoryState | None = None,
    client: Any = None,
    progress: bool = False,
    chunk: int = CHUNK,
) -> StoryIndex:
    from scipy import sparse

    t0 = time.perf_counter()
    st = state if state is not None else StoryState()
    new, old, warnings = _validate(articles, set(st.art_ids))
    timings: dict[str, float] = {}

    # global order of the new articles: undated first (one block), then by date; ties: input order
    days_new = [day_number(a.date) for a in new]
    for a, d in zip(new, days_new, strict=True):
        if a.date and d == NO_DAY:
            warnings.append(f"{a.path or a.id}: unreadable date {a.date!r} ignored")
    order = sorted(range(len(new)), key=lambda i: (days_new[i] != NO_DAY, days_new[i], i))
    new = [new[i] for i in order]
    days_new = [days_new[i] for i in order]
    n_old, n_new = len(st.art_ids), len(new)
    n_all = n_old + n_new

    with Progress(progress) as bar:
        # 1. features --------------------------------------------------------------------------
        t = time.perf_counter()
        n_chunks = (n_new + chunk - 1) // chunk
        chunks = (([(a.title or "", a.text or a.raw or "") for a in new[i: i + chunk]],)
                  for i in range(0, n_new, chunk))
        feats = run_tasks(featurize_chunk, chunks, client, bar.task("features", n_chunks))
        timings["features"] = time.perf_counter() - t

        t = time.perf_counter()
        if feats:
            off = np.cumsum([0] + [len(f["indices"]) for f in feats])
            indptr = np.concatenate([[0]] + [f["indptr"][1:] + off[k] for k, f in enumerate(feats)])
            indices = np.concatenate([f["indices"] for f in feats])
            data = np.concatenate([f["data"] for f in feats])
            sigs_new = np.concatenate([f["sigs"] for f in feats])
            empty = np.concatenate([f["empty"] for f in feats])
            del feats
        else:
            indptr = np.zeros(1, np.int64)
            indices, data = np.zeros(0, np.int32), np.zeros(0, np.float32)
            sigs_new, empty = np.zeros((0, NUM_PERM), np.uint32), np.zeros(0, bool)
        for a, e in zip(new, empty, strict=True):
            if e:
                warnings.append(f"{a.path or a.id}: article {a.id!r} has no words to group by; kept as its own story")
        # document frequencies (integers: order-independent) -> idf
        st.df += np.bincount(indices, minlength=N_FEATURES)
        st.n_docs += n_new
        idf = np.log((1.0 + st.n_docs) / (1.0 + st.df)) + 1.0
        timings["vectors"] = time.perf_counter() - t

        # 2. near-duplicates (MinHash LSH), chunked by date with a halo ---------------------------
        t = time.perf_counter()
        all_days = np.array(st.art_day + days_new, dtype=np.int64)
        all_sigs = np.concatenate([st.art_sig, sigs_new]) if n_old else sigs_new
        row_order = np.array(sorted(range(n_all), key=lambda g: (all_days[g] != NO_DAY, all_days[g], g)),
                             dtype=np.int64)
        r_days = all_days[row_order]  # sorted: undated (-1) first
        rows_new = np.nonzero(row_order >= n_old)[0]
        def dup_args():
            for s0 in range(0, len(rows_new), chunk):
                qrows = rows_new[s0: s0 + chunk]
                qset = set(qrows.tolist())
                idx_only = [k for lo, hi in window_slices(r_days, int(qrows[0]), int(qrows[-1]) + 1, window_days)
                            for k in range(lo, hi) if k not in qset]
                # index-only rows first, then the query rows in order: each query row meets the
                # halo and the earlier query rows; a pair found by two tasks is merged below
                sel = row_order[np.array(idx_only + qrows.tolist(), dtype=np.int64)]
                yield sel, all_days[sel], all_sigs[sel], len(idx_only), window_days, DUP_THRESHOLD

        pair_lists = run_tasks(dup_pairs_task, dup_args(), client,
                                bar.task("near-duplicates", (len(rows_new) + chunk - 1) // chunk))
        pairs = sorted({(min(p), max(p)) for pl in pair_lists for p in pl})
        roots = copy_roots(n_all, st.art_root, pairs)
        timings["near_duplicates"] = time.perf_counter() - t

        # 3. representative vectors (pruned TF-IDF) and k nearest neighbours in the window --------
        t = time.perf_counter()
        for i in range(n_new):
            g = n_old + i
            if roots[g] != g:
                st.art_vec.append((np.zeros(0, np.int32), np.zeros(0, np.float32)))
                continue
            ix = indices[indptr[i]: indptr[i + 1]]
            st.art_vec.append(pruned_vector(ix, data[indptr[i]: indptr[i + 1]], idf))
        # copies per root: a representative stands for all its copies
        weight = Counter(roots)
        reps = np.array([g for g in row_order.tolist() if roots[g] == g], dtype=np.int64)  # sorted by day
        rep_days = all_days[reps]
        lens = np.array([len(st.art_vec[g][0]) for g in reps], dtype=np.int64)
        X = sparse.csr_matrix(
            (np.concatenate([st.art_vec[g][1] for g in reps]) if len(reps) else np.zeros(0, np.float32),
             np.concatenate([st.art_vec[g][0] for g in reps]) if len(reps) else np.zeros(0, np.int32),
             np.concatenate([[0], np.cumsum(lens)])),
            shape=(len(reps), N_FEATURES),
        )
        del indices, data
        qpos = np.nonzero(reps >= n_old)[0]

        def knn_args():
            for s0 in range(0, len(qpos), chunk):
                qp = qpos[s0: s0 + chunk]
                cols = np.concatenate([np.arange(lo, hi) for lo, hi in
                                       window_slices(rep_days, int(qp[0]), int(qp[-1]) + 1, window_days)])
                yield (X[qp], reps[qp], rep_days[qp], X[cols], reps[cols], rep_days[cols],
                       KNN, MIN_EDGE, window_days)

        edge_lists = run_tasks(knn_task, knn_args(), client, bar.task("neighbours", (len(qpos) + chunk - 1) // chunk))
        X = None  # free it (the generator above has been consumed)
        # undirected edges (a < b), each once (the first found), sorted by (a, b)
        if edge_lists:
            src = np.concatenate([e[0] for e in edge_lists])
            dst = np.concatenate([e[1] for e in edge_lists])
            val = np.concatenate([e[2] for e in edge_lists])
        else:
            src = dst = np.zeros(0, np.int64)
            val = np.zeros(0, np.float64)
        del edge_lists
        ea, eb = np.minimum(src, dst), np.maximum(src, dst)
        _, first = np.unique(ea * max(n_all, 1) + eb, return_index=True)
        edges = (ea[first], eb[first], val[first])
        del src, dst, val, ea, eb
        timings["neighbours"] = time.perf_counter() - t

        # 4. average-linkage agglomeration on the neighbour graph ------------------------------
        t = time.perf_counter()
        cluster = average_linkage(st.st_members, st.art_story, roots, weight, edges, n_old, threshold)
        touched = _record(st, new, days_new, roots, cluster, n_old)
        timings["agglomeration"] = time.perf_counter() - t
        st.art_sig = all_sigs

    settings = {"threshold": threshold, "window_days": window_days, "min_size": min_size,
                "dup_threshold": DUP_THRESHOLD, "knn": KNN}
    st.settings = settings
    index = index_from_state(st, min_size, n_old)
    index.warnings = warnings
    index.settings = settings
    timings["total"] = time.perf_counter() - t0
    index.stats = {"new_articles": n_new, "known_articles_skipped": len(old), "stories_touched": len(touched),
                   "timings_s": {k: round(v, 3) for k, v in timings.items()}, "distributed": client is not None}
    return index


