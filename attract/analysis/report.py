"""What a trainer's analysis page shows, folded from the answer rows in one pass (pure).

- per question: the item statistics, how the answers spread over the options, and how
  many answers fell short of full credit;
- the questions most learners got wrong, worst first, with their explanations;
- for confidence-scored workshops, a calibration table: at each confidence level, the
  share of answers that were right (a well-calibrated room is right more often when
  it says it is sure);
- ``change``: where the same learners answered the same questions on their own before a
  workshop and again after it, the facility before and after, on those learners only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ..exports.items import ItemMarks
from ..exports.rows import AnswerRow
from ..workshops.scoreboard import CONFIDENCE_LEVELS, correct, distribution
from .items import ItemStats, TestStats

MOST_MISSED = 5


@dataclass
class QuestionReport:
    quiz: str
    question_id: str
    question: Mapping              # the question as in the quiz file ({} if it is gone)
    stats: ItemStats | None
    counts: dict[str, int]         # label -> answers (see scoreboard.distribution)
    answers: int = 0
    wrong: int = 0                 # answers short of full credit

    @property
    def share_wrong(self) -> float | None:
        return self.wrong / self.answers if self.answers else None


@dataclass
class Report:
    test: TestStats
    questions: list[QuestionReport]
    calibration: list[tuple[str, int, float | None]] | None = None
    learners: int = 0
    answers: int = 0

    @property
    def most_missed(self) -> list[QuestionReport]:
        missed = [q for q in self.questions if q.wrong and q.share_wrong is not None]
        missed.sort(key=lambda q: (-q.share_wrong, -q.wrong))
        return missed[:MOST_MISSED]


def _credit_band(fraction: float) -> int:
    """A rewrite's credit as a 0-100 "score", so rewrites fall in the coach's bands."""
    return min(100, max(0, round(fraction * 100)))


def build(rows: Iterable[AnswerRow], questions: Mapping[tuple[str, str], Mapping], *,
          first_only: bool = True, confidence: bool = False) -> Report:
    """The report over ``rows``; ``questions`` maps (quiz, question id) to the question."""
    marks = ItemMarks()
    answers: dict[tuple[str, str], list] = defaultdict(list)
    bands: dict[tuple[str, str], list] = defaultdict(list)
    wrong: dict[tuple[str, str], int] = defaultdict(int)
    levels = {level: [0, 0] for level in CONFIDENCE_LEVELS}
    learners: set[str] = set()
    total = 0
    for row in marks.passing(rows):
        key = (row.quiz, row.question_id)
        total += 1
        learners.add(row.learner)
        answers[key].append(row.answer)
        if row.fraction is not None:
            bands[key].append(_credit_band(row.fraction) if row.question_type == "rewrite"
                              else None)
            if not correct(row.fraction):
                wrong[key] += 1
            if confidence and row.confidence in levels:
                levels[row.confidence][0] += 1
                levels[row.confidence][1] += correct(row.fraction)
    test = marks.stats(first_only=first_only)
    by_id = {item.question_id: item for item in test.items}
    reports = []
    for key, given in answers.items():
        question = questions.get(key, {})
        counts = (distribution(question, given, bands[key]) if question.get("type")
                  else {})
        reports.append(QuestionReport(key[0], key[1], question, by_id.get(key[1]), counts,
                                      answers=len(given), wrong=wrong[key]))
    order = {key: index for index, key in enumerate(questions)}
    reports.sort(key=lambda r: order.get((r.quiz, r.question_id), len(order)))
    calibration = ([(level, n, right / n if n else None)
                    for level, (n, right) in levels.items()] if confidence else None)
    return Report(test, reports, calibration, learners=len(learners), answers=total)


# --- before and after a workshop --------------------------------------------------------

@dataclass
class Change:
    question_id: str
    before: float | None           # facility of the paired learners' answers before
    after: float | None            # ... and after (or, failing that, in the workshop)
    learners: int = 0              # learners with both
    live: float | None = None      # facility of the same learners' live answers


@dataclass
class _Side:
    fractions: dict[tuple[int, str], list[float]] = field(default_factory=dict)

    def add(self, user_id: int, question_id: str, fraction: float) -> None:
        self.fractions.setdefault((user_id, question_id), []).append(fraction)


def change(self_paced: Iterable[AnswerRow], live: Iterable[AnswerRow], *,
           started_at: datetime | None, ended_at: datetime | None) -> list[Change]:
    """Per question, on the learners (accounts) who answered it both before the workshop
    on their own and after it: the mean credit before and after. Where nobody has
    answered after yet, "after" is the same learners' answers in the workshop."""
    before, after, during = _Side(), _Side(), _Side()
    for row in self_paced:
        if row.user_id is None or row.fraction is None or row.submitted_at is None:
            continue
        if started_at is not None and row.submitted_at < started_at:
            before.add(row.user_id, row.question_id, row.fraction)
        elif ended_at is not None and row.submitted_at > ended_at:
            after.add(row.user_id, row.question_id, row.fraction)
    for row in live:
        if row.user_id is not None and row.fraction is not None:
            during.add(row.user_id, row.question_id, row.fraction)
    later = after if after.fractions else during
    per_question: dict[str, list[tuple[float, float, float | None]]] = defaultdict(list)
    for key, earlier in before.fractions.items():
        if key not in later.fractions:
            continue
        in_room = during.fractions.get(key)
        # each learner's last try before and first try after stand for them
        per_question[key[1]].append((earlier[-1], later.fractions[key][0],
                                     in_room[0] if in_room else None))
    changes = []
    for question_id, pairs in per_question.items():
        live_values = [p[2] for p in pairs if p[2] is not None]
        changes.append(Change(
            question_id, sum(p[0] for p in pairs) / len(pairs),
            sum(p[1] for p in pairs) / len(pairs), len(pairs),
            sum(live_values) / len(live_values) if live_values else None))
    return changes
