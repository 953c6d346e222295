#!/usr/bin/env python
"""Tune the question-focused and update modes (newsbrief.query, newsbrief.update) under the shared ROUGE protocol.

    .venv/bin/python scripts/tune_focus.py --build                      # cache clusters + MiniLM vectors once
    .venv/bin/python scripts/tune_focus.py --task query --grid "prior_boost=0.5,0.7;concept_boost=0.5,0.7"
    .venv/bin/python scripts/tune_focus.py --task update --grid "old_concept_factor=0,0.3,0.6"

Protocol (issue 17):
* query mode: tuned on DUC 2006 only (50 topics, 250 words, R-2 recall), by k-fold CV (default 5): for each
  fold the grid point with the best R-2 on the other folds scores the held-out fold; the pooled held-out
  scores are the CV estimate. The point chosen on all 50 topics is then run once on DUC 2007 main (23 topics,
  never tuned on) and printed as "reported".
* update mode: tuned on the B and C sets of 4 of the 10 DUC 2007 update topics (TUNE_TOPICS, the first four
  in the file); the other 6 topics are printed separately as "reported".
Grid fields: QueryConfig / UpdateConfig fields by name; SelectionConfig fields prefixed "sel." (query mode:
they go into QueryConfig.selection; update mode: into the SelectionConfig used).

Speed: cleaning, sentences, TF-IDF, the analysis' later-event articles and the MiniLM vector of every
sentence and query are computed once (`--build`, pickle in --cache). Claims are TF-IDF only (as scripts/tune.py);
MiniLM serves the relevance, novelty and chosen-sentence paraphrase checks from the cached vectors, so the
selection code is exactly focus.plan's. The final figures come from scripts/bench_focus.py (the product).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import pickle
import random
import shlex
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsbrief import focus, pipeline, select  # noqa: E402
from newsbrief import query as q  # noqa: E402
from newsbrief import update as u  # noqa: E402
from newsbrief.bench.evaluate import _score_prepared, load_jsonl, reference_text, system_text  # noqa: E402
from newsbrief.bench.focus import row_query, update_context  # noqa: E402
from newsbrief.features import compute_features  # noqa: E402
from newsbrief.group import find_claims  # noqa: E402
from newsbrief.segment import segment_article  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FILES = {"duc2006": ("duc2006.jsonl", 250), "duc2007": ("duc2007_main_23topics.jsonl", 250),
         "update": ("duc2007_update.jsonl", 100)}
TUNE_TOPICS = ("D0703A", "D0706B", "D0711C", "D0716D")  # update mode: tuned on these 4 topics only


@dataclasses.dataclass
class Cluster:
    set: str
    id: str
    words: int
    refs: list
    query: object
    articles: list | None
    sentences: list
    features: object
    later: set
    old: list | None  # update rows B/C: the earlier sets' sentences
    topic: str = ""
    update_set: str = ""


def build(data: Path, cache: Path) -> None:
    from newsbrief.embed import get_embedder

    embed = get_embedder()
    clusters: list[Cluster] = []
    texts: set[str] = set()
    for name, (file, words) in FILES.items():
        rows = load_jsonl(data / file)
        contexts = update_context(rows) if name == "update" else {}
        for row in rows:
            t0 = time.perf_counter()
            ctx = contexts.get(row["id"])
            articles = ctx.articles if ctx else pipeline_articles(row)
            usable = [a for a in articles if a.text.strip()]
            sentences = [s for a in usable for s in segment_article(a)]
            b = pipeline.brief_articles(articles, words, analysis=True, embeddings=False)
            later = select.later_event_articles(b.analysis, len(usable))
            old = [s for a in ctx.since for s in segment_article(a)] if ctx and ctx.since else None
            c = Cluster(name, row["id"], words, [reference_text(r) for r in row["summaries"]], row_query(row), usable,
                        sentences, compute_features(sentences), later, old,
                        topic=ctx.topic if ctx else "", update_set=row.get("update_set", ""))
            clusters.append(c)
            texts |= {s.text for s in sentences} | {s.text for s in old or []}
            if c.query is not None:
                texts.add(q.query_text(c.query))
            print(f"{name} {row['id']}: {len(sentences)} sentences ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    order = sorted(texts)
    t0 = time.perf_counter()
    vecs = embed(order)
    print(f"embedded {len(order)} texts in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    with open(cache, "wb") as f:
        pickle.dump({"clusters": [vars(c) for c in clusters], "vectors": dict(zip(order, vecs))}, f)


def pipeline_articles(row: dict) -> list:
    from newsbrief.readers import articles_from_documents

    return articles_from_documents(row["documents"])


def load(cache: Path) -> tuple[list[Cluster], dict]:
    with open(cache, "rb") as f:
        d = pickle.load(f)
    return [Cluster(**c) for c in d["clusters"]], d["vectors"]


_VECTORS: dict = {}


def cached_embed(texts: list[str]) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:  # e.g. the parts of a query: embedded once, in this process
        from newsbrief.embed import get_embedder

        _VECTORS.update(zip(missing, get_embedder()(missing)))
    return np.stack([_VECTORS[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def summarize(c: Cluster, mode: str, qc: q.QueryConfig, uc: u.UpdateConfig, sel: dict) -> list[str]:
    """focus.plan on the cached cluster: mode 'generic', 'query', 'update' or 'update+query'."""
    if not c.articles:
        return []
    cfg = dataclasses.replace(select.DEFAULT, **sel) if sel and mode in ("generic", "update") else select.DEFAULT
    sentences, features = c.sentences, c.features
    claims, claim_of, _ = find_claims(sentences, features, select.importance(sentences, features, len(c.articles), cfg))
    restates = select.paraphrase_check(sentences, {}, cached_embed)
    query = c.query if "query" in mode else None
    old = c.old if "update" in mode else None
    p = focus.plan(c.articles, sentences, features, claims, claim_of, {}, c.later, restates, c.words, cfg,
                   cached_embed, old, query, uc, qc)
    return [select.summary_sentence(c.articles, sentences[i], claims[claim_of[i]], p.config).text for i in p.chosen]


def score(c: Cluster, summary: list[str]) -> tuple[float, float]:
    s = _score_prepared(system_text(summary, c.words), c.refs, "recall")
    return s["r1"], s["r2"]


def parse_grid(spec: str, task: str) -> list[dict]:
    axes = []
    base = q.DEFAULT_QUERY if task == "query" else u.DEFAULT_UPDATE
    for part in [p for p in spec.split(";") if p.strip()]:
        name, values = part.split("=", 1)
        name = name.strip()
        default = getattr(select.DEFAULT, name[4:]) if name.startswith("sel.") else getattr(base, name)
        if isinstance(default, tuple):
            raise SystemExit(f"{name}: not a grid field")
        conv = type(default)
        vals = [conv(v) if conv is not bool else v.strip() in ("1", "true", "True") for v in values.split(",")]
        axes.append([(name, v) for v in vals])
    points = [dict(p) for p in itertools.product(*axes)] if axes else [{}]
    return ([{}] if {} not in points else []) + points


def configs(point: dict, task: str) -> tuple[q.QueryConfig, u.UpdateConfig, dict]:
    sel = {k[4:]: v for k, v in point.items() if k.startswith("sel.")}
    rest = {k: v for k, v in point.items() if not k.startswith("sel.")}
    if task == "query":
        base_sel = dict(q.DEFAULT_QUERY.selection)
        base_sel.update(sel)
        qc = dataclasses.replace(q.DEFAULT_QUERY, **rest, selection=tuple(sorted(base_sel.items())))
        return qc, u.DEFAULT_UPDATE, {}
    return q.DEFAULT_QUERY, dataclasses.replace(u.DEFAULT_UPDATE, **rest), sel


_JOB: tuple = ()


def _run(point: dict) -> list[tuple[float, float]]:
    clusters, mode, task = _JOB
    qc, uc, sel = configs(point, task)
    return [score(c, summarize(c, mode, qc, uc, sel)) for c in clusters]


def run_grid(clusters: list[Cluster], points: list[dict], mode: str, task: str, jobs: int) -> np.ndarray:
    global _JOB
    _JOB = (clusters, mode, task)
    if jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(jobs) as pool:
            res = pool.map(_run, points)
    else:
        res = []
        t0 = time.perf_counter()
        for j, p in enumerate(points):
            res.append(_run(p))
            print(f"  {j + 1}/{len(points)} {p or 'DEFAULT'} {time.perf_counter() - t0:.0f} s", file=sys.stderr,
                  flush=True)
    return np.array(res)  # (points, clusters, 2)


def folds_of(n: int, k: int, seed: int) -> np.ndarray:
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    fold = np.zeros(n, dtype=int)
    for j, i in enumerate(idx):
        fold[i] = j % k
    return fold


def concept_data(c: Cluster, qc: q.QueryConfig) -> tuple[np.ndarray, np.ndarray]:
    """The concepts select() weighs (in >= 2 articles): CONCEPT_FEATURES + QUERY_CONCEPT_FEATURES, and the share
    of the references that use each."""
    from newsbrief.features import porter_bigrams

    if not c.articles:
        return np.zeros((0, len(select.CONCEPT_FEATURES) + len(q.QUERY_CONCEPT_FEATURES))), np.zeros(0)
    sentences = c.sentences
    first_use, counts = select.concept_uses(sentences, porter_bigrams)
    n = len(c.articles)
    kept = [b for b, per in first_use.items() if len(per) >= min(2, n)]
    rel = q.relevance(sentences, c.query, cached_embed, None, qc, prior=select.sentence_form(sentences))
    stats = q.ConceptStats(sentences, rel, c.query)
    x = np.hstack([select.concept_matrix(kept, first_use, counts, n), stats.matrix(kept)])
    refs = [porter_bigrams(r) for r in c.refs]
    return x, np.array([sum(b in r for r in refs) / len(refs) for b in kept])


def fit_model(data: list[tuple[np.ndarray, np.ndarray]], c_reg: float = 1.0) -> tuple[float, ...]:
    """Logistic regression of "a reference uses the concept" (shares as sample weights), clusters weighed alike
    (the fit of scripts/tune.py --learn)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for x, y in data:
        if not len(y):
            continue
        xs += [x, x]
        ys += [np.ones(len(y)), np.zeros(len(y))]
        ws += [y / len(y), (1 - y) / len(y)]
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    keep = w > 0
    model = LogisticRegression(C=c_reg, max_iter=3000)
    model.fit(x[keep], y[keep], sample_weight=w[keep] * keep.sum() / w.sum())
    return tuple(round(float(v), 4) for v in [model.intercept_[0], *model.coef_[0]])


