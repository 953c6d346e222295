"""Benchmark of article dates and the timeline on the hand labels of tests/labels/timeline.json.

    PYTHONPATH=. .venv/bin/python scripts/bench_timeline.py                 # this tree, both halves
    PYTHONPATH=. .venv/bin/python scripts/bench_timeline.py --before /tmp/nb_main   # + the same on another tree
    PYTHONPATH=. .venv/bin/python scripts/bench_timeline.py --errors        # list every miss

`--before DIR`: the code of another tree (e.g. `git -C ../main archive HEAD | tar -x -C /tmp/nb_main`),
scored by this same script in a subprocess. Each labelled cluster is read the way a user's benchmark row
is read: `read_inputs([{"id", "documents", "doc_ids"}])`, so that DUC/TAC wire ids ("APW19981106.0520")
are the article ids.

Figures, per half ("tune": clusters 0, 2, 4 ... of the label file, on which the rules were chosen;
"confirm": clusters 1, 3, 5 ..., only reported):

- article dates: exact (a null label must stay null), by label basis; `boilerplate taken` counts
  predicted dates that are one of the article's `not_the_date` strings (copyright years, "updated" stamps,
  photo captions, other events' dates); `made up` counts dates given to an article the labels leave undated.
  The same documents again as HTML pages with boilerplate dates added (a "© 2019" footer, a "Last updated"
  stamp, a dated photo credit): the date must not change. An expression the cleaner consumed as the article's
  date line counts as resolved when the article date is its labelled date.
- expressions: every labelled date expression in the leads is looked up in the cleaned text; it is
  correct when a date mention overlapping it resolves to the labelled date at the labelled precision.
  By precision, by `refers_to` and by `relative`. (Before: today's finder with today's anchors: the
  article date, or the cluster's latest date for an undated article.)
- main event: the timeline's main entry (the `event` entry with most sources) has the labelled date.
- non-empty: clusters with a full date somewhere (every labelled cluster) whose timeline is not empty.
- time: build_timeline per 10 articles (warm), and every analysis section (`analyse`, without the
  pipeline's MiniLM vectors), median over the clusters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "labels" / "timeline.json"
DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")

sys.path.insert(0, str(ROOT / "scripts" / "labelling"))
from spans import collapse_spaces  # noqa: E402


def _rows(dataset: str) -> dict[str, dict]:
    with (DATA / f"{dataset}.jsonl").open(encoding="utf-8") as f:
        return {r["id"]: r for r in (json.loads(line) for line in f if line.strip())}


# ----------------------------------------------------------------------------- raw span -> cleaned text

def _collapse(s: str) -> tuple[str, list[int]]:
    """`s` with whitespace runs (and zero-width characters) as one space, the index in `s` of every kept
    character, and len(s) last."""
    text, idx = collapse_spaces(s, invisible="\u200b\u00ad\ufeff")
    return text, idx + [len(s)]


def locate(raw: str, start: int, end: int, clean: str, clean_c=None) -> tuple[int, int] | None:
    """[start, end) of `raw` as offsets in the cleaned text `clean` (its context found there), or None."""
    rc, ri = _collapse(raw)
    cc, ci = clean_c or _collapse(clean)
    # raw offsets -> collapsed raw offsets
    rs = next((k for k, i in enumerate(ri) if i >= start), len(rc))
    re_ = next((k for k, i in enumerate(ri) if i >= end), len(rc))
    target = rc[rs:re_]
    if not target:
        return None
    rel = rs / max(1, len(rc))
    for k in (40, 20, 10, 0):
        a, b = max(0, rs - k), min(len(rc), re_ + k)
        ctx = rc[a:b]
        hits = [m.start() for m in re.finditer(re.escape(ctx), cc)]
        if not hits:
            continue
        best = min(hits, key=lambda h: abs(h / max(1, len(cc)) - rel))
        cs = best + (rs - a)
        return ci[cs], ci[cs + len(target) - 1] + 1
    return None


# ----------------------------------------------------------------------------- running a tree's code

def _articles(row: dict):
    from newsbrief.readers import read_inputs

    obj = {"id": row["id"], "documents": row["documents"]}
    if row.get("doc_ids"):
        obj["doc_ids"] = row["doc_ids"]
    arts, _ = read_inputs([obj])
    by_doc = {}
    ids = row.get("doc_ids") or []
    for i in range(len(row["documents"])):
        want = str(ids[i]) if i < len(ids) and ids[i] else f"{row['id']}-d{i + 1}"
        hit = next((a for a in arts if a.id == want), None)
        if hit is not None:
            by_doc[i] = hit
    return arts, by_doc


def _mentions(articles, sentences):
    """[(article id, start, end, date, precision, estimated)] of every date mention in the cleaned texts."""
    tl = importlib.import_module("newsbrief.analysis.timeline")
    if hasattr(tl, "date_expressions"):
        return [(x.article, x.start, x.end, x.date, x.precision, x.estimated)
                for x in tl.date_expressions(articles, sentences)]
    # today's finder with today's anchors (the article date, else the cluster's latest date, estimated)
    from newsbrief.text.dates import as_date, date_mentions, resolve

    dates = {a.id: as_date(a.date) for a in articles}
    known = [d for d in dates.values() if d]
    fallback = max(known) if known else None
    out = []
    for s in sentences:
        anchor = dates.get(s.article) or fallback
        for m in date_mentions(s.text):
            r = resolve(m, anchor)
            if r:
                out.append((s.article, s.start + m.start(), s.start + m.end(), r[0], r[1], not dates.get(s.article)))
    return out


def _fmt(d: dt.date, precision: str) -> str:
    if precision == "day":
        return d.isoformat()
    return f"{d.year:04d}-{d.month:02d}" if precision == "month" else str(d.year)


def _main_entry(timeline):
    mains = [e for e in timeline if getattr(e, "main", False)]
    if mains:
        return mains[0]
    events = [e for e in timeline if e.kind == "event"]
    return max(events, key=lambda e: (len(e.sources), -int(e.estimated)), default=None)


_FOOTER = ("<footer><p>© 2019 Example News Ltd. All rights reserved.</p><p>Last updated: June 2, 2019</p>"
           "<p>Photo: Jane Doe / Example News, May 3, 2018</p></footer>")


def _paged(row: dict, c: dict) -> list[dict]:
    """Each labelled document as a web page with boilerplate dates (a copyright footer, an "updated" stamp, a
    photo credit): (predicted date, labelled date), read as an article object {"id", "html"}."""
    import html as html_lib

    from newsbrief.readers import read_inputs

    ids = row.get("doc_ids") or []
    out = []
    for a in c["articles"]:
        doc = row["documents"][a["doc"]]
        paras = "".join(f"<p>{html_lib.escape(p)}</p>" for p in doc.split("\n\n") if p.strip())
        page = f"<html><head><title>News</title></head><body><article>{paras}</article>{_FOOTER}</body></html>"
        aid = str(ids[a["doc"]]) if a["doc"] < len(ids) else f"{row['id']}-d{a['doc'] + 1}"
        arts, _ = read_inputs([{"id": aid, "html": page}])
        out.append({"pred": arts[0].date if arts else None, "gold": a["date"],
                    "not_the_date": ["© 2019", "Last updated: June 2, 2019", "May 3, 2018"]})
    return out


def run_tree() -> list[dict]:
    """Per cluster: article-date, expression and main-event results (plain JSON), with this tree's code."""
    from newsbrief.analysis import analyse
    from newsbrief.analysis.timeline import build_timeline
    from newsbrief.model import Claim
    from newsbrief.segment import segment_article

    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    out = []
    cache: dict[str, dict] = {}
    for n, c in enumerate(labels["clusters"]):
        if c["set"] not in cache:
            cache[c["set"]] = _rows(c["set"])
        row = cache[c["set"]][c["cluster"]]
        arts, by_doc = _articles(row)
        sents = [x for a in arts if a.text.strip() for x in segment_article(a)]
        claims = [Claim(id=i, sentences=[x]) for i, x in enumerate(sents)]
        analysis = analyse(arts, sents, claims)
        t0 = time.perf_counter()
        analyse(arts, sents, claims)  # warm: every section, without the pipeline's vectors
        analysis_secs = (time.perf_counter() - t0) * 10 / max(1, len(arts))
        eng = [a for a in arts if (a.language or "").startswith("en")]
        esents = [s for s in sents if s.article in {a.id for a in eng}]
        t0 = time.perf_counter()
        for _ in range(3):
            build_timeline(eng, esents)
        secs = (time.perf_counter() - t0) / 3 * 10 / max(1, len(arts))
        mentions = _mentions(eng, esents)
        by_art = defaultdict(list)
        for m in mentions:
            by_art[m[0]].append(m)
        res = {"n": n, "set": c["set"], "cluster": c["cluster"], "articles": [], "expressions": [],
               "timeline": [e.to_dict() for e in analysis.timeline], "secs": secs,
               "analysis_secs": analysis_secs}
        for a in c["articles"]:
            art = by_doc.get(a["doc"])
            raw = row["documents"][a["doc"]]
            nd = [raw[s["start"]:s["end"]] for s in a["not_the_date"]]
            res["articles"].append({"doc": a["doc"], "gold": a["date"], "basis": a["basis"],
                                    "pred": art.date if art else None, "not_the_date": nd,
                                    "id": art.id if art else None})
        ccache = {}
        for e in c["expressions"]:
            sp = e["span"]
            art = by_doc.get(sp["doc"])
            raw = row["documents"][sp["doc"]]
            item = {"doc": sp["doc"], "text": raw[sp["start"]:sp["end"]], "gold": e["date"],
                    "precision": e["precision"], "relative": e["relative"], "refers_to": e["refers_to"],
                    "pred": None, "found": False, "located": False}
            if art is not None:
                if art.id not in ccache:
                    ccache[art.id] = _collapse(art.text)
                loc = locate(raw, sp["start"], sp["end"], art.text, ccache[art.id])
                consumed = [r for r in art.removed if "date" in r.reason
                            and " ".join(item["text"].split()) in " ".join(r.text.split())]
                if not loc and consumed and art.date and e["precision"] == "day":
                    # the cleaner read this date line as the article date and removed it from the text
                    item.update(located=True, found=True, pred=art.date, pred_text="(article date)", estimated=False)
                elif loc:
                    item["located"] = True
                    s0, e0 = loc
                    hits = [m for m in by_art.get(art.id, []) if m[1] < e0 and m[2] > s0]
                    if hits:
                        item["found"] = True
                        hit = max(hits, key=lambda m: min(m[2], e0) - max(m[1], s0))
                        item["pred"] = _fmt(hit[3], hit[4])
                        item["pred_text"] = art.text[hit[1]:hit[2]]
                        item["estimated"] = hit[5]
            res["expressions"].append(item)
        main = _main_entry(analysis.timeline)
        res["paged"] = _paged(row, c)
        res["main_gold"] = (c.get("main_event") or {}).get("date")
        res["main_pred"] = main.date if main else None
        res["main_precision"] = main.precision if main else None
        out.append(res)
    return out


