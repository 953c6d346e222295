"""What grouping returns: stories and the index of a run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Story:
    """One story: its articles (ids, in arrival order) and what the index shows about it."""

    id: str
    articles: list[str]
    title: str = ""
    sources: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    new_articles: int = 0  # how many joined in this run (all of them without --state)
    outlets: dict[str, int] = field(default_factory=dict)  # source -> articles
    status: str = "new"  # new (all its articles are from this run), updated, or unchanged
    reopened: bool = False  # updated after more than REOPEN_DAYS without an article

    @property
    def size(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_count": self.size,
            "new_articles": self.new_articles,
            "status": self.status,
            "reopened": self.reopened,
            "sources": self.sources,
            "outlets": self.outlets,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "articles": self.articles,
        }


@dataclass
class StoryIndex:
    """The grouping: stories (largest first), article -> story, near-duplicate groups, warnings."""

    stories: list[Story]
    assignments: dict[str, str]  # article id -> story id
    duplicates: dict[str, str]  # article id -> id of the earliest copy it duplicates (copies only)
    warnings: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def story(self, story_id: str) -> Story:
        for s in self.stories:
            if s.id == story_id:
                return s
        raise KeyError(story_id)

    def labels(self, article_ids: Sequence[str]) -> list[str]:
        return [self.assignments[a] for a in article_ids]

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "counts": {
                "stories": len(self.stories),
                "articles": len(self.assignments),
                "near_duplicate_copies": len(self.duplicates),
            },
            "stories": [s.to_dict() for s in self.stories],
            "warnings": self.warnings,
            "stats": self.stats,
        }


