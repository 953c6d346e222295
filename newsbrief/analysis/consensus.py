"""Consensus (claims most sources carry) and notable single-source claims (with the source named)."""

from __future__ import annotations

import math
import re

from newsbrief.analysis._text import span
from newsbrief.text.numbers import number_tokens

MAX_CONSENSUS = 8
MAX_SINGLE = 8
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_QUOTE = re.compile(r"[\"“”]")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_VERB_LIKE = re.compile(r"\b[a-z]{3,}(?:ed|s)\b")


def _claim_item(claim, texts, order) -> dict:
    cites, seen = [], set()
    for s in sorted(claim.sentences, key=lambda s: (order.index(s.article), s.start)):
        if s.article in seen:
            continue
        seen.add(s.article)
        cites.append(span(s.article, texts[s.article], s.start, s.end))
    rep = claim.sentences[claim.representative]
    return {
        "text": rep.text,
        "support": claim.support,
        "sources": sorted(claim.sources, key=order.index),
        "citations": [span(rep.article, texts[rep.article], rep.start, rep.end)]
        + [c for c in cites if not (c["article"] == rep.article and c["start"] == rep.start)],
        "claim": claim.id,
    }


def notability(text: str) -> float:
    """Specific, checkable content: numbers, names, quotes; neither too short nor too long."""
    toks = text.split()
    words = len(toks)
    if words < 8 or words > 70:
        return 0.0
    if text.lstrip()[:1] in "*•-–|#" or sum(1 for t in toks if _TWO_LETTERS.search(t)) < 0.7 * words:
        return 0.0  # lists, phone numbers, tables
    if not _VERB_LIKE.search(text):
        return 0.0  # no verb-like word: a caption or a heading
    score = 1.5 * min(2, len(number_tokens(text)))
    score += 0.7 * min(3, len(_NAME.findall(text)))
    score += 0.5 if _QUOTE.search(text) else 0.0
    return score


def consensus_and_single(articles, claims) -> tuple[list[dict], list[dict]]:
    texts = {a.id: a.text for a in articles}
    order = [a.id for a in articles]
    n = len(articles)
    if n < 2 or not claims:
        return [], []
    claims = [c for c in claims if c.sentences and all(s.article in texts for s in c.sentences)]
    need = max(2, math.ceil(n / 3))  # carried by at least a third of the sources
    multi = [c for c in claims if c.support >= need]
    multi.sort(key=lambda c: (-c.support, min(order.index(s.article) * 10000 + s.index for s in c.sentences)))
    consensus = [_claim_item(c, texts, order) for c in multi[:MAX_CONSENSUS]]
    singles = []
    for c in claims:
        if c.support != 1:
            continue
        rep = c.sentences[c.representative]
        score = notability(rep.text)
        if score < 2.0:
            continue
        singles.append((score, rep.index, c))
    singles.sort(key=lambda x: (-x[0], x[1]))
    # spread over sources: at most 3 per source
    per: dict[str, int] = {}
    out = []
    for score, _, c in singles:
        src = c.sources[0]
        if per.get(src, 0) >= 3:
            continue
        per[src] = per.get(src, 0) + 1
        item = _claim_item(c, texts, order)
        a = next(x for x in articles if x.id == src)
        item["source"] = src
        item["source_label"] = a.label()
        item["notability"] = round(score, 2)
        out.append(item)
        if len(out) >= MAX_SINGLE:
            break
    out.sort(key=lambda x: (order.index(x["source"]), x["citations"][0]["start"]))
    return consensus, out
