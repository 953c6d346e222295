"""Benchmark rows of the update and question-focused tasks (DUC 2006/2007, TAC): what each row asks for.

* `row_query(row)`: the row's topic statement ({"title", "narrative"}) or None;
* `update_context(rows)`: for update rows (`update_set` A/B/C, id "<topic>-<set>"), the row's articles and
  the earlier sets' articles: B is briefed since A, C since A and B (DUC 2007 update task). Article ids are
  prefixed by the set ("B-d3") so that old and new never clash;
* `focus_system(words, rows, ...)`: the product as a benchmark system in the mode each row asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsbrief.model import Article


def row_query(row: dict) -> Any:
    """The row's query (a topic {"title", "narrative"} or a string), None when it has none."""
    query = row.get("query")
    if isinstance(query, dict) and not any(str(query.get(k) or "").strip() for k in ("title", "narrative")):
        return None
    if isinstance(query, str) and not query.strip():
        return None
    return query


def topic_of(row: dict) -> str:
    rid = str(row.get("id", ""))
    s = row.get("update_set")
    return rid[: -len(s) - 1] if s and rid.endswith("-" + s) else rid


@dataclass
class UpdateContext:
    topic: str
    update_set: str
    articles: list[Article]
    since: list[Article] = field(default_factory=list)


def _articles(row: dict, prefix: str) -> list[Article]:
    from newsbrief.readers import articles_from_documents

    arts = articles_from_documents(row["documents"])
    for a in arts:
        a.id = f"{prefix}-{a.id}"
    return arts


def update_context(rows: Sequence[dict]) -> dict[str, UpdateContext]:
    """row id -> its articles and its earlier sets' articles, for the rows with an `update_set`."""
    by_topic: dict[str, dict[str, dict]] = {}
    for r in rows:
        if r.get("update_set"):
            by_topic.setdefault(topic_of(r), {})[str(r["update_set"])] = r
    out: dict[str, UpdateContext] = {}
    for topic, sets in by_topic.items():
        earlier: list[Article] = []
        for name in sorted(sets):
            arts = _articles(sets[name], name)
            out[sets[name]["id"]] = UpdateContext(topic, name, arts, list(earlier))
            earlier += [clone(a) for a in arts]
    return out


def clone(a: Article) -> Article:
    return Article(id=a.id, raw=a.raw, title=a.title, source=a.source, url=a.url, date=a.date, path=a.path,
                   text=a.text, removed=list(a.removed), language=a.language)


def focus_system(words: int, rows: Sequence[dict], update: bool = True, query: bool = True, **options):
    """A benchmark system: the brief in the mode the row asks for -- an update brief since the earlier sets
    (`update`), answering the row's query (`query`); a row asking for neither gets the generic brief."""
    from newsbrief.pipeline import NoUsableInput, brief_articles
    from newsbrief.readers import articles_from_documents

    contexts = update_context(rows) if update else {}

    def run(row: dict) -> list[str]:
        ctx = contexts.get(str(row.get("id")))
        articles = [clone(a) for a in ctx.articles] if ctx else articles_from_documents(row["documents"])
        since = [clone(a) for a in ctx.since] if ctx and ctx.since else None
        try:
            b = brief_articles(articles, words=words, since=since, query=row_query(row) if query else None, **options)
        except NoUsableInput:
            return []
        return [s.text for s in b.summary]

    return run


def earlier_texts(rows: Sequence[dict]) -> dict[str, list[str]]:
    """row id -> the sentences of its earlier sets (update rows B/C), for the novelty figure."""
    from newsbrief.segment import segment_article

    return {rid: [s.text for a in ctx.since for s in segment_article(a)]
            for rid, ctx in update_context(rows).items() if ctx.since}


__all__ = ["row_query", "topic_of", "update_context", "focus_system", "earlier_texts", "UpdateContext"]
