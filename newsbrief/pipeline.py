"""brief(): read -> clean -> segment -> features -> group -> (analyse) -> select -> Brief.

The analysis runs before selection because its timeline tells which articles report a later
event (a second round of talks): the summary stays on the event most sources report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from newsbrief.analysis import analyse
from newsbrief.embed import embed
from newsbrief.features import LEXICAL_SAME, SEMANTIC_SAME, compute_features, sameness, semantic_veto
from newsbrief.group import group_claims
from newsbrief.model import Article, Brief, Claim, Sentence, Span, SummarySentence
from newsbrief.readers import read_inputs
from newsbrief.segment import segment_article
from newsbrief.select import DEFAULT, SelectionConfig, select, sentence_priors, trimmed_span

DEFAULT_WORDS = 150
MIN_ARTICLE_WORDS = 25  # shorter "articles" (error pages, stubs) are cited but never summarised
EMBEDDED_SENTENCES = 40  # MiniLM paraphrase check among this many top sentences (bounds its cost)
PARAPHRASE_MIN_LEXICAL = 0.2  # below this TF-IDF cosine, pairs are rarely the same claim (scripts/bench_claims.py)
LATER_EVENT_FACTOR = 0.0  # a minority of articles on a later event: the summary stays on the main one


class NoUsableInput(ValueError):
    """Nothing that could be briefed was left after reading and cleaning."""


def brief(
    inputs: Iterable[Any] | str,
    words: int = DEFAULT_WORDS,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
) -> Brief:
    """Brief articles given as paths, directories, '-', Article objects, dicts or raw strings."""
    if isinstance(inputs, (str, Article, dict)):
        inputs = [inputs]
    articles, warnings = read_inputs(inputs)
    return brief_articles(articles, words, warnings, analysis=analysis, embeddings=embeddings, config=config)


def brief_articles(
    articles: list[Article],
    words: int = DEFAULT_WORDS,
    warnings: list[str] | None = None,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
) -> Brief:
    """Brief already read and cleaned articles."""
    if words < 1:
        raise ValueError("the word budget must be a positive number")
    warnings = list(warnings or [])
    usable = [a for a in articles if a.text.strip()]
    if not usable:
        raise NoUsableInput("no usable article text" + (": " + "; ".join(warnings) if warnings else ""))
    sentences = [s for a in usable for s in segment_article(a)]
    stubs = {a.id for a in usable if len(a.text.split()) < MIN_ARTICLE_WORDS}
    if len(stubs) == len(usable):  # only short texts: brief them anyway
        stubs = set()
    features = compute_features(sentences)
    n_articles = len(usable)

    first_prior = sentence_priors(sentences, features, np.ones(len(sentences)), n_articles, config)
    order = [int(i) for i in np.argsort(-first_prior, kind="stable")]
    embedded = _paraphrase_candidates(sentences, features, [i for i in order[:EMBEDDED_SENTENCES] if first_prior[i] > 0]) if embeddings else []
    vectors = embed([sentences[i].text for i in embedded]) if embedded else None
    same = sameness(features, embedded, vectors, texts=[s.text for s in sentences])
    claims, claim_of = group_claims(sentences, same, order=order)
    sections = {}
    if analysis:
        by_text = {sentences[i].text: v for i, v in zip(embedded, vectors)} if vectors is not None else None
        sections = analyse(usable, sentences, claims, vectors=by_text)

    support = np.array([claims[c].support for c in claim_of], dtype=float)
    prior = sentence_priors(sentences, features, support, n_articles, config)
    prior[[i for i, s in enumerate(sentences) if s.article in stubs]] = 0.0
    later = _later_event_articles(sections, n_articles)
    prior[[i for i, s in enumerate(sentences) if s.article in later]] *= LATER_EVENT_FACTOR
    restates = _paraphrase_check(sentences, embedded, vectors) if embeddings else None
    chosen = select(sentences, features, prior, claim_of, words, config, restates=restates)

    summary = [_summary_sentence(usable, sentences[i], claims[claim_of[i]]) for i in chosen]
    return Brief(
        articles=articles,
        summary=summary,
        words=words,
        title=_title(usable, summary),
        warnings=warnings,
        claims=claims,
        sentences=sentences,
        analysis=sections,
    )


def _paraphrase_candidates(sentences: list[Sentence], features, top: list[int]) -> list[int]:
    """The sentences of `top` worth a MiniLM check: those with a sentence of another article in `top` whose
    TF-IDF cosine is in the grey zone (high enough for a paraphrase, too low to count as the same already)."""
    if not top:
        return []
    lexical = features.lexical[np.ix_(top, top)]
    article = np.array([sentences[i].article for i in top])
    grey = (lexical >= PARAPHRASE_MIN_LEXICAL) & (lexical < LEXICAL_SAME) & (article[:, None] != article[None, :])
    return [i for i, keep in zip(top, grey.any(axis=1)) if keep]


def _paraphrase_check(sentences: list[Sentence], embedded: list[int], vectors):
    """restates(i, chosen) for select(): does sentence i say what a chosen sentence says, by MiniLM cosine
    (>= SEMANTIC_SAME, numbers not in conflict)? Sentences are embedded when first asked about."""
    cache = dict(zip(embedded, vectors)) if vectors is not None else {}

    def vector(i: int) -> np.ndarray:
        if i not in cache:
            cache[i] = embed([sentences[i].text])[0]
        return cache[i]

    def restates(i: int, chosen: list[int]) -> bool:
        missing = [j for j in [i, *chosen] if j not in cache]
        if missing:
            cache.update(zip(missing, embed([sentences[j].text for j in missing])))
        return any(
            float(vector(i) @ vector(j)) >= SEMANTIC_SAME and not semantic_veto(sentences[i].text, sentences[j].text)
            for j in chosen
        )

    return restates


def _later_event_articles(sections: dict, n_articles: int) -> set[str]:
    """Articles the timeline places on a later event than the one most sources report."""
    later = {a for item in sections.get("timeline", []) if item.get("kind") == "later event" for a in item["sources"]}
    return later if len(later) < n_articles / 2 else set()


def _summary_sentence(articles: list[Article], chosen: Sentence, claim: Claim) -> SummarySentence:
    """The chosen sentence, trimmed to an exact sub-span, citing every article of its claim."""
    claim.representative = claim.sentences.index(chosen)
    start, end = trimmed_span(chosen)
    text = next(a for a in articles if a.id == chosen.article).text[start:end]
    others = [s for s in claim.sentences if s is not chosen]
    spans = [Span(chosen.article, start, end)] + [Span(s.article, s.start, s.end) for s in others]
    sources = [chosen.article] + [a for a in claim.sources if a != chosen.article]
    return SummarySentence(text=text, sources=sources, support=len(sources), spans=spans, claim=claim.id)


def _title(articles: list[Article], summary: list[SummarySentence]) -> str:
    """The headline of the article the brief leads with, else the first headline given."""
    titled = {a.id: a.title for a in articles if a.title}
    for s in summary:
        if s.sources[0] in titled:
            return titled[s.sources[0]]
    return next(iter(titled.values()), "")


__all__ = ["brief", "brief_articles", "NoUsableInput", "DEFAULT_WORDS"]
