"""Joining a room, coming back to it, and being taken out of it.

A participant is a nickname and a bearer token: 256 random bits, shown once, of which
only the SHA-256 is kept. The database keeps a nickname unique in its room ignoring
case, and a signed-in learner to one place per room.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..exceptions import DomainError, NotFound
from ..extensions import db
from ..models import utcnow
from ..ratelimit import RateLimited, hit
from . import nicknames
from .models import Participant, Workshop
from .operations import bump, by_code, normal_code
from .state import Status


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def seat(code: str, token: str | None) -> tuple[Workshop, Participant | None]:
    """The room a code names and the participant holding ``token`` in it, in one query
    when the token is good (an answer's hot path); the room alone (404 if none) otherwise."""
    if token and normal_code(code) is not None:
        row = db.session.execute(
            select(Workshop, Participant).join(Participant,
                                               Participant.workshop_id == Workshop.id)
            .where(Participant.token_hash == _hash(token), Participant.removed_at.is_(None),
                   Workshop.code == normal_code(code))).first()
        if row is not None:
            return row[0], row[1]
    return by_code(code), None


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


def place_of(workshop: Workshop, user_id: int | None) -> Participant | None:
    """A signed-in learner's own participant in the room (removed ones included), if any."""
    if user_id is None:
        return None
    return db.session.scalars(select(Participant).where(
        Participant.workshop_id == workshop.id, Participant.user_id == user_id)).first()


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
        existing = place_of(workshop, user_id)
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
        db.session.commit()  # no bump: a join moves the state's version (room.version)
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
    bump(workshop.id)
    db.session.commit()
