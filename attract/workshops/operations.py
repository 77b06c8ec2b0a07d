"""Every change to a live room, shared by the pages, the JSON API and the CLI.

Each change is one short transaction that ends by bumping ``workshops.version``, so the
state's ETag and every event stream see it. Control actions are conditional UPDATEs
(``WHERE`` the room still stands where the plan was made): of two screens racing, one
wins and the other is told the room moved on. Answers rely on
``UNIQUE(participant_id, step_index)``: the second of two racing answers gets 409.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..coach import CoachInputError, analyse
from ..content import Library
from ..exceptions import DomainError, NotFound
from ..extensions import db
from ..models import Role, User, aware, utcnow
from ..ratelimit import RateLimited, hit
from ..scoring import AnswerError
from ..scoring.registry import get_type, normalise_answer
from . import nicknames, scoreboard
from .models import LiveAnswer, Participant, Scoring, Workshop
from .state import Action, Phase, Refused, Status, first_phase, plan

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L look-alikes
CODE_LENGTH = 6
# Answers that left the phone before the deadline may arrive a little after it.
GRACE = timedelta(seconds=1.5)
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
        raise NotFound("No workshop of yours has that id.")
    return workshop


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def participant_for_token(workshop: Workshop, token: str | None) -> Participant | None:
    """The room's participant holding ``token``; None if removed, unknown or elsewhere."""
    if not token:
        return None
    found = db.session.scalars(select(Participant).where(
        Participant.token_hash == _hash(token))).first()
    if found is None or found.workshop_id != workshop.id or found.removed_at is not None:
        return None
    return found


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
           title: str | None = None, now: datetime | None = None) -> Workshop:
    if owner.role not in (Role.TRAINER, Role.ADMIN):
        raise DomainError(403, "forbidden", "Only trainers can run workshops.")
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
                            created_at=now or utcnow())
        db.session.add(workshop)
        try:
            db.session.commit()
            return workshop
        except IntegrityError:
            db.session.rollback()
    raise DomainError(503, "busy", "Could not find a free join code; try again.")


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


# --- joining ----------------------------------------------------------------------------

def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, _hash(token)


def _throttle(workshop: Workshop, address: str | None) -> None:
    config = current_app.config
    for key, limit in ((f"join:w{workshop.id}", config["JOIN_RATE_PER_CODE"]),
                       (f"join:ip:{address or '-'}", config["JOIN_RATE_PER_ADDRESS"])):
        wait = hit(key, limit, 60)
        if wait is not None:
            raise RateLimited(message=f"Too many people are joining at once; try again in "
                                      f"{wait} seconds.", headers={"Retry-After": str(wait)})


def _bump(workshop_id: int) -> None:
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id)
                       .values(version=Workshop.version + 1)
                       .execution_options(synchronize_session=False))


def join(workshop: Workshop, raw_nickname: object, *, user_id: int | None = None,
         address: str | None = None, now: datetime | None = None
         ) -> tuple[Participant, str]:
    """A new participant and their token (shown once; only its hash is kept).

    A signed-in learner who is already in the room comes back as the same participant
    with a fresh token (a new phone, a cleared browser), whatever nickname they type.
    """
    if workshop.status == Status.ENDED:
        raise DomainError(410, "ended", "This workshop has ended.")
    if user_id is not None:
        existing = db.session.scalars(select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.user_id == user_id)).first()
        if existing is not None:
            return resume(workshop, existing)
    if workshop.locked:
        raise DomainError(423, "locked", "The trainer has locked this workshop; no one new "
                                         "can join.")
    wanted = raw_nickname.strip() if isinstance(raw_nickname, str) else raw_nickname
    nickname = nicknames.clean(wanted) if wanted not in (None, "") else None
    _throttle(workshop, address)
    for _ in range(10):
        name = nickname or nicknames.generated()
        token, token_hash = _new_token()
        participant = Participant(workshop_id=workshop.id, nickname=name,
                                  nickname_key=nicknames.key(name), token_hash=token_hash,
                                  user_id=user_id, joined_at=now or utcnow())
        db.session.add(participant)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            if nickname is not None:
                raise DomainError(409, "nickname_taken",
                                  f"Someone in this room is already called {nickname}; "
                                  "pick another nickname.", field="nickname") from None
            continue
        _bump(workshop.id)
        db.session.commit()
        return participant, token
    raise DomainError(503, "busy", "Could not make up a free nickname; type one.")


