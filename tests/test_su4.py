"""ROUGE-SU4 (newsbrief.bench.su4) on hand-counted examples; unverified against the Perl ROUGE-1.5.5."""

import pytest

from newsbrief.bench.su4 import skip_units, su4_recall


def test_skip_units_counts_unigrams_and_pairs_up_to_four_words_apart():
    toks = list("abcdefg")
    units = skip_units(toks)
    assert sum(1 for k in units if isinstance(k, str)) == 7
    assert ("a", "f") in units and ("a", "g") not in units  # 4 words in between, 5 in between
    assert sum(v for k, v in units.items() if isinstance(k, tuple)) == 6 + 5 + 4 + 3 + 2 + 1 - 1  # (a, g) left out


def test_su4_recall_hand_counted():
    # reference units: a b c (ab) (ac) (bc) = 6; the system "a c b" matches a b c (ab) (ac) = 5
    assert su4_recall("a c b", ["a b c"]) == pytest.approx(100 * 5 / 6)
    assert su4_recall("a b c", ["a b c", "x y z"]) == pytest.approx(50.0)
    assert su4_recall("", ["a b"]) == 0.0
