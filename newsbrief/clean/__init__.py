"""Cleaning: raw article -> `Article.text` (paragraphs) + `Article.removed` (everything dropped, and why).

`clean_article` is a pure function of `article.raw` (plus any title/date/source already set), so it can
be run again safely. Its passes, one module each: `chars` (control, invalid and invisible characters),
`html` (main text of a page), `header` (title, date,
site name), `lines` (boilerplate `rules`, links, foreign-language lines, teaser blocks), `paragraphs`
(wrapped lines joined, headings dropped) and `repeats` (repeated paragraphs and sentences). Rules are
generic patterns for web-scrape noise; every non-blank raw line ends up either in `text` or in `removed`.
"""

from __future__ import annotations

from newsbrief.clean.chars import strip_characters
from newsbrief.clean.dating import article_date
from newsbrief.clean.header import header_pass
from newsbrief.clean.html import extract_html, looks_like_html
from newsbrief.clean.lines import Language, line_pass
from newsbrief.clean.normalize import Line, normalize_line
from newsbrief.clean.paragraphs import drop_headings, join_lines
from newsbrief.clean.repeats import drop_repeats
from newsbrief.model import Article
from newsbrief.text.language import detect_language, main_script, script_counts

__all__ = ["clean_article", "extract_html", "looks_like_html", "normalize_line"]


def clean_article(article: Article) -> Article:
    """Fill `text`, `removed`, `language` (and title/date/source/url if unset) from `article.raw`."""
    raw = article.raw or ""
    meta: dict[str, str] = {}
    body, removed = strip_characters(raw.replace("\r\n", "\n").replace("\r", "\n"))
    if looks_like_html(body):
        body, meta, dropped = extract_html(body, article.url)
        body, decoded = strip_characters(body, numbered=False)  # entities such as &shy; are decoded now
        removed += dropped + decoded
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(n, normalize_line(t)) for n, t in enumerate(body.split("\n"), 1)]
    counts = script_counts(body)
    lang = Language(detect_language(body), main_script(counts), len(counts) > 1)

    if meta.get("title") and not article.title:
        article.title = meta["title"]
    head = [ln.text for ln in lines[:40] if ln.text][:8]  # the top lines as read, for publication stamps
    start, found = header_pass(lines, article, removed, lang)
    kept = line_pass(lines[start:], lang, removed, found)
    paragraphs = drop_headings(join_lines(kept), removed)
    article.text = "\n\n".join(drop_repeats(paragraphs, removed))
    removed.sort(key=lambda r: (r.line is None, r.line or 0))
    article.removed = removed
    article.language = lang.code
    if not article.title:
        article.title = found.get("title", "") or meta.get("title", "")
    article.date = article_date(article, found, meta, head)  # newsbrief.clean.dating: where the date comes from
    if not article.source:
        article.source = found.get("source", "") or meta.get("sitename", "")
    if not article.url and meta.get("url"):
        article.url = meta["url"]
    return article
