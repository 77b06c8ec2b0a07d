"""Accounts: sign-up, sign-in and API tokens, shared by the web views, the API and the CLI."""

from __future__ import annotations

import functools
import re
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .exceptions import DomainError
from .extensions import db
from .links import digest
from .models import ApiToken, Role, SignIn, User, utcnow
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


@functools.cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


# Characters that show nothing: blanks, zero-width and direction marks, soft hyphens.
_INVISIBLE = re.compile(r"[\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
# In a name: direction overrides and isolates, and zero-width spaces, which let a name
# show something other than what it is ("Ann\u202e..."); ZWJ and ZWNJ stay (emoji, and
# names in Persian or Hindi need them).
_NAME_TRICKS = re.compile(r"[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
                          r"\u2060-\u2064\u2066-\u206f\ufeff]|[\x00-\x1f\x7f-\x9f]")


def clean_name(name: str) -> str:
    """A name as it may appear in the header and on a certificate: no direction tricks,
    no invisible characters, no control characters, blanks collapsed."""
    return " ".join(_NAME_TRICKS.sub("", name).split())


def check_password_rules(password: str) -> None:
    if _INVISIBLE.sub("", password) == "":
        raise AccountError(code="weak_password", field="password",
                           message="That password is only blanks or invisible characters; "
                                   "choose one you can see.")
    if password.lower() in common_passwords() or password.strip().lower() in \
            common_passwords():
        raise AccountError(code="weak_password", field="password",
                           message="That is one of the most common passwords, the first "
                                   "ones an attacker tries. Choose another: a short "
                                   "sentence works well.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(code="weak_password", field="password",
                           message=f"Choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(code="weak_password", field="password",
                           message=f"Passwords are at most {MAX_PASSWORD} characters.")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, name: str, role: str = Role.LEARNER,
                confirmed: bool = True) -> User:
    """Create an account; raise ``AccountError('email_taken')`` on a duplicate email.

    The unique index decides, so two sign-ups racing for one email cannot both win.
    """
    check_password_rules(password)
    if role not in set(Role):
        raise AccountError(code="bad_role", field="role",
                           message=f"Unknown role '{role}': use {ROLE_NAMES}.")
    user = User(email=normalise_email(email), name=clean_name(name) or email.split("@")[0],
                password_hash=hash_password(password, _profile()), role=str(role),
                confirmed_at=utcnow() if confirmed else None)
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
    if user.confirmed_at is None:  # the address's owner has not opened the sign-up link
        return None
    if needs_rehash(user.password_hash, _profile()):
        user.password_hash = hash_password(password, _profile())
        db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Store the hash of a password already checked by ``check_password_rules`` (the
    caller commits)."""
    user.password_hash = hash_password(password, _profile())


def issue_token(user: User) -> str:
    """A new API token for ``user``; only its hash is stored, so show it once."""
    token = "att_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=digest(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(User).join(ApiToken).where(ApiToken.token_hash == digest(token)))


# --- sign-ins: what a browser's session and remember-me cookie hold -----------------------

def start_sign_in(user: User, device: str = "") -> str:
    """A new sign-in for ``user`` on one browser; sets and returns ``user.sign_in_key``."""
    secret = secrets.token_urlsafe(32)
    row = SignIn(user_id=user.id, secret_hash=digest(secret), device=device[:120])
    db.session.add(row)
    db.session.commit()
    user.sign_in_key = f"{row.id}.{secret}"
    return user.sign_in_key


def _row_for(key: str) -> SignIn | None:
    number, _, secret = (key or "").partition(".")
    if not (number.isascii() and number.isdigit() and len(number) < 19 and secret):
        return None  # also every cookie from before sign-ins were stored (a bare user id)
    row = db.session.get(SignIn, int(number))
    if row is None or not secrets.compare_digest(row.secret_hash, digest(secret)):
        return None
    return row


def user_for_sign_in(key: str) -> User | None:
    """The user behind a session's or a remember-me cookie's key, if that sign-in stands."""
    row = _row_for(key)
    if row is None:
        return None
    row.user.sign_in_key = key
    return row.user


def renew_sign_in(user: User) -> str:
    """A new secret for the user's current sign-in (when a remember-me cookie is used, so
    a copy of the old cookie stops working); returns the new key."""
    row = _row_for(user.sign_in_key)
    if row is None:
        return user.sign_in_key
    secret = secrets.token_urlsafe(32)
    row.secret_hash, row.used_at = digest(secret), utcnow()
    db.session.commit()
    user.sign_in_key = f"{row.id}.{secret}"
    return user.sign_in_key


def end_sign_in(user: User) -> None:
    row = _row_for(user.sign_in_key)
    if row is not None:
        db.session.delete(row)
        db.session.commit()


def end_every_sign_in(user: User) -> int:
    """Sign ``user`` out on every browser; the number of sign-ins ended."""
    rows = db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)).all()
    for row in rows:
        db.session.delete(row)
    db.session.commit()
    return len(rows)


def sign_ins_of(user: User) -> list[SignIn]:
    return list(db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)
                                   .order_by(SignIn.used_at.desc())))
