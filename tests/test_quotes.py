"""Quote styles, speakers from the attribution structure, unnamed speakers, per-outlet speakers; entity merges."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.analysis import analyse
from newsbrief.analysis.quotes import quote_spans
from newsbrief.bench.analysis import make_articles
from newsbrief.model import Claim
from newsbrief.segment import segment_article


def _run(*texts: str):
    arts = make_articles([(f"a{i}", t) for i, t in enumerate(texts)])
    sents = [s for a in arts for s in segment_article(a)]
    return analyse(arts, sents, [Claim(id=i, sentences=[s]) for i, s in enumerate(sents)])


def _quote(an, start: str):
    return next(q for q in an.quotes if q.text.startswith(start))


def test_ap_style_double_backquotes():
    an = _run("Storm hits coast\n\nThe storm destroyed 300 homes. ``We have never seen anything like this,'' "
              "said Mayor John Smith, who toured the area on Monday.")
    q = _quote(an, "We have never seen anything")
    assert q.kind == "direct" and q.speaker == "John Smith"


def test_role_name_said_after_the_quote():
    an = _run("Bomb kills four\n\nA bomb killed four people in the market of Quetta on Sunday. "
              "“The attackers planted the device near a fruit stall,” provincial police spokesman Ahmed Khan said.")
    q = _quote(an, "The attackers planted")
    assert q.speaker == "Ahmed Khan" and q.by_source[0].role and "spokesman" in q.by_source[0].role


def test_said_name_role_and_not_the_victim():
    an = _run("Man shot\n\nJames Brown, 45, was shot outside his home. \"He was hit twice in the chest and died at the "
              "scene,\" said Carla Diaz, a police spokeswoman.")
    assert _quote(an, "He was hit twice").speaker == "Carla Diaz"


def test_pronoun_resolves_to_the_speaker_of_that_gender():
    an = _run("Talks\n\nSenator Mary Jones met the mayor, Tom White, on Monday. Mary Jones said she would vote against "
              "the plan. \"It is simply too expensive for this city,\" she said.")
    assert _quote(an, "It is simply too expensive").speaker == "Mary Jones"


def test_unnamed_speakers_stay_unnamed():
    an = _run("Strike\n\nIsraeli jets struck a village near Tyre, Lebanese media said. \"We heard three explosions "
              "and then the houses were gone,\" said a woman who declined to give her name.")
    q = _quote(an, "We heard three explosions")
    assert not q.by_source[0].named and "woman" in (q.speaker or "")
    names = {e.name for e in an.entities if e.type == "person"}
    assert not any("Lebanese" in n for n in names)


def test_multi_paragraph_and_guillemet_quotes():
    text = ("Speech\n\nThe minister spoke for an hour. “We will rebuild every school,” Minister Ana Lopez said. "
            "“And we will do it this year.\n\n“Nobody will be left behind in the cold this winter,” she added.\n\n"
            "An aide said: «The budget for the schools is already approved by parliament.»")
    an = _run(text)
    assert _quote(an, "Nobody will be left behind").speaker == "Ana Lopez"
    assert _quote(an, "The budget for the schools").kind == "direct"
    spans = quote_spans(text)
    assert any(text[b:c].startswith("And we will do it this year") for _, b, c, _ in spans)


def test_partial_quote_inside_indirect_speech():
    an = _run("Debate\n\nDonald Trump said on Monday that the deal was \"a total disaster\" for workers.")
    q = _quote(an, "a total disaster")
    assert q.kind == "partial" and q.speaker == "Donald Trump"


def test_outlets_giving_a_quote_to_different_people_make_a_conflict():
    a = "Talks\n\n\"We will not accept any new conditions from them,\" said Foreign Minister Ali Rezaei."
    b = "Talks\n\n\"We will not accept any new conditions from them,\" said President Omar Haddad."
    an = _run(a, b)
    q = _quote(an, "We will not accept")
    assert len(q.by_source) == 2 and q.speakers_differ
    assert {o.speaker for o in q.by_source} == {"Ali Rezaei", "Omar Haddad"}
    assert any(c.kind == "speaker" for c in an.conflicts)


def test_wife_and_husband_not_merged_and_us_variants_merged():
    an = _run("Visit\n\nPresident Bill Carter arrived in the United States on Monday with his wife, Helen Carter. "
              "Carter said the U.S. was a friend.\n\nHelen Carter visited a school. The US embassy hosted a dinner.",
              "Visit\n\nBill Carter met U.S. officials. His wife, Helen Carter, toured the United States capital.")
    persons = [e for e in an.entities if e.type == "person"]
    assert not any({"Bill Carter", "Helen Carter"} <= set(e.variants) for e in persons)
    us = [e for e in an.entities if e.type == "place" and ("United States" in e.variants or "U.S." in e.variants)]
    assert len(us) == 1 and {"United States", "U.S."} <= set(us[0].variants)


# ------------------------------------------------------------------ the PolNeAR scorer's gold speakers

_POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear_attributions_dev.jsonl"


@pytest.mark.skipif(not _POLNEAR.exists(), reason="shared/data not beside the clone")
def test_polnear_gold_speakers_agree_with_the_hand_check():
    from newsbrief.bench.quotes import audit, load_gold

    a = audit(load_gold(_POLNEAR))
    assert a["n"] >= 200 and a["rate"] >= 0.95, a["wrong"]


def test_polnear_gold_speaker_derivation():
    from newsbrief.bench.quotes import gold_article, name_in

    assert name_in("Sen. Tammy Baldwin of Wisconsin") == "Tammy Baldwin"
    assert name_in("New Jersey Gov. Chris Christie") == "Chris Christie"
    assert name_in("Committee Chairman Rep. Jason Chaffetz, R-Utah,") == "Jason Chaffetz"
    text = ("Talks.\n\nTrump said the talks went well. Trump almost seemed to agree. \"We will work together,\" he "
            "said.\n\n"
            "But back home, he returned to his lines: \"It's called America First!\"\n\n"
            "The crowd cheered at a rally with Tom Jones and Ann Lee, where the senator said the plan was "
            "\"a disaster.\"")

    def att(i, src, content):
        s = text.index(src)
        c = text.index(content)
        return {"id": f"E{i}", "source": [{"start": s, "end": s + len(src), "text": src}],
                "content": [{"start": c, "end": c + len(content), "text": content}], "has_quote_mark": True,
                "direct": True}

    s2 = text.index("he returned")
    row = {"id": "x", "text": text, "attributions": [
        {**att(0, "Trump", "the talks went well"), "has_quote_mark": False, "direct": False},
        att(1, "he", "\"We will work together,\""),
        {**att(2, "he", "\"It's called America First!\""), "source": [{"start": s2, "end": s2 + 2, "text": "he"}]},
        att(3, "the senator", "the plan was \"a disaster.\"")]}
    g = gold_article(row)
    speakers = [q.speaker for q in g.quotes]
    assert speakers[:2] == ["Trump", "Trump"]  # the subject before, then the chain through the resolved "he"
    assert speakers[2] == "Ann Lee"  # no subject mention: the nearest person named before it in its sentence


# ------------------------------------------------------------------ this session's behaviours


def test_new_york_times_double_apostrophe_quotes():
    an = _run("Jobs\n\nThe jobless rate fell. ''We finally may be seeing some wage acceleration,'' the economist "
              "Jared Bernstein wrote on his blog. He called it ''a very big story.'' Don''t count on it.")
    q = _quote(an, "We finally may be seeing")
    assert q.kind == "direct" and q.speaker == "Jared Bernstein"
    assert any(x.text.startswith("a very big story") for x in an.quotes)


def test_pronoun_takes_the_subject_of_the_sentence_before_not_the_last_speaker():
    an = _run("Talks\n\n\"We made progress today,\" said Ambassador Ryan Crocker. Prime Minister Nuri al-Maliki, who "
              "hosted the talks, stressed that Iraq wanted calm. \"Iraq will not be a springboard for threats against "
              "any of its neighbours,\" he vowed.")
    assert _quote(an, "Iraq will not be a springboard").speaker == "Nuri al-Maliki"


def test_the_president_is_a_description_resolved_through_roles():
    an = _run("Release\n\nIranian President Mahmoud Ahmadinejad met the sailors on Wednesday. The President said that "
              "\"they are free and they can go to their families\" after the meeting.")
    q = _quote(an, "they are free")
    assert q.speaker == "Mahmoud Ahmadinejad"


def test_quote_of_several_sentences_takes_the_attribution_after_its_end():
    an = _run("Statement\n\n\"The European Union deplores the arrest of the sailors. The EU repeats its call for their "
              "release,\" said the statement released by the EU.")
    q = _quote(an, "The European Union deplores")
    assert q.by_source[0].attribution is not None and "statement" in q.by_source[0].attribution.text


def test_short_quoted_phrase_in_an_attributing_sentence_is_a_partial_quote():
    an = _run("Debate\n\nSenator Ann Lee spoke at the rally. Trump further summed up Clinton as \"terrible,\" "
              "his aides said.")
    assert any(q.kind == "partial" and q.text.startswith("terrible") for q in an.quotes)


def test_relative_introduced_by_a_possessive_and_acronyms():
    an = _run("Visit\n\nAugusto Pinochet was arrested in London. The show included an interview with Augusto Pinochet "
              "Hiriart, Pinochet's son. Pinochet denied the charges.\n\nThe National Transportation Safety Board "
              "(NTSB) opened an inquiry. The NTSB said the plane was intact.")
    persons = [e for e in an.entities if e.type == "person"]
    assert not any({"Augusto Pinochet", "Augusto Pinochet Hiriart"} <= set(e.variants) for e in persons)
    orgs = [e for e in an.entities if "NTSB" in e.variants]
    assert orgs and "National Transportation Safety Board" in orgs[0].variants


def test_merging_quotes_over_many_outlets_is_near_linear():
    import time

    from newsbrief.analysis.quotes import _Q, _Index, _merge

    texts, raw = [], []
    for i in range(3000):
        t = f"\"Statement w{i}a w{i}b w{i}c about the budget was read aloud today,\" said X."
        texts.append(t)
        raw.append((_Q(f"a{i % 300}", 0, 1, t.index(",\""), t.index(",\"") + 2), t))

    class A:
        def __init__(self, i):
            self.id = f"a{i}"

    t0 = time.perf_counter()
    out = _merge(raw, [A(i) for i in range(300)], _Index({}, []))
    assert len(out) == 3000 and time.perf_counter() - t0 < 5.0  # all pairs would be 4.5 million comparisons


def test_lower_case_phrase_without_a_speaker_is_a_partial_quote_but_a_scare_word_is_not():
    an = _run("Rally\n\nThe signs outside the hall warned of \"a rigged economy\" in red letters. The so-called "
              "\"experts\" met on Monday in the capital.")
    assert any(q.kind == "partial" and q.text.startswith("a rigged economy") for q in an.quotes)
    assert not any(q.text.startswith("experts") for q in an.quotes)


def test_ranked_speakers_keep_the_attribution_structure():
    an = _run("Vote\n\n\"We will win this state in November,\" campaign manager Robby Mook said on Sunday.\n\n"
              "\"Turnout will decide it, not the polls,\" said Joel Benenson, the campaign's pollster.\n\n"
              "\"The strikes hit three villages near the border overnight,\" Lebanese media reported.")
    assert _quote(an, "We will win this state").speaker == "Robby Mook"
    assert _quote(an, "Turnout will decide it").speaker == "Joel Benenson"
    q = _quote(an, "The strikes hit three villages")
    assert not q.by_source[0].named and q.speaker == "Lebanese media"


def test_speaker_ranking_model_and_first_names_ship_with_the_package():
    from newsbrief.analysis import quote_speakers

    w = quote_speakers.model()["weights"]
    assert w and all(isinstance(v, float) for v in w.values()) and "g_first_match" in w
    assert quote_speakers.first_name_gender("Wendy Sherman") == "f"
    assert quote_speakers.first_name_gender("John Kerry") == "m"
    assert quote_speakers.first_name_gender("Kerry") is None  # a single word is not a first name


def test_speaker_ranking_off_leaves_the_rules_choice():
    from newsbrief.analysis import quotes

    text = ("Talks\n\nSenator Mary Jones met the mayor, Tom White, on Monday. Mary Jones said she would vote against "
            "the plan. \"It is simply too expensive for this city,\" she said.")
    quotes.PARAMS["rank_speakers"] = False
    try:
        off = _quote(_run(text), "It is simply too expensive")
    finally:
        quotes.PARAMS["rank_speakers"] = True
    on = _quote(_run(text), "It is simply too expensive")
    assert off.speaker == on.speaker == "Mary Jones" and "ranked" not in (off.by_source[0].how or "")


def test_pronoun_reads_the_first_name_when_the_text_gives_no_gender():
    an = _run("Talks\n\nSecretary John Kerry and Wendy Sherman arrived in Vienna on Monday. Kerry met the Iranian "
              "minister for two hours. \"We are close to a deal, but not there yet,\" she said.")
    assert _quote(an, "We are close to a deal").speaker == "Wendy Sherman"
