"""newsbrief: many articles about one story in, one trustworthy brief out.

    >>> import newsbrief
    >>> b = newsbrief.brief(["examples/us-iran-talks/"], words=150)
    >>> print(b.to_markdown())
"""

from newsbrief.model import Article, Brief, Claim, Removal, Sentence, Span, SummarySentence

__version__ = "0.1.0"
__all__ = ["brief", "brief_each", "Article", "Brief", "Claim", "Removal", "Sentence", "Span", "SummarySentence"]


def brief(
    inputs,
    words: int = 150,
    *,
    analysis: bool = True,
    embeddings: bool = True,
    story: int | str = "largest",
    since=None,
    query: str | dict | None = None,
) -> Brief:
    """Brief the articles in `inputs` about one story.

    inputs: a path, directory, "-" (stdin), `Article`, dict (`{"text", "title"?, "source"?, "url"?,
        "date"?, "id"?}`) or string, or a list of them. A string is read as a path only when it names an
        existing file or directory; otherwise it is article text.
    words: the summary's word budget.
    analysis: add the cross-source sections (conflicts, quotes, entities, timeline, ...).
    embeddings: use MiniLM for paraphrases (False: TF-IDF alone, faster, fewer merged claims).
    story: when the inputs cover several clearly unrelated stories, which one to brief: "largest"
        (default), a story number (1 = the largest) or "all" (everything together). `Brief.stories`
        lists the stories and a warning names those left out; `brief_each` briefs every one.
    since: earlier coverage (paths, directories, articles, or a saved brief: a Brief, its JSON dict or a .json
        file of it): an update brief of what the new articles add, no sentence restating the earlier
        coverage, changed figures set against the old ones (`Brief.changes`, both sides cited).
    query: a question (or a topic {"title", "narrative"}): the summary answers it, most relevant first, the
        analysis keeps what bears on it; `Brief.answered` is False when nothing in the articles does.

    Raises `pipeline.NoUsableInput` when nothing usable is left, `pipeline.InputTooLarge` above one
    brief's size, `pipeline.NoSuchStory` for a story number the input does not have. Problems with
    single inputs become `Brief.warnings`.
    """
    from newsbrief.pipeline import brief as _brief

    return _brief(inputs, words=words, analysis=analysis, embeddings=embeddings, story=story, since=since,
                  query=query)


def brief_each(inputs, words: int = 150, *, analysis: bool = True, embeddings: bool = True) -> list[Brief]:
    """One brief per story of `inputs` (as `brief` reads them), the largest story first; a single
    brief when they are one story."""
    from newsbrief.pipeline import brief_each as _each

    return _each(inputs, words=words, analysis=analysis, embeddings=embeddings)
