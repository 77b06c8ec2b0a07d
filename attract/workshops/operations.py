"""Finding, making and driving rooms; shared by the pages, the JSON API and the CLI.

Every change to a room (here, in ``joining`` and in ``answering``) is one short
transaction that ends with ``bump``: ``workshops.version`` goes up, so the state's ETag
and every event stream see it. Control actions are conditional UPDATEs (``WHERE`` the
room still stands where the plan was made): of two screens racing, one wins and the
other is told the room moved on.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Subquery, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..cohorts import operations as cohort_operations
from ..content import Library, Quiz
from ..exceptions import DomainError, NotFound
from ..extensions import db
from ..models import Role, User, utcnow
from ..numbers import small_int
from ..scoring.registry import draw_option_order
from .models import LiveAnswer, Participant, Scoring, Workshop
from .state import Action, Refused, Status, first_phase, plan

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L look-alikes
CODE_LENGTH = 6
DEFAULT_TIME_LIMIT = 30
TIME_LIMIT_RANGE = (5, 600)


class WorkshopError(DomainError):
    status = 422
    code = "invalid_workshop"


# --- looking rooms up -------------------------------------------------------------------

def normal_code(raw: object) -> str | None:
    """A typed code in canonical form (spaces, dashes and case forgiven), or None."""
    if not isinstance(raw, str):
        return None
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def by_code(raw: object) -> Workshop:
    """The room a code names: the live one, else the latest that ended; 404 otherwise."""
    code = normal_code(raw)
    found = None
    if code is not None:
        found = db.session.scalars(
            select(Workshop).where(Workshop.code == code)
            .order_by((Workshop.status == Status.ENDED.value).asc(), Workshop.id.desc())
            .limit(1)).first()
    if found is None:
        raise NotFound("No workshop has that code. Check the code on the big screen "
                       "(6 letters and digits).")
    return found


def owned(workshop_id: int, user: User) -> Workshop:
    """The trainer's own room (an admin may run any); 404 for anyone else's, so that
    room ids cannot be probed."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or (workshop.owner_id != user.id and user.role != Role.ADMIN):
        if workshop is not None:
            audit.event("access.refused", user=user.id, workshop=workshop_id)
        raise NotFound("No workshop of yours has that id.")
    return workshop


def player_counts() -> Subquery:
    """Per room, its players not removed: columns ``workshop_id`` and ``n`` (rooms with
    none have no row; outer-join it and ``coalesce`` ``n`` to 0)."""
    return (select(Participant.workshop_id, func.count().label("n"))
            .where(Participant.removed_at.is_(None))
            .group_by(Participant.workshop_id).subquery())


# --- creating a room --------------------------------------------------------------------

def build_steps(library: Library, *, course: str | None = None,
                quiz: str | None = None) -> list[dict]:
    """A course's lesson slides and quiz questions in course order, or one quiz's questions."""
    if (course is None) == (quiz is None):
        raise WorkshopError(message="Choose one course or one quiz to run.")
    if quiz is not None:
        if quiz not in library.quizzes:
            raise WorkshopError(code="unknown_quiz", message=f"There is no quiz {quiz!r}.")
        items = [("quiz", quiz)]
    else:
        if course not in library.courses:
            raise WorkshopError(code="unknown_course",
                                message=f"There is no course {course!r}.")
        items = [(item.kind, item.slug) for item in library.courses[course].items]
    steps = []
    for kind, slug in items:
        if kind == "lesson":
            lesson = library.lessons[slug]
            steps += [{"kind": "slide", "lesson": slug, "slide": slide.index,
                       "title": slide.title, "included": True} for slide in lesson.slides]
        else:
            steps += [{"kind": "question", "quiz": slug, "question": str(q["id"]),
                       "title": q["prompt"], "included": True}
                      for q in library.quizzes[slug].questions]
    return steps


def time_limit_for(scoring: str, time_limit: object) -> int | None:
    """The per-question clock: 30 s unless set; none in accuracy mode unless set."""
    if time_limit in (None, ""):
        return None if scoring == Scoring.ACCURACY else DEFAULT_TIME_LIMIT
    low, high = TIME_LIMIT_RANGE
    if isinstance(time_limit, bool) or not isinstance(time_limit, int) \
            or not low <= time_limit <= high:
        raise WorkshopError(code="invalid_time_limit", field="time_limit",
                            message=f"The time limit is a whole number of seconds from "
                                    f"{low} to {high}.")
    return time_limit


