"""Framing: the loaded or evaluative words each outlet uses, with the evidence and the other outlets' wording.

Method (measured on BASIL by `scripts/bench_framing.py`, figures in BENCHMARKS.md):

1. **Whose words.** Words inside a quotation of at least QUOTE_MIN_WORDS words (`quotes.quote_spans`) belong to
   their speaker and are never flagged for the outlet. A shorter quotation ("scare quotes": a “scheme”, the
   “fake” news) is the outlet's own choice of words and stays a candidate (evidence "in scare quotes").
2. **Candidates.** Every other word that is in a lexicon of subjective language (`data/subjectivity.tsv`:
   VADER valence and Pattern subjectivity, see `data/README.md`), in the curated list of pejorative labels
   (LOADED: "puppet", "regime", "invaders"), or among the words the model learned from BASIL.
3. **Score.** A logistic regression (`data/framing_model.json`, fitted on BASIL by
   `scripts/bench_framing.py --fit`) over lexicon features (valence, subjectivity), part of speech, position in
   the article, scare quotes, neighbouring words, the learned word weights and the contrast across outlets
   (whether the other articles of the cluster use the same word at all). Words scoring at or above the model's
   threshold (chosen by cross-validation by event) are flagged, at most MAX_PER_ARTICLE per article;
   curated labels are always flagged. Adjacent flagged words form one phrase.
4. **Evidence and the other outlets' wording.** Each flag says why (`evidence`: lexicon values, learned weight,
   contrast) and cites how every other outlet words the same thing (`neutral`): the words between the same
   anchors in that outlet's matching sentence, or that sentence itself; for a curated label about a person
   or a national group, the person's stated roles or "US forces"/"US military" in the other outlets.

Each flag is evidence, not a verdict: `score` is the model's confidence.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newsbrief.analysis._text import span
from newsbrief.analysis.entities import NATIONALITY, SPEECH_VERBS
from newsbrief.analysis.quotes import quote_spans
from newsbrief.model import FramingItem, FramingTerm, NeutralWording, Span
from newsbrief.text.stem import content_stems
from newsbrief.text.stem import rouge_stem as porter
from newsbrief.text.tokens import word_tree
from newsbrief.text.wordlists import ENGLISH_STOP_WORDS
from newsbrief.text.wordlists import FUNCTION_WORDS as STOP

DATA = Path(__file__).resolve().parent / "data"
QUOTE_MIN_WORDS = 4  # a quotation this long is the speaker's; shorter ones are the outlet's scare quotes
MAX_PER_ARTICLE = 6
ALIGN_MIN = 0.2  # content-stem Jaccard for "the same sentence in another outlet" (its words in the same place)
ALIGN_SENTENCE = 0.35  # ... to cite that whole sentence when the same place cannot be found

# curated pejorative labels for actors: term -> category (always flagged outside quotations)
LOADED = {
    "puppet": "pejorative label", "puppets": "pejorative label", "stooge": "pejorative label",
    "stooges": "pejorative label", "lackey": "pejorative label", "lackeys": "pejorative label",
    "henchmen": "pejorative label", "regime": "delegitimising label", "regimes": "delegitimising label",
    "invaders": "hostile label", "invader": "hostile label", "occupiers": "hostile label",
    "occupier": "hostile label", "crusaders": "hostile label", "crusader": "hostile label",
    "thugs": "pejorative label", "mullahs": "pejorative label", "warmongers": "pejorative label",
    "warmonger": "pejorative label", "warlike": "evaluative adjective", "imperialist": "hostile label",
    "imperialists": "hostile label", "arch-foes": "evaluative label", "arch-foe": "evaluative label",
    "arch-enemy": "evaluative label", "arch-enemies": "evaluative label", "tyrant": "pejorative label",
    "mercenaries": "pejorative label", "fanatics": "pejorative label", "so-called": "distancing",
    "butcher": "pejorative label",
}
# labels that news also uses descriptively ("a terrorist plot"): flagged only when the model scores them high
CONTEXTUAL = {
    "occupying": "hostile label", "occupation": "hostile label", "dictator": "pejorative label",
    "extremist": "evaluative label", "extremists": "evaluative label", "beleaguered": "evaluative adjective",
    "rogue": "evaluative adjective", "terrorist": "evaluative label", "terrorists": "evaluative label",
    "fomenting": "evaluative verb",
}
_NAMED_BEFORE = re.compile(r"[A-Z]\w+(?:['’]s?)?\s*$")
_PHRASES = {"zionist entity": "delegitimising label", "axis of evil": "evaluative label"}
_PHRASE = re.compile(r"(?<![\w-])(" + word_tree(_PHRASES) + r")(?![\w-])", re.I)
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?")
_NAT = re.compile(r"\b(American|Americans|US|U\.S\.|USA|United States|Iranian|Iran|Iraqi|Iraq|British|Britain|Bush|"
                  r"Tehran|Washington)\b")
_NEUTRAL_GROUP = r"(?:{nat})(?:['’]s?)?\s+(?:{nouns})\b"
_NOUNS = {"forces": "military|forces|troops|soldiers|army", "military": "military|forces|troops|soldiers|army",
          "troops": "military|forces|troops|soldiers|army", "soldiers": "military|forces|troops|soldiers|army",
          "army": "military|forces|troops|soldiers|army", "government": "government|administration|officials"}
_POS_NAMES = {"JJ": "evaluative adjective", "RB": "evaluative adverb", "VB": "loaded verb", "NN": "loaded noun"}


# --------------------------------------------------------------------------------------------------
# resources


@dataclass
class FramingModel:
    """A logistic regression over candidate features: weights by feature name, the flagging threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float
    # stem -> number of annotated events (BASIL) in which the word was marked as loaded: candidates even when
    # no lexicon lists them, and a feature
    marked: dict[str, int] = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    def score(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps({"info": self.info, "bias": self.bias, "threshold": self.threshold,
                           "marked": dict(sorted(self.marked.items())), "weights": dict(sorted(self.weights.items()))},
                          indent=0, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> FramingModel:
        d = json.loads(text)
        return cls(weights=d["weights"], bias=d["bias"], threshold=d["threshold"], marked=d.get("marked", {}),
                   info=d.get("info", {}))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[float | None, float | None, float | None, str]]:
    """word -> (VADER valence, Pattern polarity, Pattern subjectivity, Penn tag) from data/subjectivity.tsv."""
    out = {}
    for line in (DATA / "subjectivity.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        w, v, p, s, pos = line.split("\t")
        out[w] = (float(v) if v else None, float(p) if p else None, float(s) if s else None, pos)
    return out


@lru_cache(maxsize=1)
def default_model() -> FramingModel:
    return FramingModel.from_json((DATA / "framing_model.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# candidates and their features


@dataclass
class Candidate:
    article: str
    start: int
    end: int
    word: str
    stem: str
    sentence: int  # index among the article's sentences
    features: dict[str, float]
    curated: str | None = None  # LOADED category: always flagged
    scare: bool = False
    score: float = 0.0
    contextual: str | None = None  # CONTEXTUAL category: flagged when the model scores it high


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


_ATTRIBUTION = re.compile(r"\b(?:" + SPEECH_VERBS + r"|saying|calling|dubbed|dubbing|labell?ed|branded|termed|"
                          r"critici[sz]ed|denounced|slammed|blasted|decried|derided|mocked|described as)\b", re.I)


@lru_cache(maxsize=4096)
def _quotes(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(speaker quotations, scare quotes) as (start, end) with the marks. A quotation of QUOTE_MIN_WORDS words
    or more is the speaker's; so is a shorter one in a sentence with an attribution verb ("they criticised
    the "occupying" US military", "called him a "relatable guy""). The other short ones are scare quotes."""
    long_: list[tuple[int, int]] = []
    short: list[tuple[int, int]] = []
    for a, ia, ie, b in quote_spans(text):
        if len(text[ia:ie].split()) >= QUOTE_MIN_WORDS:
            long_.append((a, b))
            continue
        lo = max(text.rfind(". ", 0, a), text.rfind("\n", 0, a)) + 1
        hi = min(x for x in (text.find(". ", b), text.find("\n", b), len(text)) if x >= 0)
        (long_ if _ATTRIBUTION.search(text[lo:a] + " " + text[b:hi]) else short).append((a, b))
    return long_, short


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_FORMS: dict[str, tuple[str, str]] = {}  # word as written -> (normalised, Porter stem)


def _form(word: str) -> tuple[str, str]:
    f = _FORMS.get(word)
    if f is None:
        if len(_FORMS) > 200_000:  # bounded in a long-running server
            _FORMS.clear()
        low = _norm(word)
        f = _FORMS[word] = (low, porter(low))
    return f


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[tuple[int, int, str, str, str], ...]:
    """(start, end, word, normalised, stem) of every word of a text (memoised: the text of one article)."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        low, st = _form(w)
        out.append((m.start(), m.end(), w, low, st))
    return tuple(out)


def candidates(articles, sentences, model: FramingModel | None = None) -> list[Candidate]:
    """Every word of every article that may be flagged (outside speaker quotations), with its features."""
    model = model or default_model()
    lex = lexicon()
    tokens = {a.id: _tokens(a.text) for a in articles}
    used_by: dict[str, int] = {}  # stem -> articles using it (document frequency: linear, not pairwise)
    for toks in tokens.values():
        for st in {t[4] for t in toks}:
            used_by[st] = used_by.get(st, 0) + 1
    n_others = len(articles) - 1
    bounds_of: dict[str, list[tuple[int, int]]] = {}
    for x in sentences:
        bounds_of.setdefault(x.article, []).append((x.start, x.end))
    out: list[Candidate] = []
    for a in articles:
        text = a.text
        quoted, scare = _quotes(text)
        bounds = sorted(bounds_of.get(a.id, [])) or [(0, len(text))]
        n_sent = len(bounds)
        toks = tokens[a.id]
        own_counts: dict[str, int] = {}
        for t in toks:
            own_counts[t[4]] = own_counts.get(t[4], 0) + 1
        si = qi = 0
        nq, nt = len(quoted), len(toks)
        for i, (s, e, w, low, st) in enumerate(toks):
            while qi < nq and quoted[qi][1] <= s:
                qi += 1
            if qi < nq and quoted[qi][0] <= s:
                continue
            entry = lex.get(low)
            if entry is None and low not in LOADED and low not in CONTEXTUAL and st not in model.marked:
                continue
            while si + 1 < n_sent and bounds[si + 1][0] <= s:
                si += 1
            curated = LOADED.get(low)
            if low in ("regime", "regimes") and not _NAMED_BEFORE.search(text[max(0, s - 25):s]):
                curated = None  # "regime" as a label only for a named government ("Bush regime")
            contextual = CONTEXTUAL.get(low)
            if curated is None and contextual is None and entry is None and st not in model.marked:
                continue
            if low in ENGLISH_STOP_WORDS and curated is None:
                continue
            sentence_initial = s == bounds[si][0] or text[max(0, s - 2):s].strip() in ('"', "“", "'", "‘")
            if w[0].isupper() and not sentence_initial and curated is None:
                continue  # a name ("Bush", "Hope")
            in_scare = _inside(s, scare)
            f: dict[str, float] = {"stem=" + st: 1.0}
            if entry:
                v, pol, subj, pos = entry
                if v is not None:
                    f["vader"] = 1.0
                    f["vader_neg"] = max(0.0, -v) / 4
                    f["vader_pos"] = max(0.0, v) / 4
                if subj is not None:
                    f["pattern"] = 1.0
                    f["pattern_subj"] = subj
                    f["pattern_pol"] = abs(pol or 0.0)
                f["pos=" + (pos[:2] or "?")] = 1.0
            else:
                f["unlisted"] = 1.0
            if curated or contextual:
                f["curated"] = 1.0
            if st in model.marked:
                f["marked_events"] = math.log1p(model.marked[st])
            if low.endswith("ly"):
                f["ly"] = 1.0
            if "-" in low:
                f["hyphen"] = 1.0
            if in_scare:
                f["scare"] = 1.0
            f["position"] = si / max(1, n_sent - 1)
            if si <= 2:
                f["early"] = 1.0
            if n_others:
                used = (used_by[st] - 1) / n_others  # the share of the other articles using it
                f["others_use"] = used
                if used == 0:
                    f["others_none"] = 1.0
            else:
                f["single_article"] = 1.0
            if own_counts.get(st, 0) > 1:
                f["repeated"] = 1.0
            prev = toks[i - 1][3] if i else "<s>"
            nxt = toks[i + 1][3] if i + 1 < nt else "</s>"
            f["prev=" + (toks[i - 1][4] if i else "<s>")] = 1.0
            f["next=" + (toks[i + 1][4] if i + 1 < nt else "</s>")] = 1.0
            if i and toks[i - 1][2][0].isupper() and toks[i - 1][0] != bounds[si][0]:
                f["prev_name"] = 1.0
            if i + 1 < nt and toks[i + 1][2][0].isupper():
                f["next_name"] = 1.0
            for side, word in (("prev", prev), ("next", nxt)):
                ent = lex.get(word)
                if ent and ent[0] is not None and abs(ent[0]) >= 1.5:
                    f[side + "_loaded"] = 1.0
            out.append(Candidate(a.id, s, e, w, st, si, f, curated, in_scare, contextual=contextual))
    return out


def flag(cands: list[Candidate], model: FramingModel, max_per_article: int = MAX_PER_ARTICLE) -> list[Candidate]:
    """The candidates flagged: curated labels, and the best-scoring others at or above the threshold."""
    for c in cands:
        c.score = model.score(c.features)
    chosen: list[Candidate] = [c for c in cands if c.curated]
    by_article: dict[str, list[Candidate]] = {}
    for c in cands:
        if not c.curated and c.score >= model.threshold:
            by_article.setdefault(c.article, []).append(c)
    for cs in by_article.values():
        chosen.extend(sorted(cs, key=lambda c: -c.score)[:max_per_article])
    return sorted(chosen, key=lambda c: (c.article, c.start))


# --------------------------------------------------------------------------------------------------
# the section


def find_framing(articles, entities: list[dict], ent_ctx: dict, sentences=None,
                 model: FramingModel | None = None) -> list[FramingItem]:
    """Per article, its loaded wording outside quotations, each with its evidence and the others' wording."""
    model = model or default_model()
    if sentences is None:
        from newsbrief.segment import segment_article

        sentences = [s for a in articles for s in segment_article(a)]
    order = [a.id for a in articles]
    by_id = {a.id: a for a in articles}
    sents_of: dict[str, list] = {a.id: sorted((s for s in sentences if s.article == a.id), key=lambda s: s.start)
                                 for a in articles}
    flagged = flag(candidates(articles, sentences, model), model)
    flagged = _phrase_flags(articles, flagged) + flagged
    persons = [e for e in entities if e["type"] == "person"]
    resolver = ent_ctx.get("resolver", {})
    mentions = [m for m in ent_ctx.get("mentions", []) if m.text in resolver]
    aligner = _Aligner(articles, sents_of)
    out = []
    for a in articles:
        terms = []
        for group in _merge(a.text, [c for c in flagged if c.article == a.id]):
            terms.append(_term(a, group, by_id, order, persons, mentions, resolver, aligner, model))
        if terms:
            out.append(FramingItem(article=a.id, source=a.label(), terms=terms))
    return out


def _phrase_flags(articles, flagged: list[Candidate]) -> list[Candidate]:
    out = []
    for a in articles:
        low = a.text.lower()
        if "zionist" not in low and "axis of" not in low:
            continue
        quoted, _ = _quotes(a.text)
        for m in _PHRASE.finditer(a.text):
            if not _inside(m.start(), quoted):
                out.append(Candidate(a.id, m.start(), m.end(), m.group(1), _norm(m.group(1)), 0, {"curated": 1.0},
                                     _PHRASES[_norm(m.group(1))], False, 1.0))
    return out


def _merge(text: str, cands: list[Candidate]) -> list[list[Candidate]]:
    """Adjacent flagged words (separated by a space or a hyphen) as one phrase."""
    groups: list[list[Candidate]] = []
    for c in sorted(cands, key=lambda c: c.start):
        if groups and (c.start < groups[-1][-1].end or re.fullmatch(r"[ -]?", text[groups[-1][-1].end:c.start])):
            if c.start >= groups[-1][-1].end:
                groups[-1].append(c)
            continue
        groups.append([c])
    return groups


def _evidence(c: Candidate, model: FramingModel, n_articles: int) -> list[str]:
    lex = lexicon().get(_norm(c.word))
    ev = []
    if c.curated or c.contextual:
        ev.append("curated list of loaded labels")
    if lex:
        v, pol, subj, _ = lex
        if v is not None:
            ev.append(f"VADER valence {v:+.1f}")
        if subj is not None and subj >= 0.3:
            ev.append(f"Pattern subjectivity {subj:.1f}")
    if c.stem in model.marked:
        n = model.marked[c.stem]
        ev.append(f"marked as loaded in {n} annotated news stor{'y' if n == 1 else 'ies'} (BASIL)")
    if c.scare:
        ev.append("in scare quotes")
    if n_articles > 1:
        used = c.features.get("others_use", 0.0)
        ev.append("no other outlet uses the word" if used == 0 else
                  f"{round(used * (n_articles - 1))} of {n_articles - 1} other outlets use it too")
    return ev


def _category(c: Candidate) -> str:
    if c.curated or c.contextual:
        return c.curated or c.contextual  # type: ignore[return-value]
    if c.scare:
        return "scare quotes"
    low = _norm(c.word)
    pos = (lexicon().get(low) or (None, None, None, ""))[3][:2]
    if not pos:  # a word no tagged lexicon lists: guess from its ending
        pos = "RB" if low.endswith("ly") else "VB" if low.endswith(("ed", "ing")) else \
            "JJ" if low.endswith(("ic", "ous", "ive", "ful", "less", "able", "ible")) else ""
    return _POS_NAMES.get(pos, "evaluative word")


def _term(a, group: list[Candidate], by_id, order, persons, mentions, resolver, aligner, model) -> FramingTerm:
    head = max(group, key=lambda c: (bool(c.curated), c.score))
    s, e = group[0].start, group[-1].end
    text = a.text
    target, kind, ps, pe = None, None, s, e
    labelled = bool(head.curated or head.contextual)
    if labelled:
        target, kind, ps, pe = _target(text, s, e, a.id, mentions, resolver)
    else:
        target, kind = _sentence_person(a, head, aligner, mentions, resolver)
    neutral: list[NeutralWording] = []
    if kind == "group" and labelled and target:
        neutral = _group_wording(a, target, by_id, order)
    elif kind == "person" and labelled:
        ent = next((x for x in persons if x["name"] == target), None)
        for r in (ent or {}).get("roles", []):
            for c in r["citations"]:
                if c["article"] != a.id:
                    neutral.append(NeutralWording(text=r["text"], article=c["article"], citation=Span.from_dict(c),
                                                  kind="role"))
    if not neutral:
        neutral = aligner.wording(a.id, s, e, {c.stem for c in group})
    seen: set[str] = set()
    kept = []
    for n in sorted(neutral, key=lambda n: order.index(n.article)):
        if n.article not in seen:
            seen.add(n.article)
            kept.append(n)
    citation = Span.from_dict(span(a.id, text, ps, pe))
    return FramingTerm(term=text[s:e], category=_category(head), quoted=False, target=target, target_kind=kind,
                       citation=citation, neutral=kept[:3], evidence=_evidence(head, model, len(order)),
                       score=round(head.score, 3))


def _sentence_person(a, c: Candidate, aligner, mentions, resolver) -> tuple[str | None, str | None]:
    """The person named closest to the word in its sentence, if any."""
    bounds = aligner.bounds(a.id, c.start)
    if bounds is None:
        return None, None
    lo, hi = bounds
    near = [(abs(m.start - c.start), resolver[m.text]) for m in mentions if m.article == a.id and lo <= m.start < hi]
    if not near:
        return None, None
    return min(near)[1], "person"


class _Aligner:
    """The sentence of another article that reports the same thing (content-stem overlap), and the words it
    uses in place of a flagged phrase."""

    def __init__(self, articles, sents_of: dict[str, list]):
        self.articles = articles
        self.sents_of = sents_of
        self.stems = {aid: [content_stems(s.text) for s in ss] for aid, ss in sents_of.items()}

    def bounds(self, aid: str, pos: int) -> tuple[int, int] | None:
        for s in self.sents_of.get(aid, []):
            if s.start <= pos < s.end:
                return s.start, s.end
        return None

    def wording(self, aid: str, start: int, end: int, stems: set[str]) -> list[NeutralWording]:
        own = next((i for i, s in enumerate(self.sents_of.get(aid, [])) if s.start <= start < s.end), None)
        if own is None:
            return []
        sent = self.sents_of[aid][own]
        mine = self.stems[aid][own]
        out = []
        for b in self.articles:
            if b.id == aid or not self.stems.get(b.id):
                continue
            best, j = max((len(mine & x) / max(1, len(mine | x)), j) for j, x in enumerate(self.stems[b.id]))
            if best < ALIGN_MIN:
                continue
            other = self.sents_of[b.id][j]
            ps, pe = _counterpart(sent, start, end, other)
            if (ps, pe) == (other.start, other.end) and best < ALIGN_SENTENCE:
                continue
            if {porter(_norm(w)) for w in _WORD.findall(b.text[ps:pe])} & stems:
                continue  # the same word: no contrast
            if not _inside_long_quote(b.text, ps):
                out.append(NeutralWording(text=b.text[ps:pe].strip(), article=b.id,
                                          citation=Span.from_dict(span(b.id, b.text, ps, pe)),
                                          kind="wording" if (ps, pe) != (other.start, other.end) else "sentence"))
        return out


def _inside_long_quote(text: str, pos: int) -> bool:
    return _inside(pos, _quotes(text)[0])


def _content_tokens(text: str, offset: int) -> list[tuple[int, int, str]]:
    return [(offset + m.start(), offset + m.end(), porter(_norm(m.group()))) for m in _WORD.finditer(text)
            if _norm(m.group()) not in STOP]


def _counterpart(sent, start: int, end: int, other) -> tuple[int, int]:
    """The words of `other` between the content words that surround [start, end) in `sent`, when both anchors
    occur in `other` in order with at most 6 words between; else the whole sentence `other`."""
    mine = _content_tokens(sent.text, sent.start)
    theirs = _content_tokens(other.text, other.start)
    pos_of: dict[str, list[tuple[int, int]]] = {}
    for s, e, st in theirs:
        pos_of.setdefault(st, []).append((s, e))
    left = [t for t in mine if t[1] <= start and t[2] in pos_of][-1:]
    right = [t for t in mine if t[0] >= end and t[2] in pos_of][:1]
    if left and right:
        # the function words between the anchors and the phrase in `sent` ("announced a | disastrous")
        lead_words = _WORD.findall(sent.text[left[0][1] - sent.start:start - sent.start])
        trail_words = _WORD.findall(sent.text[end - sent.start:right[0][0] - sent.start])
        for _, le in pos_of[left[0][2]]:
            for rs, _ in pos_of[right[0][2]]:
                if not (le < rs and len(other.text[le - other.start:rs - other.start].split()) <= 6):
                    continue
                words = [(m.start() + le, m.end() + le, _norm(m.group()))
                         for m in _WORD.finditer(other.text[le - other.start:rs - other.start])]
                if [w for _, _, w in words[:len(lead_words)]] == [_norm(w) for w in lead_words]:
                    words = words[len(lead_words):]
                if trail_words and [w for _, _, w in words[-len(trail_words):]] == [_norm(w) for w in trail_words]:
                    words = words[:-len(trail_words)]
                if words:
                    return words[0][0], words[-1][1]
    return other.start, other.end


# --------------------------------------------------------------------------------------------------
# actors of the curated labels (persons, national groups)


def _nat_key(word: str) -> str | None:
    w = word.lower()
    if w == "bush":
        return "US"
    return NATIONALITY.get(w)


def _nat_variants(key: str) -> str:
    names = [k for k, v in NATIONALITY.items() if v == key] + (["U.S."] if key == "US" else [])
    return "|".join(sorted({re.escape(n) for n in names} | {re.escape(n.upper()) for n in names}
                           | {re.escape(n.capitalize()) for n in names}, key=len, reverse=True))


_CURATED = re.compile(r"(?<![\w-])(" + word_tree({**LOADED, **CONTEXTUAL}) + r")(?![\w-])", re.I)


def _group_wording(a, target: str, by_id, order) -> list[NeutralWording]:
    nat, noun = target.split()[0], target.split()[-1]
    pat = re.compile(_NEUTRAL_GROUP.format(nat=_nat_variants(nat), nouns=_NOUNS.get(noun, noun)))
    out = []
    for oid in order:
        other = by_id[oid]
        if oid == a.id:
            continue
        for mm in pat.finditer(other.text):
            if _CURATED.search(other.text[max(0, mm.start() - 20):mm.start()]):
                continue  # "occupying US military" is not neutral
            out.append(NeutralWording(text=mm.group(0), article=oid,
                                      citation=Span.from_dict(span(oid, other.text, mm.start(), mm.end())),
                                      kind="group"))
            break
    return out


def _target(text: str, s: int, e: int, aid: str, mentions, resolver) -> tuple[str | None, str | None, int, int]:
    """The actor a curated label is about: the person named right after/before it, or a national group."""
    after = text[e:e + 40]
    for m in mentions:
        if m.article == aid and e <= m.start <= e + 3 + len(re.match(r"\s*", after).group()):  # type: ignore[union-attr]
            return resolver[m.text], "person", s, m.end
    before = text[max(0, s - 40):s]
    for m in mentions:
        if m.article == aid and s - 3 <= m.end <= s and m.end > s - 40:
            return resolver[m.text], "person", m.start, e
    # a national group: "American invaders", "occupying US military", "Bush regimes’ puppet"
    na = re.match(r"[\"”’']?\s*(?:the\s+)?(" + _NAT.pattern + r")(?:['’]s?)?"
                  r"(\s+(?:military|forces|troops|army|government|soldiers))?", after)
    if na:
        key = _nat_key(na.group(1))
        if key:
            noun = (na.group(3) or " forces").strip()
            return f"{key} {noun}", "group", s, e + na.end()
    nb = re.search(r"(" + _NAT.pattern + r")(?:['’]s?)?\s*$", before)
    if nb:
        key = _nat_key(nb.group(1))
        if key:
            noun = "government" if "regime" in text[s:e].lower() else "forces"
            return f"{key} {noun}", "group", s - len(before) + nb.start(), e
    return None, None, s, e


# --------------------------------------------------------------------------------------------------
# for other stages


def loaded_words(text: str, model: FramingModel | None = None) -> list[str]:
    """The words of `text` (one sentence or one article, read alone) that the framing model flags as the
    writer's loaded wording: curated labels and words scoring at or above the threshold, never words inside a
    speaker's quotation. Without other outlets to compare, the contrast features are simply absent.
    A drop-in for the summary's form prior (select.py, which today tests text.wordlists.LOADED_LABELS)."""
    from newsbrief.model import Article, Sentence

    model = model or default_model()
    a = Article(id="_", text=text)
    cands = candidates([a], [Sentence("_", 0, 0, len(text), text)], model)
    return [c.word for c in flag(cands, model, max_per_article=len(cands) or 1)]
