"""Grouping articles into stories: features -> near-duplicates -> neighbours -> linkage -> state.

See the package docstring for the method. :func:`group_stories` is the entry point; every stage
runs its chunks through :func:`newsbrief.stories.distributed.run_tasks` (here or on Dask).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from newsbrief.model import Article
from newsbrief.stories.distributed import Progress, run_tasks
from newsbrief.stories.duplicates import DUP_THRESHOLD, copy_roots, dup_pairs_task
from newsbrief.stories.features import N_FEATURES, NO_DAY, NUM_PERM, day_number, featurize_chunk
from newsbrief.stories.linkage import average_linkage
from newsbrief.stories.neighbours import KNN, MIN_EDGE, article_vector, knn_task, window_slices
from newsbrief.stories.results import StoryIndex
from newsbrief.stories.state import StoryState, index_from_state
from newsbrief.stories.titles import strip_dateline

DEFAULT_THRESHOLD = 0.05  # average cosine between the articles of two merged groups, after the time decay
DEFAULT_WINDOW_DAYS = 90  # articles further apart are never linked directly; a story grows while its articles chain
DEFAULT_DECAY_DAYS = 45.0  # the linkage of two groups is multiplied by exp(-days between them / this)
DUP_WINDOW_DAYS = 7  # near-duplicate copies are searched among articles at most this many days apart
CHUNK = 2000  # articles per feature / near-duplicate task


class _Clock:
    """Wall and CPU seconds of each stage (CPU: this process only; Dask workers not counted)."""

    def __init__(self) -> None:
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        self.t, self.c = self.t0, self.c0
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def start(self) -> None:
        self.t, self.c = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - self.t
        self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - self.c

    def wall_total(self) -> dict[str, float]:
        return {**{k: round(v, 3) for k, v in self.wall.items()}, "total": round(time.perf_counter() - self.t0, 3)}

    def cpu_total(self) -> dict[str, float]:
        return {**{k: round(v, 3) for k, v in self.cpu.items()}, "total": round(time.process_time() - self.c0, 3)}


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


def group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: StoryState | None = None,
    client: Any = None,
    progress: bool = False,
    chunk: int = CHUNK,
    decay_days: float | None = DEFAULT_DECAY_DAYS,
    online: bool = False,
) -> StoryIndex:
    """Group articles into stories; see the module docstring for the method.

    ``online=True``: the articles are a stream in time order, taken one day at a time (undated
    ones first); each day's articles are grouped among themselves and joined to the stories of
    the days before, which are never split or merged again (a story quiet for weeks can still
    take a new article: it is reopened). The idf counts the whole input of the call from the start.
    Without it, the whole input is grouped at once.

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
        if online:
            return _group_online(articles, threshold, window_days, min_size, state, client, progress, chunk,
                                 decay_days)
        return _group_stories(articles, threshold, window_days, min_size, state, client, progress, chunk, decay_days)
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
        st.art_title.append(strip_dateline(" ".join(a.title.split())))
        st.art_lead.append("")
        if not a.title.strip():  # its headline is made from the lead only if the index shows it
            st.pending_lead[len(st.art_lead) - 1] = a.text or a.raw or ""
        st.art_source.append(a.source or "")
        touched.add(sid)
    return touched


