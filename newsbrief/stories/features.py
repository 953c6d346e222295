"""Features of one article (pure functions; run in chunks, on Dask workers when given a client).

Terms: content words (lower-cased; stop words and words shorter than 3 letters dropped) of the
title and the body, plus the word bigrams of adjacent content words (a stop word breaks a
bigram: "prime minister", "asian games", "ocalan extradition" are kept, "minister of" is not). A
word written with a capital inside an article where it never appears in lower case ("Golubovac",
"Pinochet", but not "Officials" at the start of a sentence when "officials" also occurs) is a
name and counts ``NAME_WEIGHT`` times. Terms are hashed (CRC32 hashing trick into ``N_FEATURES``
buckets); their weights are 1 + log(count). A MinHash signature (``datasketch.MinHash``,
``NUM_PERM`` permutations) of the body's word 3-shingles finds near-duplicate copies.
"""

from __future__ import annotations

import re
import zlib
from datetime import date as _date

import numpy as np

from newsbrief.text.wordlists import ENGLISH_STOP_WORDS

NUM_PERM = 64  # MinHash permutations
N_FEATURES = 1 << 21  # hashed vocabulary (words and bigrams)
NO_DAY = -1  # "undated" in integer day arrays
NAME_WEIGHT = 1.5  # a capitalised word never written in lower case in its article

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
_EXTRA_STOP = {"said", "says", "say", "told", "also", "would", "could", "one", "two", "new", "year",
               "years", "mr", "mrs", "ms", "percent", "people", "time", "just", "like", "it's", "don't"}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_EXTRA_STOP)
_MASK = np.uint64(N_FEATURES - 1)
_MIX1, _MIX2 = np.uint64(0x9E3779B1), np.uint64(0x85EBCA77)


def day_number(d: str | None) -> int:
    """Proleptic ordinal of an ISO date (its first 10 characters), or NO_DAY."""
    if not d:
        return NO_DAY
    try:
        return _date.fromisoformat(str(d)[:10]).toordinal()
    except ValueError:
        return NO_DAY


def iso_day(day: int) -> str | None:
    return None if day == NO_DAY else _date.fromordinal(int(day)).isoformat()


def tokens(text: str) -> list[str]:
    """Content words of a text, lower-cased, in order."""
    stop = STOP_WORDS
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w not in stop]


class _Vocabulary:
    """Every raw token seen (memoised: vocabularies repeat) as a row of flat arrays: the CRC32 of its
    lower-case form, whether that is a stop word, whether the token starts with a capital (and is
    not all capitals), whether it is lower case, and the row of its lower-case form."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.n = 0
        self.h = np.zeros(1024, np.uint64)
        self.stop = np.zeros(1024, bool)
        self.cap = np.zeros(1024, bool)
        self.lower = np.zeros(1024, bool)
        self.low_row = np.zeros(1024, np.int64)

    def _add(self, w: str, low: str, low_row: int) -> int:
        n = self.n
        if n == len(self.h):  # capacity doubles: appending stays amortised O(1)
            for name in ("h", "stop", "cap", "lower", "low_row"):
                old = getattr(self, name)
                new = np.zeros(2 * len(old), old.dtype)
                new[:n] = old
                setattr(self, name, new)
        self.h[n] = zlib.crc32(low.encode())
        self.stop[n] = low in STOP_WORDS
        self.cap[n] = w[0].isupper() and not w.isupper()
        self.lower[n] = w[0].islower()
        self.low_row[n] = n if low_row < 0 else low_row
        self.ids[w] = n
        self.n = n + 1
        return n

    def rows(self, raw: list[str]) -> np.ndarray:
        if len(self.ids) > 2_000_000:
            self.__init__()  # type: ignore[misc]
        get = self.ids.get
        out = list(map(get, raw))
        if None in out:
            for i, v in enumerate(out):
                if v is None:
                    w = raw[i]
                    v = get(w)
                    if v is None:
                        low = w.lower()
                        lr = get(low)
                        if lr is None and low != w:
                            lr = self._add(low, low, -1)
                        v = self._add(w, low, -1 if lr is None else lr)
                    out[i] = v
        return np.array(out, dtype=np.int64)


_VOCAB = _Vocabulary()
_PERMUTATIONS: list = []
_EMPTY = (np.zeros(0, np.uint64), np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, np.int64), np.zeros(0, np.int64))


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's affine32 MinHash scheme (NUM_PERM permutations, seed 1), drawn as datasketch
    draws them (a test compares them with `datasketch.MinHash(...).permutations`): importing datasketch
    would cost a brief 0.4 s of start-up (its package pulls in scipy.integrate)."""
    if not _PERMUTATIONS:
        gen = np.random.RandomState(1)
        a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _PERMUTATIONS.append((a, b))
    return _PERMUTATIONS[0]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (what datasketch applies before its affine permutations)."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        return h ^ (h >> np.uint32(16))


