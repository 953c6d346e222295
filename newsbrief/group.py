"""Cross-article grouping: sentences from different articles that say the same thing form a claim.

Greedy star clustering: sentences are visited in order of importance; an unassigned sentence opens
a claim and takes, from every other article, its most similar unassigned sentence when that
sameness clears the threshold (see features.sameness: TF-IDF cosine for copies and light
rewrites, MiniLM cosine for close paraphrase). At most one sentence per article joins a claim,
so a claim's support counts articles, and chains of weak links cannot merge unrelated sentences.

With a support check (`newsbrief.support.Checker`), a sentence joins only if it carries the opening
sentence's claim (same figures, names, polarity, attribution...): of an article's two most similar
unassigned sentences above the check's lexical floor, the likeliest to carry it, if it clears the
model's threshold. A sentence that does not carry it stays free and can open its own claim.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse

from newsbrief.features import LEXICAL_SAME, SentenceFeatures, sameness
from newsbrief.model import Claim, Sentence

CLAIM_THRESHOLD = 1.0  # on the scale of features.sameness
EMBEDDED_SENTENCES = 40  # MiniLM paraphrase check among this many top sentences (bounds its cost)
PARAPHRASE_MIN_LEXICAL = 0.2  # below this TF-IDF cosine, pairs are rarely the same claim (scripts/bench_claims.py)

Embedder = Callable[[list[str]], np.ndarray]  # texts -> (n, d) unit vectors


def find_claims(
    sentences: list[Sentence],
    features: SentenceFeatures,
    importance: np.ndarray,
    embed: Embedder | None = None,
    check=None,
) -> tuple[list[Claim], list[int], dict[int, np.ndarray]]:
    """Claims over the sentences, each sentence's claim, and the MiniLM vectors computed on the way.

    Sentences are visited most important first. Only the top ones (with a positive importance) that have a
    grey-zone TF-IDF partner in another article are embedded: the paraphrases TF-IDF alone would miss.
    Without `embed`, claims come from TF-IDF alone."""
    order = [int(i) for i in np.argsort(-importance, kind="stable")]
    top = [i for i in order[:EMBEDDED_SENTENCES] if importance[i] > 0]
    embedded = paraphrase_candidates(sentences, features, top) if embed is not None else []
    vectors = embed([sentences[i].text for i in embedded]) if embed is not None and embedded else None
    same = sameness(features, embedded, vectors, texts=[s.text for s in sentences])
    claims, claim_of = group_claims(sentences, same, order=order, check=check)
    return claims, claim_of, dict(zip(embedded, vectors)) if vectors is not None else {}


def paraphrase_candidates(sentences: list[Sentence], features: SentenceFeatures, top: list[int]) -> list[int]:
    """The sentences of `top` worth a MiniLM check: those with a sentence of another article in `top` whose
    TF-IDF cosine is in the grey zone (high enough for a paraphrase, too low to count as the same already)."""
    if not top:
        return []
    lexical = features.lexical[top][:, top].toarray()
    article = np.array([sentences[i].article for i in top])
    grey = (lexical >= PARAPHRASE_MIN_LEXICAL) & (lexical < LEXICAL_SAME) & (article[:, None] != article[None, :])
    return [i for i, keep in zip(top, grey.any(axis=1)) if keep]


def group_claims(
    sentences: list[Sentence],
    sim: sparse.spmatrix | np.ndarray,
    order: list[int] | None = None,
    threshold: float = CLAIM_THRESHOLD,
    check=None,
) -> tuple[list[Claim], list[int]]:
    """Claims over `sentences` and, for each sentence, the index of its claim.

    `sim` is the (n, n) sentence sameness (sparse: only the stored pairs can join); `order` visits
    sentences (most important first). From every other article the centre takes its most similar
    unassigned sentence (the earliest on a tie), when that sameness reaches `threshold`. `check` (a
    support.Checker over the same sentences), when given and active, decides membership instead: of an
    article's two most similar free sentences, the likeliest to carry the centre's claim, if it clears
    the model's threshold.
    """
    sim = sparse.csr_matrix(sim)
    checked = check is not None and check.active
    if checked:
        from newsbrief.features import LEXICAL_SAME
        from newsbrief.support import LEXICAL_FLOOR

        threshold = min(threshold, LEXICAL_FLOOR / LEXICAL_SAME)
    n = len(sentences)
    claim_of = np.full(n, -1)
    claims: list[Claim] = []
    article_of = [s.article for s in sentences]
    rank = {a: r for r, a in enumerate(sorted(set(article_of)))}
    for center in order if order is not None else range(n):
        if claim_of[center] != -1:
            continue
        lo, hi = sim.indptr[center], sim.indptr[center + 1]
        cols, vals = sim.indices[lo:hi], sim.data[lo:hi]
        keep = (vals >= threshold) & (claim_of[cols] == -1)
        near: dict[str, list[tuple[float, int]]] = {}  # article -> [(sameness, sentence)]
        for j, v in zip(cols[keep].tolist(), vals[keep].tolist()):
            if article_of[j] != article_of[center]:
                near.setdefault(article_of[j], []).append((v, j))
        members = [center]
        for a in sorted(near, key=rank.__getitem__):
            ranked = sorted(near[a], key=lambda vj: (-vj[0], vj[1]))  # most similar first, the earliest on a tie
            if not checked:
                members.append(ranked[0][1])
                continue
            probs = [(check.probability(center, j), j) for _, j in ranked[:2]]
            carrying = [(p, j) for p, j in probs if p >= check.model.threshold]
            if carrying:
                members.append(max(carrying)[1])
        cid = len(claims)
        claim_of[members] = cid
        claims.append(Claim(id=cid, sentences=[sentences[m] for m in members], representative=0))
    return claims, claim_of.tolist()
