"""Train the quote speaker ranking (newsbrief/analysis/quote_speakers.py) on PolNeAR; 5-fold CV by article.

    python scripts/train_quote_speakers.py            # CV figures, then train on all and write the model
    python scripts/train_quote_speakers.py --no-write # CV figures only
    python scripts/train_quote_speakers.py --C 0.3    # regularisation (inverse strength; 0.2-5 gave the same)

The extractor runs once over the 924 articles with the ranking switched to collecting (every direct / partial quote
keeps its candidate speakers and their features). A gold quote's candidates are those of the prediction the scorer
judges it on (the one covering most of its quoted characters); a candidate is positive when the scorer would count it
right (a name matching the gold speaker; for an unnamed gold speaker: unnamed and pointing at the annotated source).
A logistic regression (scikit-learn, at training time only) on candidate pairs (a right against a wrong candidate of
the same quote; `--pointwise`: candidates one by one) scores candidates; the best-scoring candidate is the speaker.
Folds: `stratified_folds` (by article, publisher-stratified). Figures: the benchmark's own `score` over predictions
built from the chosen candidates, held-out folds each scored by the model trained on the other four.
The model file holds the weights as plain JSON (the run time needs no scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "newsbrief" / "analysis" / "data" / "quote_speakers.json"


def collect(gold):
    """article id -> [(qs, qe, candidates)] for the direct / partial quotes, the ranking only collecting."""
    from newsbrief.analysis import entities as ent_mod
    from newsbrief.analysis import quote_speakers as qsp
    from newsbrief.analysis import quotes as q_mod
    from newsbrief.model import Article
    from newsbrief.segment import segment_article

    qsp.COLLECT = True
    qsp._MODEL = {}
    out = {}
    for g in gold:
        a = Article(id=g.id, text=g.text)
        sents = segment_article(a)
        ents, ctx = ent_mod.extract_entities([a], sents)
        index = q_mod._Index(ctx, ents)
        qs = q_mod.article_quotes(a, sorted(sents, key=lambda s: s.start), index)
        rows, seen = [], set()
        for q in qs:
            if q.kind not in ("direct", "partial") or (q.qs in seen):
                continue
            seen.add(q.qs)
            src = q.source
            rule = (src.speaker if src else None, bool(src and src.named), (src.start, src.end) if src else None)
            rows.append((q.qs, q.qe, rule, q.extra.get("candidates") or []))
        out[g.id] = rows
    qsp.COLLECT = False
    return out


def groups(gold, coll):
    """[(article, row index, [labels])] for every found, speaker-scored gold quote."""
    from newsbrief.bench.quotes import _overlap, same_person

    out = []
    for g in gold:
        rows = coll[g.id]
        for q in g.quotes:
            if q.speaker_kind == "unresolvable" or not rows:
                continue
            covers = [(sum(_overlap((r[0], r[1]), x) for x in q.quoted), i) for i, r in enumerate(rows)]
            total = sum(e - s for s, e in q.quoted)
            if total == 0 or sum(c for c, _ in covers) < 0.5 * total:
                continue
            i = max(covers)[1]
            labels = []
            for st, en, spk, named, _, _ in rows[i][3]:
                if q.speaker_kind == "unnamed":
                    ok = not named and q.source_span is not None and _overlap((st, en), q.source_span) > 0
                else:
                    ok = named and same_person(spk, q.speaker)
                labels.append(int(ok))
            out.append((g.id, i, labels))
    return out


def predictions(gold, coll, choose):
    """The benchmark's Predicted for every quote, the speaker chosen by `choose(candidates, rule)`."""
    from newsbrief.bench.quotes import Predicted

    pred = {}
    for g in gold:
        ps = []
        for qs, qe, rule, cands in coll[g.id]:
            spk, named, att = choose(cands, rule)
            ps.append(Predicted(g.id, qs, qe, spk, named, att))
        pred[g.id] = ps
    return pred


def rule_choice(cands, rule):
    return rule


def model_choice(weights):
    bias = weights.get("_bias", 0.0)

    def choose(cands, rule):
        if not cands:
            return rule
        best = max(cands, key=lambda c: (bias + sum(weights.get(k, 0.0) * v for k, v in c[4].items()), c[5]))
        if best[5]:
            return rule
        return best[2], best[3], (best[0], best[1])

    return choose


def fit(rows, C):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [f for f, _ in rows]
    y = [lab for _, lab in rows]
    vec = DictVectorizer()
    Xm = vec.fit_transform(X)
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(Xm, y)
    w = {name: float(c) for name, c in zip(vec.feature_names_, clf.coef_[0]) if abs(c) > 1e-6}
    w["_bias"] = float(clf.intercept_[0])
    return w


