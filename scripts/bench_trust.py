#!/usr/bin/env python
"""Trust benchmark: citation support and cross-source conflicts against the hand labels (issue 12).

    python scripts/bench_trust.py                        # AFTER (this worktree's code), pooled and per set
    python scripts/bench_trust.py --before 6279621       # also BEFORE: the same scoring on an older commit
    python scripts/bench_trust.py --cv 5                 # k-fold CV over clusters: held-out vs in-sample
    python scripts/bench_trust.py --errors               # list every wrong citation and conflict

Labels: tests/labels/trust_{duc2003,tac2010,multinews}.json (48 clusters of the tuning sets; offsets into
the raw documents of ../shared/data, see scripts/labelling/spans.py) and ../shared/data/claimdiff_train.jsonl.

- Citation precision: of the spans the system cites for a labelled anchor sentence (what the brief would cite
  if it chose that sentence), the share labelled `carries`; `partial` / `conflict` / `unrelated` are wrong. A
  cited span that is no labelled candidate is counted apart ("unlabelled"; a strict precision counts it wrong).
- Support recall: of the (anchor, article) pairs where the article has a `carries` candidate, the share the
  system cites with a carrying span.
- Conflicts: a predicted conflict (type other than "change") is right when two of its sides overlap two
  different sides of a labelled conflict; one matching a labelled `doubtful` or `changes` item is reported
  apart (neither right nor wrong); every other prediction is a false positive. Recall: labelled conflicts found.
  Predicted changes over time are scored against the labelled `changes` the same way.
- ClaimDiff: each (claim_a, claim_b) pair as a two-article cluster; flagged when the analysis reports a
  conflict; `weaken` is the positive class, `neither`/`strengthen` negative.
- Timing: per cluster, the analysis and the whole brief (warm), median over clusters.

Articles get their date from the wire id (DUC/TAC `doc_ids`, e.g. APW19981030.1037), as a real article's
metadata would give it; Multi-News rows have none.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "labels"
LABEL_FILES = ("trust_duc2003.json", "trust_tac2010.json", "trust_multinews.json")
SET_NAMES = {"duc2003_task2": "DUC 2003", "tac2010_guided": "TAC 2010", "multinews_sample100_mixedsplits": "Multi-News"}
DATA = ROOT.parent / "shared" / "data"
WORDS = 100

sys.path.insert(0, str(ROOT / "scripts" / "labelling"))
from spans import collapse_spaces, rows, span_text  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def use_code(root: Path) -> None:
    """Import `newsbrief` from `root` (this worktree, or an extracted older commit for BEFORE)."""
    sys.path.insert(0, str(root))


# ------------------------------------------------------------------------------------------------ labels


def load_clusters() -> list[dict]:
    out = []
    for name in LABEL_FILES:
        for c in json.loads((LABELS / name).read_text(encoding="utf-8"))["clusters"]:
            out.append(c)
    return out


_WIRE_DATE = re.compile(r"(19\d\d|20\d\d)(\d\d)(\d\d)")


def wire_date(doc_id: str | None) -> str | None:
    m = _WIRE_DATE.search(doc_id or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def cluster_articles(cluster: dict):
    from newsbrief.readers import articles_from_documents

    row = rows(cluster["set"])[cluster["cluster"]]
    articles = articles_from_documents(row["documents"])
    ids = row.get("doc_ids") or []
    for i, a in enumerate(articles):
        if i < len(ids) and a.date is None:
            a.date = wire_date(ids[i])
    return articles


class Locator:
    """Raw label spans -> (article id, start, end) in the cleaned articles (whitespace-insensitive)."""

    def __init__(self, cluster: dict, articles):
        self.cluster = cluster
        self.articles = {a.id: a for a in articles}
        self.norm = {a.id: collapse_spaces(a.text) for a in articles}
        self.missing = 0

    def __call__(self, sp: dict) -> tuple[str, int, int] | None:
        if "doc" not in sp:  # a span the labeller could not place in the raw document
            self.missing += 1
            return None
        art = f"d{sp['doc'] + 1}"
        text = " ".join(span_text(self.cluster["set"], self.cluster["cluster"], sp).split())
        norm, where = self.norm.get(art, ("", []))
        k = norm.find(text)
        if k < 0:
            k = _fuzzy_find(norm, text)
        if k < 0:
            self.missing += 1
            return None
        return art, where[k], where[k + len(text) - 1] + 1


def _fuzzy_find(norm: str, text: str) -> int:
    """Position of `text` in `norm` ignoring quote/dash variants (the cleaner may normalise them)."""
    fold = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'", "–": "-", "—": "-"})
    a, b = norm.translate(fold), text.translate(fold).replace("''", '"')
    k = a.find(b)
    if k >= 0:
        return k
    if len(b) > 40:  # a long sentence the cleaner trimmed at one end: anchor on its middle
        mid = b[len(b) // 4: 3 * len(b) // 4]
        j = a.find(mid)
        if j >= 0:
            return max(0, j - len(b) // 4)
    return -1


def overlap(a: tuple[str, int, int], b: tuple[str, int, int]) -> int:
    if a[0] != b[0]:
        return 0
    return max(0, min(a[2], b[2]) - max(a[1], b[1]))


def sentence_of(where: tuple[str, int, int] | None, sentences) -> int | None:
    """Index of the sentence overlapping a located label span most, None if none does."""
    if where is None:
        return None
    best, best_ov = None, 0
    for i, s in enumerate(sentences):
        ov = overlap(where, (s.article, s.start, s.end))
        if ov > best_ov:
            best, best_ov = i, ov
    return best


# ------------------------------------------------------------------------------------------------ running


def run_cluster(cluster: dict, cite_fn=None) -> dict:
    """Brief one labelled cluster; return what scoring needs (citations per anchor, conflicts, times)."""
    import newsbrief.pipeline as pipeline

    articles = cluster_articles(cluster)
    loc = Locator(cluster, articles)
    times = {}
    real_analyse = pipeline.analyse

    def timed(*a, **k):
        t, c = time.perf_counter(), time.process_time()
        out = real_analyse(*a, **k)
        times["analysis"] = time.perf_counter() - t
        times["analysis cpu"] = time.process_time() - c
        return out

    pipeline.analyse = timed
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        brief = pipeline.brief_articles(articles, WORDS)
        times["brief"] = time.perf_counter() - t0
        times["brief cpu"] = time.process_time() - c0
    finally:
        pipeline.analyse = real_analyse
    sentences = brief.sentences
    cite = cite_fn or default_cite(brief)
    anchors: list[dict | None] = []
    for a in cluster["anchors"]:
        best = sentence_of(loc(a), sentences)
        if best is None:
            anchors.append(None)
            continue
        cands = []
        for c in a["candidates"]:
            w = loc(c)
            if w is not None:
                cands.append((w, c["label"], c["id"]))
        cited = cite(best)
        anchors.append({"id": a["id"], "sentence": best, "text": sentences[best].text, "candidates": cands,
                        "cited": cited})
    conflicts = [c.to_dict() if hasattr(c, "to_dict") else c for c in brief.analysis.conflicts]
    gold = {key: [[[loc(sp) for sp in side["spans"]] for side in item["sides"]] for item in cluster.get(key, [])]
            for key in ("conflicts", "changes", "doubtful")}
    return {"set": cluster["set"], "cluster": cluster["cluster"], "anchors": anchors, "conflicts": conflicts,
            "gold": gold, "gold_items": {k: cluster.get(k, []) for k in gold}, "times": times,
            "n_articles": len([x for x in articles if x.text.strip()]), "missing_spans": loc.missing,
            "summary": [s.text for s in brief.summary]}


def default_cite(brief):
    """What the brief would cite for sentence i if it chose it: select.summary_sentence over i's claim."""
    from newsbrief import select

    usable = [a for a in brief.articles if a.text.strip()]
    claim_of = {}
    for c in brief.claims:
        for s in c.sentences:
            claim_of[id(s)] = c
    cite_sentence = getattr(select, "cite_sentence", None)

    def cite(i: int) -> list[tuple[str, int, int, str]]:
        s = brief.sentences[i]
        if cite_sentence is not None:
            ss = cite_sentence(brief, s)
        else:
            ss = select.summary_sentence(usable, s, claim_of[id(s)])
        kinds = getattr(ss, "support_kinds", None) or [""] * len(ss.spans)
        return [(sp.article, sp.start, sp.end, k) for sp, k in zip(ss.spans[1:], kinds[1:])]

    return cite


