"""Item analysis of a quiz, after Moodle's quiz statistics report
(``question/classes/statistics/questions/calculator.php``, ``quiz_statistics``):

- **facility** = mean mark / max mark (0 to 1: the share of the marks the room earned);
- **standard deviation** of the marks, divided by the max mark (so 0 to about 0.5), with
  the sample variance (n - 1), as Moodle does;
- **discrimination index** = 100 x the correlation between the item's mark and the rest
  of the test's mark (the total without this item): positive when learners who did well
  elsewhere did well here;
- **coefficient of internal consistency** (CIC) = 100 x Cronbach's alpha:
  ``P / (P - 1) x (1 - sum of item variances / variance of the totals)``.

Each attempt is ``{question_id: mark}``; a question an attempt has no mark for counts 0
(an unanswered question earns nothing). Figures that need more data than there is
(one attempt, a question everyone scored alike) are None, never a made-up 0.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

HARD_BELOW = 0.3   # facility under this: most of the room got it wrong
EASY_ABOVE = 0.9   # facility over this: it tells the trainer little


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    attempts: int
    facility: float | None          # 0..1
    sd: float | None                # of marks / max mark
    discrimination: float | None    # -100..100
    flags: tuple[str, ...] = ()     # "hard", "easy", "negative_discrimination"


@dataclass(frozen=True)
class TestStats:
    attempts: int
    mean: float | None              # of total marks
    sd: float | None                # of total marks (n - 1)
    cic: float | None               # 100 x Cronbach's alpha
    items: tuple[ItemStats, ...]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float | None:
    """Sample variance (n - 1), as Moodle's report uses; None below two values."""
    if len(values) < 2:
        return None
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None  # a question everyone scored alike, or a rest that never varies
    return sxy / math.sqrt(sxx * syy)


def _flags(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility is not None and facility < HARD_BELOW:
        flags.append("hard")
    if facility is not None and facility > EASY_ABOVE:
        flags.append("easy")
    if discrimination is not None and discrimination < 0:
        flags.append("negative_discrimination")
    return tuple(flags)


def item_analysis(attempts: Sequence[Mapping[str, float]],
                  max_marks: Mapping[str, float]) -> TestStats:
    """The statistics of ``attempts`` over the questions of ``max_marks`` (in order)."""
    questions = list(max_marks)
    marks = {q: [float(attempt.get(q) or 0.0) for attempt in attempts] for q in questions}
    totals = [sum(marks[q][i] for q in questions) for i in range(len(attempts))]
    items = []
    for q in questions:
        top = float(max_marks[q])
        column = marks[q]
        facility = _mean(column) / top if column and top > 0 else None
        variance = _variance(column)
        sd = math.sqrt(variance) / top if variance is not None and top > 0 else None
        rest = [total - mark for total, mark in zip(totals, column, strict=True)]
        r = _correlation(column, rest)
        discrimination = 100 * r if r is not None else None
        items.append(ItemStats(str(q), len(column), facility, sd, discrimination,
                               _flags(facility, discrimination)))
    total_variance = _variance(totals)
    cic = None
    item_variances = [_variance(marks[q]) for q in questions]
    if len(questions) > 1 and total_variance and all(v is not None for v in item_variances):
        p = len(questions)
        cic = 100 * p / (p - 1) * (1 - sum(item_variances) / total_variance)
    return TestStats(len(attempts), _mean(totals) if totals else None,
                     math.sqrt(total_variance) if total_variance is not None else None,
                     cic, tuple(items))


def first_attempts(rows: Iterable[tuple[Hashable, int, Mapping[str, float]]]
                   ) -> list[Mapping[str, float]]:
    """From ``(learner, attempt number, marks)`` rows, each learner's first attempt (the
    report's default: a later attempt is coloured by what the first one taught)."""
    first: dict[Hashable, tuple[int, Mapping[str, float]]] = {}
    for learner, number, marks in rows:
        if learner not in first or number < first[learner][0]:
            first[learner] = (number, marks)
    return [marks for _, marks in first.values()]
