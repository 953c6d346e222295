"""Sentence segmentation: nupunkt (Punkt, no download) per paragraph, with exact offsets.

Punkt's decisions are then corrected at the places news text makes hard (scripts/bench_segment.py,
on 328 labelled boundaries):
- no split inside a quotation ('He said "It is. Ok."'): sentences whose quotation is still open are
  merged with the following ones until it closes, within the same paragraph;
- no split after a title before a name ("Lt. Edgar Andres", "Gen. Petraeus"), after "U.S."/"U.N." before
  a word that is not a sentence opener ("the U.S. Secretary of State"), or between a quoted question or
  exclamation and its attribution ('"Will you?" Ms. Lee asked.');
- a split after an abbreviation that can end a sentence ("Corp.", "Inc.", "a.m.", "Calif.", "D.C.",
  "Jr.") when a quotation or a sentence-opening word follows ('... at 9 a.m. Their spirits were up').
"""

from __future__ import annotations

import re

import nupunkt

from newsbrief.model import Article, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
_MAX_MERGE = 4  # a quotation is not allowed to swallow more sentences than this

# words that open sentences (function words, pronouns, determiners): after an ambiguous abbreviation, a
# capitalised one of these starts a new sentence, any other capitalised word (a name) continues it
_OPENERS = (
    "a|about|after|again|all|also|although|an|and|another|as|at|because|before|both|but|by|despite|during|each|"
    "even|every|few|for|four|from|he|her|his|how|however|i|if|in|instead|it|its|later|many|meanwhile|more|"
    "most|much|my|neither|no|nor|not|now|of|on|once|one|only|or|other|our|since|so|some|still|such|that|the|"
    "their|then|there|these|they|this|those|three|thus|to|today|two|under|unlike|until|we|what|when|where|"
    "whether|which|while|who|why|with|yet|you|has|have|had|is|was|were|will"
)
_TITLE_END = re.compile(
    r"(?<![\w.])(?:Lt|Gen|Col|Sgt|Capt|Cpl|Pvt|Maj|Adm|Cmdr|Brig|Gov|Sen|Rep|Rev|Prof|Dr|Mr|Mrs|Ms|Mt|Ft|Sgt|Spc|Pfc|"
    r"Supt|Insp|Det|Cdr|Hon|Msgr|Fr|Sr|Sra|Messrs|Mme|Mlle)\.$")
_COUNTRY_END = re.compile(r"(?<![\w.])(?:U\.S|U\.N|U\.K|U\.S\.A|E\.U)\.$")
_OPENER_START = re.compile(r"(?:[\"“‘'`(\[]|(?:" + _OPENERS + r")\b)", re.I)
_NAME_START = re.compile(r"[A-Z]")
_ATTRIBUTION_START = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*\s+){1,4}|(?:he|she|they|we|i|the\s+\w+)\s+)"
    r"(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|shouted|screamed|cried|yelled|replied|"
    r"recalled|explained|continued|insisted|warned|joked|wondered)\b", re.I)
_QUESTION_QUOTE_END = re.compile(r"[?!][\"”’']{1,2}$")
# abbreviations that can end a sentence, then whitespace, then a quotation or a sentence opener
_TERMINAL_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:Corp|Co|Inc|Ltd|Bros|Jr|Sr|a\.m|p\.m|D\.C|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|"
    r"Kan|Ky|La|Mass|Md|Mich|Minn|Miss|Mo|Mont|Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|"
    r"S\.C|S\.D|Tenn|Tex|Va|Vt|Wash|Wis|Wyo)\.(?=\s+(?:``|[\"“]|(?:" + _OPENERS.replace("|i|", "|").title() + r")\b))")


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
        pieces = [cut for s, e in pieces for cut in _terminal_abbreviation_splits(text, s, e)]
        i = 0
        while i < len(pieces):
            start, end = pieces[i]
            merged = 0
            while (
                merged < _MAX_MERGE
                and i + 1 < len(pieces)
                and (
                    (_quote_open(text[start:end]) and _closes_quote(text[pieces[i + 1][0] : pieces[i + 1][1]]))
                    or _continues(text[start:end], text[pieces[i + 1][0] : pieces[i + 1][1]])
                )
            ):
                i += 1
                merged += 1
                end = pieces[i][1]
            spans.append((start, end))
            i += 1
    return spans


def _continues(before: str, after: str) -> bool:
    """Punkt split `before | after` where one sentence goes on: a title before a name, "U.S." before a
    noun, a quoted question before its attribution."""
    if _TITLE_END.search(before):
        return bool(_NAME_START.match(after))
    if _COUNTRY_END.search(before):
        return bool(_NAME_START.match(after)) and not _OPENER_START.match(after)
    return bool(_QUESTION_QUOTE_END.search(before) and _ATTRIBUTION_START.match(after))


def _terminal_abbreviation_splits(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The piece [start, end) cut after abbreviations that end a sentence before a new one ("... Inc. His")."""
    out, pos = [], start
    for m in _TERMINAL_ABBREVIATION.finditer(text, start, end):
        nxt = m.end() + len(text[m.end():end]) - len(text[m.end():end].lstrip())
        if nxt < end and not _quote_open(text[pos:m.end()]):
            out.append((pos, m.end()))
            pos = nxt
    out.append((pos, end))
    return out


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