# ------------------------------------------------------------------------------------------------ scoring


def score_citations(results: list[dict], errors: list | None = None) -> dict:
    n: Counter[str] = Counter()
    for r in results:
        for a in r["anchors"]:
            if a is None:
                n["anchors unmapped"] += 1
                continue
            n["anchors"] += 1
            carrying_articles = {w[0] for w, lab, _ in a["candidates"] if lab == "carries"}
            recalled = set()
            for art, s, e, kind in a["cited"]:
                span = (art, s, e)
                best, best_ov = None, 0
                for w, lab, cid in a["candidates"]:
                    ov = overlap(span, w)
                    if ov > best_ov and ov >= 0.5 * min(e - s, w[2] - w[1]):
                        best, best_ov = (lab, cid), ov
                if best is None:
                    n["unlabelled"] += 1
                    if errors is not None:
                        errors.append(("unlabelled citation", r["cluster"], a["id"], art, a["text"][:90]))
                    continue
                n["cited"] += 1
                n["cited " + best[0]] += 1
                if kind:
                    n[f"{kind}|{best[0]}"] += 1
                if best[0] == "carries":
                    recalled.add(art)
                elif errors is not None:
                    errors.append((f"cites {best[0]}", r["cluster"], best[1], a["text"][:90]))
            n["should cite"] += len(carrying_articles)
            n["recalled"] += len(carrying_articles & recalled)
            if errors is not None:
                for art in sorted(carrying_articles - recalled):
                    cid = next(c for w, lab, c in a["candidates"] if lab == "carries" and w[0] == art)
                    errors.append(("missed support", r["cluster"], cid, a["text"][:90]))
    p = n["cited carries"] / n["cited"] if n["cited"] else 1.0
    strict = n["cited carries"] / (n["cited"] + n["unlabelled"]) if n["cited"] + n["unlabelled"] else 1.0
    rec = n["recalled"] / n["should cite"] if n["should cite"] else 1.0
    return {"precision": p, "strict precision": strict, "recall": rec, **n}


