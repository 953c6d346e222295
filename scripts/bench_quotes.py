"""Quote extraction and speaker attribution on PolNeAR (../shared/data/polnear_attributions_dev.jsonl).

    python scripts/bench_quotes.py                  # this tree; Markdown block to stdout and benchmarks/quotes.md
    python scripts/bench_quotes.py --root /tmp/old  # another tree (e.g. `git archive` of the base commit)
    python scripts/bench_quotes.py --cv             # 5-fold cross-validation of the tunable parameters
    python scripts/bench_quotes.py --errors 40      # print 40 errors of each type

The task, precisely (code: newsbrief/bench/quotes.py):

- Input: each of the 924 annotated articles on its own (text as given, paragraphs split on blank lines),
  segmented by newsbrief.segment; quotes = the analysis's `direct` and `partial` quotes (indirect speech
  without quotation marks is not scored here). Every citation of a quote is one predicted quote with the
  speaker that outlet gives (`Quote.by_source`).
- Gold quotes: the attributions whose `content` holds quoted words of their own: characters between paired
  quotation marks (“…”, "…", ``…'', «…», ''…'') inside the content, not inside a smaller attribution nested in it
  (the Orlando Sentinel reported that Clinton pledged to "…": the quote is Clinton's). `direct` when the
  annotation says so (content >= 90 % quoted), else `partial` (a quoted phrase inside indirect speech,
  down to one quoted word: "partial quotes count"). Quoted titles and scare quotes outside every
  attribution are not gold quotes, so a prediction there is a false positive.
- Matching by character overlap: a predicted quote is correct when >= 50 % of its characters lie inside
  the content of an attribution with quotation marks; a gold quote is found when the predictions cover
  >= 50 % of its own quoted characters.
- Speaker: judged on the prediction covering most of a found gold quote. Gold speaker from `source`:
  a name in the span ("Sen. Chuck Grassley (R-Iowa)" -> Chuck Grassley; "Kasich's campaign" / "one Sanders
  supporter" are descriptions, not names); a pronoun he/she -> the named source of the nearest preceding
  attribution within 3 paragraphs whose gender (from the article's Mr./Mrs./Ms. and the pronouns after its
  mentions) does not contradict it; who/which -> the name just before; a definite person description ("the
  senator", "the billionaire") -> the nearest preceding named source within 2 paragraphs. A predicted name is
  right when one name's words are all in the other ("Trump" ~ "Donald Trump", not "Eric Trump"). Unnamed
  speakers ("a young woman", "the crowd", "Lebanese media"): right when the prediction names no one and its
  attribution span overlaps the source span. Unresolvable (I/we/you, it, they, empty source, pronoun without
  a named antecedent): left out of speaker accuracy, counted and reported.
- none-rate: found gold quotes whose prediction has no speaker at all.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_SECONDS = 0.0


def _setup(root: Path) -> None:
    sys.path.insert(0, str(root))
    os.chdir(ROOT)


def predictor(params: dict | None = None):
    """A function article-row -> [Predicted] using the newsbrief on sys.path (old dict API or new records)."""
    from newsbrief.analysis import entities as ent_mod
    from newsbrief.analysis import quotes as q_mod
    from newsbrief.bench.quotes import Predicted
    from newsbrief.model import Article
    from newsbrief.segment import segment_article

    if params and hasattr(q_mod, "PARAMS"):
        q_mod.PARAMS.update(params)

    def run(gid: str, text: str) -> list:
        a = Article(id=gid, text=text)
        sents = segment_article(a)
        ents, ctx = ent_mod.extract_entities([a], sents) if _takes_sentences(ent_mod) else ent_mod.extract_entities([a])
        qs = q_mod.extract_quotes([a], sents, ents, ctx)
        out = []
        for q in qs:
            d = q.to_dict() if hasattr(q, "to_dict") else q
            if d["kind"] not in ("direct", "partial"):
                continue
            if "by_source" in d:
                for o in d["by_source"]:
                    att = o.get("attribution")
                    out.append(Predicted(gid, o["citation"]["start"], o["citation"]["end"], o.get("speaker"),
                                         bool(o.get("named")), (att["start"], att["end"]) if att else None))
                continue
            for c in d["citations"]:  # the old API: one speaker for all citations; nearest attribution
                atts = [x for x in d.get("attributions") or [] if x["article"] == c["article"]]
                att = min(atts, key=lambda x: abs(x["start"] - c["start"])) if atts else None
                named = bool(d.get("speaker_resolved")) or bool(d.get("speaker") and d["speaker"][:1].isupper())
                out.append(Predicted(gid, c["start"], c["end"], d.get("speaker"), named,
                                     (att["start"], att["end"]) if att else None))
        return out

    return run


def _takes_sentences(mod) -> bool:
    import inspect

    return len(inspect.signature(mod.extract_entities).parameters) >= 2


def run_all(gold, params=None, ids=None):
    from newsbrief.bench.quotes import score

    run = predictor(params)
    pred = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for g in gold:
        if ids is None or g.id in ids:
            pred[g.id] = run(g.id, g.text)
    elapsed = time.perf_counter() - t0
    global CPU_SECONDS
    CPU_SECONDS = time.process_time() - c0
    sub = [g for g in gold if ids is None or g.id in ids]
    return score(sub, pred), pred, elapsed


def _row(name, s):
    sk = s["speaker_by_kind"]
    return (f"| {name} | {s['precision']:.3f} ({s['correct']}/{s['predicted']}) | {s['recall']:.3f} "
            f"({s['found']}/{s['gold']}) | {s['f1']:.3f} | {s['recall_direct']:.3f} | {s['recall_partial']:.3f} | "
            f"{s['speaker_accuracy']:.3f} ({s['speaker_ok']}/{s['speaker_n']}) | "
            + " / ".join(f"{sk.get(k, (0, 0))[0]}/{sk.get(k, (0, 0))[1]}" for k in ("named", "resolved", "unnamed"))
            + f" | {s['none_rate']:.3f} |")


HEADER = ["| run | precision | recall | F1 | recall direct | recall partial | speaker accuracy | "
          "speaker right: named / resolved / unnamed | no speaker |",
          "|---|---|---|---|---|---|---|---|---|"]


def cross_validate(gold) -> list[str]:
    """5-fold CV by article (publisher-stratified): per fold, the tunable parameters are chosen on the other 4 folds
    (rules only), and the speaker ranking, where the tree has one, is trained on the other 4 with those parameters
    (scripts/train_quote_speakers.py) and applied to the held-out fold. Never the shipped weights."""
    from newsbrief.bench.quotes import score, stratified_folds

    q_mod = importlib.import_module("newsbrief.analysis.quotes")
    grid = getattr(q_mod, "PARAM_GRID", []) or [{}]
    ranked = "rank_speakers" in getattr(q_mod, "PARAMS", {})
    off = {"rank_speakers": False} if ranked else {}
    fs = stratified_folds(gold)
    runs = {i: run_all(gold, {**params, **off})[1] for i, params in enumerate(grid)}
    held: dict[str, list] = {}
    held_ranked: dict[str, list] = {}
    chosen = []
    trained: dict[int, tuple] = {}
    for f in fs:
        test = set(f)
        train = [g for g in gold if g.id not in test]

        def objective(i, train=train):
            sc = score(train, {g.id: runs[i][g.id] for g in train})
            return sc["f1"] + sc["speaker_accuracy"]

        best = max(runs, key=objective)
        chosen.append(best)
        for gid in f:
            held[gid] = runs[best][gid]
        if not ranked:
            continue
        sys.path.insert(0, str(ROOT / "scripts"))
        tq = importlib.import_module("train_quote_speakers")
        qsp = importlib.import_module("newsbrief.analysis.quote_speakers")
        if best not in trained:
            q_mod.PARAMS.update({**grid[best], "rank_speakers": True})
            coll = tq.collect(gold)
            trained[best] = (coll, tq.groups(gold, coll))
        coll, grps = trained[best]
        qsp._MODEL = {"weights": tq.fit_pairwise(grps, coll, {g.id for g in train}, 1.0)}
        try:
            held_ranked.update(run_all(gold, {**grid[best], "rank_speakers": True}, ids=test)[1])
        finally:
            qsp._MODEL = None
    out = [_row("5-fold CV, held-out folds: rules only (parameters chosen on the other 4)", score(gold, held))]
    if ranked:
        out.append(_row("5-fold CV, held-out folds: speaker ranking trained on the other 4", score(gold, held_ranked)))
    return out + ["", "Parameter grid: " + json.dumps(grid) + "; chosen per fold: " + json.dumps(chosen)
                  + "; folds: `stratified_folds` (by article, publisher-stratified)."]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(ROOT), help="the newsbrief tree to measure")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (quick look)")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    _setup(Path(args.root))
    from newsbrief.bench.quotes import load_gold, score

    gold = load_gold()
    if args.limit:
        gold = gold[: args.limit]
    qs = [q for g in gold for q in g.quotes]
    from collections import Counter

    kinds = Counter(q.speaker_kind for q in qs)
    res = Counter(q.resolution for q in qs if q.speaker_kind == "unresolvable")
    s, pred, elapsed = run_all(gold)
    cpu = CPU_SECONDS
    md = [f"Tree: `{args.root}`; {len(gold)} articles, {len(qs)} gold quotes "
          f"({sum(q.kind == 'direct' for q in qs)} direct, {sum(q.kind == 'partial' for q in qs)} partial); "
          "gold speakers: "
          + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
          + " (unresolvable: " + ", ".join(f"{k} {v}" for k, v in res.most_common()) + ")", "", *HEADER,
          _row("all articles (in-sample)", s)]
    by_pub: dict[str, list] = {}
    for g in gold:
        by_pub.setdefault(g.publisher, []).append(g)
    for pub, gs in sorted(by_pub.items()):
        md.append(_row(f"publisher {pub}", score(gs, {g.id: pred[g.id] for g in gs})))
    if args.cv:
        md += cross_validate(gold)
    words = sum(len(g.text.split()) for g in gold)
    md += ["", f"Time: {elapsed:.1f} s for {len(gold)} articles ({words / elapsed:,.0f} words/s, entities + quotes, "
           f"one article at a time; {cpu:.1f} s of CPU, load average {os.getloadavg()[0]:.1f})."]
    text = "\n".join(md)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if args.errors:
        by: dict[str, list] = {}
        for e in s["errors"]:
            by.setdefault(e["type"], []).append(e)
        for t, es in by.items():
            print(f"\n## {t}: {len(es)}")
            for e in es[: args.errors]:
                print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    main()
