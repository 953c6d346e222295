"""Benchmark `newsbrief stories`: story recovery, grouping throughput, Dask parity.

    .venv/bin/python scripts/bench_stories.py                 # quality + 4k/40k throughput + Dask
    .venv/bin/python scripts/bench_stories.py --sizes 4000 40000 200000
    .venv/bin/python scripts/bench_stories.py --only quality

Quality: the clusters of six benchmark sets from ../shared/data (DUC 2003/2004 task 2, Multi-News
sample, MultiLing 2011, TAC 2010, DUC 2007 update with A/B/C of a topic as one story) are shuffled
into one undated corpus (~1,600 articles), read and cleaned like the CLI does, and grouped with the
default settings. The cluster id is the ground truth, never a feature. B-cubed precision / recall /
F1 and the adjusted Rand index are reported against (a) the clusters as given and (b) the clusters
with the DUC 2003 and DUC 2004 sets of the same TDT topic id merged (they are the same story;
see the overlap report printed with the figures).

Throughput: synthetic dated streams of 4k / 40k / 200k articles made from those articles
(each story recurs in "epochs" 30 days apart; every article appears 1-4 times as the original,
a re-dated copy, a light rewrite and a copy with shuffled paragraphs, dated over 0-3 days). Each
size runs in a fresh subprocess; only `group_stories` is timed; peak RSS comes from `resource`.

Dask: the 40k stream on a LocalCluster of 2 single-threaded workers (127.0.0.1) against the
single-process run: identical assignments are asserted, the overhead is stated.

Writes a Markdown block to benchmarks/stories.md (and the raw figures to benchmarks/stories.json).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
SETS = ["duc2003_task2", "duc2004_task2", "multinews_sample100_mixedsplits", "multiling2011_english",
        "tac2010_guided", "duc2007_update"]
OUT_MD = ROOT / "benchmarks" / "stories.md"
OUT_JSON = ROOT / "benchmarks" / "stories.json"


# ---------------------------------------------------------------------------------------------
# data


def load_rows() -> list[tuple[str, dict]]:
    rows = []
    for s in SETS:
        with open(DATA / f"{s}.jsonl", encoding="utf-8") as f:
            rows.extend((s, json.loads(line)) for line in f if line.strip())
    return rows


def story_label(dataset: str, row_id: str) -> str:
    # duc2007_update: D0703A-A / -B / -C are one story
    return f"{dataset}:{row_id.split('-')[0] if dataset == 'duc2007_update' else row_id}"


def reconciled(label: str) -> str:
    dataset, rid = label.split(":", 1)
    return f"duc:{rid}" if dataset in ("duc2003_task2", "duc2004_task2") else label


def benchmark_articles(seed: int = 0):
    """(cleaned Articles in shuffled order, gold labels, raw-count, overlap report)."""
    from newsbrief.model import Article
    from newsbrief.readers import read_inputs

    rows = load_rows()
    arts, gold = [], {}
    for dataset, row in rows:
        lab = story_label(dataset, row["id"])
        for i, doc in enumerate(row["documents"]):
            aid = f"{dataset}:{row['id']}:{i}"
            arts.append(Article(id=aid, raw=doc))
            gold[aid] = lab
    random.Random(seed).shuffle(arts)
    n_raw = len(arts)
    cleaned, warnings = read_inputs(arts)
    return cleaned, [gold[a.id] for a in cleaned], n_raw, warnings, overlaps(rows)


def overlaps(rows) -> dict:
    """Gold stories that share documents (by newswire id or identical text) or a TDT topic id."""
    by_doc: dict[str, set[str]] = defaultdict(set)
    by_text: dict[str, set[str]] = defaultdict(set)
    for dataset, row in rows:
        lab = story_label(dataset, row["id"])
        for i, doc in enumerate(row["documents"]):
            ids = row.get("doc_ids") or []
            if i < len(ids) and ids[i]:
                by_doc[ids[i]].add(lab)
            by_text[" ".join(doc.split())[:400]].add(lab)
    pairs: Counter = Counter()
    for labs in list(by_doc.values()) + list(by_text.values()):
        labs = sorted(labs)
        for i in range(len(labs)):
            for j in range(i + 1, len(labs)):
                pairs[(labs[i], labs[j])] += 1
    d03 = {r["id"] for d, r in rows if d == "duc2003_task2"}
    d04 = {r["id"] for d, r in rows if d == "duc2004_task2"}
    return {
        "duc2003_duc2004_same_topic_ids": sorted(d03 & d04),
        "story_pairs_sharing_documents": [[a, b, n] for (a, b), n in sorted(pairs.items())],
    }


# ---------------------------------------------------------------------------------------------
# metrics


def bcubed(pred, gold) -> tuple[float, float, float]:
    pc, gc, pg = Counter(pred), Counter(gold), Counter(zip(pred, gold))
    p = float(np.mean([pg[(a, b)] / pc[a] for a, b in zip(pred, gold)]))
    r = float(np.mean([pg[(a, b)] / gc[b] for a, b in zip(pred, gold)]))
    return p, r, 2 * p * r / (p + r)


def scores(pred, gold) -> dict:
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(pred, gold)
    return {"bcubed_p": round(p, 4), "bcubed_r": round(r, 4), "bcubed_f1": round(f, 4),
            "ari": round(float(adjusted_rand_score(gold, pred)), 4), "clusters": len(set(pred)),
            "gold_clusters": len(set(gold))}


# ---------------------------------------------------------------------------------------------
# quality


def run_quality() -> dict:
    from newsbrief import stories as st

    arts, gold, n_raw, read_warnings, ov = benchmark_articles()
    # the cleaner finds dates in a few texts (MultiLing's WikiNews articles carry them): the gold
    # clusters are topics spanning months to years, so the main figure groups the corpus undated
    # (one block), as the benchmark intends; the run with those dates is reported as well
    import copy

    dated = st.group_stories(arts)
    n_dated = sum(1 for a in arts if a.date)
    undated = [copy.copy(a) for a in arts]
    for a in undated:
        a.date = None
    t = time.perf_counter()
    index = st.group_stories(undated)  # defaults: no per-dataset tuning
    secs = time.perf_counter() - t
    pred = index.labels([a.id for a in arts])
    recon = [reconciled(g) for g in gold]
    per_dataset = {}
    pc, gc, pg = Counter(pred), Counter(recon), Counter(zip(pred, recon))
    for ds in SETS:
        idx = [i for i, g in enumerate(gold) if g.startswith(ds + ":")]
        p = float(np.mean([pg[(pred[i], recon[i])] / pc[pred[i]] for i in idx]))
        r = float(np.mean([pg[(pred[i], recon[i])] / gc[recon[i]] for i in idx]))
        per_dataset[ds] = {"articles": len(idx), "bcubed_p": round(p, 3), "bcubed_r": round(r, 3)}
    copies = index.duplicates
    cross_pairs = [(a, b) for a, b in copies.items() if recon[_pos(arts)[a]] != recon[_pos(arts)[b]]]
    cross = len(cross_pairs)
    text = {a.id: set(a.text.lower().split()) for a in arts}
    cross_same = sum(1 for a, b in cross_pairs if len(text[a] & text[b]) >= 0.9 * len(text[a] | text[b]))
    # an O(n^2) reference: all-pairs average linkage on full TF-IDF (sklearn), its best threshold
    ref = reference_all_pairs(arts, recon)
    return {
        "articles": len(arts), "articles_before_cleaning": n_raw, "read_warnings": len(read_warnings),
        "seconds": round(secs, 2), "settings": index.settings,
        "as_given": scores(pred, gold), "reconciled": scores(pred, recon),
        "with_extracted_dates": {"dated_articles": n_dated,
                                 "as_given": scores(dated.labels([a.id for a in arts]), gold),
                                 "reconciled": scores(dated.labels([a.id for a in arts]), recon)},
        "per_dataset_reconciled": per_dataset,
        "near_duplicate_copies": len(copies), "copies_across_gold_stories": cross,
        "copies_across_gold_stories_same_article": cross_same,
        "reference_all_pairs_average_link": ref, "overlaps": ov,
    }


_POS: dict = {}


def _pos(arts):
    if not _POS:
        _POS.update({a.id: i for i, a in enumerate(arts)})
    return _POS


def reference_all_pairs(arts, gold) -> dict:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.text for a in arts])
    dist = 1 - (x @ x.T).toarray()
    best = None
    for t in (0.06, 0.08, 0.1, 0.12, 0.15):
        lab = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                      distance_threshold=1 - t).fit(dist).labels_
        s = scores([str(v) for v in lab], gold) | {"threshold": t}
        if best is None or s["bcubed_f1"] > best["bcubed_f1"]:
            best = s
    return best


# ---------------------------------------------------------------------------------------------
# synthetic streams


def _light_rewrite(text: str, rng: random.Random) -> str:
    sents = text.replace("\n\n", " \n\n ").split(". ")
    if len(sents) > 4:  # drop one sentence
        del sents[rng.randrange(1, len(sents))]
    words = ". ".join(sents).split(" ")
    for _ in range(max(1, len(words) // 30)):  # drop / swap a few words, change a number
        j = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4:
            words[j] = ""
        elif op < 0.8 and j + 1 < len(words):
            words[j], words[j + 1] = words[j + 1], words[j]
        elif words[j].isdigit():
            words[j] = str(int(words[j]) + rng.randint(1, 9))
    return " ".join(w for w in words if w != "")


def _shuffle_paragraphs(text: str, rng: random.Random) -> str:
    paras = [p for p in text.split("\n\n") if p.strip()]
    rng.shuffle(paras)
    return "\n\n".join(paras)


def synthetic_stream(base, base_gold, n: int, seed: int = 1):
    """n dated articles: stories recur every 30 days; copies dated over 0-3 days."""
    from newsbrief.model import Article

    rng = random.Random(seed)
    by_story: dict[str, list] = defaultdict(list)
    for a, g in zip(base, base_gold):
        by_story[g].append(a)
    stories = sorted(by_story)
    out, gold = [], []
    start = date(2021, 1, 1)
    epoch = 0
    while len(out) < n:
        for s in stories:
            offset = rng.randrange(0, 24)
            for a in by_story[s]:
                for v in range(rng.randint(1, 4)):
                    if len(out) >= n:
                        break
                    day = start + timedelta(days=30 * epoch + offset + rng.randint(0, 3))
                    if v == 0:
                        text = a.text
                    elif v == 1:
                        text = a.text  # re-dated copy
                    elif v == 2:
                        text = _light_rewrite(a.text, rng)
                    else:
                        text = _shuffle_paragraphs(a.text, rng)
                    out.append(Article(id=f"e{epoch}:{a.id}:{v}", raw=text, text=text, title=a.title,
                                       source=f"outlet{rng.randrange(40)}", date=day.isoformat()))
                    gold.append(f"{epoch}:{s}")
        epoch += 1
    order = list(range(len(out)))
    rng.shuffle(order)  # arrival order is not date order
    return [out[i] for i in order], [gold[i] for i in order]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput_child(n: int, dask_workers: int) -> dict:
    """Runs in its own process: generate the stream, time group_stories (single and/or Dask)."""
    from newsbrief import stories as st

    base, base_gold, *_ = benchmark_articles()
    arts, gold = synthetic_stream(base, base_gold, n)
    rss_before = _rss_mb()
    res: dict = {"articles": n, "load_avg_before": os.getloadavg()[0]}
    t, c = time.perf_counter(), time.process_time()
    single = st.group_stories(arts)
    res["single_seconds"] = round(time.perf_counter() - t, 2)
    res["single_cpu_seconds"] = round(time.process_time() - c, 2)
    res["articles_per_second"] = round(n / res["single_seconds"], 1)
    res["articles_per_cpu_second"] = round(n / res["single_cpu_seconds"], 1)
    res["timings_s"] = single.stats["timings_s"]
    res["stories"] = len(single.stories)
    res["near_duplicate_copies"] = len(single.duplicates)
    res["peak_rss_mb"] = round(_rss_mb(), 1)
    res["rss_before_grouping_mb"] = round(rss_before, 1)
    res["quality"] = scores(single.labels([a.id for a in arts]), gold)
    if dask_workers:
        with st.dask_client(workers=dask_workers) as client:
            client.run(lambda: None)  # workers up
            t = time.perf_counter()
            dist = st.group_stories(arts, client=client)
            res["dask_seconds"] = round(time.perf_counter() - t, 2)
            res["dask_timings_s"] = dist.stats["timings_s"]
        res["dask_workers"] = dask_workers
        res["dask_same_grouping"] = dist.assignments == single.assignments and dist.duplicates == single.duplicates
    res["load_avg_after"] = os.getloadavg()[0]
    return res


def run_throughput(n: int, dask_workers: int = 0) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n), "--dask-workers", str(dask_workers)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# report


def markdown(r: dict) -> str:
    lines = ["## Stories from a stream (`newsbrief stories`)", "",
             (f"Measured {r['when']} on this machine (2 cores shared with other jobs; load average noted), "
             "`scripts/bench_stories.py`."), ""]
    q = r.get("quality")
    if q:
        s = q["settings"]
        lines += [
            "### Story recovery (six benchmark sets shuffled into one corpus, default settings)", "",
            (f"{q['articles']} articles after cleaning ({q['articles_before_cleaning']} documents; the cleaner "
            f"dropped the rest as empty boilerplate), dates removed (one block), grouped in {q['seconds']} s with threshold "
            f"{s['threshold']}, window {s['window_days']} days, near-duplicate Jaccard {s['dup_threshold']}, "
            f"{s['knn']} neighbours."), "",
            "| ground truth | stories | found | B-cubed P | B-cubed R | **B-cubed F1** | ARI |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, key in (("clusters as given", "as_given"), ("DUC 2003+2004 same topic merged", "reconciled")):
            m = q[key]
            lines.append(f"| {name} | {m['gold_clusters']} | {m['clusters']} | {m['bcubed_p']:.3f} | "
                         f"{m['bcubed_r']:.3f} | **{m['bcubed_f1']:.3f}** | {m['ari']:.3f} |")
        wd = q["with_extracted_dates"]
        lines.append(f"| with the {wd['dated_articles']} dates the cleaner found (vs merged; {s['window_days']}-day window "
                     f"splits WikiNews topics that span months) | {wd['reconciled']['gold_clusters']} | "
                     f"{wd['reconciled']['clusters']} | {wd['reconciled']['bcubed_p']:.3f} | {wd['reconciled']['bcubed_r']:.3f} | "
                     f"{wd['reconciled']['bcubed_f1']:.3f} | {wd['reconciled']['ari']:.3f} |")
        ref = q["reference_all_pairs_average_link"]
        lines += [
            (f"| reference: all-pairs (O(n²)) average linkage, full TF-IDF, best threshold {ref['threshold']} "
            f"(vs merged) | {ref['gold_clusters']} | {ref['clusters']} | {ref['bcubed_p']:.3f} | {ref['bcubed_r']:.3f} | "
            f"{ref['bcubed_f1']:.3f} | {ref['ari']:.3f} |"), "",
            "Per dataset (vs merged ground truth, B-cubed P / R): " + "; ".join(
                f"{k} {v['bcubed_p']:.2f} / {v['bcubed_r']:.2f}" for k, v in q["per_dataset_reconciled"].items()) + ".",
            "",
            (f"Near-duplicate copies found: {q['near_duplicate_copies']}; {q['copies_across_gold_stories']} of them "
            "link two different gold stories, and of those "
            f"{q.get('copies_across_gold_stories_same_article', '?')} are the same article filed under both "
            "(word-set Jaccard >= 0.9: identical, or differing by a dateline such as 'BEIJING (AP) _')."), "",
            "**The target B-cubed F1 ≥ 0.9 is not reached.** The ground truth is not a partition into distinct "
            "stories: " + f"{len(q['overlaps']['duc2003_duc2004_same_topic_ids'])} DUC 2003 clusters have the "
            "same TDT topic id as a DUC 2004 cluster (e.g. d30003t Pinochet's arrest in both), "
            f"{len(q['overlaps']['story_pairs_sharing_documents'])} pairs of gold stories share at least one "
            "document (same newswire id or same text), and several stories recur across sets "
            "(Matthew Shepard: DUC 2004 d31008t, DUC 2007 D0721, TAC 2010 D1027E; Microsoft antitrust: "
            "DUC 2003/2004 d31033t, DUC 2004 d30026t, DUC 2007 D0711; the euro: DUC 2004 d30033t, DUC 2007 D0703). "
            "Related TDT topics of the same weeks (Gaza airport / Jerusalem bombing / Clinton's visit; "
            "Turkey-Syria / Öcalan) share most of their vocabulary. An all-pairs (quadratic) average-linkage "
            f"reference on full TF-IDF, its threshold tuned on this very corpus, scores {ref['bcubed_f1']:.3f} "
            f"against {q['reconciled']['bcubed_f1']:.3f} for the near-linear method: the gap to 0.9 is in the "
            "labels and in bag-of-words similarity, not in the blocking or the candidate retrieval.",
            "",
        ]
    t = r.get("throughput")
    if t:
        lines += ["### Grouping throughput (single process; dated synthetic streams)", "",
                  ("| articles | wall s | CPU s | articles/s (wall) | articles/CPU-s | features | near-dups | neighbours | linkage | stories | "
                  "copies | peak RSS MB | RSS before grouping MB | load avg | B-cubed F1 vs (epoch, story) |"),
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for x in t:
            tm = x["timings_s"]
            lines.append(
                f"| {x['articles']:,} | {x['single_seconds']} | {x['single_cpu_seconds']} | "
                f"**{x['articles_per_second']:,.0f}** | {x['articles_per_cpu_second']:,.0f} | "
                f"{tm.get('features', 0):.1f} | {tm.get('near_duplicates', 0):.1f} | {tm.get('neighbours', 0):.1f} | "
                f"{tm.get('agglomeration', 0):.1f} | {x['stories']:,} | {x['near_duplicate_copies']:,} | "
                f"{x['peak_rss_mb']:,.0f} | {x['rss_before_grouping_mb']:,.0f} | {x['load_avg_before']:.1f} | "
                f"{x['quality']['bcubed_f1']:.3f} |")
        if len(t) > 1:
            steps = []
            for a, b in itertools.pairwise(t):
                grow = b["single_cpu_seconds"] / a["single_cpu_seconds"]
                steps.append(f"{a['articles']:,} → {b['articles']:,}: {b['articles'] / a['articles']:.0f}x the "
                             f"articles, {grow:.1f}x the CPU time")
            lines += ["", "Growth: " + "; ".join(steps) + ". Stage columns are wall seconds. The single "
                      "process uses one core; wall time depends on the other jobs sharing the machine "
                      "(load average column)."]
        big = max(t, key=lambda x: x["articles"])
        per100k = (big["peak_rss_mb"] - big["rss_before_grouping_mb"]) / big["articles"] * 100_000
        lines += ["", (f"Memory: grouping added about {per100k:,.0f} MB per 100k articles on top of the corpus held in "
                      f"memory (peak RSS {big['peak_rss_mb']:,.0f} MB at {big['articles']:,} articles, "
                      f"{big['rss_before_grouping_mb']:,.0f} MB before grouping)."), ""]
    d = r.get("dask")
    if d:
        lines += ["### Dask (LocalCluster, 127.0.0.1, single-threaded workers)", "",
                  (f"{d['articles']:,} articles: single process {d['single_seconds']} s, {d['dask_workers']} workers "
                  f"{d['dask_seconds']} s (overhead {d['dask_seconds'] - d['single_seconds']:+.1f} s, "
                  f"{d['dask_seconds'] / d['single_seconds']:.2f}x); same grouping: **{d['dask_same_grouping']}**. "
                  f"Stage times with Dask: {d['dask_timings_s']}."), ""]
        hist = r.get("dask_history", [])
        if len(hist) > 1:
            lines += ["All runs (single s / Dask s, load average): " + "; ".join(
                f"{h['single_seconds']} / {h['dask_seconds']} ({h['load_avg_before']:.1f}), same grouping "
                f"{h['dask_same_grouping']}" for h in hist) + ". On two cores shared with other jobs the "
                "workers compete with the client and with each other; the overhead is the cost of "
                "shipping chunks and results between processes, and it shrinks when cores are free.", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[4000, 40000])
    ap.add_argument("--only", choices=["quality", "throughput", "dask"])
    ap.add_argument("--dask-size", type=int, default=40000)
    ap.add_argument("--child", type=int)
    ap.add_argument("--report", action="store_true", help="rewrite stories.md from stories.json only")
    ap.add_argument("--dask-workers", type=int, default=0)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(throughput_child(args.child, args.dask_workers)))
        return
    previous = json.loads(OUT_JSON.read_text()) if OUT_JSON.exists() else {}
    if args.report:
        OUT_MD.write_text(markdown(previous), encoding="utf-8")
        print(OUT_MD.read_text())
        return
    r = dict(previous)
    r["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.only in (None, "quality"):
        r["quality"] = run_quality()
        print(json.dumps({k: r["quality"][k] for k in ("as_given", "reconciled", "reference_all_pairs_average_link")}))
    if args.only in (None, "throughput"):
        old = {x["articles"]: x for x in previous.get("throughput", [])}
        for n in args.sizes:
            old[n] = run_throughput(n)
            print(json.dumps(old[n]))
        r["throughput"] = [old[k] for k in sorted(old)]
    if args.only in (None, "dask"):
        r["dask"] = run_throughput(args.dask_size, dask_workers=2)
        r.setdefault("dask_history", []).append(r["dask"])
        print(json.dumps(r["dask"]))
    OUT_MD.parent.mkdir(exist_ok=True)
    OUT_JSON.write_text(json.dumps(r, indent=2))
    OUT_MD.write_text(markdown(r), encoding="utf-8")
    print(OUT_MD.read_text())


if __name__ == "__main__":
    main()
