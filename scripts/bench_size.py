#!/usr/bin/env python
"""Input size against time and memory: `newsbrief brief` on 100, 1,000 and 10,000 articles.

    .venv/bin/python scripts/bench_size.py                  # 100, 1000, 10000 articles, with the analysis
    .venv/bin/python scripts/bench_size.py --sizes 1000 --no-analysis

The articles are the documents of the shared DUC/TAC sets (../shared/data), in file order, as one JSONL
file of article objects; 10,000 cycles through them with new ids. Each size runs the real command in a
fresh process (`newsbrief brief FILE --format json -o OUT`); its wall time and its peak resident memory
(the child's ru_maxrss) are printed as a Markdown table, with the exit code and the first line of
stderr (an input above the documented limit is refused up front: pipeline.MAX_ARTICLES/MAX_WORDS).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SETS = ["duc2006", "duc2007_main_23topics", "duc2003_task2", "duc2004_task2", "tac2010_guided", "duc2003_task3"]


def documents() -> list[str]:
    docs = []
    for name in SETS:
        with (DATA / f"{name}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                docs.extend(json.loads(line)["documents"])
    return docs


def write_input(path: Path, n: int, docs: list[str]) -> int:
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = docs[i % len(docs)]
            words += len(text.split())
            out.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
    return words


def run(path: Path, analysis: bool, story: str = "all") -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, first stderr line) of one brief in a child process."""
    out = path.with_suffix(".out.json")
    cmd = [sys.executable, "-m", "newsbrief.cli", "brief", str(path), "--format", "json", "-o", str(out),
           "--story", story]
    if not analysis:
        cmd.append("--no-analysis")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("newsbrief: error")]
    return seconds, peak_mb, proc.returncode, errors[0] if errors else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--no-analysis", action="store_true", help="brief without the analysis sections")
    ap.add_argument("--story", default="all", help="all (default: every article in one brief, the worst case) or "
                                                   "largest (the CLI's default: the largest story of the input)")
    args = ap.parse_args()
    docs = documents()
    print(f"Command: `python scripts/bench_size.py {' '.join(sys.argv[1:])}`; {len(docs)} distinct documents.\n")
    print("| articles | words | story | analysis | seconds | peak RSS (MB) | exit | message |\n"
          "|---:|---:|---|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="newsbrief-size-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"articles-{n}.jsonl"
            words = write_input(path, n, docs)
            # one size per process: ru_maxrss of RUSAGE_CHILDREN is the maximum over all children so far
            code = ("from scripts.bench_size import run; from pathlib import Path; import json; "
                    f"print(json.dumps(run(Path({str(path)!r}), {not args.no_analysis}, {args.story!r})))")
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
            seconds, peak, exit_code, message = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"| {n:,} | {words:,} | {args.story} | {'no' if args.no_analysis else 'yes'} | {seconds:.1f} | {peak:.0f} | "
                  f"{exit_code} | {message[:110]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
