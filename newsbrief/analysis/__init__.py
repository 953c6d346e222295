"""Cross-source analysis: consensus, single-source claims, conflicts, quotes, entities, timeline, framing.

    >>> from newsbrief.analysis import analyse
    >>> analysis = analyse(brief.articles, brief.sentences, brief.claims)   # a model.Analysis

`analyse` returns a `newsbrief.model.Analysis` record, one list of records per section:

- `consensus` (ClaimReport): claims most sources carry, with every source's sentence;
- `single_source` (SingleSourceClaim): notable claims (numbers, names, quotes) only one source makes;
- `conflicts` (Conflict): the same attribute reported differently (`type` "value": counts, durations,
  money, dates, names...; `type` "opposite": a plan one source gives and another says does not exist);
- `agreements` (Agreement): the same value worded differently ("27 years" / "almost 30 years");
- `quotes` (Quote): direct quotes and indirect speech with speaker, role, every outlet carrying them;
- `entities` (Entity): people, organisations, places with merged name variants and roles;
- `timeline` (TimelineEntry): dated events (relative dates resolved), later events kept apart, background;
- `framing` (FramingItem): per source, its loaded wording outside quotations, each term with its evidence
  (lexicon, learned weight, contrast) and the other sources' wording for the same thing.

Every citation is a `model.Span` with `text == article.text[start:end]`. Non-English articles are
skipped; no usable input gives empty sections, never an error.
"""

from __future__ import annotations

import logging
from typing import Any

from newsbrief.analysis._text import Similarity
from newsbrief.model import (
    Agreement,
    Analysis,
    Claim,
    ClaimReport,
    Conflict,
    Entity,
    Record,
    Sentence,
    SingleSourceClaim,
    TimelineEntry,
)

log = logging.getLogger(__name__)

MAX_ENTITIES = 30
# The analysis reads at most this many sentences: the ones several articles share, then the articles' leads.
# Its pairwise parts (conflicts, agreements) stay bounded on any input (BENCHMARKS.md, input size).
MAX_SENTENCES = 3000


def is_english(article) -> bool:
    """The analysis reads English: articles the language identifier (newsbrief.text.language) calls English."""
    return (getattr(article, "language", "") or "").startswith("en")


def analyse(articles, sentences, claims, vectors=None) -> Analysis:
    """The analysis sections for a cluster. `vectors` (optional): MiniLM vectors the pipeline already
    computed, either aligned with `sentences` or a dict {sentence text: vector}, so that no sentence is
    embedded twice. Without them the analysis embeds at most 16 candidate sentences itself. Past
    MAX_SENTENCES sentences, it reads `sentences_to_analyse`."""
    out: dict[str, Any] = {k: [] for k in (*_SECTION_TYPES, "timeline")}
    eng = [a for a in articles if a.text and a.text.strip() and is_english(a)]
    ids = {a.id for a in eng}
    sents = sentences_to_analyse([s for s in sentences if s.article in ids], claims or [])
    if not eng or not sents:
        return Analysis()
    sim = Similarity()
    if isinstance(vectors, dict):  # {sentence text: unit vector} for the sentences already embedded
        sim.cache.update(vectors)
    elif vectors is not None:  # aligned with `sentences`
        sim.cache.update((s.text, v) for s, v in zip(sentences, vectors))
    claims = [c for c in (claims or []) if all(s.article in ids for s in c.sentences)]

    from newsbrief.analysis.conflicts import find_conflicts
    from newsbrief.analysis.consensus import consensus_and_single
    from newsbrief.analysis.entities import extract_entities
    from newsbrief.analysis.framing import find_framing
    from newsbrief.analysis.quotes import extract_quotes, speaker_conflicts
    from newsbrief.analysis.timeline import build_timeline

    entities, ctx = _safe("entities", lambda: extract_entities(eng, sents), ([], {}))
    out["entities"] = [e for e in entities if e["type"] in ("person", "organization", "place")][:MAX_ENTITIES]
    quotes = _safe("quotes", lambda: extract_quotes(eng, sents, entities, ctx), [])
    if len(eng) >= 2:
        out["conflicts"], out["agreements"] = _safe(
            "conflicts", lambda: find_conflicts(eng, sents, sim, entities), ([], []))
        out["consensus"], out["single_source"] = _safe("consensus", lambda: consensus_and_single(eng, claims), ([], []))
    out["timeline"] = _safe("timeline", lambda: build_timeline(eng, sents), [])
    _safe("notes", lambda: _note_different_events(out["conflicts"], out["timeline"]), None)
    framing = _safe("framing", lambda: find_framing(eng, entities, ctx, sents), [])  # model records already
    typed: dict[str, Any] = {k: [d if isinstance(d, Record) else _SECTION_TYPES[k].from_dict(d) for d in out[k]]
                             for k in _SECTION_TYPES if k != "quotes"}
    typed["conflicts"] += _safe("speaker conflicts", lambda: speaker_conflicts(quotes), [])
    # quotes, framing and the timeline are model records already
    return Analysis(**typed, quotes=quotes, framing=framing, timeline=out["timeline"])


_SECTION_TYPES: dict[str, Any] = {
    "consensus": ClaimReport, "single_source": SingleSourceClaim, "conflicts": Conflict, "agreements": Agreement,
    "entities": Entity,
}


def sentences_to_analyse(sentences: list[Sentence], claims: list[Claim], limit: int = MAX_SENTENCES
                         ) -> list[Sentence]:
    """All the sentences when there are at most `limit`; else those of the claims most articles share
    (the largest first), then each article's sentences lead first, in turn, up to `limit`; in text order."""
    if len(sentences) <= limit:
        return sentences
    allowed = {id(s) for s in sentences}
    keep: set[int] = set()
    for c in sorted(claims, key=lambda c: -len(c.sources)):
        members = [s for s in c.sentences if id(s) in allowed]
        if len({s.article for s in members}) < 2 or len(keep) + len(members) > limit:
            break
        keep.update(id(s) for s in members)
    rank = {a: r for r, a in enumerate(dict.fromkeys(s.article for s in sentences))}
    for s in sorted(sentences, key=lambda s: (s.index, rank[s.article])):
        if len(keep) >= limit:
            break
        keep.add(id(s))
    return [s for s in sentences if id(s) in keep]


def _note_different_events(conflicts: list[Conflict], timeline: list[TimelineEntry]) -> None:
    """A conflict whose sides come from articles placed on different timeline entries may be a change over
    time rather than a contradiction: say so next to it."""
    when: dict[str, str] = {}
    for e in timeline:
        if e.kind in ("event", "later event"):
            for a in e.sources:
                when.setdefault(a, e.label)
    for c in conflicts:
        if c.type == "change":
            continue
        labels = []
        for side in c.sides:
            side_when = {when[a] for a in side.sources if a in when}
            if len(side_when) != 1:
                break
            labels.append(next(iter(side_when)))
        else:
            if len(set(labels)) > 1:
                c.note = "the sides are reported for different events or dates (" + " vs ".join(labels) + \
                    "): this may be a change over time rather than a contradiction"


def _safe(name, fn, default):
    try:
        return fn()
    except Exception:  # one failing section must not take the brief down
        log.exception("newsbrief.analysis: the %s section failed", name)
        return default


__all__ = ["analyse"]
