"""Grading a 20-question attempt in the pure scoring module.

What it measures: the time to normalise, grade and aggregate one attempt of 20
questions mixing every gradable type (verdict, single and multiple choice, rating,
rank, spot) plus rewrites (pending until the coach lands), as the submit path does.
Baseline, in the same run: the floor any grader pays, comparing each answer with its
key and summing points. Target (issue 3): median under 1 ms per attempt.

    .venv/bin/python bench/grading.py [--repeats 2000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import cpu_model

from attract.scoring import grade_answer, score_quiz
from tests.scoring.questions import (
    MULTIPLE,
    RANK,
    RATING,
    REWRITE,
    SINGLE,
    SPOT,
    VERDICT,
)

TARGET_MS = 1.0

# 20 questions, every type, with realistic answers (some right, some partly, some wrong).
ATTEMPT = [
    (VERDICT, "interruption"), (VERDICT, "attraction"), (VERDICT, "interruption"),
    (SINGLE, "a"), (SINGLE, "b"), (SINGLE, "c"),
    (MULTIPLE, ["a", "c"]), (MULTIPLE, ["c", "b"]), (MULTIPLE, ["a"]),
    (RATING, 4), (RATING, "3"), (RATING, 1),
    (RANK, ["c", "a", "d", "b"]), (RANK, ["a", "c", "b", "d"]), (RANK, ["b", "d", "a", "c"]),
    (SPOT, ["s2", "s3"]), (SPOT, ["s1", "s2"]), (SPOT, ["s3"]),
    (REWRITE, "Hi Sam, enjoyed your talk. What made you start?"), (REWRITE, ""),
]


def grade_attempt() -> float:
    graded = [(q["points"], grade_answer(q, answer)) for q, answer in ATTEMPT]
    return score_quiz(graded, 70).score


def baseline_attempt() -> float:
    earned = sum(q["points"] for q, answer in ATTEMPT if answer == q.get("key"))
    return 100 * earned / sum(q["points"] for q, _ in ATTEMPT)


def per_call_ms(function, repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2000, help="attempts per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the median is reported")
    args = parser.parse_args(argv)
    assert len(ATTEMPT) == 20
    grade_attempt()  # warm up
    attract, floor = [], []
    for _ in range(args.rounds):  # alternate, so drift hits both alike
        attract.append(per_call_ms(grade_attempt, args.repeats))
        floor.append(per_call_ms(baseline_attempt, args.repeats))
    median, base = statistics.median(attract), statistics.median(floor)
    cpu = cpu_model()
    verdict = "PASS" if median < TARGET_MS else "FAIL"
    print(f"Machine: {cpu}; Python {platform.python_version()}; "
          f"{args.rounds} rounds x {args.repeats} attempts of 20 questions\n")
    print("| grader | median ms per attempt | min-max ms |")
    print("|---|---:|---:|")
    print(f"| attract.scoring (normalise + grade + score_quiz) | {median:.4f} | "
          f"{min(attract):.4f}-{max(attract):.4f} |")
    print(f"| baseline: answer == key, sum points | {base:.4f} | "
          f"{min(floor):.4f}-{max(floor):.4f} |")
    print(f"\nRatio scoring/baseline: {median / base:.1f}x; target median < {TARGET_MS} ms: "
          f"**{verdict}**")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
