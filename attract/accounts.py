"""Accounts: sign-up, sign-in and API tokens, shared by the web views, the API and the CLI."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .exceptions import DomainError
from .extensions import db
from .models import ApiToken, Role, User
from .passwords import hash_password, needs_rehash, verify_password

MIN_PASSWORD = 10
MAX_PASSWORD = 200
ROLE_NAMES = ", ".join(Role)


class AccountError(DomainError):
    """A request about an account that cannot be carried out; ``field`` is the one at fault."""

    status = 422


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _profile() -> str:
    return current_app.config["ARGON2_PROFILE"]


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(code="weak_password", field="password",
                           message=f"Choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(code="weak_password", field="password",
                           message=f"Passwords are at most {MAX_PASSWORD} characters.")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, name: str, role: str = Role.LEARNER) -> User:
    """Create an account; raise ``AccountError('email_taken')`` on a duplicate email.

    The unique index decides, so two sign-ups racing for one email cannot both win.
    """
    check_password_rules(password)
    if role not in set(Role):
        raise AccountError(code="bad_role", field="role",
                           message=f"Unknown role '{role}': use {ROLE_NAMES}.")
    user = User(email=normalise_email(email), name=name.strip() or email.split("@")[0],
                password_hash=hash_password(password, _profile()), role=str(role))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(409, "email_taken", "An account with this email already exists. "
                           "Sign in instead.", field="email") from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None: one answer for unknown email and wrong password."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password, _profile()):
        return None
    if needs_rehash(user.password_hash, _profile()):
        user.password_hash = hash_password(password, _profile())
        db.session.commit()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """A new API token for ``user``; only its hash is stored, so show it once."""
    token = "att_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(User).join(ApiToken).where(ApiToken.token_hash == _digest(token)))
