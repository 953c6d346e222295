"""brief(): read -> clean -> segment -> features -> group -> analyse -> select -> Brief.

The analysis runs before selection because its timeline tells which articles report a later
event (a second round of talks): the summary stays on the event most sources report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Union

from newsbrief import select
from newsbrief.analysis import MAX_SENTENCES as MAX_ANALYSED
from newsbrief.analysis import analyse
from newsbrief.features import compute_features
from newsbrief.group import Embedder, find_claims
from newsbrief.model import Analysis, Article, Brief, StoryArticle, StoryChoice
from newsbrief.outlets import detect_outlets
from newsbrief.readers import TooManyArticles, read_inputs
from newsbrief.segment import segment_article
from newsbrief.select import DEFAULT, SelectionConfig
from newsbrief.split import similarity, story_groups
from newsbrief.support import Checker

DEFAULT_WORDS = 150
# One brief holds one story's coverage: past these sizes, group the articles into stories first
# (`newsbrief stories`). Work and memory grow near-linearly below them (BENCHMARKS.md, input size).
MAX_ARTICLES = 2_000
MAX_WORDS = 1_500_000


class NoUsableInput(ValueError):
    """Nothing that could be briefed was left after reading and cleaning."""


class InputTooLarge(ValueError):
    """More than one brief can hold (MAX_ARTICLES articles or MAX_WORDS words)."""


class NoSuchStory(ValueError):
    """`story=N` asked for a story the input does not have (or the value is not a story choice)."""


Story = Union[int, str]  # noqa: UP007 (a runtime alias) - "largest" (default), "all", or a story number (1 = the largest)


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
    story: Story = "largest",
    since: Iterable[Any] | Any | None = None,
    query: str | dict | None = None,
) -> Brief:
    """Brief articles given as paths, directories, '-', Article objects, dicts or raw strings.

    When they cover several clearly unrelated stories (`newsbrief.split`), the brief covers the largest
    (`story="largest"`), story number N (`story=N`, 1 = the largest) or all of them (`story="all"`);
    `Brief.stories` lists the stories and a warning names the ones left out.

    `since`: the earlier coverage (the same kinds of input, or saved briefs: a Brief, its JSON dict or a .json
    file of it): an update brief of what the new articles add (see newsbrief.update). `query`: a question or
    topic statement (a string, or {"title", "narrative"}): a brief that answers it (see newsbrief.query).
    Both may be given."""
    articles, warnings = _read(inputs)
    earlier = None
    if since is not None:
        from newsbrief.update import read_since

        earlier, since_warnings = read_since(since)
        warnings += [f"earlier coverage: {w}" for w in since_warnings]
    return brief_articles(articles, words, warnings, analysis=analysis, embeddings=embeddings, config=config,
                          embedder=embedder, story=story, since=earlier, query=query)


def brief_each(
    inputs: Iterable[Any] | str,
    words: int = DEFAULT_WORDS,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
    embedder: Embedder | None = None,
) -> list[Brief]:
    """One brief per story of the input, the largest story first (one brief when it is one story)."""
    articles, warnings = _read(inputs)
    usable = _usable(articles, warnings)
    groups = story_groups(usable)
    return [brief_articles(articles, words, warnings, analysis=analysis, embeddings=embeddings, config=config,
                           embedder=embedder, story=n, _groups=groups) for n in range(1, len(groups) + 1)]


def _read(inputs: Iterable[Any] | str) -> tuple[list[Article], list[str]]:
    if isinstance(inputs, (str, Article, dict)):
        inputs = [inputs]
    try:
        return read_inputs(inputs, limit=MAX_ARTICLES)
    except TooManyArticles as e:
        raise _too_large(str(e)) from None


def _usable(articles: list[Article], warnings: list[str] | None) -> list[Article]:
    usable = [a for a in articles if a.text.strip()]
    if not usable:
        raise NoUsableInput("no usable article text" + (": " + "; ".join(warnings) if warnings else ""))
    return usable


def brief_articles(
    articles: list[Article],
    words: int = DEFAULT_WORDS,
    warnings: list[str] | None = None,
    analysis: bool = True,
    embeddings: bool = True,
    config: SelectionConfig = DEFAULT,
    embedder: Embedder | None = None,
    story: Story | None = None,
    _groups: list[list[Article]] | None = None,
    since: list[Article] | None = None,
    query: str | dict | None = None,
) -> Brief:
    """Brief already read and cleaned articles. `embedder` (texts -> unit vectors) defaults to MiniLM;
    `embeddings=False` groups claims by TF-IDF alone; `story` as in `brief` (None, the default here:
    the articles are one story, as in a benchmark cluster, and are not checked).

    `since` (cleaned Articles, the earlier coverage): an update brief -- no summary sentence restates the
    earlier articles, new figures are set against the old ones (`Brief.changes`). `query` (a question or a
    topic {"title", "narrative"}): the summary answers it, most relevant first, the analysis keeps what bears
    on it, and `Brief.answered` says whether anything does. None of both: the generic brief."""
    if words < 1:
        raise ValueError("the word budget must be a positive number")
    usable, other_language = _main_language(_usable(articles, warnings))
    words_in = sum(len(a.text.split()) for a in usable)
    if len(usable) > MAX_ARTICLES or words_in > MAX_WORDS:
        raise _too_large(f"{len(usable):,} articles, {words_in:,} words")
    detect_outlets(usable)
    n_usable = len(usable)
    stories: list[StoryChoice] = []
    if story is not None:
        story = story_value(story)
        usable, stories = _choose_story(usable, story, _groups)
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
    focused = None
    if since is not None or query is not None:
        from newsbrief.focus import focused_summary

        focused = focused_summary(usable, sentences, features, claims, claim_of, vectors, sections, later, restates,
                                  words, config, embed, since, query, check, disputes)
        summary, sections = focused.summary, focused.analysis
        warnings = list(warnings or []) + focused.warnings
    else:
        chosen = select.choose(usable, sentences, features, claims, claim_of, words, config, later, restates,
                               disputes)
        summary = [select.summary_sentence(usable, sentences[i], claims[claim_of[i]], config, check, disputes)
                   for i in chosen]
    notes = [f"{a.path or a.id}: in {_language_name(a.language)}; listed among the sources, not summarised"
             for a in articles if a.id in other_language]
    notes += [] if summary else [select.empty_summary_reason(sentences, words, config)]
    if analysis and len(sentences) > MAX_ANALYSED:
        notes.append(f"the analysis read {MAX_ANALYSED:,} of the {len(sentences):,} sentences (those several "
                     "articles share, then each article's lead); brief fewer articles at once for all of them "
                     "(`newsbrief stories` groups a large input into stories)")
    kept = {a.id for a in usable} | set(other_language)
    shown = [a for a in articles if a.id in kept] if stories else articles
    provenance = {"version": _version(), "words": words, "analysis": analysis, "embeddings": embeddings,
                  "story": story if story is not None else "all"}
    title = select.headline(usable, summary)
    for st in stories:
        if st.briefed and story != "all":
            st.title = title or st.title  # the story briefed is called what the brief is called
    story_note = _story_note(stories, story, n_usable)
    out = Brief(articles=shown, summary=summary, words=words, title=title,
                warnings=list(warnings or []) + ([story_note] if story_note else []) + notes, claims=claims,
                sentences=sentences, analysis=sections, stories=stories, provenance=provenance,
                not_summarised=other_language)
    if focused is not None:
        out.query, out.answered, out.earlier, out.changes = (focused.query, focused.answered, focused.earlier,
                                                             focused.changes)
    return out


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


def _version() -> str:
    from newsbrief import __version__

    return __version__


def _name(a: Article, number: int) -> str:
    """An article as a reader can find it in their input: file name, else title, else its number."""
    if a.path:
        return a.path.replace("\\", "/").rsplit("/", 1)[-1]
    if a.title:
        return a.title if len(a.title) <= 60 else a.title[:57].rstrip() + "…"
    return f"article {number}"


def _story_title(group: list[Article]) -> str:
    """A story's headline: the title of its most central titled article, else its first sentence."""
    titled = [a for a in group if a.title.strip()]
    if len(titled) > 2:
        sim = similarity(titled)
        titled = [titled[int(sim.sum(1).argmax())]]
    if titled:
        return titled[0].title.strip()
    first = segment_article(group[0])
    text = first[0].text if first else group[0].text
    return text if len(text) <= 90 else text[:87].rstrip() + "…"