def create(owner: User, library: Library, *, course: str | None = None,
           quiz: str | None = None, scoring: str = "speed", time_limit: object = None,
           title: str | None = None, cohort: object = None,
           now: datetime | None = None) -> Workshop:
    if owner.role not in (Role.TRAINER, Role.ADMIN):
        raise DomainError(403, "forbidden", "Only trainers can run workshops.")
    cohort_id = _cohort_for(owner, cohort)
    if scoring not in {s.value for s in Scoring}:
        raise WorkshopError(code="invalid_scoring", field="scoring",
                            message="Scoring is one of: speed, accuracy, confidence.")
    steps = build_steps(library, course=course, quiz=quiz)
    limit = time_limit_for(scoring, time_limit)
    source = library.courses[course] if course else library.quizzes[quiz]
    title = " ".join((title or "").split())[:200] or source.title
    for _ in range(10):  # 31^6 codes: a clash among live rooms is rare; retry if one comes
        workshop = Workshop(code="".join(secrets.choice(CODE_ALPHABET)
                                         for _ in range(CODE_LENGTH)),
                            owner_id=owner.id, title=title, course_slug=course,
                            quiz_slug=quiz, scoring=scoring, time_limit=limit, steps=steps,
                            cohort_id=cohort_id, created_at=now or utcnow())
        db.session.add(workshop)
        try:
            db.session.commit()
            return workshop
        except IntegrityError:
            db.session.rollback()
    raise DomainError(503, "busy", "Could not find a free join code; try again.")


def _cohort_for(owner: User, cohort: object) -> int | None:
    """The id of the cohort a room is run for: one of the owner's (an admin's: any)."""
    if cohort is None or cohort == "":
        return None
    if isinstance(cohort, bool) or not isinstance(cohort, int):
        raise WorkshopError(code="unknown_cohort", field="cohort",
                            message="The cohort is given by its id, a number.")
    try:
        return cohort_operations.owned(cohort, owner).id
    except NotFound:
        raise WorkshopError(code="unknown_cohort", field="cohort",
                            message="There is no such cohort among yours.") from None


def save_steps(workshop: Workshop, included: Collection[int]) -> Workshop:
    """Tick and untick steps; only in the lobby, before anyone has seen a step."""
    steps = [{**step, "included": index in included}
             for index, step in enumerate(workshop.steps)]
    if not any(step["included"] for step in steps):
        raise WorkshopError(code="no_steps", message="Keep at least one step ticked.")
    done = db.session.execute(
        update(Workshop).where(Workshop.id == workshop.id,
                               Workshop.status == Status.LOBBY.value)
        .values(steps=steps, version=Workshop.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not done:
        raise Refused("Steps can only change in the lobby, before the workshop starts.")
    db.session.refresh(workshop)
    return workshop


def bump(workshop_id: int) -> None:
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id)
                       .values(version=Workshop.version + 1)
                       .execution_options(synchronize_session=False))


# --- running the room -------------------------------------------------------------------

class RoomMoved(Refused):
    """The guarded UPDATE found the room changed since it was read."""


# Actions whose intent survives a concurrent change on the same step: a reveal pressed
# just as the projector closed the question (everyone had answered) still means
# "reveal". Not "next", "start" or "end" (moving twice is the race the guard stops),
# nor the leaderboard and picks, which toggle or choose.
_RETRY_ON_THE_SAME_STEP = frozenset({"reveal", "close", "open", "lock", "unlock"})


def control(workshop: Workshop, action: object, *, answer_id: object = None,
            from_step: object = None, now: datetime | None = None) -> Workshop:
    """Apply a trainer's action; ``Refused`` (409) if it does not fit or the room moved.

    ``from_step`` is the step the trainer's screen showed when they pressed: a "next"
    pressed on the projector and on the phone remote at once moves the room one step,
    not two. An action in ``_RETRY_ON_THE_SAME_STEP`` that lost a race to another change
    of the same step is planned again once, against the room as it now is.
    """
    step = workshop.step_index
    try:
        return _control(workshop, action, answer_id=answer_id, from_step=from_step, now=now)
    except RoomMoved:
        if str(action) not in _RETRY_ON_THE_SAME_STEP or workshop.step_index != step:
            raise
        return _control(workshop, action, answer_id=answer_id, from_step=from_step, now=now)


