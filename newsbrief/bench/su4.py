"""ROUGE-SU4 recall (skip-bigrams with at most 4 words in between, plus unigrams), as DUC 2005-2007 reported it.

ROUGE-1.5.5 computes it with `-2 4 -u`: every ordered pair of tokens (w_i, w_j) with i < j <= i + 5 is a
skip-bigram, and every token is also counted as a unigram; recall = clipped matches / the reference's count,
averaged over references. Here the tokens are rouge-score's (lower case, non-alphanumerics dropped, Porter
stems for words of more than 3 letters), the summary cut as for ROUGE-2 (newsbrief.bench.evaluate), the text
taken as one token sequence (ROUGE-1.5.5 joins the lines).

**Unverified against the Perl ROUGE-1.5.5**: there was no copy of it and no published SU4 value of an output
we hold to check against; the unit tests check hand-counted examples only. Report it as an indication.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

MAX_SKIP = 4


def skip_units(tokens: Sequence[str], max_skip: int = MAX_SKIP) -> Counter:
    """Skip-bigrams (gap <= max_skip) and unigrams of a token sequence, counted."""
    c: Counter = Counter(tokens)
    n = len(tokens)
    for i in range(n):
        for j in range(i + 1, min(n, i + max_skip + 2)):
            c[(tokens[i], tokens[j])] += 1
    return c


def _tokens(text: str) -> list[str]:
    from newsbrief.bench.evaluate import get_scorer

    return list(get_scorer()._tokenizer.tokenize(text))


def su4_recall(system: str, references: Sequence[str], max_skip: int = MAX_SKIP) -> float:
    """ROUGE-SU4 recall x100 of a (cut, one-sentence-per-line) system text, mean over references."""
    sys_units = skip_units(_tokens(system), max_skip)
    scores = []
    for ref in references:
        ref_units = skip_units(_tokens(ref), max_skip)
        total = sum(ref_units.values())
        hits = sum(min(v, sys_units[k]) for k, v in ref_units.items())
        scores.append(hits / total if total else 0.0)
    return 100.0 * sum(scores) / max(len(scores), 1)


__all__ = ["su4_recall", "skip_units", "MAX_SKIP"]
