"""Benchmark the "one story per brief" check (`newsbrief.split.story_groups`).

    /work/main/.venv/bin/python scripts/bench_split.py            # all sets, prints a Markdown table
    /work/main/.venv/bin/python scripts/bench_split.py --json out.json

Each benchmark cluster (one row of a ../shared/data set) is one story:
- false split: briefing the row alone gives an "other stories" warning (more than one group);
- 2-story mix: the articles of two different rows of the same set, one input: detected when it
  gives two or more groups; "separated" when the two rows' articles land in different groups with
  B-cubed F1 >= 0.9 (the articles of each row together);
- 5-story mix: the first 10 articles of five different rows (up to 50 articles): adjusted Rand
  index of the groups against the rows, and how many groups were found.
The cluster ids are the ground truth, never a feature. Rows are read and cleaned like the CLI does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
SETS = ["duc2003_task2", "duc2003_task3", "duc2004_task2", "duc2006", "duc2007_main_23topics", "tac2010_guided",
        "multinews_sample100_mixedsplits", "multiling2011_english"]


def bcubed_f1(truth: list[int], pred: list[int]) -> float:
    n = len(truth)
    p = r = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if pred[j] == pred[i]]
        same_true = [j for j in range(n) if truth[j] == truth[i]]
        both = sum(1 for j in same_pred if truth[j] == truth[i])
        p += both / len(same_pred)
        r += both / len(same_true)
    p, r = p / n, r / n
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    from sklearn.metrics import adjusted_rand_score

    from newsbrief.readers import read_benchmark, read_inputs
    from newsbrief.split import story_groups

    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    results: dict = {"sets": {}}
    t0 = time.perf_counter()
    seeds, _ = read_inputs([str(ROOT / "examples" / "us-iran-talks")])
    results["seeds_split"] = len(story_groups(seeds)) > 1
    tot = Counter()
    for name in SETS:
        rows = read_benchmark(DATA / f"{name}.jsonl")
        arts = []
        for k, row in enumerate(rows):
            docs = [{"text": d, "id": f"r{k}-d{i}"} for i, d in enumerate(row["documents"])
                    if isinstance(d, str) and d.strip()]
            arts.append(read_inputs(docs)[0])
        usable = [k for k in range(len(rows)) if len(arts[k]) >= 2]
        split = [k for k in usable if len(story_groups(arts[k])) > 1]
        detected = separated = pairs = 0
        for k in usable:
            j = rng.choice([x for x in usable if x != k])
            mixed = arts[k] + arts[j]
            groups = story_groups(mixed)
            pairs += 1
            if len(groups) > 1:
                detected += 1
            label = {id(a): g for g, grp in enumerate(groups) for a in grp}
            truth = [0] * len(arts[k]) + [1] * len(arts[j])
            if bcubed_f1(truth, [label[id(a)] for a in mixed]) >= 0.9:
                separated += 1
        aris, found = [], []
        for _ in range(10):
            if len(usable) < 5:
                break
            ks = rng.sample(usable, 5)
            mixed, truth = [], []
            for c, k in enumerate(ks):
                mixed += arts[k][:10]
                truth += [c] * len(arts[k][:10])
            groups = story_groups(mixed)
            label = {id(a): g for g, grp in enumerate(groups) for a in grp}
            aris.append(adjusted_rand_score(truth, [label[id(a)] for a in mixed]))
            found.append(len(groups))
        results["sets"][name] = {
            "rows": len(usable), "false_splits": len(split), "pairs": pairs, "pairs_detected": detected,
            "pairs_separated": separated, "five_mix_ari": sum(aris) / len(aris) if aris else None,
            "five_mix_groups": sum(found) / len(found) if found else None,
        }
        tot.update(rows=len(usable), false_splits=len(split), pairs=pairs, detected=detected, separated=separated)
    results["total"] = dict(tot)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    print("| set | rows | false splits | 2-story mixes detected | separated | 5-story ARI (groups) |")
    print("|---|---|---|---|---|---|")
    for name, r in results["sets"].items():
        ari = f"{r['five_mix_ari']:.2f} ({r['five_mix_groups']:.1f})" if r["five_mix_ari"] is not None else "–"
        print(f"| {name} | {r['rows']} | {r['false_splits']} | {r['pairs_detected']}/{r['pairs']} | "
              f"{r['pairs_separated']}/{r['pairs']} | {ari} |")
    print(f"| **all** | {tot['rows']} | **{tot['false_splits']} ({tot['false_splits'] / tot['rows']:.1%})** | "
          f"**{tot['detected']}/{tot['pairs']} ({tot['detected'] / tot['pairs']:.1%})** | "
          f"{tot['separated']}/{tot['pairs']} ({tot['separated'] / tot['pairs']:.1%}) | |")
    print(f"\nseeds (examples/us-iran-talks) split: {results['seeds_split']}; {results['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
