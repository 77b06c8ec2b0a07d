"""A learner's progress: the lessons read (``reading``) and the quizzes passed (``attempts``),
combined by the pure ``content.progress`` into what every page and the API show."""

from __future__ import annotations

from .attempts import passed_quizzes
from .content import Course, Library
from .content.progress import CourseProgress, course_progress
from .reading import read_lessons


def finished(user_id: int | None, library: Library) -> tuple[set[str], set[str]]:
    """(lessons read, quizzes passed) of a learner; both empty for a visitor (None)."""
    if user_id is None:
        return set(), set()
    return read_lessons(user_id), passed_quizzes(user_id, library.quizzes)


def learner_progress(user_id: int | None, course: Course, library: Library) -> CourseProgress:
    return course_progress(course, *finished(user_id, library))
