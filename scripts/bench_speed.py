"""Speed and memory: warm seconds per cluster (whole brief) vs sumy LexRank, cold CLI start, peak RSS.

    .venv/bin/python scripts/bench_speed.py [--data ../shared/data/duc2004_task2.jsonl] [--words 100]

Prints a Markdown block for BENCHMARKS.md. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "duc2004_task2.jsonl"


def cold_start(runs: int = 3) -> list[float]:
    """Wall seconds of `newsbrief brief examples/us-iran-talks/` in a fresh process."""
    exe = Path(sys.executable).with_name("newsbrief")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "brief", str(ROOT / "examples" / "us-iran-talks"), "-o", os.devnull],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    import newsbrief
    from newsbrief.bench.baselines import lexrank
    from newsbrief.readers import articles_from_documents

    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")][: args.limit]
    newsbrief.brief(rows[0]["documents"][:2], words=args.words)  # warm up: load models once

    brief_times, no_analysis_times, lexrank_times = [], [], []
    for row in rows:
        t = time.perf_counter()
        newsbrief.brief(row["documents"], words=args.words)  # read + clean + ... + analysis
        brief_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        newsbrief.brief(row["documents"], words=args.words, analysis=False)
        no_analysis_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        lexrank(articles_from_documents(row["documents"]), args.words)
        lexrank_times.append(time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold = cold_start()

    mean_brief = statistics.mean(brief_times)
    mean_lexrank = statistics.mean(lexrank_times)
    load = os.getloadavg()[0]
    print(f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ")
    print(f"Data: {args.data.name}, {len(rows)} clusters, {args.words} words; machine: {os.cpu_count()} cores, "
          f"load average {load:.1f} at the end\n")
    print("| measure | value |\n|---|---|")
    print(f"| newsbrief, whole brief incl. analysis, warm | {mean_brief:.3f} s/cluster "
          f"(median {statistics.median(brief_times):.3f}) |")
    print(f"| newsbrief without analysis, warm | {statistics.mean(no_analysis_times):.3f} s/cluster |")
    print(f"| sumy LexRank, same clusters and budget | {mean_lexrank:.3f} s/cluster |")
    print(f"| speed-up over LexRank | {mean_lexrank / mean_brief:.1f}x |")
    print(f"| cold `newsbrief brief examples/us-iran-talks/` | {min(cold):.2f} s best, "
          f"{statistics.median(cold):.2f} s median of {len(cold)} |")
    print(f"| peak memory (this process) | {peak_mb:.0f} MB |")


if __name__ == "__main__":
    main()