def fit_pairwise(grps, coll, ids, C):
    """A ranking fit: logistic regression on feature differences (each right candidate against each wrong one of
    the same quote, both signs), no intercept; the weights score candidates as the pointwise model's do."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for gid, i, labels in grps:
        if gid not in ids or not any(labels) or all(labels):
            continue
        cands = coll[gid][i][3]
        pos = [c[4] for c, lab in zip(cands, labels) if lab]
        neg = [c[4] for c, lab in zip(cands, labels) if not lab]
        for fp in pos[:2]:
            for fn in neg:
                d = dict(fp)
                for k, v in fn.items():
                    d[k] = d.get(k, 0.0) - v
                sign = len(X) % 2
                X.append(d if sign else {k: -v for k, v in d.items()})
                y.append(sign)
    vec = DictVectorizer()
    clf = LogisticRegression(C=C, max_iter=3000, fit_intercept=False)
    clf.fit(vec.fit_transform(X), y)
    w = {name: float(c) for name, c in zip(vec.feature_names_, clf.coef_[0]) if abs(c) > 1e-6}
    w["_bias"] = 0.0
    return w


def training_rows(grps, coll, ids):
    rows = []
    for gid, i, labels in grps:
        if gid not in ids:
            continue
        cands = coll[gid][i][3]
        for c, lab in zip(cands, labels):
            rows.append((c[4], lab))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--pointwise", action="store_true", help="fit candidates one by one instead of in pairs")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    from newsbrief.bench.quotes import load_gold, score, stratified_folds

    gold = load_gold()
    if args.limit:
        gold = gold[: args.limit]
    t0 = time.process_time()
    coll = collect(gold)
    t_collect = time.process_time() - t0
    grps = groups(gold, coll)
    n_c = sum(len(c[3]) for rows in coll.values() for c in rows)
    oracle = sum(any(lab) for _, _, lab in grps)
    print(f"{len(gold)} articles; {sum(len(r) for r in coll.values())} quotes, {n_c} candidates "
          f"({time.process_time() - t0:.1f} s CPU to collect); speaker-scored found gold quotes {len(grps)}, "
          f"oracle (some candidate right) {oracle / max(1, len(grps)):.3f}")

    def line(name, s):
        sk = s["speaker_by_kind"]
        kinds = " / ".join(f"{k} {sk.get(k, (0, 0))[0]}/{sk.get(k, (0, 0))[1]} "
                           f"({sk.get(k, (0, 1))[0] / max(1, sk.get(k, (0, 1))[1]):.3f})"
                           for k in ("named", "resolved", "unnamed"))
        return (f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['speaker_accuracy']:.3f} "
                f"({s['speaker_ok']}/{s['speaker_n']}) | {kinds} | {s['none_rate']:.3f} |")

    print("| run | precision | recall | speaker accuracy | named / resolved / unnamed | no speaker |")
    print("|---|---|---|---|---|---|")
    print(line("rules only", score(gold, predictions(gold, coll, rule_choice))))
    fs = stratified_folds(gold)
    held = {}
    for f in fs:
        test = set(f)
        train_ids = {g.id for g in gold} - test
        w = fit_pairwise(grps, coll, train_ids, args.C) if not args.pointwise else \
            fit(training_rows(grps, coll, train_ids), args.C)
        part = predictions([g for g in gold if g.id in test], coll, model_choice(w))
        held.update(part)
    s_cv = score(gold, held)
    print(line("ranking, 5-fold CV (held-out folds)", s_cv))
    every = {g.id for g in gold}
    w = fit_pairwise(grps, coll, every, args.C) if not args.pointwise else fit(training_rows(grps, coll, every), args.C)
    s_in = score(gold, predictions(gold, coll, model_choice(w)))
    print(line("ranking, in-sample (trained on all)", s_in))
    print(f"features with weight: {len(w) - 1}; collect {t_collect:.1f} s CPU")
    if not args.no_write and not args.limit:
        OUT.write_text(json.dumps({
            "about": "Weights of the quote speaker ranking (newsbrief/analysis/quote_speakers.py), logistic regression "
                     "trained by scripts/train_quote_speakers.py on PolNeAR (924 articles).",
            "C": args.C,
            "cv_speaker_accuracy": round(s_cv["speaker_accuracy"], 4),
            "in_sample_speaker_accuracy": round(s_in["speaker_accuracy"], 4),
            "weights": {k: round(v, 4) for k, v in sorted(w.items())},
        }, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