# ----------------------------------------------------------------------------- scoring

_YEAR_ONLY = re.compile(r"^\D*(1[6-9]\d\d|20\d\d)\D*$")


def _boilerplate(pred: str, strings: list[str]) -> bool:
    """Is the predicted date one of the not-the-date strings (a year read as 1 January, or the date itself)?"""
    from newsbrief.text.dates import DATE_MENTION, resolve

    d = dt.date.fromisoformat(pred)
    for s in strings:
        m = _YEAR_ONLY.match(s)
        if m and int(m.group(1)) == d.year and (d.month, d.day) == (1, 1):
            return True
        for mm in DATE_MENTION.finditer(s):
            r = resolve(mm, d)
            if r and r[1] == "day" and r[0] == d and not mm.group("wd") and not mm.group("rel"):
                return True
        if re.search(rf"{d.year}[-/.]?{d.month:02d}[-/.]?{d.day:02d}", s):
            return True
    return False


def score(results: list[dict]) -> dict:
    art = defaultdict(lambda: [0, 0])
    taken = made_up = 0
    for r in results:
        for a in r["articles"]:
            ok = a["pred"] == a["gold"]
            for key in ("all", a["basis"]):
                art[key][0] += ok
                art[key][1] += 1
            if a["pred"] and not ok:
                if _boilerplate(a["pred"], a["not_the_date"]):
                    taken += 1
                if a["gold"] is None:
                    made_up += 1
    ex = defaultdict(lambda: [0, 0])
    for r in results:
        for e in r["expressions"]:
            ok = e["pred"] == e["gold"]
            for key in ("all", f"precision={e['precision']}", f"refers_to={e['refers_to']}",
                        f"relative={e['relative']}"):
                ex[key][0] += ok
                ex[key][1] += 1
    paged = [p for r in results for p in r.get("paged", [])]
    paged_ok = [sum(p["pred"] == p["gold"] for p in paged), len(paged)]
    paged_taken = sum(1 for p in paged if p["pred"] and p["pred"] != p["gold"]
                      and _boilerplate(p["pred"], p["not_the_date"]))
    main = [r["main_pred"] == r["main_gold"] for r in results if r["main_gold"]]
    nonempty = [bool(r["timeline"]) for r in results]
    return {"articles": dict(art), "boilerplate_taken": taken, "made_up": made_up,
            "expressions": dict(ex), "main": [sum(main), len(main)], "paged": paged_ok, "paged_taken": paged_taken,
            "nonempty": [sum(nonempty), len(nonempty)],
            "secs": statistics.median(r["secs"] for r in results),
            "analysis_secs": statistics.median(r.get("analysis_secs", 0.0) for r in results)}