def _side_hits(pred_side: dict, gold_side: list) -> bool:
    spans = pred_side.get("citations") or pred_side.get("sentences") or []
    for c in spans:
        cs = (c["article"], c["start"], c["end"])
        for g in gold_side:
            if g is not None and overlap(cs, g) > 0:
                return True
    return False


def matches(pred: dict, gold_sides: list) -> bool:
    sides = pred["sides"]
    for i, a in enumerate(sides):
        for j, b in enumerate(sides):
            if i == j:
                continue
            for x, ga in enumerate(gold_sides):
                for y, gb in enumerate(gold_sides):
                    if x != y and _side_hits(a, ga) and _side_hits(b, gb):
                        return True
    return False


def score_conflicts(results: list[dict], errors: list | None = None) -> dict:
    n: Counter[str] = Counter()
    for r in results:
        found = set()
        found_changes = set()
        for c in r["conflicts"]:
            is_change = c.get("type") == "change"
            hit = [k for k, g in enumerate(r["gold"]["conflicts"]) if matches(c, g)]
            ch = [k for k, g in enumerate(r["gold"]["changes"]) if matches(c, g)]
            doubt = [k for k, g in enumerate(r["gold"]["doubtful"]) if matches(c, g)]
            label = " / ".join(s.get("display", "")[:40] for s in c["sides"])
            if is_change:
                n["predicted changes"] += 1
                if ch:
                    n["changes right"] += 1
                    found_changes.update(ch)
                elif hit:
                    n["changes that are conflicts"] += 1
                    if errors is not None:
                        errors.append(("conflict shown as change", r["cluster"], c.get("attribute"), label))
                else:
                    n["changes other"] += 1
                    if errors is not None and not doubt:
                        errors.append(("false change", r["cluster"], c.get("attribute"), label))
                continue
            n["predicted"] += 1
            if hit:
                n["right"] += 1
                found.update(hit)
            elif ch:
                n["matching a labelled change"] += 1
            elif doubt:
                n["matching a doubtful item"] += 1
            else:
                n["false"] += 1
                if errors is not None:
                    errors.append(("false conflict", r["cluster"], c.get("attribute"), label))
        n["gold"] += len(r["gold"]["conflicts"])
        n["found"] += len(found)
        n["gold changes"] += len(r["gold"]["changes"])
        n["changes found"] += len(found_changes)
        if errors is not None:
            for k, item in enumerate(r["gold_items"]["conflicts"]):
                if k not in found:
                    errors.append(("missed conflict", r["cluster"], item["kind"], item["attribute"]))
    judged = n["right"] + n["false"]
    return {"precision": n["right"] / judged if judged else 1.0,
            "recall": n["found"] / n["gold"] if n["gold"] else 1.0, **n}


