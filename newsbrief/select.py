"""Selection: score sentences, then pick a non-redundant set under a word budget, in reading order.

Objective (greedy, cost-scaled, as in Lin & Bilmes 2010/ICSISumm): weighted coverage of bigram
"concepts" plus a per-sentence prior (position in its article, centrality to the cluster,
cross-source support, length/form), with a hard redundancy cap on similarity to what is already
chosen. A concept's weight is its predicted chance of appearing in a human summary, from cluster
statistics only (how many articles use it, how early, how often; a logistic regression fitted by
scripts/tune.py on the tuning sets, as in Li, Qian & Liu 2013's supervised bigram weights).
Sentences are paid for at their compressed length (newsbrief.compress: datelines, leading
connectives and days cut), which is what the brief shows.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsbrief import compress, support
from newsbrief.features import SEMANTIC_SAME, SentenceFeatures, bigrams, porter_bigrams, semantic_veto
from newsbrief.model import Analysis, Article, Claim, Sentence, Span, SummarySentence
from newsbrief.text.wordlists import LOADED_LABELS, STOP_WORDS

MIN_ARTICLE_WORDS = 25  # shorter "articles" (error pages, stubs) are cited but never summarised
LATER_EVENT_FACTOR = 0.0  # a minority of articles on a later event: the summary stays on the main one

Embedder = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class SelectionConfig:
    position_decay: float = 4.0  # sentence i of an article has prior exp(-i / decay)
    position_weight: float = 1.0
    centrality_weight: float = 1.0
    support_weight: float = 0.5
    coverage_weight: float = 1.0
    prior_weight: float = 0.3  # prior vs. concept coverage in the objective
    length_exponent: float = 0.6  # gain per word ** exponent
    question_factor: float = 0.3
    pronoun_factor: float = 0.0  # never: ROUGE-neutral under CV (scripts/tune.py: 0 ~ 0.05 ~ 0.15 > 0.5)
    quote_factor: float = 0.4
    loaded_factor: float = 0.3  # sentences calling actors "puppet", "invaders", ...
    min_words: int = 6
    max_words: int = 55
    redundancy: float = 0.62  # max TF-IDF cosine to an already chosen sentence
    min_concept_share: float = 0.0  # a concept must appear in this share of the articles (at least 2)
    # compression (newsbrief.compress): a leading dateline is always cut; compress_lead also cuts a
    # leading connective ('However, ') or day ('On Tuesday, '); the selector pays for the
    # compressed length when compressed_cost is set
    compress_lead: bool = True
    compressed_cost: bool = True
    # concepts: bigrams stemmed as ROUGE stems them ("porter") or with features.stem ("light")
    concept_stem: str = "porter"
    # concept weights: logistic regression over CONCEPT_FEATURES (intercept first), fitted by
    # `scripts/tune.py --learn` on the tuning clusters: a concept weighs its predicted chance of
    # being in a human summary. Empty: the number of articles using the concept.
    concept_model: tuple[float, ...] = (-3.7578, 2.225, -0.5366, 1.1451, 0.4916, 0.8497, -0.1087, -0.3785, 0.2419)


DEFAULT = SelectionConfig()


@dataclass
class Focus:
    """What an update brief or a question changes in selection (built by newsbrief.update and newsbrief.query);
    `None` everywhere is the generic brief.

    `prior_factor`: per sentence, multiplies its prior (0: never chosen, e.g. it restates the earlier coverage);
    `prior_bonus`: per sentence, added to a prior that is still positive (relevance to a question);
    `concept_weights(concepts, x)`: the concepts' weights from their CONCEPT_FEATURES rows `x` (replaces the
    concept model, e.g. by one with query features); `concept_factor`: concept -> factor on its weight
    (concepts the earlier coverage has count less); `keep_later`: the articles of a later event stay in (a
    question may be about it)."""

    prior_factor: np.ndarray | None = None
    prior_bonus: np.ndarray | None = None
    concept_weights: Callable[[list, np.ndarray], list[float]] | None = None
    concept_factor: Callable[[object], float] | None = None
    keep_later: bool = False


# I/We: a quote's inner sentence
_PRONOUN_START = re.compile(r"^(He|She|It|They|This|These|Those|His|Her|Their|But|And|However|Also|I|We|Our|My|You)\b")
_LOADED = frozenset(LOADED_LABELS)  # single lower-case words
_LOWER_WORD = re.compile(r"[a-z]+")
_UNATTRIBUTED_QUOTE = re.compile(r"^[\"“][^\"“”]+[\"”]$")
# '..., he said.' / '"...," the assistant said.': the speaker is only known from an earlier sentence
_CONTEXT_SPEAKER = re.compile(
    r"[,.!?][\"”’]?\s+(?:(?:he|she|they|the [a-z]+)\s+(?:said|says|added|adds)"
    r"|(?:said|added)\s+(?:he|she|they|the [a-z]+))"
    r"(?:\s+\w+){0,2}[.!?]?$"
)
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")


def trimmed_span(sentence: Sentence, config: SelectionConfig = DEFAULT) -> tuple[int, int]:
    """Offsets of the sentence without its leading dateline ('BAGHDAD (AFP) – ') and, with
    `compress_lead`, a leading connective or day ('However, ', 'On Tuesday, '): one exact sub-span."""
    return sentence.start + compress.lead_cut(sentence.text, lead=config.compress_lead), sentence.end


def compressed_text(sentence: Sentence, config: SelectionConfig = DEFAULT) -> str:
    """The text of trimmed_span: what the brief shows."""
    return sentence.text[compress.lead_cut(sentence.text, lead=config.compress_lead) :]


def importance(sentences: list[Sentence], features: SentenceFeatures, n_articles: int,
               config: SelectionConfig = DEFAULT) -> np.ndarray:
    """Each sentence's prior before claims are known (every sentence counted as one source's)."""
    return sentence_priors(sentences, features, np.ones(len(sentences)), n_articles, config)


def choose(
    articles: list[Article],
    sentences: list[Sentence],
    features: SentenceFeatures,
    claims: list[Claim],
    claim_of: list[int],
    budget: int,
    config: SelectionConfig = DEFAULT,
    later: set[str] | frozenset[str] = frozenset(),
    restates: Callable[[int, list[int]], bool] | None = None,
    disputes: dict[int, list[tuple[int, int]]] | None = None,
    focus: Focus | None = None,
) -> list[int]:
    """The summary's sentences: priors with cross-source support, stub articles and the articles of a
    later event (`later`, see `later_event_articles`) left out, then `select` (`focus`: see Focus).
    `disputes` (see `conflict_sides`): once a sentence stating one side of a conflict is chosen, no sentence
    stating another side is (the summary never gives both sides of a disagreement as fact)."""
    support = np.array([claims[c].support for c in claim_of], dtype=float)
    prior = sentence_priors(sentences, features, support, len(articles), config)
    stubs = {a.id for a in articles if len(a.text.split()) < MIN_ARTICLE_WORDS}
    if len(stubs) == len(articles):  # only short texts: brief them anyway
        stubs = set()
    prior[[i for i, s in enumerate(sentences) if s.article in stubs]] = 0.0
    if focus is None or not focus.keep_later:
        prior[[i for i, s in enumerate(sentences) if s.article in later]] *= LATER_EVENT_FACTOR
    if focus is not None and focus.prior_factor is not None:
        prior = prior * focus.prior_factor
    if focus is not None and focus.prior_bonus is not None:
        prior = np.where(prior > 0, prior + focus.prior_bonus, 0.0)
    return select(sentences, features, prior, claim_of, budget, config, restates=restates,
                  exclusive=exclusive_sides(disputes or {}), focus=focus)


def exclusive_sides(disputes: dict[int, list[tuple[int, int]]]) -> dict[int, set[int]]:
    """Sentence -> the sentences that state another side of a conflict it states."""
    by_conflict: dict[int, list[tuple[int, int]]] = {}
    for i, sides in disputes.items():
        for c, side in sides:
            by_conflict.setdefault(c, []).append((i, side))
    out: dict[int, set[int]] = {}
    for members in by_conflict.values():
        for i, side in members:
            for j, other in members:
                if side != other and i != j:
                    out.setdefault(i, set()).add(j)
    return out


def later_event_articles(analysis: Analysis, n_articles: int) -> set[str]:
    """Articles the timeline places on a later event than the one most sources report."""
    later = {a for item in analysis.timeline if item.kind == "later event" for a in item.sources}
    return later if len(later) < n_articles / 2 else set()


def paraphrase_check(sentences: list[Sentence], vectors: dict[int, np.ndarray],
                     embed: Embedder) -> Callable[[int, list[int]], bool]:
    """restates(i, chosen) for select(): does sentence i say what a chosen sentence says, by MiniLM cosine
    (>= SEMANTIC_SAME, numbers not in conflict)? Sentences are embedded when first asked about."""
    cache = dict(vectors)

    def restates(i: int, chosen: list[int]) -> bool:
        missing = [j for j in [i, *chosen] if j not in cache]
        if missing:
            cache.update(zip(missing, embed([sentences[j].text for j in missing])))
        return any(
            float(cache[i] @ cache[j]) >= SEMANTIC_SAME and not semantic_veto(sentences[i].text, sentences[j].text)
            for j in chosen
        )

    return restates


def summary_sentence(articles: list[Article], chosen: Sentence, claim: Claim,
                     config: SelectionConfig = DEFAULT, check=None,
                     disputes: dict[int, list[tuple[int, int]]] | None = None) -> SummarySentence:
    """The chosen sentence, trimmed to an exact sub-span, citing every article that carries it.

    Without a support check (`support.Checker`), every article of its claim. With one, each other
    article's sentence that carries the chosen one (claim members and the article's most similar
    sentences are tried), with how it supports it ("same wording" / "paraphrase"). `disputes` (see
    `conflict_sides`): sentence index -> [(conflict, side)]; a sentence on another side of a conflict the
    chosen sentence is in is never cited for it, and the summary sentence is marked disputed."""
    claim.representative = claim.sentences.index(chosen)
    texts = {a.id: a.text for a in articles}
    start, end = trimmed_span(chosen, config)
    spans = [Span(chosen.article, start, end, texts[chosen.article][start:end])]
    disputed: list[int] = []
    if check is not None and check.active:
        i = check.index[id(chosen)]
        mine = (disputes or {}).get(i, [])
        disputed = sorted({c for c, _ in mine})
        exclude = {j for j, sides in (disputes or {}).items()
                   if any(c == c2 and side != side2 for c, side in sides for c2, side2 in mine)}
        members = [check.index[id(s)] for s in claim.sentences if s is not chosen]
        cited = check.citations(i, members, exclude=exclude)
        spans += [Span(check.sentences[j].article, check.sentences[j].start, check.sentences[j].end,
                       check.sentences[j].text) for j, _ in cited]
        kinds = [support.SOURCE] + [k for _, k in cited]
        sources = [chosen.article] + [check.sentences[j].article for j, _ in cited]
    else:
        others = [s for s in claim.sentences if s is not chosen]
        spans += [Span(s.article, s.start, s.end, s.text) for s in others]
        kinds = []
        sources = [chosen.article] + [a for a in claim.sources if a != chosen.article]
    return SummarySentence(text=spans[0].text, sources=sources, support=len(sources), spans=spans, claim=claim.id,
                           support_kinds=kinds, disputed=disputed)


def conflict_sides(analysis: Analysis, sentences: list[Sentence]) -> dict[int, list[tuple[int, int]]]:
    """Sentence index -> [(conflict index, side index)] for every sentence holding a side of a conflict
    (changes over time excluded: a later figure does not dispute an earlier one)."""
    where = {(s.article, s.start): k for k, s in enumerate(sentences)}
    spans_of: dict[str, list[tuple[int, int, int]]] = {}
    for k, s in enumerate(sentences):
        spans_of.setdefault(s.article, []).append((s.start, s.end, k))
    out: dict[int, list[tuple[int, int]]] = {}
    for c_i, c in enumerate(analysis.conflicts):
        if c.type == "change":
            continue
        for side_i, side in enumerate(c.sides):
            for sp in side.sentences or side.citations:
                i: int | None = where.get((sp.article, sp.start))
                if i is None:  # a value span: the sentence holding it
                    i = next((k for s0, e0, k in spans_of.get(sp.article, []) if s0 <= sp.start < e0), None)
                if i is not None and (c_i, side_i) not in out.setdefault(i, []):
                    out[i].append((c_i, side_i))
    return out


def empty_summary_reason(sentences: list[Sentence], budget: int, config: SelectionConfig = DEFAULT) -> str:
    """Why `choose` found nothing, in words a user can act on."""
    form = sentence_form(sentences, config)
    fits = [len(compressed_text(s, config).split()) for s, f in zip(sentences, form) if f > 0]
    if fits:
        return (f"the summary is empty: no sentence fits the {budget}-word budget (the shortest that could be "
                f"used has {min(fits)} words); ask for at least {min(fits)} words")
    longest = max((s.words for s in sentences), default=0)
    if longest > 2 * config.max_words:
        return (f"the summary is empty: the text's sentences are either over {2 * config.max_words} words "
                f"(the longest has {longest}) or too short to stand alone")
    return ("the summary is empty: no sentence can stand alone in a summary (only fragments, headings, "
            f"questions or lines that need an earlier sentence; a sentence needs {config.min_words} words or more)")


def headline(articles: list[Article], summary: list[SummarySentence]) -> str:
    """The headline of the article the brief leads with, else the first headline given."""
    titled = {a.id: a.title for a in articles if a.title}
    for s in summary:
        if s.sources[0] in titled:
            return titled[s.sources[0]]
    return next(iter(titled.values()), "")


def sentence_priors(
    sentences: list[Sentence],
    features: SentenceFeatures,
    support: np.ndarray,
    n_articles: int,
    config: SelectionConfig = DEFAULT,
) -> np.ndarray:
    """Importance of each sentence (position, centrality, support) times its form, in [0, ~2.5]."""
    n = len(sentences)
    if n == 0:
        return np.zeros(0)
    position = np.exp(-np.array([s.index for s in sentences], dtype=float) / config.position_decay)
    centroid = np.asarray(features.tfidf.mean(axis=0)).ravel()
    centrality = np.asarray(features.tfidf @ (centroid / max(np.linalg.norm(centroid), 1e-9))).ravel()
    if centrality.max() > centrality.min():
        centrality = (centrality - centrality.min()) / (centrality.max() - centrality.min())
    agree = (support - 1) / max(n_articles - 1, 1)
    prior = (
        config.position_weight * position
        + config.centrality_weight * centrality
        + config.support_weight * agree
    )
    return prior * sentence_form(sentences, config)


def sentence_form(sentences: list[Sentence], config: SelectionConfig = DEFAULT) -> np.ndarray:
    """How well each sentence stands alone in a brief, in [0, 1]; 0 = never (fragments, headings).

    Questions, sentences opening with an unresolved pronoun or connective, quotations with no
    speaker inside the sentence or one named only by a pronoun or 'the aide' ('..., he said.'),
    and loaded labels for actors read badly in a neutral brief.
    """
    memo = _form_memo(config)
    if len(memo) > 100_000:  # bounded in a long-running server
        memo.clear()
    form = np.empty(len(sentences))
    for i, s in enumerate(sentences):
        f = memo.get(s.text)
        if f is None:
            f = memo[s.text] = _form(s.text, s.words, config)
        form[i] = f
    return form


@lru_cache(maxsize=8)
def _form_memo(config: SelectionConfig) -> dict[str, float]:
    """sentence text -> form, per configuration (the pipeline asks three times per brief)."""
    return {}


def _form(text: str, words: int, config: SelectionConfig) -> float:
    """sentence_form of one sentence (memoised: the pipeline asks three times per brief)."""
    if words < config.min_words or words > config.max_words * 2 or not _ENDS_LIKE_SENTENCE.search(text):
        return 0.0
    form = 1.0
    if text.rstrip("\"”’' ").endswith("?"):
        form *= config.question_factor
    if _PRONOUN_START.match(text[compress.lead_cut(text, lead=True) :] if config.compress_lead else text):
        form *= config.pronoun_factor
    if _UNATTRIBUTED_QUOTE.match(text):
        form *= config.quote_factor
    elif _CONTEXT_SPEAKER.search(text):
        form *= config.pronoun_factor
    if not _LOADED.isdisjoint(_LOWER_WORD.findall(text.lower())):
        form *= config.loaded_factor
    if words > config.max_words:
        form *= 0.5
    return form


def select(
    sentences: list[Sentence],
    features: SentenceFeatures,
    prior: np.ndarray,
    claim_of: list[int],
    budget: int,
    config: SelectionConfig = DEFAULT,
    restates: Callable[[int, list[int]], bool] | None = None,
    exclusive: dict[int, set[int]] | None = None,
    focus: Focus | None = None,
) -> list[int]:
    """Indices of the chosen sentences (one per claim), within `budget` words, in reading order.

    `restates(i, chosen)`, when given, is a second redundancy check (a paraphrase of a chosen
    sentence that the TF-IDF cap misses; the pipeline asks MiniLM). `exclusive[i]`: sentences that may not
    be chosen with i (the other sides of a conflict i states)."""
    exclusive = exclusive or {}
    n = len(sentences)
    concepts_of = _concept_function(config)
    first_use, counts = concept_uses(sentences, concepts_of)
    # what the brief shows (and the budget pays for): the compressed sentence
    shown = [compressed_text(s, config) if config.compressed_cost else s.text for s in sentences]
    grams = [concepts_of(t) for t in shown]
    n_articles = len({s.article for s in sentences})
    min_df = max(min(2, n_articles), math.ceil(config.min_concept_share * n_articles - 1e-9))
    kept = [b for b, per in first_use.items() if len(per) >= min_df]
    weight = concept_weights(kept, first_use, counts, n_articles, config)
    if focus is not None and focus.concept_weights is not None:  # a model of its own (e.g. with query features)
        weight = dict(zip(kept, focus.concept_weights(kept, concept_matrix(kept, first_use, counts, n_articles))))
    if focus is not None and focus.concept_factor is not None:
        weight = {b: w * focus.concept_factor(b) for b, w in weight.items()}
    norm = max(sum(weight.values()), 1) / max(budget / 10, 1)  # coverage gains on the prior's scale
    lengths = np.array([max(len(t.split()), 1) for t in shown], dtype=float)
    form = sentence_form(sentences, config)

    def gain(i: int) -> float:
        coverage = sum(weight.get(b, 0) for b in grams[i] - covered) / norm
        return (config.prior_weight * prior[i] + config.coverage_weight * coverage * form[i]) \
            / lengths[i] ** config.length_exponent

    chosen: list[int] = []
    used_claims: set[int] = set()
    covered: set[tuple[str, str]] = set()
    total = 0
    # Lazy greedy (CELF): a sentence's gain only falls as concepts get covered, so a gain computed in an
    # earlier round bounds today's; only the top of the heap is re-computed. Same choice as a full scan
    # (the highest gain, the lowest index on a tie), in near-linear time.
    heap = [(-gain(i), i, 0) for i in range(n) if prior[i] > 0]
    heapq.heapify(heap)
    round_ = 0  # bumped whenever `covered` grows
    while heap:
        neg, i, seen = heapq.heappop(heap)
        if total + lengths[i] > budget:
            continue  # never fits again: the total only grows
        if seen != round_:
            heapq.heappush(heap, (-gain(i), i, round_))
            continue
        if -neg <= 0:
            break
        if claim_of[i] in used_claims or (chosen and features.lexical[i, chosen].max() > config.redundancy):
            continue
        if exclusive.get(i) and not exclusive[i].isdisjoint(chosen):
            continue  # another side of a disagreement is already in the summary
        if chosen and restates is not None and restates(i, chosen):
            continue
        chosen.append(i)
        used_claims.add(claim_of[i])
        covered |= grams[i]
        total += int(lengths[i])
        round_ += 1
    return reading_order(sentences, chosen)


CONCEPT_FEATURES = (
    "article share", "log articles", "log sentences", "earliest position", "mean position",
    "share in leads", "one stop word", "number",
)


def concept_weights(concepts: list, first_use: dict, counts: dict, n_articles: int,
                    config: SelectionConfig = DEFAULT) -> dict:
    """concept -> weight: its predicted chance of being in a human summary (config.concept_model, a
    logistic regression over CONCEPT_FEATURES), or without a model the number of articles using it."""
    if not config.concept_model:
        return {b: len(first_use[b]) for b in concepts}
    x = concept_matrix(concepts, first_use, counts, n_articles)
    coef = np.asarray(config.concept_model)
    p = 1.0 / (1.0 + np.exp(-(coef[0] + x @ coef[1:])))
    return dict(zip(concepts, p.tolist()))


def concept_uses(sentences: list[Sentence], concepts_of) -> tuple[dict, dict]:
    """concept -> {article: first sentence index using it}, and concept -> sentences using it."""
    first_use: dict[object, dict[str, int]] = {}
    counts: dict[object, int] = {}
    for s in sentences:
        for b in concepts_of(s.text):
            per = first_use.setdefault(b, {})
            if s.article not in per:
                per[s.article] = s.index
            counts[b] = counts.get(b, 0) + 1
    return first_use, counts


def concept_matrix(concepts: list, first_use: dict, counts: dict, n_articles: int) -> np.ndarray:
    """One row of CONCEPT_FEATURES per concept (cluster statistics only; no reference needed)."""
    x = np.zeros((len(concepts), len(CONCEPT_FEATURES)))
    for r, b in enumerate(concepts):
        firsts = list(first_use[b].values())
        df = len(firsts)
        x[r] = (
            df / n_articles,
            math.log(df),
            math.log(counts[b]),
            math.exp(-min(firsts) / 4.0),
            sum(math.exp(-i / 4.0) for i in firsts) / n_articles,
            sum(i < 3 for i in firsts) / n_articles,
            float(any(t in STOP_WORDS for t in b)),
            float(any(t.isdigit() for t in b)),
        )
    return x


def _concept_function(config: SelectionConfig):
    """text -> frozenset of concepts (stemmed bigrams with a content word)."""
    return porter_bigrams if config.concept_stem == "porter" else bigrams


def reading_order(sentences: list[Sentence], chosen: list[int]) -> list[int]:
    """Order by relative position in the source article, earliest first (lead material leads)."""
    counts: dict[str, int] = {}
    for s in sentences:
        counts[s.article] = max(counts.get(s.article, 0), s.index + 1)
    return sorted(chosen, key=lambda i: (sentences[i].index / counts[sentences[i].article], sentences[i].index))
