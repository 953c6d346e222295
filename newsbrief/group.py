"""Cross-article grouping: sentences from different articles that say the same thing form a claim.

Greedy star clustering: sentences are visited in order of importance; an unassigned sentence opens
a claim and takes, from every other article, its most similar unassigned sentence when that
sameness clears the threshold (see features.sameness: TF-IDF cosine for copies and light
rewrites, MiniLM cosine for close paraphrase). At most one sentence per article joins a claim,
so a claim's support counts articles, and chains of weak links cannot merge unrelated sentences.
"""

from __future__ import annotations

import numpy as np

from newsbrief.model import Claim, Sentence

CLAIM_THRESHOLD = 1.0  # on the scale of features.sameness


def group_claims(
    sentences: list[Sentence],
    sim: np.ndarray,
    order: list[int] | None = None,
    threshold: float = CLAIM_THRESHOLD,
) -> tuple[list[Claim], list[int]]:
    """Claims over `sentences` and, for each sentence, the index of its claim.

    `sim` is the (n, n) sentence sameness; `order` visits sentences (most important first).
    """
    n = len(sentences)
    claim_of = np.full(n, -1)
    claims: list[Claim] = []
    articles = sorted({s.article for s in sentences})
    by_article = {a: np.array([i for i, s in enumerate(sentences) if s.article == a]) for a in articles}
    article_of = np.array([s.article for s in sentences])
    for center in order if order is not None else range(n):
        if claim_of[center] != -1:
            continue
        members = [center]
        row = sim[center]
        others = article_of != article_of[center]
        if row[others].max(initial=0.0) >= threshold:  # most sentences match nothing: skip the search
            for article, idx in by_article.items():
                if article == sentences[center].article:
                    continue
                free = idx[claim_of[idx] == -1]
                if not len(free):
                    continue
                best = free[int(np.argmax(row[free]))]
                if row[best] >= threshold:
                    members.append(int(best))
        cid = len(claims)
        claim_of[members] = cid
        claims.append(Claim(id=cid, sentences=[sentences[m] for m in members], representative=0))
    return claims, claim_of.tolist()
