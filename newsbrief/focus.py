"""The selection of update and question-focused briefs (pipeline.brief_articles with `since` or
`query`). The stages before selection are the generic brief's; see newsbrief.update and newsbrief.query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from newsbrief import query as q
from newsbrief import select
from newsbrief import update as u
from newsbrief.model import Analysis, Article, Claim, FigureChange, Sentence, SummarySentence
from newsbrief.segment import segment_article
from newsbrief.select import Embedder, SelectionConfig


@dataclass
class Focused:
    """What an update and/or question-focused brief changes in the generic one."""

    summary: list[SummarySentence]
    analysis: Analysis  # restricted to what bears on the question
    warnings: list[str]  # about the earlier coverage
    query: str | None
    answered: bool | None
    earlier: list[Article]
    changes: list[FigureChange]


def focused_summary(
    usable: list[Article],
    sentences: list[Sentence],
    features: Any,
    claims: list[Claim],
    claim_of: list[int],
    vectors: dict[int, np.ndarray],
    sections: Analysis,
    later: set[str],
    restates: Any,
    words: int,
    config: SelectionConfig,
    embed: Embedder | None,
    since: list[Article] | None,
    query: str | dict | None,
    check: Any = None,
    disputes: dict[int, list[tuple[int, int]]] | None = None,
    update_config: u.UpdateConfig = u.DEFAULT_UPDATE,
    query_config: q.QueryConfig = q.DEFAULT_QUERY,
) -> Focused:
    """The summary (and restricted analysis) of an update and/or question-focused brief; `check` and
    `disputes` as in select.summary_sentence."""
    warnings: list[str] = []
    earlier: list[Article] = []
    old_sentences: list[Sentence] | None = None
    if since is not None:
        earlier = u.distinct_ids(usable, [a for a in since if a.text.strip()])
        old_sentences = [s for a in earlier for s in segment_article(a)]
        if not earlier:
            warnings.append("earlier coverage: no usable article; this is a brief of the new articles alone")
    p = plan(usable, sentences, features, claims, claim_of, vectors, later, restates, words, config, embed,
             old_sentences, query, update_config, query_config, disputes)
    chosen, cfg, rel, answered = p.chosen, p.config, p.relevance, p.answered
    changes = u.what_changed(sentences, old_sentences, embed) if old_sentences else []
    summary = [select.summary_sentence(usable, sentences[i], claims[claim_of[i]], cfg, check, disputes)
               for i in chosen]
    if rel is not None and answered:
        for s, i in zip(summary, chosen):
            s.relevance = round(float(rel.score[i]), 3)
        texts = {a.id: a.text for a in usable}
        spans = q.relevant_spans(sentences, rel, [sp for s in summary for sp in s.spans], query_config)
        sections = q.restrict_analysis(sections, spans, texts)
    return Focused(summary=summary, analysis=sections, warnings=warnings,
                   query=q.query_text(query) if query is not None else None, answered=answered,
                   earlier=earlier, changes=changes)


@dataclass
class Plan:
    chosen: list[int]  # the summary's sentences, in the order shown
    config: SelectionConfig  # the selection configuration used
    relevance: q.Relevance | None = None
    answered: bool | None = None
    novelty: u.Novelty | None = None


def plan(
    usable: list[Article],
    sentences: list[Sentence],
    features: Any,
    claims: list[Claim],
    claim_of: list[int],
    vectors: dict[int, np.ndarray],
    later: set[str],
    restates: Any,
    words: int,
    config: SelectionConfig,
    embed: Embedder | None,
    old_sentences: list[Sentence] | None,
    query: str | dict | None,
    update_config: u.UpdateConfig = u.DEFAULT_UPDATE,
    query_config: q.QueryConfig = q.DEFAULT_QUERY,
    disputes: dict[int, list[tuple[int, int]]] | None = None,
) -> Plan:
    """The summary's sentences of an update (`old_sentences`: the earlier coverage's) and/or question-focused
    brief. A question nothing answers leaves the selection generic (`answered` False)."""
    focus_: select.Focus | None = None
    rel: q.Relevance | None = None
    answered: bool | None = None
    nov: u.Novelty | None = None
    cfg = config
    if query is not None:
        cfg = q.selection_config(config, query_config)
        form = select.sentence_form(sentences, cfg)
        rel = q.relevance(sentences, query, embed, vectors, query_config, prior=form)
        answered = rel.answered
        if answered:
            focus_ = q.focus(sentences, rel, query_config, form, query)
        else:
            cfg = config  # nothing answers: the generic brief, and the brief says so
    if old_sentences is not None:
        candidates = select.sentence_form(sentences, cfg) > 0
        nov = u.novelty(sentences, old_sentences, embed, vectors, candidates, update_config)
        focus_ = u.focus(sentences, old_sentences, nov, update_config, base=focus_)
    chosen = select.choose(usable, sentences, features, claims, claim_of, words, cfg, later, restates, disputes,
                           focus=focus_)
    if rel is not None and answered:
        chosen = sorted(chosen, key=lambda i: -rel.score[i])  # the answer: most relevant first
    return Plan(chosen, cfg, rel, answered, nov)


__all__ = ["Focused", "focused_summary", "plan", "Plan"]
