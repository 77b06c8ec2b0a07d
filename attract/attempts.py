"""Quiz attempts: start or resume, save answers, submit and grade once.

State changes shared by the learner pages, the API and (later) the CLI. The database
enforces the rules that matter under concurrency (see ``models.Attempt``); grading
itself is the pure ``scoring`` module.

Time limits are kept by the server clock. Answers saved up to ``GRACE_SECONDS`` after
the deadline are accepted, to absorb network delay on a last click; later ones are
refused, and an expired attempt is submitted with what was saved the next time the
learner (or the API) touches it.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .content import Quiz
from .database import insert_for
from .exceptions import DomainError, NotFound
from .extensions import db
from .models import Attempt, AttemptAnswer, AttemptStatus, aware, utcnow
from .scoring import (
    AnswerError,
    Grade,
    draw_option_order,
    grade_answer,
    grade_for_course,
    normalise_answer,
    public_question,
    score_quiz,
)

GRACE_SECONDS = 10


class QuizError(DomainError):
    """A request about a quiz attempt that cannot be carried out; ``status`` is its HTTP code."""


def questions_by_id(quiz: Quiz) -> dict[str, Mapping]:
    return {str(q["id"]): q for q in quiz.questions}


def attempt_questions(attempt: Attempt, quiz: Quiz) -> list[Mapping]:
    """The attempt's questions in its order; questions removed from the file since are skipped."""
    by_id = questions_by_id(quiz)
    return [by_id[qid] for qid in attempt.question_order if qid in by_id]


def public_view(attempt: Attempt, question: Mapping) -> dict:
    """A question as this attempt shows it: no key, its options in the attempt's order."""
    return public_question(question, (attempt.option_order or {}).get(str(question["id"])))


def public_questions(attempt: Attempt, quiz: Quiz) -> list[dict]:
    return [public_view(attempt, q) for q in attempt_questions(attempt, quiz)]


def find_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt if it belongs to ``user_id``; None otherwise (callers answer 404)."""
    if not 0 < attempt_id < 2**31:  # beyond any id; SQLite would overflow on it
        return None
    attempt = db.session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def attempt_for(user_id: int, attempt_id: int, quizzes: Mapping[str, Quiz],
                quiz_slug: str | None = None) -> tuple[Attempt, Quiz]:
    """The learner's attempt and its quiz, or ``NotFound``: for someone else's attempt, an
    attempt of another quiz than ``quiz_slug`` (when given), or a quiz since removed."""
    attempt = find_attempt(attempt_id, user_id)
    if attempt is None or quiz_slug not in (None, attempt.quiz_slug):
        raise NotFound(f"You have no attempt {attempt_id}"
                       + (f" at the quiz '{quiz_slug}'." if quiz_slug else "."))
    quiz = quizzes.get(attempt.quiz_slug)
    if quiz is None:
        raise NotFound(f"The quiz '{attempt.quiz_slug}' no longer exists.")
    return attempt, quiz


def user_attempts(user_id: int, quiz_slug: str) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz_slug).order_by(Attempt.number)))


def _in_progress(user_id: int, quiz_slug: str) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz_slug,
        Attempt.status == AttemptStatus.IN_PROGRESS))


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Past the deadline and its grace: no more answers; submit with what was saved."""
    if attempt.deadline is None or attempt.submitted:
        return False
    return (now or utcnow()) > aware(attempt.deadline) + timedelta(seconds=GRACE_SECONDS)


def _delay_ends(quiz: Quiz, last_submitted: datetime | None) -> datetime | None:
    """When the quiz's ``delay_between_attempts_seconds`` lets a learner start again after
    an attempt submitted at ``last_submitted`` (None: no delay, or nothing submitted)."""
    if not quiz.delay_between_attempts_seconds or last_submitted is None:
        return None
    return aware(last_submitted) + timedelta(seconds=quiz.delay_between_attempts_seconds)


