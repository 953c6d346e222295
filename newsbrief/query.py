"""Question-focused briefs: rank the cluster's sentences for relevance to a question or topic statement.

    >>> newsbrief.brief(["examples/us-iran-talks/"], query="What happened to the detainees?")

A sentence's relevance to the query mixes two signals, each scaled to [0, 1] over the cluster:

* lexical: TF-IDF cosine (the cluster's IDF, the light stemmer of newsbrief.features) between the
  sentence and the query's content terms, other word forms of a term counted `variant_weight`
  ("detained" for "detainees"). The query loses its instruction words ("Describe", "Include", "What are
  ..."); a topic's title counts `title_weight` times; the query is expanded by pseudo-relevance feedback
  (Rocchio): the mean TF-IDF vector of the `expansion_sentences` most relevant sentences, weighted
  `expansion`;
* semantic: MiniLM cosine between the sentence and the query, mixed (`aspect_weight`) with its best cosine
  to one part of the query (a topic's title and each sentence of its narrative), for the `embedded`
  sentences that rank best lexically (the others get the lowest score seen), which bounds the model's cost.

A topic statement (title and narrative, several parts) weighs the semantic signal `semantic_weight`; a
one-part query, a question, `question_semantic_weight`: there the words it asks about are the sharper
evidence. Selection then keeps its objective (select.py: weighted bigram coverage plus a prior) with three
changes (a `select.Focus`): sentences below `min_relevance` are left out; each other sentence's prior is
multiplied by `(1 - prior_boost) + prior_boost * r` and raised by `relevance_prior * r * form`; each
concept's weight is multiplied by `(1 - concept_boost) + concept_boost * R`, with `r` the sentence's
relevance and `R` the best relevance among the sentences that use the concept. A later event's articles stay
in (a question may be about it), and query mode uses `selection` (a flatter position prior: the answer is not
always in the lead). The summary is shown most relevant first. When no sentence reaches `answered_semantic`
(MiniLM) or `answered_lexical` (the share of the query's terms a sentence matches, with a weaker semantic
floor), the brief says that nothing answers the question (`Brief.answered` is False) and gives the generic
brief instead (on DUC 2006 + 2007 main: every topic's own statement is answered, another topic's statement
4 times in 73; scripts/tune_focus.py --answered).

The analysis is restricted to what bears on the question: items whose citations lie in relevant
sentences (relevance >= `relevant`, or in the summary).

Parameters were chosen on DUC 2006 only (scripts/tune_focus.py, 5-fold CV); DUC 2007 main is reported
(BENCHMARKS.md). A learned concept model with query features (`concept_model`, QUERY_CONCEPT_FEATURES) was
tried and did not beat the multiplicative weighting under CV; it is kept as an option.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from newsbrief.features import content_terms, porter_bigrams
from newsbrief.model import Analysis, Sentence, Span
from newsbrief.select import Focus
from newsbrief.text.stem import light_stem, rouge_stem
from newsbrief.text.wordlists import STOP_WORDS

Embedder = Callable[[list[str]], np.ndarray]
_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")  # as features.porter_bigrams tokenizes

# words of a topic statement or question that say what to do, not what about
INSTRUCTION_WORDS = frozenset(
    """describe discuss include includ including identify explain provide detail details information info give
    report reported note summarize summarise specify characterize characterise list mention tell find question
    questions topic topics issue issues aspect aspects extent kind kinds type types way ways happen happened
    happening happens involved involve involving regard regarding concerning concern related relate relating
    specific specifically particular particularly various main important example examples know known
    want wants like current currently recent recently latest new news story stories article articles
    efforts effort role roles status development developments progress measures steps taken case cases
    reaction reactions response responses impact impacts effect effects""".split()
)
_QUESTION_WORDS = frozenset("what which who whom whose when where why how whether did does do is are was were can "
                            "could will would should has have had any there".split())


@dataclass(frozen=True)
class QueryConfig:
    title_weight: float = 2.0  # a topic's title terms count this many times in the query vector
    expansion: float = 1.0  # Rocchio weight of the top sentences' mean vector (0: no expansion)
    expansion_sentences: int = 10
    semantic_weight: float = 1.0  # relevance = (1 - w) * lexical + w * semantic (each scaled to [0, 1]) ...
    question_semantic_weight: float = 0.5  # ... for a one-part query (a question), where the words matched are
    # sharper evidence than MiniLM's topical similarity (not tuned: DUC topics all have a title and a narrative)
    embedded: int = 300  # sentences embedded for the semantic score (the best lexically)
    aspect_weight: float = 0.5  # semantic = (1 - w) * cos(query) + w * max over the query's parts of cos(part)
    prior_boost: float = 0.7  # prior * ((1 - b) + b * relevance)
    relevance_prior: float = 1.0  # ... + this * relevance * form (the prior's scale: position 1, centrality 1)
    concept_boost: float = 0.7  # concept weight * ((1 - b) + b * best relevance of a sentence using it)
    relevance_power: float = 1.0  # relevance ** power before use (sharper contrast above 1)
    min_relevance: float = 0.2  # sentences less relevant than this (1 = the best) are not chosen
    variant_weight: float = 0.8  # a word form of a query term ("detained" for "detainees") counts this much
    answered_semantic: float = 0.5  # MiniLM cosine of a sentence to the question that answers it ...
    answered_lexical: float = 0.5  # ... or this share of the query's term weight matched in one sentence
    answered_floor: float = 0.3  # ... with at least this MiniLM cosine
    relevant: float = 0.5  # the analysis keeps items citing sentences with relevance >= this
    keep_later: bool = True  # a question may be about a later event: its articles are not left out
    selection: tuple[tuple[str, Any], ...] = (("position_decay", 10.0),)  # SelectionConfig fields changed here
    # concept weights with query features: a logistic regression over select.CONCEPT_FEATURES followed by
    # QUERY_CONCEPT_FEATURES (intercept first), fitted on DUC 2006 by scripts/tune_focus.py --learn; empty:
    # the generic concept model times the concept_boost factor
    concept_model: tuple[float, ...] = ()


DEFAULT_QUERY = QueryConfig()


def query_text(query: Any) -> str:
    """A query as text: a string as is; a topic {"title", "narrative"} (DUC) as "title. narrative"."""
    if query is None:
        return ""
    if isinstance(query, dict):
        parts = [str(query.get(k) or "").strip() for k in ("title", "narrative", "question", "text")]
        return ". ".join(p.rstrip(".") for p in parts if p) + ("." if any(parts) else "")
    return str(query).strip()


def query_parts(query: Any) -> list[str]:
    """The parts of a topic statement: its title and each sentence of its narrative (a question: itself);
    [] when there is only one part."""
    from newsbrief.segment import split_sentences

    title = _title_of(query)
    body = str(query.get("narrative") or "") if isinstance(query, dict) else query_text(query)
    parts = ([title] if title else []) + [s.strip() for s in split_sentences(body) if s.strip()]
    return parts if len(parts) > 1 else []


def _title_of(query: Any) -> str:
    return str(query.get("title") or "") if isinstance(query, dict) else ""


def query_terms(query: Any, config: QueryConfig = DEFAULT_QUERY) -> dict[str, float]:
    """Stemmed content terms of the query with their weights (title terms `title_weight`, others 1)."""
    weights: dict[str, float] = {}
    title = _title_of(query)
    if isinstance(query, dict):
        body = query_text({k: v for k, v in query.items() if k != "title"})
    else:
        body = query_text(query)
    for text, w in ((title, config.title_weight), (body, 1.0)):
        for t in _terms(text):
            weights[t] = max(weights.get(t, 0.0), w)
    return weights


_SKIP = frozenset(light_stem(w) for w in INSTRUCTION_WORDS | _QUESTION_WORDS)


def _terms(text: str) -> list[str]:
    return [t for t in content_terms(text) if t not in _SKIP]


@dataclass
class Relevance:
    """Per sentence: relevance in [0, 1] (1 = the best), and the raw signals."""

    score: np.ndarray  # combined, / its max
    lexical: np.ndarray  # TF-IDF cosine to the (expanded) query
    matched: np.ndarray  # share of the query's term weight the sentence contains (no expansion)
    semantic: np.ndarray  # MiniLM cosine to the query (nan where not embedded)
    answered: bool

    def best(self) -> int:
        return int(np.argmax(self.score)) if len(self.score) else -1


def variants(term: str, vocab: dict[str, int]) -> list[str]:
    """Other word forms of `term` in the vocabulary: a shared prefix of at least 5 letters and 3/4 of the
    shorter word ("detaine" / "detain", "reservation" / "reserv")."""
    if len(term) < 5 or term.isdigit():
        return []
    out = []
    for v in vocab:
        if v == term or v[:5] != term[:5]:
            continue
        k = 5
        while k < min(len(v), len(term)) and v[k] == term[k]:
            k += 1
        if k >= 0.75 * min(len(v), len(term)):
            out.append(v)
    return out


def _tfidf(texts: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for r, terms in enumerate(texts):
        counts: dict[int, int] = {}
        for t in terms:
            j = vocab.setdefault(t, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        rows += [r] * len(counts)
        cols += list(counts)
        vals += [1.0 + np.log(c) for c in counts.values()]
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))


def relevance(
    sentences: Sequence[Sentence],
    query: Any,
    embed: Embedder | None = None,
    vectors: dict[int, np.ndarray] | None = None,
    config: QueryConfig = DEFAULT_QUERY,
    prior: np.ndarray | None = None,
) -> Relevance:
    """Relevance of each sentence to `query` (a question, or a topic {"title", "narrative"}).

    `embed` (texts -> unit vectors) adds the MiniLM signal; `vectors` are sentence vectors already computed
    (index -> vector, reused). `prior`: only sentences with a positive prior are embedded (others could
    never be chosen) -- None: any sentence."""
    n = len(sentences)
    qw = query_terms(query, config)
    if n == 0:
        z = np.zeros(0)
        return Relevance(z, z, z, z, False)
    vocab: dict[str, int] = {}
    m = _tfidf([content_terms(s.text) for s in sentences], vocab)
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1.0
    m = (m @ sparse.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = (sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ m).tocsr()
    q = np.zeros(m.shape[1])
    for t, w in qw.items():
        j = vocab.get(t)
        if j is not None:
            q[j] = max(q[j], w * idf[j])
        for v in variants(t, vocab):
            q[vocab[v]] = max(q[vocab[v]], config.variant_weight * w * idf[vocab[v]])
    total = sum(w * (idf[vocab[t]] if t in vocab else idf.max()) for t, w in qw.items())
    matched = np.asarray((m > 0).astype(float) @ q).ravel() / max(total, 1e-12)
    lexical = np.asarray(m @ (q / max(np.linalg.norm(q), 1e-12))).ravel()
    if config.expansion > 0 and lexical.max() > 0:
        top = np.argsort(-lexical, kind="stable")[: config.expansion_sentences]
        top = top[lexical[top] > 0]
        centroid = np.asarray(m[top].mean(axis=0)).ravel()
        qe = q / max(float(np.linalg.norm(q)), 1e-12) + config.expansion * centroid / max(
            float(np.linalg.norm(centroid)), 1e-12)
        lexical = np.asarray(m @ (qe / max(float(np.linalg.norm(qe)), 1e-12))).ravel()
    semantic = np.full(n, np.nan)
    if embed is not None and config.semantic_weight > 0 or embed is not None and config.answered_semantic < 1:
        allowed = np.ones(n, bool) if prior is None else np.asarray(prior) > 0
        order = [int(i) for i in np.argsort(-(lexical + matched), kind="stable") if allowed[i]][: config.embedded]
        known = dict(vectors or {})
        missing = [i for i in order if i not in known]
        parts = query_parts(query)
        texts = [query_text(query)] + parts + [sentences[i].text for i in missing]
        got = embed(texts)
        qv, pv = got[0], got[1 : 1 + len(parts)]
        known.update(zip(missing, got[1 + len(parts):]))
        aspect = np.full(n, np.nan)
        for i in order:
            semantic[i] = float(known[i] @ qv)
            if len(pv):
                aspect[i] = float((pv @ known[i]).max())
    else:
        aspect = np.full(n, np.nan)
    lex_n = lexical / lexical.max() if lexical.max() > 0 else lexical
    w = config.semantic_weight if query_parts(query) else config.question_semantic_weight
    if np.isfinite(semantic).any() and w > 0:
        combined = semantic
        if np.isfinite(aspect).any() and config.aspect_weight > 0:  # the best-matching part of the query too
            combined = (1 - config.aspect_weight) * semantic + config.aspect_weight * aspect
        sem = np.where(np.isfinite(combined), combined, np.nanmin(combined))
        lo, hi = sem.min(), sem.max()
        sem_n = (sem - lo) / (hi - lo) if hi > lo else np.zeros(n)
        score = (1 - w) * lex_n + w * sem_n
    else:
        score = lex_n
    score = score / score.max() if score.max() > 0 else score
    if config.relevance_power != 1.0:
        score = score ** config.relevance_power
    return Relevance(score, lexical, matched, semantic, answered(matched, semantic, config))


def answered(matched: np.ndarray, semantic: np.ndarray, config: QueryConfig = DEFAULT_QUERY) -> bool:
    """Does any sentence answer the query? Either its MiniLM cosine to the query is high, or it matches most of
    the query's term weight and is at least loosely related by MiniLM. Without MiniLM: term matching alone."""
    if not len(matched):
        return False
    sem = np.where(np.isfinite(semantic), semantic, -1.0)
    if not np.isfinite(semantic).any():
        return bool(matched.max() >= config.answered_lexical)
    if sem.max() >= config.answered_semantic:
        return True
    return bool(((matched >= config.answered_lexical) & (sem >= config.answered_floor)).any())


