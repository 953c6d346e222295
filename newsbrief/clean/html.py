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


# htmldate without its free-text search (which reads "© 2019" as 1 January 2019), the original date first
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(name|property|itemprop|http-equiv|content)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LD_DATE = re.compile(r"""["'](date(?:Published|Created|Modified)|uploadDate)["']\s*:\s*["']([^"']{6,40})["']""")
_MODIFIED = re.compile(r"modif|updat|revis|lastmod", re.I)
_TEXT_UPDATED = re.compile(r"\b(?:last\s+)?(?:updated|modified)\b[^<]{0,40}", re.I)


_TIME_TAG = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']{6,40})[\"'][^>]*>", re.I)


def publication_date(html: str, iso: str) -> str | None:
    """trafilatura's date for the page (ISO) if it is a publication date, else the page's own publication
    metadata, else None. Not a publication date: 1 January of a year the page never writes as a full date
    (a copyright year), or a date only "modified"/"updated" stamps give."""
    from newsbrief.text.dates import parse_date

    published: set[str] = set()
    modified: set[str] = set()
    for tag in _META_TAG.findall(html[:200_000]):
        attrs = {m[1].lower(): m[2] or m[3] for m in _ATTR.finditer(tag)}
        key = " ".join(attrs.get(k, "") for k in ("name", "property", "itemprop", "http-equiv"))
        d = parse_date(attrs.get("content")) if "date" in key.lower() or "time" in key.lower() else None
        if d:
            (modified if _MODIFIED.search(key) else published).add(d)
    for field, value in _LD_DATE.findall(html[:200_000]):
        d = parse_date(value)
        if d:
            (modified if field == "dateModified" else published).add(d)
    for m in _TEXT_UPDATED.finditer(html[:200_000]):
        d = parse_date(m.group(0).split(None, 1)[-1] if " " in m.group(0) else None)
        if d:
            modified.add(d)
    for m in _TIME_TAG.finditer(html[:200_000]):
        d = parse_date(m.group(1))
        if d and not _MODIFIED.search(m.group(0)):
            published.add(d)
    if iso in published:
        return iso
    if iso in modified - published:
        return min(published) if published else None
    if iso.endswith("-01-01"):
        y = iso[:4]
        full = (f"{y}-01-01", f"{y}/01/01", f"January 1, {y}", f"Jan. 1, {y}", f"1 January {y}", f"Jan 1, {y}")
        if not any(f in html for f in full):
            return min(published) if published else None
    return iso


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
            html, url=url or None, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS,
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
    if "date" in meta:
        checked = publication_date(html, meta["date"])
        if checked:
            meta["date"] = checked
        else:
            del meta["date"]
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
