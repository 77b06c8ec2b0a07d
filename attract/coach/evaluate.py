"""Evaluate the coach against labelled messages: verdict accuracy and Spearman's rho.

Used by the test that holds the coach to its bar and by ``bench/coach_eval.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .analyse import analyse


@dataclass
class Evaluation:
    total: int = 0
    correct: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (label, coach)
    misses: list[dict] = field(default_factory=list)
    rho: float = 0.0
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [right, messages]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (Pearson on ranks, so ties are handled)."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(examples: Iterable[dict]) -> Evaluation:
    result = Evaluation()
    scores, ratings = [], []
    for example in examples:
        analysis = analyse(example["text"], example.get("recipient"), example.get("channel"))
        label = example["verdict"]
        result.total += 1
        result.correct += analysis.verdict == label
        key = (label, analysis.verdict)
        result.confusion[key] = result.confusion.get(key, 0) + 1
        scores.append(analysis.score)
        ratings.append(example["rating"])
        kind = result.kinds.setdefault(example.get("kind") or "unsorted", [0, 0])
        kind[0] += analysis.verdict == label
        kind[1] += 1
        if analysis.verdict != label:
            result.misses.append({"id": example.get("id"), "label": label,
                                  "rating": example["rating"], "score": analysis.score,
                                  "caps": analysis.caps, "kind": example.get("kind"),
                                  "text": example["text"]})
    result.rho = spearman(scores, ratings)
    return result
