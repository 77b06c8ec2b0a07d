"""Item analysis from the export's own answer rows, so the Items sheet and the JSON
``items`` describe exactly the answers the file holds.

``ItemMarks`` keeps one mark per attempt and question (``fraction x max``) as the rows
stream past, which is small next to the rows themselves (a few floats per answer), and
hands them to ``attract.analysis.item_analysis`` at the end.

Two things the raw rows do not settle:

- **Scale.** A live question is worth ``points x 1000`` (``LIVE_POINTS``) where the same
  question is worth ``points`` self-paced. Live marks are brought back to the quiz file's
  points, so a live seat and a self-paced attempt weigh their questions alike and can be
  analysed together.
- **Several quizzes.** Question ids are unique within a quiz only, and a question an
  attempt never saw would count 0 against it. So each quiz is analysed on its own
  attempts; when an export spans several, the questions are named ``quiz/question`` and
  the test-wide figures (mean, sd, CIC) are None: a mean over different tests means
  nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from attract.analysis import ItemStats, TestStats, first_attempts, item_analysis
from attract.workshops.scoreboard import LIVE_POINTS

from .rows import LIVE, AnswerRow

ITEM_HEADERS = ("question", "title", "attempts", "facility", "sd", "discrimination",
                "flags")
OVERALL_HEADERS = ("test", "attempts", "mean", "sd", "cic")


@dataclass(slots=True)
class AttemptMarks:
    learner: str
    quiz: str
    number: int | None              # None for a live seat
    started: datetime | None        # UTC, aware: orders a live seat among attempts
    arrival: int                    # the order rows brought it, the last tie-break
    marks: dict[str, float] = field(default_factory=dict)

    def order(self) -> tuple:
        """Earliest first: by start time when known (a live seat has no attempt number,
        so time is the only thing that places it among a learner's attempts), then by
        attempt number, then by the order the rows came in."""
        return (self.started is None, self.started or datetime.min.replace(tzinfo=UTC),
                self.number if self.number is not None else 0, self.arrival)


def _utc(moment: datetime | None) -> datetime | None:
    # rows are UTC; a naive time is taken as UTC so naive and aware ones compare
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ItemMarks:
    """Each attempt's marks per question, folded from the answer rows as they pass."""

    def __init__(self) -> None:
        self.attempts: dict[tuple[str, int], AttemptMarks] = {}
        # per quiz, each question's max mark in first-seen order (rows come in question
        # order, so this is the quiz's order)
        self.max_marks: dict[str, dict[str, float]] = {}
        self.types: dict[tuple[str, str], str] = {}

    def add(self, row: AnswerRow) -> None:
        scale = LIVE_POINTS if row.source == LIVE else 1
        top = float(row.max_points) / scale
        quiz_max = self.max_marks.setdefault(row.quiz, {})
        quiz_max.setdefault(row.question_id, top)
        self.types.setdefault((row.quiz, row.question_id), row.question_type)
        key = (row.source, row.attempt_id)
        attempt = self.attempts.get(key)
        if attempt is None:
            attempt = self.attempts[key] = AttemptMarks(
                row.learner, row.quiz, row.attempt, _utc(row.started_at), len(self.attempts))
        if attempt.started is None and row.submitted_at is not None:
            # no start time (a live seat may lack one): its first answer stands in
            attempt.started = _utc(row.submitted_at)
        if row.fraction is None or not math.isfinite(row.fraction):
            return  # not graded yet: no mark, and the question counts 0 for it
        attempt.marks[row.question_id] = row.fraction * top

    def passing(self, rows: Iterable[AnswerRow]) -> Iterator[AnswerRow]:
        """The rows unchanged, each counted on its way through."""
        for row in rows:
            self.add(row)
            yield row

    def quizzes(self) -> list[str]:
        return list(self.max_marks)

    def chosen(self, quiz: str, first_only: bool = True) -> list[Mapping[str, float]]:
        """The marks of ``quiz``'s attempts that count: all of them, or each learner's
        first (Moodle's default: a later attempt is coloured by what the first taught)."""
        attempts = [a for a in self.attempts.values() if a.quiz == quiz]
        if not first_only:
            return [a.marks for a in attempts]
        return first_attempts((a.learner, a.order(), a.marks) for a in attempts)

    def stats(self, first_only: bool = True) -> TestStats:
        quizzes = self.quizzes()
        if len(quizzes) == 1:
            quiz = quizzes[0]
            return item_analysis(self.chosen(quiz, first_only), self.max_marks[quiz])
        items: list[ItemStats] = []
        counted = 0
        for quiz in quizzes:
            chosen = self.chosen(quiz, first_only)
            counted += len(chosen)
            for item in item_analysis(chosen, self.max_marks[quiz]).items:
                items.append(ItemStats(f"{quiz}/{item.question_id}", item.attempts,
                                       item.facility, item.sd, item.discrimination,
                                       item.flags))
        return TestStats(counted, None, None, None, tuple(items))


def item_cells(stats: TestStats, titles: Mapping[str, str] | None = None) -> list[tuple]:
    """The Items sheet's rows, in ``ITEM_HEADERS`` order; ``titles`` maps a question id
    (as the stats name it) to its title or prompt."""
    titles = titles or {}
    return [(item.question_id, titles.get(item.question_id), item.attempts, item.facility,
             item.sd, item.discrimination, ", ".join(item.flags) or None)
            for item in stats.items]


def overall_cells(stats: TestStats) -> tuple:
    """The test-wide line under the items, in ``OVERALL_HEADERS`` order. (Not named
    ``test_...``: pytest would collect it from any test module that imports it.)"""
    return ("all questions", stats.attempts, stats.mean, stats.sd, stats.cic)