def _pct(x) -> str:
    return f"{x[0]}/{x[1]} ({100 * x[0] / x[1]:.0f}%)" if x[1] else "–"


def table(scores: dict[str, dict[str, dict]]) -> str:
    """Markdown: one row per figure, one column per (tree, half)."""
    cols = [(tree, half) for tree in scores for half in scores[tree]]
    head = "| figure | " + " | ".join(f"{t} ({h})" for t, h in cols) + " |"
    lines = [head, "|" + "---|" * (len(cols) + 1)]

    def row(name, get):
        lines.append(f"| {name} | " + " | ".join(get(scores[t][h]) for t, h in cols) + " |")

    row("article date exact", lambda s: _pct(s["articles"]["all"]))
    for basis in ("doc_id", "dateline", "date line in text", "none"):
        row(f"  basis {basis}", lambda s, b=basis: _pct(s["articles"].get(b, [0, 0])))
    row("boilerplate date taken", lambda s: str(s["boilerplate_taken"]))
    row("date made up for an undated article", lambda s: str(s["made_up"]))
    row("as web pages with a '© 2019' footer, 'Last updated' stamp, dated photo credit: date exact",
        lambda s: _pct(s["paged"]))
    row("  boilerplate date taken", lambda s: str(s["paged_taken"]))
    row("expressions resolved", lambda s: _pct(s["expressions"]["all"]))
    keys = sorted({k for t, h in cols for k in scores[t][h]["expressions"] if k != "all"})
    for k in keys:
        row(f"  {k}", lambda s, k=k: _pct(s["expressions"].get(k, [0, 0])))
    row("main-event date", lambda s: _pct(s["main"]))
    row("timeline non-empty", lambda s: _pct(s["nonempty"]))
    row("build_timeline s / 10 articles (median)", lambda s: f"{s['secs']:.4f}")
    row("all analysis sections s / 10 articles (median, warm)", lambda s: f"{s['analysis_secs']:.3f}")
    return "\n".join(lines)


