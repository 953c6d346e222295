"""Cleaning: seeds, generic noise classes, accounting of every raw line, format, speed, benchmark data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsbrief.clean import clean_article, normalize_line
from newsbrief.model import Article
from newsbrief.readers import read_inputs
from newsbrief.text.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "us-iran-talks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = ROOT.parent / "shared" / "data"

NOISE = [
    "هیچ نظری",
    "Post a Comment",
    "Labels:",
    "Exit mobile version",
    "<< Home",
    "151.jpg",
    "Check Also",
    "Starmer",
    "As exiled activists",
    "0 Comments",
]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, warnings = read_inputs([SEEDS])
    assert warnings == []
    return {a.id[:3]: a for a in articles}


def _norm(s: str) -> str:
    return " ".join(normalize_line(s).split())


def assert_accounted(article: Article, body: str | None = None) -> None:
    """Every non-blank raw line is in the cleaned text or in a removal (pieces split off included)."""
    text = _norm(article.text.replace("\n", " "))
    removed = [_norm(r.text) for r in article.removed]
    for raw_line in (body if body is not None else article.raw).splitlines():
        line = _norm(raw_line)
        if not line or line in removed or line in text:
            continue
        pieces = [line]
        for r in sorted(removed, key=len, reverse=True):  # split off every removed piece it contains
            if r:
                pieces = [q for p in pieces for q in p.split(r)]
        leftover = [p.strip() for p in pieces if p.strip()]
        assert all(p in text for p in leftover), f"{article.id}: raw line lost: {line!r} (left: {leftover})"


def test_seed_noise_is_removed_and_reported(seeds):
    texts = [a.text for a in seeds.values()]
    removed = [r.text for a in seeds.values() for r in a.removed]
    for needle in NOISE:
        assert not any(needle in t for t in texts), needle
        assert any(needle in r for r in removed), needle


def test_seed_repeated_paragraphs_kept_once(seeds):
    a0, a1 = seeds["000"], seeds["001"]
    for needle in [
        "Crocker earlier pointed out that further meetings were not necessarily",
        "Crocker, for his part, reiterated US accusations",
        "we have offered all forms of assistance",
    ]:
        assert a0.raw.count(needle) == 2 and a0.text.count(needle) == 1, needle
    for needle in [
        "The meeting marked a shift in the US policy",
        "He said there was broad agreement between both sides",
    ]:
        assert a1.raw.count(needle) == 2 and a1.text.count(needle) == 1, needle
    assert sum(r.reason == "repeated paragraph" for r in a0.removed) == 6
    assert sum(r.reason == "repeated paragraph" for r in a1.removed) == 5


def test_seed_metadata(seeds):
    assert seeds["000"].title == "Iran offers to train Iraqi forces"
    assert seeds["000"].date == "2007-05-28"
    assert seeds["001"].date == "2007-05-29"
    assert seeds["001"].title.startswith("U.S. urges Iran to stop supporting militias")
    assert seeds["002"].title == "US and Iran trade blame over Iraq chaos"
    assert seeds["002"].source == "NCRI"
    assert seeds["004"].text.startswith("Bush regimes’ puppet")
    for a in seeds.values():
        assert a.language == "en"
        assert a.title not in a.text
    reasons = {r.text: r.reason for r in seeds["000"].removed}
    assert reasons["Iran offers to train Iraqi forces"] == "headline (metadata)"
    assert reasons["Mon, 28 May 2007"] == "date (metadata)"
    assert "site name" in {r.text: r.reason for r in seeds["002"].removed}["NCRI"]


def test_seed_headings_and_captions(seeds):
    a = seeds["003"]
    headings = {r.text for r in a.removed if r.reason == "heading/caption (not a sentence)"}
    assert {"US 'mistakes'", "Seeking support", "Hassan Kazemi Qomi, the Iranian ambassador to Iraq"} <= headings
    assert "Seeking support" not in a.text
    assert "Hassan Kazemi Qomi, the Iranian ambassador countered Crocker's remarks" in a.text
    assert "Hassan Kazemi Qomi, the Iranian ambassador to Iraq" not in a.text


def test_seed_teaser_block_and_reasons(seeds):
    reasons = {r.text: r.reason for r in seeds["004"].removed}
    assert reasons["151.jpg"] == "image file name"
    assert "Check Also" in reasons["Check Also"]
    assert any("teaser after 'Check Also'" == reasons[t] for t in reasons if t.startswith("Starmer"))
    assert seeds["004"].text.endswith("This is just the beginning of the process.”")
    r000 = {r.text: r.reason for r in seeds["000"].removed}
    assert r000["ارسال یک نظر"] == "not in the article's language"


def test_seed_every_raw_line_accounted(seeds):
    for a in seeds.values():
        assert_accounted(a)


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_text_format(seeds, key):
    t = seeds[key].text
    assert t == t.strip() and t
    assert "\n\n\n" not in t
    for p in t.split("\n\n"):
        assert p and "\n" not in p and p == p.strip()
        assert "  " not in p


def test_generic_noise_classes():
    """Other strings of the same noise classes as the seeds (not the seed strings themselves)."""
    a = read_inputs([FIXTURES / "noisy_blog.txt"])[0][0]
    assert a.title == "Port workers end strike after pay deal"
    assert a.source == "Daily Ledger" and a.date == "2024-03-12"
    reasons = {r.text: r.reason for r in a.removed}
    expected = {
        "Advertisement": "advertisement",
        "IMG_2044.JPEG": "image file name",
        "Media playback is unsupported on your device": "media",
        "Share this article": "share",
        "Tags: ports, strikes, labour": "tags/labels",
        "Главные новости дня читайте на нашем сайте": "language",
        "12 comments": "comment",
        "Leave a reply": "comment",
        "Why house prices keep rising": "teaser after",
    }
    for text, reason in expected.items():
        assert reason in reasons[text], (text, reasons.get(text))
        assert text not in a.text
    assert a.text.startswith("Dock workers at the city's main container port returned to work on Wednesday after union leaders accepted a revised pay offer")
    assert a.text.count("The strike, which lasted nine days") == 1
    assert "\nShipping companies said it would take" in a.text
    assert_accounted(a)


def test_wrapped_lines_joined_and_sentence_lines_split():
    raw = (
        "The committee met for six hours on Friday and agreed a plan that\n"
        "will cut emissions from the city's bus fleet by half before the end of\n"
        "the decade, officials said.\n"
        "The first electric buses arrive in May.\n"
        "Critics said the plan was too slow.\n"
    )
    a = clean_article(Article(id="w", raw=raw))
    assert a.paragraphs == [
        "The committee met for six hours on Friday and agreed a plan that will cut emissions from the "
        "city's bus fleet by half before the end of the decade, officials said.",
        "The first electric buses arrive in May.",
        "Critics said the plan was too slow.",
    ]
    assert a.removed == []


def test_repeated_sentence_inside_paragraph():
    raw = (
        "Officials confirmed that the new bridge will open to traffic in June. Drivers will pay a toll of two dollars.\n\n"
        "Construction began three years ago. Officials confirmed that the new bridge will open to traffic "
        "in June. The cost rose by a third."
    )
    a = clean_article(Article(id="r", raw=raw))
    assert a.text.count("will open to traffic in June") == 1
    assert "Construction began three years ago. The cost rose by a third." in a.text
    assert [r.reason for r in a.removed] == ["repeated sentence"]


def test_teaser_block_mid_article_stops_at_real_text():
    raw = (
        "The port reopened on Monday after a nine-day strike, the operator said.\n\n"
        "Related\n\n"
        "Strike talks collapse again\n\n"
        "Dock workers said they were glad to be back.\n\n"
        "Shipping lines expect delays to last into next week as the backlog of containers is cleared, and some "
        "importers have already diverted cargo to smaller ports along the coast while the queue of ships waiting "
        "at anchor slowly shrinks.\n\n"
        "Read more:\n\n"
        "Five charts that explain the strike\n\n"
        "Why the port matters. And what comes next."
    )
    a = clean_article(Article(id="t", raw=raw))
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons["Strike talks collapse again"] == "teaser after 'Related'"
    assert "Dock workers said they were glad to be back." in a.text  # a real sentence ends the block
    assert reasons["Why the port matters. And what comes next."] == "teaser after 'Read more'"  # block to the end
    assert a.text.endswith("while the queue of ships waiting at anchor slowly shrinks.")
    assert_accounted(a)


def test_error_and_archive_pages_leave_nothing():
    for raw in [
        "The IP address has changed.\n\nThe IP address for this domain may have changed recently. Check your DNS settings.",
        "Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive. Flowing in "
        "every day, these data are added to the Wayback Machine after an embargo period.",
        "We're sorry, but this page is not available. Try typing the web address again.",
        "We've detected that JavaScript is disabled in your browser. Would you like to proceed to legacy Twitter?",
    ]:
        a = clean_article(Article(id="e", raw=raw))
        assert a.text == "", raw
        assert a.removed and all(r.reason for r in a.removed)
    articles, warnings = read_inputs(["The IP address has changed.\n\nCheck your DNS settings to verify it."])
    assert articles == [] and len(warnings) == 1 and "no article text" in warnings[0]


def test_article_language():
    assert detect_language("The minister said that the plan was ready and the vote is on Monday.") == "en"
    assert detect_language("Le ministre a dit que le plan est prêt et que le vote aura lieu lundi pour les élus.") == "fr"
    assert detect_language("هیچ نظری موجود نیست و ارسال یک نظر") == "fa"
    assert detect_language("12345 ---") == "und"
    fr = clean_article(Article(id="f", raw="Le gouvernement a présenté le budget mardi. Les députés voteront la semaine prochaine."))
    assert fr.language == "fr" and fr.removed == []


def test_clean_is_idempotent(seeds):
    for a in seeds.values():
        again = clean_article(Article(id=a.id, raw=a.raw, title=a.title, date=a.date, source=a.source))
        assert again.text == a.text
        assert [(r.text, r.reason) for r in again.removed] == [(r.text, r.reason) for r in a.removed]


def _rows(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def test_duc2004_documents_lose_no_article_text():
    rows = _rows("duc2004_task2.jsonl")
    for row in rows:
        for doc in row["documents"]:
            a = clean_article(Article(id="duc", raw=doc))
            assert {r.reason for r in a.removed} <= {"repeated sentence"}, [r for r in a.removed]
            assert_accounted(a)
            for r in a.removed:  # a repeat is dropped only where its first occurrence is kept
                assert _norm(r.text) in _norm(a.text.replace("\n", " "))


def test_multinews_noise_removed_and_text_kept():
    rows = _rows("multinews_sample100_mixedsplits.jsonl")
    banned = re.compile(
        r"Alexa Internet|Wayback Machine|Media playback is unsupported|Advertisement Continue reading|"
        r"Tweet with a location|The IP address has changed|Read or Share this story|All rights reserved|"
        r"Sign up now for the|Image copyright|Story Continued Below",
        re.I,
    )
    kept_words = total_words = empty = 0
    for row in rows:
        for doc in row["documents"]:
            a = clean_article(Article(id="mn", raw=doc))
            assert not banned.search(a.text), banned.search(a.text)
            assert_accounted(a)
            kept_words += len(a.text.split())
            total_words += len(doc.split())
            empty += not a.text
    assert kept_words >= 0.85 * total_words
    assert empty <= 30


def test_date_glued_to_the_first_sentence_becomes_metadata():
    raw = ("Gender imbalance in deaths\n\nSaturday, March 26, 2005 Up to four times as many women as men died in "
           "the disaster, figures published today reveal.\n\nA second paragraph follows here.")
    a = clean_article(Article(id="g", raw=raw))
    assert a.date == "2005-03-26" and a.title == "Gender imbalance in deaths"
    assert a.text.startswith("Up to four times as many women")
    assert any(r.text == "Saturday, March 26, 2005" and "date" in r.reason for r in a.removed)


def test_recleaning_a_cleaned_article_changes_nothing():
    raw = "2005/01/08 Tsunami aid donations deductible\n\nSaturday, January 8, 2005\n\nCitizens may write off gifts."
    first = clean_article(Article(id="t", raw=raw))
    again = clean_article(Article(id="t", raw=raw, title=first.title, date=first.date))
    assert first.title == "Tsunami aid donations deductible" and first.date == "2005-01-08"
    assert again.text == first.text == "Citizens may write off gifts."


def test_rules_are_records_with_their_hints():
    from newsbrief.clean.rules import RULES, Rule, boilerplate

    assert all(r.reason and r.patterns for r in RULES)
    assert boilerplate("Share this article") == "boilerplate: share/follow"
    assert boilerplate("Please click here to read the full report") == "boilerplate: share/follow"  # floating, hinted
    with pytest.raises(ValueError):
        Rule("no hints", (r"^.{0,40}\bfloating\b.*$",))  # a floating pattern without its cheap hints


# -- issue 14.16: every removed character and every dropped page line is listed ---------------------


def test_zero_width_joiners_are_kept_and_other_invisible_characters_listed():
    """Issue 14.16: zero-width joiners were stripped unlisted (👩‍⚖️ became 👩⚖️), and so was every other
    invisible character."""
    raw = ("The judge 👩‍⚖️ ruled on Tuesday that the sale may go ahead.\n"
           "Lawyers for the city said they would ap\u00adpeal\u200b the ruling.")
    a = clean_article(Article(id="z", raw=raw))
    assert "👩\u200d⚖️" in a.text and "appeal the ruling" in a.text
    assert [(r.text, r.reason, r.line) for r in a.removed] == [
        ("\u00ad\u200b", "invisible formatting characters (U+00AD soft hyphen, U+200B zero width space)", 2),
    ]
    fa = clean_article(Article(id="fa", raw="گفت\u200cوگوها میان دو کشور روز دوشنبه در بغداد ادامه یافت\u200f و سفیر "
                                            "گفت که پیشرفت شده است."))
    assert fa.language == "fa" and "گفت\u200cوگوها" in fa.text  # a non-joiner is part of the Persian word
    assert [(r.text, r.reason) for r in fa.removed] == [
        ("\u200f", "invisible formatting characters (U+200F right-to-left mark)"),
    ]


def test_control_and_invalid_characters_are_removed_and_listed_with_their_line():
    raw = "Budget approved\n\nThe council met \x1b[31mon Monday\x1b[0m.\x07 It voted\ud83d for the plan.\ufffd"
    a = clean_article(Article(id="c", raw=raw))
    assert a.text == "The council met on Monday. It voted for the plan."
    got = [(r.text, r.reason, r.line) for r in a.removed if r.line == 3]
    assert got == [
        ("\x1b[31m\x1b[0m\x07", "control characters (U+001B ESC, U+0007 BEL; 2 terminal escape sequences)", 3),
        ("\ufffd\ufffd", "invalid characters (U+D83D lone surrogate, U+FFFD replacement character)", 3),
    ]
    assert a.raw == raw  # the cleaner is a pure function of the raw text
    bidi = clean_article(Article(id="b", raw="The vote passed \u202eon Monday\u202c after a long debate, it said."))
    assert "\u202e" not in bidi.text and bidi.removed[0].reason.startswith("invisible formatting characters (U+202E")


def _page(body: str) -> str:
    return f"<html><head><title>Bridge reopens | Coastal Times</title></head><body>{body}</body></html>"


def test_every_dropped_page_line_is_listed_each_time_it_occurs():
    """Issue 14.16: some dropped HTML lines had no removed entry: a line whose words occur anywhere in the
    main text ("Home" when the article says "at home"), a line seen before, and the page title."""
    paragraphs = [
        "The harbour bridge reopened to traffic on Tuesday morning after three months of repairs, the city said.",
        "Engineers replaced two of the main cables and resurfaced the deck, work that cost about 12 million dollars.",
        "Commuters said the closure had doubled their journey times, and many of them had worked from home.",
    ]
    html = _page("<nav><a>Home</a> <a>World</a></nav><article>" + "".join(f"<p>{p}</p>" for p in paragraphs)
                 + "</article><aside><p>Home</p><p>World</p></aside><footer><p>Home</p></footer>")
    a = clean_article(Article(id="h", raw=html))
    assert a.paragraphs == paragraphs
    removed = [(r.text, r.reason) for r in a.removed]
    outside = "html: outside the main text (navigation/footer/comments)"
    assert removed == [("Bridge reopens | Coastal Times", "page title (metadata)"), ("Home World", outside),
                       ("Home", outside), ("World", outside), ("Home", outside)]