QUERY_CONCEPT_FEATURES = ("query term", "title term", "best relevance", "mean relevance", "relevance mass",
                          "best MiniLM")


def query_stems(query: Any) -> tuple[frozenset[str], frozenset[str]]:
    """Porter stems (as concepts are stemmed) of the query's content words, and of its title's."""
    def stems(text: str) -> frozenset[str]:
        return frozenset(rouge_stem(w) for w in _ROUGE_TOKEN.findall(text.lower())
                         if w not in STOP_WORDS and w not in INSTRUCTION_WORDS and w not in _QUESTION_WORDS
                         and not (w.isdigit() and len(w) < 2))

    return stems(query_text(query)), stems(_title_of(query))


class ConceptStats:
    """Per concept (Porter bigram): the relevance of the sentences using it, for QUERY_CONCEPT_FEATURES."""

    def __init__(self, sentences: Sequence[Sentence], rel: Relevance, query: Any):
        self.best: dict[object, float] = {}
        self.total: dict[object, float] = {}
        self.uses: dict[object, int] = {}
        self.semantic: dict[object, float] = {}
        sem = np.where(np.isfinite(rel.semantic), rel.semantic, 0.0)
        for s, ri, si in zip(sentences, rel.score.tolist(), sem.tolist()):
            for b in porter_bigrams(s.text):
                self.best[b] = max(self.best.get(b, 0.0), ri)
                self.total[b] = self.total.get(b, 0.0) + ri
                self.uses[b] = self.uses.get(b, 0) + 1
                self.semantic[b] = max(self.semantic.get(b, 0.0), si)
        self.stems, self.title = query_stems(query)

    def matrix(self, concepts: Sequence[Any]) -> np.ndarray:
        """One row of QUERY_CONCEPT_FEATURES per concept."""
        x = np.zeros((len(concepts), len(QUERY_CONCEPT_FEATURES)))
        for r, b in enumerate(concepts):
            uses = self.uses.get(b, 0)
            x[r] = (
                float(any(t in self.stems for t in b)),
                float(any(t in self.title for t in b)),
                self.best.get(b, 0.0),
                self.total.get(b, 0.0) / max(uses, 1),
                math.log1p(self.total.get(b, 0.0)),
                self.semantic.get(b, 0.0),
            )
        return x


