#!/usr/bin/env python
"""Update and question-focused briefs against the generic brief, lead and sumy LexRank, in one run.

    .venv/bin/python scripts/bench_focus.py                     # update + duc2006 + duc2007
    .venv/bin/python scripts/bench_focus.py --sets update --json /tmp/focus.json

Sets and protocol (shared/data/README.md; issue 17):
* `update`: DUC 2007 update (10 topics x A/B/C; 100 words, ROUGE-1/2 recall). B is briefed since A, C since A
  and B. Systems: the generic brief of the row's documents, the update brief (`since`), the update brief that
  also answers the topic statement (`since` + `query`, the DUC 2007 update task's setting), the query-only
  brief, lead and LexRank. Reported for B and C together, for the 4 topics the update mode was tuned on and
  the 6 others, and per set. Novelty: the share of summary sentences that restate an earlier set's sentence
  (TF-IDF cosine >= features.LEXICAL_SAME, or MiniLM >= features.SEMANTIC_SAME with the number veto; every
  pair compared, newsbrief.update.restating).
* `duc2006`, `duc2007`: DUC 2006 (50 topics; the query mode's tuning set) and DUC 2007 main (23 topics;
  never tuned on); 250 words, ROUGE-2 recall (R-1 also shown). Systems: generic, query, lead, LexRank.
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsbrief.bench.baselines import make_baseline  # noqa: E402
from newsbrief.bench.evaluate import evaluate, load_jsonl, newsbrief_system, subset_results  # noqa: E402
from newsbrief.bench.focus import earlier_texts, focus_system, topic_of  # noqa: E402

TUNE_TOPICS = ("D0703A", "D0706B", "D0711C", "D0716D")  # scripts/tune_focus.py
SETS = {
    "update": ("duc2007_update.jsonl", 100, "DUC 2007 update"),
    "duc2006": ("duc2006.jsonl", 250, "DUC 2006 (query mode tuned here)"),
    "duc2007": ("duc2007_main_23topics.jsonl", 250, "DUC 2007 main, 23 topics (never tuned on)"),
}


def table(res: dict, novelty: dict[str, tuple[float, float]] | None = None, su4: dict[str, float] | None = None) -> str:
    head = "| system | R-1 | R-2 |" + (" SU4 (unverified) |" if su4 else "") + " s/cluster |"
    if novelty is not None:
        head += " restating earlier sets (claim rule) | (strict) |"
    lines = [head, "|---|---:|---:|" + ("---:|" if su4 else "") + "---:|"
             + ("---:|---:|" if novelty is not None else "")]
    for name, r in res["systems"].items():
        row = f"| {name} | {r['r1']:.2f} | {r['r2']:.2f} |" + (f" {su4[name]:.2f} |" if su4 else "")
        row += f" {r['seconds']:.2f} |"
        if novelty is not None:
            claim, strict = novelty[name]
            row += f" {claim:.1f}% | {strict:.1f}% |"
        lines.append(row)
    return "\n".join(lines)


_FLAGS: dict = {}
_VECTORS: dict = {}


def novelty_share(res: dict, earlier: dict[str, list[str]], ids: set[str]) -> dict[str, tuple[float, float]]:
    """Per system: % of summary sentences (rows in `ids`) that restate a sentence of the earlier sets, under the
    claim rule (MiniLM for pairs with TF-IDF cosine >= MIN_LEXICAL) and the strict reading (every pair)."""
    from newsbrief.embed import get_embedder
    from newsbrief.update import MIN_LEXICAL, restating

    model = get_embedder()
    cache = _VECTORS

    def embed(texts: list[str]):
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, model(missing)))
        return np.stack([cache[t] for t in texts])

    out = {}
    for name, r in res["systems"].items():
        n = claim = strict = 0
        for p in r["per_cluster"]:
            if p["id"] in ids and p["id"] in earlier:
                key = (name, p["id"])
                if key not in _FLAGS:
                    _FLAGS[key] = (restating(p["summary"], earlier[p["id"]], embed, MIN_LEXICAL),
                                   restating(p["summary"], earlier[p["id"]], embed, 0.0))
                a, b = _FLAGS[key]
                n += len(a)
                claim += sum(a)
                strict += sum(b)
        out[name] = (100.0 * claim / max(n, 1), 100.0 * strict / max(n, 1))
    return out


def su4_scores(res: dict, rows: list[dict], words: int) -> dict[str, float]:
    """Mean ROUGE-SU4 recall per system (newsbrief.bench.su4; unverified against the Perl ROUGE)."""
    from newsbrief.bench.evaluate import reference_text, system_text
    from newsbrief.bench.su4 import su4_recall

    refs = {r["id"]: [reference_text(x) for x in r["summaries"]] for r in rows}
    return {name: sum(su4_recall(system_text(p["summary"], words), refs[p["id"]]) for p in r["per_cluster"])
            / max(len(r["per_cluster"]), 1) for name, r in res["systems"].items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="update,duc2006,duc2007")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--baselines", default="lead,lexrank")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-progress", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    shown = [str(Path(sys.argv[0]))] + (argv if argv is not None else sys.argv[1:])
    cmd = "python " + " ".join(shlex.quote(x) for x in shown)
    saved: dict = {}
    t_start = time.perf_counter()
    baselines = [b for b in args.baselines.split(",") if b]
    for set_name in [s for s in args.sets.split(",") if s]:
        file, words, title = SETS[set_name]
        rows = load_jsonl(args.data / file)
        if args.limit:
            rows = rows[: args.limit]
        systems = {"newsbrief generic": newsbrief_system(words)}
        if set_name == "update":
            systems["newsbrief update"] = focus_system(words, rows, update=True, query=False)
            systems["newsbrief update+query"] = focus_system(words, rows, update=True, query=True)
            systems["newsbrief query"] = focus_system(words, rows, update=False, query=True)
        else:
            systems["newsbrief query"] = focus_system(words, rows, update=False, query=True)
        for b in baselines:
            systems[b] = make_baseline(b, words)
        res = evaluate(rows, systems, words, "recall", progress=not args.no_progress, warmup=True)
        saved[set_name] = res
        print(f"### {title}: {res['clusters']} clusters, {words} words, ROUGE recall\n", flush=True)
        if set_name == "update":
            earlier = earlier_texts(rows)
            bc = [r for r in rows if r.get("update_set") in ("B", "C")]
            groups = [
                ("B and C, all 10 topics", bc),
                (f"B and C, the {len(TUNE_TOPICS)} tuning topics", [r for r in bc if topic_of(r) in TUNE_TOPICS]),
                (f"B and C, the other {10 - len(TUNE_TOPICS)} topics (reported, never tuned on)",
                 [r for r in bc if topic_of(r) not in TUNE_TOPICS]),
                ("B (given A)", [r for r in bc if r["update_set"] == "B"]),
                ("C (given A and B)", [r for r in bc if r["update_set"] == "C"]),
                ("A (no earlier set: generic vs query)", [r for r in rows if r.get("update_set") == "A"]),
            ]
            for label, sub_rows in groups:
                ids = {r["id"] for r in sub_rows}
                sub = subset_results(res, ids)
                nov = novelty_share(res, earlier, ids) if sub_rows and sub_rows[0]["update_set"] != "A" else None
                print(f"#### {label}: {sub['clusters']} clusters\n\n{table(sub, nov)}\n", flush=True)
        else:
            su4 = su4_scores(res, rows, words)
            for name, v in su4.items():
                res["systems"][name]["su4"] = v
            print(table(res, su4=su4) + "\n", flush=True)
        if args.json:
            args.json.write_text(json.dumps({"command": cmd, "sets": saved}, ensure_ascii=False), encoding="utf-8")
    print(f"Command: `{cmd}`  ")
    print(f"Machine: {platform.python_implementation()} {platform.python_version()}; total "
          f"{time.perf_counter() - t_start:.0f} s (s/cluster: the system call alone, after one warm-up call).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
