"""The running app's content library, for views and the CLI."""

from flask import abort, current_app

from .content import Course, Lesson, Library, Quiz


def library() -> Library:
    return current_app.extensions["attract.content"].library


def course_or_404(slug: str) -> Course:
    return _or_404(library().courses, slug, "course", "See the catalog for the courses we have.")


def lesson_or_404(slug: str) -> Lesson:
    return _or_404(library().lessons, slug, "lesson", "Pick one from a course page.")


def quiz_or_404(slug: str) -> Quiz:
    return _or_404(library().quizzes, slug, "quiz", "Pick one from a course page.")


def _or_404(found: dict, slug: str, kind: str, hint: str):
    if slug not in found:
        abort(404, description=f"There is no {kind} called '{slug}'. {hint}")
    return found[slug]
