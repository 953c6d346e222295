#!/usr/bin/env python
"""Choose selection parameters by k-fold cross-validation over the tuning clusters.

    .venv/bin/python scripts/tune.py --grid "position_decay=2,4,8;prior_weight=0.2,0.3,0.5"
    .venv/bin/python scripts/tune.py --grid "..." --sets duc2003,tac2010 --folds 5 --jobs 2
    .venv/bin/python scripts/tune.py --learn --grid "concept_stem=porter;min_concept_share=0.0,0.3"

Tuning clusters only: DUC 2003 task 2 (30), TAC 2010 set A (18) and the Multi-News sample rows whose
split is train or val (92). DUC 2004, the Multi-News test rows and MultiLing are never read here.

Protocol. Every grid point (the cartesian product of `--grid`, each a `SelectionConfig` field; the
rest is `select.DEFAULT`) is run once on every cluster and scored under the shared ROUGE protocol
(100 words recall for DUC/TAC, 260 words F1 for Multi-News). The clusters are split into k folds,
stratified by set (seeded shuffle). For each fold, the grid point with the best objective on the
other k-1 folds is chosen and its summaries of the held-out fold are kept; the held-out scores,
pooled over folds, are the CV estimate. Objective: the mean over sets of (R-1 + R-2) / 2, each set
weighted equally (so Multi-News' 92 clusters do not outvote TAC's 18). The parameters printed as
"chosen" are the best on all tuning clusters (what would ship); the CV estimate is what to expect
of that choice procedure on unseen clusters.

--learn: the concept weights themselves are fitted inside the CV. Per fold, a logistic regression
over select.CONCEPT_FEATURES (cluster statistics of each bigram: article share, counts, how early
articles use it, ...) is fitted on the training folds' clusters to predict the share of the
references that contain the bigram (each cluster weighs the same); the grid point is chosen on the
training folds with that fold's model; the held-out fold is scored. Finally the model is refitted
on all tuning clusters and printed: paste it into SelectionConfig.concept_model.

Speed: the stages that do not depend on the selection parameters (reading, cleaning, sentences,
TF-IDF features, the analysis' later-event articles) are computed once per cluster and cached in
`--cache` (pickle). Claims are re-grouped per grid point (their visiting order depends on the prior).
MiniLM is not used (TF-IDF claims only: BENCHMARKS.md section 2 shows it is neutral on ROUGE).
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

from newsbrief import pipeline, select  # noqa: E402
from newsbrief.bench.evaluate import _score_prepared, load_jsonl, reference_text, system_text  # noqa: E402
from newsbrief.features import compute_features  # noqa: E402
from newsbrief.group import find_claims  # noqa: E402
from newsbrief.readers import articles_from_documents  # noqa: E402
from newsbrief.segment import segment_article  # noqa: E402
from newsbrief.select import (  # noqa: E402
    CONCEPT_FEATURES,
    DEFAULT,
    SelectionConfig,
    _concept_function,
    concept_matrix,
    concept_uses,
)

DATA = ROOT.parent / "shared" / "data"
TUNING = {  # name: (file, words, measure, splits kept)
    "duc2003": ("duc2003_task2.jsonl", 100, "recall", None),
    "tac2010": ("tac2010_guided.jsonl", 100, "recall", None),
    "multinews": ("multinews_sample100_mixedsplits.jsonl", 260, "f1", {"train", "val"}),
}


@dataclasses.dataclass
class Cluster:
    set: str
    id: str
    words: int
    measure: str
    refs: list[str]
    articles: list | None  # usable articles (None: nothing usable, empty summary)
    sentences: list
    features: object
    later: set


def build_cluster(set_name: str, row: dict, words: int, measure: str) -> Cluster:
    refs = [reference_text(r) for r in row["summaries"]]
    articles = articles_from_documents(row["documents"])
    usable = [a for a in articles if a.text.strip()]
    if not usable:
        return Cluster(set_name, row["id"], words, measure, refs, None, [], None, set())
    sentences = [s for a in usable for s in segment_article(a)]
    # the analysis' later-event articles, once, with the default configuration (TF-IDF claims)
    b = pipeline.brief_articles(articles, words, analysis=True, embeddings=False)
    later = select.later_event_articles(b.analysis, len(usable))
    return Cluster(set_name, row["id"], words, measure, refs, usable, sentences, compute_features(sentences), later)


def load_clusters(data: Path, sets: list[str], cache: Path | None, rebuild: bool) -> list[Cluster]:
    if cache and cache.exists() and not rebuild:
        with open(cache, "rb") as f:
            clusters = [Cluster(**d) for d in pickle.load(f)]  # plain dicts: loadable from any module
        return [c for c in clusters if c.set in sets]
    clusters = []
    for name, (file, words, measure, splits) in TUNING.items():
        rows = [r for r in load_jsonl(data / file) if splits is None or r.get("split") in splits]
        assert all(r.get("split", "train") != "test" for r in rows)
        clusters += [build_cluster(name, r, words, measure) for r in rows]
    if cache:
        with open(cache, "wb") as f:
            pickle.dump([vars(c) for c in clusters], f)
    return [c for c in clusters if c.set in sets]


def summarize(c: Cluster, config: SelectionConfig) -> list[str]:
    """pipeline.brief_articles' selection (TF-IDF claims, the cached analysis), the same code, for one config."""
    if c.articles is None:
        return []
    sentences, features = c.sentences, c.features
    claims, claim_of, _ = find_claims(sentences, features, select.importance(sentences, features, len(c.articles), config))
    chosen = select.choose(c.articles, sentences, features, claims, claim_of, c.words, config, c.later)
    return [select.summary_sentence(c.articles, sentences[i], claims[claim_of[i]], config).text for i in chosen]