def _group_online(articles: Iterable[Article], threshold: float, window_days: int, min_size: int,
                  state: StoryState | None, client: Any, progress: bool, chunk: int,
                  decay_days: float | None) -> StoryIndex:
    """One day at a time through the incremental path (see group_stories(online=True))."""
    clock = _Clock()
    st = state if state is not None else StoryState()
    n_start = len(st.art_ids)
    new, old, warnings = _validate(articles, set(st.art_ids))
    days = [day_number(a.date) for a in new]
    batches: dict[int, list[Article]] = {}
    for a, d in zip(new, days, strict=True):
        batches.setdefault(d, []).append(a)  # NO_DAY (-1) sorts first
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    # document frequencies of the whole input first: the first days' articles would otherwise be
    # weighted by an idf of a few dozen documents (common words weigh as much as names) and merge
    for i in range(0, len(new), chunk):
        f = featurize_chunk([(a.title or "", a.text or a.raw or "") for a in new[i: i + chunk]])
        u, c = np.unique(f["indices"], return_counts=True)
        st.df[u] += c
    st.n_docs += len(new)
    with Progress(progress) as bar:
        advance = bar.task("days", len(batches))
        for d in sorted(batches):
            part = _group_stories(batches[d], threshold, window_days, min_size, st, client, False, chunk, decay_days,
                                  index=False, count_df=False)
            warnings.extend(part.warnings)
            for k, v in part.stats["timings_s"].items():
                wall[k] = wall.get(k, 0.0) + v
            for k, v in part.stats["cpu_s"].items():
                cpu[k] = cpu.get(k, 0.0) + v
            if advance:
                advance(1)
    index = index_from_state(st, min_size, n_start)
    index.warnings = warnings
    index.settings = {**st.settings, "online": True}
    st.settings = index.settings
    wall = {k: round(v, 3) for k, v in wall.items() if k != "total"} | {"total": clock.wall_total()["total"]}
    cpu = {k: round(v, 3) for k, v in cpu.items() if k != "total"} | {"total": clock.cpu_total()["total"]}
    index.stats = {"new_articles": len(new), "known_articles_skipped": len(old),
                   "stories_touched": sum(1 for s in index.stories if s.new_articles),
                   "days": len(batches), "timings_s": wall, "cpu_s": cpu, "distributed": client is not None}
    return index


