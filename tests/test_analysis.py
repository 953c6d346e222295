"""Cross-source analysis on the seed articles (examples/us-iran-talks) and edge cases."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from newsbrief.analysis import analyse
from newsbrief.bench.analysis import article_key, load_dir, make_articles, prepare
from newsbrief.model import SECTIONS, Analysis, Claim, Conflict, Quote, Span
from newsbrief.render import sections_html, sections_markdown
from newsbrief.segment import segment_article
from newsbrief.text.dates import DATE_MENTION, resolve
from newsbrief.text.numbers import find_quantities, words_to_number

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "us-iran-talks"


@pytest.fixture(scope="module")
def seeds():
    arts, sents, claims = prepare(load_dir(SEEDS), embeddings=False)
    return arts, sents, claims, analyse(arts, sents, claims).to_dict()  # the JSON contract: plain dicts


def _key(aid):
    return article_key(aid)


def _spans(x):
    if isinstance(x, dict):
        if {"article", "start", "end", "text"} <= set(x):
            yield x
        for v in x.values():
            yield from _spans(v)
    elif isinstance(x, list):
        for v in x:
            yield from _spans(v)


def test_sections_are_typed_records_and_round_trip(seeds):
    arts, sents, claims, plain = seeds
    typed = analyse(arts, sents, claims)
    assert isinstance(typed, Analysis) and typed.to_dict() == plain
    assert typed.conflicts and all(isinstance(c, Conflict) for c in typed.conflicts)
    assert all(isinstance(q, Quote) and all(isinstance(c, Span) for c in q.citations) for q in typed.quotes)
    assert Analysis.from_dict(json.loads(json.dumps(plain))) == typed


def test_contract_keys_json_and_exact_spans(seeds):
    arts, _, _, a = seeds
    assert set(SECTIONS) <= set(a)
    json.dumps(a)
    texts = {x.id: x.text for x in arts}
    spans = list(_spans(a))
    assert len(spans) > 50
    for s in spans:
        assert texts[s["article"]][s["start"]:s["end"]] == s["text"]


def _conflict_with(a, left: tuple[str, str], right: tuple[str, str]):
    for c in a["conflicts"]:
        sides = c["sides"]
        for i, s1 in enumerate(sides):
            for s2 in sides[i + 1:] + sides[:i]:
                ok1 = any(_key(x["article"]) == left[0] and left[1] in x["text"] for x in s1["citations"] + s1["sentences"])
                ok2 = any(_key(x["article"]) == right[0] and right[1] in x["text"] for x in s2["citations"] + s2["sentences"])
                if ok1 and ok2:
                    return c
    return None


def test_conflict_seven_vs_five_detainees(seeds):
    c = _conflict_with(seeds[3], ("002", "seven"), ("003", "five"))
    assert c is not None and c["type"] == "value"
    sides = {s["citations"][0]["text"].lower(): s for s in c["sides"]}
    assert {"seven", "five"} <= set(sides)


def test_conflict_next_meeting(seeds):
    a = seeds[3]
    c = _conflict_with(a, ("004", "less than a month"), ("000", "no date had been set"))
    assert c is not None and c["type"] == "opposite"
    neg = next(s for s in c["sides"] if any("no date" in x["text"] for x in s["citations"]))
    assert {"000", "002"} <= {_key(x) for x in neg["sources"]}


def test_no_false_conflict_for_approximate_durations(seeds):
    a = seeds[3]
    for c in a["conflicts"]:
        texts = " | ".join(x["text"] for s in c["sides"] for x in s["citations"])
        assert not re.search(r"27 years|almost 30 years|nearly three decades|quarter of a century", texts), texts
    agreeing = [x["text"] for g in a["agreements"] for s in g["sides"] for x in s["citations"]]
    assert {"27 years", "almost 30 years", "nearly three decades"} <= set(agreeing)
    assert len(a["conflicts"]) == 2  # precision: nothing else in the seeds is a conflict


def _quote(a, start):
    return next(q for q in a["quotes"] if q["kind"] == "direct" and q["text"].startswith(start))


def test_quote_kazemi_qomi_cited_by_two_outlets(seeds):
    q = _quote(seeds[3], "The Iraqi government is in need of strong military")
    assert q["speaker"] == "Hassan Kazemi Qomi"
    assert {"000", "002"} <= {_key(s) for s in q["sources"]}
    assert len(q["citations"]) >= 2


def test_quote_crocker_and_role(seeds):
    q = _quote(seeds[3], "It is dangerous for Iraq")
    assert q["speaker"] == "Ryan Crocker"
    assert q["speaker_role"] and "US" in q["speaker_role"]
    # "he said" resolved to the speaker named just before
    q2 = _quote(seeds[3], "What we underscored to the Iranians")
    assert q2["speaker"] == "Ryan Crocker"


def test_indirect_speech_attributed(seeds):
    ind = [q for q in seeds[3]["quotes"] if q["kind"] == "indirect"]
    q = next(q for q in ind if q["text"].startswith("the Iranians had proposed setting up a mechanism"))
    assert q["speaker"] == "Ryan Crocker"


def test_entities_merged(seeds):
    ents = {e["name"]: e for e in seeds[3]["entities"]}
    maliki = next(e for e in ents.values() if "Maliki" in e["name"])
    assert {"Nouri al-Maliki", "Nuri al-Maliki", "Maliki"} <= set(maliki["variants"])
    assert any(v in maliki["variants"] for v in ("Al Maliki", "Nouri Al Maliki"))
    kq = ents["Hassan Kazemi Qomi"]
    assert {"Kazemi Qomi", "Kazemi-Qomi", "Hassan Kazemi"} <= set(kq["variants"])
    assert kq["type"] == "person" and kq["mentions"] >= 8
    crocker = ents["Ryan Crocker"]
    assert "Crocker" in crocker["variants"]
    assert any("ambassador to Iraq" in r["text"] for r in crocker["roles"])
    assert sum(1 for e in ents.values() if "Crocker" in e["name"]) == 1


def test_timeline_separates_the_second_round(seeds):
    tl = seeds[3]["timeline"]
    first = next(e for e in tl if e["date"] == "2007-05-28")
    assert {"000", "001", "002", "004"} <= {_key(s) for s in first["sources"]}
    assert "003" not in {_key(s) for s in first["sources"]}
    later = next(e for e in tl if "003" in {_key(s) for s in e["sources"]} and e["kind"] != "background")
    assert later["date"] > first["date"] and later["date"].startswith("2007-07")
    assert later["kind"] == "later event" and later["estimated"]
    assert tl.index(later) > tl.index(first)


def test_relative_dates():
    tuesday = dt.date(2007, 5, 29)
    cases = {"on Monday": "2007-05-28", "yesterday": "2007-05-28", "Tuesday": "2007-05-29",
             "last Tuesday": "2007-05-22", "May 28, 2007": "2007-05-28", "28 May": "2007-05-28",
             "three days ago": "2007-05-26"}
    for text, want in cases.items():
        m = DATE_MENTION.search(text)
        assert m is not None, text
        assert resolve(m, tuesday)[0].isoformat() == want, text


def test_framing_evidence(seeds):
    fr = {_key(f["article"]): f for f in seeds[3]["framing"]}
    terms = {(k, t["term"].lower()): t for k, f in fr.items() for t in f["terms"]}
    puppet = terms[("004", "puppet")]  # the outlet's own label, outside any quotation
    assert puppet["target"] == "Ryan Crocker" and "puppet" in puppet["citation"]["text"]
    assert puppet["neutral"] and all(_key(n["article"]) != "004" for n in puppet["neutral"])
    assert puppet["evidence"] and puppet["category"] == "pejorative label"
    # "demolished by the American invaders" is Kazemi's quotation, the "occupying" US military the Iranians'
    # word: both belong to their speakers, not to the outlets that carry them
    assert ("004", "invaders") not in terms and ("001", "occupying") not in terms
    assert all(not t["quoted"] for t in terms.values())


def _framing_cluster(a_text: str, b_text: str):
    from newsbrief.model import Article

    arts = [Article(id="a", source="Outlet A", text=a_text), Article(id="b", source="Outlet B", text=b_text)]
    return arts, [s for x in arts for s in segment_article(x)]



def _model():
    """A fixed model for behaviour tests: every strongly negative lexicon word is flagged."""
    from newsbrief.analysis.framing import FramingModel

    return FramingModel(weights={"vader_neg": 20.0}, bias=-8.0, threshold=0.5)


def test_framing_quoted_word_belongs_to_speaker():
    from newsbrief.analysis.framing import find_framing

    arts, sents = _framing_cluster(
        'The senator said the plan was "a disgusting, evil and cruel betrayal of voters" at the hearing.',
        "The senator criticised the plan at the hearing.")
    items = find_framing(arts, [], {}, sents, model=_model())
    assert not [t for f in items if f.article == "a" for t in f.terms]


def test_framing_outlet_word_flagged_with_evidence_and_other_wording():
    from newsbrief.analysis.framing import find_framing

    arts, sents = _framing_cluster("The governor announced a disastrous budget plan on Tuesday in the capital.",
                                   "The governor announced a new budget plan on Tuesday in the capital.")
    items = {f.article: f for f in find_framing(arts, [], {}, sents, model=_model())}
    (term,) = items["a"].terms
    assert term.term == "disastrous" and term.citation.text == "disastrous" and not term.quoted
    assert any(e.startswith("VADER valence -") for e in term.evidence)
    assert "no other outlet uses the word" in term.evidence
    (n,) = term.neutral
    assert n.article == "b" and n.text == "new" and n.kind == "wording"
    assert arts[1].text[n.citation.start:n.citation.end] == "new"
    assert "b" not in items  # the neutral outlet has nothing flagged


def test_framing_shipped_model_flags_loaded_verb():
    from newsbrief.analysis.framing import find_framing

    arts, sents = _framing_cluster("Senator Jones slammed the spending bill on Tuesday before the vote.",
                                   "Senator Jones criticized the spending bill on Tuesday before the vote.")
    items = {f.article: f for f in find_framing(arts, [], {}, sents)}
    terms = {t.term: t for t in items["a"].terms}
    assert "slammed" in terms and terms["slammed"].score and terms["slammed"].evidence
    assert terms["slammed"].neutral[0].text == "criticized" and terms["slammed"].neutral[0].article == "b"


def test_numbers_normalised():
    assert words_to_number("seven") == 7
    assert words_to_number("3,455") == 3455
    assert words_to_number("twenty-seven") == 27
    assert words_to_number("quarter of a century") == 25
    q = {x.text: x for x in find_quantities("talks in 27 years, almost 30 years, nearly three decades, a quarter of a century")}
    assert q["nearly three decades"].value == 30 and q["nearly three decades"].unit == "year"
    assert q["27 years"].agrees(q["almost 30 years"]) and q["27 years"].agrees(q["nearly three decades"])
    assert q["27 years"].agrees(q["a quarter of a century"])
    a, b = find_quantities("seven agents")[0], find_quantities("five agents")[0]
    assert not a.agrees(b) and a.head == "agent"


def test_consensus_and_single_source(seeds):
    a = seeds[3]
    for c in a["consensus"]:
        assert len(c["sources"]) >= 2
    assert a["single_source"]
    for c in a["single_source"]:
        assert len(c["sources"]) == 1 and c["source"] == c["sources"][0] and c["source_label"]


def test_render_markdown_and_html(seeds):
    arts, _, _, a = seeds
    ids = [x.id for x in arts]
    md = sections_markdown(Analysis.from_dict(a), lambda xs: "".join(f"[{ids.index(x) + 1}]" for x in xs))
    assert "## Where the sources disagree" in md and "## Who said what" in md and "## Timeline" in md
    assert "Hassan Kazemi Qomi" in md and re.search(r"\[\d\]", md)
    bad = {**a, "quotes": [{**a["quotes"][0], "text": "<script>alert(1)</script> quoted words here", "speaker": "<b>x</b>"}]}
    html = sections_html(Analysis.from_dict(bad), lambda xs: "<sup>1</sup>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>x</b>" not in html


# ---------------------------------------------------------------- edge cases: empty sections, no errors

def _single_claims(sents):
    return [Claim(id=i, sentences=[s]) for i, s in enumerate(sents)]


def _analyse_raw(items):
    arts = make_articles(items)
    sents = [s for a in arts for s in segment_article(a)]
    return analyse(arts, sents, _single_claims(sents)).to_dict()


def test_empty_input():
    out = analyse([], [], []).to_dict()
    assert set(SECTIONS) <= set(out) and all(v == [] for v in out.values())


def test_no_quotes_no_numbers():
    out = _analyse_raw([("a", "Rain fell on the town.\n\nThe river rose slowly and people watched it from the bridge."),
                        ("b", "The river rose in the town.\n\nResidents watched the water from the old bridge at night.")])
    assert out["quotes"] == [] and out["conflicts"] == [] and out["agreements"] == []
    json.dumps(out)


def test_single_article():
    text = (SEEDS / "002_a48287628939e41c.txt").read_text()
    out = _analyse_raw([("only", text)])
    assert out["conflicts"] == [] and out["consensus"] == [] and out["single_source"] == []
    assert out["quotes"]  # quotes still come from one article


def test_non_english_text():
    de = ("Die Regierung hat am Montag neue Gespräche angekündigt. „Wir werden uns in einem Monat wieder treffen“, "
          "sagte der Minister. Sieben Agenten wurden festgenommen.")
    fa = "هیچ نظری موجود نیست. ارسال یک نظر. این یک متن فارسی است که هیچ ارتباطی با خبر ندارد."
    out = _analyse_raw([("de", de), ("fa", fa)])
    assert all(v == [] for v in out.values())


def test_role_phrase_and_pronoun_speakers():
    a = ("a", "Envoys meet\n\nUS ambassador to Iraq Ryan Crocker met his Iranian counterpart on Monday in Baghdad. "
              "\"We had a useful exchange of views on security,\" the American envoy said after the meeting.\n\n"
              "Crocker added that further talks were possible. \"Nothing has been decided about the next round,\" he said.")
    b = ("b", "Talks in Baghdad\n\nCrocker, the US envoy in Iraq, said the talks in Baghdad were businesslike and useful.")
    out = _analyse_raw([a, b])
    quotes = {q["text"][:20]: q for q in out["quotes"] if q["kind"] == "direct"}
    assert quotes["We had a useful exch"]["speaker"] == "Ryan Crocker"
    assert quotes["Nothing has been dec"]["speaker"] == "Ryan Crocker"
    ind = [q for q in out["quotes"] if q["kind"] == "indirect"]
    assert any(q["speaker"] == "Ryan Crocker" and q["text"].startswith("the talks in Baghdad") for q in ind)


def test_no_section_fails_on_fixtures(caplog):
    import logging

    caplog.set_level(logging.ERROR, logger="newsbrief.analysis")
    root = ROOT / "tests" / "fixtures" / "multiling"
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        arts, sents, claims = prepare(load_dir(d), core=False)
        out = analyse(arts, sents, claims).to_dict()
        texts = {x.id: x.text for x in arts}
        for s in _spans(out):
            assert texts[s["article"]][s["start"]:s["end"]] == s["text"]
    assert not [r for r in caplog.records if "failed" in r.getMessage()]


def test_vectors_passed_in_give_the_same_analysis(seeds):
    from newsbrief.embed import embed

    arts, sents, claims, _ = seeds
    computed = analyse(arts, sents, claims)
    texts = [s.text for s in sents if re.search(r"\d|seven|five|meet", s.text)][:40]
    again = analyse(arts, sents, claims, vectors=dict(zip(texts, embed(texts))))
    assert again.conflicts == computed.conflicts


def test_framing_loaded_words_for_one_sentence():
    from newsbrief.analysis.framing import loaded_words

    assert "puppet" in loaded_words("Bush regimes’ puppet Ryan Crocker met the Iranian diplomat.")
    assert loaded_words('He said the bill was "a disgusting puppet show for the whole country".') == []
