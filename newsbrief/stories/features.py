"""Features of one article (pure functions; run in chunks, on Dask workers when given a client).

Content words (lower-cased, stop words and short tokens dropped); a hashed term-frequency vector
(CRC32 hashing trick into ``N_FEATURES`` buckets, title and lead counted twice); a MinHash
signature (``datasketch.MinHash``, ``NUM_PERM`` permutations) of word 3-shingles of the body.
"""

from __future__ import annotations

import re
import zlib
from datetime import date as _date

import numpy as np

from newsbrief.text.wordlists import ENGLISH_STOP_WORDS

NUM_PERM = 64  # MinHash permutations
N_FEATURES = 1 << 20  # hashed vocabulary
NO_DAY = -1  # "undated" in integer day arrays

_TOKEN = re.compile(r"[a-z][a-z'\-]{2,}")
_LEAD_TOKENS = 60
_EXTRA_STOP = {"said", "says", "say", "told", "also", "would", "could", "one", "two", "new", "year",
               "years", "mr", "mrs", "ms", "percent", "people", "time", "just", "like", "it's", "don't"}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_EXTRA_STOP)


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
    stop = STOP_WORDS
    return [w for w in _TOKEN.findall(text.lower()) if w not in stop]


_HASHES: dict[str, int] = {}
_PERMUTATIONS: list = []


def hash_tokens(toks: list[str]) -> np.ndarray:
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


def minhash(values: list[int]) -> np.ndarray:
    """datasketch MinHash (affine32 scheme, NUM_PERM permutations, seed 1) of 32-bit values."""
    from datasketch import MinHash

    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=1).permutations)
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, permutations=_PERMUTATIONS[0], scheme="affine32")
    m.update_batch(values)
    return m.hashvalues


def featurize_one(title: str, text: str, signature: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term buckets int32, weights float32 = 1+log tf with title/lead doubled, MinHash uint32; empty when
    `signature` is False: the near-duplicate signature is not needed)."""
    body = tokens(text)
    head = tokens(title) if title and not text.lstrip().startswith(title.strip()) else []
    toks = head + body
    if not toks:
        return np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.uint32)
    h = hash_tokens(toks)
    buckets = (h & np.uint64(N_FEATURES - 1)).astype(np.int32)
    lead = np.concatenate([buckets[: len(head) + _LEAD_TOKENS]])
    idx, counts = np.unique(np.concatenate([buckets, lead]), return_counts=True)
    weights = (1.0 + np.log(counts)).astype(np.float32)
    if not signature:
        return idx.astype(np.int32), weights, np.zeros(0, np.uint32)
    # word 3-shingles of the body, hashed to 32 bits, into a datasketch MinHash
    hb = h[len(head):]
    if len(hb) >= 3:
        sh = ((hb[:-2] * np.uint64(0x9E3779B1)) ^ (hb[1:-1] * np.uint64(0x85EBCA77)) ^ hb[2:]) & np.uint64(
            0xFFFFFFFF
        )
    else:
        sh = hb
    return idx.astype(np.int32), weights, minhash(np.unique(sh).tolist()).astype(np.uint32)


def featurize_chunk(items: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Features of (title, text) pairs as CSR arrays + signatures (n, NUM_PERM)."""
    indptr = [0]
    ind: list[np.ndarray] = []
    dat: list[np.ndarray] = []
    sigs = np.zeros((len(items), NUM_PERM), dtype=np.uint32)
    empty = np.zeros(len(items), dtype=bool)
    for i, (title, text) in enumerate(items):
        idx, w, sig = featurize_one(title, text)
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