def learn_query(clusters: list[Cluster], points: list[dict], args) -> None:
    """CV of query-aware concept weights on DUC 2006: per fold, fit on the training topics, choose the grid point
    there with that model, score the held-out topics; then refit on all 50 and report DUC 2007 main."""
    tune = [c for c in clusters if c.set == "duc2006"]
    report = [c for c in clusters if c.set == "duc2007"]
    data = [concept_data(c, q.DEFAULT_QUERY) for c in tune]
    fold = folds_of(len(tune), args.folds, args.seed)
    held = np.zeros((len(tune), 2))

    def with_model(p: dict, model: tuple) -> dict:
        return {**p, "concept_model": model}

    for f in range(args.folds):
        train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        model = fit_model([data[i] for i in train], args.c_reg)
        sc = run_grid(tune, [with_model(p, model) for p in points], "query", "query", args.jobs)
        best = max(range(len(points)), key=lambda p: sc[p, train, 1].mean())
        held[test] = sc[best, test]
        print(f"fold {f}: model {model}; chose {points[best] or 'DEFAULT'}", flush=True)
    print(f"CV held-out (learned query concept weights, {args.folds} folds): R-1/R-2 "
          f"{held[:, 0].mean():.2f} / {held[:, 1].mean():.2f}")
    model = fit_model(data, args.c_reg)
    sc = run_grid(tune, [with_model(p, model) for p in points], "query", "query", args.jobs)
    full = sc[:, :, 1].mean(axis=1)
    for p in np.argsort(-full)[: args.top]:
        print(f"  {sc[p, :, 0].mean():.2f} / {full[p]:.2f}  {points[p] or 'DEFAULT'}  (in-sample)")
    best = int(np.argmax(full))
    print(f"Chosen on all DUC 2006 topics: {points[best] or 'DEFAULT'}, concept_model={model}")
    print("  features: intercept, " + ", ".join(select.CONCEPT_FEATURES + q.QUERY_CONCEPT_FEATURES))
    rep = run_grid(report, [with_model(points[best], model)], "query", "query", 1)[0]
    print(f"DUC 2007 main ({len(report)} topics, reported, never tuned): query {rep[:, 0].mean():.2f} / "
          f"{rep[:, 1].mean():.2f}")