def next_attempt_at(user_id: int, quiz: Quiz) -> datetime | None:
    """When this learner may start the quiz again (None: now, as far as delays go)."""
    if not quiz.delay_between_attempts_seconds:
        return None
    return _delay_ends(quiz, db.session.scalar(select(func.max(Attempt.submitted_at)).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz.slug)))


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours" if seconds < 36 * 3600 else \
        f"{round(seconds / 86400)} days"


def start_or_resume(user_id: int, quiz: Quiz, now: datetime | None = None,
                    rng: random.Random | None = None) -> tuple[Attempt, bool]:
    """The learner's attempt in progress, or a new one; ``(attempt, created)``.

    An expired attempt in progress is submitted first. Starting beyond the quiz's
    ``attempts`` limit, or before its delay between attempts has passed, raises
    ``QuizError(409)``. A new attempt draws its own order of questions (when the quiz
    shuffles) and of each choice and rank question's options, and keeps them (``rng``:
    tests pass a seeded one).
    """
    now = now or utcnow()
    current = _in_progress(user_id, quiz.slug)
    if current is not None:
        if not is_expired(current, now):
            return current, False
        submit(current, quiz, now=now)
    used = db.session.scalar(select(func.count(Attempt.id)).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz.slug)) or 0
    if quiz.attempts and used >= quiz.attempts:
        raise QuizError(409, "no_attempts_left",
                        f"You have used all {quiz.attempts} attempts at “{quiz.title}”.")
    opens = next_attempt_at(user_id, quiz)
    if opens is not None and now < opens:
        wait = max(1, int((opens - now).total_seconds() + 0.999))
        raise QuizError(409, "too_soon", f"Your next attempt at “{quiz.title}” opens in "
                        f"{_wait_words(wait)}: time to reread the lessons it draws on.",
                        headers={"Retry-After": str(wait)})
    rng = rng or random.SystemRandom()
    order = [str(q["id"]) for q in quiz.questions]
    if quiz.shuffle:
        rng.shuffle(order)
    options = {str(q["id"]): drawn for q in quiz.questions
               if (drawn := draw_option_order(q, rng)) is not None}
    deadline = now + timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds \
        else None
    attempt = Attempt(user_id=user_id, quiz_slug=quiz.slug, quiz_version=quiz.version,
                      number=used + 1, question_order=order, option_order=options,
                      started_at=now, deadline=deadline)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request (a second tab, a double click) started one at the same moment.
        db.session.rollback()
        current = _in_progress(user_id, quiz.slug)
        if current is None:
            raise QuizError(409, "conflict", "Another start of this quiz was under way; "
                                             "please try again.") from None
        return current, False
    return attempt, True


@functools.lru_cache(maxsize=8)
def _upsert_statement(dialect: str, columns: tuple[str, ...]):
    """INSERT ... ON CONFLICT (attempt, question) DO UPDATE, built once per column set."""
    statement = insert_for(dialect, AttemptAnswer)
    return statement.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={column: statement.excluded[column] for column in columns
              if column not in ("attempt_id", "question_id")})


def _upsert_answers(rows: list[dict]) -> None:
    """Insert or replace answer rows in one statement: the unique index decides."""
    if rows:
        statement = _upsert_statement(db.session.get_bind().dialect.name, tuple(rows[0]))
        db.session.execute(statement, rows)


def _update_in_progress(attempt: Attempt, **values) -> bool:
    """Change the attempt only while it is in progress; True if this request did.

    The row lock it takes orders saves and submits: of any number racing, the first
    wins and the rest see the attempt as it was left.
    """
    result = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id,
                              Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _validated(attempt: Attempt, quiz: Quiz, answers: Mapping[str, object]) -> dict:
    """Answers normalised, keyed by question id; ``QuizError`` 422 naming a bad one."""
    allowed = {str(q["id"]): q for q in attempt_questions(attempt, quiz)}
    normalised = {}
    for question_id, answer in answers.items():
        question = allowed.get(str(question_id))
        if question is None:
            raise QuizError(422, "unknown_question",
                            f"This quiz has no question '{question_id}'.")
        try:
            normalised[question["id"]] = normalise_answer(question, answer)
        except AnswerError as exc:
            raise QuizError(422, "invalid_answer", f"Question '{question_id}': {exc}") from None
    return normalised


