"""Fit the judge's weights (``model/judge.json``) on labelled messages.

``flask --app app coach train [FILES...]`` runs it; by default on every labelled set in
``tests/data/`` (never ``tests/data/sealed/``, which is kept unseen until it is scored).
The fit is deterministic (Newton's method on the L2-penalised log-loss, no random
start), so the same files give the same weights, byte for byte.

The penalty is chosen by leaving one file out at a time: each candidate is fitted on the
other files, and the coach (the checklist and the fitted judge, ``final_score``) is scored
on the one left out, which is how it will meet messages it has never seen. The strongest
penalty within 0.5 points of the best is taken.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyse import ATTRACTION_THRESHOLD, Checklist, checklist, final_score
from .inputs import check_input
from .judge import WEIGHTS, encode, features

PENALTIES = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)


@dataclass
class Example:
    x: np.ndarray
    y: float
    group: str
    rules: Checklist


def load_examples(paths: list[Path], progress: Callable[[int], None] | None = None,
                  ) -> list[Example]:
    examples = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            checked = check_input(row["text"], row.get("recipient"), row.get("channel"))
            rules = checklist(checked.text, checked.recipient, checked.channel)
            vectors, whole = encode(checked.text, rules.sentences)
            kinds = [move.kind for move in rules.moves]
            examples.append(Example(features(vectors, whole, checked.channel, kinds),
                                    1.0 if row["verdict"] == "attraction" else 0.0,
                                    path.name, rules))
            if progress:
                progress(1)
    return examples


def fit(x: np.ndarray, y: np.ndarray, penalty: float) -> dict:
    """Standardise, then minimise log-loss + penalty/2 * |w|^2 (the bias is free)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    ridge = np.full(z.shape[1], penalty)
    ridge[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) + ridge * w
        hessian = (z.T * (p * (1 - p))) @ z + np.diag(ridge + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"mean": mean, "scale": scale, "weights": w[:-1], "bias": float(w[-1])}


def _predict(params: dict, x: np.ndarray) -> np.ndarray:
    z = (x - params["mean"]) / params["scale"]
    return 1 / (1 + np.exp(-(z @ params["weights"] + params["bias"])))


def held_out_probabilities(examples: list[Example], penalty: float) -> np.ndarray:
    """Each example's probability from a fit on every file but its own."""
    x = np.stack([e.x for e in examples]).astype(np.float64)
    y = np.array([e.y for e in examples])
    g = np.array([e.group for e in examples])
    result = np.zeros(len(examples))
    for group in sorted(set(g)):
        params = fit(x[g != group], y[g != group], penalty)
        result[g == group] = _predict(params, x[g == group])
    return result


def leave_one_file_out(examples: list[Example], penalty: float) -> float:
    """The coach's verdict accuracy, each file judged by a fit without it."""
    probabilities = held_out_probabilities(examples, penalty)
    right = sum((final_score(e.rules, float(p)) >= ATTRACTION_THRESHOLD) == (e.y == 1.0)
                for e, p in zip(examples, probabilities, strict=True))
    return right / len(examples)


def train(paths: list[Path], out: Path = WEIGHTS, report: Callable[[str], None] = print,
          progress: Callable[[int], None] | None = None) -> dict:
    examples = load_examples(paths, progress)
    scores = {penalty: leave_one_file_out(examples, penalty) for penalty in PENALTIES}
    for penalty, accuracy in scores.items():
        report(f"penalty {penalty:g}: the coach {accuracy:.3f} on each file left out in turn")
    best = max(scores.values())
    penalty = max(p for p, a in scores.items() if a >= best - 0.005)
    x = np.stack([e.x for e in examples]).astype(np.float64)
    params = fit(x, np.array([e.y for e in examples]), penalty)
    data = {
        "about": "The coach's judge: logistic regression over all-MiniLM-L6-v2 sentence "
                 "embeddings (attract/coach/judge.py); refit with `flask --app app coach "
                 "train`.",
        "penalty": penalty,
        "trained_on": [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                       for p in paths],
        "messages": len(examples),
        "leave_one_file_out_accuracy": round(scores[penalty], 4),
        "bias": round(params["bias"], 6),
        "mean": [round(float(v), 6) for v in params["mean"]],
        "scale": [round(float(v), 6) for v in params["scale"]],
        "weights": [round(float(v), 6) for v in params["weights"]],
    }
    out.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    report(f"penalty {penalty:g} chosen; {len(examples)} messages; wrote {out}")
    return data
