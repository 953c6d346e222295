"""The timeline: dated events from the articles' dates and the dates in their leads.

- Every date expression is resolved against its OWN article's date (`newsbrief.text.dates.find_dates`):
  "Monday" in an article dated Tuesday 29 May 2007 is 28 May 2007; "May 28", "Oct. 3, 1998", "last
  week", "two weeks ago", "earlier this month" too. An undated article's relative dates are estimates
  (marked `estimated`), against its own dated captions ("Tuesday, Oct. 30, 2012") or else the middle date
  of the cluster's dated articles, never its latest one: a later article does not move the others.
  With no date to go on they are left out. A date written out ("May 28, 2007", "Monday, May 28") is
  explicit, and beats any estimate.
- The main event: of the days the leads give (each source counts once: 1 for an exact date, half for a
  written day whose year is estimated or for the article date of a lead without a day, a quarter for an
  estimate), the earliest well supported one (`main_event_date`). Later articles add their own entries;
  they do not move it.
- Other dated developments in the leads (statements on later days, an earlier incident) are entries
  of their own (`kind` "event", not `main`), the best supported first.
- An article whose lead says it reports a separate later event ("the second direct meeting", "since the
  last meeting in May", "in the two months since the talks began") becomes a "later event" entry, dated
  by its own date when it has one, else from the main event plus the stated interval (estimated), never
  blended into the main event; the summary leaves it out (`select.later_event_articles`).
- Background: explicit years before the story ("severed diplomatic ties in 1980") from two sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median_low

from newsbrief.model import Sentence, Span, TimelineEntry
from newsbrief.text.dates import (
    MONTH_NAMES,
    WEEKDAYS,
    add_months,
    as_date,
    dateline,
    find_dates,
    month_pattern,
)
from newsbrief.text.numbers import words_to_number
from newsbrief.text.wordlists import STOP_WORDS

LEAD = 3  # sentences of an article that say what it reports
MAX_OTHER = 6  # dated developments besides the main event
TOPIC_DF = 0.25  # a story word is in the leads of this share of the articles (two at least)
_CONTENT = re.compile(r"[a-z][a-z'-]{3,}")
_MONTH_RE = month_pattern(capitalised=True) + r"\.?"
_LATER = re.compile(
    r"\b(?P<ord>second|third|fourth|fifth|latest|another|new|follow-up|next)\s+(?:(?:round|[a-z-]+)\s+){0,3}?"
    r"(?:of\s+)?(?P<noun>meeting|talks|round|session|summit|visit|conference|negotiations|encounter|hearing|"
    r"trial|vote)\b"
    r"|\bsince\s+the\s+(?:last|previous|first)\s+(?:meeting|talks|round|session|summit)\s+in\s+(?P<mon>"
    + _MONTH_RE + r")"
    r"|\b(?:in\s+)?the\s+(?P<n>\w+)\s+(?P<u>weeks|months|years)\s+since\b",
    re.I,
)
_INTERVAL = re.compile(r"\b(?:in\s+)?the\s+(\w+)\s+(weeks|months)\s+since\b", re.I)
_SINCE_LAST = re.compile(r"\bsince\s+the\s+(?:last|previous|first)\s+\w+(?:\s+\w+)?\s+in\s+$", re.I)
_HAS_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_YEAR = re.compile(r"\b(?:in|since|of|by)\s+(?:the\s+)?(?P<y>1[6-9]\d\d|20\d\d)\b(?!\s*(?:people|troops|km|years))")


@dataclass
class DatedMention:
    """A date expression of one article as the timeline reads it (offsets into `Article.text`)."""

    article: str
    start: int
    end: int
    text: str
    date: dt.date
    precision: str  # day, month, year
    estimated: bool  # resolved against an estimated article date
    relative: bool
    kind: str  # date, weekday, day, ago, week, month, year (newsbrief.text.dates.DateMention)
    lead: bool = False  # in the article's first LEAD sentences
    own_dateline: bool = False  # the article's dateline ("PARIS, February 20 (Xinhua)")
    sentence: Sentence | None = None  # the sentence holding it
    first_in_sentence: bool = False  # the first date of its sentence (the dateline aside)


def _label(d: dt.date, precision: str) -> str:
    if precision == "day":
        return f"{d.day} {MONTH_NAMES[d.month - 1].capitalize()} {d.year}"
    if precision == "month":
        return f"{MONTH_NAMES[d.month - 1].capitalize()} {d.year}"
    return str(d.year)


def _cite(aid: str, text: str, start: int, end: int) -> Span:
    return Span.of(aid, text, start, end)


# ------------------------------------------------------------------------------------------ anchors

def _caption_dates(text: str, captions: list[str]) -> list[dt.date]:
    """Full dates of the page's own making: written with their weekday and year in the text ("Tuesday, Oct.
    30, 2012"), or with their year in a photo caption the cleaner removed: the day the page was made or
    shortly before."""
    out = []
    for piece, need_weekday in ((text, True), *((c, False) for c in captions)):
        if not _HAS_YEAR.search(piece):
            continue
        for m in find_dates(piece, None):
            if m.kind == "date" and m.explicit_year and m.precision == "day":
                head = m.text.split(",")[0].split()[-1].lower() if "," in m.text else ""
                if not need_weekday or (head in WEEKDAYS and WEEKDAYS[head] == m.date.weekday()):
                    out.append(m.date)
    return out


def article_anchors(articles, later: set[str] | None = None) -> dict[str, tuple[dt.date | None, bool]]:
    """article id -> (the date its relative dates are resolved against, estimated?).

    A dated article: its date. An undated one: an estimate, from its own dated captions, else the middle
    (lower median) date of the dated articles not reporting a later event, else the latest dated caption
    of the cluster; None when nothing in the cluster gives a full date."""
    later = later or set()
    dates = {a.id: as_date(a.date) for a in articles}
    main_dated = sorted(d for aid, d in dates.items() if d and aid not in later)
    all_dated = sorted(d for d in dates.values() if d)
    cluster = median_low(main_dated) if main_dated else median_low(all_dated) if all_dated else None
    captions: dict[str, list[dt.date]] = {}
    if any(d is None for d in dates.values()):
        captions = {a.id: _caption_dates(a.text, [r.text for r in a.removed if "caption" in r.reason])
                    for a in articles if dates[a.id] is None}
    if cluster is None:
        every = [d for ds in captions.values() for d in ds]
        cluster = max(every) if every else None
    out: dict[str, tuple[dt.date | None, bool]] = {}
    for a in articles:
        if dates[a.id]:
            out[a.id] = (dates[a.id], False)
        elif captions.get(a.id):
            out[a.id] = (max(captions[a.id]), True)
        else:
            out[a.id] = (cluster, True)
    return out


def _leads(articles, sentences) -> dict[str, list]:
    by_article = defaultdict(list)
    for s in sentences:
        by_article[s.article].append(s)
    return {a.id: sorted(by_article.get(a.id, []), key=lambda s: s.start) for a in articles}


def _later_cues(leads: dict[str, list]) -> dict[str, tuple]:
    out = {}
    for aid, sents in leads.items():
        for s in sents[:LEAD]:
            m = _LATER.search(s.text)
            if m:
                out[aid] = (s, m)
                break
    return out


def date_expressions(articles, sentences, anchors=None, leads=None, lead_only: bool = False) -> list[DatedMention]:
    """Every date expression of the articles, resolved against each article's own date (or its estimate).
    `lead_only`: only those in the first LEAD sentences."""
    leads = leads if leads is not None else _leads(articles, sentences)
    if anchors is None:
        anchors = article_anchors(articles, set(_later_cues(leads)))
    out: list[DatedMention] = []
    for a in articles:
        sents = leads.get(a.id, [])
        if not sents:
            continue
        anchor, estimated = anchors.get(a.id, (None, True))
        lead_end = sents[min(LEAD, len(sents)) - 1].end
        text = a.text[:lead_end] if lead_only else a.text
        dl = dateline(a.text[:600], anchor)
        starts = [s.start for s in sents]
        seen_sentences: set[int] = set()
        for m in find_dates(text, anchor):
            i = _sentence_index(starts, m.start)
            is_dateline = bool(dl and dl[0] <= m.start < dl[1] + 1)
            first = i is not None and i not in seen_sentences and not is_dateline
            if first and i is not None:
                seen_sentences.add(i)
            est = estimated and (m.relative or not m.explicit_year)
            if est and m.kind == "date" and "," in m.text:  # "Monday, May 28": the weekday pins the year
                head = m.text.split(",")[0].split()[-1].lower()
                est = not (head in WEEKDAYS and WEEKDAYS[head] == m.date.weekday())
            out.append(DatedMention(
                article=a.id, start=m.start, end=m.end, text=m.text, date=m.date, precision=m.precision,
                estimated=est, relative=m.relative, kind=m.kind, lead=m.start < lead_end,
                own_dateline=is_dateline, sentence=sents[i] if i is not None else None, first_in_sentence=first,
            ))
    return out


def _sentence_index(starts: list[int], pos: int) -> int | None:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1 if lo else None


# ------------------------------------------------------------------------------------------ the timeline

def build_timeline(articles, sentences, max_background: int = 3) -> list[TimelineEntry]:
    order = {a.id: i for i, a in enumerate(articles)}
    texts = {a.id: a.text for a in articles}
    dates = {a.id: as_date(a.date) for a in articles}
    leads = _leads(articles, sentences)
    cues = _later_cues(leads)
    anchors = article_anchors(articles, set(cues))
    mentions = [m for m in date_expressions(articles, sentences, anchors, leads, lead_only=True) if m.lead]
    by_art: dict[str, list[DatedMention]] = defaultdict(list)
    for m in mentions:
        if m.sentence is None:
            continue
        before = m.sentence.text[:m.start - m.sentence.start]
        if m.article in cues and m.precision != "day" and _SINCE_LAST.search(before):
            continue  # "since the last meeting in May": the earlier event, not this one
        by_art[m.article].append(m)

    # ---- votes: each article for the days its lead gives (see the module docstring for the weights)
    votes: dict[dt.date, dict[str, tuple[float, DatedMention | None]]] = defaultdict(dict)
    for a in articles:
        if a.id in cues or not leads.get(a.id):
            continue
        days = [m for m in by_art.get(a.id, []) if m.precision == "day" and not m.own_dateline]
        for m in days:
            w = 1.0 if not m.estimated else 0.5 if m.kind == "date" else 0.25  # a written day, its year estimated
            if w > votes[m.date].get(a.id, (0.0, None))[0]:
                votes[m.date][a.id] = (w, m)
        own = dates[a.id]
        if not days and own is not None:
            votes[own].setdefault(a.id, (0.5, None))
    entries: list[TimelineEntry] = []
    main_date = main_event_date(votes)
    if main_date is not None:
        topic = _topic_words(leads)
        exact = {d: v for d, v in votes.items() if any(w > 0.25 for w, _ in v.values())}
        pool = exact or votes
        # other developments: on the story (two of its words in a lead sentence); in a cluster of five articles
        # or more, two sources, or one that reports the day it is dated ("held talks on Tuesday"); the best
        # supported first
        def reported(d):
            return len(pool[d]) >= 2 or len(leads) < 5 or any(
                m is not None and m.first_in_sentence and m.date == dates[a] for a, (_, m) in pool[d].items())

        others = [d for d in pool if d != main_date and reported(d) and max(
            _topicality(_sentence(v, a, leads).text, topic) for a, v in pool[d].items()) >= 2]
        ranked = sorted(others, key=lambda d: (-len(pool[d]), -sum(w for w, _ in pool[d].values()), d))
        for d in [main_date] + ranked[:MAX_OTHER]:
            entries.append(_day_entry(d, votes[d], texts, leads, order, topic, main=d == main_date))
    main = entries[0] if entries else None

    # ---- later events: articles whose lead says so
    for aid, (s, m) in cues.items():
        entry = _later_entry(aid, s, m, main, by_art.get(aid, []), texts, leads[aid])
        if entry is not None:
            entries.append(entry)

    # ---- background: explicit years before the story, carried by two or more sources
    if main_date is not None:
        entries.extend(_background(sentences, set(leads), main_date.year, texts, order, max_background))
    entries.sort(key=lambda e: (e.date, e.kind == "background" and -1 or 0, not e.main))
    return entries


SUPPORT = 0.6  # a date this well supported (share of the best one's score) and earlier is the main event


def main_event_date(votes: dict[dt.date, dict[str, tuple[float, DatedMention | None]]]) -> dt.date | None:
    """The main event's day: of the days well supported (two sources or more when any day has two, and a
    score of at least SUPPORT times the best one's), the earliest: a story's later articles report
    what followed it, and the main event is where it starts. Exact dates first: estimates only count
    when nothing else dates the story."""
    exact = {d: v for d, v in votes.items() if any(w > 0.25 for w, _ in v.values())}
    pool = exact or votes
    if not pool:
        return None
    score = {d: sum(w for w, _ in v.values()) for d, v in pool.items()}
    if max(len(v) for v in pool.values()) >= 2:
        score = {d: x for d, x in score.items() if len(pool[d]) >= 2}
    best = max(score.values())
    return min(d for d, x in score.items() if x >= SUPPORT * best)


def _topic_words(leads: dict[str, list]) -> set[str]:
    """The story's words: content words in the leads of at least TOPIC_DF of the articles (two at least)."""
    df: Counter = Counter()
    for sents in leads.values():
        df.update({w for s in sents[:LEAD] for w in _CONTENT.findall(s.text.lower()) if w not in STOP_WORDS})
    need = max(2, TOPIC_DF * len(leads))
    return {w for w, n in df.items() if n >= need}


