"""Reading progress: which lessons a learner has opened, and which marked as read.

A lesson can be marked read only once opened: by a signed-in view of its page, or by an
API fetch with a token. A blind ``PUT /api/lessons/<slug>/read`` for a lesson never put
in front of the learner is refused, so "every lesson read" on a certificate means at
least that every lesson was opened.
"""

from __future__ import annotations

import functools

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .database import insert_for
from .exceptions import DomainError
from .extensions import db
from .models import LessonOpen, LessonRead


class NotOpened(DomainError):
    status = 409
    code = "not_opened"


@functools.lru_cache(maxsize=2)
def _open_statement(dialect: str):
    return insert_for(dialect, LessonOpen).on_conflict_do_nothing(
        index_elements=["user_id", "lesson_slug"])


def record_open(user_id: int, slug: str) -> None:
    """Note that the learner opened the lesson; the first time counts (idempotent)."""
    db.session.execute(_open_statement(db.session.get_bind().dialect.name),
                       {"user_id": user_id, "lesson_slug": slug})
    db.session.commit()


def is_opened(user_id: int, slug: str) -> bool:
    return db.session.scalar(select(LessonOpen.id).where(
        LessonOpen.user_id == user_id, LessonOpen.lesson_slug == slug)) is not None


def read_lessons(user_id: int) -> set[str]:
    return set(db.session.scalars(
        select(LessonRead.lesson_slug).where(LessonRead.user_id == user_id)))


def is_read(user_id: int, slug: str) -> bool:
    return db.session.scalar(select(LessonRead.id).where(
        LessonRead.user_id == user_id, LessonRead.lesson_slug == slug)) is not None


def mark_read(user_id: int, slug: str) -> None:
    """Idempotent: marking twice, or from two tabs at once, keeps one row (unique index).

    ``NotOpened`` (409) for a lesson this learner has not opened.
    """
    if is_read(user_id, slug):
        return
    if not is_opened(user_id, slug):
        raise NotOpened(message="Open the lesson before marking it read: GET "
                                f"/api/lessons/{slug} with your token, or read its page.")
    db.session.add(LessonRead(user_id=user_id, lesson_slug=slug))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def mark_unread(user_id: int, slug: str) -> None:
    db.session.execute(delete(LessonRead).where(
        LessonRead.user_id == user_id, LessonRead.lesson_slug == slug))
    db.session.commit()