def focus(sentences: Sequence[Sentence], rel: Relevance, config: QueryConfig = DEFAULT_QUERY,
          form: np.ndarray | None = None, query: Any = None) -> Focus:
    """The selection changes of a question: relevance in the prior and in the concept weights (`form`:
    select.sentence_form of the sentences, scales the relevance bonus; `query`: for the concept model)."""
    r = rel.score
    bonus = config.relevance_prior * r * (form if form is not None else 1.0)
    prior_factor = np.where(r >= config.min_relevance, (1 - config.prior_boost) + config.prior_boost * r, 0.0)
    stats = ConceptStats(sentences, rel, query)
    if config.concept_model:
        coef = np.asarray(config.concept_model)

        def concept_weights(concepts: list, x: np.ndarray) -> list[float]:
            z = coef[0] + np.hstack([x, stats.matrix(concepts)]) @ coef[1:]
            return (1.0 / (1.0 + np.exp(-z))).tolist()

        return Focus(prior_factor=prior_factor, prior_bonus=bonus, concept_weights=concept_weights,
                     keep_later=config.keep_later)
    cb = config.concept_boost

    def concept_factor(b: object) -> float:
        return (1 - cb) + cb * stats.best.get(b, 0.0)

    return Focus(prior_factor=prior_factor, prior_bonus=bonus, concept_factor=concept_factor,
                 keep_later=config.keep_later)


