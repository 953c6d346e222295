"""Where an article's date comes from (`Article.date`): the one place that chooses it.

In order, the first that says:

1. a date the caller gave (JSON `date`/`published`, kept as it is);
2. the page's publication metadata (HTML meta / JSON-LD via trafilatura, checked in `clean.html`: a
   copyright year or a modified-only stamp is no publication date);
3. a publication stamp or a date line at the top of the text ("Published on Feb 23, 2016", "posted at
   10:01 pm on March 2, 2016 by ...", "(Published Tuesday, March 29, 2016)", "Tuesday, May 29, 2007");
4. a wire dateline ("PARIS, February 20 (Xinhua) --"), its year written or taken from the wire id;
5. a DUC/TAC-style wire id ("APW19981106.0520" -> 1998-11-06), the article id or its file name.

A text date (3, 4) more than a week from the wire id's date is a reprint or another event: the id wins.
Never a date: "updated"/"modified" stamps, copyright footers, photo credits and captions, dates inside
the story. When nothing says, None: no guess.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from newsbrief.model import Article
from newsbrief.text.dates import as_date, dateline, parse_date, stamp_date, wire_id_date

_HEAD_LINES = 6  # non-blank lines at the top where a publication stamp is looked for
_AGREE_DAYS = 7  # a text date this close to the wire id's date is taken over it (datelines, date lines)


def id_date(article: Article) -> str | None:
    """The date of a wire id: the article id, or its file name ("APW19981106.0520.txt")."""
    for name in (article.id, PurePath(article.path).name if article.path else ""):
        if not name:
            continue
        for candidate in (name, name.rsplit(".", 1)[0] if name.lower().endswith((".txt", ".html", ".htm",
                                                                                   ".json", ".sgml", ".xml"))
                          else ""):
            d = wire_id_date(candidate)
            if d:
                return d
    return None


def head_stamp(head: list[str]) -> str | None:
    """ISO date of the first publication stamp among the top lines (updated stamps skipped)."""
    for line in head[:_HEAD_LINES]:
        st = stamp_date(line)
        if st and st[0] == "published":
            return st[1]
    return None


def article_date(article: Article, found: dict, meta: dict, head: list[str]) -> str | None:
    """The article's date (ISO) from what the cleaner found; see the module docstring for the order.

    `found`: the header and line passes' metadata (`found["date"]`: a date line, never an updated stamp);
    `meta`: the HTML metadata (`meta["date"]`, already checked); `head`: the first non-blank raw lines."""
    if article.date:
        return article.date
    wire = id_date(article)
    near = as_date(wire)
    meta_date = parse_date(meta.get("date")) if meta.get("date") else None
    if meta_date:
        return meta_date
    for text_date in (head_stamp(head), found.get("date") or None, _dateline_date(article.text, near)):
        if text_date and _agrees(text_date, near):
            return text_date
    return wire


def _dateline_date(text: str, near: dt.date | None) -> str | None:
    found = dateline(text, near)
    return found[2] if found else None


def _agrees(text_date: str, near: dt.date | None) -> bool:
    if near is None:
        return True
    d = as_date(text_date)
    return d is not None and abs((d - near).days) <= _AGREE_DAYS


__all__ = ["article_date", "head_stamp", "id_date"]
