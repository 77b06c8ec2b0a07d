"""The only SQL behind the trainers' exports and analysis: answer rows, streamed.

Who sees what is decided here, once, for every page, API call, download and CLI run:

- a trainer sees the self-paced work of the learners in their own cohorts, on the quizzes
  of each cohort's course (a learner's work on other courses is not the trainer's
  business), and every answer given in their own workshops;
- in a workshop, a participant is shown by name, email and account id only when they are
  one of the viewer's cohort members; anyone else is their nickname and a seat number, as
  the room saw them;
- an admin sees everything, and everyone by name.

Rows stream from the database (``yield_per``), grouped by attempt or seat and in question
order, as ``exports.rows`` promises. This module imports SQLAlchemy and so is not part of
the pure core; ``exports/__init__`` does not import it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Select,
    String,
    Text,
    and_,
    cast,
    distinct,
    false,
    func,
    or_,
    select,
    type_coerce,
)

from ..cohorts.models import Cohort, CohortMember
from ..content import Library
from ..extensions import db
from ..models import Attempt, AttemptAnswer, AttemptStatus, Role, User
from ..workshops.models import LiveAnswer, Participant, Workshop
from ..workshops.scoreboard import LIVE_POINTS
from .rows import LIVE, SELF_PACED, AnswerRow

BATCH = 2000


@dataclass(frozen=True)
class Scope:
    """What an export or an analysis covers: one of a quiz (optionally narrowed to a
    cohort), a workshop, or a cohort (its self-paced work and the workshops run for it)."""

    viewer: User
    quiz: str | None = None
    workshop: Workshop | None = None
    cohort: Cohort | None = None
    learners: frozenset[int] | None = None   # narrows self-paced work to these accounts

    @property
    def kind(self) -> str:
        if self.workshop is not None:
            return "workshop"
        if self.quiz is not None:
            return "quiz"
        return "cohort" if self.cohort is not None else "all"

    def describe(self, library: Library) -> dict:
        if self.kind == "all":
            return {"kind": "all", "id": None, "title": "Everything you can see"}
        if self.workshop is not None:
            return {"kind": "workshop", "id": self.workshop.id, "title": self.workshop.title}
        if self.quiz is not None:
            quiz = library.quizzes.get(self.quiz)
            scope = {"kind": "quiz", "id": self.quiz, "title": quiz.title if quiz else self.quiz}
            if self.cohort is not None:
                scope["cohort"] = {"id": self.cohort.id, "name": self.cohort.name}
            return scope
        return {"kind": "cohort", "id": self.cohort.id, "title": self.cohort.name}

    @property
    def is_admin(self) -> bool:
        return self.viewer.role == Role.ADMIN


def _viewer_cohorts(scope: Scope) -> Select:
    query = select(Cohort.id, Cohort.name, Cohort.course_slug)
    if scope.cohort is not None:
        return query.where(Cohort.id == scope.cohort.id)
    if not scope.is_admin:
        query = query.where(Cohort.owner_id == scope.viewer.id)
    return query


def cohort_names(scope: Scope) -> dict[int, str]:
    """Each visible learner's cohorts (of this viewer), by name: the rows' cohort column."""
    cohorts = _viewer_cohorts(scope).subquery()
    names: dict[int, list[str]] = {}
    for user_id, name in db.session.execute(
            select(CohortMember.user_id, cohorts.c.name)
            .join(cohorts, cohorts.c.id == CohortMember.cohort_id)
            .order_by(cohorts.c.name)):
        names.setdefault(user_id, []).append(name)
    return {user_id: "; ".join(dict.fromkeys(found)) for user_id, found in names.items()}


def _stream(query):
    """Rows straight from the driver, ``BATCH`` at a time: a Core execution, since the ORM's
    per-row loading costs more than the export's own work on plain columns."""
    result = db.session.connection().execution_options(yield_per=BATCH).execute(query)
    for partition in result.partitions():  # fetchmany per batch, not a call per row
        yield from partition


def _course_of(library: Library, quiz_slug: str) -> str | None:
    courses = library.courses_with("quiz", quiz_slug)
    return courses[0].slug if courses else None


