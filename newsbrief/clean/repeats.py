"""The repeat pass: a paragraph or sentence said again later in the article is kept once.

Compared case- and punctuation-insensitively; short paragraphs (under 4 words) and sentences (under 6
words, or without final punctuation) may repeat.
"""

from __future__ import annotations

from newsbrief.clean.normalize import comparison_key, ends_sentence
from newsbrief.model import Removal
from newsbrief.segment import sentence_spans


def drop_repeats(paragraphs: list[tuple[int, str]], removed: list[Removal]) -> list[str]:
    """The paragraphs' texts without repeated paragraphs and sentences (which go to `removed`)."""
    out: list[str] = []
    seen_par: set[str] = set()
    seen_sent: set[str] = set()
    for no, p in paragraphs:
        k = comparison_key(p)
        if k in seen_par and len(k.split()) >= 4:
            removed.append(Removal(p, "repeated paragraph", no))
            continue
        seen_par.add(k)
        spans = sentence_spans(p)
        cut: list[tuple[int, int]] = []
        for j, (a, b) in enumerate(spans):
            sent = p[a:b]
            sk = comparison_key(sent)
            if sk in seen_sent and len(sk.split()) >= 6 and ends_sentence(sent):
                removed.append(Removal(sent, "repeated sentence", no))
                # cut the sentence and the space after it (or before it, if it is the last one)
                if j + 1 < len(spans):
                    cut.append((a, spans[j + 1][0]))
                else:
                    cut.append((spans[j - 1][1] if j else a, b))
                continue
            seen_sent.add(sk)
        if cut:
            p = _without(p, cut)
        if p:
            out.append(p)
    return out


def _without(p: str, cut: list[tuple[int, int]]) -> str:
    pieces, pos = [], 0
    for a, b in cut:
        if a > pos:
            pieces.append(p[pos:a])
        pos = max(pos, b)
    pieces.append(p[pos:])
    return "".join(pieces).strip()
