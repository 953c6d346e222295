"""Article dates and the timeline (issues 13 and 14): where a date comes from, what is never a date, relative
dates against each article's own date, the main event not moved by later articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsbrief.analysis.timeline import build_timeline, date_expressions, main_event_date
from newsbrief.readers import read_inputs
from newsbrief.segment import segment_article
from newsbrief.text.dates import dateline, find_dates, stamp_date, wire_id_date

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "us-iran-talks"

PAGE = """<html><head><title>US and Iran talk in Baghdad</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>US and Iran talk in Baghdad</h1>
<p>The ambassadors of the United States and Iran met in Baghdad on Monday, the first formal talks between the
two countries in nearly three decades, officials said.</p>
<p>The envoys spoke for four hours about security in Iraq and agreed to meet again within a month, according to
the Iraqi government, which hosted the meeting.</p></article>
<footer><p>© 2019 Example News Ltd. All rights reserved.</p></footer></body></html>"""


def _timeline(articles):
    sents = [s for a in articles for s in segment_article(a)]
    return build_timeline(articles, sents)


def _read(*items):
    articles, warnings = read_inputs(list(items))
    assert articles, warnings
    return articles


# ------------------------------------------------------------------------------ article dates

def test_copyright_footer_is_not_the_article_date():
    (a,) = _read(PAGE)
    assert a.date is None  # not 2019-01-01 from "© 2019"


def test_undated_monday_is_estimated_or_absent_never_31_december():
    (a,) = _read(PAGE)
    tl = _timeline([a])
    assert all(e.date != "2018-12-31" for e in tl)
    assert all(e.estimated for e in tl if e.kind != "background")
    # with a dated article beside it, its "Monday" is an estimate from that article's date, marked so
    dated = _read({"id": "b", "date": "2007-05-29", "text": "The US and Iranian envoys met in Baghdad on Monday "
                   "for four hours of talks on Iraq's security, the first such meeting in 27 years, officials said."})
    tl = _timeline([a, *dated])
    main = next(e for e in tl if e.main)
    assert main.date == "2007-05-28" and not main.estimated
    mine = [m for m in date_expressions([a, *dated], [s for x in (a, *dated) for s in segment_article(x)])
            if m.article == a.id]
    assert mine and all(m.estimated for m in mine if m.relative)


def test_published_metadata_beats_modified_and_updated_stamps_are_no_date():
    pub = PAGE.replace("<title>", '<meta property="article:published_time" content="2007-05-28T09:00:00Z">'
                       '<meta property="article:modified_time" content="2007-06-02T10:00:00Z"><title>')
    assert _read(pub)[0].date == "2007-05-28"
    modified_only = PAGE.replace("<title>", '<meta property="article:modified_time" content="2007-06-02"><title>')
    assert _read(modified_only)[0].date is None
    text = ("Updated: June 2, 2007\n\nThe ambassadors of the United States and Iran met in Baghdad on Monday, "
            "officials said, in the first formal talks in decades.")
    assert _read(text)[0].date is None
    posted = "Posted on May 28, 2007\n\n" + text.split("\n\n", 1)[1]
    assert _read(posted)[0].date == "2007-05-28"


def test_publication_stamps_and_datelines():
    assert stamp_date("posted at 10:01 pm on March 2, 2016 by John Sexton") == ("published", "2016-03-02")
    assert stamp_date("A woman heard noises. (Published Wednesday, July 26, 2017)") == ("published", "2017-07-26")
    assert stamp_date("Updated: June 2, 2007")[0] == "updated"
    assert stamp_date("© 2019 Example News") is None
    assert dateline("VIENNA, February 23 (Xinhua) -- At least eight", dt.date(1999, 2, 24))[2] == "1999-02-23"
    assert dateline("KUALA LUMPUR, April 24 (Xinhua) -- A total of", None)[2] is None  # no year: no guess


def test_duc_ids_give_dates():
    assert wire_id_date("APW19981106.0520") == "1998-11-06"
    assert wire_id_date("AFP_ENG_20050101.0001") == "2005-01-01"
    assert wire_id_date("000_a183c4428c7c4876") is None and wire_id_date("d3") is None
    row = {"id": "d30010t", "doc_ids": ["APW19981106.0520", "XIE19990224.0283", "NYT19981025.0188"], "documents": [
        "JERUSALEM (AP) _ A car bomb exploded Friday in a Jerusalem market crowded with shoppers, officials said.",
        "VIENNA, February 23 (Xinhua) -- At least eight people have been confirmed killed in two avalanches.",
        "AMHERST, N.Y. _ Dr. Barnett Slepian was killed by a sniper on Friday night at his home, police said.",
    ]}
    dates = {a.id: a.date for a in _read(row)}
    # the Xinhua dateline (a day before its id) is the day its "today" and weekdays mean
    assert dates == {"APW19981106.0520": "1998-11-06", "XIE19990224.0283": "1999-02-23",
                     "NYT19981025.0188": "1998-10-25"}
    tl = _timeline([a for a in _read(row) if a.id.startswith("APW")])
    assert tl and tl[0].date == "1998-11-06" and tl[0].main and not tl[0].estimated


# ------------------------------------------------------------------------------ the timeline

def test_explicit_date_beats_a_weekday_estimate():
    dated = {"id": "a", "date": "2007-07-24", "text": "The US and Iranian ambassadors met again in Baghdad on "
             "Tuesday for a second round of talks on Iraq's security, officials said."}
    undated = {"id": "b", "text": "The ambassadors of the United States and Iran met in Baghdad on Monday, May 28, "
               "2007, the first formal talks between the two countries in 27 years, officials said."}
    arts = _read(dated, undated)
    mine = [m for m in date_expressions(arts, [s for a in arts for s in segment_article(a)]) if m.article == "b"]
    assert [(m.text, m.date.isoformat(), m.estimated) for m in mine] == [
        ("on Monday, May 28, 2007", "2007-05-28", False)]  # never the Monday before 24 July
    tl = _timeline(arts)
    b = [e for e in tl if "b" in e.sources and e.kind != "background"]
    assert b and all(e.date == "2007-05-28" and not e.estimated for e in b)
    # without a year, the weekday names it: "Monday, May 28" is 2007 even near 2008
    (m,) = find_dates("on Monday, May 28", dt.date(2008, 3, 1))
    assert m.date == dt.date(2007, 5, 28)


def test_a_later_article_does_not_move_the_first_meeting():
    later = {"id": "005_july", "date": "2007-07-24", "source": "Wire", "text": (
        "BAGHDAD - The US and Iranian ambassadors held talks in Baghdad on Tuesday, officials said, after a "
        "meeting that lasted seven hours.\n\nRyan Crocker and Hassan Kazemi Qomi discussed security in Iraq.")}
    plain = _timeline(_read(SEEDS))
    arts = _read(SEEDS, later)
    tl = _timeline(arts)
    main = next(e for e in tl if e.main)
    before = next(e for e in plain if e.main)
    assert main.date == before.date == "2007-05-28"
    keys = {s[:3] for s in main.sources}
    assert {"000", "001", "002", "004"} <= keys and "005" not in keys and "003" not in keys
    assert not any(e.date.startswith("2007-07-2") and {"002", "004"} & {s[:3] for s in e.sources} for e in tl)
    july = next(e for e in tl if "005_july" in e.sources)
    assert july.date == "2007-07-24" and not july.main and not july.estimated
    second = next(e for e in tl if e.kind == "later event")
    assert second.sources[0].startswith("003") and second.date > main.date


def test_main_event_is_the_earliest_well_supported_day():
    d = dt.date
    votes = {d(1998, 11, 24): {"a": (1.0, None), "b": (1.0, None), "c": (1.0, None)},  # the inauguration
             d(1998, 12, 5): {"d": (1.0, None), "e": (1.0, None), "f": (1.0, None)},  # the first flight
             d(1998, 12, 30): {"g": (1.0, None)}}
    assert main_event_date(votes) == d(1998, 11, 24)
    # a day one source gives does not beat one that two give; estimates count only when nothing else dates it
    assert main_event_date({d(2000, 1, 1): {"a": (1.0, None)}, d(2000, 2, 1): {"b": (1.0, None), "c": (1.0, None)}}) \
        == d(2000, 2, 1)
    assert main_event_date({d(2000, 1, 1): {"a": (0.25, None), "b": (0.25, None)}, d(2000, 2, 1): {"c": (1.0, None)}}) \
        == d(2000, 2, 1)


def test_relative_expressions():
    friday = dt.date(1998, 11, 6)
    got = {m.text: (m.date.isoformat(), m.precision) for m in find_dates(
        "Last Thursday, an assailant tried; the accord was signed two weeks ago. Last month, grenades. The blast "
        "Friday morning. In an interview published Saturday. It will reopen Monday. Three years ago, in 1995.",
        friday)}
    assert got["Last Thursday"] == ("1998-10-29", "day")  # said on a Friday: the week before, not yesterday
    assert got["two weeks ago"] == ("1998-10-23", "day")
    assert got["Last month"] == ("1998-10-01", "month")
    assert got["Friday morning"] == ("1998-11-06", "day")  # "blast" is no "last"
    assert got["Saturday"] == ("1998-10-31", "day")
    assert got["Monday"] == ("1998-11-09", "day")  # "will reopen Monday": forward
    assert got["Three years ago"] == ("1995-01-01", "year") and got["1995"] == ("1995-01-01", "year")
    wed = dt.date(1999, 2, 24)
    week = {m.text: (m.date.isoformat(), m.precision) for m in find_dates("last week and since last weekend", wed)}
    assert week == {"last week": ("1999-02-01", "month"), "last weekend": ("1999-02-01", "month")}
    assert [m.text for m in find_dates("at 1900 GMT, 2000 people and Flight 1999 left", wed)] == []
    assert find_dates("on Dec. 31", dt.date(1999, 1, 2))[0].date == dt.date(1998, 12, 31)  # the nearest year
