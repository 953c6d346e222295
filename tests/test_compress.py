"""Sentence compression: exact sub-spans, nothing that changes what a sentence asserts."""

from dataclasses import replace

import numpy as np
import pytest

from newsbrief.compress import compressed, lead_cut
from newsbrief.features import compute_features, porter_bigrams, sameness
from newsbrief.group import group_claims
from newsbrief.model import Article
from newsbrief.segment import segment_article
from newsbrief.select import DEFAULT, compressed_text, select, sentence_priors, trimmed_span


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CAIRO, Egypt (AP) _ Zimbabwean President Robert Mugabe arrived in Egypt on Monday.",
         "Zimbabwean President Robert Mugabe arrived in Egypt on Monday."),
        ("CARACAS, Venezuela—Kellogg Co. said it was closing operations that employed 400 workers.",
         "Kellogg Co. said it was closing operations that employed 400 workers."),
        ("(Reuters) - The United States urged Iran yesterday to stop supporting militias.",
         "The United States urged Iran yesterday to stop supporting militias."),
        ("VIENNA, February 23 (Xinhua) -- The agency said the plant had been inspected twice.",
         "The agency said the plant had been inspected twice."),
        ("However, on Tuesday, President Bush said the talks were over for now.",
         "President Bush said the talks were over for now."),
        ("Late Monday night, Iraqi police said the bomb killed thirty people in the market.",
         "Iraqi police said the bomb killed thirty people in the market."),
        ("But Democrats have offered a compromise on the spending bill this week.",
         "Democrats have offered a compromise on the spending bill this week."),
    ],
)
def test_leading_material_is_dropped(text, expected):
    assert compressed(text) == expected
    assert text.endswith(expected)  # one exact sub-span


@pytest.mark.parametrize(
    "text",
    [
        "On Tuesday, the president said the talks were over for now.",  # would start lower-case
        "In March, the dollar fell sharply against the yen in Asian trading.",  # a month dates the event
        "Last year, the tax brought in $7 billion for the state government.",  # so does a year
        "US-Iran talks were held in Baghdad on Monday after a long break.",  # not a dateline
        "Officials said on Tuesday that the bridge would reopen in May next year.",
        "WHO: The agency said the outbreak had been contained after two weeks.",
    ],
)
def test_meaningful_or_unsafe_material_is_kept(text):
    assert lead_cut(text) == 0
    assert compressed(text) == text


def test_attribution_and_short_remainders_are_kept():
    assert compressed("But Smith said so.") == "But Smith said so."  # too little would be left
    assert compressed("Meanwhile, the minister said the army would withdraw.").endswith("said the army would withdraw.")


def test_trimmed_span_is_the_compressed_text():
    text = "Meanwhile, Iraqi officials said the bridge would reopen next month."
    s = segment_article(Article(id="a", raw=text, text=text))[0]
    start, end = trimmed_span(s)
    assert text[start:end] == compressed_text(s) == "Iraqi officials said the bridge would reopen next month."


def test_selector_pays_for_the_compressed_length():
    texts = [
        "WASHINGTON (AP) _ Floods forced ten thousand people from their homes in the north on Sunday.",
        "WASHINGTON (AP) _ Floods forced ten thousand people from their homes in the north on Sunday night.",
    ]
    sents = [s for i, t in enumerate(texts) for s in segment_article(Article(id=f"a{i}", raw=t, text=t))]
    features = compute_features(sents)
    claims, claim_of = group_claims(sents, sameness(features))
    prior = sentence_priors(sents, features, np.array([claims[c].support for c in claim_of]), 2)
    budget = len(compressed_text(sents[0]).split())  # the full sentence would not fit, the compressed one does
    assert budget < sents[0].words
    chosen = select(sents, features, prior, claim_of, budget, DEFAULT)
    assert chosen and sum(len(compressed_text(sents[i]).split()) for i in chosen) <= budget


def test_porter_bigrams_match_rouge_tokens():
    assert ("talk", "collaps") in porter_bigrams("The talks collapsed on Monday.")


def test_learned_concept_weights_favour_widely_and_early_used_bigrams():
    from newsbrief.select import concept_weights

    first_use = {("nuclear", "talk"): {"a": 0, "b": 1, "c": 0}, ("late", "dinner"): {"a": 30, "b": 25}}
    counts = {("nuclear", "talk"): 5, ("late", "dinner"): 2}
    w = concept_weights(list(first_use), first_use, counts, 3)
    assert 0 < w[("late", "dinner")] < w[("nuclear", "talk")] / 2 < 0.5  # probabilities, widely/early used first
    unweighted = concept_weights(list(first_use), first_use, counts, 3, replace(DEFAULT, concept_model=()))
    assert unweighted == {("nuclear", "talk"): 3, ("late", "dinner"): 2}  # no model: articles using the concept
