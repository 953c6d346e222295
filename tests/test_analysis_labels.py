"""The hand-labelled set (tests/labels/) and its scorer: quote F1, speaker accuracy, conflict precision."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.analysis import analyse
from newsbrief.bench.analysis import (
    conflict_matches, load_dir, load_labels, make_articles, prepare, score_conflicts, score_quotes)

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "labels"


@pytest.fixture(scope="module")
def labelled():
    q = load_labels("quotes.json", LABELS)
    c = load_labels("conflicts.json", LABELS)
    out = {}
    for name, path in {**q["clusters"], **c["clusters"]}.items():
        arts, sents, claims = prepare(load_dir(ROOT / path), core=False)
        out[name] = analyse(arts, sents, claims).to_dict()
    return q, c, out


def test_labels_are_well_formed(labelled):
    q, c, _ = labelled
    for g in q["quotes"]:
        assert g["speaker"] and ("text" in g or "start" in g)
        path = ROOT / q["clusters"][g["cluster"]]
        f = next(p for p in path.iterdir() if p.stem.split("_")[0] == g["article"])
        raw = f.read_text(encoding="utf-8")
        assert (g.get("text") or g["start"]) in raw, g
    for g in c["conflicts"]:
        assert len(g["sides"]) == 2


def test_quote_scores_meet_targets(labelled):
    q, _, out = labelled
    s = score_quotes({k: v["quotes"] for k, v in out.items() if k in q["clusters"]}, q["quotes"])
    assert s["f1"] >= 0.85, s["errors"]
    assert s["speaker_accuracy"] >= 0.9, s["errors"]


def test_conflict_precision_on_real_clusters(labelled):
    _, c, out = labelled
    s = score_conflicts({k: v["conflicts"] for k, v in out.items() if k in c["clusters"]}, c["conflicts"])
    assert s["precision"] >= 0.9, s["errors"]
    assert s["recall"] >= 0.5, s["errors"]


@pytest.mark.parametrize("name", ["conflicts.json", "conflicts_heldout.json"])
def test_constructed_pairs(name):
    c = load_labels(name, LABELS)
    for item in c["constructed"]:
        arts, sents, claims = prepare(make_articles(list(item["articles"].items())), core=False)
        got = analyse(arts, sents, claims).to_dict()["conflicts"]
        if not item["conflict"]:
            assert got == [], (item["id"], got)
        else:
            assert any(conflict_matches(x, {"sides": item["sides"]}) for x in got), (item["id"], got)


def test_scorer_counts():
    gold = [{"cluster": "x", "article": "a", "text": "one two three four", "speaker": ["Ann Lee"]},
            {"cluster": "x", "article": "a", "start": "five six seven", "end": "ten", "speaker": ["Bo"]}]
    pred = {"x": [
        {"kind": "direct", "speaker": "Ann Lee", "citations": [{"article": "a", "text": "one two three four"}]},
        {"kind": "direct", "speaker": "Cy", "citations": [{"article": "a", "text": "five six seven eight nine ten"}]},
        {"kind": "direct", "speaker": None, "citations": [{"article": "a", "text": "not labelled at all"}]},
    ]}
    s = score_quotes(pred, gold)
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 0)
    assert s["speaker_accuracy"] == 0.5
    assert abs(s["f1"] - 0.8) < 1e-9
