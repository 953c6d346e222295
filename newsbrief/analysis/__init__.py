"""Cross-source analysis: consensus, single-source claims, conflicts, quotes, entities, timeline, framing.

    >>> from newsbrief.analysis import analyse
    >>> sections = analyse(brief.articles, brief.sentences, brief.claims)

`analyse` returns a JSON-serialisable dict with the keys

- `consensus`: claims most sources carry (support >= max(2, half the articles)), with every source's sentence;
- `single_source`: notable claims (numbers, names, quotes) only one source makes, that source named;
- `conflicts`: the same attribute reported differently (`type` "value": counts, durations, money, ...;
  `type` "opposite": a concrete plan/date one source gives and another says does not exist),
  each side with its sources, the exact value text and its sentence;
- `agreements`: the same value worded differently ("27 years" / "almost 30 years" / "nearly three decades");
- `quotes`: direct quotes (and indirect speech, `kind` "indirect") with speaker, role, all outlets carrying them;
- `entities`: people, organisations, places with mention counts, merged name variants and roles;
- `timeline`: dated events (relative dates resolved), later events kept apart, background years;
- `framing`: per source, loaded wording about actors, with the neutral wording other sources use.

Every citation is `{"article", "start", "end", "text"}` with `text == article.text[start:end]`.
Non-English articles are skipped; no usable input gives empty sections, never an error.
"""

from __future__ import annotations

import logging
from typing import Any

from newsbrief.analysis._text import Similarity

log = logging.getLogger(__name__)

SECTIONS = ("consensus", "single_source", "conflicts", "agreements", "quotes", "entities", "timeline", "framing")
MAX_ENTITIES = 30


def is_english(article) -> bool:
    """The analysis reads English: articles the language identifier (newsbrief.text.language) calls English."""
    return (getattr(article, "language", "") or "").startswith("en")


def candidate_sentences(articles, sentences) -> list[int]:
    """Indices of the sentences the analysis would embed (at most a few dozen): embed them together with the
    pipeline's own batch and pass `vectors={text: vector}` to `analyse`, so nothing is embedded twice."""
    from newsbrief.analysis.conflicts import candidate_sentences as _cands

    eng = {a.id for a in articles if a.text and a.text.strip() and is_english(a)}
    arts = [a for a in articles if a.id in eng]
    sents = [s for s in sentences if s.article in eng]
    if len(arts) < 2:
        return []
    wanted = {s.text for s in (sents[i] for i in _cands(arts, sents))}
    return [i for i, s in enumerate(sentences) if s.text in wanted]


def empty() -> dict[str, list]:
    return {k: [] for k in SECTIONS}


def analyse(articles, sentences, claims, vectors=None) -> dict[str, Any]:
    """The analysis sections for a cluster. `vectors` (optional): MiniLM vectors the pipeline already
    computed, either aligned with `sentences` or a dict {sentence text: vector}, so that no sentence is
    embedded twice. Without them the analysis embeds at most 16 candidate sentences itself."""
    out = empty()
    eng = [a for a in articles if a.text and a.text.strip() and is_english(a)]
    ids = {a.id for a in eng}
    sents = [s for s in sentences if s.article in ids]
    if not eng or not sents:
        return out
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
    from newsbrief.analysis.quotes import extract_quotes
    from newsbrief.analysis.timeline import build_timeline

    entities, ctx = _safe("entities", lambda: extract_entities(eng), ([], {}))
    out["entities"] = [e for e in entities if e["type"] in ("person", "organization", "place")][:MAX_ENTITIES]
    out["quotes"] = _safe("quotes", lambda: extract_quotes(eng, sents, entities, ctx), [])
    if len(eng) >= 2:
        out["conflicts"], out["agreements"] = _safe("conflicts", lambda: find_conflicts(eng, sents, sim, entities), ([], []))
        out["consensus"], out["single_source"] = _safe("consensus", lambda: consensus_and_single(eng, claims), ([], []))
    out["timeline"] = _safe("timeline", lambda: build_timeline(eng, sents), [])
    _safe("notes", lambda: _note_different_events(out["conflicts"], out["timeline"]), None)
    out["framing"] = _safe("framing", lambda: find_framing(eng, entities, ctx), [])
    return out


def _note_different_events(conflicts: list[dict], timeline: list[dict]) -> None:
    """A conflict whose sides come from articles placed on different timeline entries may be a change over
    time rather than a contradiction: say so next to it."""
    when = {}
    for e in timeline:
        if e["kind"] in ("event", "later event"):
            for a in e["sources"]:
                when.setdefault(a, e["label"])
    for c in conflicts:
        labels = []
        for side in c["sides"]:
            side_when = {when[a] for a in side["sources"] if a in when}
            if len(side_when) != 1:
                break
            labels.append(next(iter(side_when)))
        else:
            if len(set(labels)) > 1:
                c["note"] = "the sides are reported for different events or dates (" + " vs ".join(labels) + \
                    "): this may be a change over time rather than a contradiction"


def _safe(name, fn, default):
    try:
        return fn()
    except Exception:  # one failing section must not take the brief down
        log.exception("newsbrief.analysis: the %s section failed", name)
        return default


def sections_markdown(analysis, cite):
    from newsbrief.analysis.render import sections_markdown as _md

    return _md(analysis, cite)


def sections_html(analysis, cite_html):
    from newsbrief.analysis.render import sections_html as _html

    return _html(analysis, cite_html)


__all__ = ["analyse", "candidate_sentences", "empty", "SECTIONS", "sections_markdown", "sections_html"]
