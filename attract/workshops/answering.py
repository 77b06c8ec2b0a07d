"""Answering the open question: graded and scored on arrival, by the server's clock.

``workshop`` is the room as this request loaded it a moment ago; the check against its
phase races a trainer's "close" by at most that moment, which the deadline's grace
already allows for.

One answer per participant and step (``UNIQUE(participant_id, step_index)``): of two
racing answers the second gets 409. The deadline is the server's, with ``GRACE`` for
answers that left the phone in time and arrived a little after.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..coach import CoachInputError, analyse
from ..content import Library
from ..exceptions import DomainError
from ..extensions import db
from ..models import aware, utcnow
from ..scoring import AnswerError
from ..scoring.registry import get_type, normalise_answer
from . import scoreboard
from .models import LiveAnswer, Participant, Scoring, Workshop
from .operations import current_step, question_at
from .state import Phase

# Answers that left the phone before the deadline may arrive a little after it.
GRACE = timedelta(seconds=1.5)


class NotOpen(DomainError):
    status = 422
    code = "not_open"


def _storable(answer: object) -> None:
    try:
        json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, RecursionError, ValueError, TypeError):
        raise DomainError(422, "invalid_answer", "The answer holds characters or a shape "
                                                 "that cannot be stored.") from None


# refusals worth a line in the security log: someone answering late, twice, or blind
_LOGGED = frozenset({"not_open", "too_late", "already_answered"})


def answer(workshop: Workshop, participant: Participant, library: Library, *,
           question_id: object, raw: object, confidence: object = None,
           now: datetime | None = None) -> dict:
    """Grade and store one participant's answer to the open question, scored by the
    server's clock. 422 if no question is open or it is another one; 409 if answered."""
    try:
        return _answer(workshop, participant, library, question_id=question_id, raw=raw,
                       confidence=confidence, now=now)
    except DomainError as refused:
        if refused.code in _LOGGED:
            audit.event("live_answer.rejected", workshop=workshop.id,
                        participant=participant.id, reason=refused.code)
        raise


def _answer(workshop: Workshop, participant: Participant, library: Library, *,
            question_id: object, raw: object, confidence: object = None,
            now: datetime | None = None) -> dict:
    now = now or utcnow()
    step = current_step(workshop)
    if step is None or step["kind"] != "question" or workshop.phase != Phase.OPEN:
        raise NotOpen(message="No question is open for answers right now; wait for the "
                              "trainer to open the next one.")
    if str(question_id) != step["question"]:
        raise NotOpen(message="That question is not the one open now; the room has moved on.")
    deadline = aware(workshop.deadline)
    if deadline is not None and now > deadline + GRACE:
        raise NotOpen(code="too_late", message="Time is up for this question.")
    quiz, question = question_at(library, step)
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
    values = dict(workshop_id=workshop.id, participant_id=participant.id,
                  step_index=workshop.step_index, quiz_slug=quiz.slug,
                  quiz_version=quiz.version, question_id=step["question"],
                  answer=normalised, confidence=confidence, fraction=grade.fraction,
                  points=scoreboard.points(workshop.scoring, float(question["points"]),
                                           grade.fraction, elapsed=elapsed,
                                           time_limit=workshop.time_limit,
                                           confidence=confidence),
                  elapsed_ms=max(0, round(elapsed * 1000)), score=score,
                  feedback=grade.feedback or None, answered_at=now)
    try:
        # A plain INSERT, not the ORM's unit of work: this is the hot path of a live room.
        db.session.execute(insert(LiveAnswer).values(**values))
    except IntegrityError:
        db.session.rollback()
        raise DomainError(409, "already_answered", "You have already answered this "
                                                   "question; your first answer counts.") \
            from None
    db.session.commit()  # no bump: the answer itself moves the state's version (room.version)
    return values