def score(c: Cluster, summary: list[str]) -> tuple[float, float, float]:
    s = _score_prepared(system_text(summary, c.words), c.refs, c.measure)
    return s["r1"], s["r2"], s["rlsum"]


def parse_grid(spec: str) -> list[dict]:
    axes = []
    for part in [p for p in spec.split(";") if p.strip()]:
        name, values = part.split("=", 1)
        name = name.strip()
        default = getattr(DEFAULT, name)
        conv = type(default)
        vals = [conv(v) if conv is not bool else v.strip() in ("1", "true", "True") for v in values.split(",")]
        axes.append([(name, v) for v in vals])
    points = [dict(p) for p in itertools.product(*axes)] if axes else [{}]
    if {} not in points:
        points = [{}] + points  # the default is always a grid point (for comparison)
    return points


def _run_point(args):
    clusters, kw = args
    config = dataclasses.replace(DEFAULT, **kw)
    return [score(c, summarize(c, config)) for c in clusters]


_CLUSTERS: list[Cluster] = []


def _run_point_global(kw):
    return _run_point((_CLUSTERS, kw))


def objective(scores: np.ndarray, sets: np.ndarray, idx: np.ndarray) -> float:
    """Mean over sets of (R-1 + R-2) / 2 on the clusters `idx`."""
    vals = []
    for s in np.unique(sets[idx]):
        m = idx[sets[idx] == s]
        vals.append((scores[m, 0].mean() + scores[m, 1].mean()) / 2)
    return float(np.mean(vals))


def folds_of(sets: np.ndarray, k: int, seed: int) -> np.ndarray:
    rng = random.Random(seed)
    fold = np.zeros(len(sets), dtype=int)
    for s in np.unique(sets):
        idx = [int(i) for i in np.flatnonzero(sets == s)]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            fold[i] = j % k
    return fold


def fmt(scores: np.ndarray, sets: np.ndarray, names: list[str]) -> str:
    cells = []
    for s in names:
        m = sets == s
        if not m.any():
            continue
        r = scores[m].mean(axis=0)
        cells.append(f"{s} {r[0]:.2f}/{r[1]:.2f}" + (f"/{r[2]:.2f}" if s == "multinews" else ""))
    return "; ".join(cells)


def concept_data(c: Cluster, config: SelectionConfig) -> tuple[np.ndarray, np.ndarray]:
    """CONCEPT_FEATURES of the cluster's concepts (in >= 2 articles) and the share of the references using each."""
    if c.articles is None:
        return np.zeros((0, len(CONCEPT_FEATURES))), np.zeros(0)
    concepts_of = _concept_function(config)
    first_use, counts = concept_uses(c.sentences, concepts_of)
    n_articles = len(c.articles)
    kept = [b for b, per in first_use.items() if len(per) >= min(2, n_articles)]
    refs = [concepts_of(r) for r in c.refs]
    y = np.array([sum(b in r for r in refs) / len(refs) for b in kept])
    return concept_matrix(kept, first_use, counts, n_articles), y


def fit_concept_model(data: list[tuple[np.ndarray, np.ndarray]], c_reg: float) -> tuple[float, ...]:
    """Logistic regression of 'a reference uses the concept' (shares as sample weights); each cluster weighs the same."""
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for x, y in data:
        if not len(y):
            continue
        cw = 1.0 / len(y)
        xs += [x, x]
        ys += [np.ones(len(y)), np.zeros(len(y))]
        ws += [y * cw, (1 - y) * cw]
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    keep = w > 0
    model = LogisticRegression(C=c_reg, max_iter=2000).fit(x[keep], y[keep], sample_weight=w[keep] * keep.sum() / w.sum())
    return tuple(round(float(v), 4) for v in [model.intercept_[0], *model.coef_[0]])


