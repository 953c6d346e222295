"""Build a dated, topic-repeating news stream with story labels from the shared benchmark sets.

    .venv/bin/python scripts/build_topic_stream.py --out /tmp/topic_stream.jsonl

Nothing is written into the repository: the stream is built from ../shared/data (research-only
texts) into the file given by --out, or in memory by `build()` (what scripts/bench_stories.py
calls).

Sources and labels:

- **DUC 2006 (50 topics) and DUC 2007 main (23 topics)**: 25 newswire articles per query topic
  (AP, NYT, Xinhua, 1996-2000), dated by their document ids (``APW19990925.0052`` ->
  1999-09-25). A topic recurs for years ("terrorist attacks in Chechnya", "global warming",
  "issues between the UAW and American automobile manufacturers"); its articles are cut into
  stories where coverage pauses: sorted by date, a story ends when the next article of the topic
  comes more than ``GAP_DAYS`` (30) days later. So a topic holds many distinct stories (the 1998
  GM strike and the 1999 contract talks; the 1999 Chechen offensive and the July 2000 bombings)
  and they recur under the same vocabulary. 30 days is what makes this rule agree with the real
  TDT story labels of the same newswire: cut at pauses of more than 30 days, the 59 stories of
  ``duc_tdt_stream.jsonl`` become 65 (at 7 days: 108, at 14: 81), so TDT annotators keep a story
  going across pauses of weeks but rarely of more than a month. The rule is fixed here, not
  chosen by how any grouper scores.
- **Multi-News sample (100 stories)**: web articles (2-10 per story, raw scrapes, some very
  short) with no dates; each story gets a day drawn (seed 0) from the first half of 2000,
  when the DUC topics are also running, and its articles 0-2 days after it. Its stories are
  independent of the DUC topics.

An article filed under two DUC topics (11 texts) is kept once with ``multi_label: true`` and
left out of scoring, as in duc_tdt_stream.jsonl. Rows: ``id, text, date, source, story, topic,
multi_label, set``; the stream is in date order (ties: by id), as a feed would deliver it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DUC_SETS = ["duc2006", "duc2007_main_23topics"]
MULTINEWS = "multinews_sample100_mixedsplits"
GAP_DAYS = 30
MN_START, MN_DAYS = date(2000, 1, 1), 182
_WIRE = {"APW": "Associated Press", "NYT": "New York Times", "XIE": "Xinhua"}
_DOC_DATE = re.compile(r"^([A-Z_]+?)(\d{4})(\d{2})(\d{2})")


def _rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build(gap_days: int = GAP_DAYS, seed: int = 0, compress_to_days: int | None = None) -> list[dict]:
    """The stream as a list of article rows (date order). ``compress_to_days``: map the DUC dates
    (1996-2000) linearly onto that many days ending 2000-09-30 (labels unchanged, the Multi-News
    stories spread over the same days): a stress test where distinct stories of one topic come
    days, not months, apart."""
    by_id: dict[str, dict] = {}
    topics_of: dict[str, set[str]] = defaultdict(set)
    for name in DUC_SETS:
        for row in _rows(name):
            items = []
            for doc_id, text in zip(row["doc_ids"], row["documents"], strict=True):
                m = _DOC_DATE.match(doc_id)
                if not m or not text.strip():
                    continue
                items.append((date(int(m[2]), int(m[3]), int(m[4])), doc_id, text, m[1]))
            items.sort()
            k, prev = 0, None
            for day, doc_id, text, wire in items:
                if prev is not None and (day - prev).days > gap_days:
                    k += 1
                prev = day
                topics_of[doc_id].add(row["id"])
                if doc_id in by_id:
                    continue
                by_id[doc_id] = {"id": doc_id, "text": text, "date": day.isoformat(),
                                 "source": _WIRE.get(wire, wire), "story": f"{row['id']}:{k}",
                                 "topic": row["id"], "set": name}
    for doc_id, topics in topics_of.items():
        by_id[doc_id]["multi_label"] = len(topics) > 1
    mn_start, mn_days = MN_START, MN_DAYS
    if compress_to_days:
        days = [date.fromisoformat(r["date"]) for r in by_id.values()]
        lo, hi = min(days), max(days)
        end = date(2000, 9, 30)
        for r in by_id.values():
            d = date.fromisoformat(r["date"])
            r["date"] = (end - timedelta(days=round((hi - d).days * compress_to_days / (hi - lo).days))).isoformat()
        mn_start, mn_days = end - timedelta(days=compress_to_days), compress_to_days
    rng = random.Random(seed)
    for row in _rows(MULTINEWS):
        start = mn_start + timedelta(days=rng.randrange(mn_days))
        for i, text in enumerate(row["documents"]):
            if not text.strip():
                continue
            aid = f"{row['id']}-{i + 1}"
            by_id[aid] = {"id": aid, "text": text, "date": (start + timedelta(days=rng.randint(0, 2))).isoformat(),
                          "source": f"web{rng.randrange(60)}", "story": row["id"], "topic": row["id"],
                          "set": MULTINEWS, "multi_label": False}
    return sorted(by_id.values(), key=lambda r: (r["date"], r["id"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="JSONL file to write (outside the repository)")
    ap.add_argument("--gap-days", type=int, default=GAP_DAYS)
    ap.add_argument("--compress-to-days", type=int, help="stress test: DUC dates squeezed into this many days")
    args = ap.parse_args()
    rows = build(args.gap_days, compress_to_days=args.compress_to_days)
    with args.out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    scored = [r for r in rows if not r["multi_label"]]
    print(f"{args.out}: {len(rows)} articles, {len({r['story'] for r in scored})} stories "
          f"({len({r['topic'] for r in scored})} topics) on {len(scored)} single-label articles, "
          f"{rows[0]['date']} - {rows[-1]['date']}")


if __name__ == "__main__":
    main()