def story_value(story: Any) -> Story:
    """`story` checked: "largest", "all" or a positive number (digits as text too); NoSuchStory otherwise."""
    if isinstance(story, str) and story.strip().isdigit():
        story = int(story)
    if isinstance(story, str) and story.strip().lower() in ("largest", "all"):
        return story.strip().lower()
    if isinstance(story, int) and not isinstance(story, bool) and story >= 1:
        return story
    raise NoSuchStory(f"story must be \"largest\", \"all\" or a story number (1 = the largest), not {story!r}")


def _choose_story(usable: list[Article], story: Story, groups: list[list[Article]] | None
                  ) -> tuple[list[Article], list[StoryChoice]]:
    """(the articles to brief, the stories when there are several)."""
    groups = groups if groups is not None else story_groups(usable)
    if isinstance(story, int) and not 1 <= story <= len(groups):
        have = "is one story" if len(groups) == 1 else f"covers {len(groups)} stories (1-{len(groups)})"
        raise NoSuchStory(f"there is no story {story}: the input {have}")
    if len(groups) == 1:
        return usable, []
    number = {a.id: n for n, a in enumerate(usable, 1)}
    pick = 1 if story == "largest" else story
    stories = [StoryChoice(number=k, title=_story_title(g), briefed=story == "all" or k == pick,
                           articles=[StoryArticle(id=a.id, name=_name(a, number[a.id]), title=a.title,
                                                  outlet=a.outlet_label(), date=a.date) for a in g])
               for k, g in enumerate(groups, 1)]

    keep = {a.id for st in stories if st.briefed for a in st.articles}
    return [a for a in usable if a.id in keep], stories


