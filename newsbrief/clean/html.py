"""HTML pages: the main text and metadata via trafilatura, and every other visible line as removed."""

from __future__ import annotations

import re

from newsbrief.clean.normalize import comparison_key, normalize_line
from newsbrief.model import Removal

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|section|main|p|h[1-6])\b",
    re.I | re.S,
)
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "figure", "figcaption",
    "form", "main", "dd", "dt", "dl", "title", "hr", "address", "details", "summary", "option", "button",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
OUTSIDE_MAIN_TEXT = "html: outside the main text (navigation/footer/comments)"
TITLE = "headline (metadata)"
PAGE_TITLE = "page title (metadata)"
_REORDERED_WORDS = 6  # a line this long found anywhere in the main text is kept


def looks_like_html(text: str) -> bool:
    """True if `text` is an HTML document or fragment (starts with a typical tag)."""
    return bool(_HTML_START.match(text[:2000]))


def html_lines(html: str) -> list[str]:
    """Visible text lines of an HTML page (scripts/styles dropped), one per block element; the page's
    <title> comes first."""
    title, lines = _page_lines(html)
    return [title, *lines] if title else lines


def _page_lines(html: str) -> tuple[str, list[str]]:
    """The page's <title> and the visible text lines of the rest of the page."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style|//noscript|//template|//head/meta|//link"):
            bad.drop_tree()
        title = ""
        for el in root.xpath("//head/title"):
            title = " ".join(x for x in (el.text_content(), title) if x)
            el.drop_tree()
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
                el.text = "\n" + (el.text or "")
                el.tail = "\n" + (el.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - unparsable markup: nothing to account for
        return "", []
    return normalize_line(title), [n for n in (normalize_line(x) for x in text.split("\n")) if n]


def _find_words(haystack: str, needle: str, start: int = 0) -> int:
    """Where the words `needle` occur as whole words in `haystack` (both comparison keys) at or after
    `start`, or -1."""
    return f" {haystack} ".find(f" {needle} ", start)


def extract_html(html: str, url: str = "") -> tuple[str, dict[str, str], list[Removal]]:
    """Main text of an HTML page via trafilatura: (body with blank-line paragraphs, metadata, dropped).

    Every visible line of the page that is not in the main text is listed in `dropped`, each time it
    occurs: a line is in the main text where its words come next in the main text, in page order (so a
    "Home" link after the article is listed even when the article says "at home"); a long line found
    earlier in the main text counts as kept too (the extractor may reorder a little)."""
    import trafilatura

    html = _CONTROL.sub(" ", html)  # lxml refuses them: form feeds become spaces (clean_article lists the rest)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # noqa: BLE001 - trafilatura can fail on odd markup
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    meta = {}
    if doc is not None:
        for k in ("title", "date", "sitename", "url", "author"):
            v = getattr(doc, k, None)
            if v:
                meta[k] = str(v)
    body = "\n\n".join(x for x in (t.strip() for t in text.split("\n")) if x)
    kept = comparison_key(body)
    title = comparison_key(meta.get("title", ""))
    page_title, lines = _page_lines(html)
    dropped: list[Removal] = []
    if page_title and _find_words(kept, comparison_key(page_title)) < 0:
        dropped.append(Removal(page_title, PAGE_TITLE, None))
    pos = 0
    for line in lines:
        k = comparison_key(line)
        if not k:
            continue
        at = _find_words(kept, k, pos)
        if at >= 0:
            pos = at + len(k) + 1
            continue
        if len(k.split()) >= _REORDERED_WORDS and _find_words(kept, k) >= 0:
            continue
        dropped.append(Removal(line, TITLE if k == title else OUTSIDE_MAIN_TEXT, None))
    return body, meta, dropped
