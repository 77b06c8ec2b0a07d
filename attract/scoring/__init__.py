"""Pure scoring: grade an answer, a quiz attempt and a workshop answer.

Imports neither Flask nor SQLAlchemy. DESIGN.md's "Question types" table is the
contract; each type lives in ``types/<name>.py`` and is reached through
``QUESTION_TYPES`` (``registry.py``).
"""

from .base import NO_ANSWER, AnswerError, Grade
from .quiz import GRADING_POLICIES, QuizScore, grade_for_course, score_quiz, workshop_points
from .registry import (
    QUESTION_TYPES,
    answer_from_form,
    answer_key,
    check_question,
    get_type,
    grade_answer,
    normalise_answer,
    public_question,
)

__all__ = [
    "GRADING_POLICIES", "NO_ANSWER", "QUESTION_TYPES", "AnswerError", "Grade", "QuizScore",
    "answer_from_form", "answer_key", "check_question", "get_type", "grade_answer",
    "grade_for_course", "normalise_answer", "public_question", "score_quiz",
    "workshop_points",
]
