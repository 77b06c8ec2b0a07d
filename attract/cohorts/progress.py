"""Every member's progress in a cohort, in five queries whatever the cohort's size.

Completion, certificates and lessons read are all-time; the date range and the quiz
filter narrow only the attempts behind the score columns ("best score between these
dates"), so a trainer can see who did the work in a given week without losing sight
of who has finished the course.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, distinct, func, select

from ..content import Library
from ..content.progress import course_progress
from ..extensions import db
from ..models import Attempt, AttemptStatus, Certificate, LessonRead, User, aware
from ..scoring.quiz import grade_for_course
from ..workshops.models import LiveAnswer, Participant, Workshop
from .models import Cohort, CohortMember


@dataclass
class MemberProgress:
    user_id: int
    name: str
    email: str
    joined_at: datetime
    lessons_read: int = 0
    percent: int = 0
    complete: bool = False
    best: dict[str, float] = field(default_factory=dict)       # in the date range
    attempts: dict[str, int] = field(default_factory=dict)     # in the date range
    passed: set[str] = field(default_factory=set)              # all time, by grading
    certificate_at: datetime | None = None
    workshops: int = 0
    live_points: int = 0
    last_activity: datetime | None = None

    def as_json(self, quizzes: list[str]) -> dict:
        return {"user_id": self.user_id, "name": self.name, "email": self.email,
                "joined_at": _iso(self.joined_at), "lessons_read": self.lessons_read,
                "progress_percent": self.percent, "complete": self.complete,
                "quizzes": {slug: {"best_score": self.best.get(slug),
                                   "attempts": self.attempts.get(slug, 0),
                                   "passed": slug in self.passed} for slug in quizzes},
                "certificate_issued_at": _iso(self.certificate_at),
                "workshops": self.workshops, "live_points": self.live_points,
                "last_activity": _iso(self.last_activity)}


def _iso(moment: datetime | None) -> str | None:
    return aware(moment).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    a, b = aware(a), aware(b)
    return max(a, b) if a and b else a or b


def members_progress(cohort: Cohort, library: Library, *, since: datetime | None = None,
                     until: datetime | None = None) -> list[MemberProgress]:
    course = library.courses.get(cohort.course_slug)
    lessons = set(course.lesson_slugs()) if course else set()
    quizzes = [i.slug for i in course.items if i.kind == "quiz"] if course else []
    member_ids = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)

    rows = {user_id: MemberProgress(user_id, name, email, joined)
            for user_id, name, email, joined in db.session.execute(
                select(User.id, User.name, User.email, CohortMember.joined_at)
                .join(CohortMember, CohortMember.user_id == User.id)
                .where(CohortMember.cohort_id == cohort.id).order_by(User.name))}
    if not rows:
        return []

    read: dict[int, set[str]] = {}
    for user_id, slug, moment in db.session.execute(
            select(LessonRead.user_id, LessonRead.lesson_slug, LessonRead.read_at)
            .where(LessonRead.user_id.in_(member_ids), LessonRead.lesson_slug.in_(lessons))):
        read.setdefault(user_id, set()).add(slug)
        rows[user_id].last_activity = _later(rows[user_id].last_activity, moment)

    scores: dict[tuple[int, str], list[float]] = {}
    for user_id, slug, score, moment in db.session.execute(
            select(Attempt.user_id, Attempt.quiz_slug, Attempt.score, Attempt.submitted_at)
            .where(Attempt.user_id.in_(member_ids), Attempt.quiz_slug.in_(quizzes),
                   Attempt.status == AttemptStatus.SUBMITTED, Attempt.score.is_not(None))
            .order_by(Attempt.number)):
        member = rows[user_id]
        scores.setdefault((user_id, slug), []).append(score)
        member.last_activity = _later(member.last_activity, moment)
        moment = aware(moment)
        if (since is None or moment >= since) and (until is None or moment < until):
            member.attempts[slug] = member.attempts.get(slug, 0) + 1
            member.best[slug] = max(member.best.get(slug, score), score)

    for user_id, issued in db.session.execute(
            select(Certificate.user_id, Certificate.issued_at)
            .where(Certificate.user_id.in_(member_ids),
                   Certificate.course_slug == cohort.course_slug)):
        rows[user_id].certificate_at = issued

    for user_id, workshops, points, moment in db.session.execute(
            select(Participant.user_id, func.count(distinct(Participant.workshop_id)),
                   func.coalesce(func.sum(LiveAnswer.points), 0), func.max(LiveAnswer.answered_at))
            .join(Workshop, Workshop.id == Participant.workshop_id)
            .outerjoin(LiveAnswer, LiveAnswer.participant_id == Participant.id)
            .where(Workshop.cohort_id == cohort.id, Participant.user_id.in_(member_ids),
                   Participant.removed_at.is_(None))
            .group_by(Participant.user_id)):
        member = rows[user_id]
        member.workshops, member.live_points = workshops, int(points)
        member.last_activity = _later(member.last_activity, moment)

    for member in rows.values():
        member.passed = {
            slug for slug in quizzes if slug in library.quizzes
            and (grade := grade_for_course(library.quizzes[slug].grading,
                                           scores.get((member.user_id, slug), []))) is not None
            and grade >= library.quizzes[slug].pass_mark}
        member.lessons_read = len(read.get(member.user_id, ()))
        if course:
            progress = course_progress(course, read.get(member.user_id, set()), member.passed)
            member.percent, member.complete = progress.percent, progress.complete
    return list(rows.values())


SORT_KEYS = ("name", "email", "joined", "lessons", "progress", "certificate", "workshops",
             "live", "activity")


def sort_rows(rows: list[MemberProgress], key: str, descending: bool) -> list[MemberProgress]:
    """Rows in the order a column header asked for; learners without a value go last
    whichever way the column runs (a blank is not "smallest")."""
    def value(member: MemberProgress):
        if key.startswith("quiz:"):
            return member.best.get(key[5:])
        return {"name": member.name.casefold(), "email": member.email,
                "joined": aware(member.joined_at), "lessons": member.lessons_read,
                "progress": member.percent, "certificate": aware(member.certificate_at),
                "workshops": member.workshops, "live": member.live_points,
                "activity": aware(member.last_activity)}.get(key, member.name.casefold())

    present = [m for m in rows if value(m) is not None]
    missing = [m for m in rows if value(m) is None]
    present.sort(key=lambda m: (value(m), m.name.casefold()), reverse=descending)
    return present + missing


@dataclass
class LiveRecord:
    workshop_id: int
    title: str
    when: datetime | None
    answers: int
    right: int
    points: int


@dataclass
class Membership:
    cohort: Cohort
    trainer: str
    workshops: list[LiveRecord] = field(default_factory=list)


def learner_record(user_id: int, course_slug: str) -> list[Membership]:
    """A learner's cohorts on a course, each with the workshops run for it that they
    played: their live answers beside their own progress on the course page (two
    queries)."""
    memberships = {cohort.id: Membership(cohort, trainer) for cohort, trainer in
                   db.session.execute(
                       select(Cohort, User.name)
                       .join(CohortMember, CohortMember.cohort_id == Cohort.id)
                       .join(User, User.id == Cohort.owner_id)
                       .where(CohortMember.user_id == user_id,
                              Cohort.course_slug == course_slug).order_by(Cohort.name))}
    if not memberships:
        return []
    for cohort_id, workshop_id, title, when, answers, right, points in db.session.execute(
            select(Workshop.cohort_id, Workshop.id, Workshop.title,
                   func.coalesce(Workshop.started_at, Workshop.created_at),
                   func.count(LiveAnswer.id),
                   func.coalesce(func.sum(case((LiveAnswer.fraction >= 0.999, 1), else_=0)), 0),
                   func.coalesce(func.sum(LiveAnswer.points), 0))
            .join(Participant, Participant.workshop_id == Workshop.id)
            .outerjoin(LiveAnswer, LiveAnswer.participant_id == Participant.id)
            .where(Workshop.cohort_id.in_(list(memberships)), Participant.user_id == user_id,
                   Participant.removed_at.is_(None))
            .group_by(Workshop.cohort_id, Workshop.id, Workshop.title, Workshop.started_at,
                      Workshop.created_at)
            .order_by(Workshop.id)):
        memberships[cohort_id].workshops.append(
            LiveRecord(workshop_id, title, aware(when), answers, int(right), int(points)))
    return list(memberships.values())