def learn(clusters: list[Cluster], points: list[dict], args, sets: list[str]) -> None:
    """CV of learned concept weights: per fold, fit on the training clusters, choose the grid point
    there (with that fold's model), score the held-out clusters."""
    set_of = np.array([c.set for c in clusters])
    everything = np.arange(len(clusters))
    fold = folds_of(set_of, args.folds, args.seed)
    base = dataclasses.replace(DEFAULT, **(points[0] if points else {}))
    data = [concept_data(c, base) for c in clusters]

    def run(model, idx):
        out = np.zeros((len(points), len(clusters), 3))
        for p, kw in enumerate(points):
            config = dataclasses.replace(DEFAULT, **kw, concept_model=model)
            for i in idx:
                out[p, i] = score(clusters[i], summarize(clusters[i], config))
        return out

    held = np.zeros((len(clusters), 3))
    for f in range(args.folds):
        train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        model = fit_concept_model([data[i] for i in train], args.c_reg)
        sc = run(model, everything)
        best = max(range(len(points)), key=lambda p: objective(sc[p], set_of, train))
        held[test] = sc[best][test]
        print(f"fold {f}: model {model}; chose {points[best] or 'DEFAULT'}", flush=True)
    print(f"\nCV held-out (learned concepts, chosen per fold): objective {objective(held, set_of, everything):.3f} | "
          f"{fmt(held, set_of, sets)}")
    model = fit_concept_model(data, args.c_reg)
    sc = run(model, everything)
    full = [objective(sc[p], set_of, everything) for p in range(len(points))]
    for p in sorted(range(len(points)), key=lambda p: -full[p])[: args.top]:
        print(f"  {full[p]:.3f}  {points[p] or 'DEFAULT'}  | {fmt(sc[p], set_of, sets)}  (in-sample)")
    best = max(range(len(points)), key=lambda p: full[p])
    print(f"Chosen on all tuning clusters: {points[best] or 'DEFAULT'}, concept_model={model}")
    print("  features: intercept, " + ", ".join(CONCEPT_FEATURES))


def main(argv: list[str] | None = None) -> int:
    global _CLUSTERS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", default="", help='"field=v1,v2;field2=v3,v4" over SelectionConfig fields')
    ap.add_argument("--sets", default=",".join(TUNING), help="tuning sets pooled (default: %(default)s)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsbrief_tune_cache.pkl"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cache (after a change to cleaning/segmenting)")
    ap.add_argument("--learn", action="store_true",
                    help="learn concept weights (logistic regression, select.CONCEPT_FEATURES) inside the CV")
    ap.add_argument("--c-reg", type=float, default=1.0, help="inverse regularisation of --learn's regression")
    ap.add_argument("--top", type=int, default=8, help="grid points to list, best first (all tuning clusters)")
    args = ap.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    t0 = time.perf_counter()
    clusters = load_clusters(args.data, sets, args.cache, args.rebuild)
    t1 = time.perf_counter()
    points = parse_grid(args.grid)
    if args.learn:
        points = [p for p in points if p] or [{}]  # the grid's first point fixes the concept stemmer
        print(f"{len(clusters)} clusters, {len(points)} grid points, learned concept weights", file=sys.stderr)
        print(f"Command: `python {' '.join(shlex.quote(a) for a in ['scripts/tune.py'] + (argv or sys.argv[1:]))}`")
        learn(clusters, points, args, sets)
        print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        return 0
    print(f"{len(clusters)} clusters ({t1 - t0:.0f} s to load), {len(points)} grid points", file=sys.stderr, flush=True)
    if args.jobs > 1:
        import multiprocessing as mp

        _CLUSTERS = clusters
        with mp.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(_run_point_global, points)
    else:
        results = []
        for j, kw in enumerate(points):
            results.append(_run_point((clusters, kw)))
            print(f"  {j + 1}/{len(points)} {kw} {time.perf_counter() - t1:.0f} s", file=sys.stderr, flush=True)
    scores = np.array(results)  # (points, clusters, 3)
    set_of = np.array([c.set for c in clusters])
    everything = np.arange(len(clusters))

    print(f"Command: `python {' '.join(shlex.quote(a) for a in ['scripts/tune.py'] + (argv or sys.argv[1:]))}`")
    print(f"{len(clusters)} tuning clusters, {len(points)} grid points, {args.folds}-fold CV "
          f"(stratified by set, seed {args.seed}); objective: mean over sets of (R-1 + R-2) / 2\n")
    full = [objective(scores[p], set_of, everything) for p in range(len(points))]
    ranked = sorted(range(len(points)), key=lambda p: -full[p])
    print("All tuning clusters (in-sample), best first:")
    for p in ranked[: args.top]:
        print(f"  {full[p]:.3f}  {points[p] or 'DEFAULT'}  | {fmt(scores[p], set_of, sets)}")
    d = points.index({})
    print(f"  {full[d]:.3f}  DEFAULT  | {fmt(scores[d], set_of, sets)}\n")

    fold = folds_of(set_of, args.folds, args.seed)
    held = np.zeros((len(clusters), 3))
    for f in range(args.folds):
        train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        best = max(range(len(points)), key=lambda p: objective(scores[p], set_of, train))
        held[test] = scores[best][test]
        print(f"fold {f}: chose {points[best] or 'DEFAULT'}")
    print(f"\nCV held-out (chosen per fold): objective {objective(held, set_of, everything):.3f} | "
          f"{fmt(held, set_of, sets)}")
    print(f"DEFAULT on the same clusters:   objective {full[d]:.3f} | {fmt(scores[d], set_of, sets)}")
    print(f"Chosen on all tuning clusters: {points[ranked[0]] or 'DEFAULT'}")
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
