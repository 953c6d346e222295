"""Label spans that survive changes to the cleaner: offsets into the *raw* benchmark document.

A labelled span is {"doc": i, "start": s, "end": e, "sha": h}: characters [s, e) of
`row["documents"][i]` in ../shared/data, and the first 8 hex digits of the SHA-1 of that text with
its whitespace collapsed (a check that the data file is the one that was labelled). No source text is
stored in the repository (the news texts are under research-only licences).

    python scripts/labelling/spans.py locate SET CLUSTER DOC "a snippet of the text"   # -> span JSON
    python scripts/labelling/spans.py show SET CLUSTER [DOC]                           # print documents
    python scripts/labelling/spans.py check LABELS.json                                # every span resolves
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@lru_cache(maxsize=16)
def rows(dataset: str) -> dict[str, dict]:
    with (DATA / f"{dataset}.jsonl").open(encoding="utf-8") as f:
        return {r["id"]: r for r in (json.loads(line) for line in f if line.strip())}


def document(dataset: str, cluster: str, doc: int) -> str:
    return rows(dataset)[cluster]["documents"][doc]



def collapse_spaces(text: str, invisible: str = "") -> tuple[str, list[int]]:
    """`text` with whitespace runs (and any `invisible` characters) as one space, and the offset in `text` of
    every kept character: to find a label's words in a text whose spacing the cleaner changed."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch in invisible:
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where

def digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def locate(raw: str, snippet: str, after: int = 0) -> tuple[int, int] | None:
    """Offsets of `snippet` in `raw`, whitespace-insensitive (the cleaner re-wraps lines)."""
    tokens = snippet.split()
    if not tokens:
        return None
    m = re.compile(r"\s+".join(re.escape(t) for t in tokens)).search(raw, after)
    return (m.start(), m.end()) if m else None


def make_span(dataset: str, cluster: str, doc: int, snippet: str, after: int = 0) -> dict | None:
    raw = document(dataset, cluster, doc)
    found = locate(raw, snippet, after)
    if found is None:
        return None
    s, e = found
    return {"doc": doc, "start": s, "end": e, "sha": digest(raw[s:e])}


def span_text(dataset: str, cluster: str, span: dict) -> str:
    """The text of a labelled span; raises ValueError when the data no longer matches the label."""
    raw = document(dataset, cluster, span["doc"])
    text = raw[span["start"]:span["end"]]
    if digest(text) != span["sha"]:
        raise ValueError(f"{dataset}/{cluster} doc {span['doc']} [{span['start']}:{span['end']}]: text changed")
    return text


def iter_spans(obj):
    """Every span dict inside a label structure (anything with doc/start/end/sha)."""
    if isinstance(obj, dict):
        if {"doc", "start", "end", "sha"} <= obj.keys():
            yield obj
        for v in obj.values():
            yield from iter_spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from iter_spans(v)


def check(path: str) -> int:
    labels = json.loads(Path(path).read_text(encoding="utf-8"))
    bad = n = 0
    for cluster in labels["clusters"]:
        for sp in iter_spans(cluster):
            n += 1
            try:
                span_text(cluster["set"], cluster["cluster"], sp)
            except (ValueError, KeyError, IndexError) as e:
                bad += 1
                print(f"bad span: {e}")
    print(f"{n} spans, {bad} bad")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["locate"] and len(argv) == 5:
        sp = make_span(argv[1], argv[2], int(argv[3]), argv[4])
        print(json.dumps(sp) if sp else "not found")
        return 0 if sp else 1
    if argv[:1] == ["show"] and len(argv) in (3, 4):
        docs = rows(argv[1])[argv[2]]["documents"]
        for i, d in enumerate(docs):
            if len(argv) == 4 and i != int(argv[3]):
                continue
            print(f"===== doc {i} ({len(d)} chars)\n{d}\n")
        return 0
    if argv[:1] == ["check"] and len(argv) == 2:
        return check(argv[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
