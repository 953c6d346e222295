"""Story grouping on two dated, labelled streams, with the default settings (issue 16).

    .venv/bin/python scripts/bench_story_streams.py            # both streams, batch + online + baseline
    .venv/bin/python scripts/bench_story_streams.py --grid     # a small sweep (tuning; both streams)

Streams (both read from ../shared/data, nothing written into the repository):

- ``tdt``: ``duc_tdt_stream.jsonl``, 741 newswire articles (Oct-Dec 1998) with NIST TDT story labels;
  scored on the 706 single-label articles (59 stories).
- ``topics``: the topic-repeating stream of ``scripts/build_topic_stream.py`` (DUC 2006 + DUC 2007 main
  topics cut into stories at 30-day pauses, 1996-2000, plus the Multi-News sample with drawn dates).

Articles are read through ``newsbrief.readers.read_inputs`` (as the CLI reads a JSONL), grouped with
``group_stories`` (defaults), scored with B-cubed and pairwise P/R/F1. The reference is a single-pass
online TF-IDF centroid clusterer (7-day window, cosine threshold picked per stream: an upper bound for it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
DATA = ROOT.parent / "shared" / "data"


def load_stream(name: str) -> list[dict]:
    if name == "tdt":
        with open(DATA / "duc_tdt_stream.jsonl", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    from build_topic_stream import build

    return build()


def read_articles(rows: list[dict]):
    from newsbrief.readers import read_inputs

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "stream.jsonl"
        with p.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({k: r.get(k) for k in ("id", "text", "title", "date", "source") if r.get(k)})
                        + "\n")
        arts, _ = read_inputs([p])
    return arts


def bcubed(pred, gold) -> tuple[float, float, float]:
    pc, gc, pg = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    p = float(np.mean([pg[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)]))
    r = float(np.mean([pg[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)]))
    return p, r, 2 * p * r / (p + r)


def pairwise(pred, gold) -> tuple[float, float, float]:
    def pairs(c: Counter) -> int:
        return sum(v * (v - 1) // 2 for v in c.values())

    tp = pairs(Counter(zip(pred, gold, strict=True)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    p, r = tp / max(pp, 1), tp / max(gp, 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(labels: dict[str, str], rows: list[dict]) -> dict:
    scored = [r for r in rows if not r.get("multi_label") and r["id"] in labels]
    pred = [labels[r["id"]] for r in scored]
    gold = [r["story"] for r in scored]
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    return {"articles": len(scored), "gold_stories": len(set(gold)), "clusters": len(set(pred)),
            "b3_p": round(bp, 3), "b3_r": round(br, 3), "b3_f1": round(bf, 3),
            "pw_p": round(pp, 3), "pw_r": round(pr, 3), "pw_f1": round(pf, 3)}


def online_baseline(arts, threshold: float, window: int = 7) -> dict[str, str]:
    """Single-pass TF-IDF centroid clustering in time order: each article joins the most similar
    centroid of a cluster active within ``window`` days, if cosine >= threshold (idf from the whole
    stream: generous to it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from newsbrief.stories.features import day_number

    order = sorted(range(len(arts)), key=lambda i: (day_number(arts[i].date), i))
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2).fit_transform([a.text for a in arts])
    X = X.astype(np.float32).toarray()
    cents = np.zeros((len(arts), X.shape[1]), np.float32)
    last = np.zeros(len(arts), np.int64)
    n = 0
    labels: dict[str, str] = {}
    for i in order:
        v, d = X[i], day_number(arts[i].date)
        active = np.nonzero(last[:n] >= d - window)[0]
        best = -1
        if len(active):
            c = cents[active]
            sims = (c @ v) / np.maximum(np.linalg.norm(c, axis=1), 1e-9)
            k = int(np.argmax(sims))
            if sims[k] >= threshold:
                best = int(active[k])
        if best < 0:
            best, n = n, n + 1
        cents[best] += v
        last[best] = max(last[best], d)
        labels[arts[i].id] = f"c{best}"
    return labels


def run(name: str, **options) -> dict:
    from newsbrief import stories as st

    rows = load_stream(name)
    arts = read_articles(rows)
    t = time.perf_counter()
    index = st.group_stories(arts, **options)
    secs = time.perf_counter() - t
    out = score(index.assignments, rows)
    out["seconds"] = round(secs, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--streams", nargs="*", default=["tdt", "topics"])
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from newsbrief import stories as st

    results: dict = {}
    for name in args.streams:
        rows = load_stream(name)
        arts = read_articles(rows)
        res: dict = {}
        if args.grid:
            for thr, dec, win in itertools.product([0.03, 0.05, 0.07, 0.1], [15.0, 30.0, 45.0, 90.0], [30, 90]):
                idx = st.group_stories(arts, threshold=thr, decay_days=dec, window_days=win)
                s = score(idx.assignments, rows)
                print(f"{name} thr={thr} decay={dec} win={win}: B3 {s['b3_f1']} (P {s['b3_p']} R {s['b3_r']}) "
                      f"pw {s['pw_f1']} clusters {s['clusters']}/{s['gold_stories']}", flush=True)
            continue
        for mode, opts in (("batch", {}), ("online", {"online": True})):
            t = time.perf_counter()
            idx = st.group_stories(arts, **opts)
            s = score(idx.assignments, rows)
            s["seconds"] = round(time.perf_counter() - t, 2)
            res[mode] = s
            print(f"{name} {mode}: {s}", flush=True)
        if not args.no_baseline:
            best = None
            for thr in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
                s = score(online_baseline(arts, thr), rows)
                s["threshold"] = thr
                if best is None or s["b3_f1"] > best["b3_f1"]:
                    best = s
            res["online_tfidf_baseline_best"] = best
            print(f"{name} baseline: {best}", flush=True)
        results[name] = res
    if args.json and results:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
