"""The story state kept between runs (``--state FILE``): plain arrays in a pickle-free ``.npz``.

Document frequencies, MinHash signatures, the representatives' pruned vectors and the
assignments. A later run loads it, skips articles it already grouped (matched by id) and groups
only the new ones.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.stories.features import N_FEATURES, NO_DAY, NUM_PERM, iso_day
from newsbrief.stories.results import Story, StoryIndex

STATE_VERSION = 2  # 2: word + bigram features, derived headlines
REOPEN_DAYS = 14  # a story that gains an article after this many quiet days is reported as reopened


class StoryState:
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
        self.art_title: list[str] = []  # the article's own headline ("" if none)
        self.art_lead: list[str] = []  # a headline made from its lead sentence, when it has none
        self.pending_lead: dict[int, str] = {}  # text of articles of this run whose lead headline is not made yet
        self.art_source: list[str] = []
        self.art_vec: list[tuple[np.ndarray, np.ndarray]] = []  # (term buckets, weights); empty for copies
        self.st_id: list[str] = []
        self.st_members: list[list[int]] = []
        self.settings: dict[str, Any] = {}

    def story_days(self, sid: int) -> tuple[int, int]:
        days = [self.art_day[g] for g in self.st_members[sid] if self.art_day[g] != NO_DAY]
        return (min(days), max(days)) if days else (NO_DAY, NO_DAY)

    def lead_headline(self, g: int) -> str:
        """The headline made from article g's lead (made when first asked: most are never shown)."""
        text = self.pending_lead.pop(g, None)
        if text is not None:
            from newsbrief.stories.titles import headline_from_text

            self.art_lead[g] = headline_from_text(text)
        return self.art_lead[g]

    def save(self, path: str | os.PathLike) -> None:
        path = Path(path)
        lens = [len(v[0]) for v in self.art_vec]
        indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        vidx = np.concatenate([v[0] for v in self.art_vec]).astype(np.int32) if lens else np.zeros(0, np.int32)
        vval = np.concatenate([v[1] for v in self.art_vec]).astype(np.float32) if lens else np.zeros(0, np.float32)
        nz = np.nonzero(self.df)[0].astype(np.int32)
        meta = {"version": STATE_VERSION, "n_docs": self.n_docs, "settings": self.settings,
                "num_perm": NUM_PERM, "n_features": N_FEATURES}
        arrays: dict[str, Any] = {
            "meta": np.array(json.dumps(meta)),
            "df_idx": nz,
            "df_val": self.df[nz],
            "art_ids": np.array(self.art_ids, dtype=str),
            "art_day": np.array(self.art_day, dtype=np.int64),
            "art_sig": self.art_sig,
            "art_story": np.array(self.art_story, dtype=np.int64),
            "art_root": np.array(self.art_root, dtype=np.int64),
            "art_title": np.array(self.art_title, dtype=str),
            "art_lead": np.array(self.art_lead, dtype=str),
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
    def load(cls, path: str | os.PathLike) -> StoryState:
        s = cls()
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if (meta.get("version"), meta.get("num_perm"), meta.get("n_features")) != (
                STATE_VERSION, NUM_PERM, N_FEATURES):
                raise ValueError(f"{path}: incompatible story state (version {meta.get('version')}, this newsbrief "
                                 f"writes version {STATE_VERSION}); delete it to regroup from scratch")
            s.n_docs = int(meta["n_docs"])
            s.settings = meta.get("settings", {})
            s.df[z["df_idx"]] = z["df_val"]
            s.art_ids = [str(x) for x in z["art_ids"]]
            s.art_day = [int(x) for x in z["art_day"]]
            s.art_sig = np.array(z["art_sig"], dtype=np.uint32).reshape(-1, NUM_PERM)
            s.art_story = [int(x) for x in z["art_story"]]
            s.art_root = [int(x) for x in z["art_root"]]
            s.art_title = [str(x) for x in z["art_title"]]
            s.art_lead = [str(x) for x in z["art_lead"]]
            s.art_source = [str(x) for x in z["art_source"]]
            ip, vi, vv = z["vec_indptr"], z["vec_idx"], z["vec_val"]
            s.art_vec = [(vi[ip[g]: ip[g + 1]], vv[ip[g]: ip[g + 1]]) for g in range(len(s.art_ids))]
            s.st_id = [str(x) for x in z["st_id"]]
        s.st_members = [[] for _ in s.st_id]
        for g, sid in enumerate(s.art_story):
            s.st_members[sid].append(g)
        return s


def new_state() -> StoryState:
    return StoryState()


def load_state(path: str | os.PathLike) -> StoryState:
    """Load a story state written by :func:`save_state` (or by ``run_stories(state_path=...)``)."""
    return StoryState.load(path)


def save_state(state: StoryState, path: str | os.PathLike) -> None:
    state.save(path)




def index_from_state(st: StoryState, min_size: int, n_old: int) -> StoryIndex:
    """The StoryIndex of a state; ``n_old``: how many of its articles were grouped before this run."""
    assignments = {a: st.st_id[s] for a, s in zip(st.art_ids, st.art_story, strict=True)}
    duplicates = {a: st.art_ids[r] for a, r in zip(st.art_ids, st.art_root, strict=True) if st.art_ids[r] != a}
    stories = []
    vectors = article_matrix(st) if any(len(m) > 1 for m in st.st_members) else None
    for sid, members in enumerate(st.st_members):
        if not members or len(members) < min_size:
            continue
        outlets: dict[str, int] = {}
        for g in members:
            src = st.art_source[g]
            if src:
                outlets[src] = outlets.get(src, 0) + 1
        first, last = st.story_days(sid)
        new = [g for g in members if g >= n_old]
        status = "unchanged" if not new else ("new" if len(new) == len(members) else "updated")
        stories.append(
            Story(
                id=st.st_id[sid],
                articles=[st.art_ids[g] for g in members],
                title=story_title(st, members, vectors),
                sources=sorted(outlets, key=lambda o: (-outlets[o], o)),
                outlets=outlets,
                first_date=iso_day(first),
                last_date=iso_day(last),
                new_articles=len(new),
                status=status,
                reopened=status == "updated" and _reopened(st, members, n_old),
            )
        )
    stories.sort(key=lambda s: (-s.size, s.first_date or "", s.id))
    return StoryIndex(stories=stories, assignments=assignments, duplicates=duplicates)


def _reopened(st: StoryState, members: list[int], n_old: int) -> bool:
    """Did an article of this run come more than REOPEN_DAYS after the story's article before it?"""
    dated = sorted((st.art_day[g], g >= n_old) for g in members if st.art_day[g] != NO_DAY)
    return any(is_new and d - prev > REOPEN_DAYS for (prev, _), (d, is_new) in zip(dated, dated[1:], strict=False))


def story_title(st: StoryState, members: list[int], vectors: Any = None) -> str:
    """The headline of the story's most central article that has one (the member whose vector
    has the largest dot product with the sum of the members' vectors); failing any, the headline
    made from the most central article's lead. ``vectors``: :func:`article_matrix` of the state
    (made here when not given)."""
    if len(members) > 1:
        from scipy import sparse

        V = vectors if vectors is not None else article_matrix(st)
        rows = np.asarray(st.art_root, dtype=np.int64)[np.asarray(members, dtype=np.int64)]
        M = V[rows]
        used, inv = np.unique(M.indices, return_inverse=True)
        M = sparse.csr_matrix((M.data.astype(np.float64), inv, M.indptr), shape=(len(rows), len(used)))
        centroid = np.asarray(M.sum(axis=0)).ravel()
        score = M @ centroid
        ranked = [members[k] for k in np.lexsort((np.asarray(members), -score)).tolist()]
    else:
        ranked = list(members)
    for g in ranked:
        if st.art_title[g]:
            return st.art_title[g]
    return next((h for h in map(st.lead_headline, ranked) if h), "")


def article_matrix(st: StoryState) -> Any:
    """Every article's stored vector as one CSR matrix (rows: global index; copies: empty rows)."""
    from scipy import sparse

    vecs = st.art_vec
    lens = np.fromiter((len(v[0]) for v in vecs), dtype=np.int64, count=len(vecs))
    indptr = np.concatenate([[0], np.cumsum(lens)])
    idx = np.concatenate([v[0] for v in vecs]) if vecs else np.zeros(0, np.int32)
    val = np.concatenate([v[1] for v in vecs]) if vecs else np.zeros(0, np.float32)
    return sparse.csr_matrix((val, idx, indptr), shape=(len(vecs), N_FEATURES))