def halves(results: list[dict]) -> dict[str, list[dict]]:
    return {"tune": [r for r in results if r["n"] % 2 == 0], "confirm": [r for r in results if r["n"] % 2 == 1],
            "all": results}


def errors(results: list[dict]) -> str:
    out = []
    for r in results:
        half = "tune" if r["n"] % 2 == 0 else "confirm"
        for a in r["articles"]:
            if a["pred"] != a["gold"]:
                out.append(f"[{half}] {r['cluster']} doc {a['doc']} ({a['id']}): date {a['pred']} want {a['gold']} "
                           f"({a['basis']})")
        for e in r["expressions"]:
            if e["pred"] != e["gold"]:
                why = "not located" if not e["located"] else "not found" if not e["found"] else \
                    f"got {e['pred']} from {e.get('pred_text')!r}{' (est.)' if e.get('estimated') else ''}"
                out.append(f"[{half}] {r['cluster']} doc {e['doc']}: {e['text']!r} want {e['gold']} "
                           f"({e['precision']}, {e['refers_to']}): {why}")
        if r["main_gold"] and r["main_pred"] != r["main_gold"]:
            out.append(f"[{half}] {r['cluster']}: main event {r['main_pred']} want {r['main_gold']}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", help="another tree's root, scored with this script (today's code)")
    ap.add_argument("--json", action="store_true", help="print this tree's raw results as JSON (internal)")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import logging

    logging.disable(logging.CRITICAL)
    results = run_tree()
    if args.json:
        print(json.dumps(results))
        return 0
    trees = {"after": results}
    if args.before:
        env = dict(os.environ, PYTHONPATH=str(Path(args.before).resolve()))
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--json"], env=env,
                              capture_output=True, text=True, cwd=args.before, check=True)
        trees = {"before": json.loads(proc.stdout), "after": results}
    scores = {t: {h: score(rs) for h, rs in halves(res).items()} for t, res in trees.items()}
    print(table(scores))
    if args.errors:
        print()
        print(errors(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