def _story_note(stories: list[StoryChoice], story: Story | None, n_usable: int) -> str:
    """The warning naming the stories of an input that covers several ("" for one story)."""
    if not stories:
        return ""

    def told(s: StoryChoice, names: bool) -> str:
        n = len(s.articles)
        what = f"{n} article{'s' if n != 1 else ''}"
        if names:
            shown = [a.name for a in s.articles[:4]]
            more = f" and {n - 4} more" if n > 4 else ""
            what += ": " + ", ".join(shown) + more
        return f"story {s.number}, \u201c{s.title}\u201d ({what})"

    if story == "all":
        return (f"the input covers {len(stories)} unrelated stories, briefed together as asked (story \"all\"): "
                + "; ".join(told(s, False) for s in stories))
    chosen = next(s for s in stories if s.briefed)
    others = [s for s in stories if not s.briefed]
    which = "the largest" if story == "largest" else f"story {chosen.number}, as asked"
    numbers = [str(s.number) for s in others]
    choices = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " or " + numbers[-1]
    return (f"the input covers {len(stories)} unrelated stories; this brief covers {which}: "
            f"\u201c{chosen.title}\u201d ({len(chosen.articles)} of {n_usable} articles). "
            f"Left out: " + "; ".join(told(s, True) for s in others) + ". "
            f"To brief another, choose story {choices} (CLI --story, API \"story\"); \"all\" briefs them together.")


def _default_embedder() -> Embedder:
    from newsbrief.embed import get_embedder

    return get_embedder()


__all__ = ["brief", "brief_articles", "brief_each", "NoUsableInput", "InputTooLarge", "NoSuchStory", "Story",
           "DEFAULT_WORDS", "MAX_ARTICLES", "MAX_WORDS"]