def answered_check(clusters: list[Cluster]) -> None:
    """query.answered on DUC 2006 + 2007 main: each topic's own statement (should answer) against the statement
    of the topic 7 places on (should not)."""
    cs = [c for c in clusters if c.set in ("duc2006", "duc2007")]
    own = other = 0
    for k, c in enumerate(cs):
        form = select.sentence_form(c.sentences)
        own += q.relevance(c.sentences, c.query, cached_embed, None, q.DEFAULT_QUERY, prior=form).answered
        mismatched = cs[(k + 7) % len(cs)].query
        other += q.relevance(c.sentences, mismatched, cached_embed, None, q.DEFAULT_QUERY, prior=form).answered
    print(f"answered: own topic statement {own}/{len(cs)}; another topic's statement {other}/{len(cs)}")


def main(argv: list[str] | None = None) -> int:
    global _VECTORS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="store_true", help="build the cache (clusters, MiniLM vectors)")
    ap.add_argument("--task", choices=("query", "update"), default="query")
    ap.add_argument("--grid", default="")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--answered", action="store_true", help="check query.answered on own vs other topics' queries")
    ap.add_argument("--learn", action="store_true", help="query task: learn query-aware concept weights in the CV")
    ap.add_argument("--c-reg", type=float, default=1.0)
    ap.add_argument("--mode", default=None, help="update task: 'update' (default) or 'update+query'")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsbrief_focus_cache.pkl"))
    args = ap.parse_args(argv)
    if args.build:
        build(args.data, args.cache)
        return 0
    t0 = time.perf_counter()
    clusters, _VECTORS = load(args.cache)
    points = parse_grid(args.grid, args.task)
    print(f"Command: `python {' '.join(shlex.quote(a) for a in ['scripts/tune_focus.py'] + (argv or sys.argv[1:]))}`")
    if args.answered:
        answered_check(clusters)
    elif args.task == "query" and args.learn:
        learn_query(clusters, points, args)
    elif args.task == "query":
        tune = [c for c in clusters if c.set == "duc2006"]
        report = [c for c in clusters if c.set == "duc2007"]
        generic = run_grid(tune + report, [{}], "generic", "query", 1)[0]
        g6, g7 = generic[: len(tune)], generic[len(tune):]
        sc = run_grid(tune, points, "query", "query", args.jobs)
        fold = folds_of(len(tune), args.folds, args.seed)
        held = np.zeros((len(tune), 2))
        for f in range(args.folds):
            train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
            best = max(range(len(points)), key=lambda p: sc[p, train, 1].mean())
            held[test] = sc[best, test]
            print(f"fold {f}: chose {points[best] or 'DEFAULT'}")
        full = sc[:, :, 1].mean(axis=1)
        print(f"\nDUC 2006 ({len(tune)} topics, 250 words, recall) generic R-1/R-2 "
              f"{g6[:, 0].mean():.2f} / {g6[:, 1].mean():.2f}")
        for p in np.argsort(-full)[: args.top]:
            print(f"  {sc[p, :, 0].mean():.2f} / {full[p]:.2f}  {points[p] or 'DEFAULT'}  (in-sample)")
        print(f"CV held-out ({args.folds} folds): R-1/R-2 {held[:, 0].mean():.2f} / {held[:, 1].mean():.2f}")
        best = int(np.argmax(full))
        print(f"Chosen on all DUC 2006 topics: {points[best] or 'DEFAULT'}")
        rep = run_grid(report, [points[best]], "query", "query", 1)[0]
        print(f"DUC 2007 main ({len(report)} topics, reported, never tuned): generic {g7[:, 0].mean():.2f} / "
              f"{g7[:, 1].mean():.2f}; query {rep[:, 0].mean():.2f} / {rep[:, 1].mean():.2f}")
    else:
        mode = args.mode or "update"
        bc = [c for c in clusters if c.set == "update" and c.update_set in ("B", "C")]
        tune = [c for c in bc if c.topic in TUNE_TOPICS]
        report = [c for c in bc if c.topic not in TUNE_TOPICS]
        generic = run_grid(tune + report, [{}], "generic", "update", 1)[0]
        gt, gr = generic[: len(tune)], generic[len(tune):]
        sc = run_grid(tune, points, mode, "update", args.jobs)
        full = sc[:, :, 1].mean(axis=1)
        topic = np.array([c.topic for c in tune])
        held = np.zeros((len(tune), 2))
        for t in TUNE_TOPICS:  # leave one tuning topic out: choose on the other 3, score it
            train, test = np.flatnonzero(topic != t), np.flatnonzero(topic == t)
            best = max(range(len(points)), key=lambda p: sc[p, train, 1].mean())
            held[test] = sc[best, test]
            print(f"without {t}: chose {points[best] or 'DEFAULT'}")
        print(f"leave-one-topic-out over the {len(TUNE_TOPICS)} tuning topics: R-1/R-2 {held[:, 0].mean():.2f} / "
              f"{held[:, 1].mean():.2f}")
        print(f"\nupdate B/C, {len(TUNE_TOPICS)} tuning topics ({len(tune)} clusters): generic "
              f"{gt[:, 0].mean():.2f} / {gt[:, 1].mean():.2f}")
        for p in np.argsort(-full)[: args.top]:
            print(f"  {sc[p, :, 0].mean():.2f} / {full[p]:.2f}  {points[p] or 'DEFAULT'}")
        best = int(np.argmax(full))
        print(f"Chosen on the tuning topics: {points[best] or 'DEFAULT'}")
        rep = run_grid(report, [points[best]], mode, "update", 1)[0]
        print(f"other 6 topics ({len(report)} clusters, reported): generic "
              f"{gr[:, 0].mean():.2f} / {gr[:, 1].mean():.2f}; "
              f"{mode} {rep[:, 0].mean():.2f} / {rep[:, 1].mean():.2f}")
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