def _group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: StoryState | None = None,
    client: Any = None,
    progress: bool = False,
    chunk: int = CHUNK,
    decay_days: float | None = DEFAULT_DECAY_DAYS,
    index: bool = True,
    count_df: bool = True,
) -> StoryIndex:
    """One incremental step; with ``index=False`` the returned StoryIndex has no stories (the
    online mode builds it once, at the end)."""
    from scipy import sparse

    clock = _Clock()
    st = state if state is not None else StoryState()
    new, old, warnings = _validate(articles, set(st.art_ids))

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
        clock.start()
        n_chunks = (n_new + chunk - 1) // chunk
        chunks = (([(a.title or "", a.text or a.raw or "") for a in new[i: i + chunk]],)
                  for i in range(0, n_new, chunk))
        feats = run_tasks(featurize_chunk, chunks, client, bar.task("features", n_chunks))
        clock.lap("features")

        clock.start()
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
        if len(indices) and count_df:
            u, c = np.unique(indices, return_counts=True)
            st.df[u] += c
        st.n_docs += n_new if count_df else 0
        clock.lap("vectors")

        # 2. near-duplicates (MinHash LSH), chunked by date with a halo ---------------------------
        clock.start()
        all_days = np.array(st.art_day + days_new, dtype=np.int64)
        all_sigs = np.concatenate([st.art_sig, sigs_new]) if n_old else sigs_new
        row_order = np.lexsort((np.arange(n_all), all_days, all_days != NO_DAY)).astype(np.int64)
        r_days = all_days[row_order]  # sorted: undated (-1) first
        rows_new = np.nonzero(row_order >= n_old)[0]
        dup_window = min(window_days, DUP_WINDOW_DAYS)

        def dup_args():
            for s0 in range(0, len(rows_new), chunk):
                qrows = rows_new[s0: s0 + chunk]
                qset = set(qrows.tolist())
                idx_only = [k for lo, hi in window_slices(r_days, int(qrows[0]), int(qrows[-1]) + 1, dup_window)
                            for k in range(lo, hi) if k not in qset]
                # index-only rows first, then the query rows in order: each query row meets the
                # halo and the earlier query rows; a pair found by two tasks is merged below
                sel = row_order[np.array(idx_only + qrows.tolist(), dtype=np.int64)]
                yield sel, all_days[sel], all_sigs[sel], len(idx_only), dup_window, DUP_THRESHOLD

        pair_lists = run_tasks(dup_pairs_task, dup_args(), client,
                                bar.task("near-duplicates", (len(rows_new) + chunk - 1) // chunk))
        pairs = sorted({(min(p), max(p)) for pl in pair_lists for p in pl})
        roots = copy_roots(n_all, st.art_root, pairs)
        clock.lap("near_duplicates")

        # 3. representative vectors (pruned TF-IDF) and k nearest neighbours in the window --------
        clock.start()
        for i in range(n_new):
            g = n_old + i
            if roots[g] != g:
                st.art_vec.append((np.zeros(0, np.int32), np.zeros(0, np.float32)))
                continue
            ix = indices[indptr[i]: indptr[i + 1]]
            st.art_vec.append(article_vector(ix, data[indptr[i]: indptr[i + 1]], st.df, st.n_docs))
        # copies per root: a representative stands for all its copies
        weight = np.bincount(np.asarray(roots, dtype=np.int64), minlength=n_all).tolist()
        roots_arr = np.asarray(roots, dtype=np.int64)
        reps = row_order[roots_arr[row_order] == row_order]  # sorted by day
        rep_days = all_days[reps]
        # only the representatives a new one may pair with (a later run of a long stream, or the
        # online mode, touches the window around its new articles, not the whole history)
        new_days = rep_days[reps >= n_old]
        if n_old and len(new_days) and not (new_days == NO_DAY).any():
            near = (rep_days == NO_DAY) | ((rep_days >= new_days.min() - window_days)
                                           & (rep_days <= new_days.max() + window_days))
            reps, rep_days = reps[near], rep_days[near]
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
        clock.lap("neighbours")

        # 4. average-linkage agglomeration on the neighbour graph ------------------------------
        clock.start()
        cluster = average_linkage(st.st_members, st.art_story, roots, weight, edges, n_old, threshold,
                                  all_days, decay_days)
        touched = _record(st, new, days_new, roots, cluster, n_old)
        clock.lap("agglomeration")
        st.art_sig = all_sigs

    settings = {"threshold": threshold, "window_days": window_days, "decay_days": decay_days,
                "min_size": min_size, "dup_threshold": DUP_THRESHOLD, "knn": KNN, "online": False}
    st.settings = settings
    out = index_from_state(st, min_size, n_old) if index else StoryIndex(stories=[], assignments={}, duplicates={})
    out.warnings = warnings
    out.settings = settings
    out.stats = {"new_articles": n_new, "known_articles_skipped": len(old), "stories_touched": len(touched),
                 "timings_s": clock.wall_total(), "cpu_s": clock.cpu_total(), "distributed": client is not None}
    return out




def split_into_stories(articles: Sequence[Article], **options: Any) -> list[list[Article]]:
    """The stories among a few articles (one input that may cover several stories), largest first.

    The same grouping as ``newsbrief stories`` (``group_stories`` with its defaults; ``options``
    are passed on). Every article is in exactly one list, in input order within it; lists of equal
    size keep the order of their first article. An article the grouping cannot use (no id, a
    repeated id, no text) comes back on its own. Fast for 10-100 articles (no Dask, no state)."""
    arts = list(articles)
    index = group_stories(arts, **options)
    groups: dict[str, list[Article]] = {}
    alone: list[list[Article]] = []
    seen: set[str] = set()
    for a in arts:
        sid = index.assignments.get(a.id) if a.id and a.id not in seen else None
        seen.add(a.id)
        if sid is None:
            alone.append([a])
        else:
            groups.setdefault(sid, []).append(a)
    ordered = list(groups.values())
    ordered.sort(key=len, reverse=True)  # stable: equal sizes keep the order of their first article
    return ordered + alone
