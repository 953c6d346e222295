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
from newsbrief.readers import TooManyArticles, read_inputs
from newsbrief.segment import segment_article
from newsbrief.select import DEFAULT, SelectionConfig

DEFAULT_WORDS = 150
# One brief holds one story's coverage: past these sizes, group the articles into stories first
# (`newsbrief stories`). Work and memory grow near-linearly below them (BENCHMARKS.md, input size).
MAX_ARTICLES = 2_000
MAX_WORDS = 1_500_000


class NoUsableInput(ValueError):
    """Nothing that could be briefed was left after reading and cleaning."""


class InputTooLarge(ValueError):
    """More than one brief can hold (MAX_ARTICLES articles or MAX_WORDS words)."""


def _too_large(what: str) -> InputTooLarge:
    return InputTooLarge(f"{what}: more than one brief takes (at most {MAX_ARTICLES:,} articles and "
                         f"{MAX_WORDS:,} words); group them into stories with `newsbrief stories`, or brief fewer")


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
    try:
        articles, warnings = read_inputs(inputs, limit=MAX_ARTICLES)
    except TooManyArticles as e:
        raise _too_large(str(e)) from None
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
    usable, other_language = _main_language(usable)
    words_in = sum(len(a.text.split()) for a in usable)
    if len(usable) > MAX_ARTICLES or words_in > MAX_WORDS:
        raise _too_large(f"{len(usable):,} articles, {words_in:,} words")
    embed = (embedder or _default_embedder()) if embeddings else None

    sentences = [s for a in usable for s in segment_article(a)]
    features = compute_features(sentences)
    claims, claim_of, vectors = find_claims(sentences, features, select.importance(sentences, features, len(usable),
                                                                                   config), embed)
    sections = analyse(usable, sentences, claims, {sentences[i].text: v for i, v in vectors.items()}) \
        if analysis else Analysis()
    later = select.later_event_articles(sections, len(usable))
    restates = select.paraphrase_check(sentences, vectors, embed) if embed else None
    chosen = select.choose(usable, sentences, features, claims, claim_of, words, config, later, restates)
    summary = [select.summary_sentence(usable, sentences[i], claims[claim_of[i]], config) for i in chosen]
    notes = [f"{a.path or a.id}: in {_language_name(a.language)}; listed among the sources, not summarised"
             for a in articles if a.id in other_language]
    notes += [] if summary else [select.empty_summary_reason(sentences, words, config)]

    return Brief(articles=articles, summary=summary, words=words, title=select.headline(usable, summary),
                 warnings=list(warnings or []) + notes, claims=claims, sentences=sentences, analysis=sections,
                 not_summarised=other_language)


def _main_language(articles: list[Article]) -> tuple[list[Article], dict[str, str]]:
    """The articles in the language most of the text is in, and the others with the reason they are left out
    (one brief, one language; an article whose language is unknown stays in)."""
    words: dict[str, int] = {}
    for a in articles:
        if a.language and a.language != "und":
            words[a.language] = words.get(a.language, 0) + len(a.text.split())
    if len(words) < 2:
        return articles, {}
    main = max(words, key=lambda lang: (words[lang], lang == "en"))
    others = {a.id: f"in {_language_name(a.language)}, not {_language_name(main)}" for a in articles
              if a.language not in (main, "und", "")}
    return [a for a in articles if a.id not in others], others


def _language_name(code: str) -> str:
    """'pl' -> 'Polish (pl)'."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return f"{found.name} ({code})" if found else code


def _default_embedder() -> Embedder:
    from newsbrief.embed import get_embedder

    return get_embedder()


__all__ = ["brief", "brief_articles", "NoUsableInput", "InputTooLarge", "DEFAULT_WORDS", "MAX_ARTICLES", "MAX_WORDS"]
