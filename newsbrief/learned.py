"""Small learned models shipped as JSON next to the code: gradient-boosted trees over a few features.

Fitted by `scripts/fit_trust.py` (scikit-learn's HistGradientBoostingClassifier, exported node by node)
on the project's own hand labels; read here without scikit-learn. A model file holds the feature names
(checked against the caller's), the trees, the baseline log-odds and the decision threshold chosen
under cross-validation. `use(name, model)` swaps a model in (cross-validation runs one per fold).
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

DIR = Path(__file__).resolve().parent / "models"


class TreeModel:
    """Sum of regression trees on the log-odds scale, then a logistic; nodes are
    [feature, threshold, left, right, value, is_leaf] (x[feature] <= threshold goes left)."""

    def __init__(self, data: dict[str, Any]):
        self.features: list[str] = list(data["features"])
        self.baseline: float = float(data["baseline"])
        self.trees: list[list[list[float]]] = data["trees"]
        self.threshold: float = float(data.get("threshold", 0.5))
        self.about: str = data.get("about", "")

    def probability(self, x) -> float:
        raw = self.baseline
        for nodes in self.trees:
            n = nodes[0]
            while not n[5]:
                n = nodes[int(n[2])] if x[int(n[0])] <= n[1] else nodes[int(n[3])]
            raw += n[4]
        return 1.0 / (1.0 + math.exp(-raw))

    def to_dict(self) -> dict[str, Any]:
        return {"about": self.about, "features": self.features, "baseline": self.baseline,
                "threshold": self.threshold, "trees": self.trees}

    @classmethod
    def from_sklearn(cls, clf, features: list[str] | tuple[str, ...], threshold: float, about: str = "") -> TreeModel:
        """Export a fitted binary HistGradientBoostingClassifier."""
        trees = []
        for (predictor,) in clf._predictors:
            trees.append([[int(n["feature_idx"]), float(n["num_threshold"]), int(n["left"]), int(n["right"]),
                           round(float(n["value"]), 6), int(n["is_leaf"])] for n in predictor.nodes])
        baseline = float(clf._baseline_prediction.ravel()[0])
        return cls({"features": list(features), "baseline": baseline, "trees": trees, "threshold": threshold,
                    "about": about})


_OVERRIDE: dict[str, TreeModel | None] = {}


@lru_cache(maxsize=8)
def _load(name: str) -> TreeModel | None:
    path = DIR / f"{name}.json"
    if not path.exists():
        return None
    return TreeModel(json.loads(path.read_text(encoding="utf-8")))


def model(name: str, features: tuple[str, ...] | list[str]) -> TreeModel | None:
    """The model `name` (models/NAME.json, or the one swapped in by `use`), None if there is none."""
    m = _OVERRIDE[name] if name in _OVERRIDE else _load(name)
    if m is not None and list(m.features) != list(features):
        raise ValueError(f"model {name}: features {m.features} do not match the code's {list(features)}")
    return m


@contextmanager
def use(name: str, m: TreeModel | None):
    """Run with `m` in place of the shipped model `name` (cross-validation folds)."""
    had, old = name in _OVERRIDE, _OVERRIDE.get(name)
    _OVERRIDE[name] = m
    try:
        yield
    finally:
        if had:
            _OVERRIDE[name] = old
        else:
            del _OVERRIDE[name]


def save(name: str, m: TreeModel) -> Path:
    DIR.mkdir(exist_ok=True)
    path = DIR / f"{name}.json"
    path.write_text(json.dumps(m.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    _load.cache_clear()
    return path