def _topicality(text: str, topic: set[str]) -> int:
    return len({w for w in _CONTENT.findall(text.lower()) if w in topic})


def _sentence(vote: tuple[float, DatedMention | None], aid: str, leads):
    m = vote[1]
    return m.sentence if m is not None and m.sentence is not None else leads[aid][0]


def _estimated(m: DatedMention | None) -> bool:
    return m is not None and m.estimated


def _day_entry(d: dt.date, members: dict[str, tuple[float, DatedMention | None]], texts, leads, order, topic,
               main: bool) -> TimelineEntry:
    aids = sorted(members, key=order.__getitem__)
    # the description: the best-dated source's sentence that says most about the story (not a bare date line)
    def rank(a):
        m, sent = members[a][1], _sentence(members[a], a, leads)
        leading = m is None or m.first_in_sentence  # the sentence is about this date, not another one
        return (-members[a][0], not leading, -min(_topicality(sent.text, topic), 4), len(sent.text.split()) < 8,
                order[a])

    best = min(aids, key=rank)
    sentence = _sentence(members[best], best, leads)
    cites = []
    for a in aids:
        mm = members[a][1]
        if mm is not None:
            cites.append(_cite(a, texts[a], mm.start, mm.end))
        else:
            s0 = leads[a][0]
            cites.append(_cite(a, texts[a], s0.start, s0.end))
    said: dict[str, list[float]] = defaultdict(list)  # how each source dates it, the exact ways first
    for a in aids:
        w, mm = members[a]
        said[f"'{mm.text}'" if mm is not None else "article date"].append(w)
    ways = []
    for how, ws in sorted(said.items(), key=lambda kv: (-max(kv[1]), -len(kv[1])))[:4]:
        notes = ([f"{len(ws)} articles"] if len(ws) > 1 else []) + (["estimated"] if max(ws) <= 0.25 else [])
        ways.append(how + (f" ({', '.join(notes)})" if notes else ""))
    basis = "; ".join(ways)
    estimated = all(_estimated(members[a][1]) for a in aids)  # an article date alone is no estimate
    approximate = all(members[a][0] <= 0.25 for a in aids)  # no source writes the day out
    return TimelineEntry(
        date=d.isoformat(), label=("about " if approximate else "") + _label(d, "day"),
        precision="day", estimated=estimated, kind="event", event=_shorten(sentence.text), sources=aids,
        citations=cites, basis=basis, main=main,
    )


