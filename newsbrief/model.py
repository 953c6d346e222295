"""The one data model every stage reads and writes, the analysis included.

inputs -> Article (read) -> Article.text / .removed (clean) -> Sentence (segment)
       -> Claim (group) -> Analysis (analyse) -> SummarySentence (select) -> Brief (render / API)

Offsets (`start`, `end`) are character offsets into `Article.text`, the cleaned text; every citation is
a `Span`. Records serialise with `to_dict()` to the brief's JSON keys and come back with `from_dict()`.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, Union

R = TypeVar("R", bound="Record")


class Record:
    """A dataclass that serialises to plain JSON values and back (nested records, lists, optionals)."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        hints = _hints(cls)
        values = {f.name: _build(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data}  # type: ignore[arg-type]
        return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _build(hint: Any, value: Any) -> Any:
    """`value` (plain JSON) as an instance of the annotation `hint`."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_build(item, v) for v in value]
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        records = [a for a in options if isinstance(a, type) and issubclass(a, Record)]
        if records and isinstance(value, dict):
            return records[0].from_dict(value)
        return value
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    return value


# --------------------------------------------------------------------------------------------------
# articles and sentences


@dataclass
class Removal(Record):
    """A piece of the raw input the cleaner dropped, and why."""

    text: str
    reason: str
    line: int | None = None  # 1-based line (or paragraph) number in the raw text, when known


@dataclass
class Article:
    """One input article. `raw` is what was read; `text` is the cleaned body."""

    id: str = ""
    raw: str = ""
    title: str = ""
    source: str = ""
    url: str = ""
    date: str | None = None  # ISO date, YYYY-MM-DD
    path: str = ""
    text: str = ""  # cleaned text: paragraphs separated by a blank line
    removed: list[Removal] = field(default_factory=list)
    language: str = "en"
    # where it comes from (newsbrief.outlets fills them when reading): the publisher as readers know it
    # ("NCRI", "Reuters"; "" when unknown), the news agency whose copy it carries when that is not the
    # outlet itself ("AFP"), and how they were found ("metadata", "URL", "dateline", "byline", "credit")
    outlet: str = ""
    wire: str = ""
    outlet_basis: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def outlet_label(self) -> str:
        """Where it comes from, in a reader's words: "NCRI, from AFP", "Reuters", "unnamed outlet, citing
        AFP" (an agency credited in the text); "" when nothing is known."""
        how = "citing" if "credit" in self.outlet_basis else "from"
        if self.outlet and self.wire:
            return f"{self.outlet}, {how} {self.wire}"
        if self.wire:
            return f"unnamed outlet, {how} {self.wire}"
        return self.outlet

    def label(self) -> str:
        """Short human name: outlet or source or title or id."""
        return self.outlet_label() or self.source or self.title or self.id


@dataclass
class Sentence:
    """A sentence of one cleaned article; `text == article.text[start:end]`."""

    article: str  # Article.id
    index: int  # position among the article's sentences
    start: int
    end: int
    text: str
    paragraph: int = 0  # index of the paragraph it sits in

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Span(Record):
    """An exact span of a cleaned article: `text == article.text[start:end]`."""

    article: str
    start: int
    end: int
    text: str = ""

    @classmethod
    def of(cls, article_id: str, article_text: str, start: int, end: int) -> Span:
        """The span [start, end) of an article, surrounding whitespace trimmed, with its text."""
        while start < end and article_text[start].isspace():
            start += 1
        while end > start and article_text[end - 1].isspace():
            end -= 1
        return cls(article_id, start, end, article_text[start:end])


@dataclass
class Claim:
    """Sentences from different articles that say the same thing.

    `sentences` holds every member (at most one per article is typical, but an article may
    repeat itself); `representative` is the member shown to the reader.
    """

    id: int
    sentences: list[Sentence]
    representative: int = 0  # index into `sentences`

    @property
    def sources(self) -> list[str]:
        seen: list[str] = []
        for s in self.sentences:
            if s.article not in seen:
                seen.append(s.article)
        return seen

    @property
    def support(self) -> int:
        return len(self.sources)

    @property
    def text(self) -> str:
        return self.sentences[self.representative].text


@dataclass
class SummarySentence(Record):
    """One sentence of the brief: verbatim source text with its citations."""

    text: str
    sources: list[str]  # article ids, the representative's article first
    support: int
    spans: list[Span]  # spans[0] is exactly `text`; others are the matching sentences elsewhere
    claim: int | None = None
    # aligned with `spans`: how each citation supports the sentence ("source" for spans[0], then
    # "same wording" or "paraphrase"); empty when no support check was made
    support_kinds: list[str] = field(default_factory=list)
    disputed: list[int] = field(default_factory=list)  # indices into Analysis.conflicts this sentence is a side of
    relevance: float | None = None  # question-focused briefs: relevance to the question (1 = the best)

    def to_dict(self) -> dict[str, Any]:
        d = {"text": self.text, "sources": self.sources, "support": self.support,
             "spans": [sp.to_dict() for sp in self.spans], "support_kinds": list(self.support_kinds),
             "disputed": list(self.disputed)}
        if self.relevance is not None:
            d["relevance"] = self.relevance
        return d


# --------------------------------------------------------------------------------------------------
# the analysis sections


@dataclass
class ClaimReport(Record):
    """A claim as the analysis reports it: the representative text and every source's sentence."""

    text: str
    support: int  # number of articles carrying it
    sources: list[str]
    citations: list[Span]  # the representative first
    claim: int  # Claim.id


@dataclass
class SingleSourceClaim(ClaimReport):
    """A notable claim (numbers, names, quotes) that only one source makes."""

    source: str = ""
    source_label: str = ""
    notability: float = 0.0


@dataclass
class ConflictSide(Record):
    """One side of a conflict or agreement: a value (or statement) and the articles giving it."""

    display: str  # the value as written in the first citation ("almost 30 years")
    label: str  # the value normalised ("30 years", "scheduled")
    sources: list[str]
    citations: list[Span]  # the value's words in each article
    sentences: list[Span]  # the sentences holding them
    value: float | str | None = None  # the normalised value, when it is a quantity, date or name


@dataclass
class Conflict(Record):
    """The same attribute reported differently by different sources."""

    type: str  # "value" (different values) or "opposite" (a statement and its denial)
    kind: str  # count, duration, money, percent, measure, year, age, date, name, statement
    attribute: str  # what differs, in words ("number of agents / diplomats")
    sides: list[ConflictSide]
    sources: list[str]
    similarity: float | None = None  # how alike the sentences are (MiniLM cosine), when measured
    note: str | None = None  # e.g. the sides are dated differently: maybe a change over time


@dataclass
class Agreement(Record):
    """The same value in different words ("27 years" / "almost 30 years" / "nearly three decades")."""

    attribute: str
    kind: str
    sides: list[ConflictSide]
    sources: list[str]


@dataclass
class QuoteSource(Record):
    """One outlet's copy of a quote and the speaker that outlet gives it."""

    article: str
    speaker: str | None  # the resolved name, or the unnamed source as written ("a police spokesman")
    named: bool  # the speaker is a named person or organisation (not "officials", "Lebanese media")
    citation: Span  # the quoted words in this article
    attribution: Span | None = None  # the speaker's words in this article ("he", "provincial police spokesman X")
    role: str | None = None
    how: str = ""  # where the attribution was found: after, before, end, continuation, ...


@dataclass
class Quote(Record):
    """A direct quote, a partial quote or indirect speech with its speaker, merged over the outlets carrying it."""

    kind: str  # "direct", "partial" (a quoted phrase inside indirect speech) or "indirect"
    text: str
    speaker: str | None
    speaker_role: str | None
    speaker_resolved: bool  # the speaker is a named person of the entity analysis
    sources: list[str]
    citations: list[Span]  # the quoted words in each article
    attributions: list[Span]  # the speaker's words ("Crocker", "he") in each article
    by_source: list[QuoteSource] = field(default_factory=list)  # every outlet's copy with its own speaker
    speakers_differ: bool = False  # outlets give the quote to different named people (a conflict)


@dataclass
class EntityRole(Record):
    """A role or title the sources attach to an entity ("US ambassador to Iraq")."""

    text: str
    sources: list[str]
    citations: list[Span]


@dataclass
class Entity(Record):
    """A person, organisation or place, its name variants merged."""

    name: str
    type: str  # person, organization, place
    mentions: int
    variants: list[str]
    sources: list[str]
    roles: list[EntityRole]
    citations: list[Span]  # the first mention in each article


@dataclass
class TimelineEntry(Record):
    """A dated event: the main event, another dated development of the story, a separate later event, or
    background."""

    date: str  # ISO date (the first day of the month or year at lower precision)
    label: str  # "28 May 2007", "about July 2007", "1980"
    precision: str  # day, month, year
    estimated: bool  # the date is inferred (no article date, or an interval from another event)
    # "event" (the main event, `main`, or another dated development: a statement, an earlier incident),
    # "later event" (a separate later event, "the second round": its articles stay out of the summary),
    # "background" (a year before the story)
    kind: str
    event: str
    sources: list[str]
    citations: list[Span]
    basis: str  # how it was dated ("'Monday'", "article date", "explicit year")
    ordinal: str | None = None  # "second", "next", ... for a later event
    main: bool = False  # the main event: the date most sources give it


@dataclass
class NeutralWording(Record):
    """How another source words the same thing."""

    text: str
    article: str
    citation: Span
    # "wording": that source's words in the same place of the same sentence; "sentence": its sentence reporting
    # the same thing; "role": a role it gives the person; "group": its name for the national group
    kind: str = "wording"


@dataclass
class FramingTerm(Record):
    """A loaded or evaluative term one source uses, with the other sources' wording."""

    term: str
    category: str
    quoted: bool  # inside a quotation: the speaker's words, carried by the outlet
    target: str | None
    target_kind: str | None  # "person" or "group"
    citation: Span
    neutral: list[NeutralWording]
    evidence: list[str] = field(default_factory=list)  # why it is flagged: lexicon values, learned weight, contrast
    score: float | None = None  # the model's confidence that the outlet's wording is loaded (0..1)


@dataclass
class FramingItem(Record):
    """The loaded wording of one source."""

    article: str
    source: str
    terms: list[FramingTerm]


@dataclass
class Analysis(Record):
    """The cross-source analysis of a brief, one list per section."""

    consensus: list[ClaimReport] = field(default_factory=list)
    single_source: list[SingleSourceClaim] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    framing: list[FramingItem] = field(default_factory=list)


SECTIONS = tuple(f.name for f in fields(Analysis))


@dataclass
class FigureChange(Record):
    """Update briefs: a figure of the earlier coverage set against the new one ("rose from 120 to 310")."""

    measure: str  # what is counted or measured, in words ("American troops killed", "meeting")
    kind: str  # count, duration, money, percent, measure, ordinal
    direction: str  # "rose", "fell" or "changed"
    text: str  # the change in words: "rose from 120 to 310"
    old: ConflictSide  # the earlier value, citing the earlier articles (Brief.earlier)
    new: ConflictSide  # the new value, citing the new articles


# --------------------------------------------------------------------------------------------------
# outlets and stories


@dataclass
class OutletCoverage(Record):
    """One outlet of the brief's source list and how much of the brief it carries.

    Articles from the same outlet are counted together; an article whose outlet is not known is an
    outlet of its own (`outlet` "")."""

    outlet: str  # "Reuters", "NCRI"; "" when not known
    articles: list[str]  # article ids
    wires: list[str]  # news agencies whose copy these articles carry ("AFP")
    summary_sentences: int  # summary sentences citing one of these articles


@dataclass
class StoryArticle(Record):
    """An article of one story of the input, named for the reader."""

    id: str
    name: str  # file name, title or "article 3"
    title: str = ""
    outlet: str = ""
    date: str | None = None


@dataclass
class StoryChoice(Record):
    """One story of an input that covers several (`newsbrief.split`): its articles, and whether this
    brief covers it. Stories are numbered from 1, the largest first."""

    number: int
    title: str
    articles: list[StoryArticle]
    briefed: bool


# --------------------------------------------------------------------------------------------------
# the brief


@dataclass(repr=False)
class Brief:
    """The product: a summary with citations, the analysis, the articles it came from, what was removed."""

    articles: list[Article]
    summary: list[SummarySentence]
    words: int  # the word budget asked for
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    analysis: Analysis = field(default_factory=Analysis)
    not_summarised: dict[str, str] = field(default_factory=dict)  # article id -> why it is only listed
    # the stories of the input when it covers several (empty: one story); which ones this brief covers
    stories: list[StoryChoice] = field(default_factory=list)
    # how it was made: {"version", "words", "analysis", "embeddings", "story"} (newsbrief.pipeline)
    provenance: dict[str, Any] = field(default_factory=dict)
    created_at: str | None = None  # when it was saved (the web store), not part of to_dict()
    # question-focused briefs (newsbrief.query): the question, and whether anything in the articles answers it
    query: str | None = None
    answered: bool | None = None
    # update briefs (newsbrief.update): the earlier coverage the brief is made since (cited after the new
    # articles), and the figures that changed
    earlier: list[Article] = field(default_factory=list)
    changes: list[FigureChange] = field(default_factory=list)

    @property
    def mode(self) -> str:
        """"generic", "update", "query" or "update+query"."""
        parts = [m for m, on in (("update", bool(self.earlier)), ("query", self.query is not None)) if on]
        return "+".join(parts) or "generic"

    @property
    def consensus(self) -> list[ClaimReport]:
        return self.analysis.consensus

    @property
    def single_source(self) -> list[SingleSourceClaim]:
        return self.analysis.single_source

    @property
    def conflicts(self) -> list[Conflict]:
        return self.analysis.conflicts

    @property
    def agreements(self) -> list[Agreement]:
        return self.analysis.agreements

    @property
    def quotes(self) -> list[Quote]:
        return self.analysis.quotes

    @property
    def entities(self) -> list[Entity]:
        return self.analysis.entities

    @property
    def timeline(self) -> list[TimelineEntry]:
        return self.analysis.timeline

    @property
    def framing(self) -> list[FramingItem]:
        return self.analysis.framing

    @property
    def summary_words(self) -> int:
        return sum(len(s.text.split()) for s in self.summary)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self.analysis, k))} {k}" for k in SECTIONS if getattr(self.analysis, k))
        return (f"Brief(title={self.title[:60]!r}, {len(self.articles)} articles, {len(self.summary)} summary "
                f"sentences, {self.summary_words}/{self.words} words" + (f", {counts}" if counts else "") + ")")

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def citation_number(self, article_id: str) -> int:
        """1-based number of an article in the brief's source list (the earlier coverage of an update brief
        numbered after the new articles)."""
        ids = [a.id for a in self.articles]
        if article_id not in ids and self.earlier:
            return len(ids) + [a.id for a in self.earlier].index(article_id) + 1
        return ids.index(article_id) + 1

    def outlet_names(self, article_ids: list[str]) -> list[str]:
        """The outlet of each of these articles, in the same order ("" for an article whose outlet is not known)."""
        by_id = {a.id: a for a in self.articles}
        return [by_id[aid].outlet_label() if aid in by_id else "" for aid in article_ids]

    @property
    def outlets(self) -> list[OutletCoverage]:
        """The source list by outlet: articles, the wire copy they carry, summary sentences citing them;
        most cited first (then the order of the articles)."""
        groups: dict[str, OutletCoverage] = {}
        for a in self.articles:
            key = a.outlet.lower() if a.outlet else f"\x00{a.id}"
            g = groups.setdefault(key, OutletCoverage(outlet=a.outlet, articles=[], wires=[], summary_sentences=0))
            g.articles.append(a.id)
            if a.wire and a.wire not in g.wires:
                g.wires.append(a.wire)
        for g in groups.values():
            ids = set(g.articles)
            g.summary_sentences = sum(1 for s in self.summary if ids & set(s.sources))
        order = {a.id: i for i, a in enumerate(self.articles)}
        return sorted(groups.values(), key=lambda g: (-g.summary_sentences, order[g.articles[0]]))

    @property
    def outlet_count(self) -> int:
        """Distinct outlets among the articles (each article of unknown outlet counts as one)."""
        return len(self.outlets)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        articles = [_article_dict(a, n, include_text, self.not_summarised) for n, a in enumerate(self.articles, 1)]
        out = {
            "title": self.title,
            "words": self.words,
            "summary_words": self.summary_words,
            "summary": [{**s.to_dict(), "outlets": self.outlet_names(s.sources)} for s in self.summary],
            "articles": articles,
            "warnings": list(self.warnings),
            **self.analysis.to_dict(),
            "outlets": [o.to_dict() for o in self.outlets],
            "stories": [s.to_dict() for s in self.stories],
            "provenance": dict(self.provenance),
        }
        out.update(self._mode_dict(include_text))
        return out

    def _mode_dict(self, include_text: bool = True) -> dict[str, Any]:
        """The keys of update and question-focused briefs; none for a generic brief (its JSON is unchanged)."""
        out: dict[str, Any] = {}
        if self.query is not None or self.earlier:
            out["mode"] = self.mode
        if self.query is not None:
            out.update(query=self.query, answered=self.answered)
        if self.earlier:
            first = len(self.articles) + 1
            out.update(since=[a.id for a in self.earlier],
                       earlier_articles=[_article_dict(a, n, include_text) for n, a in enumerate(self.earlier, first)],
                       changes=[c.to_dict() for c in self.changes])
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        """Rebuild a brief from `to_dict()` output (e.g. a saved brief), records included.

        `id`/`created_at` (added by the server's store) and unknown keys are ignored."""
        articles = [_article_from_dict(a) for a in d.get("articles") or []]
        summary = [
            SummarySentence(
                text=s.get("text", ""),
                sources=list(s.get("sources") or []),
                support=int(s.get("support") or len(s.get("sources") or [])),
                spans=[Span.from_dict(p) for p in s.get("spans") or []],
                support_kinds=list(s.get("support_kinds") or []),
                disputed=[int(x) for x in s.get("disputed") or []],
                relevance=s.get("relevance"),
            )
            for s in d.get("summary") or []
        ]
        return cls(
            articles=articles,
            summary=summary,
            words=int(d.get("words") or 0),
            title=d.get("title") or "",
            warnings=list(d.get("warnings") or []),
            analysis=Analysis.from_dict({k: d[k] for k in SECTIONS if k in d}),
            not_summarised={str(a.get("id")): a["not_summarised_because"] for a in d.get("articles") or []
                            if a.get("not_summarised_because")},
            stories=[StoryChoice.from_dict(x) for x in d.get("stories") or []],
            provenance=dict(d.get("provenance") or {}),
            created_at=d.get("created_at"),
            query=d.get("query"),
            answered=d.get("answered"),
            earlier=[_article_from_dict(a) for a in d.get("earlier_articles") or []],
            changes=[FigureChange.from_dict(c) for c in d.get("changes") or []],
        )

    def to_json(self, indent: int | None = 2, include_text: bool = True) -> str:
        return json.dumps(self.to_dict(include_text), ensure_ascii=False, indent=indent)

    def to_markdown(self, show_removed: bool = False) -> str:
        from newsbrief.render import to_markdown

        return to_markdown(self, show_removed=show_removed)

    def to_html(self, show_removed: bool = False) -> str:
        from newsbrief.render import to_html

        return to_html(self, show_removed=show_removed)


def _article_dict(a: Article, number: int, include_text: bool = True,
                  not_summarised: dict[str, str] | None = None) -> dict[str, Any]:
    """An article as the brief's JSON lists it (Brief.to_dict's `articles` and `earlier_articles`)."""
    why = (not_summarised or {}).get(a.id)
    d: dict[str, Any] = {"id": a.id, "number": number, "title": a.title, "source": a.source, "date": a.date,
                         "url": a.url, "language": a.language, "summarised": why is None,
                         "not_summarised_because": why, "removed": [r.to_dict() for r in a.removed],
                         "outlet": a.outlet, "wire": a.wire, "outlet_basis": a.outlet_basis,
                         "outlet_label": a.outlet_label()}
    if include_text:
        d["text"] = a.text
    return d


def _article_from_dict(a: dict[str, Any]) -> Article:
    return Article(id=str(a.get("id")), title=a.get("title") or "", source=a.get("source") or "",
                   url=a.get("url") or "", date=a.get("date"), text=a.get("text") or "",
                   removed=[Removal.from_dict(r) for r in a.get("removed") or []], language=a.get("language") or "en",
                   outlet=a.get("outlet") or "", wire=a.get("wire") or "", outlet_basis=a.get("outlet_basis") or "")
