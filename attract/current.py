"""The running app's content library, for views and the CLI."""

from flask import abort, current_app

from .content import Course, Lesson, Library, Quiz


def library() -> Library:
    return current_app.extensions["attract.content"].library


def course_or_404(slug: str) -> Course:
    course = library().courses.get(slug)
    if course is None:
        abort(404, description=f"There is no course called '{slug}'. See the catalog for "
                               "the courses we have.")
    return course


def lesson_or_404(slug: str) -> Lesson:
    lesson = library().lessons.get(slug)
    if lesson is None:
        abort(404, description=f"There is no lesson called '{slug}'. Pick one from a "
                               "course page.")
    return lesson


def quiz_or_404(slug: str) -> Quiz:
    quiz = library().quizzes.get(slug)
    if quiz is None:
        abort(404, description=f"There is no quiz called '{slug}'.")
    return quiz
