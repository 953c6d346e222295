#!/usr/bin/env python
"""Sentence boundaries at hard places: abbreviations, titles, months, initials, state names, a.m./p.m., quotes.

    .venv/bin/python scripts/bench_segment.py [--errors]

Labels: tests/labels/sentence_boundaries.json, 328 positions in the raw documents of the tuning sets (each
`at` is where a new sentence would start; `split` says whether one does). Each labelled document is split
with newsbrief.segment.sentence_spans (paragraphs as the readers give them: blank-line separated), and a
position counts as split when a sentence starts there. Prints accuracy per kind and overall, and the
precision/recall of splitting (a false split leaves a fragment in a summary; a missed split glues two
sentences into one).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "labelling"))

from spans import document, span_text  # noqa: E402

from newsbrief.segment import sentence_spans  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="print every wrong decision with its context")
    args = ap.parse_args()
    labels = json.loads((ROOT / "tests" / "labels" / "sentence_boundaries.json").read_text(encoding="utf-8"))
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tp = fp = fn = 0
    for cluster in labels["clusters"]:
        by_doc: dict[int, list[dict]] = defaultdict(list)
        for b in cluster["boundaries"]:
            span_text(cluster["set"], cluster["cluster"], b["span"])  # the data is the labelled data
            by_doc[b["span"]["doc"]].append(b)
        for doc, items in by_doc.items():
            raw = document(cluster["set"], cluster["cluster"], doc)
            starts = {s for s, _ in sentence_spans(raw)}
            for b in items:
                predicted = b["at"] in starts
                ok = predicted == b["split"]
                per_kind[b["kind"]][0] += ok
                per_kind[b["kind"]][1] += 1
                tp += predicted and b["split"]
                fp += predicted and not b["split"]
                fn += b["split"] and not predicted
                if args.errors and not ok:
                    at = b["at"]
                    print(f"{'missed split' if b['split'] else 'false split'} [{b['kind']}] "
                          f"{raw[max(0, at - 60):at]!r} | {raw[at:at + 40]!r}")
    total = sum(n for _, n in per_kind.values())
    right = sum(k for k, _ in per_kind.values())
    print("| kind | positions | accuracy |\n|---|---:|---:|")
    for kind, (k, n) in sorted(per_kind.items()):
        print(f"| {kind} | {n} | {k / n:.3f} |")
    print(f"| **all** | {total} | **{right / total:.3f}** |")
    print(f"\nsplitting: precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f} "
          f"({fp} false splits, {fn} missed splits)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
