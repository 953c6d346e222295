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


def looks_like_html(text: str) -> bool:
    """True if `text` is an HTML document or fragment (starts with a typical tag)."""
    return bool(_HTML_START.match(text[:2000]))


def html_lines(html: str) -> list[str]:
    """Visible text lines of an HTML page (scripts/styles dropped), one per block element."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style|//noscript|//template|//head/meta|//link"):
            bad.drop_tree()
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
                el.text = "\n" + (el.text or "")
                el.tail = "\n" + (el.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - unparsable markup: nothing to account for
        return []
    return [n for n in (normalize_line(x) for x in text.split("\n")) if n]


def extract_html(html: str, url: str = "") -> tuple[str, dict[str, str], list[Removal]]:
    """Main text of an HTML page via trafilatura: (body with blank-line paragraphs, metadata, dropped)."""
    import trafilatura

    html = _CONTROL.sub("", html)
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
    kept = comparison_key(body + " " + meta.get("title", ""))
    dropped: list[Removal] = []
    seen: set[str] = set()
    for line in html_lines(html):
        k = comparison_key(line)
        if not k or k in seen or k in kept:
            continue
        seen.add(k)
        dropped.append(Removal(line, OUTSIDE_MAIN_TEXT, None))
    return body, meta, dropped
