"""Entity merging against the hand labels in tests/labels/entities.json (21 clusters: DUC 2003, TAC 2010,
DUC 2006, Multi-News train).

    python scripts/bench_entities.py                   # this tree
    python scripts/bench_entities.py --root /tmp/old   # another tree (e.g. `git archive` of the base commit)
    python scripts/bench_entities.py --errors          # list every wrong and missed merge
    python scripts/bench_entities.py --ner spacy       # with spaCy re-typing the names the rules are unsure of

Each cluster's raw documents are cleaned (readers.articles_from_documents) and analysed; the gold spans are
raw-document offsets, compared by their whitespace-normalised surface text with the predicted entities'
`variants` (a surface that names two gold entities, e.g. a bare family name shared by relatives, is left out).
- wrong merge: a predicted entity holding surfaces of two different gold entities (counted per pair of gold
  entities); also counted separately over the labels' `confusables` pairs, by kind (relatives, nationality
  word, place as person, event/operation, organ vs organisation, other).
- missed merge: a gold entity whose surfaces end up in two or more predicted entities (per extra piece).
- found: gold entities with at least one surface among the predicted entities' variants; type right: the
  predicted entity holding most of its surfaces has the gold type (gold `other` = should not be listed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/data")


def _norm(s: str) -> str:
    return " ".join(s.split())


def _kind(why: str) -> str:
    w = why.lower()
    if any(k in w for k in ("wife", "husband", "son", "father", "brother", "sister", "daughter", "mother", "family",
                            "relative", "widow", "couple", "cousin", "uncle", "nephew")):
        return "relatives"
    if any(k in w for k in ("nationality", "demonym", "adjective", "nation")):
        return "nationality word"
    if any(k in w for k in ("storm", "hurricane", "operation", "event", "flight", "named after")):
        return "event/operation"
    if any(k in w for k in ("place", "city", "country", "town", "state")):
        return "place vs other"
    if any(k in w for k in ("organ", "ministry", "agency", "department", "company", "party", "subsidiary")):
        return "organisation parts"
    return "other"


def run(root: Path, errors: bool):
    sys.path.insert(0, str(root))
    os.chdir(ROOT)
    from newsbrief.analysis import analyse
    from newsbrief.readers import articles_from_documents
    from newsbrief.segment import segment_article

    labels = json.loads((ROOT / "tests/labels/entities.json").read_text(encoding="utf-8"))
    rows: dict[str, dict] = {}
    tot = Counter()
    conf_kind: dict[str, list[int]] = {}
    errs = []
    times = []
    for c in labels["clusters"]:
        if c["set"] not in rows:
            rows[c["set"]] = {r["id"]: r for r in map(json.loads, (DATA / f"{c['set']}.jsonl").open(encoding="utf-8"))}
        docs = rows[c["set"]][c["cluster"]]["documents"]
        arts = articles_from_documents(docs)
        sents = [s for a in arts if a.text.strip() for s in segment_article(a)]
        from newsbrief.model import Claim

        claims = [Claim(id=i, sentences=[s]) for i, s in enumerate(sents)]
        t0 = time.perf_counter()
        an = analyse(arts, sents, claims).to_dict()
        times.append(time.perf_counter() - t0)
        pred = an["entities"]
        where: dict[str, list[int]] = {}
        for i, e in enumerate(pred):
            for v in e["variants"]:
                where.setdefault(_norm(v), []).append(i)

        def surf(sp):
            return _norm(docs[sp["doc"]][sp["start"]:sp["end"]])

        owners: dict[str, set[int]] = {}
        for gi, g in enumerate(c["entities"]):
            for sp in g["variants"]:
                owners.setdefault(surf(sp), set()).add(gi)
        ambiguous = {s for s, o in owners.items() if len(o) > 1}
        held: dict[int, set[int]] = {}  # predicted entity -> gold entities it holds
        for gi, g in enumerate(c["entities"]):
            tot["gold"] += 1
            surfaces = {surf(sp) for sp in g["variants"]} - ambiguous
            pieces = Counter(i for s in surfaces for i in where.get(s, [])[:1])
            if g["type"] == "other":
                tot["gold other"] += 1
                if pieces:
                    tot["other listed"] += 1
                    errs.append({"type": "listed a non-entity", "cluster": c["cluster"], "surfaces": sorted(surfaces)})
                continue
            tot["gold ppo"] += 1
            if not pieces:
                tot["not found"] += 1
                continue
            tot["found"] += 1
            main = pieces.most_common(1)[0][0]
            if pred[main]["type"] == g["type"]:
                tot["type right"] += 1
            if len(pieces) > 1:
                tot["missed merges"] += len(pieces) - 1
                errs.append({"type": "missed merge", "cluster": c["cluster"],
                             "pieces": [pred[i]["variants"][:4] for i in pieces]})
            for i in pieces:
                held.setdefault(i, set()).add(gi)
            # gold variants found vs merged
            tot["variant pairs"] += max(0, len([s for s in surfaces if s in where]) - 1)
        for i, gs in held.items():
            if len(gs) > 1:
                tot["wrong merges"] += len(gs) - 1
                errs.append({"type": "wrong merge", "cluster": c["cluster"], "predicted": pred[i]["name"],
                             "gold": [sorted({surf(sp) for sp in c["entities"][g]["variants"]})[:3] for g in gs]})
        for cf in c.get("confusables", []):
            sa, sb = surf(cf["a"]), surf(cf["b"])
            k = _kind(cf.get("why", ""))
            ck = conf_kind.setdefault(k, [0, 0])
            ck[1] += 1
            merged = sa != sb and bool(set(where.get(sa, [])) & set(where.get(sb, [])))
            if merged:
                ck[0] += 1
                errs.append({"type": "confusable merged", "kind": k, "cluster": c["cluster"], "a": sa, "b": sb,
                             "why": cf.get("why", "")})
    return tot, conf_kind, errs, times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(ROOT))
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--ner", default="", help="'spacy': re-type uncertain names with spaCy (NEWSBRIEF_NER=spacy)")
    args = ap.parse_args()
    if args.ner:
        os.environ["NEWSBRIEF_NER"] = args.ner
    tot, conf, errs, times = run(Path(args.root), args.errors)
    print(f"Tree `{args.root}`: {tot['gold']} gold entities ({tot['gold ppo']} person/organisation/place, "
          f"{tot['gold other']} other) in 21 clusters")
    print()
    print("| measure | value |\n|---|---|")
    print(f"| found (a variant among the listed entities) | {tot['found']}/{tot['gold ppo']} |")
    print(f"| type right (of found) | {tot['type right']}/{tot['found']} |")
    print(f"| wrong merges (two gold entities in one listed entity) | {tot['wrong merges']} |")
    print(f"| missed merges (extra pieces of a gold entity) | {tot['missed merges']} |")
    print(f"| non-entities listed (storms, flights, aircraft: gold 'other') | {tot['other listed']}/{tot['gold other']} |")
    for k, (bad, n) in sorted(conf.items()):
        print(f"| confusables merged: {k} | {bad}/{n} |")
    print(f"| analysis time per cluster (median, all sections, no vectors) | {statistics.median(times):.3f} s |")
    if args.errors:
        for e in errs:
            print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    main()