def save_answers(attempt: Attempt, quiz: Quiz, answers: Mapping[str, object],
                 now: datetime | None = None) -> dict[str, object]:
    """Validate and store answers; returns them normalised. All or nothing.

    ``QuizError`` 409 when the attempt is submitted or its time is up, 422 for an
    unknown question or a malformed answer (the message names the question).
    """
    now = now or utcnow()
    if attempt.submitted:
        raise QuizError(409, "already_submitted", "This attempt is already submitted.")
    if is_expired(attempt, now):
        raise QuizError(409, "time_up", "Time is up for this attempt; answers can no longer "
                                        "be changed. Submit it to see your result.")
    normalised = _validated(attempt, quiz, answers)
    db.session.commit()  # start the write below in a fresh transaction
    if not _update_in_progress(attempt, updated_at=now):
        db.session.rollback()
        raise QuizError(409, "already_submitted", "This attempt is already submitted.")
    _upsert_answers([{"attempt_id": attempt.id, "question_id": question_id,
                      "answer": answer, "saved_at": now}
                     for question_id, answer in normalised.items()])
    db.session.commit()
    return normalised


def saved_answers(attempt: Attempt) -> dict[str, object]:
    return {row.question_id: row.answer for row in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}


@dataclass(frozen=True)
class Submission:
    attempt: Attempt
    graded_now: bool    # False when an earlier (or racing) submit had already graded it
    late: bool          # answers sent with it arrived after the time limit and were ignored


def submit(attempt: Attempt, quiz: Quiz, answers: Mapping[str, object] | None = None,
           now: datetime | None = None) -> Submission:
    """Grade the attempt exactly once, with any last ``answers`` merged into the saved ones.

    The conditional UPDATE lets one request, among any number racing, move the attempt
    to ``submitted``, store the last answers and grade, all in one transaction; the
    others find it submitted and return the stored result, ignoring their answers.
    Submitting twice changes nothing. Answers that arrive after the time limit (and its
    grace) are ignored and the attempt is graded with what was saved (``late``).
    """
    now = now or utcnow()
    late = False
    last: dict[str, object] = {}
    if answers and not attempt.submitted:
        if is_expired(attempt, now):
            late = True
        else:
            last = _validated(attempt, quiz, answers)
    db.session.commit()
    won = _update_in_progress(attempt, status=AttemptStatus.SUBMITTED.value,
                              submitted_at=now, updated_at=now)
    if not won:
        db.session.rollback()
        db.session.refresh(attempt)
        return Submission(attempt, graded_now=False, late=late)
    saved = {**saved_answers(attempt), **last}
    graded, rows = [], []
    for question in attempt_questions(attempt, quiz):
        qid = str(question["id"])
        grade = _grade_stored(question, saved.get(qid))
        points = float(question["points"])
        graded.append((points, grade))
        rows.append({"attempt_id": attempt.id, "question_id": qid, "answer": saved.get(qid),
                     "saved_at": now, "fraction": grade.fraction,
                     "points": grade.points(points), "feedback": grade.feedback,
                     "pending": grade.pending})
    _upsert_answers(rows)
    result = score_quiz(graded, quiz.pass_mark)
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(
        earned=result.earned, possible=result.possible, score=result.score,
        passed=result.passed, pending=result.pending)
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(attempt)
    return Submission(attempt, graded_now=True, late=late)


def _grade_stored(question: Mapping, answer: object) -> Grade:
    """Grade a stored answer; one saved under an older version of the question is none."""
    try:
        return grade_answer(question, answer)
    except AnswerError:
        return grade_answer(question, None)