def minhash_groups(values: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """MinHash signatures (n, NUM_PERM) uint32 of n groups of 32-bit values: group k is
    values[starts[k]:starts[k + 1]] (starts has n + 1 entries). The same values as datasketch's
    ``MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")`` fed each group; an empty group
    gets all-maximum values."""
    a, b = _permutations()
    out = np.full((n, NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    v = _fmix32(values.astype(np.uint32))
    step = 1 << 13  # values per block: (step x NUM_PERM) uint32 = 2 MB, stays in cache
    k = 0
    while k < n:
        # as many whole groups as fit in one block (at least one)
        hi = int(np.searchsorted(starts, starts[k] + step, "right")) - 1
        hi = min(max(hi, k + 1), n)
        lo_v, hi_v = int(starts[k]), int(starts[hi])
        if hi_v > lo_v:
            with np.errstate(over="ignore"):
                ph = v[lo_v:hi_v, None] * a[None, :] + b[None, :]  # wraps modulo 2**32
            st = starts[k:hi] - lo_v
            nonempty = starts[k + 1: hi + 1] > starts[k:hi]
            red = np.minimum.reduceat(ph, st[nonempty], axis=0)
            out[k:hi][nonempty] = red
        k = hi
    return out


def _token_arrays(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(hash uint64, stop, capitalised, lower-case row, row) of every word of 3+ letters, in order;
    lower-case row is -1 for tokens not written in lower case."""
    raw = _WORD.findall(text)
    if not raw:
        return _EMPTY
    v = _VOCAB
    r = v.rows(raw)
    low_row = v.low_row[r]
    return v.h[r], v.stop[r], v.cap[r], np.where(v.lower[r], low_row, -1), low_row


def _terms(h: np.ndarray, stop: np.ndarray, name: np.ndarray, bigrams: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(buckets, counts) of the words and adjacent-word bigrams of one segment (title or body)."""
    keep = ~stop
    words = (h[keep] & _MASK).astype(np.int64)
    wcount = np.where(name[keep], NAME_WEIGHT, 1.0)
    if not bigrams:
        return words, wcount
    pair = keep[:-1] & keep[1:]
    pairs = (((h[:-1][pair] * _MIX1) ^ (h[1:][pair] * _MIX2)) & _MASK).astype(np.int64)
    return np.concatenate([words, pairs]), np.concatenate([wcount, np.ones(len(pairs))])


def featurize_one(title: str, text: str, signature: bool = True,
                  bigrams: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term buckets int32, weights float32 = 1 + log count, MinHash uint32) of one article; the
    signature is empty when ``signature`` is False (not needed); words only when ``bigrams`` is False."""
    th, ts, tc, tl, tr = _token_arrays(title) if title and not text.lstrip().startswith(title.strip()) else _EMPTY
    bh, bs, bc, bl, br = _token_arrays(text)
    if not (~ts).any() and not (~bs).any():
        return np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.uint32)
    # a name: capitalised, and never written in lower case in this article
    if tc.any() or bc.any():
        seen = np.concatenate([tl, bl])
        seen = np.unique(seen[seen >= 0])
        tn = tc & ~_member(tr, seen)
        bn = bc & ~_member(br, seen)
    else:
        tn, bn = tc, bc
    t_b, t_c = _terms(th, ts, tn, bigrams)
    b_b, b_c = _terms(bh, bs, bn, bigrams)
    idx, inv = np.unique(np.concatenate([t_b, b_b]), return_inverse=True)
    counts = np.bincount(inv, weights=np.concatenate([t_c, b_c]))
    weights = (1.0 + np.log(counts)).astype(np.float32)
    if not signature:
        return idx.astype(np.int32), weights, np.zeros(0, np.uint32)
    # word 3-shingles of the body's content words, hashed to 32 bits, into a MinHash signature
    hb = bh[~bs]
    if len(hb) >= 3:
        sh = ((hb[:-2] * _MIX1) ^ (hb[1:-1] * _MIX2) ^ hb[2:]) & np.uint64(0xFFFFFFFF)
    else:
        sh = hb
    sh = np.unique(sh)
    return idx.astype(np.int32), weights, minhash_groups(sh, np.array([0, len(sh)]), 1)[0]


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values in sorted_set (a sorted unique array), elementwise."""
    if not len(sorted_set):
        return np.zeros(len(values), bool)
    pos = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[pos] == values


def _sum_by_key(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique keys, sum of the weights of each): a sort, not numpy's hash-based unique."""
    if not len(keys):
        return keys, weights
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    first = np.concatenate([[True], k[1:] != k[:-1]])
    return k[first], np.add.reduceat(weights[order], np.nonzero(first)[0])


def featurize_chunk(items: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Features of (title, text) pairs as CSR arrays (sorted buckets per article) + MinHash
    signatures (n, NUM_PERM), vectorised over the whole chunk (the same as featurize_one)."""
    n = len(items)
    vocab = _VOCAB
    seg_rows: list[np.ndarray] = []
    seg_art: list[int] = []
    seg_body: list[bool] = []
    for i, (title, text) in enumerate(items):
        if title and not text.lstrip().startswith(title.strip()):
            raw = _WORD.findall(title)
            if raw:
                seg_rows.append(vocab.rows(raw))
                seg_art.append(i)
                seg_body.append(False)
        raw = _WORD.findall(text)
        if raw:
            seg_rows.append(vocab.rows(raw))
            seg_art.append(i)
            seg_body.append(True)
    empty_out: dict[str, np.ndarray] = {"indptr": np.zeros(n + 1, np.int64), "indices": np.zeros(0, np.int32),
                 "data": np.zeros(0, np.float32), "sigs": np.zeros((n, NUM_PERM), np.uint32),
                 "empty": np.ones(n, bool)}
    if not seg_rows:
        return empty_out
    lens = np.array([len(r) for r in seg_rows], dtype=np.int64)
    r = np.concatenate(seg_rows)
    seg = np.repeat(np.arange(len(seg_rows)), lens)
    art = np.repeat(np.array(seg_art, dtype=np.int64), lens)
    body = np.repeat(np.array(seg_body, dtype=bool), lens)
    h, stop, cap, low_row = vocab.h[r], vocab.stop[r], vocab.cap[r], vocab.low_row[r]
    # names: capitalised, and the lower-case form never written in lower case in the article
    key = art * (vocab.n + 1) + low_row
    seen = np.sort(key[vocab.lower[r]])
    name = cap & ~_member(key, seen)
    keep = ~stop
    words = (h[keep] & _MASK).astype(np.int64)
    wcount = np.where(name[keep], NAME_WEIGHT, 1.0)
    pair = keep[:-1] & keep[1:] & (seg[:-1] == seg[1:])
    bigrams = (((h[:-1][pair] * _MIX1) ^ (h[1:][pair] * _MIX2)) & _MASK).astype(np.int64)
    term_art = np.concatenate([art[keep], art[:-1][pair]])
    tkey, counts = _sum_by_key(term_art * N_FEATURES + np.concatenate([words, bigrams]),
                               np.concatenate([wcount, np.ones(len(bigrams))]))
    t_art = tkey // N_FEATURES
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(t_art, minlength=n), out=indptr[1:])
    # word 3-shingles of each body's content words (its words themselves when fewer than 3)
    bk = body & keep
    hb, ab = h[bk], art[bk]
    if len(hb) >= 3:
        ok = ab[:-2] == ab[2:]
        sh = ((hb[:-2][ok] * _MIX1) ^ (hb[1:-1][ok] * _MIX2) ^ hb[2:][ok]) & np.uint64(0xFFFFFFFF)
        sh_art = ab[:-2][ok]
    else:
        sh, sh_art = np.zeros(0, np.uint64), np.zeros(0, np.int64)
    per_art = np.bincount(ab, minlength=n)
    short = np.nonzero((per_art > 0) & (np.bincount(sh_art, minlength=n) == 0))[0]
    if len(short):
        m = np.isin(ab, short)
        sh, sh_art = np.concatenate([sh, hb[m] & np.uint64(0xFFFFFFFF)]), np.concatenate([sh_art, ab[m]])
    skey = np.sort(sh_art.astype(np.uint64) << np.uint64(32) | sh)
    if len(skey):
        skey = skey[np.concatenate([[True], skey[1:] != skey[:-1]])]
    s_art = (skey >> np.uint64(32)).astype(np.int64)
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(s_art, minlength=n), out=starts[1:])
    sigs = minhash_groups((skey & np.uint64(0xFFFFFFFF)), starts, n)
    empty = np.diff(indptr) == 0
    sigs[empty | (np.diff(starts) == 0)] = 0
    return {
        "indptr": indptr,
        "indices": (tkey % N_FEATURES).astype(np.int32),
        "data": (1.0 + np.log(counts)).astype(np.float32),
        "sigs": sigs,
        "empty": empty,
    }
