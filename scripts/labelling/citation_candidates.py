"""Candidate citations of a cluster, for labelling support by hand (tests/labels/citations.json).

    python scripts/labelling/citation_candidates.py SET CLUSTER [--anchors 10] > /tmp/cands.txt

Anchors: the sentences of the generic 100-word brief, then the next sentences by the selection prior
(ten in all by default). For every anchor and every other article: the two sentences most like it
(TF-IDF or MiniLM cosine, whichever is higher on its threshold's scale), when the TF-IDF cosine is
at least 0.2 or the MiniLM cosine at least 0.55. The list is wider than what the brief would cite, so
support recall can be measured. Prints a readable listing and, last, a JSON skeleton whose `label`
fields the labeller fills in: carries / conflict / partial / unrelated.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spans import make_span, rows  # noqa: E402

from newsbrief.embed import embed  # noqa: E402
from newsbrief.features import LEXICAL_SAME, SEMANTIC_SAME, compute_features  # noqa: E402
from newsbrief.pipeline import brief_articles  # noqa: E402
from newsbrief.readers import articles_from_documents  # noqa: E402
from newsbrief.segment import segment_article  # noqa: E402
from newsbrief.select import sentence_priors  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("cluster")
    ap.add_argument("--anchors", type=int, default=10)
    ap.add_argument("--per-article", type=int, default=2)
    args = ap.parse_args()
    row = rows(args.dataset)[args.cluster]
    articles = [a for a in articles_from_documents(row["documents"]) if a.text.strip()]
    doc_of = {a.id: int(a.id[1:]) - 1 for a in articles}
    sentences = [s for a in articles for s in segment_article(a)]
    feats = compute_features(sentences)
    vec = embed([s.text for s in sentences])
    cos = vec @ vec.T
    brief = brief_articles(articles, words=100, analysis=False)
    key = {(s.article, s.start, s.end): i for i, s in enumerate(sentences)}
    anchors: list[int] = []
    for ss in brief.summary:
        for i, s in enumerate(sentences):
            if s.article == ss.spans[0].article and s.start <= ss.spans[0].start < s.end:
                anchors.append(i)
    prior = sentence_priors(sentences, feats, np.ones(len(sentences)), len(articles))
    for i in np.argsort(-prior, kind="stable"):
        if len(anchors) >= args.anchors:
            break
        if int(i) not in anchors and 8 <= sentences[i].words <= 60:
            anchors.append(int(i))
    del key
    skeleton = {"set": args.dataset, "cluster": args.cluster, "anchors": []}
    for n, i in enumerate(anchors, 1):
        a = sentences[i]
        span = make_span(args.dataset, args.cluster, doc_of[a.article], a.text)
        print(f"\n#### anchor A{n}  doc {doc_of[a.article]}  {a.text}")
        item = {"id": f"A{n}", **(span or {}), "candidates": []}
        for other in articles:
            if other.id == a.article:
                continue
            idx = [j for j, s in enumerate(sentences) if s.article == other.id]
            score = [max(feats.lexical[i, j] / LEXICAL_SAME, cos[i, j] / SEMANTIC_SAME) for j in idx]
            for j, sc in sorted(zip(idx, score), key=lambda x: -x[1])[: args.per_article]:
                if feats.lexical[i, j] < 0.2 and cos[i, j] < 0.55:
                    continue
                b = sentences[j]
                bspan = make_span(args.dataset, args.cluster, doc_of[b.article], b.text)
                c = len(item["candidates"]) + 1
                print(f"  - A{n}.c{c} doc {doc_of[b.article]} tfidf {feats.lexical[i, j]:.2f} minilm {cos[i, j]:.2f}: {b.text}")
                item["candidates"].append({"id": f"A{n}.c{c}", **(bspan or {}), "tfidf": round(float(feats.lexical[i, j]), 3),
                                           "minilm": round(float(cos[i, j]), 3), "label": None})
        skeleton["anchors"].append(item)
    print("\n===== JSON skeleton")
    print(json.dumps(skeleton, indent=1))


if __name__ == "__main__":
    main()