def answers_by_question(attempt: Attempt) -> dict[str, AttemptAnswer]:
    return {row.question_id: row for row in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}


def regrade_pending(attempt: Attempt, quiz: Quiz) -> bool:
    """Grade answers stored as pending (rewrites submitted before the coach could grade
    them) and recompute the attempt's score. Idempotent; True when something changed."""
    if not attempt.submitted or not attempt.pending:
        return False
    rows = answers_by_question(attempt)
    graded = []
    for question in attempt_questions(attempt, quiz):
        row = rows.get(str(question["id"]))
        points = float(question["points"])
        if row is None or not row.pending:
            grade = Grade(row.fraction if row else 0.0, row.feedback if row else "")
        else:
            grade = _grade_stored(question, row.answer)
            row.fraction, row.points = grade.fraction, grade.points(points)
            row.feedback, row.pending = grade.feedback, grade.pending
        graded.append((points, grade))
    result = score_quiz(graded, quiz.pass_mark)
    attempt.earned, attempt.possible, attempt.score = result.earned, result.possible, result.score
    attempt.passed, attempt.pending = result.passed, result.pending
    db.session.commit()
    return True


def settle(attempt: Attempt, quiz: Quiz, now: datetime | None = None) -> bool:
    """Bring an attempt up to date before showing it: submit it with what was saved if its
    time is up, and grade answers left pending. True when this call submitted it."""
    expired = is_expired(attempt, now)
    if expired:
        submit(attempt, quiz, now=now)
    regrade_pending(attempt, quiz)
    return expired


def regrade_all_pending(quizzes: Mapping[str, Quiz]) -> int:
    """Regrade every submitted attempt with pending answers; returns how many changed."""
    changed = 0
    for attempt in db.session.scalars(select(Attempt).where(Attempt.pending > 0)).all():
        quiz = quizzes.get(attempt.quiz_slug)
        if quiz is not None and regrade_pending(attempt, quiz):
            changed += 1
    return changed


@dataclass(frozen=True)
class Standing:
    """Where a learner stands with a quiz: what the course page and start page show."""

    submitted: list[Attempt]
    in_progress: Attempt | None
    grade: float | None
    passed: bool
    attempts_left: int | None  # None: unlimited
    next_attempt_at: datetime | None = None  # the quiz's delay between attempts runs out

    def can_start(self, now: datetime | None = None) -> bool:
        """A new attempt may start now (an attempt in progress is resumed instead)."""
        return self.in_progress is None and self.attempts_left != 0 and (
            self.next_attempt_at is None or (now or utcnow()) >= self.next_attempt_at)


def standing(user_id: int, quiz: Quiz) -> Standing:
    attempts = user_attempts(user_id, quiz.slug)
    submitted = [a for a in attempts if a.submitted]
    in_progress = next((a for a in attempts if not a.submitted), None)
    grade = grade_for_course(quiz.grading, [a.score for a in submitted if a.score is not None])
    left = None if not quiz.attempts else max(0, quiz.attempts - len(attempts))
    last = max((aware(a.submitted_at) for a in submitted if a.submitted_at), default=None)
    return Standing(submitted, in_progress, grade,
                    grade is not None and grade >= quiz.pass_mark, left,
                    _delay_ends(quiz, last))


def passed_quizzes(user_id: int, quizzes: Mapping[str, Quiz]) -> set[str]:
    """Slugs of the quizzes this learner has passed, by each quiz's grading (one query)."""
    scores: dict[str, list[float]] = {}
    for slug, score in db.session.execute(
            select(Attempt.quiz_slug, Attempt.score).where(
                Attempt.user_id == user_id, Attempt.status == AttemptStatus.SUBMITTED,
                Attempt.score.is_not(None)).order_by(Attempt.number)):
        scores.setdefault(slug, []).append(score)
    return {slug for slug, quiz in quizzes.items()
            if (grade := grade_for_course(quiz.grading, scores.get(slug, []))) is not None
            and grade >= quiz.pass_mark}
