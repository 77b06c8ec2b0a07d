"""One-use links sent by email (password reset, sign-up confirmation): the machinery
both share. The token is random and only its SHA-256 is stored; a link is usable while
unused and unexpired; using it is a conditional UPDATE, so of two racing uses one wins.

``model`` is a table with ``user_id``, ``token_hash``, ``expires_at`` and ``used_at``
(``models.PasswordReset``, ``models.SignUpLink``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import update

from .extensions import db
from .models import aware, utcnow


def digest(token: str) -> str:
    """What is stored of a token, a secret or a key: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(model, user_id: int, lifetime: timedelta) -> str:
    """A new link's token for ``user_id`` (committed)."""
    token = secrets.token_urlsafe(32)
    db.session.add(model(user_id=user_id, token_hash=digest(token),
                         expires_at=utcnow() + lifetime))
    db.session.commit()
    return token


def usable(model, token: str):
    """The row behind ``token`` if it is unused and unexpired, else None."""
    row = db.session.scalar(db.select(model).where(model.token_hash == digest(token or "")))
    if row is None or row.used_at is not None or aware(row.expires_at) < utcnow():
        return None
    return row


def claim(model, row) -> bool:
    """Mark ``row`` used, unless a racing request did first (then roll back, False)."""
    claimed = db.session.execute(
        update(model).where(model.id == row.id, model.used_at.is_(None))
        .values(used_at=utcnow())).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    return True
