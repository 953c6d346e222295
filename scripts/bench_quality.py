#!/usr/bin/env python
"""Summary quality of newsbrief and the baselines, in one run, under the shared ROUGE protocol.

    .venv/bin/python scripts/bench_quality.py                      # DUC 2004 + Multi-News sample
    .venv/bin/python scripts/bench_quality.py --sets all
    .venv/bin/python scripts/bench_quality.py --sets multinews --systems lead,lexrank

Prints Markdown tables (system, R-1, R-2, R-Lsum, s/cluster) ready for BENCHMARKS.md, and the
command line that produced them. The Multi-News sample mixes splits: its 8 test-split clusters are
also reported on their own (report them, never tune on them), next to the 92 train+val ones.

Data: ../shared/data (beside the clone) or --data DIR; see shared/data/README.md for the protocol.
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsbrief.bench.baselines import BASELINES, make_baseline  # noqa: E402
from newsbrief.bench.evaluate import evaluate, load_jsonl, markdown_table, newsbrief_system, subset_results  # noqa: E402

# name: (file, words, measure, title)
SETS = {
    "duc2004": ("duc2004_task2.jsonl", 100, "recall", "DUC 2004 task 2"),
    "multinews": ("multinews_sample100_mixedsplits.jsonl", 260, "f1", "Multi-News sample (100 clusters)"),
    "duc2003": ("duc2003_task2.jsonl", 100, "recall", "DUC 2003 task 2"),
    "tac2010": ("tac2010_guided.jsonl", 100, "recall", "TAC 2010 guided, set A"),
    "multiling": ("multiling2011_english.jsonl", 260, "f1", "MultiLing 2011 English"),
}
DEFAULT_SETS = ("duc2004", "multinews")


def default_data_dir() -> Path:
    return ROOT.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS),
                    help=f"comma-separated, from {', '.join(SETS)}, or 'all' (default: %(default)s)")
    ap.add_argument("--systems", default="newsbrief," + ",".join(BASELINES),
                    help="comma-separated: newsbrief and/or baselines (default: %(default)s)")
    ap.add_argument("--data", type=Path, default=default_data_dir(), help="benchmark directory (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N clusters of each set (smoke runs)")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    ap.add_argument("--json", type=Path, default=None,
                    help="also write every set's results, per cluster (summaries, scores, seconds), to this JSON file")
    args = ap.parse_args(argv)

    sets = list(SETS) if args.sets.strip() == "all" else [s.strip() for s in args.sets.split(",") if s.strip()]
    for s in sets:
        if s not in SETS:
            ap.error(f"unknown set {s!r}; choose from {', '.join(SETS)}")
    names = [s.strip().lower() for s in args.systems.split(",") if s.strip()]
    for n in names:
        if n != "newsbrief" and n not in BASELINES:
            ap.error(f"unknown system {n!r}")

    shown = [str(Path(sys.argv[0]))] + (argv if argv is not None else sys.argv[1:])
    cmd = "python " + " ".join(shlex.quote(x) for x in shown)
    out: list[str] = []
    saved: dict[str, dict] = {}
    notes: list[str] = []
    t_start = time.perf_counter()
    for set_name in sets:
        fname, words, measure, title = SETS[set_name]
        path = args.data / fname
        if not path.exists():
            notes.append(f"{set_name}: {path} not found, skipped")
            continue
        rows = load_jsonl(path)
        if args.limit:
            rows = rows[: args.limit]
        systems = {}
        for n in names:
            if n == "newsbrief":
                try:
                    systems[n] = newsbrief_system(words)
                except ImportError as e:  # the pipeline or reader is not there yet
                    if f"newsbrief unavailable ({e})" not in notes:
                        notes.append(f"newsbrief unavailable ({e})")
            else:
                systems[n] = make_baseline(n, words)
        if not systems:
            continue
        res = evaluate(rows, systems, words, measure, progress=not args.no_progress, warmup=True)
        mlabel = "recall" if measure == "recall" else "F1"
        block = [f"### {title}: {res['clusters']} clusters, {words} words, ROUGE {mlabel}\n", markdown_table(res) + "\n"]
        if set_name == "multinews" and any("split" in r for r in rows):
            for label, splits in (("train+val", {"train", "val"}), ("test (report only, never tune)", {"test"})):
                ids = [r["id"] for r in rows if r.get("split") in splits]
                if ids:
                    sub = subset_results(res, ids)
                    block.append(f"#### Multi-News sample, {label}: {sub['clusters']} clusters\n")
                    block.append(markdown_table(sub) + "\n")
        print("\n".join(block), flush=True)  # each set as soon as it is done
        out.extend(block)
        saved[set_name] = res
        if args.json:
            args.json.write_text(json.dumps({"command": cmd, "sets": saved}, ensure_ascii=False), encoding="utf-8")

    print(f"Command: `{cmd}`  ")
    print("Articles: readers.articles_from_documents (cleaned); scorer: rouge-score, Porter stemmer, system cut to N words, "
          "one sentence per line (newsbrief.segment), mean over references then clusters.  ")
    print(f"Machine: {platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
          f"total {time.perf_counter() - t_start:.0f} s (s/cluster: mean time of the system call "
          f"alone, after one untimed warm-up call; scoring not included).")
    for n in notes:
        print(f"\nNote: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
