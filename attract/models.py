"""SQLAlchemy models. Uniqueness lives in the database, not only in Python."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(enum.StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(role.value) for role in Role)})",
                        name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER.value)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # set when the owner of the address opened the sign-up link; until then no sign-in
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)

    # The sign-in this request came with ("<id>.<secret>", see accounts.start_sign_in):
    # what Flask-Login keeps in the session and the remember-me cookie, so that either
    # stops working the moment its row is deleted (sign-out, sign out everywhere).
    sign_in_key = None  # str, set per request; not a column

    def get_id(self) -> str:
        if not self.sign_in_key:
            raise RuntimeError("start_sign_in() before login_user(): the session holds a "
                               "sign-in, never a bare user id")
        return self.sign_in_key

    @property
    def is_trainer(self) -> bool:
        return self.role in (Role.TRAINER, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="tokens")


class SignIn(db.Model):
    """One browser's sign-in: the session and the remember-me cookie carry its id and a
    secret whose SHA-256 only is stored. Deleting the row signs that browser out, copied
    cookies included; the secret changes each time the remember-me cookie is used."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()


class PasswordReset(db.Model):
    """A password-reset link: only the SHA-256 of its token is stored; used once."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignUpLink(db.Model):
    """The link that confirms a new account's address: SHA-256 only, used once."""

    __tablename__ = "sign_up_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LessonRead(db.Model):
    """A learner marked a lesson as read (keyed by slug: content lives in files)."""

    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("user_id", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_slug: Mapped[str] = mapped_column(String(100))
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LessonOpen(db.Model):
    """A learner opened a lesson (a signed-in page view or an API fetch): only an opened
    lesson can be marked read, so "read" means at least "was put in front of them"."""

    __tablename__ = "lesson_opens"
    __table_args__ = (UniqueConstraint("user_id", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_slug: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def iso(moment: datetime | None) -> str | None:
    """A stored moment as the API and the certificates write it: UTC, to the second."""
    return aware(moment).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Attempt(db.Model):
    """One learner's try at a quiz. The database keeps the rules:

    - ``number`` is unique per learner and quiz, so racing starts cannot exceed a limit;
    - at most one attempt per learner and quiz is in progress (a partial unique index);
    - submitting is a conditional UPDATE (in ``attempts.submit``), so it grades once.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_slug", "number"),
        CheckConstraint("status IN ('in_progress', 'submitted')", name="status_known"),
        Index("uq_attempts_one_in_progress", "user_id", "quiz_slug", unique=True,
              sqlite_where=text("status = 'in_progress'"),
              postgresql_where=text("status = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quiz_slug: Mapped[str] = mapped_column(String(100))
    quiz_version: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS.value)
    question_order: Mapped[list] = mapped_column(JSON)
    # {question id: [option ids]}: the order this attempt shows choice and rank options in
    option_order: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    earned: Mapped[float | None] = mapped_column(Float)
    possible: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    pending: Mapped[int] = mapped_column(Integer, default=0)

    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def submitted(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED


class AttemptAnswer(db.Model):
    """A saved answer (normalised), and once submitted its grade."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[object] = mapped_column(JSON, nullable=True)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    fraction: Mapped[float | None] = mapped_column(Float)
    points: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str | None] = mapped_column(Text)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class Certificate(db.Model):
    """Proof that a learner completed a course; public at /certificates/<id>.

    The id is random (not a counter), so certificates cannot be enumerated; the name
    and score are copied at issue, as a printed certificate would be.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_slug"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(100))
    course_title: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(100))
    score: Mapped[float | None] = mapped_column(Float)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The quiz attempts the certificate rests on, copied at issue:
    # [{quiz, title, grading, grade, attempts: [{number, score, submitted_at}]}]
    evidence: Mapped[list | None] = mapped_column(JSON, nullable=True)


class RateLimit(db.Model):
    """Requests per client per fixed window, counted in the database so that every worker
    and host shares the count (no state in a worker's memory)."""

    __tablename__ = "rate_limits"
    __table_args__ = (UniqueConstraint("key", "window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    window: Mapped[int] = mapped_column(Integer)  # epoch seconds // window length
    count: Mapped[int] = mapped_column(Integer, default=0)
