"""Helpers shared by the analysis modules: exact citation spans and sentence similarity.

Words, stems, stop words, numbers and dates come from the text toolkit (`newsbrief.text`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from newsbrief.text.stem import content_stems


def span(article_id: str, text: str, start: int, end: int) -> dict[str, Any]:
    """An exact citation span; trims surrounding whitespace so text == article.text[start:end]."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"article": article_id, "start": start, "end": end, "text": text[start:end]}


class Similarity:
    """Cosine similarity of sentences, embedding lazily and only the sentences asked about."""

    def __init__(self):
        self.cache: dict[str, np.ndarray] = {}  # text -> unit vector, for one analysis call
        self.available = True

    def prepare(self, texts: list[str]) -> None:
        todo = sorted({t for t in texts if t not in self.cache})
        if not todo or not self.available:
            return
        try:
            from newsbrief.embed import embed

            vecs = embed(todo)
        except Exception:  # model unavailable: fall back to lexical overlap
            self.available = False
            return
        for t, v in zip(todo, vecs):
            self.cache[t] = v

    def __call__(self, a: str, b: str) -> float:
        if self.available:
            self.prepare([a, b])
        if self.available and a in self.cache and b in self.cache:
            return float(self.cache[a] @ self.cache[b])
        sa, sb = content_stems(a), content_stems(b)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / len(sa | sb)  # no model: Jaccard, lower than cosine, so fewer conflicts (precision first)
