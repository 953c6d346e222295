"""newsbrief: many articles about one story in, one trustworthy brief out.

    >>> import newsbrief
    >>> b = newsbrief.brief(["examples/us-iran-talks/"], words=150)
    >>> print(b.to_markdown())
"""

from newsbrief.model import Article, Brief, Claim, Removal, Sentence, Span, SummarySentence

__version__ = "0.1.0"
__all__ = ["brief", "Article", "Brief", "Claim", "Removal", "Sentence", "Span", "SummarySentence"]


def brief(inputs, words: int = 150, **options) -> Brief:
    """Brief `inputs` (paths, directories, Article objects, dicts or raw strings); see pipeline.brief."""
    from newsbrief.pipeline import brief as _brief

    return _brief(inputs, words=words, **options)
