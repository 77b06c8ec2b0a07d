"""Quiz-level arithmetic: score, pass, which attempt counts, and workshop points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .base import Grade

GRADING_POLICIES = ("best", "latest", "average")


@dataclass(frozen=True)
class QuizScore:
    earned: float
    possible: float
    score: float           # percent, 0-100, one decimal
    passed: bool | None    # None: not decided until pending answers are graded
    pending: int


def score_quiz(graded: Iterable[tuple[float, Grade]], pass_mark: float) -> QuizScore:
    """``graded`` is ``(points possible, grade)`` per question.

    Score = points earned / points possible x 100. Pending answers count 0 for now:
    if the learner passes without them they have passed; otherwise it is undecided.
    """
    earned = possible = 0.0
    pending = 0
    for points, grade in graded:
        possible += points
        earned += grade.points(points)
        pending += grade.pending
    score = round(100 * earned / possible, 1) if possible else 0.0
    passed: bool | None = score >= pass_mark
    if not passed and pending:
        passed = None
    return QuizScore(round(earned, 3), possible, score, passed, pending)


def grade_for_course(policy: str, scores: Sequence[float]) -> float | None:
    """The grade shown for a quiz from the learner's submitted scores, oldest first."""
    if not scores:
        return None
    if policy == "best":
        return max(scores)
    if policy == "latest":
        return scores[-1]
    if policy == "average":
        return round(sum(scores) / len(scores), 1)
    raise ValueError(f"unknown grading policy {policy!r}; use {', '.join(GRADING_POLICIES)}")


def workshop_points(points_possible: float, fraction: float, elapsed: float,
                    time_limit: float) -> int:
    """The live-quiz rule: round(points x fraction x (1 - elapsed / (2 x time_limit))).

    Elapsed time is clamped to [0, time_limit], so a correct answer is worth between
    half and all of its points.
    """
    if time_limit <= 0:
        return round(points_possible * fraction)
    elapsed = min(max(elapsed, 0.0), time_limit)
    return round(points_possible * fraction * (1 - elapsed / (2 * time_limit)))