def selection_config(base, config: QueryConfig = DEFAULT_QUERY):
    """The SelectionConfig of query mode: `base` with `config.selection`'s fields changed."""
    return dataclasses.replace(base, **dict(config.selection)) if config.selection else base


# --------------------------------------------------------------------------------------------------
# the analysis restricted to the question


def relevant_spans(sentences: Sequence[Sentence], rel: Relevance, extra: Sequence[Span] = (),
                   config: QueryConfig = DEFAULT_QUERY) -> dict[str, list[tuple[int, int]]]:
    """article -> (start, end) of the relevant sentences (relevance >= `relevant`), plus `extra` spans."""
    out: dict[str, list[tuple[int, int]]] = {}
    for s, r in zip(sentences, rel.score):
        if r >= config.relevant:
            out.setdefault(s.article, []).append((s.start, s.end))
    for sp in extra:
        out.setdefault(sp.article, []).append((sp.start, sp.end))
    return out


def _inside(span: Span, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(a < span.end and span.start < b for a, b in spans.get(span.article, ()))


def restrict_analysis(analysis: Analysis, spans: dict[str, list[tuple[int, int]]],
                      texts: dict[str, str] | None = None) -> Analysis:
    """The analysis items that bear on the question: those with a citation inside a relevant sentence.
    Entities: those named in a relevant sentence (`texts`: article id -> cleaned text)."""
    def any_in(citations: Sequence[Span]) -> bool:
        return any(_inside(c, spans) for c in citations)

    relevant_text = " ".join(texts[a][s:e] for a, lst in spans.items() if texts and a in texts for s, e in lst)
    framing = []
    for item in analysis.framing:
        terms = [t for t in item.terms if _inside(t.citation, spans)]
        if terms:
            framing.append(dataclasses.replace(item, terms=terms))
    return Analysis(
        consensus=[c for c in analysis.consensus if any_in(c.citations)],
        single_source=[c for c in analysis.single_source if any_in(c.citations)],
        conflicts=[c for c in analysis.conflicts if any(any_in(s.sentences or s.citations) for s in c.sides)],
        agreements=[g for g in analysis.agreements if any(any_in(s.sentences or s.citations) for s in g.sides)],
        quotes=[q for q in analysis.quotes if any_in(q.citations)],
        entities=[e for e in analysis.entities
                  if any(re.search(r"\b" + re.escape(v) + r"\b", relevant_text) for v in [e.name, *e.variants] if v)],
        timeline=[t for t in analysis.timeline if any_in(t.citations)],
        framing=framing,
    )


__all__ = ["QueryConfig", "DEFAULT_QUERY", "Relevance", "relevance", "answered", "focus", "query_text",
           "query_terms", "restrict_analysis", "relevant_spans", "selection_config", "INSTRUCTION_WORDS"]
