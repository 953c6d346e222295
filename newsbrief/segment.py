"""Sentence segmentation: nupunkt (Punkt, no download) per paragraph, with exact offsets.

Punkt splits inside quotations ('He said "It is. Ok."'); sentences whose quotation is still
open are merged with the following ones until it closes, within the same paragraph.
"""

from __future__ import annotations

import re

import nupunkt

from newsbrief.model import Article, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
_MAX_MERGE = 4  # a quotation is not allowed to swallow more sentences than this


def _quote_open(text: str) -> bool:
    """True if the text leaves a quotation open."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, whitespace trimmed, never crossing a blank line."""
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        base = para.start()
        pieces = []
        for s, e in nupunkt.sent_spans(para.group()):
            chunk = text[base + s : base + e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if e - s - lead - trail > 0:
                pieces.append((base + s + lead, base + e - trail))
        i = 0
        while i < len(pieces):
            start, end = pieces[i]
            merged = 0
            while (
                merged < _MAX_MERGE
                and i + 1 < len(pieces)
                and _quote_open(text[start:end])
                and _closes_quote(text[pieces[i + 1][0] : pieces[i + 1][1]])
            ):
                i += 1
                merged += 1
                end = pieces[i][1]
            spans.append((start, end))
            i += 1
    return spans


def _closes_quote(text: str) -> bool:
    return "”" in text or text.count('"') % 2 == 1


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[s:e] for s, e in sentence_spans(text)]


def segment_article(article: Article) -> list[Sentence]:
    """Sentences of the article's cleaned text, with offsets and paragraph numbers."""
    sentences: list[Sentence] = []
    text = article.text
    para_starts = [m.start() for m in _PARAGRAPH.finditer(text)]
    p = 0
    for i, (s, e) in enumerate(sentence_spans(text)):
        while p + 1 < len(para_starts) and para_starts[p + 1] <= s:
            p += 1
        sentences.append(Sentence(article=article.id, index=i, start=s, end=e, text=text[s:e], paragraph=p))
    return sentences
