"""The header pass: title, date and site-name lines at the top of an article become metadata."""

from __future__ import annotations

import re

from newsbrief.clean.lines import TEASER_START, Language, line_reason
from newsbrief.clean.normalize import JOINER_END, Line, comparison_key, ends_sentence, word_count
from newsbrief.clean.rules import boilerplate
from newsbrief.model import Article, Removal
from newsbrief.text.dates import date_line, leading_date, updated_stamp

_HEADER_LINES = 5  # non-blank lines looked at
_ABBREV_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St|Dr|Mr|Mrs|Ms|No|vs)\.)$")
_HIGHLIGHTS = re.compile(r"^story highlights\s*:?\s*", re.I)


def headline_like(s: str) -> bool:
    """A short line without final punctuation (or ending in an abbreviation), starting like a title."""
    if not s or not (1 <= word_count(s) <= 20) or len(s) > 160:
        return False
    if not any(c.isalpha() for c in s):
        return False
    first = s[0]
    if first.islower() or (first == "(" and s.endswith(")")):
        return False
    if ends_sentence(s) and not _ABBREV_END.search(s[-12:]):
        return False
    if s.endswith((":", ";", ",")):
        return False
    return boilerplate(s) is None


def header_pass(lines: list[Line], article: Article, removed: list[Removal], lang: Language) -> tuple[int, dict]:
    """Consume title/date/site-name lines at the top; return (index of the first body line, found metadata).

    A date glued to the first sentence ("May 29, 2007 Iran offered ...") is cut off that line."""
    found: dict[str, str] = {}
    title_key = comparison_key(article.title) if article.title else ""
    have_title = bool(article.title)
    i = 0
    seen = 0
    while i < len(lines) and seen < _HEADER_LINES:
        s = lines[i].text
        if not s:
            i += 1
            continue
        seen += 1
        d = date_line(s)
        if d and updated_stamp(s):  # "Updated: 2 June 2007" is metadata, never the article date
            found.setdefault("updated", d)
            removed.append(Removal(s, "date (metadata)", lines[i].no))
            i += 1
            continue
        if d and "date" not in found:
            found["date"] = d
            removed.append(Removal(s, "date (metadata)", lines[i].no))
            i += 1
            continue
        dated = leading_date(s)
        rest = s[dated[0]:] if dated else ""
        keys = (comparison_key(s), comparison_key(rest) if dated else None)
        if title_key and title_key in keys and "title" not in found:
            found["title"] = s
            removed.append(Removal(s, "headline (metadata)", lines[i].no))
            i += 1
            continue
        if dated and dated[1] and "date" not in found and ends_sentence(s) and word_count(rest) >= 6:
            found["date"] = dated[1]
            removed.append(Removal(s[: dated[0]].strip(), "date (metadata), glued to the first sentence", lines[i].no))
            lines[i].text = rest
            break
        if line_reason(s, lang) is not None or TEASER_START.match(s):
            break
        if "title" in found or have_title:
            if article.source and comparison_key(s) == comparison_key(article.source) and "source" not in found:
                found["source"] = s
                removed.append(Removal(s, "site name (metadata)", lines[i].no))
                i += 1
                continue
            break
        # a dated headline: "2005/01/08 Tsunami aid donations ..."
        if dated and dated[1] and "date" not in found and headline_like(rest):
            found["date"] = dated[1]
            found["title"] = rest
            removed.append(Removal(s, "headline (metadata)", lines[i].no))
            i += 1
            continue
        nxt_raw = lines[i + 1].text if i + 1 < len(lines) else ""
        wrapped = bool(nxt_raw) and (nxt_raw[0].islower() or bool(JOINER_END.search(s[-8:])))
        if headline_like(s) and not wrapped:
            nxt = next((j for j in range(i + 1, min(len(lines), i + 4)) if lines[j].text), None)
            nxt_s = lines[nxt].text if nxt is not None else ""
            if (
                "source" not in found
                and word_count(s) <= 3
                and len(s) <= 30
                and nxt_s
                and line_reason(nxt_s, lang) is None
                and headline_like(nxt_s)
                and nxt_s[0].isalnum()
                and word_count(nxt_s) >= 4
                and not date_line(nxt_s)
            ):
                found["source"] = s
                removed.append(Removal(s, "site name (metadata)", lines[i].no))
                i += 1
                continue
            if nxt_s:  # a headline needs a body after it
                found["title"] = _HIGHLIGHTS.sub("", s) or s
                removed.append(Removal(s, "headline (metadata)", lines[i].no))
                i += 1
                continue
        break
    return i, found