def attempt_conditions(scope: Scope, library: Library) -> list:
    """WHERE clauses on ``Attempt`` for the attempts ``scope`` lets its viewer see."""
    conditions = [Attempt.status == AttemptStatus.SUBMITTED]
    if scope.learners is not None:
        conditions.append(Attempt.user_id.in_(sorted(scope.learners)))
    if scope.quiz is not None:
        conditions.append(Attempt.quiz_slug == scope.quiz)
    if scope.cohort is not None:
        course = library.courses.get(scope.cohort.course_slug)
        quizzes = [i.slug for i in course.items if i.kind == "quiz"] if course else []
        conditions.extend((
            Attempt.quiz_slug.in_(quizzes),
            Attempt.user_id.in_(select(CohortMember.user_id)
                                .where(CohortMember.cohort_id == scope.cohort.id))))
    elif not scope.is_admin and scope.quiz is not None:
        # a learner's attempts on this quiz, when they share a cohort on a course holding it
        courses_with_quiz = [c.slug for c in library.courses_with("quiz", scope.quiz)]
        conditions.append(Attempt.user_id.in_(
            select(CohortMember.user_id).join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(Cohort.owner_id == scope.viewer.id,
                   Cohort.course_slug.in_(courses_with_quiz))))
    elif not scope.is_admin:
        # everything: each attempt on a quiz of a course the learner shares a cohort on
        by_course = [and_(Cohort.course_slug == slug,
                          Attempt.quiz_slug.in_([i.slug for i in c.items if i.kind == "quiz"]))
                     for slug, c in library.courses.items()]
        conditions.append(
            select(CohortMember.id).join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(CohortMember.user_id == Attempt.user_id,
                   Cohort.owner_id == scope.viewer.id, or_(false(), *by_course)).exists())
    return conditions


