"""Stories from a stream: group a large mixed corpus of articles into stories, then brief each.

Pipeline (near-linear in the number of articles; no all-pairs comparison anywhere):

1. **Features** (per article, stateless, so it runs in partitions on Dask workers): content words
   (lower-cased, stop words and short tokens dropped); a hashed term-frequency vector (CRC32
   hashing trick into 2**20 buckets, title and lead counted twice); a MinHash signature
   (``datasketch.MinHash``, 64 permutations) of word 3-shingles.
2. **Near-duplicates** (``datasketch.MinHashLSH``): articles whose estimated shingle Jaccard is at
   least ``DUP_THRESHOLD`` and whose dates lie within the time window are near-duplicate copies
   (wire copies, re-dated reprints, light rewrites, shuffled paragraphs). The search is cut into
   date-ordered chunks, each with a "halo" of the earlier articles that are still inside the
   window, so chunks are independent tasks (Dask); a pair found by two tasks counts once.
3. **Stories**: every representative (an article that is not a copy of an earlier one) gets a
   TF-IDF vector pruned to its ``DOC_TERMS`` strongest terms; its ``KNN`` nearest neighbours by
   cosine are found by sparse matrix products restricted to the articles dated within
   ``window_days`` (blocking: cost grows with the corpus times the window's size, not with the
   square of the corpus). Average linkage over that sparse neighbour graph (a pair that is not
   neighbours counts as similarity 0; a representative weighs as many articles as it has copies)
   merges the most similar pair of groups first, while their average cosine is >= ``threshold``.
   Undated articles form one block of their own.
4. **State** (``--state FILE``, a pickle-free ``.npz``): document frequencies, MinHash signatures,
   the representatives' pruned vectors and the assignments. A later run loads it, skips articles
   it already grouped (matched by id) and groups only the new ones: their neighbours are searched
   among old and new articles, existing stories enter the linkage as fixed groups (never split,
   never merged with each other), so a new article joins an existing story or starts a new one.

Determinism: features, near-duplicate pairs and neighbour lists are pure functions of their
chunk; document frequencies are summed as integers; the linkage runs on the client over sorted
edges.
So ``client=`` (Dask) gives exactly the grouping of the single-process run.

API: :func:`group_stories` -> :class:`StoryIndex`; :func:`run_stories` (what ``newsbrief stories``
calls) reads a corpus, groups it, briefs every story of at least ``min_size`` articles and writes
``stories/<story-id>.json|.md``, ``index.json`` and ``index.md``.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.model import Article

# ---------------------------------------------------------------------------------------------
# defaults (the CLI reads these)

DEFAULT_THRESHOLD = 0.05  # average cosine (pruned TF-IDF) between the articles of two merged groups
DEFAULT_WINDOW_DAYS = 7  # articles further apart are never linked directly; a story grows while its articles chain
DEFAULT_MIN_SIZE = 2  # stories with fewer articles are grouped and listed, but not briefed
DEFAULT_BRIEF_WORDS = 150

DUP_THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles for near-duplicate copies
NUM_PERM = 64  # MinHash permutations
N_FEATURES = 1 << 20  # hashed vocabulary
DOC_TERMS = 60  # terms kept per article vector
KNN = 20  # neighbours kept per representative article
MIN_EDGE = 0.02  # weaker neighbour links are dropped
CHUNK = 2000  # articles per feature / near-duplicate task
STATE_VERSION = 1
_NO_DAY = -1  # "undated" in integer day arrays

_TOKEN = re.compile(r"[a-z][a-z'\-]{2,}")
_LEAD_TOKENS = 60


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    extra = {"said", "says", "say", "told", "also", "would", "could", "one", "two", "new", "year",
             "years", "mr", "mrs", "ms", "percent", "people", "time", "just", "like", "it's", "don't"}
    return frozenset(ENGLISH_STOP_WORDS) | frozenset(extra)


_STOP = _stop_words()


# ---------------------------------------------------------------------------------------------
# results


@dataclass
class Story:
    """One story: its articles (ids, in arrival order) and what the index shows about it."""

    id: str
    articles: list[str]
    title: str = ""
    sources: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    new_articles: int = 0  # how many joined in this run (all of them without --state)

    @property
    def size(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_count": self.size,
            "new_articles": self.new_articles,
            "sources": self.sources,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "articles": self.articles,
        }


@dataclass
class StoryIndex:
    """The grouping: stories (largest first), article -> story, near-duplicate groups, warnings."""

    stories: list[Story]
    assignments: dict[str, str]  # article id -> story id
    duplicates: dict[str, str]  # article id -> id of the earliest copy it duplicates (copies only)
    warnings: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def story(self, story_id: str) -> Story:
        for s in self.stories:
            if s.id == story_id:
                return s
        raise KeyError(story_id)

    def labels(self, article_ids: Sequence[str]) -> list[str]:
        return [self.assignments[a] for a in article_ids]

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "counts": {
                "stories": len(self.stories),
                "articles": len(self.assignments),
                "near_duplicate_copies": len(self.duplicates),
            },
            "stories": [s.to_dict() for s in self.stories],
            "warnings": self.warnings,
            "stats": self.stats,
        }


# ---------------------------------------------------------------------------------------------
# features (pure functions of one article; run in chunks, on Dask workers when given a client)


def _day(d: str | None) -> int:
    if not d:
        return _NO_DAY
    try:
        return _date.fromisoformat(str(d)[:10]).toordinal()
    except ValueError:
        return _NO_DAY


def _iso(day: int) -> str | None:
    return None if day == _NO_DAY else _date.fromordinal(int(day)).isoformat()


def _tokens(text: str) -> list[str]:
    stop = _STOP
    return [w for w in _TOKEN.findall(text.lower()) if w not in stop]


_HASHES: dict[str, int] = {}
_PERMUTATIONS: list = []


def _hash_tokens(toks: list[str]) -> np.ndarray:
    """CRC32 of each token (memoised: vocabularies repeat), as uint64."""
    cache = _HASHES
    if len(cache) > 2_000_000:
        cache.clear()
    vals = list(map(cache.get, toks))
    if None in vals:
        for i, v in enumerate(vals):
            if v is None:
                w = toks[i]
                v = cache.get(w)
                if v is None:
                    v = cache[w] = zlib.crc32(w.encode())
                vals[i] = v
    return np.array(vals, dtype=np.uint64)


def _minhash(values: list[int]) -> np.ndarray:
    """datasketch MinHash (affine32 scheme, NUM_PERM permutations, seed 1) of 32-bit values."""
    from datasketch import MinHash

    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=1).permutations)
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, permutations=_PERMUTATIONS[0], scheme="affine32")
    m.update_batch(values)
    return m.hashvalues


def _featurize_one(title: str, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term buckets int32, weights float32 = 1+log tf with title/lead doubled, MinHash uint32)."""
    body = _tokens(text)
    head = _tokens(title) if title and not text.lstrip().startswith(title.strip()) else []
    toks = head + body
    if not toks:
        return np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.uint32)
    h = _hash_tokens(toks)
    buckets = (h & np.uint64(N_FEATURES - 1)).astype(np.int32)
    lead = np.concatenate([buckets[: len(head) + _LEAD_TOKENS]])
    idx, counts = np.unique(np.concatenate([buckets, lead]), return_counts=True)
    weights = (1.0 + np.log(counts)).astype(np.float32)
    # word 3-shingles of the body, hashed to 32 bits, into a datasketch MinHash
    hb = h[len(head):]
    if len(hb) >= 3:
        sh = ((hb[:-2] * np.uint64(0x9E3779B1)) ^ (hb[1:-1] * np.uint64(0x85EBCA77)) ^ hb[2:]) & np.uint64(
            0xFFFFFFFF
        )
    else:
        sh = hb
    return idx.astype(np.int32), weights, _minhash(np.unique(sh).tolist()).astype(np.uint32)


