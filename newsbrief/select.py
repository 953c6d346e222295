"""Selection: score sentences, then pick a non-redundant set under a word budget, in reading order.

Objective (greedy, cost-scaled, as in Lin & Bilmes 2010/ICSISumm): weighted coverage of bigram
"concepts" (weight = number of articles using the bigram) plus a per-sentence prior (position in
its article, centrality to the cluster, cross-source support, length/form), with a hard
redundancy cap on similarity to what is already chosen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from newsbrief.features import SentenceFeatures, bigrams
from newsbrief.model import Sentence
from newsbrief.resources import LOADED_LABELS


@dataclass(frozen=True)
class SelectionConfig:
    position_decay: float = 4.0  # sentence i of an article has prior exp(-i / decay)
    position_weight: float = 1.0
    centrality_weight: float = 1.0
    support_weight: float = 0.5
    coverage_weight: float = 1.0
    prior_weight: float = 0.3  # prior vs. concept coverage in the objective
    length_exponent: float = 0.6  # gain per word ** exponent
    question_factor: float = 0.3
    pronoun_factor: float = 0.5
    quote_factor: float = 0.4
    loaded_factor: float = 0.3  # sentences calling actors "puppet", "invaders", ...
    min_words: int = 6
    max_words: int = 55
    redundancy: float = 0.62  # max TF-IDF cosine to an already chosen sentence
    min_concept_share: float = 0.3  # a concept must appear in this share of the articles (at least 2)


DEFAULT = SelectionConfig()

_PRONOUN_START = re.compile(r"^(He|She|It|They|This|These|Those|His|Her|Their|But|And|However|Also)\b")
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'\- ]{1,40}?,?\s*)?(?:\((?:AP|AFP|Reuters|UPI|dpa|Xinhua|CNN|BBC)\)|[A-Z]{3,}(?:[ ,][A-Z.]{2,})*)\s*(?:[-–—_]+|:)\s+(?=[A-Z\"“'])"
)
_LOADED = re.compile(r"\b(?:" + "|".join(LOADED_LABELS) + r")\b", re.I)
_UNATTRIBUTED_QUOTE = re.compile(r"^[\"“][^\"“”]+[\"”]$")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")


def trimmed_span(sentence: Sentence) -> tuple[int, int]:
    """Offsets of the sentence without a leading dateline such as 'BAGHDAD (AFP) – '."""
    m = _DATELINE.match(sentence.text)
    if m and len(sentence.text) - m.end() > 20:
        return sentence.start + m.end(), sentence.end
    return sentence.start, sentence.end


def sentence_priors(
    sentences: list[Sentence],
    features: SentenceFeatures,
    support: np.ndarray,
    n_articles: int,
    config: SelectionConfig = DEFAULT,
) -> np.ndarray:
    """Importance of each sentence (position, centrality, support) times its form, in [0, ~2.5]."""
    n = len(sentences)
    if n == 0:
        return np.zeros(0)
    position = np.exp(-np.array([s.index for s in sentences], dtype=float) / config.position_decay)
    centroid = np.asarray(features.tfidf.mean(axis=0)).ravel()
    centrality = np.asarray(features.tfidf @ (centroid / max(np.linalg.norm(centroid), 1e-9))).ravel()
    if centrality.max() > centrality.min():
        centrality = (centrality - centrality.min()) / (centrality.max() - centrality.min())
    agree = (support - 1) / max(n_articles - 1, 1)
    prior = (
        config.position_weight * position
        + config.centrality_weight * centrality
        + config.support_weight * agree
    )
    return prior * sentence_form(sentences, config)


def sentence_form(sentences: list[Sentence], config: SelectionConfig = DEFAULT) -> np.ndarray:
    """How well each sentence stands alone in a brief, in [0, 1]; 0 = never (fragments, headings).

    Questions, sentences opening with an unresolved pronoun or connective, quotations with no
    speaker inside the sentence, and loaded labels for actors read badly in a neutral brief.
    """
    form = np.ones(len(sentences))
    for i, s in enumerate(sentences):
        w = s.words
        if w < config.min_words or w > config.max_words * 2 or not _ENDS_LIKE_SENTENCE.search(s.text):
            form[i] = 0.0
            continue
        if s.text.rstrip("\"”’' ").endswith("?"):
            form[i] *= config.question_factor
        if _PRONOUN_START.match(s.text):
            form[i] *= config.pronoun_factor
        if _UNATTRIBUTED_QUOTE.match(s.text):
            form[i] *= config.quote_factor
        if _LOADED.search(s.text):
            form[i] *= config.loaded_factor
        if w > config.max_words:
            form[i] *= 0.5
    return form


def select(
    sentences: list[Sentence],
    features: SentenceFeatures,
    prior: np.ndarray,
    claim_of: list[int],
    budget: int,
    config: SelectionConfig = DEFAULT,
) -> list[int]:
    """Indices of the chosen sentences (one per claim), within `budget` words, in reading order."""
    n = len(sentences)
    docs_of: dict[tuple[str, str], set[str]] = {}
    grams = []
    for i, s in enumerate(sentences):
        g = bigrams(s.text)
        grams.append(g)
        for b in g:
            docs_of.setdefault(b, set()).add(s.article)
    n_articles = len({s.article for s in sentences})
    min_df = max(min(2, n_articles), math.ceil(config.min_concept_share * n_articles - 1e-9))
    weight = {b: len(d) for b, d in docs_of.items() if len(d) >= min_df}
    norm = max(sum(weight.values()), 1) / max(budget / 10, 1)  # coverage gains on the prior's scale
    lengths = np.array([max(s.words, 1) for s in sentences], dtype=float)
    form = sentence_form(sentences, config)
    chosen: list[int] = []
    used_claims: set[int] = set()
    covered: set[tuple[str, str]] = set()
    total = 0
    candidates = {i for i in range(n) if prior[i] > 0}
    while candidates:
        best, best_gain = -1, 0.0
        for i in candidates:
            if total + lengths[i] > budget:
                continue
            coverage = sum(weight.get(b, 0) for b in grams[i] - covered) / norm
            gain = config.prior_weight * prior[i] + config.coverage_weight * coverage * form[i]
            gain /= lengths[i] ** config.length_exponent
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        candidates.discard(best)
        if claim_of[best] in used_claims or (chosen and features.lexical[best, chosen].max() > config.redundancy):
            continue
        chosen.append(best)
        used_claims.add(claim_of[best])
        covered |= grams[best]
        total += int(lengths[best])
    return reading_order(sentences, chosen)


def reading_order(sentences: list[Sentence], chosen: list[int]) -> list[int]:
    """Order by relative position in the source article, earliest first (lead material leads)."""
    counts: dict[str, int] = {}
    for s in sentences:
        counts[s.article] = max(counts.get(s.article, 0), s.index + 1)
    return sorted(chosen, key=lambda i: (sentences[i].index / counts[sentences[i].article], sentences[i].index))
