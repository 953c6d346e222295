"""Loading labelled clusters and scoring quotes and conflicts against hand labels (tests/labels/).

Used by tests/test_analysis*.py and scripts/bench_analysis.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsbrief.model import Article


def article_key(article_id: str) -> str:
    """Labels name articles by the file stem up to the first '_' ("000", "M002-1")."""
    return article_id.split("_")[0]


def make_articles(items: list[tuple[str, str]]) -> list[Article]:
    """Articles from (id, raw text), cleaned the way the pipeline cleans them."""
    from newsbrief.clean import clean_article

    return [clean_article(Article(id=i, raw=raw)) for i, raw in items]


def load_dir(path: str | Path) -> list[Article]:
    files = sorted(p for p in Path(path).iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".text"))
    return make_articles([(p.stem, p.read_text(encoding="utf-8")) for p in files])


def prepare(articles: list[Article], embeddings: bool = True, core: bool = True):
    """(articles, sentences, claims) from the core pipeline, without its analysis. `core=False`: only
    segmentation, each sentence its own claim (enough for quotes, conflicts, entities, timeline, framing)."""
    if not core:
        from newsbrief.model import Claim
        from newsbrief.segment import segment_article

        sents = [x for a in articles if a.text.strip() for x in segment_article(a)]
        return articles, sents, [Claim(id=i, sentences=[x]) for i, x in enumerate(sents)]
    from newsbrief.pipeline import brief_articles

    b = brief_articles(articles, 150, analysis=False, embeddings=embeddings)
    return b.articles, b.sentences, b.claims


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


# ------------------------------------------------------------------ quotes

def _quote_match(pred_text: str, gold: dict) -> bool:
    p = _norm(pred_text)
    if "text" in gold:
        g = _norm(gold["text"])
        if not p or not g:
            return False
        short, long_ = sorted((p, g), key=len)
        return short in long_ and len(short) >= 0.6 * len(long_)
    s, e = _norm(gold["start"]), _norm(gold.get("end", ""))
    if not p.startswith(s[: max(10, len(s) // 2)]) and s not in p:
        return False
    return not e or p.endswith(e) or e in p[-(len(e) + 25):]


def _speaker_ok(pred: str | None, gold: list[str]) -> bool:
    return pred is not None and pred != "" and _norm(pred) in {_norm(g) for g in gold}


def score_quotes(predicted: dict[str, list[dict]], gold: list[dict]) -> dict:
    """predicted: cluster -> analysis["quotes"]; gold: the labels' quote list.

    Every citation of a direct quote is one predicted quote instance (a quote carried by two outlets is
    two instances, as in the labels). Matching is one-to-one within an article."""
    tp = fp = 0
    speaker_ok = 0
    matched_gold: set[int] = set()
    misses = []
    for cluster, quotes in predicted.items():
        golds = [(i, g) for i, g in enumerate(gold) if g["cluster"] == cluster]
        for q in quotes:
            if q["kind"] not in ("direct", "partial"):  # a partial quote is a quote too (issue 13)
                continue
            for c in q["citations"]:
                art = article_key(c["article"])
                hit = next((i for i, g in golds if i not in matched_gold and g["article"] == art
                            and _quote_match(c["text"], g)), None)
                if hit is None:
                    fp += 1
                    misses.append({"type": "false positive", "article": art, "text": c["text"][:80]})
                    continue
                tp += 1
                matched_gold.add(hit)
                if _speaker_ok(q["speaker"], gold[hit]["speaker"]):
                    speaker_ok += 1
                else:
                    misses.append({"type": "wrong speaker", "article": art, "text": c["text"][:80],
                                   "predicted": q["speaker"], "gold": gold[hit]["speaker"][0]})
    fn = sum(1 for i, g in enumerate(gold) if g["cluster"] in predicted and i not in matched_gold)
    for i, g in enumerate(gold):
        if g["cluster"] in predicted and i not in matched_gold:
            misses.append({"type": "missed", "article": g["article"], "text": (g.get("text") or g["start"])[:80]})
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
            "speaker_correct": speaker_ok, "speaker_accuracy": speaker_ok / tp if tp else 0.0, "errors": misses}


# ------------------------------------------------------------------ conflicts

def _side_matches(pred_side: dict, gold_side: list[dict]) -> bool:
    for g in gold_side:
        for c in pred_side["citations"] + pred_side.get("sentences", []):
            if article_key(c["article"]) == g["article"] and _norm(g["text"]) in _norm(c["text"]):
                return True
    return False


def conflict_matches(pred: dict, gold: dict) -> bool:
    sides = pred["sides"]
    for i, a in enumerate(sides):
        for j, b in enumerate(sides):
            if i != j and _side_matches(a, gold["sides"][0]) and _side_matches(b, gold["sides"][1]):
                return True
    return False


def score_conflicts(predicted: dict[str, list[dict]], gold: list[dict]) -> dict:
    """predicted: cluster -> analysis["conflicts"]; gold: conflicts with two sides of {article, text}.
    Every predicted conflict not in the labels counts as a false positive (the labelled clusters were
    read in full for conflicts)."""
    tp_pred = 0
    found: set[int] = set()
    errors = []
    for cluster, conflicts in predicted.items():
        golds = [(i, g) for i, g in enumerate(gold) if g["cluster"] == cluster]
        for c in conflicts:
            hit = [i for i, g in golds if conflict_matches(c, g)]
            if hit:
                tp_pred += 1
                found.update(hit)
            else:
                errors.append({"type": "false conflict", "cluster": cluster, "attribute": c["attribute"],
                               "sides": [s["citations"][0]["text"] for s in c["sides"]]})
    n_pred = sum(len(v) for v in predicted.values())
    n_gold = sum(1 for g in gold if g["cluster"] in predicted)
    for i, g in enumerate(gold):
        if g["cluster"] in predicted and i not in found:
            errors.append({"type": "missed conflict", "cluster": g["cluster"], "note": g.get("note", ""),
                           "sides": [s[0]["text"] for s in g["sides"]]})
    return {"predicted": n_pred, "correct": tp_pred, "gold": n_gold, "found": len(found),
            "precision": tp_pred / n_pred if n_pred else 1.0, "recall": len(found) / n_gold if n_gold else 1.0,
            "errors": errors}


def load_labels(name: str, root: str | Path = "tests/labels") -> dict:
    return json.loads((Path(root) / name).read_text(encoding="utf-8"))
