"""brief(): read -> clean -> segment -> features -> group -> analyse -> select -> Brief.

The analysis runs before selection because its timeline tells which articles report a later
event (a second round of talks): the summary stays on the event most sources report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsbrief import select
from newsbrief.analysis import analyse
from newsbrief.features import compute_features
from newsbrief.group import Embedder, find_claims
from newsbrief.model import Analysis, Article, Brief
from newsbrief.readers import read_inputs
from newsbrief.segment import segment_article
from newsbrief.select import DEFAULT, SelectionConfig
from newsbrief.support import Checker

DEFAULT_WORDS = 150


class NoUsableInput(ValueError):
    """Nothing that could be briefed was left after reading and cleaning."""


def brief(
    inputs: Iterable[Any] | str,
    words: int = DEFAULT_WORDS,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
    embedder: Embedder | None = None,
) -> Brief:
    """Brief articles given as paths, directories, '-', Article objects, dicts or raw strings."""
    if isinstance(inputs, (str, Article, dict)):
        inputs = [inputs]
    articles, warnings = read_inputs(inputs)
    return brief_articles(articles, words, warnings, analysis=analysis, embeddings=embeddings, config=config,
                          embedder=embedder)


def brief_articles(
    articles: list[Article],
    words: int = DEFAULT_WORDS,
    warnings: list[str] | None = None,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
    embedder: Embedder | None = None,
) -> Brief:
    """Brief already read and cleaned articles. `embedder` (texts -> unit vectors) defaults to MiniLM;
    `embeddings=False` groups claims by TF-IDF alone."""
    if words < 1:
        raise ValueError("the word budget must be a positive number")
    usable = [a for a in articles if a.text.strip()]
    if not usable:
        raise NoUsableInput("no usable article text" + (": " + "; ".join(warnings) if warnings else ""))
    embed = (embedder or _default_embedder()) if embeddings else None

    sentences = [s for a in usable for s in segment_article(a)]
    features = compute_features(sentences)
    check = Checker(sentences, features)
    claims, claim_of, vectors = find_claims(sentences, features, select.importance(sentences, features, len(usable),
                                                                                   config), embed, check)
    sections = analyse(usable, sentences, claims, {sentences[i].text: v for i, v in vectors.items()}) \
        if analysis else Analysis()
    later = select.later_event_articles(sections, len(usable))
    restates = select.paraphrase_check(sentences, vectors, embed) if embed else None
    disputes = select.conflict_sides(sections, sentences)
    chosen = select.choose(usable, sentences, features, claims, claim_of, words, config, later, restates, disputes)
    summary = [select.summary_sentence(usable, sentences[i], claims[claim_of[i]], config, check, disputes)
               for i in chosen]

    return Brief(articles=articles, summary=summary, words=words, title=select.headline(usable, summary),
                 warnings=list(warnings or []), claims=claims, sentences=sentences, analysis=sections)


def _default_embedder() -> Embedder:
    from newsbrief.embed import get_embedder

    return get_embedder()


__all__ = ["brief", "brief_articles", "NoUsableInput", "DEFAULT_WORDS"]
