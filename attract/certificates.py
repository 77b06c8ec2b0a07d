"""Course certificates: issued once a course is complete, verifiable by anyone with the link."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .attempts import standing
from .content import Course, Library
from .exceptions import DomainError
from .extensions import db
from .models import Certificate, User, iso
from .progress import learner_progress

_CERTIFICATE_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")  # the token_urlsafe alphabet


class NotComplete(DomainError):
    """The course is not complete yet; the message says what is left."""

    status = 409
    code = "not_complete"


def course_score(evidence: list[dict]) -> float | None:
    """The mean of the learner's quiz grades in the course (each by its quiz's grading)."""
    grades = [row["grade"] for row in evidence if row["grade"] is not None]
    return round(sum(grades) / len(grades), 1) if grades else None


def _counted(grading: str, attempts: list) -> list:
    """The submitted attempts a grade rests on: the best one (the first to reach it), the
    latest one, or all of them for an average."""
    scored = [a for a in attempts if a.score is not None]
    if not scored:
        return []
    if grading == "best":
        return [max(scored, key=lambda a: (a.score, -a.number))]
    if grading == "latest":
        return [scored[-1]]
    return scored


def evidence(course: Course, library: Library, user_id: int) -> list[dict]:
    """What a certificate rests on, quiz by quiz: the attempts that count and the grade."""
    rows = []
    for item in course.items:
        if item.kind != "quiz":
            continue
        quiz = library.quizzes[item.slug]
        mine = standing(user_id, quiz)
        rows.append({
            "quiz": quiz.slug, "title": quiz.title, "grading": quiz.grading,
            "grade": mine.grade, "pass_mark": quiz.pass_mark,
            "attempts": [{"number": a.number, "score": a.score, "submitted_at": iso(a.submitted_at)}
                         for a in _counted(quiz.grading, mine.submitted)]})
    return rows


def find_certificate(user_id: int, course_slug: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.course_slug == course_slug))


def issue(user: User, course: Course, library: Library) -> Certificate:
    """The learner's certificate for ``course``, issued now if needed (idempotent)."""
    existing = find_certificate(user.id, course.slug)
    if existing is not None:
        return existing
    progress = learner_progress(user.id, course, library)
    if not progress.complete:
        left = progress.total - progress.done
        steps = f"{left} step{'s' if left != 1 else ''}"
        raise NotComplete(message=f"{steps} of “{course.title}” still to do: read every "
                                  "lesson and pass every quiz.")
    rests_on = evidence(course, library, user.id)
    certificate = Certificate(id=secrets.token_urlsafe(16), user_id=user.id,
                              course_slug=course.slug, course_title=course.title,
                              name=user.name, score=course_score(rests_on), evidence=rests_on)
    db.session.add(certificate)
    try:
        db.session.commit()
    except IntegrityError:  # issued by a racing request a moment ago
        db.session.rollback()
        return find_certificate(user.id, course.slug)
    return certificate


def get_certificate(certificate_id: str) -> Certificate | None:
    if not _CERTIFICATE_ID.fullmatch(certificate_id or ""):
        return None
    return db.session.get(Certificate, certificate_id)