def _later_entry(aid, s, m, main: TimelineEntry | None, own: list[DatedMention], texts, lead):
    base = as_date(main.date) if main else None
    main_label = main.label if main else ""
    d, prec, est, basis = None, "month", True, ""
    own_days = [x for x in own if x.precision == "day" and not x.own_dateline and (base is None or x.date > base)]
    if own_days and not own_days[0].estimated:  # its own exact date
        x = own_days[0]
        d, prec, est, basis = x.date, "day", False, f"'{x.text}'"
    if d is None and base is not None:
        for s2 in lead[:LEAD]:
            mi = _INTERVAL.search(s2.text)
            if mi:
                n = words_to_number(mi.group(1)) or 0
                if n:
                    months = mi.group(2).lower() == "months"
                    d = add_months(base, int(n)) if months else base + dt.timedelta(weeks=int(n))
                    basis = f"'{mi.group(0)}' after {main_label}"
                    break
    if d is None:
        later_own = [x for x in own if base is None or x.date > base]
        if later_own:
            x = later_own[0]
            d, prec, est, basis = x.date, x.precision, x.estimated, f"'{x.text}'"
        elif base is not None:
            d, prec, basis = base + dt.timedelta(days=1), "after", f"'{m.group(0)}': later than {main_label}"
    if d is None:
        return None
    if prec == "after":
        label = "after " + main_label
    elif est and prec in ("month", "day"):
        label = "about " + _label(d, prec)
    else:
        label = _label(d, prec)
    return TimelineEntry(
        date=d.isoformat(), label=label, precision="month" if prec == "after" else prec, estimated=est,
        kind="later event", event=_shorten(s.text), sources=[aid],
        citations=[_cite(aid, texts[aid], s.start + m.start(), s.start + m.end())], basis=basis,
        ordinal=(m.group("ord") or "").lower() or None,
    )


def _background(sentences, ids, start_year, texts, order, max_background) -> list[TimelineEntry]:
    years = defaultdict(list)
    for s in sentences:
        if s.article not in ids:
            continue
        for m in _YEAR.finditer(s.text):
            y = int(m.group("y"))
            if y < start_year:
                years[y].append((s, m))
    bg = []
    for y, hits in years.items():
        srcs = sorted({s.article for s, _ in hits}, key=order.__getitem__)
        if len(srcs) < 2:
            continue
        seen, cites = set(), []
        for s, m in hits:
            if s.article in seen:
                continue
            seen.add(s.article)
            cites.append(_cite(s.article, texts[s.article], s.start + m.start("y"), s.start + m.end("y")))
        best = Counter(_clause(s.text, m) for s, m in hits).most_common(1)[0][0]
        bg.append(TimelineEntry(date=f"{y}-01-01", label=str(y), precision="year", estimated=False, kind="background",
                                event=best, sources=srcs, citations=cites, basis="explicit year"))
    bg.sort(key=lambda e: -len(e.sources))
    return bg[:max_background]


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


__all__ = ["DatedMention", "article_anchors", "build_timeline", "date_expressions"]