def resume(workshop: Workshop, participant: Participant) -> tuple[Participant, str]:
    """A fresh token for a signed-in learner's own participant (the old one stops)."""
    if participant.removed_at is not None:
        raise DomainError(403, "removed", "The trainer removed you from this workshop.")
    token, token_hash = _new_token()
    db.session.execute(update(Participant).where(Participant.id == participant.id)
                       .values(token_hash=token_hash)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(participant)
    return participant, token


def remove(workshop: Workshop, participant_id: int, now: datetime | None = None) -> None:
    """Take someone out of the room: their token stops working, their nickname leaves
    the board; their answers stay in the record."""
    _, dead_hash = _new_token()
    done = db.session.execute(
        update(Participant).where(Participant.id == participant_id,
                                  Participant.workshop_id == workshop.id,
                                  Participant.removed_at.is_(None))
        .values(removed_at=now or utcnow(), token_hash=dead_hash)
        .execution_options(synchronize_session=False)).rowcount
    if not done:
        db.session.rollback()
        raise NotFound("No such participant in this workshop.")
    _bump(workshop.id)
    db.session.commit()


# --- running the room -------------------------------------------------------------------

def control(workshop: Workshop, action: object, *, answer_id: object = None,
            from_step: object = None, now: datetime | None = None) -> Workshop:
    """Apply a trainer's action; ``Refused`` (409) if it does not fit or the room moved.

    ``from_step`` is the step the trainer's screen showed when they pressed: a "next"
    pressed on the projector and on the phone remote at once moves the room one step,
    not two.
    """
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
        raise Refused("The room moved on meanwhile (another screen drove it); "
                      "here is where it stands now.")
    return workshop


def step_field(body: Mapping) -> int | None:
    """The optional ``step`` of a control request (JSON or form): the step index the
    pressing screen showed."""
    value = body.get("step")
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 6:
        return int(value)
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


def live_option_order(workshop: Workshop, question: Mapping) -> list[str] | None:
    """One option order per room and question, the same on every phone and the screen,
    derived (not stored) from the room's id, so no process has to remember it."""
    from ..scoring.registry import draw_option_order
    rng = random.Random(f"{workshop.id}:{workshop.code}:{question['id']}")  # noqa: S311
    return draw_option_order(question, rng)


class NotOpen(DomainError):
    status = 422
    code = "not_open"


def _storable(answer: object) -> None:
    try:
        json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, RecursionError, ValueError, TypeError):
        raise DomainError(422, "invalid_answer", "The answer holds characters or a shape "
                                                 "that cannot be stored.") from None


def answer(workshop: Workshop, participant: Participant, library: Library, *,
           question_id: object, raw: object, confidence: object = None,
           now: datetime | None = None) -> LiveAnswer:
    """Grade and store one participant's answer to the open question, scored by the
    server's clock. 422 if no question is open or it is another one; 409 if answered."""
    now = now or utcnow()
    db.session.refresh(workshop)  # the phase as it stands now, not as the request began
    step = current_step(workshop)
    if step is None or step["kind"] != "question" or workshop.phase != Phase.OPEN:
        raise NotOpen(message="No question is open for answers right now; wait for the "
                              "trainer to open the next one.")
    if str(question_id) != step["question"]:
        raise NotOpen(message="That question is not the one open now; the room has moved on.")
    deadline = aware(workshop.deadline)
    if deadline is not None and now > deadline + GRACE:
        raise NotOpen(code="too_late", message="Time is up for this question.")
    quiz = library.quizzes.get(step["quiz"])
    question = next((q for q in (quiz.questions if quiz else ())
                     if str(q["id"]) == step["question"]), None)
    if question is None:
        raise NotOpen(message="This question is no longer in the course content.")
    if workshop.scoring == Scoring.CONFIDENCE:
        if confidence not in scoreboard.CONFIDENCE_LEVELS:
            raise DomainError(422, "invalid_confidence", "Say how sure you are: low, medium "
                                                         "or high.", field="confidence")
    else:
        confidence = None
    _storable(raw)
    try:
        normalised = normalise_answer(question, raw)
    except AnswerError as exc:
        raise DomainError(422, "invalid_answer", str(exc)) from None
    if normalised is None:
        raise DomainError(422, "invalid_answer", "Send an answer: this one is empty.")
    grade = get_type(question["type"]).grade(question, normalised)
    score = None
    if question["type"] == "rewrite":
        scenario = question.get("scenario") or {}
        try:
            score = analyse(normalised, scenario.get("recipient"), scenario.get("channel")).score
        except CoachInputError:
            score = 0
    elapsed = (now - aware(workshop.opened_at)).total_seconds()
    row = LiveAnswer(workshop_id=workshop.id, participant_id=participant.id,
                     step_index=workshop.step_index, quiz_slug=quiz.slug,
                     quiz_version=quiz.version, question_id=step["question"],
                     answer=normalised, confidence=confidence, fraction=grade.fraction,
                     points=scoreboard.points(workshop.scoring, float(question["points"]),
                                              grade.fraction, elapsed=elapsed,
                                              time_limit=workshop.time_limit,
                                              confidence=confidence),
                     elapsed_ms=max(0, round(elapsed * 1000)), score=score,
                     feedback=grade.feedback or None, answered_at=now)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(409, "already_answered", "You have already answered this "
                                                   "question; your first answer counts.") \
            from None
    _bump(workshop.id)
    db.session.commit()
    return row