def _featurize_chunk(items: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Features of (title, text) pairs as CSR arrays + signatures (n, NUM_PERM)."""
    indptr = [0]
    ind: list[np.ndarray] = []
    dat: list[np.ndarray] = []
    sigs = np.zeros((len(items), NUM_PERM), dtype=np.uint32)
    empty = np.zeros(len(items), dtype=bool)
    for i, (title, text) in enumerate(items):
        idx, w, sig = _featurize_one(title, text)
        ind.append(idx)
        dat.append(w)
        indptr.append(indptr[-1] + len(idx))
        if len(sig):
            sigs[i] = sig
        else:
            empty[i] = True
    return {
        "indptr": np.asarray(indptr, dtype=np.int64),
        "indices": np.concatenate(ind) if ind else np.zeros(0, np.int32),
        "data": np.concatenate(dat) if dat else np.zeros(0, np.float32),
        "sigs": sigs,
        "empty": empty,
    }


# ---------------------------------------------------------------------------------------------
# near-duplicates (datasketch MinHashLSH), chunked by date with a halo of earlier articles


def _lsh_params(threshold: float) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _dup_pairs_task(
    keys: np.ndarray, days: np.ndarray, sigs: np.ndarray, query_from: int, window: int, threshold: float
) -> list[tuple[int, int]]:
    """Near-duplicate pairs (earlier key, later key) among rows >= query_from (rows before are the
    halo: earlier articles, only indexed). Rows are in global order."""
    from datasketch import LeanMinHash, MinHashLSH

    b, r = _lsh_params(threshold)
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
                if d != _NO_DAY and days[crow] != _NO_DAY and abs(int(d) - int(days[crow])) > window:
                    continue
                if float(np.mean(sigs[crow] == sig)) >= threshold:
                    pairs.append((int(keys[crow]), int(keys[row])))
        lsh.insert(str(row), m)
    # MinHashLSH keeps a bound method of itself (a reference cycle): break it, so that the index
    # is freed now even while the cyclic garbage collector is paused (see group_stories)
    lsh.__dict__.pop("_H", None)
    del lsh
    return pairs


# ---------------------------------------------------------------------------------------------
# nearest neighbours (sparse TF-IDF cosine) within time-window blocks


def _knn_task(q: Any, q_keys: np.ndarray, q_days: np.ndarray, c: Any, c_keys: np.ndarray,
              c_days: np.ndarray, k: int, min_sim: float, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (key, key, cosine) from each query row to its k most similar column rows.

    `q` and `c` are CSR matrices of L2-normalised pruned TF-IDF vectors; only pairs with both
    dates within `window` days (or either undated) and cosine >= min_sim count."""
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
        if d != _NO_DAY:  # an undated article may belong with any other: no window applies to it
            ok &= (cd == _NO_DAY) | (np.abs(cd - d) <= window)
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


# ---------------------------------------------------------------------------------------------
# state


class _State:
    """Everything a later run needs, as plain arrays (no article texts, no pickles).

    Articles are numbered in the order they were grouped (their "global index"). Every article
    has a MinHash signature and a day; a representative (an article that is not a near-duplicate
    copy of an earlier one) also has its pruned TF-IDF vector."""

    def __init__(self) -> None:
        self.df = np.zeros(N_FEATURES, dtype=np.int64)
        self.n_docs = 0
        self.art_ids: list[str] = []
        self.art_day: list[int] = []
        self.art_sig = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self.art_story: list[int] = []
        self.art_root: list[int] = []  # global index of the earliest copy (itself if none)
        self.art_title: list[str] = []
        self.art_source: list[str] = []
        self.art_vec: list[tuple[np.ndarray, np.ndarray]] = []  # (term buckets, weights); empty for copies
        self.st_id: list[str] = []
        self.st_members: list[list[int]] = []
        self.settings: dict[str, Any] = {}

    def story_days(self, sid: int) -> tuple[int, int]:
        days = [self.art_day[g] for g in self.st_members[sid] if self.art_day[g] != _NO_DAY]
        return (min(days), max(days)) if days else (_NO_DAY, _NO_DAY)

    def save(self, path: str | os.PathLike) -> None:
        path = Path(path)
        lens = [len(v[0]) for v in self.art_vec]
        indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        vidx = np.concatenate([v[0] for v in self.art_vec]).astype(np.int32) if lens else np.zeros(0, np.int32)
        vval = np.concatenate([v[1] for v in self.art_vec]).astype(np.float32) if lens else np.zeros(0, np.float32)
        nz = np.nonzero(self.df)[0].astype(np.int32)
        meta = {"version": STATE_VERSION, "n_docs": self.n_docs, "settings": self.settings,
                "num_perm": NUM_PERM, "n_features": N_FEATURES}
        arrays = {
            "meta": np.array(json.dumps(meta)),
            "df_idx": nz,
            "df_val": self.df[nz],
            "art_ids": np.array(self.art_ids, dtype=str),
            "art_day": np.array(self.art_day, dtype=np.int64),
            "art_sig": self.art_sig,
            "art_story": np.array(self.art_story, dtype=np.int64),
            "art_root": np.array(self.art_root, dtype=np.int64),
            "art_title": np.array(self.art_title, dtype=str),
            "art_source": np.array(self.art_source, dtype=str),
            "vec_indptr": indptr,
            "vec_idx": vidx,
            "vec_val": vval,
            "st_id": np.array(self.st_id, dtype=str),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> _State:
        s = cls()
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if (meta.get("version"), meta.get("num_perm"), meta.get("n_features")) != (
                STATE_VERSION, NUM_PERM, N_FEATURES):
                raise ValueError(f"{path}: incompatible story state (version {meta.get('version')})")
            s.n_docs = int(meta["n_docs"])
            s.settings = meta.get("settings", {})
            s.df[z["df_idx"]] = z["df_val"]
            s.art_ids = [str(x) for x in z["art_ids"]]
            s.art_day = [int(x) for x in z["art_day"]]
            s.art_sig = np.array(z["art_sig"], dtype=np.uint32).reshape(-1, NUM_PERM)
            s.art_story = [int(x) for x in z["art_story"]]
            s.art_root = [int(x) for x in z["art_root"]]
            s.art_title = [str(x) for x in z["art_title"]]
            s.art_source = [str(x) for x in z["art_source"]]
            ip, vi, vv = z["vec_indptr"], z["vec_idx"], z["vec_val"]
            s.art_vec = [(vi[ip[g]: ip[g + 1]], vv[ip[g]: ip[g + 1]]) for g in range(len(s.art_ids))]
            s.st_id = [str(x) for x in z["st_id"]]
        s.st_members = [[] for _ in s.st_id]
        for g, sid in enumerate(s.art_story):
            s.st_members[sid].append(g)
        return s


def new_state() -> _State:
    return _State()


def load_state(path: str | os.PathLike) -> _State:
    """Load a story state written by :func:`save_state` (or by ``run_stories(state_path=...)``)."""
    return _State.load(path)


def save_state(state: _State, path: str | os.PathLike) -> None:
    state.save(path)


# ---------------------------------------------------------------------------------------------
# grouping


def _story_id(first_article_id: str) -> str:
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:10]


def _call(fn: Callable, args: tuple) -> Any:
    return fn(*args)


def _run_tasks(fn: Callable, arglists: Iterable[tuple], client: Any, progress: Callable[[int], None] | None) -> list:
    """fn(*args) for every args tuple: in this process (the arguments are made one at a time), or
    on Dask (results in the same order)."""
    if client is None:
        out = []
        for args in arglists:
            out.append(fn(*args))
            if progress:
                progress(1)
        return out
    from distributed import as_completed

    arglists = list(arglists)
    # the inputs go straight to the workers (not through the scheduler inside the task graph)
    scattered = client.scatter(arglists, hash=False) if arglists else []
    futures = [client.submit(_call, fn, a, pure=False) for a in scattered]
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for fut in as_completed(futures):
        results[position[fut.key]] = fut.result()
        if progress:
            progress(1)
    return results


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


def _title_of(a: Article) -> str:
    if a.title.strip():
        return a.title.strip()
    first = (a.text or a.raw).strip().split("\n", 1)[0].strip()
    return first[:117] + "..." if len(first) > 120 else first


class _Progress:
    """A thin wrapper around rich.progress (or nothing)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._p = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._p = Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                               TimeElapsedColumn())
            self._p.__enter__()
        return self

    def __exit__(self, *exc):
        if self._p is not None:
            self._p.__exit__(*exc)

    def task(self, description: str, total: int) -> Callable[[int], None] | None:
        if self._p is None:
            return None
        tid = self._p.add_task(description, total=total)
        return lambda k=1: self._p.advance(tid, k)


def _window_slices(days: np.ndarray, q_lo: int, q_hi: int, window: int) -> list[tuple[int, int]]:
    """Row ranges of the sorted `days` (undated = -1 first) that rows [q_lo, q_hi) may pair with:
    undated rows with every row, dated rows with the undated ones and those within the window."""
    qd = days[q_lo:q_hi]
    if (qd == _NO_DAY).any():
        return [(0, len(days))]
    out = [(0, int(np.searchsorted(days, _NO_DAY, "right")))]
    dated = qd[qd != _NO_DAY]
    if len(dated):
        out.append((int(np.searchsorted(days, dated.min() - window, "left")),
                    int(np.searchsorted(days, dated.max() + window, "right"))))
    return out


def group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: _State | None = None,
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


def _group_stories(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = 1,
    state: _State | None = None,
    client: Any = None,
    progress: bool = False,
    chunk: int = CHUNK,
) -> StoryIndex:
    from scipy import sparse

    t0 = time.perf_counter()
    st = state if state is not None else _State()
    new, old, warnings = _validate(articles, set(st.art_ids))
    timings: dict[str, float] = {}

    # global order of the new articles: undated first (one block), then by date; ties: input order
    days_new = [_day(a.date) for a in new]
    for a, d in zip(new, days_new):
        if a.date and d == _NO_DAY:
            warnings.append(f"{a.path or a.id}: unreadable date {a.date!r} ignored")
    order = sorted(range(len(new)), key=lambda i: (days_new[i] != _NO_DAY, days_new[i], i))
    new = [new[i] for i in order]
    days_new = [days_new[i] for i in order]
    n_old, n_new = len(st.art_ids), len(new)
    n_all = n_old + n_new

    with _Progress(progress) as bar:
        # 1. features --------------------------------------------------------------------------
        t = time.perf_counter()
        n_chunks = (n_new + chunk - 1) // chunk
        chunks = (([(a.title or "", a.text or a.raw or "") for a in new[i: i + chunk]],) for i in range(0, n_new, chunk))
        feats = _run_tasks(_featurize_chunk, chunks, client, bar.task("features", n_chunks))
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
        for a, e in zip(new, empty):
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
        row_order = np.array(sorted(range(n_all), key=lambda g: (all_days[g] != _NO_DAY, all_days[g], g)),
                             dtype=np.int64)
        r_days = all_days[row_order]  # sorted: undated (-1) first
        rows_new = np.nonzero(row_order >= n_old)[0]
        def dup_args():
            for s0 in range(0, len(rows_new), chunk):
                qrows = rows_new[s0: s0 + chunk]
                qset = set(qrows.tolist())
                idx_only = [k for lo, hi in _window_slices(r_days, int(qrows[0]), int(qrows[-1]) + 1, window_days)
                            for k in range(lo, hi) if k not in qset]
                # index-only rows first, then the query rows in order: each query row meets the
                # halo and the earlier query rows; a pair found by two tasks is merged below
                sel = row_order[np.array(idx_only + qrows.tolist(), dtype=np.int64)]
                yield sel, all_days[sel], all_sigs[sel], len(idx_only), window_days, DUP_THRESHOLD

        pair_lists = _run_tasks(_dup_pairs_task, dup_args(), client,
                                bar.task("near-duplicates", (len(rows_new) + chunk - 1) // chunk))
        pairs = sorted({(min(p), max(p)) for pl in pair_lists for p in pl})
        parent = list(range(n_all))
        for g in range(n_old):
            parent[g] = st.art_root[g]

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a_, b_ in pairs:
            ra, rb = find(a_), find(b_)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)  # root = the earliest copy
        roots = [find(g) for g in range(n_all)]
        timings["near_duplicates"] = time.perf_counter() - t

        # 3. representative vectors (pruned TF-IDF) and k nearest neighbours in the window --------
        t = time.perf_counter()
        for i in range(n_new):
            g = n_old + i
            if roots[g] != g:
                st.art_vec.append((np.zeros(0, np.int32), np.zeros(0, np.float32)))
                continue
            ix = indices[indptr[i]: indptr[i + 1]]
            w = data[indptr[i]: indptr[i + 1]] * idf[ix]
            if len(ix) > DOC_TERMS:
                keep = np.argpartition(-w, DOC_TERMS)[:DOC_TERMS]
                ix, w = ix[keep], w[keep]
            nrm = float(np.sqrt(np.dot(w, w))) or 1.0
            st.art_vec.append((ix.astype(np.int32), (w / nrm).astype(np.float32)))
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
                                       _window_slices(rep_days, int(qp[0]), int(qp[-1]) + 1, window_days)])
                yield (X[qp], reps[qp], rep_days[qp], X[cols], reps[cols], rep_days[cols],
                       KNN, MIN_EDGE, window_days)

        edge_lists = _run_tasks(_knn_task, knn_args(), client, bar.task("neighbours", (len(qpos) + chunk - 1) // chunk))
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
        touched = _agglomerate(st, roots, weight, edges, n_old, new, days_new, threshold)
        timings["agglomeration"] = time.perf_counter() - t
        st.art_sig = all_sigs

    settings = {"threshold": threshold, "window_days": window_days, "min_size": min_size,
                "dup_threshold": DUP_THRESHOLD, "knn": KNN}
    st.settings = settings
    index = _index_from_state(st, min_size, n_old)
    index.warnings = warnings
    index.settings = settings
    timings["total"] = time.perf_counter() - t0
    index.stats = {"new_articles": n_new, "known_articles_skipped": len(old), "stories_touched": len(touched),
                   "timings_s": {k: round(v, 3) for k, v in timings.items()}, "distributed": client is not None}
    return index


def _agglomerate(st: _State, roots: list[int], weight: Counter, edges: tuple[np.ndarray, np.ndarray, np.ndarray],
                 n_old: int, new: list[Article], days_new: list[int], threshold: float) -> set[int]:
    """Average linkage over the sparse neighbour graph, most similar pair first.

    Clusters start as the existing stories (frozen: never split, never merged with each other)
    and the new representatives. The linkage of two clusters is the sum of the cosines of their
    neighbour edges (each representative counted once per copy) divided by |A|*|B|; pairs that
    are not neighbours count as 0. Merge while the best linkage is >= threshold."""
    n_all = len(roots)
    # cluster of a global index: old articles -> ("old story" cluster id = story index);
    # new representatives -> their own cluster; copies follow their root
    n_st = len(st.st_id)
    cluster_of: dict[int, int] = {}
    size: dict[int, int] = {}
    for sid, members in enumerate(st.st_members):
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
        cluster_of[g] = st.art_story[g]
    cluster_of.update(rep_cluster)
    adj: dict[int, dict[int, float]] = {c: {} for c in size}
    for a, b, sim in zip(edges[0].tolist(), edges[1].tolist(), edges[2].tolist()):
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

    # write the assignment into the state; new clusters become stories in order of first article
    story_of_cluster: dict[int, int] = {c: c for c in range(n_st)}
    touched: set[int] = set()
    for i, a in enumerate(new):
        g = n_old + i
        r = roots[g]
        c = final(st.art_story[r] if r < n_old else rep_cluster[r])
        sid = story_of_cluster.get(c)
        if sid is None:
            sid = story_of_cluster[c] = len(st.st_id)
            st.st_id.append(_story_id(a.id))
            st.st_members.append([])
        st.st_members[sid].append(g)
        st.art_ids.append(a.id)
        st.art_day.append(days_new[i])
        st.art_story.append(sid)
        st.art_root.append(r)
        st.art_title.append(_title_of(a))
        st.art_source.append(a.source or "")
        touched.add(sid)
    return touched


def _index_from_state(st: _State, min_size: int, n_old: int) -> StoryIndex:
    assignments = {a: st.st_id[s] for a, s in zip(st.art_ids, st.art_story)}
    duplicates = {a: st.art_ids[r] for a, r in zip(st.art_ids, st.art_root) if st.art_ids[r] != a}
    stories = []
    for sid, members in enumerate(st.st_members):
        if not members or len(members) < min_size:
            continue
        titles = [st.art_title[g] for g in members if st.art_title[g]]
        sources: list[str] = []
        for g in members:
            src = st.art_source[g]
            if src and src not in sources:
                sources.append(src)
        first, last = st.story_days(sid)
        stories.append(
            Story(
                id=st.st_id[sid],
                articles=[st.art_ids[g] for g in members],
                title=titles[0] if titles else "",
                sources=sources,
                first_date=_iso(first),
                last_date=_iso(last),
                new_articles=sum(1 for g in members if g >= n_old),
            )
        )
    stories.sort(key=lambda s: (-s.size, s.first_date or "", s.id))
    return StoryIndex(stories=stories, assignments=assignments, duplicates=duplicates)


# ---------------------------------------------------------------------------------------------
# reading a corpus


def read_corpus(paths: Sequence[str | os.PathLike] | str | os.PathLike) -> tuple[list[Article], list[str]]:
    """Articles of a corpus (files and directories, recursively).

    JSONL files (articles, or benchmark rows whose documents become articles) are read here line
    by line, so that a broken or undecodable line, an empty article or a repeated id is reported
    with its file and line and skipped; every other file goes through
    :func:`newsbrief.readers.read_inputs` (which reports empty, binary and undecodable files).
    All articles are cleaned by the reader. Nothing that can be read is dropped."""
    from newsbrief.readers import JSONL_EXTS, article_from_dict, read_inputs

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    warnings: list[str] = []
    jsonl: list[Path] = []
    other: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not files:
                warnings.append(f"{p}: empty directory")
            for f in files:
                (jsonl if f.suffix.lower() in JSONL_EXTS else other).append(f)
        elif p.is_file() and p.suffix.lower() in JSONL_EXTS:
            jsonl.append(p)
        else:
            other.append(p)  # the reader reports a missing path or an unsupported file
    pending: list[Article] = []
    ids: set[str] = set()
    for p in jsonl:
        try:
            raw = p.read_bytes()
        except OSError as e:
            warnings.append(f"{p}: cannot read ({e.strerror or e}); skipped")
            continue
        if not raw.strip():
            warnings.append(f"{p}: empty file; skipped")
            continue
        for n, line_b in enumerate(raw.split(b"\n"), 1):
            if not line_b.strip():
                continue
            where = f"{p}:{n}"
            try:
                obj = json.loads(line_b.decode("utf-8"))
            except UnicodeDecodeError:
                warnings.append(f"{where}: undecodable line (not UTF-8); skipped")
                continue
            except json.JSONDecodeError as e:
                warnings.append(f"{where}: broken JSON line ({e.msg}); skipped")
                continue
            if not isinstance(obj, dict):
                warnings.append(f"{where}: not an article object; skipped")
                continue
            found: list[Article] = []
            docs = obj.get("documents")
            if isinstance(docs, list):  # a benchmark row: its documents are articles
                doc_ids = obj.get("doc_ids") if isinstance(obj.get("doc_ids"), list) else []
                for i, doc in enumerate(docs):
                    aid = str(doc_ids[i]) if i < len(doc_ids) and doc_ids[i] else f"{obj.get('id', f'row{n}')}-d{i + 1}"
                    if not isinstance(doc, str) or not doc.strip():
                        warnings.append(f"{where}: document {i + 1} ({aid}) is empty; skipped")
                        continue
                    found.append(Article(id=aid, raw=doc, path=str(p)))
            else:
                a = article_from_dict(obj, default_id=f"{p.stem}-{n}")
                if a is None:
                    warnings.append(f"{where}: article without text; skipped")
                    continue
                a.path = a.path or str(p)
                found.append(a)
            for a in found:
                if a.id in ids:
                    warnings.append(f"{where}: duplicate article id {a.id!r}; skipped (the first one is kept)")
                    continue
                ids.add(a.id)
                pending.append(a)
    articles: list[Article] = []
    if other:
        got, warn = read_inputs(other)  # one reader: ids unique among these files
        warnings.extend(warn)
        for a in got:  # a file named like a JSONL article id keeps its article, renamed
            if a.id in ids:
                base, k = a.id, 2
                while f"{base}-{k}" in ids:
                    k += 1
                a.id = f"{base}-{k}"
            ids.add(a.id)
            articles.append(a)
    if pending:  # cleaned like every other input (the reader keeps these unique ids)
        got, warn = read_inputs(pending)
        articles.extend(got)
        warnings.extend(warn)
    return articles, warnings


# ---------------------------------------------------------------------------------------------
# Dask


def _warm_worker() -> None:
    import datasketch  # noqa: F401
    import scipy.sparse  # noqa: F401

    _minhash([1, 2, 3])


class dask_client:
    """``with dask_client(scheduler, workers) as client:`` -> a distributed.Client or None.

    ``scheduler``: address of a running scheduler; ``workers``: start a local cluster of that many
    single-threaded worker processes on 127.0.0.1 (no dashboard, scratch files in a temp dir);
    neither: None (single process). Everything started here is shut down on exit."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self.scheduler, self.workers = scheduler, workers
        self.client = self.cluster = self._tmp = None

    def __enter__(self):
        if not self.scheduler and not self.workers:
            return None
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            import tempfile

            self._tmp = tempfile.TemporaryDirectory(prefix="newsbrief-dask-")
            self.cluster = LocalCluster(n_workers=int(self.workers), threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None,
                                        local_directory=self._tmp.name)
            self.client = Client(self.cluster)
        self.client.run(_warm_worker)  # imports once per worker, before any timing
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self._tmp is not None:
            self._tmp.cleanup()


# ---------------------------------------------------------------------------------------------
# the command: read, group, brief, write


def _brief_task(articles: list[Article], words: int, options: dict[str, Any]) -> tuple[str, str, str, str]:
    """(json, markdown, title, error) of one story's brief; an error never stops the others."""
    try:
        import newsbrief

        b = newsbrief.brief(articles, words=words, **options)
        return b.to_json(), b.to_markdown(), b.title, ""
    except Exception as e:  # noqa: BLE001
        return "", "", "", f"{type(e).__name__}: {e}"


def _update_tasks(todo: list[Story], by_id: dict[str, Article], out: Path, words: int,
                  options: dict[str, Any] | None) -> list[tuple[Story, tuple]]:
    """(story, story_update arguments) for the stories that gained articles and have a previous brief on disk:
    their update brief says what the new articles add to it (newsbrief.update.story_update)."""
    tasks = []
    for s in todo:
        previous = out / "stories" / f"{s.id}.json"
        new = [by_id[x] for x in s.articles[len(s.articles) - s.new_articles:] if x in by_id]
        if not new or s.new_articles >= s.size or not previous.exists():
            continue
        try:
            saved = json.loads(previous.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        tasks.append((s, (new, saved, words, dict(options or {}))))
    return tasks


def _md_cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def run_stories(
    corpus: Sequence[str | os.PathLike] | str | os.PathLike,
    out_dir: str | os.PathLike,
    threshold: float = DEFAULT_THRESHOLD,
    window_days: float = DEFAULT_WINDOW_DAYS,
    min_size: int = DEFAULT_MIN_SIZE,
    state_path: str | os.PathLike | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    words: int = DEFAULT_BRIEF_WORDS,
    brief_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``newsbrief stories CORPUS --out DIR``: group the corpus, brief every story of at least
    ``min_size`` articles (with ``--state``: every such story that gained articles in this run),
    write ``stories/<id>.json|.md``, ``index.json`` and ``index.md``; return the index dict."""
    import sys

    if progress is None:
        progress = sys.stderr.isatty()
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    articles, warnings = read_corpus(corpus)
    state = load_state(state_path) if state_path and Path(state_path).exists() else new_state()
    with dask_client(scheduler, workers) as client:
        index = group_stories(articles, threshold=threshold, window_days=window_days, min_size=1,
                              state=state, client=client, progress=progress)
        by_id = {a.id: a for a in articles}
        big = [s for s in index.stories if s.size >= min_size]
        small = [s for s in index.stories if s.size < min_size]
        todo = [s for s in big if s.new_articles > 0 and any(x in by_id for x in s.articles)]
        updates = _update_tasks(todo, by_id, out, words, brief_options)  # read before the briefs are rewritten
        t = time.perf_counter()
        with _Progress(progress) as bar:
            results = _run_tasks(
                _brief_task,
                [([by_id[x] for x in s.articles if x in by_id], words, dict(brief_options or {})) for s in todo],
                client,
                bar.task("briefs", len(todo)),
            )
            from newsbrief.update import story_update

            update_results = _run_tasks(story_update, [args for _, args in updates], client,
                                        bar.task("updates", len(updates)))
        brief_seconds = time.perf_counter() - t
    files: dict[str, dict[str, Any]] = {}
    for s, (js, md, title, err) in zip(todo, results):
        entry: dict[str, Any] = {}
        if err:
            entry["brief_error"] = err
            index.warnings.append(f"story {s.id}: no brief ({err})")
        else:
            (out / "stories" / f"{s.id}.json").write_text(js, encoding="utf-8")
            (out / "stories" / f"{s.id}.md").write_text(md, encoding="utf-8")
            entry.update(json=f"stories/{s.id}.json", markdown=f"stories/{s.id}.md", brief_title=title)
            missing = [x for x in s.articles if x not in by_id]
            if missing:
                entry["brief_note"] = f"{len(missing)} earlier articles were not in this corpus and are not in the brief"
        files[s.id] = entry
    for (s, _), (js, md, lines, err) in zip(updates, update_results):  # what changed since the previous brief
        entry = files.setdefault(s.id, {})
        if err:
            entry["update_error"] = err
        else:
            (out / "stories" / f"{s.id}.update.json").write_text(js, encoding="utf-8")
            (out / "stories" / f"{s.id}.update.md").write_text(md, encoding="utf-8")
            entry.update(update_json=f"stories/{s.id}.update.json", update_markdown=f"stories/{s.id}.update.md",
                         what_changed=lines)
    if state_path:
        state.save(state_path)
    stories_out = []
    for s in big:
        d = s.to_dict()
        d.update(files.get(s.id, {}))
        if s.id not in files and (out / "stories" / f"{s.id}.json").exists():
            d.update(json=f"stories/{s.id}.json", markdown=f"stories/{s.id}.md")
        stories_out.append(d)
    all_warnings = warnings + index.warnings
    result = {
        "corpus": [str(c) for c in ([corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)],
        "settings": {**index.settings, "min_size": min_size, "words": words,
                     "scheduler": scheduler, "workers": workers, "state": str(state_path) if state_path else None},
        "counts": {
            "articles_read": len(articles),
            "articles_grouped": index.stats.get("new_articles", 0),
            "articles_in_state": len(index.assignments),
            "stories": len(big),
            "briefs_written": sum(1 for e in files.values() if "json" in e),
            "smaller_stories": len(small),
            "articles_in_smaller_stories": sum(s.size for s in small),
            "near_duplicate_copies": len(index.duplicates),
            "warnings": len(all_warnings),
        },
        "stories": stories_out,
        "smaller_stories": [{"id": s.id, "title": s.title, "articles": s.articles} for s in small],
        "warnings": all_warnings,
        "stats": {**index.stats, "brief_seconds": round(brief_seconds, 3)},
    }
    (out / "index.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "index.md").write_text(_index_markdown(result), encoding="utf-8")
    return result


def _index_markdown(r: dict[str, Any]) -> str:
    c = r["counts"]
    lines = [
        "# Stories",
        "",
        (f"{c['stories']} {'story' if c['stories'] == 1 else 'stories'} of at least {r['settings']['min_size']} articles from {c['articles_read']} articles "
        f"({c['near_duplicate_copies']} near-duplicate copies; {c['smaller_stories']} smaller stories not briefed)."),
        "",
        "| # | story | articles | sources | dates | brief |",
        "|---|---|---|---|---|---|",
    ]
    for n, s in enumerate(r["stories"], 1):
        dates = s["first_date"] or "undated"
        if s["last_date"] and s["last_date"] != s["first_date"]:
            dates += f" – {s['last_date']}"
        sources = ", ".join(s["sources"][:5]) + (f" +{len(s['sources']) - 5}" if len(s["sources"]) > 5 else "")
        link = f"[md]({s['markdown']}) · [json]({s['json']})" if s.get("markdown") else s.get("brief_error", "")
        if s.get("update_markdown"):
            link += f" · [what changed]({s['update_markdown']})"
        lines.append(f"| {n} | {_md_cell(s['title'] or s['id'])} | {s['article_count']} | {_md_cell(sources)} | "
                     f"{dates} | {_md_cell(link)} |")
    if r["warnings"]:
        lines += ["", f"## Warnings ({len(r['warnings'])})", ""] + [f"- {_md_cell(w)}" for w in r["warnings"]]
    return "\n".join(lines) + "\n"