def claimdiff(limit: int | None = None) -> dict:
    from newsbrief.analysis import analyse
    from newsbrief.model import Article, Claim
    from newsbrief.segment import segment_article

    path = DATA / "claimdiff_train.jsonl"
    items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    if limit:
        items = items[:limit]
    n: Counter[str] = Counter()
    for it in items:
        arts = [Article(id="a", text=it["claim_a"], title=it.get("article_a") or "", date=it.get("date")),
                Article(id="b", text=it["claim_b"], title=it.get("article_b") or "", date=it.get("date"))]
        sents = [s for a in arts for s in segment_article(a)]
        got = analyse(arts, sents, [Claim(id=i, sentences=[s]) for i, s in enumerate(sents)])
        flagged = any(getattr(c, "type", "") != "change" for c in got.conflicts)
        pos = it["label"] == "weaken"
        n[("tp" if pos else "fp") if flagged else ("fn" if pos else "tn")] += 1
    p = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
    r = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else 0.0
    return {"pairs": len(items), "precision": p, "recall": r, **{k: n[k] for k in ("tp", "fp", "fn", "tn")}}


# ------------------------------------------------------------------------------------------------ report


def run_all(clusters: list[dict]) -> list[dict]:
    return [run_cluster(c) for c in clusters]


def figures(results: list[dict]) -> dict:
    out = {}
    groups = {"pooled": results}
    for s, name in SET_NAMES.items():
        groups[name] = [r for r in results if r["set"] == s]
    for name, rs in groups.items():
        if not rs:
            continue
        ten = [r for r in rs if r["n_articles"] >= 9]
        out[name] = {
            "clusters": len(rs),
            "citations": score_citations(rs),
            "conflicts": score_conflicts(rs),
            **{f"{what} (median, 9-10 articles)":
               statistics.median(r["times"].get(what, 0) for r in ten) if ten else None
               for what in ("analysis", "analysis cpu", "brief", "brief cpu")},
        }
    return out


def table(after: dict, before: dict | None) -> str:
    lines = ["| set | measure | before | after |", "|---|---|---:|---:|"]

    def cell(d, path):
        try:
            for k in path:
                d = d[k]
        except (KeyError, TypeError):
            return "–"
        return f"{d:.3f}" if isinstance(d, float) else str(d)

    rows_ = [
        ("citation precision", ("citations", "precision")),
        ("citation precision, unlabelled counted wrong", ("citations", "strict precision")),
        ("support recall", ("citations", "recall")),
        ("citations (labelled / unlabelled)", None),
        ("conflict precision", ("conflicts", "precision")),
        ("conflict recall", ("conflicts", "recall")),
        ("conflicts predicted: right / false / doubtful / a labelled change", None),
        ("changes over time found (of labelled)", None),
        ("analysis s, median wall / CPU (9-10 articles)", None),
        ("whole brief s, median wall / CPU (9-10 articles)", None),
    ]
    for name in after:
        for label, path in rows_:
            vals = []
            for d in (before, after):
                if d is None or name not in d:
                    vals.append("–")
                    continue
                x = d[name]
                if path is not None:
                    vals.append(cell(x, path))
                elif label.startswith("citations"):
                    vals.append(f"{x['citations'].get('cited', 0)} / {x['citations'].get('unlabelled', 0)}")
                elif label.startswith(("analysis", "whole brief")):
                    what = "analysis" if label.startswith("analysis") else "brief"
                    w, c = x.get(f"{what} (median, 9-10 articles)"), x.get(f"{what} cpu (median, 9-10 articles)")
                    vals.append(f"{w:.3f} / {c:.3f}" if w is not None and c is not None else "–")
                elif label.startswith("conflicts predicted"):
                    c = x["conflicts"]
                    vals.append(f"{c.get('right', 0)} / {c.get('false', 0)} / {c.get('matching a doubtful item', 0)}"
                                f" / {c.get('matching a labelled change', 0)}")
                else:
                    c = x["conflicts"]
                    vals.append(f"{c.get('changes found', 0)} / {c.get('gold changes', 0)}")
            lines.append(f"| {name} | {label} | {vals[0]} | {vals[1]} |")
    return "\n".join(lines)


