#!/usr/bin/env python
"""What each selection lever adds: newsbrief with one lever switched off at a time.

    .venv/bin/python scripts/ablation.py [--sets duc2003,tac2010,multinews-dev,duc2004]

Rows: the default configuration; the same without MiniLM (TF-IDF only); then one lever off at a
time on top of the TF-IDF-only system (MiniLM costs most of the time and changes few summaries).
The tuning sets are DUC 2003, TAC 2010 and the Multi-News train+val rows; DUC 2004 is reported,
not tuned on. Prints a Markdown table, and each set's cells as soon as they are done.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
from pathlib import Path

from newsbrief.bench.evaluate import evaluate, load_jsonl
from newsbrief.pipeline import NoUsableInput, brief_articles
from newsbrief.readers import articles_from_documents
from newsbrief.select import DEFAULT

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = {
    "duc2003": ("duc2003_task2.jsonl", 100, "recall", None),
    "tac2010": ("tac2010_guided.jsonl", 100, "recall", None),
    "multinews-dev": ("multinews_sample100_mixedsplits.jsonl", 260, "f1", {"train", "val"}),
    "duc2004": ("duc2004_task2.jsonl", 100, "recall", None),
}
VARIANTS = {
    "default": ({}, True),
    "no MiniLM paraphrase claims (TF-IDF only)": ({}, False),
    "TF-IDF only, no concept coverage": ({"coverage_weight": 0.0}, False),
    "TF-IDF only, no sentence prior (coverage only)": ({"prior_weight": 0.0}, False),
    "TF-IDF only, no position prior": ({"position_weight": 0.0}, False),
    "TF-IDF only, no centrality prior": ({"centrality_weight": 0.0}, False),
    "TF-IDF only, no cross-source support prior": ({"support_weight": 0.0}, False),
    "TF-IDF only, concepts in >= 30% of articles (not >= 2)": ({"min_concept_share": 0.3}, False),
    "TF-IDF only, article-count concept weights (not learned)": ({"concept_model": ()}, False),
    "TF-IDF only, light stemmer for concepts (not ROUGE's Porter)": ({"concept_stem": "light"}, False),
    "TF-IDF only, no lead compression (dateline cut only)": ({"compress_lead": False}, False),
    "TF-IDF only, selector pays for the uncompressed length": ({"compressed_cost": False}, False),
    "TF-IDF only, previous concepts (counts, light stemmer, 30%)": (
        {"concept_model": (), "concept_stem": "light", "min_concept_share": 0.3}, False),
    "TF-IDF only, no form priors (pronoun/quote/question/loaded)": (
        {"pronoun_factor": 1.0, "quote_factor": 1.0, "question_factor": 1.0, "loaded_factor": 1.0}, False),
    "TF-IDF only, no redundancy cap": ({"redundancy": 1.01}, False),
    "TF-IDF only, no length scaling of gains": ({"length_exponent": 0.0}, False),
}


def system(config, embeddings: bool, words: int):
    def run(row):
        try:
            b = brief_articles(articles_from_documents(row["documents"]), words, config=config, embeddings=embeddings)
        except NoUsableInput:
            return []
        return [s.text for s in b.summary]

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    names = [s for s in args.sets.split(",") if s]
    table: dict[str, list[str]] = {v: [] for v in VARIANTS}
    for name in names:
        file, words, measure, splits = SETS[name]
        rows = [r for r in load_jsonl(args.data / file) if splits is None or r.get("split") in splits]
        systems = {v: system(dataclasses.replace(DEFAULT, **kw), emb, words) for v, (kw, emb) in VARIANTS.items()}
        res = evaluate(rows, systems, words, measure, progress=False)["systems"]
        for v in VARIANTS:
            r = res[v]
            cell = f"{r['r1']:.2f} / {r['r2']:.2f}" + (f" / {r['rlsum']:.2f}" if measure == "f1" else "")
            table[v].append(cell)
        print(f"{name}: " + "; ".join(f"{v}: {table[v][-1]}" for v in VARIANTS), file=sys.stderr, flush=True)
    print(f"Command: `python {' '.join(shlex.quote(a) for a in sys.argv)}`\n")
    print("| variant | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for v, cells in table.items():
        print(f"| {v} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
