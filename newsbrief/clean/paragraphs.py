"""The paragraph pass: kept lines joined into paragraphs; headings and captions dropped.

Hard-wrapped lines are joined (a line that does not end a sentence and is followed by a lower-case
start, ends in a joining word, or is as long as the block's other lines); a standalone short line
that is not a sentence is a heading, caption, label or table row.
"""

from __future__ import annotations

import re

from newsbrief.clean.normalize import JOINER_END, Line, embedded_post, ends_sentence, word_count
from newsbrief.model import Removal

HEADING = "heading/caption (not a sentence)"
_QUOTE_SAID = re.compile(r"[,!?][\"”’']\s+\S")


def join_lines(kept: list[Line | None]) -> list[tuple[int, str]]:
    """(first line number, text) of each paragraph; None in `kept` is a paragraph break."""
    paragraphs: list[tuple[int, str]] = []
    block: list[Line] = []
    for item in [*kept, None]:
        if item is not None:
            block.append(item)
        elif block:
            paragraphs += _join_block(block)
            block = []
    return paragraphs


def _join_block(block: list[Line]) -> list[tuple[int, str]]:
    """Paragraphs of one block of consecutive kept lines."""
    out: list[tuple[int, str]] = []
    lens = [len(b.text) for b in block]
    maxlen = max(lens)
    wrapped = len(block) >= 3 and maxlen <= 120 and sum(n >= 0.6 * maxlen for n in lens[:-1]) >= 0.6 * (len(block) - 1)
    cur: list[Line] = []
    for k, b in enumerate(block):
        cur.append(b)
        nxt = block[k + 1].text if k + 1 < len(block) else None
        t = b.text
        join = False
        if nxt is not None and not ends_sentence(t):
            if (
                nxt[0].islower()
                or nxt[0] in ",;:)]–—-"
                or JOINER_END.search(t[-8:])
                or (wrapped and len(t) >= 0.6 * maxlen)
                or word_count(t) > 12
            ):
                join = True
        if not join:
            out.append((cur[0].no, " ".join(c.text for c in cur)))
            cur = []
    return out


def is_heading(p: str) -> bool:
    """A short standalone line that is not a sentence: heading, caption, label, table row."""
    if ends_sentence(p) or word_count(p) > 12 or p[0].islower() or p[0] in "*•·▪":
        return False  # sentences, long lines, continuations and bulleted list items stay
    if p.endswith((":", ";", ",", "-", "—", "–")):
        return False  # a lead-in or an interrupted line, not a heading
    if embedded_post(p) or (word_count(p) >= 8 and _QUOTE_SAID.search(p)):
        return False  # an embedded tweet or a quotation without its final period
    return True


def drop_headings(paragraphs: list[tuple[int, str]], removed: list[Removal]) -> list[tuple[int, str]]:
    """The paragraphs that are not headings; the headings go to `removed`."""
    out = []
    for no, p in paragraphs:
        if is_heading(p):
            removed.append(Removal(p, HEADING, no))
        else:
            out.append((no, p))
    return out
