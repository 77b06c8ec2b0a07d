"""The running app's content library, and looking a slug up in it, for views and the CLI.

A slug that names nothing raises ``NotFound``, which the edge answers as a 404 page or
a JSON 404 (``errors.py``), so the portal and the API share one lookup.
"""

from flask import current_app, has_request_context, request, url_for

from .content import Course, Lesson, Library, Quiz
from .exceptions import NotFound


def library() -> Library:
    return current_app.extensions["attract.content"].library


def course_or_404(slug: str) -> Course:
    return _or_404(library().courses, slug, "course", "The catalog lists every course.")


def lesson_or_404(slug: str) -> Lesson:
    return _or_404(library().lessons, slug, "lesson", "Each course lists its lessons.")


def quiz_or_404(slug: str) -> Quiz:
    return _or_404(library().quizzes, slug, "quiz", "Each course lists its quizzes.")


def _or_404(found: dict, slug: str, kind: str, hint: str):
    if slug not in found:
        raise NotFound(f"There is no {kind} called '{slug}'. {hint}")
    return found[slug]


def external_url(endpoint: str, **values) -> str:
    """An absolute address for ``endpoint`` on ``site_url()``: with ``SITE_URL`` set, never
    the Host header a client sent (a certificate's verify link, an invite, a join URL)."""
    return site_url() + url_for(endpoint, **values)


def site_url() -> str:
    """The site's public address, without a trailing slash: ``SITE_URL`` when set, else
    the address this request came to, else (the CLI) a local default."""
    configured = current_app.config.get("SITE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost:8000"
