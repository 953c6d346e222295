"""The one data model every stage reads and writes.

inputs -> Article (read) -> Article.text / .removed (clean) -> Sentence (segment)
       -> Claim (group) -> SummarySentence (select) -> Brief (render / API)

Offsets (`start`, `end`) are character offsets into `Article.text`, the cleaned text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Removal:
    """A piece of the raw input the cleaner dropped, and why."""

    text: str
    reason: str
    line: int | None = None  # 1-based line (or paragraph) number in the raw text, when known


@dataclass
class Article:
    """One input article. `raw` is what was read; `text` is the cleaned body."""

    id: str
    raw: str
    title: str = ""
    source: str = ""
    url: str = ""
    date: str | None = None  # ISO date, YYYY-MM-DD
    path: str = ""
    text: str = ""  # cleaned text: paragraphs separated by a blank line
    removed: list[Removal] = field(default_factory=list)
    language: str = "en"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def label(self) -> str:
        """Short human name: source or title or id."""
        return self.source or self.title or self.id


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
class Span:
    """An exact span of a cleaned article."""

    article: str
    start: int
    end: int


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
class SummarySentence:
    """One sentence of the brief: verbatim source text with its citations."""

    text: str
    sources: list[str]  # article ids, the representative's article first
    support: int
    spans: list[Span]  # spans[0] is exactly `text`; others are the matching sentences elsewhere
    claim: int | None = None


_CORE_KEYS = {"id", "created_at", "title", "words", "summary_words", "summary", "articles", "warnings"}


@dataclass
class Brief:
    """The product: a summary with citations, the articles it came from, and what was removed."""

    articles: list[Article]
    summary: list[SummarySentence]
    words: int  # the word budget asked for
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    analysis: dict[str, Any] = field(default_factory=dict)  # sections added by later stages

    @property
    def summary_words(self) -> int:
        return sum(len(s.text.split()) for s in self.summary)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def citation_number(self, article_id: str) -> int:
        """1-based number of an article in the brief's source list."""
        return [a.id for a in self.articles].index(article_id) + 1

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        articles = []
        for n, a in enumerate(self.articles, 1):
            d = {
                "id": a.id,
                "number": n,
                "title": a.title,
                "source": a.source,
                "date": a.date,
                "url": a.url,
                "language": a.language,
                "removed": [asdict(r) for r in a.removed],
            }
            if include_text:
                d["text"] = a.text
            articles.append(d)
        return {
            "title": self.title,
            "words": self.words,
            "summary_words": self.summary_words,
            "summary": [
                {
                    "text": s.text,
                    "sources": s.sources,
                    "support": s.support,
                    "spans": [asdict(sp) for sp in s.spans],
                }
                for s in self.summary
            ],
            "articles": articles,
            "warnings": list(self.warnings),
            **self.analysis,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        """Rebuild a brief from `to_dict()` output (e.g. a saved brief), for rendering.

        Keys that are not part of the core shape are the analysis sections; `id`/`created_at`
        (added by the server's store) are ignored.
        """
        articles = [
            Article(
                id=str(a.get("id")),
                raw="",
                title=a.get("title") or "",
                source=a.get("source") or "",
                url=a.get("url") or "",
                date=a.get("date"),
                text=a.get("text") or "",
                removed=[Removal(r.get("text", ""), r.get("reason", ""), r.get("line")) for r in a.get("removed") or []],
                language=a.get("language") or "en",
            )
            for a in d.get("articles") or []
        ]
        summary = [
            SummarySentence(
                text=s.get("text", ""),
                sources=list(s.get("sources") or []),
                support=int(s.get("support") or len(s.get("sources") or [])),
                spans=[Span(str(p["article"]), int(p["start"]), int(p["end"])) for p in s.get("spans") or []],
            )
            for s in d.get("summary") or []
        ]
        return cls(
            articles=articles,
            summary=summary,
            words=int(d.get("words") or 0),
            title=d.get("title") or "",
            warnings=list(d.get("warnings") or []),
            analysis={k: v for k, v in d.items() if k not in _CORE_KEYS},
        )

    def to_json(self, indent: int | None = 2, include_text: bool = True) -> str:
        return json.dumps(self.to_dict(include_text), ensure_ascii=False, indent=indent)

    def to_markdown(self, show_removed: bool = False) -> str:
        from newsbrief.render import to_markdown

        return to_markdown(self, show_removed=show_removed)

    def to_html(self) -> str:
        from newsbrief.render import to_html

        return to_html(self)
