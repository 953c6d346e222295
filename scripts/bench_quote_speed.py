"""Speed of the quote and entity analysis (issue 13): warm seconds per 10-article cluster and at 1,000 articles.

    python scripts/bench_quote_speed.py                 # DUC 2004 (50 clusters): median s/cluster, entities + quotes
    python scripts/bench_quote_speed.py --big 1000      # + the first 1,000 documents of duc2006, duc2007_main_23topics,
                                                        #   duc2003_task2 as one cluster: entities + quotes, and the
                                                        #   whole brief (--whole)
    python scripts/bench_quote_speed.py --no-rank       # without the learned speaker ranking (quote_speakers.py)
    python scripts/bench_quote_speed.py --profile       # cProfile of the DUC 2004 run (top 25 by cumulative time)

Articles come from newsbrief.readers.articles_from_documents, sentences from newsbrief.segment; the timed part is
`extract_entities` + `extract_quotes` (what the "People" and "Who said what" sections cost), measured after one warm-up
run of each cluster. The machine is shared: medians are reported, and the load average next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/data")
CPU = False  # --cpu: process CPU time instead of wall-clock time (a fairer figure on a shared machine)


def _clusters(name: str) -> list[list[str]]:
    rows = [json.loads(x) for x in (DATA / name).open(encoding="utf-8") if x.strip()]
    return [r["documents"] for r in rows]


def _prepare(docs):
    from newsbrief.readers import articles_from_documents
    from newsbrief.segment import segment_article

    arts = [a for a in articles_from_documents(docs) if a.text.strip()]
    sents = [s for a in arts for s in segment_article(a)]
    return arts, sents


def _run(arts, sents):
    from newsbrief.analysis.entities import extract_entities
    from newsbrief.analysis.quotes import extract_quotes

    clock = time.process_time if CPU else time.perf_counter
    t0 = clock()
    ents, ctx = extract_entities(arts, sents)
    t1 = clock()
    qs = extract_quotes(arts, sents, ents, ctx)
    t2 = clock()
    return t1 - t0, t2 - t1, len(ents), len(qs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", type=int, default=0)
    ap.add_argument("--whole", action="store_true", help="also time the whole brief at --big articles")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="process CPU seconds instead of wall-clock seconds")
    ap.add_argument("--no-rank", action="store_true", help="the rules' speakers only (no learned speaker ranking)")
    args = ap.parse_args()
    global CPU
    CPU = args.cpu
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.no_rank:
        from newsbrief.analysis import quotes

        quotes.PARAMS["rank_speakers"] = False
    prepared = [_prepare(d) for d in _clusters("duc2004_task2.jsonl")]
    for arts, sents in prepared[:3]:
        _run(arts, sents)  # warm-up: imports, compiled patterns, lazily loaded resources
    if args.profile:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.enable()
        for arts, sents in prepared:
            _run(arts, sents)
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
        pstats.Stats(pr).sort_stats("tottime").print_stats(20)
        return
    ent_t, q_t, tot = [], [], []
    for arts, sents in prepared:
        e, q, _, _ = _run(arts, sents)
        ent_t.append(e)
        q_t.append(q)
        tot.append(e + q)
    load = os.getloadavg()[0]
    print(f"DUC 2004, {len(prepared)} clusters ({statistics.mean(len(a) for a, _ in prepared):.1f} articles, "
          f"{statistics.mean(len(s) for _, s in prepared):.0f} sentences on average), warm, "
          f"{'CPU' if CPU else 'wall-clock'} seconds, load average {load:.1f}:")
    print(f"  entities + quotes: median {statistics.median(tot):.4f} s/cluster (mean {statistics.mean(tot):.4f}); "
          f"entities {statistics.median(ent_t):.4f}, quotes {statistics.median(q_t):.4f}")
    if args.big:
        docs = []
        for name in ("duc2006.jsonl", "duc2007_main_23topics.jsonl", "duc2003_task2.jsonl"):
            for c in _clusters(name):
                docs.extend(c)
        docs = docs[: args.big]
        arts, sents = _prepare(docs)
        e, q, ne, nq = _run(arts, sents)
        print(f"{len(arts)} articles ({len(sents):,} sentences) as one cluster: entities {e:.2f} s, quotes {q:.2f} s "
              f"({ne} entities, {nq} quotes), load average {os.getloadavg()[0]:.1f}")
        if args.whole:
            from newsbrief.pipeline import brief_articles

            t0, c0 = time.perf_counter(), time.process_time()
            brief_articles(arts, 100)
            print(f"  whole brief (articles already read): {time.perf_counter() - t0:.1f} s wall-clock, "
                  f"{time.process_time() - c0:.1f} s CPU (this process; MiniLM may use a second thread), "
                  f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
