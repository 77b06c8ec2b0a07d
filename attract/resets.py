"""Password reset by email: a single-use token, stored hashed, that expires in an hour.

``request_reset(email)`` answers the same whether or not the address has an account (the
page says "if an account exists..."), so the form cannot be used to find out who has
one; it is rate-limited per address and per email. ``reset(token, password)`` sets the
password once (a conditional UPDATE: of two racing uses, one wins) and ends every
sign-in of that account, so a thief's session stops working too.
"""

from __future__ import annotations

from datetime import timedelta

from . import audit, links, mail
from .accounts import check_password_rules, end_every_sign_in, find_user, set_password
from .current import external_url
from .exceptions import DomainError
from .extensions import db
from .models import PasswordReset, User
from .ratelimit import hit

LIFETIME = timedelta(hours=1)
PER_EMAIL_AN_HOUR = 3
PER_ADDRESS_AN_HOUR = 20


class ResetError(DomainError):
    status = 410
    code = "reset_link_invalid"


def request_reset(email: str, address: str | None) -> None:
    """Email a reset link if ``email`` has an account; do nothing visible otherwise."""
    email = (email or "").strip().lower()
    if hit(f"reset:ip:{address or '-'}", PER_ADDRESS_AN_HOUR, 3600) is not None or \
            hit(f"reset:email:{email}", PER_EMAIL_AN_HOUR, 3600) is not None:
        audit.event("password_reset.throttled", email=email)
        return  # the page says the same: a flood learns nothing and sends nothing
    user = find_user(email)
    audit.event("password_reset.requested", email=email, known=user is not None)
    if user is None:
        return
    token = links.issue(PasswordReset, user.id, LIFETIME)
    link = external_url("auth.reset_password", token=token)
    mail.send(user.email, "Reset your Attract password",
              f"Hello {user.name},\n\nSomeone (we hope you) asked to reset the password of "
              f"your Attract account. To choose a new one, open this link within an hour:\n\n"
              f"{link}\n\nIf it was not you, ignore this message: your password stays as it "
              "is, and the link stops working in an hour.\n")


def pending(token: str) -> PasswordReset:
    """The reset behind ``token`` if it can still be used; ``ResetError`` otherwise."""
    row = links.usable(PasswordReset, token)
    if row is None:
        raise ResetError(message="This reset link has expired or has already been used. "
                                 "Ask for a new one.")
    return row


def reset(token: str, password: str) -> User:
    """Set the new password, once; end every sign-in of the account."""
    row = pending(token)
    check_password_rules(password)
    if not links.claim(PasswordReset, row):
        raise ResetError(message="This reset link has already been used. Ask for a new one.")
    user = db.session.get(User, row.user_id)
    set_password(user, password)
    db.session.commit()
    end_every_sign_in(user)
    audit.event("password_reset.done", user=user.id)
    return user