def _control(workshop: Workshop, action: object, *, answer_id: object = None,
             from_step: object = None, now: datetime | None = None) -> Workshop:
    now = now or utcnow()
    if from_step is not None and from_step != workshop.step_index:
        raise Refused("The room moved on meanwhile (another screen drove it); "
                      "here is where it stands now.")
    steps = workshop.played_steps
    index = workshop.step_index
    following = 0 if index is None else index + 1
    next_kind = steps[following]["kind"] if following < len(steps) else None
    move = plan(workshop.status, workshop.phase, str(action), next_kind=next_kind,
                steps=len(steps))
    values: dict = {"status": move.status.value, "phase": move.phase.value,
                    "version": Workshop.version + 1}
    if move.advance:
        values.update(step_index=following, phase=first_phase(next_kind).value,
                      opened_at=None, deadline=None, board=False, picked_answer_id=None)
        if workshop.status == Status.LOBBY:
            values["started_at"] = now
    if move.opens:
        values["opened_at"] = now
        values["deadline"] = (now + timedelta(seconds=workshop.time_limit)
                              if workshop.time_limit else None)
    if move.status is Status.ENDED:
        values.update(ended_at=now, board=False)
        if workshop.status == Status.LOBBY:
            values["step_index"] = None
    action = Action(action)
    if action in (Action.LOCK, Action.UNLOCK):
        values["locked"] = action is Action.LOCK
    elif action is Action.LEADERBOARD:
        values["board"] = not workshop.board
    elif action is Action.PICK:
        values["picked_answer_id"] = _pickable(workshop, answer_id)
    guard = [Workshop.id == workshop.id, Workshop.status == workshop.status,
             Workshop.phase == workshop.phase, Workshop.board == workshop.board,
             Workshop.step_index.is_(None) if index is None else Workshop.step_index == index]
    done = db.session.execute(update(Workshop).where(*guard).values(**values)
                              .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    db.session.refresh(workshop)
    if not done:
        raise RoomMoved("The room moved on meanwhile (another screen drove it); "
                        "here is where it stands now.")
    return workshop


def step_field(body: Mapping) -> int | None:
    """The optional ``step`` of a control request (JSON or form): the step index the
    pressing screen showed."""
    value = body.get("step")
    if value in (None, ""):
        return None
    if isinstance(value, str) and small_int(value, 5) is not None:
        return small_int(value, 5)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise WorkshopError(code="invalid_field", field="step",
                        message="The field 'step' is the index of a step.")


def _pickable(workshop: Workshop, answer_id: object) -> int | None:
    """A rewrite of the current step to show on the big screen; None takes it off."""
    if answer_id in (None, "", 0):
        return None
    step = current_step(workshop)
    try:
        answer_id = int(answer_id)
    except (TypeError, ValueError):
        raise WorkshopError(code="invalid_answer_id", message="Pick a rewrite by its id.") \
            from None
    found = db.session.get(LiveAnswer, answer_id)
    if (step is None or found is None or found.workshop_id != workshop.id
            or found.step_index != workshop.step_index or found.score is None):
        raise WorkshopError(code="invalid_answer_id",
                            message="That is not a rewrite to the current question.")
    return answer_id


def current_step(workshop: Workshop) -> dict | None:
    if workshop.status != Status.RUNNING or workshop.step_index is None:
        return None
    steps = workshop.played_steps
    return steps[workshop.step_index] if workshop.step_index < len(steps) else None


def question_at(library: Library, step: Mapping) -> tuple[Quiz | None, Mapping | None]:
    """A question step's quiz and question in the content as it stands (None if gone)."""
    quiz = library.quizzes.get(step.get("quiz"))
    question = next((q for q in (quiz.questions if quiz else ())
                     if str(q["id"]) == step.get("question")), None)
    return quiz, question


def live_option_order(workshop: Workshop, question: Mapping) -> list[str] | None:
    """One option order per room and question, the same on every phone and the screen,
    derived (not stored) from the room's id, so no process has to remember it."""
    rng = random.Random(f"{workshop.id}:{workshop.code}:{question['id']}")  # noqa: S311
    return draw_option_order(question, rng)


