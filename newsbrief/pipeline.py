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
    since: Iterable[Any] | Any | None = None,
    query: str | dict | None = None,
) -> Brief:
    """Brief articles given as paths, directories, '-', Article objects, dicts or raw strings.

    `since`: the earlier coverage (the same kinds of input, or saved briefs: a Brief, its JSON dict or a .json
    file of it): an update brief of what the new articles add (see newsbrief.update). `query`: a question or
    topic statement (a string, or {"title", "narrative"}): a brief that answers it (see newsbrief.query).
    Both may be given."""
    if isinstance(inputs, (str, Article, dict)):
        inputs = [inputs]
    articles, warnings = read_inputs(inputs)
    earlier = None
    if since is not None:
        from newsbrief.update import read_since

        earlier, since_warnings = read_since(since)
        warnings += [f"earlier coverage: {w}" for w in since_warnings]
    return brief_articles(articles, words, warnings, analysis=analysis, embeddings=embeddings, config=config,
                          embedder=embedder, since=earlier, query=query)


def brief_articles(
    articles: list[Article],
    words: int = DEFAULT_WORDS,
    warnings: list[str] | None = None,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
    embedder: Embedder | None = None,
    since: list[Article] | None = None,
    query: str | dict | None = None,
) -> Brief:
    """Brief already read and cleaned articles. `embedder` (texts -> unit vectors) defaults to MiniLM;
    `embeddings=False` groups claims by TF-IDF alone.

    `since` (cleaned Articles, the earlier coverage): an update brief -- no summary sentence restates the
    earlier articles, new figures are set against the old ones (`Brief.changes`). `query` (a question or a
    topic {"title", "narrative"}): the summary answers it, most relevant first, the analysis keeps what bears
    on it, and `Brief.answered` says whether anything does. None of both: the generic brief."""
    if words < 1:
        raise ValueError("the word budget must be a positive number")
    usable = [a for a in articles if a.text.strip()]
    if not usable:
        raise NoUsableInput("no usable article text" + (": " + "; ".join(warnings) if warnings else ""))
    embed = (embedder or _default_embedder()) if embeddings else None

    sentences = [s for a in usable for s in segment_article(a)]
    features = compute_features(sentences)
    claims, claim_of, vectors = find_claims(sentences, features, select.importance(sentences, features, len(usable),
                                                                                   config), embed)
    sections = analyse(usable, sentences, claims, {sentences[i].text: v for i, v in vectors.items()}) \
        if analysis else Analysis()
    later = select.later_event_articles(sections, len(usable))
    restates = select.paraphrase_check(sentences, vectors, embed) if embed else None
    if since is not None or query is not None:
        from newsbrief.focus import focused_brief

        return focused_brief(articles, usable, sentences, features, claims, claim_of, vectors, sections, later,
                             restates, words, warnings, config, embed, since, query)
    chosen = select.choose(usable, sentences, features, claims, claim_of, words, config, later, restates)
    summary = [select.summary_sentence(usable, sentences[i], claims[claim_of[i]], config) for i in chosen]

    return Brief(articles=articles, summary=summary, words=words, title=select.headline(usable, summary),
                 warnings=list(warnings or []), claims=claims, sentences=sentences, analysis=sections)


def _default_embedder() -> Embedder:
    from newsbrief.embed import get_embedder

    return get_embedder()


__all__ = ["brief", "brief_articles", "NoUsableInput", "DEFAULT_WORDS"]
