"""Unit tests of the middle stages: segmentation, features, claims, selection."""

import re
from pathlib import Path

import numpy as np
import pytest

from newsbrief.embed import embed
from newsbrief.features import compute_features, sameness
from newsbrief.group import group_claims
from newsbrief.model import Article
from newsbrief.segment import segment_article, sentence_spans, split_sentences
from newsbrief.select import DEFAULT, select, sentence_form, sentence_priors, trimmed_span


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, raw=text, text=text)


def _sentences(*texts: str):
    return [s for i, t in enumerate(texts) for s in segment_article(_article(f"a{i}", t))]


# -- segmentation ------------------------------------------------------------------------------


def test_offsets_are_exact_and_paragraphs_counted():
    text = "Mr. Smith met U.S. officials at 3 p.m. on Monday. They agreed.\n\nA second paragraph here."
    sents = segment_article(_article("a", text))
    assert [s.text for s in sents] == [
        "Mr. Smith met U.S. officials at 3 p.m. on Monday.", "They agreed.", "A second paragraph here."]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 0, 1]
    assert [s.index for s in sents] == [0, 1, 2]


def test_quotation_is_not_split_inside():
    assert split_sentences('He said "It is over. We won." Then he left.') == [
        'He said "It is over. We won."', "Then he left."]


def test_sentences_never_cross_blank_lines():
    spans = sentence_spans("Headline without stop\n\nBody sentence one. Body two.")
    assert spans[0] == (0, len("Headline without stop"))


# -- claims ------------------------------------------------------------------------------------


def test_copies_and_paraphrases_form_claims_unrelated_do_not():
    sents = _sentences(
        "Crocker said the Iranians had proposed setting up a mechanism with Iranian, US and Iraqi "
        "participation to coordinate on Iraq's security.",
        "The Iranians proposed creating a trilateral security commission involving Iraqis and US "
        "representatives — a suggestion Crocker dismissed.",
        "Crocker said the Iranians had proposed setting up a mechanism with Iranian, US and Iraqi "
        "participation to coordinate on Iraq's security, officials said.",
        "Oil prices fell sharply in Asian trading on Tuesday after the holiday weekend.",
    )
    features = compute_features(sents)
    everything = list(range(len(sents)))
    claims, claim_of = group_claims(sents, sameness(features, everything, embed([s.text for s in sents])))
    assert claim_of[0] == claim_of[1] == claim_of[2]  # paraphrase (MiniLM) and copy (TF-IDF)
    assert claim_of[3] != claim_of[0]
    assert claims[claim_of[0]].support == 3
    lexical_only, claim_lex = group_claims(sents, sameness(features))
    assert claim_lex[0] == claim_lex[2] and claim_lex[1] != claim_lex[0]


def test_a_claim_takes_at_most_one_sentence_per_article():
    sents = _sentences("The bridge opened on Friday. The bridge opened on Friday after delays.",
                       "The bridge opened on Friday.")
    claims, _ = group_claims(sents, sameness(compute_features(sents)))
    for c in claims:
        assert len({s.article for s in c.sentences}) == len(c.sentences)


# -- selection ---------------------------------------------------------------------------------


def test_form_priors():
    sents = _sentences(
        "The council approved the new budget for schools on Monday evening.",
        "Will the council approve the new budget for schools on Monday?",
        "He approved the new budget for schools on Monday evening.",
        '"We approved the new budget for schools on Monday evening."',
        "The puppet council approved the new budget for schools on Monday evening.",
        "Too short here.",
        '"The budget for schools is finally approved," the aide said on Monday.',
        "We approved the new budget for schools on Monday evening.",
        "The budget for schools was approved on Monday, Mayor Ann Lee said.",
    )
    form = sentence_form(sents)
    assert form[0] == 1.0
    assert 0 < form[1] < 1 and 0 < form[3] < 1 and 0 < form[4] < 1
    assert form[5] == 0.0
    # who "he", "the aide" or "we" is comes from an earlier sentence: such sentences never stand alone
    assert form[2] == form[6] == form[7] == 0.0
    assert form[8] == 1.0  # the speaker named in the sentence


def test_selection_respects_budget_claims_and_redundancy():
    texts = [
        "Floods forced ten thousand people from their homes in the north of the country on Sunday. "
        "Rescue teams used boats to reach villages cut off by the water. "
        "The army said it had sent two thousand soldiers to help.",
        "Floods forced ten thousand people from their homes in the north on Sunday. "
        "The government declared a state of emergency in three provinces. "
        "Forecasters expect more rain this week.",
        "Ten thousand people fled their homes after floods in the north of the country. "
        "The state of emergency covers three provinces, the government said. "
        "Rescue teams in boats reached villages cut off by the water.",
    ]
    sents = _sentences(*texts)
    features = compute_features(sents)
    claims, claim_of = group_claims(sents, sameness(features))
    prior = sentence_priors(sents, features, np.array([claims[c].support for c in claim_of]), 3)
    for budget in (20, 45, 80):
        chosen = select(sents, features, prior, claim_of, budget)
        assert chosen and sum(sents[i].words for i in chosen) <= budget
        assert len({claim_of[i] for i in chosen}) == len(chosen)
        for a in chosen:
            for b in chosen:
                assert a == b or features.lexical[a, b] <= DEFAULT.redundancy


def test_dateline_trim_keeps_an_exact_sub_span():
    text = "WASHINGTON (AP) — The Senate passed the spending bill late on Thursday night."
    s = segment_article(_article("a", text))[0]
    start, end = trimmed_span(s)
    assert text[start:end] == "The Senate passed the spending bill late on Thursday night."
    plain = segment_article(_article("b", "The Senate passed the bill on Thursday."))[0]
    assert trimmed_span(plain) == (plain.start, plain.end)


def test_loaded_labels_are_single_lowercase_words():
    # select.sentence_form looks them up as words of the lower-cased sentence
    from newsbrief.text.wordlists import LOADED_LABELS

    assert LOADED_LABELS and all(re.fullmatch(r"[a-z]+", w) for w in LOADED_LABELS)


@pytest.mark.parametrize("text, sentences", [
    ("But Lt. Edgar Joseph Andres, a navy pilot, said the search went on.", 1),
    ("On television last weekend, U.S. Secretary of State Madeleine Albright spoke.", 1),
    ('"Can you hear me?" Ms. Moseley-Braun asked. Then she left.', 2),
    ("Ryan C. Crocker met Gen. David Petraeus in Sept. 2007.", 1),
    ("The talks were held in the U.S. The next round is in Baghdad.", 2),
    ("He worked for the Security Voice Inc. His firm accepts tips.", 2),
    ("They camped out from Saturday at 9 a.m. Their spirits were up.", 2),
    ('It was built in Littleton, Colo. "It should be a nonevent," he said.', 2),
])
def test_abbreviations_titles_and_quotes_split_where_a_sentence_ends(text, sentences):
    assert len(split_sentences(text)) == sentences, split_sentences(text)


def test_labelled_hard_boundaries(shared_data):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "scripts/bench_segment.py"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout
    accuracy = float(re.search(r"\*\*all\*\* \| \d+ \| \*\*([\d.]+)\*\*", out).group(1))
    assert accuracy >= 0.95 and "(0 false splits" in out, out
