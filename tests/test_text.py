"""The text toolkit: language of paragraphs, encodings, metadata dates, word lists, thread-safe stemmers."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from newsbrief.clean import clean_article
from newsbrief.model import Article
from newsbrief.readers import read_inputs
from newsbrief.text import dates, stem
from newsbrief.text.encoding import decode_bytes
from newsbrief.text.language import detect_language, other_language
from newsbrief.text.numbers import stated_numbers
from newsbrief.text.wordlists import ENGLISH_STOP_WORDS, FUNCTION_WORDS, LOADED_LABELS, LOADED_TERMS, STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPHS = {
    "en": (
        "The government presented next year's budget on Tuesday, and members of parliament "
        "will vote on it next week."
    ),
    "fr": (
        "Le gouvernement a présenté mardi le budget de l'année prochaine, et les députés "
        "voteront la semaine prochaine."
    ),
    "de": (
        "Die Regierung hat am Dienstag den Haushalt für das kommende Jahr vorgestellt; "
        "das Parlament stimmt nächste Woche ab."
    ),
    "es": (
        "El Gobierno presentó el martes el presupuesto del año próximo y los diputados "
        "lo votarán la semana que viene."
    ),
    "pl": (
        "Rząd przedstawił we wtorek projekt budżetu na przyszły rok, a posłowie zagłosują "
        "nad nim w przyszłym tygodniu."
    ),
    "fa": (
        "دولت روز سه‌شنبه بودجه سال آینده را ارائه کرد و نمایندگان مجلس "
        "هفته آینده درباره آن رأی خواهند داد."
    ),
    "ru": (
        "Правительство во вторник представило проект бюджета на следующий год, "
        "депутаты проголосуют на следующей неделе."
    ),
    "it": (
        "Il governo ha presentato martedì il bilancio del prossimo anno e i deputati "
        "lo voteranno la settimana prossima."
    ),
}


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_language_of_whole_paragraphs(code):
    assert detect_language(PARAGRAPHS[code]) == code


def test_language_undetermined_without_words():
    assert detect_language("12345 ---") == "und"
    assert detect_language("") == "und"


def test_short_lines_are_not_judged_alone():
    for line in ("Post a Comment", "Lire la suite", "Mehr zum Thema", "Labels: Iran, Iraq"):
        assert other_language(line, "en") is None, line
    assert other_language(PARAGRAPHS["fr"], "en") == "fr"
    assert other_language(PARAGRAPHS["en"], "en") is None
    assert other_language(PARAGRAPHS["fr"], "und") is None  # no article language, nothing to compare


def test_cleaner_drops_a_foreign_paragraph_but_keeps_short_lines():
    english = [
        PARAGRAPHS["en"],
        "The finance minister said the plan would cut the deficit by half within three years.",
        "Opposition leaders called the figures unrealistic and demanded an independent review of the forecasts.",
    ]
    raw = "\n\n".join([*english, "Lire la suite", PARAGRAPHS["fr"],
                      "Officials said the vote could be delayed if the opposition walks out of the chamber."])
    a = clean_article(Article(id="x", raw=raw))
    reasons = {r.text: r.reason for r in a.removed}
    assert a.language == "en"
    assert reasons[PARAGRAPHS["fr"]] == "not in the article's language"
    assert "Lire la suite" not in reasons or reasons["Lire la suite"] != "not in the article's language"
    assert a.text.startswith(PARAGRAPHS["en"]) and a.text.endswith("walks out of the chamber.")


@pytest.mark.parametrize("code", ["fr", "pl", "fa"])
def test_article_language_of_other_languages(code):
    a = clean_article(Article(id=code, raw=PARAGRAPHS[code] + "\n\n" + PARAGRAPHS[code].replace(",", ";")))
    assert a.language == code
    assert not any(r.reason == "not in the article's language" for r in a.removed)


# ---- encodings


def test_utf16_with_bom_decodes_without_warning():
    text = "A UTF-16 file with a byte order mark — it is text, not binary. Привет."
    for codec in ("utf-16", "utf-16-be", "utf-32"):
        data = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
        d = decode_bytes(data)
        assert d.text == text and d.warning == "", codec


def test_utf16_without_bom_decodes_with_warning():
    text = "A UTF-16 file without a byte order mark, written by an old editor."
    d = decode_bytes(text.encode("utf-16-le"))
    assert d.text == text and "UTF-16" in d.warning


@pytest.mark.parametrize(
    "codec, text",
    [
        ("cp1251", "Правительство представило во вторник проект бюджета на следующий год. Депутаты проголосуют."),
        ("cp1251", "Главные новости дня читайте на нашем сайте"),
        ("latin-1", "Voilà, à côté du marché, un garçon très âgé mange une crêpe."),
        ("latin-1", "Die Regierung hat am Dienstag den Haushalt für das nächste Jahr vorgestellt."),
        ("cp1252", "Café owners said “business is slow” this winter."),
        ("cp1250", "Vláda v úterý představila návrh rozpočtu na příští rok. Poslanci budou hlasovat."),
    ],
)
def test_legacy_encodings_decode_with_a_warning(codec, text):
    d = decode_bytes(text.encode(codec))
    assert d.text == text
    assert d.warning.startswith("not UTF-8: read as ")


def test_reader_warns_about_a_guessed_encoding(tmp_path):
    text = "Правительство представило во вторник проект бюджета на следующий год. Депутаты проголосуют в среду."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    utf16 = "Iran offered to train Iraqi forces, officials said on Monday. " * 3
    (tmp_path / "utf16.txt").write_bytes(utf16.encode("utf-16"))
    articles, warnings = read_inputs([tmp_path])
    assert [a.id for a in articles] == ["ru", "utf16"]
    assert articles[0].text == text and articles[0].language == "ru"
    assert len(warnings) == 1 and "ru.txt: not UTF-8: read as cp1251" in warnings[0]


def test_binary_and_garbage_are_refused():
    assert "binary" in decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))).problem
    assert "undecodable" in decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 40).problem
    assert decode_bytes(b" \n ").problem == "empty file"


# ---- dates


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2007-05-29T10:00Z", "2007-05-29"),
        ("2007-05-29", "2007-05-29"),
        ("Tuesday, May 29, 2007", "2007-05-29"),
        ("29 May 2007 10:00 GMT", "2007-05-29"),
        ("Published on Tue, 29 May 2007 14:02:00 +0200", "2007-05-29"),
        ("May 29th, 2007 at 3:15 pm", "2007-05-29"),
        ("2007/05/29", "2007-05-29"),
        ("May 2007", None),  # no day
        ("2007", None),
        ("yesterday", None),
        ("2007-02-30", None),
        (None, None),
    ],
)
def test_metadata_dates_with_dateutil(value, iso):
    assert dates.parse_date(value) == iso


def test_date_lines_and_dates_in_text():
    assert dates.date_line("Mon, 28 May 2007") == "2007-05-28"
    assert dates.date_line("Posted on May 28, 2007 at 10:21 GMT") == "2007-05-28"
    assert dates.date_line("Iran and the US met on May 28, 2007.") is None
    assert dates.leading_date("2005/01/08 Tsunami aid donations reach record") == (11, "2005-01-08")
    anchor = date(2007, 5, 29)  # a Tuesday
    found = {m.group(0): dates.resolve(m, anchor) for m in dates.date_mentions(
        "They met on Monday, two weeks ago and yesterday; since Sept. 2006, on 12 March and May 30.")}
    assert found["on Monday"] == (date(2007, 5, 28), "day")
    assert found["two weeks ago"] == (date(2007, 5, 15), "day")
    assert found["yesterday"] == (date(2007, 5, 28), "day")
    assert found["since Sept. 2006"] == (date(2006, 9, 1), "month")
    assert found["12 March"] == (date(2007, 3, 12), "day")
    assert found["May 30"] == (date(2007, 5, 30), "day")
    assert dates.add_months(date(2007, 3, 31), -1) == date(2007, 2, 28)


# ---- words, numbers, stems


def test_word_lists_are_data_files():
    assert len(ENGLISH_STOP_WORDS) == 318 and {"the", "fire", "bill"} <= ENGLISH_STOP_WORDS
    assert STOP_WORDS == ENGLISH_STOP_WORDS | {"said", "says", "say", "told", "mr", "mrs", "ms", "s"}
    assert {"the", "said", "did"} <= FUNCTION_WORDS and not {"fire", "bill", "found"} & FUNCTION_WORDS
    assert LOADED_LABELS <= set(LOADED_TERMS) and "puppet" in LOADED_LABELS and "regime" not in LOADED_LABELS
    sklearn = pytest.importorskip("sklearn.feature_extraction.text")
    assert sklearn.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS


def test_stemmers_named_for_their_job():
    light = [stem.light_stem(w) for w in ("talks", "studies", "meetings", "meeting")]
    assert light == ["talk", "studi", "meeting", "meet"]
    assert [stem.rouge_stem(w) for w in ("talks", "studies", "meetings", "meeting", "was")] == [
        "talk", "studi", "meet", "meet", "was"]
    assert stem.match_stem("Iran's") == "iran" and stem.content_stems("The Meetings were held.") == {"meet", "held"}


def test_rouge_stem_is_thread_safe():
    words = [f"{w}{suffix}" for w in ("negotiat", "meet", "stud", "connect", "relat", "generaliz") for suffix in
             ("ion", "ions", "ing", "ings", "ed", "es", "ies", "ive", "ively", "ational", "ization")] * 40
    expected = [stem._porter().stemWord(w) if len(w) > 3 else w for w in words]
    results: dict[int, list[str]] = {}

    def run(k: int) -> None:
        out = []
        for _ in range(5):
            stem._cache.clear()  # force the stemmer, not the cache
            out = [stem.rouge_stem(w) for w in words]
        results[k] = out

    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[k] == expected for k in range(8))


def test_stated_numbers():
    assert stated_numbers("Two attacks killed 37,000 people in 2005.") == {"two", "37000", "2005"}


def test_heavy_libraries_load_lazily():
    code = ("import sys, newsbrief.text, newsbrief.clean, newsbrief.stories; "
            "print(sorted(m for m in ('fasttext', 'dateutil', 'sklearn', 'Stemmer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
