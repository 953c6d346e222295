"""Dates and events: relative dates resolved against the article date, and articles about a later
event told apart from the main one.

- "Monday" in an article dated Tuesday 29 May 2007 -> Monday 28 May 2007; "yesterday", "today",
  "N days/weeks ago", "May 28", "28 May 2007" are resolved too. An undated article borrows the latest
  date of the cluster as its anchor, and the dates it gives are marked `estimated`.
- An article whose lead says the event is a later one ("the second direct meeting", "since the last
  meeting in May", "in the two months since the talks began") becomes a separate, later entry, dated
  from the main event plus the stated interval when there is one (estimated), never blended into the
  main event.
- Background: explicit years before the story ("severed diplomatic ties in 1980") reported by at
  least two sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from newsbrief.analysis._text import span
from newsbrief.text.dates import MONTH_NAMES, add_months, as_date, date_mentions, month_pattern, resolve
from newsbrief.text.numbers import words_to_number

_MONTH_RE = month_pattern(capitalised=True) + r"\.?"
_LATER = re.compile(
    r"\b(?P<ord>second|third|fourth|fifth|latest|another|new|follow-up|next)\s+(?:(?:round|[a-z-]+)\s+){0,3}?"
    r"(?:of\s+)?(?P<noun>meeting|talks|round|session|summit|visit|conference|negotiations|encounter|hearing|trial|vote)\b"
    r"|\bsince\s+the\s+(?:last|previous|first)\s+(?:meeting|talks|round|session|summit)\s+in\s+(?P<mon>" + _MONTH_RE + r")"
    r"|\b(?:in\s+)?the\s+(?P<n>\w+)\s+(?P<u>weeks|months|years)\s+since\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|since|of|by)\s+(?:the\s+)?(?P<y>1[6-9]\d\d|20\d\d)\b(?!\s*(?:people|troops|km|years))")


def _label(d: dt.date, precision: str) -> str:
    if precision == "day":
        return f"{d.day} {MONTH_NAMES[d.month - 1].capitalize()} {d.year}"
    if precision == "month":
        return f"{MONTH_NAMES[d.month - 1].capitalize()} {d.year}"
    return str(d.year)


def build_timeline(articles, sentences, max_background: int = 3) -> list[dict]:
    order = [a.id for a in articles]
    texts = {a.id: a.text for a in articles}
    dates = {a.id: as_date(a.date) for a in articles}
    known = [d for d in dates.values() if d]
    fallback = max(known) if known else None
    by_article = defaultdict(list)
    for s in sentences:
        by_article[s.article].append(s)
    info = {}
    for a in articles:
        sents = sorted(by_article.get(a.id, []), key=lambda s: s.start)
        if not sents:
            continue
        anchor, estimated = dates[a.id], False
        if anchor is None:
            anchor, estimated = fallback, True
        lead = sents[:3]
        later = None
        for s in lead:
            m = _LATER.search(s.text)
            if m:
                later = (s, m)
                break
        found = []
        for s in lead:
            for m in date_mentions(s.text):
                if m.group("my") and not m.group("y3") and later:
                    continue  # "since the last meeting in May": the earlier event, not this one
                r = resolve(m, anchor)
                if r:
                    found.append((r, s, m))
        info[a.id] = {"anchor": anchor, "estimated": estimated, "later": later, "found": found, "lead": lead}

    # ---- main events: articles not marked as a later event, grouped by their lead date
    groups: dict[dt.date, list] = defaultdict(list)
    for aid, inf in info.items():
        if inf["later"]:
            continue
        day = [(r, s, m) for r, s, m in inf["found"] if r[1] == "day"]
        if day:
            (d, prec), s, m = day[0]
            groups[d].append((aid, s, m, inf["estimated"] or not dates[aid], f"'{m.group(0)}'"))
        elif dates[aid]:
            groups[dates[aid]].append((aid, inf["lead"][0], None, False, "article date"))
    # merge an estimated-only group into a neighbouring real one is not needed: dates are exact or absent
    entries = []
    for d, members in groups.items():
        members.sort(key=lambda x: order.index(x[0]))
        desc_sent = min(members, key=lambda x: (x[2] is None, order.index(x[0]), x[1].start))[1]
        entries.append({
            "date": d.isoformat(),
            "label": _label(d, "day"),
            "precision": "day",
            "estimated": all(x[3] for x in members),
            "kind": "event",
            "event": _shorten(desc_sent.text),
            "sources": sorted({x[0] for x in members}, key=order.index),
            "citations": [span(x[0], texts[x[0]], x[1].start + x[2].start(), x[1].start + x[2].end()) if x[2]
                          else span(x[0], texts[x[0]], x[1].start, x[1].end) for x in members],
            "basis": "; ".join(sorted({x[4] for x in members})),
        })
    # a single article's lead dated long before the cluster (a photo caption, a background paragraph): not an event
    if known:
        latest = max(known)
        entries = [e for e in entries if len(e["sources"]) > 1 or (latest - as_date(e["date"])).days <= 366]
    main = max(entries, key=lambda e: (len(e["sources"]), -int(e["estimated"])), default=None)

    # ---- later events
    for aid, inf in info.items():
        if not inf["later"]:
            continue
        s, m = inf["later"]
        base = as_date(main["date"]) if main else None
        d, prec, est, basis = None, "month", True, ""
        # an interval "in the two months since" dates it from the main event
        for s2 in inf["lead"]:
            mi = re.search(r"\b(?:in\s+)?the\s+(\w+)\s+(weeks|months)\s+since\b", s2.text, re.I)
            if mi and base:
                n = words_to_number(mi.group(1)) or 0
                if n:
                    d = add_months(base, int(n)) if mi.group(2).lower() == "months" else base + dt.timedelta(weeks=int(n))
                    basis = f"'{mi.group(0)}' after {main['label']}"
                    break
        if d is None:
            own = [(r, s2, m2) for r, s2, m2 in inf["found"]]
            if own:
                (d, prec), _, m2 = own[0]
                est = inf["estimated"]
                basis = f"'{m2.group(0)}'"
            elif base:
                d, prec, basis = base, "after", f"'{m.group(0)}': later than {main['label']}"
        if d is None:
            continue
        ordinal = (m.group("ord") or "").lower()
        entries.append({
            "date": d.isoformat(),
            "label": ("about " + _label(d, prec)) if prec in ("month", "day") and est else (
                "after " + main["label"] if prec == "after" else _label(d, prec)),
            "precision": "month" if prec == "after" else prec,
            "estimated": est,
            "kind": "later event",
            "ordinal": ordinal or None,
            "event": _shorten(s.text),
            "sources": [aid],
            "citations": [span(aid, texts[aid], s.start + m.start(), s.start + m.end())],
            "basis": basis,
        })
        if prec == "after":
            entries[-1]["date"] = (d + dt.timedelta(days=1)).isoformat()

    # ---- background: explicit years before the story, carried by two or more sources
    if main:
        start_year = as_date(main["date"]).year
        years = defaultdict(list)
        for s in sentences:
            if s.article not in info:
                continue
            for m in _YEAR.finditer(s.text):
                y = int(m.group("y"))
                if y < start_year:
                    years[y].append((s, m))
        bg = []
        for y, hits in years.items():
            srcs = sorted({s.article for s, _ in hits}, key=order.index)
            if len(srcs) < 2:
                continue
            seen, cites = set(), []
            for s, m in hits:
                if s.article in seen:
                    continue
                seen.add(s.article)
                cites.append(span(s.article, texts[s.article], s.start + m.start("y"), s.start + m.end("y")))
            best = Counter(_clause(s.text, m) for s, m in hits).most_common(1)[0][0]
            bg.append({
                "date": f"{y}-01-01", "label": str(y), "precision": "year", "estimated": False,
                "kind": "background", "event": best, "sources": srcs, "citations": cites,
                "basis": "explicit year",
            })
        bg.sort(key=lambda e: -len(e["sources"]))
        entries.extend(bg[:max_background])
    entries.sort(key=lambda e: (e["date"], e["kind"] != "background"))
    return entries


def _clause(text: str, m: re.Match) -> str:
    """The clause around a year mention, for the background entry's description."""
    start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start()))
    end_c = text.find(",", m.end())
    end = end_c if end_c > 0 else len(text)
    piece = text[start + 1:end].strip() if start > 0 and m.start() - start < 120 else text[:end].strip()
    return _shorten(piece)


def _shorten(text: str, words: int = 32) -> str:
    w = text.split()
    return text if len(w) <= words else " ".join(w[:words]) + " …"
