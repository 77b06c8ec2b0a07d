"""Workshop tables. The database enforces what must never happen twice:

- a join code is unique among rooms that have not ended (a partial unique index);
- a nickname is unique in a room ignoring case (``nickname_key`` is its casefold);
- a participant answers each step once (``UNIQUE(participant_id, step_index)``);
- ``status`` and the phase of the current step are known values, tied to timestamps.

``version`` goes up by one on every change anyone can see (a join, an answer, a control
action, a removal): the state's ETag and the event stream's ids are that number.
"""

from __future__ import annotations

import enum
from datetime import datetime

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
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow
from .state import Phase, Status


class Scoring(enum.StrEnum):
    SPEED = "speed"          # DESIGN.md's live-quiz rule: faster right answers earn more
    ACCURACY = "accuracy"    # flat points, no clock pressure
    CONFIDENCE = "confidence"  # certainty-based marking (Gardner-Medwin)


def _known(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint(_known("status", Status), name="status_known"),
        CheckConstraint(_known("phase", Phase), name="phase_known"),
        CheckConstraint(_known("scoring", Scoring), name="scoring_known"),
        CheckConstraint("status != 'lobby' OR step_index IS NULL", name="lobby_has_no_step"),
        CheckConstraint("status != 'running' OR step_index IS NOT NULL",
                        name="running_has_a_step"),
        CheckConstraint("status != 'ended' OR ended_at IS NOT NULL", name="ended_has_time"),
        CheckConstraint("phase != 'open' OR opened_at IS NOT NULL", name="open_has_time"),
        Index("uq_workshops_live_code", "code", unique=True,
              sqlite_where=text("status != 'ended'"),
              postgresql_where=text("status != 'ended'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    title: Mapped[str] = mapped_column(String(200))
    # run for a cohort: its members' live answers then count in the cohort's record
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    course_slug: Mapped[str | None] = mapped_column(String(100))
    quiz_slug: Mapped[str | None] = mapped_column(String(100))
    scoring: Mapped[str] = mapped_column(String(20), default=Scoring.SPEED.value)
    time_limit: Mapped[int | None] = mapped_column(Integer)  # seconds per question
    # The room's steps, frozen at creation so a content edit cannot reshuffle a live room:
    # [{"kind": "slide", "lesson", "slide", "title"} | {"kind": "question", "quiz",
    #   "question", "title"}, ...] with "included": false for the steps a trainer unticked.
    steps: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=Status.LOBBY.value)
    step_index: Mapped[int | None] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(10), default=Phase.NONE.value)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    board: Mapped[bool] = mapped_column(Boolean, default=False)  # leaderboard on screen
    picked_answer_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def played_steps(self) -> list[dict]:
        """The steps the room goes through, in order (the unticked ones left out)."""
        return [step for step in self.steps if step.get("included", True)]


class Participant(db.Model):
    """Someone in the room: a nickname and a bearer token (only its SHA-256 is kept);
    ``user_id`` when a signed-in learner joined, so live answers follow their account."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("workshop_id", "nickname_key"),
        UniqueConstraint("workshop_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    nickname: Mapped[str] = mapped_column(String(24))
    nickname_key: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LiveAnswer(db.Model):
    """One participant's answer to one step, graded and scored on arrival by the server."""

    __tablename__ = "live_answers"
    __table_args__ = (
        UniqueConstraint("participant_id", "step_index"),
        CheckConstraint("confidence IS NULL OR confidence IN ('low', 'medium', 'high')",
                        name="confidence_known"),
        Index("ix_live_answers_workshop_step", "workshop_id", "step_index"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"))
    step_index: Mapped[int] = mapped_column(Integer)
    quiz_slug: Mapped[str] = mapped_column(String(100))
    question_id: Mapped[str] = mapped_column(String(64))
    quiz_version: Mapped[str] = mapped_column(String(16))  # the quiz file it was graded on
    answer: Mapped[object] = mapped_column(JSON, nullable=True)
    confidence: Mapped[str | None] = mapped_column(String(6))
    fraction: Mapped[float] = mapped_column(Float)
    points: Mapped[int] = mapped_column(Integer)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)  # the coach's score, for rewrites
    feedback: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
