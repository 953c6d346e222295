"""Baselines for the benchmarks: lead, LexRank, TextRank.

They get what newsbrief gets: the same cleaned articles (`articles_from_documents`), the same
sentence splitter (`newsbrief.segment`) and the same word budget. Every baseline returns
verbatim sentences of the cleaned articles whose words add up to at most the budget.

* ``lead``: the first sentence of each article, then the second of each, ... (round-robin
  over articles in input order) while they fit in the budget.
* ``lexrank`` / ``textrank``: sumy's summarizers over all sentences of the cluster, with
  sumy's English Snowball stemmer and stop-word list (both load offline) and a tokenizer of
  our own (sumy's default one needs NLTK punkt data); sentences are taken best-rated first
  while they fit in the budget, and returned in cluster order (article, then position).

"While they fit": a sentence that would take the summary over the budget is skipped and the
next one tried (never cut: the summary stays verbatim), until the budget is met exactly or the
sentences run out. Exact duplicate sentences (same words, ignoring case and whitespace) are
counted once: web pages repeat paragraphs, and a baseline that repeats itself would only
measure the noise. Sentences without a single word character are ignored.

If `newsbrief.readers.articles_from_documents` cannot be imported, a stand-in splits the
documents on blank lines and takes a headline-like first line as the title (no other cleaning).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from newsbrief.model import Article, Sentence
from newsbrief.readers import articles_from_documents
from newsbrief.segment import segment_article, split_sentences

BASELINES = ("lead", "lexrank", "textrank")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
_HAS_WORD = re.compile(r"\w", re.UNICODE)


# ---------------------------------------------------------------------------------------------
# articles


def cluster_articles(documents: Sequence[str]) -> list[Article]:
    """The cleaned articles of a cluster, exactly as newsbrief's benchmark system gets them."""
    return articles_from_documents(list(documents))


def _article_sentences(articles: Sequence[Article]) -> list[list[Sentence]]:
    out = []
    for a in articles:  # an article the cleaner emptied has no sentences
        out.append([s for s in segment_article(a) if _HAS_WORD.search(s.text)] if a.text.strip() else [])
    return out


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------
# lead


def lead(articles: Sequence[Article], words: int) -> list[str]:
    """Round-robin lead: sentence 1 of every article, then sentence 2, ... within `words` words."""
    per_article = _article_sentences(articles)
    chosen: list[str] = []
    seen: set[str] = set()
    used = 0
    depth = max((len(s) for s in per_article), default=0)
    for k in range(depth):
        for sents in per_article:
            if k >= len(sents):
                continue
            text = sents[k].text
            n = _words(text)
            if _key(text) in seen or used + n > words:
                continue
            chosen.append(text)
            seen.add(_key(text))
            used += n
            if used >= words:
                return chosen
    return chosen


# ---------------------------------------------------------------------------------------------
# sumy


class _Tokenizer:
    """A sumy tokenizer without NLTK data: sentences via newsbrief.segment, words via a regex."""

    language = "english"

    @staticmethod
    def to_sentences(paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


_TOKENIZER = _Tokenizer()
_STEMMER = None
_STOP_WORDS: frozenset[str] | None = None


def _stemmer_and_stop_words():
    global _STEMMER, _STOP_WORDS
    if _STEMMER is None:
        try:
            from sumy.nlp.stemmers import Stemmer

            stemmer = Stemmer("english")
            stemmer("testing")
        except Exception:  # pragma: no cover - sumy's stemmer is NLTK's Snowball, no data needed
            from sumy.nlp.stemmers import null_stemmer as stemmer
        try:
            from sumy.utils import get_stop_words

            stop = frozenset(get_stop_words("english"))
        except Exception:  # pragma: no cover
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

            stop = frozenset(ENGLISH_STOP_WORDS)
        _STEMMER, _STOP_WORDS = stemmer, stop
    return _STEMMER, _STOP_WORDS


def _sumy_select(articles: Sequence[Article], words: int, summarizer_cls) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    per_article = _article_sentences(articles)
    paragraphs = []
    seen: set[str] = set()
    for sents in per_article:
        group = []
        for s in sents:
            k = _key(s.text)
            if k in seen:
                continue
            seen.add(k)
            group.append(SumySentence(s.text, _TOKENIZER))
        if group:
            paragraphs.append(Paragraph(group))
    if not paragraphs:
        return []
    document = ObjectDocumentModel(paragraphs)
    stemmer, stop = _stemmer_and_stop_words()
    summarizer = summarizer_cls(stemmer)
    summarizer.stop_words = stop

    def fill(infos):
        """sumy hands the sentences best-rated first (stable on ties): take them while they fit."""
        chosen, used = [], 0
        for info in infos:
            k = _words(str(info.sentence))
            if used + k > words:
                continue
            chosen.append(info)
            used += k
            if used >= words:
                break
        return chosen

    # sumy returns the chosen sentences in document order (article, then position)
    return [str(s) for s in summarizer(document, fill)]


def lexrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's LexRank (threshold 0.1) over the cluster's sentences, within `words` words."""
    from sumy.summarizers.lex_rank import LexRankSummarizer

    return _sumy_select(articles, words, LexRankSummarizer)


def textrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's TextRank over the cluster's sentences, within `words` words."""
    from sumy.summarizers.text_rank import TextRankSummarizer

    return _sumy_select(articles, words, TextRankSummarizer)


_FUNCS: dict[str, Callable[[Sequence[Article], int], list[str]]] = {
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
}


def summarize(name: str, documents: Sequence[str], words: int) -> list[str]:
    """Run baseline `name` on a cluster's raw documents."""
    return _FUNCS[name](cluster_articles(documents), words)


def make_baseline(name: str, words: int) -> Callable[[dict], list[str]]:
    """A benchmark system (callable(row) -> sentences) for baseline `name`."""
    name = name.strip().lower()
    if name not in _FUNCS:
        raise ValueError(f"unknown baseline {name!r}; choose from {', '.join(BASELINES)}")
    fn = _FUNCS[name]

    def run(row: dict) -> list[str]:
        return fn(cluster_articles(row["documents"]), words)

    run.__name__ = name
    return run
