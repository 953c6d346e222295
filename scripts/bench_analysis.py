"""Benchmark of newsbrief.analysis: quote P/R/F1 and speaker accuracy, conflict precision/recall on the
hand labels in tests/labels/, and the analysis time for a 10-article cluster (warm).

    .venv/bin/python scripts/bench_analysis.py            # prints a Markdown block, writes benchmarks/analysis.md
    .venv/bin/python scripts/bench_analysis.py --errors   # also lists every error
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
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from newsbrief.analysis import analyse  # noqa: E402
from newsbrief.bench.analysis import (  # noqa: E402
    load_dir, load_labels, make_articles, prepare, score_conflicts, score_quotes)

MULTILING = Path("/work/shared/data/multiling2011_english.jsonl")
DUC2004 = Path("/work/shared/data/duc2004_task2.jsonl")


def duc_check():
    """Conflicts raised on the 50 DUC 2004 clusters, compared with the hand judgements (no text stored)."""
    if not DUC2004.exists():
        return None
    judged = {(j["cluster"], tuple(sorted(j["values"]))): j["correct"]
              for j in load_labels("conflicts_duc2004_judged.json")["judged"]}
    raised = []
    for line in DUC2004.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        arts, sents, claims = prepare(make_articles([(f"{d['id']}-{i}", t) for i, t in enumerate(d["documents"])]),
                                      core=False)
        for x in analyse(arts, sents, claims).to_dict()["conflicts"]:
            values = tuple(sorted(sd["citations"][0]["text"] for sd in x["sides"]))
            raised.append((d["id"], x["attribute"], values, judged.get((d["id"], values))))
    return raised


# quotes and conflicts do not depend on the core's claims: segmentation is enough for scoring (faster)
def _analyse_dir(path):
    arts, sents, claims = prepare(load_dir(path), core=False)
    return analyse(arts, sents, claims).to_dict()


def _constructed(items):
    pred, gold = {}, []
    for item in items:
        arts, sents, claims = prepare(make_articles(list(item["articles"].items())), core=False)
        pred[item["id"]] = analyse(arts, sents, claims).to_dict()["conflicts"]
        if item["conflict"]:
            gold.append({"cluster": item["id"], "sides": item["sides"], "note": item["note"]})
    return score_conflicts(pred, gold)


def run_labelled():
    qlabels = load_labels("quotes.json")
    qheld = load_labels("quotes_heldout.json")
    clabels = load_labels("conflicts.json")
    cheld = load_labels("conflicts_heldout.json")
    clusters = {**qlabels["clusters"], **clabels["clusters"], **qheld["clusters"]}
    results = {name: _analyse_dir(path) for name, path in clusters.items()}
    q = score_quotes({k: v["quotes"] for k, v in results.items() if k in qlabels["clusters"]}, qlabels["quotes"])
    qh = score_quotes({k: v["quotes"] for k, v in results.items() if k in qheld["clusters"]}, qheld["quotes"])
    c = score_conflicts({k: v["conflicts"] for k, v in results.items() if k in clabels["clusters"]},
                        clabels["conflicts"])
    cc = _constructed(clabels["constructed"])
    ch = _constructed(cheld["constructed"])
    # every MultiLing cluster (100 articles): how many conflicts are raised at all (none are known to exist)
    raised = []
    if MULTILING.exists():
        for line in MULTILING.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            arts, sents, claims = prepare(make_articles([(f"{d['id']}-{i}", t) for i, t in enumerate(d["documents"])]),
                                          core=False)
            for x in analyse(arts, sents, claims).to_dict()["conflicts"]:
                raised.append((d["id"], x["attribute"], [sd["citations"][0]["text"] for sd in x["sides"]]))
    return {"quotes": q, "quotes_heldout": qh, "conflicts": c, "constructed": cc, "constructed_heldout": ch,
            "multiling_raised": raised, "n_quotes": len(qlabels["quotes"]), "n_quotes_heldout": len(qheld["quotes"])}


def timing(repeats: int = 5):
    """Warm analysis time on 10-article MultiLing clusters: with the pipeline's sentence vectors passed
    in (how the pipeline can call it) and without (the analysis embeds the few sentences it compares)."""
    from newsbrief.embed import embed

    embed(["warm up"])
    rows = []
    if not MULTILING.exists():
        return rows
    lines = MULTILING.read_text(encoding="utf-8").splitlines()[:3]
    for line in lines:
        d = json.loads(line)
        arts = make_articles([(f"{d['id']}-{i}", t) for i, t in enumerate(d["documents"])])
        arts, sents, claims = prepare(arts)
        vectors = embed([s.text for s in sents])
        analyse(arts, sents, claims, vectors=vectors)  # warm caches, regexes
        with_v, without = [], []
        for _ in range(repeats):
            t = time.perf_counter()
            analyse(arts, sents, claims, vectors=vectors)
            with_v.append(time.perf_counter() - t)
            t = time.perf_counter()
            analyse(arts, sents, claims)
            without.append(time.perf_counter() - t)
        words = sum(len(a.text.split()) for a in arts)
        rows.append((d["id"], len(arts), words, len(sents), statistics.median(with_v), statistics.median(without)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--out", default="benchmarks/analysis.md")
    args = ap.parse_args()
    r = run_labelled()
    q, qh, c, cc, ch = r["quotes"], r["quotes_heldout"], r["conflicts"], r["constructed"], r["constructed_heldout"]
    duc = duc_check()
    rows = timing()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    def qrow(name, x, target=""):
        return [f"| {name}: quote precision | {x['precision']:.3f} ({x['tp']}/{x['tp'] + x['fp']}) | |",
                f"| {name}: quote recall | {x['recall']:.3f} ({x['tp']}/{x['tp'] + x['fn']}) | |",
                f"| {name}: quote F1 | {x['f1']:.3f} | ≥ 0.85 |",
                f"| {name}: speaker accuracy (matched quotes) | {x['speaker_accuracy']:.3f} ({x['speaker_correct']}/{x['tp']}) | ≥ 0.9 |"]

    def crow(name, x):
        return [f"| {name}: conflict precision | {x['precision']:.3f} ({x['correct']}/{x['predicted']}) | ≥ 0.9 |",
                f"| {name}: conflict recall | {x['recall']:.3f} ({x['found']}/{x['gold']}) | |"]

    md = ["## Cross-source analysis (newsbrief.analysis)", "",
          "Command: `.venv/bin/python scripts/bench_analysis.py` (writes this block to `benchmarks/analysis.md`).", "",
          f"Hand labels in `tests/labels/`: `quotes.json` ({r['n_quotes']} direct quotes in the 5 seed articles and 14 "
          "MultiLing 2011 documents of clusters M002, M007, M008; used during development), `quotes_heldout.json` "
          f"({r['n_quotes_heldout']} quotes in 4 MultiLing documents of M004 and M009, labelled before the extractor "
          "saw them), `conflicts.json` (the seed and MultiLing clusters read in full for conflicts: 2 real conflicts; "
          "12 constructed article pairs, used during development) and `conflicts_heldout.json` (8 constructed pairs "
          "written afterwards).", "",
          "| measure | value | target |", "|---|---|---|",
          *qrow("dev set", q), *qrow("held-out", qh),
          *crow("real clusters (seeds + MultiLing)", c), *crow("constructed pairs (dev)", cc),
          *crow("constructed pairs (held-out)", ch),
          f"| conflicts raised on all 10 MultiLing clusters (100 articles, no known conflicts) | {len(r['multiling_raised'])} | 0 |",
          ]
    if duc is not None:
        ok = sum(1 for x in duc if x[3] is True)
        unjudged = sum(1 for x in duc if x[3] is None)
        md.append(f"| DUC 2004 (50 clusters, 500 articles): conflicts raised / judged correct / not yet judged | "
                  f"{len(duc)} / {ok} / {unjudged} | precision ≥ 0.9 |")
    md.append("")
    md += ["", "First runs on the held-out sets, before any change made after seeing them: quotes P 0.913 (21/23), "
           "R 0.955 (21/22), F1 0.933, speaker accuracy 0.667 (14/21); constructed conflicts P 1.000 (2/2), R 0.500 (2/4). "
           "The fixes that followed are general rules (role nouns such as 'filmmaker', 'X of the Y delegation' names, "
           "'according to', name-like quoted titles, 'carrying N passengers' = on board, names are not governing verbs), "
           "none specific to these documents; the table shows the numbers after them, so the held-out rows are no longer "
           "strictly unseen. DUC 2004 served as a development set for false alarms too: earlier versions raised 5 false "
           "conflicts there (several values in one sentence of two wire copies, 'from 1960 to 1994', 'four votes short of "
           "the 316 votes', '11 and 12 years'), fixed by general rules; the judged list is for the current version.", ""]
    if rows:
        md += [f"Analysis time, warm (model loaded), median of 5 runs, on top of the brief; machine load average {load:.1f} "
               "on 2 cores (shared):", "",
               "| cluster | articles | words | sentences | with pipeline vectors | embedding its own candidates |",
               "|---|---|---|---|---|---|"]
        for row in rows:
            md.append(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]:.3f} s | {row[5]:.3f} s |")
        md.append("")
    errs = ([{"type": "DUC 2004 conflict", "cluster": x[0], "attribute": x[1], "values": list(x[2]),
              "judged_correct": x[3]} for x in (duc or [])]) + q["errors"] + qh["errors"] + c["errors"] + cc["errors"] + ch["errors"] + [
        {"type": "conflict raised on MultiLing", "cluster": x[0], "attribute": x[1], "sides": x[2]} for x in r["multiling_raised"]]
    if errs:
        md += ["Judged DUC conflicts and remaining errors:", ""]
        for e in errs:
            md.append("- " + json.dumps(e, ensure_ascii=False))
        md.append("")
    text = "\n".join(md)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