def extract_commit(ref: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="nb_before_"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "newsbrief"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
    return tmp


def child(code: Path, out: Path, folds: str | None) -> None:
    """Run the scoring under another code root in a fresh interpreter (BEFORE, or a CV fold)."""
    cmd = [sys.executable, __file__, "--code", str(code), "--dump", str(out)]
    if folds:
        cmd += ["--fold", folds]
    subprocess.run(cmd, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", help="git ref of the BEFORE code (e.g. the commit before issue 12's work)")
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation over clusters (the learned parts)")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--no-claimdiff", action="store_true")
    ap.add_argument("--json", type=Path, help="write all figures to this file")
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--fold", help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=None, help="first N clusters only (smoke runs)")
    args = ap.parse_args()

    clusters = load_clusters()[: args.limit] if args.limit else load_clusters()
    if args.dump:  # child process: score under args.code, write the raw figures
        use_code(args.code)
        res = run_all(clusters)
        out = {"figures": figures(res)}
        if not args.no_claimdiff:
            out["claimdiff"] = claimdiff()
        args.dump.write_text(json.dumps(out, default=str))
        return 0
    use_code(ROOT)

    before = None
    if args.before:
        code = extract_commit(args.before)
        dump = code / "figures.json"
        cmd = [sys.executable, __file__, "--code", str(code), "--dump", str(dump)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        if args.no_claimdiff:
            cmd += ["--no-claimdiff"]
        subprocess.run(cmd, check=True)
        before = json.loads(dump.read_text())

    results = run_all(clusters)
    after = {"figures": figures(results)}
    if not args.no_claimdiff:
        after["claimdiff"] = claimdiff()
    print(f"## Trust benchmark ({len(clusters)} labelled clusters, {WORDS}-word briefs)\n")
    print(f"Command: `python scripts/bench_trust.py{' --before ' + args.before if args.before else ''}"
          f"{' --cv ' + str(args.cv) if args.cv else ''}`\n")
    print(table(after["figures"], before["figures"] if before else None))
    if not args.no_claimdiff:
        cd_b = before.get("claimdiff") if before else None
        cd = after["claimdiff"]
        def fmt(x: dict | None) -> str:
            if not x:
                return "–"
            p = f"{x['precision']:.3f}" if x["tp"] + x["fp"] else "n/a (nothing flagged)"
            return f"precision {p}, recall {x['recall']:.3f} (tp {x['tp']}, fp {x['fp']}, fn {x['fn']}, tn {x['tn']})"

        print(f"\nClaimDiff ({cd['pairs']} pairs, weaken vs neither/strengthen): before {fmt(cd_b)}; after {fmt(cd)}")
    missing = sum(r["missing_spans"] for r in results)
    print(f"\nLabel spans not located in the cleaned articles: {missing}")
    if args.cv:
        print(cross_validate(clusters, args.cv))
    if args.errors:
        errs: list = []
        score_citations(results, errs)
        score_conflicts(results, errs)
        print("\n### Errors\n")
        for e in errs:
            print("- " + " | ".join(str(x) for x in e))
    if args.json:
        args.json.write_text(json.dumps({"before": before, "after": after}, indent=1, default=str))
    return 0


def cross_validate(clusters: list[dict], k: int, seed: int = 0) -> str:
    """k-fold CV over clusters of the learned parts: the support model (and its threshold, chosen by an inner
    CV on the training folds only) and the conflict link rule's parameters are fitted on k-1 folds, then the
    whole pipeline runs on the held-out fold. Held-out figures beside in-sample ones (shipped model)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_trust as ft

    from newsbrief import learned
    from newsbrief.analysis import conflicts as cf

    srows = ft.support_rows(clusters)
    crows = ft.conflict_rows(clusters)
    fold = ft.folds(len(clusters), k, seed)
    held: list[dict] = []
    chosen = []
    for f in range(k):
        train = [i for i, x in enumerate(fold) if x != f]
        test = [c for c, x in zip(clusters, fold) if x == f]
        t, _ = ft.choose_threshold([srows[i] for i in train], k, seeds=1)
        model = ft.fit([srows[i] for i in train], t)
        lex, verb = ft.pick([crows[i] for i in train])
        chosen.append((round(t, 2), lex, verb))
        old = (cf.LINK_LEXICAL, cf.LINK_VERBATIM)
        cf.LINK_LEXICAL, cf.LINK_VERBATIM = lex, verb
        try:
            with learned.use("support", model):
                held += [run_cluster(c) for c in test]
        finally:
            cf.LINK_LEXICAL, cf.LINK_VERBATIM = old
    inside = run_all(clusters)
    rows_ = []
    for name, rs in (("held-out folds", held), ("in-sample (shipped)", inside)):
        ci, co = score_citations(rs), score_conflicts(rs)
        rows_.append(f"| {name} | {ci['precision']:.3f} | {ci['recall']:.3f} | {co['precision']:.3f} | "
                     f"{co['recall']:.3f} |")
    return ("\n### Cross-validation (" + f"{k}-fold over the {len(clusters)} clusters, seed {seed})\n\n"
            "| figures | citation precision | support recall | conflict precision | conflict recall |\n"
            "|---|---:|---:|---:|---:|\n" + "\n".join(rows_)
            + "\n\nPer fold (support threshold, link lexical, link verbatim): " + ", ".join(map(str, chosen)))


if __name__ == "__main__":
    sys.exit(main())
