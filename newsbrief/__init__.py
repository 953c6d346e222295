"""newsbrief: many articles about one story in, one trustworthy brief out.

    >>> import newsbrief
    >>> b = newsbrief.brief(["examples/us-iran-talks/"], words=150)
    >>> print(b.to_markdown())
"""

from newsbrief.model import Article, Brief, Claim, Removal, Sentence, Span, SummarySentence

__version__ = "0.1.0"
__all__ = ["brief", "Article", "Brief", "Claim", "Removal", "Sentence", "Span", "SummarySentence"]


def brief(inputs, words: int = 150, since=None, query=None, **options) -> Brief:
    """Brief `inputs` (paths, directories, Article objects, dicts or raw strings); see pipeline.brief.

    since: earlier coverage (paths, directories, articles, or a saved brief: a Brief, its JSON dict or a .json
        file of it): an update brief of what the new articles add, no sentence restating the earlier
        coverage, changed figures set against the old ones (`Brief.changes`, both sides cited).
    query: a question (or a topic {"title", "narrative"}): the summary answers it, most relevant first, the
        analysis keeps what bears on it; `Brief.answered` is False when nothing in the articles does.
    Other options (analysis, embeddings, config, embedder): see pipeline.brief."""
    from newsbrief.pipeline import brief as _brief

    return _brief(inputs, words=words, since=since, query=query, **options)
