"""What a submitted attempt's result shows: every answer's state, its points and the
score always; the keys, the explanations and each answer's feedback when the quiz's
``review.answers`` says they are due.

- ``immediately``: on submitting.
- ``after_pass`` (the default): once the learner has passed the quiz, or has used every
  attempt, and has none in progress. A key read on a failed attempt would otherwise be
  typed into the next one, and the certificate would prove only that.
- ``never``: not on the result at all (the trainer reviews the quiz in the room).

Feedback is held back with the keys because it can name them ("the key is 4"). A
rewrite's coach feedback is the exception: it reveals no key, and the coach page gives
the same reading to anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .attempts import Standing, answers_by_question, attempt_questions, public_view
from .content import Quiz
from .models import Attempt
from .scoring import NO_ANSWER, answer_key

WHEN = {"immediately": "now", "never": "never on this site",
        "after_pass": "once you pass this quiz or have used every attempt"}
_NEUTRAL = {"right": "Right.", "partial": "Partly right.", "wrong": "Not right.",
            "empty": NO_ANSWER.feedback, "pending": "Awaiting the message coach."}


def answers_due(quiz: Quiz, standing: Standing) -> bool:
    """Whether this learner's results may show keys and explanations now."""
    if quiz.review_answers == "immediately":
        return True
    if quiz.review_answers == "never":
        return False
    return standing.in_progress is None and (standing.passed or standing.attempts_left == 0)


@dataclass(frozen=True)
class ReviewItem:
    """One question of a submitted attempt as its result shows it."""

    question: Mapping
    public: dict           # as the attempt showed it: no key, its own option order
    answer: object
    fraction: float | None
    points: float
    pending: bool
    feedback: str
    key: object = None                # both set only when due (``answers_due``)
    explanation: str | None = None

    @property
    def possible(self) -> float:
        return self.question["points"]

    @property
    def lesson(self) -> str | None:
        return self.question.get("lesson")

    @property
    def state(self) -> str:
        """``pending``, ``empty`` (no answer), ``right``, ``partial`` or ``wrong``."""
        if self.pending:
            return "pending"
        if self.answer is None:
            return "empty"
        if self.fraction == 1:
            return "right"
        return "partial" if self.fraction and self.fraction > 0 else "wrong"


def review(attempt: Attempt, quiz: Quiz, shown: bool) -> list[ReviewItem]:
    """The result of a submitted attempt, question by question in the attempt's order;
    keys, explanations and feedback only when ``shown`` (``answers_due``)."""
    rows = answers_by_question(attempt)
    items = []
    for question in attempt_questions(attempt, quiz):
        row = rows.get(str(question["id"]))
        item = ReviewItem(
            question=question, public=public_view(attempt, question),
            answer=row.answer if row else None, fraction=row.fraction if row else 0.0,
            points=row.points if row else 0.0, pending=bool(row and row.pending),
            feedback=row.feedback if row else "")
        if shown:
            item = replace(item, key=answer_key(question), explanation=question["explanation"])
        elif question["type"] != "rewrite":
            item = replace(item, feedback=_NEUTRAL[item.state])
        items.append(item)
    return items
