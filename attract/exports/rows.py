"""The plain rows every export is written from: one ``AnswerRow`` per answer.

``exports/queries.py`` (the only SQL) yields them, self-paced and live alike; the writers
(CSV, XLSX, JSON, xAPI) turn them into files without touching a database. Each row carries
its attempt's own figures too, so a writer that needs one line per attempt or per learner
(the xAPI ``completed`` statement, the XLSX Summary sheet) gets it from the same stream.

Rows arrive grouped by attempt: all of one attempt's (or one participant's workshop) answers
together, in question order. ``Summary`` folds them into one line per learner as they pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

SELF_PACED = "self-paced"
LIVE = "live"


@dataclass(slots=True)  # not frozen: a frozen init costs a setattr call per field, per row
class AnswerRow:
    # who: a stable id ("user-12" for an account, "participant-34" for a nickname only)
    learner: str
    user_id: int | None
    name: str                      # the account's name, or the nickname in a workshop
    email: str | None              # account holders only
    cohort: str | None             # the cohort's name ("; "-joined when several)
    course: str | None             # course slug
    quiz: str                      # quiz slug
    workshop_id: int | None        # set for live answers
    source: str                    # SELF_PACED | LIVE
    # the attempt (self-paced) or the participant's seat in one workshop (live)
    attempt_id: int                # Attempt.id, or Participant.id for live answers
    attempt: int | None            # the learner's attempt number (None when live)
    question_id: str
    question_type: str
    answer: object                 # as stored: a string, an integer, a list of ids
    fraction: float | None         # 0..1; None when not graded yet
    points: float | None           # self-paced: fraction x points; live: the live points
    max_points: float              # the question's points (x1000 live)
    confidence: str | None         # low | medium | high (confidence workshops)
    seconds: float | None          # time taken to answer (live answers; not recorded
    #                                per question in a self-paced attempt)
    submitted_at: datetime | None  # UTC
    content_version: str           # hash of the quiz file the answer was graded against
    # the attempt's own figures, repeated on each of its rows
    started_at: datetime | None = None
    finished_at: datetime | None = None    # attempt submitted, or workshop ended
    score: float | None = None             # percent; None for a workshop seat
    passed: bool | None = None             # None when there is no pass mark (live)


HEADERS = ("learner", "name", "email", "cohort", "course", "quiz", "workshop", "source",
           "attempt", "question", "type", "answer", "fraction", "points", "max_points",
           "confidence", "seconds", "submitted_at", "content_version")


def answer_cells(row: AnswerRow) -> tuple:
    """One row as the CSV and the XLSX Answers sheet write it, in ``HEADERS`` order.

    The answer is written as text: a list of ids joined by commas, so a spreadsheet shows
    "a,c" rather than a Python list."""
    return (row.learner, row.name, row.email, row.cohort, row.course, row.quiz,
            row.workshop_id, row.source, row.attempt, row.question_id, row.question_type,
            answer_text(row.answer), row.fraction, row.points, row.max_points, row.confidence,
            row.seconds, row.submitted_at, row.content_version)


def csv_cells(row: AnswerRow, safe) -> tuple:
    """``answer_cells`` made ready for the csv module, for ``csv_lines(..., ready=True)``:
    ``safe`` (``writers.spreadsheet_safe``) on every text a person typed or named (name,
    email, cohort, question id, answer) and on the time; the rest is ours (slugs, fixed
    words, ids, numbers) and goes as it is. One call per free-text cell instead of one per
    cell keeps a 100,000-row export inside its three seconds."""
    return (row.learner, safe(row.name), safe(row.email), safe(row.cohort), row.course,
            row.quiz, row.workshop_id, row.source, row.attempt, safe(row.question_id),
            row.question_type, safe(answer_text(row.answer)), row.fraction, row.points,
            row.max_points, row.confidence, row.seconds, safe(row.submitted_at),
            row.content_version)


def answer_text(answer: object) -> str | None:
    if answer is None:
        return None
    if isinstance(answer, list | tuple):
        return ",".join(str(item) for item in answer)
    return str(answer)


SUMMARY_HEADERS = ("learner", "name", "email", "cohort", "attempts", "answers",
                   "mean_fraction", "best_score", "passed", "live_points", "last_activity")


@dataclass(slots=True)
class LearnerLine:
    learner: str
    name: str
    email: str | None
    cohort: str | None
    attempts: set = field(default_factory=set)
    answers: int = 0
    fraction_sum: float = 0.0
    graded: int = 0
    best_score: float | None = None
    passed: bool | None = None
    live_points: float = 0.0
    last_activity: datetime | None = None

    def cells(self) -> tuple:
        mean = self.fraction_sum / self.graded if self.graded else None
        return (self.learner, self.name, self.email, self.cohort, len(self.attempts),
                self.answers, mean, self.best_score, self.passed,
                self.live_points or None, self.last_activity)


class Summary:
    """One line per learner, folded from the answer rows as they stream past."""

    def __init__(self) -> None:
        self.lines: dict[str, LearnerLine] = {}

    def add(self, row: AnswerRow) -> None:
        line = self.lines.get(row.learner)
        if line is None:
            line = self.lines[row.learner] = LearnerLine(
                row.learner, row.name, row.email, row.cohort)
        line.attempts.add((row.source, row.attempt_id))
        line.answers += 1
        if row.fraction is not None:
            line.fraction_sum += row.fraction
            line.graded += 1
        if row.score is not None and (line.best_score is None or row.score > line.best_score):
            line.best_score = row.score
        if row.passed is not None:
            line.passed = bool(line.passed) or row.passed
        if row.source == LIVE and row.points:
            line.live_points += row.points
        moment = row.submitted_at or row.finished_at
        if moment is not None and (line.last_activity is None or moment > line.last_activity):
            line.last_activity = moment

    def passing(self, rows: Iterable[AnswerRow]) -> Iterator[AnswerRow]:
        """The rows unchanged, each counted on its way through."""
        for row in rows:
            self.add(row)
            yield row

    def rows(self) -> list[tuple]:
        return [line.cells() for line in self.lines.values()]
