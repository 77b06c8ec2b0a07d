"""Pure scoring: grade an answer, a quiz attempt and a workshop answer.

Imports neither Flask nor SQLAlchemy. Each question type lives in ``types/<name>.py``
as a ``QuestionType`` (``base.py``: its fields, checks, normalising and grading) and is
reached through ``QUESTION_TYPES`` (``registry.py``); the README's "Authoring content"
table lists the types' fields and how each is graded.
"""

from .base import COMMON_FIELDS, NO_ANSWER, AnswerError, Grade, QuestionType
from .quiz import GRADING_POLICIES, QuizScore, grade_for_course, score_quiz, workshop_points
from .registry import (
    QUESTION_TYPES,
    answer_from_form,
    answer_key,
    check_question,
    draw_option_order,
    get_type,
    grade_answer,
    normalise_answer,
    public_question,
)

__all__ = [
    "COMMON_FIELDS", "GRADING_POLICIES", "NO_ANSWER", "QUESTION_TYPES", "AnswerError", "Grade",
    "QuestionType", "QuizScore", "answer_from_form", "answer_key", "check_question",
    "draw_option_order", "get_type",
    "grade_answer", "grade_for_course", "normalise_answer", "public_question", "score_quiz",
    "workshop_points",
]
