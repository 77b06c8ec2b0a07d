"""Reading progress: which lessons a learner has marked as read."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import LessonRead


def read_lessons(user_id: int) -> set[str]:
    return set(db.session.scalars(
        select(LessonRead.lesson_slug).where(LessonRead.user_id == user_id)))


def is_read(user_id: int, slug: str) -> bool:
    return db.session.scalar(select(LessonRead.id).where(
        LessonRead.user_id == user_id, LessonRead.lesson_slug == slug)) is not None


def mark_read(user_id: int, slug: str) -> None:
    """Idempotent: marking twice, or from two tabs at once, keeps one row (unique index)."""
    db.session.add(LessonRead(user_id=user_id, lesson_slug=slug))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def mark_unread(user_id: int, slug: str) -> None:
    db.session.execute(delete(LessonRead).where(
        LessonRead.user_id == user_id, LessonRead.lesson_slug == slug))
    db.session.commit()