def _moment(value) -> datetime | None:
    """A stored time, read raw (``type_coerce(..., String)``): SQLite hands back its text,
    which ``fromisoformat`` reads far faster than the ORM's parser; PostgreSQL's driver
    hands back a datetime already."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Answers:
    """Stored answers as JSON text, decoded once per distinct short text: a room's answers
    are mostly the same few values ("attraction", "b", ["s2", "s4"]); rewrites, long and
    each different, are decoded every time and never kept."""

    def __init__(self) -> None:
        self.seen: dict[str, object] = {}

    def __call__(self, raw: str | None) -> object:
        if raw is None:
            return None
        if raw in self.seen:
            return self.seen[raw]
        value = json.loads(raw)
        if len(raw) <= 200 and len(self.seen) < 10_000:
            self.seen[raw] = value
        return value


def _raw(column):
    return type_coerce(column, String)


def self_paced_rows(scope: Scope, library: Library,
                    names: Mapping[int, str]) -> Iterator[AnswerRow]:
    """Answers of submitted attempts the viewer may see, one attempt after another."""
    if scope.workshop is not None:
        return
    query = (select(AttemptAnswer.question_id, cast(AttemptAnswer.answer, Text),
                    AttemptAnswer.fraction, AttemptAnswer.points, _raw(AttemptAnswer.saved_at),
                    Attempt.id, Attempt.number, Attempt.quiz_slug, Attempt.quiz_version,
                    _raw(Attempt.started_at), _raw(Attempt.submitted_at), Attempt.score,
                    Attempt.passed, User.id, User.name, User.email)
             .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
             .join(User, User.id == Attempt.user_id)
             .order_by(Attempt.id, AttemptAnswer.id))
    query = query.where(*attempt_conditions(scope, library))
    questions = library.question_map()
    decode = _Answers()
    courses: dict[str, str | None] = {}
    current = None
    for (question_id, answer, fraction, points, saved_at, attempt_id, number, quiz_slug,
         version, started_at, submitted_at, score, passed, user_id, name, email) in \
            _stream(query):
        if attempt_id != current:  # what every row of one attempt shares, worked out once
            current = attempt_id
            started, finished = _moment(started_at), _moment(submitted_at)
            if quiz_slug not in courses:
                courses[quiz_slug] = (scope.cohort.course_slug if scope.cohort
                                      else _course_of(library, quiz_slug))
            learner, cohort = f"user-{user_id}", names.get(user_id)
        question = questions.get((quiz_slug, question_id), {})
        yield AnswerRow(
            learner=learner, user_id=user_id, name=name, email=email,
            cohort=cohort, course=courses[quiz_slug], quiz=quiz_slug,
            workshop_id=None, source=SELF_PACED, attempt_id=attempt_id, attempt=number,
            question_id=question_id, question_type=question.get("type", "unknown"),
            answer=decode(answer), fraction=fraction, points=points,
            max_points=float(question.get("points", 0)), confidence=None, seconds=None,
            submitted_at=finished or _moment(saved_at), content_version=version,
            started_at=started, finished_at=finished, score=score, passed=passed)


def live_conditions(scope: Scope) -> list:
    """WHERE clauses on ``Workshop`` for the rooms ``scope`` lets its viewer see."""
    conditions = []
    if scope.workshop is not None:
        conditions.append(Workshop.id == scope.workshop.id)
    elif scope.cohort is not None:
        conditions.append(Workshop.cohort_id == scope.cohort.id)
    if not scope.is_admin:
        conditions.append(Workshop.owner_id == scope.viewer.id)
    return conditions


def live_rows(scope: Scope, library: Library,
              names: Mapping[int, str]) -> Iterator[AnswerRow]:
    """Answers given in the viewer's workshops, one seat after another."""
    if scope.quiz is not None and scope.workshop is None:
        return
    query = (select(LiveAnswer.question_id, cast(LiveAnswer.answer, Text),
                    LiveAnswer.fraction, LiveAnswer.points, LiveAnswer.confidence,
                    LiveAnswer.elapsed_ms, _raw(LiveAnswer.answered_at), LiveAnswer.quiz_slug,
                    LiveAnswer.quiz_version, Participant.id, Participant.nickname,
                    Participant.user_id, Workshop.id, Workshop.course_slug,
                    _raw(Workshop.started_at), _raw(Workshop.ended_at), User.name, User.email)
             .join(Participant, Participant.id == LiveAnswer.participant_id)
             .join(Workshop, Workshop.id == LiveAnswer.workshop_id)
             .outerjoin(User, User.id == Participant.user_id)
             .order_by(Workshop.id, Participant.id, LiveAnswer.step_index))
    query = query.where(*live_conditions(scope))
    questions = library.question_map()
    decode = _Answers()
    for (question_id, answer, fraction, points, confidence, elapsed_ms, answered_at,
         quiz_slug, version, seat, nickname, user_id, workshop_id, course, started_at,
         ended_at, name, email) in _stream(query):
        known = user_id is not None and (scope.is_admin or user_id in names)
        question = questions.get((quiz_slug, question_id), {})
        yield AnswerRow(
            learner=f"user-{user_id}" if known else f"participant-{seat}",
            user_id=user_id if known else None, name=name if known else nickname,
            email=email if known else None, cohort=names.get(user_id) if known else None,
            course=course or _course_of(library, quiz_slug), quiz=quiz_slug,
            workshop_id=workshop_id, source=LIVE, attempt_id=seat, attempt=None,
            question_id=question_id, question_type=question.get("type", "unknown"),
            answer=decode(answer), fraction=fraction, points=points,
            max_points=float(question.get("points", 0)) * LIVE_POINTS,
            confidence=confidence, seconds=elapsed_ms / 1000,
            submitted_at=_moment(answered_at), content_version=version,
            started_at=_moment(started_at), finished_at=_moment(ended_at))


def answer_rows(scope: Scope, library: Library) -> Iterator[AnswerRow]:
    """Every row ``scope`` covers: self-paced attempts first, then live seats."""
    names = cohort_names(scope)
    yield from self_paced_rows(scope, library, names)
    yield from live_rows(scope, library, names)


def quiz_counts(scope: Scope, library: Library) -> dict[str, tuple[int, int]]:
    """Per quiz: (submitted attempts, learners) the viewer can see; one query."""
    return {slug: (attempts, learners) for slug, attempts, learners in db.session.execute(
        select(Attempt.quiz_slug, func.count(), func.count(distinct(Attempt.user_id)))
        .where(*attempt_conditions(scope, library)).group_by(Attempt.quiz_slug))}


def row_count(scope: Scope, library: Library) -> int:
    """How many rows ``answer_rows`` will yield (for a progress bar); two counts."""
    total = 0
    if scope.workshop is None:
        total += db.session.scalar(
            select(func.count()).select_from(AttemptAnswer)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .where(*attempt_conditions(scope, library)))
    if scope.quiz is None or scope.workshop is not None:
        total += db.session.scalar(
            select(func.count()).select_from(LiveAnswer)
            .join(Workshop, Workshop.id == LiveAnswer.workshop_id)
            .where(*live_conditions(scope)))
    return total
