"""Sign-up confirmed by email, so the answer does not say whether an address has an
account.

``sign_up`` answers every valid form the same way ("check your inbox"): a new address
gets an account that cannot sign in yet and a link to confirm it; an address that
already has an account gets a message to its owner ("you already have an account: sign
in, or reset your password"), and the password typed is thrown away. Only the owner of
the mailbox learns which it was. ``confirm`` opens the link once (24 hours) and
returns the account, to be signed in.
"""

from __future__ import annotations

from datetime import timedelta

from . import audit, links, mail
from .accounts import AccountError, check_password_rules, create_user, find_user
from .current import external_url
from .exceptions import DomainError
from .extensions import db
from .models import SignUpLink, User, utcnow
from .ratelimit import hit

LIFETIME = timedelta(hours=24)


class LinkError(DomainError):
    status = 410
    code = "sign_up_link_invalid"


def _send_link(user: User, next_url: str | None) -> None:
    values = {"token": links.issue(SignUpLink, user.id, LIFETIME)}
    if next_url:
        values["next"] = next_url
    link = external_url("auth.confirm_email", **values)
    mail.send(user.email, "Confirm your Attract account",
              f"Hello {user.name},\n\nOpen this link to finish creating your Attract account "
              f"(it works once, for a day):\n\n{link}\n\nIf you did not sign up, ignore this "
              "message: no account is made without that link.\n")


def sign_up(email: str, password: str, name: str, address: str | None,
            next_url: str | None = None) -> None:
    """Everything the form asks checked, then one answer for all: see the module's
    docstring. ``AccountError`` only for a password the rules refuse (never for an
    address that has an account)."""
    check_password_rules(password)
    email = email.strip().lower()
    if hit(f"signup:ip:{address or '-'}", 30, 3600) is not None or \
            hit(f"signup:email:{email}", 3, 3600) is not None:
        audit.event("sign_up.throttled", email=email)
        return
    user = find_user(email)
    if user is None:
        try:
            user = create_user(email, password, name, confirmed=False)
        except AccountError as error:
            if error.code != "email_taken":
                raise
            user = find_user(email)  # it was made a moment ago, by a racing sign-up
        else:
            audit.event("sign_up.started", user=user.id)
            _send_link(user, next_url)
            return
    audit.event("sign_up.existing_address", user=user.id)
    if user.confirmed_at is None:
        _send_link(user, next_url)  # a second try before confirming: the link again
        return
    mail.send(user.email, "You already have an Attract account",
              f"Hello {user.name},\n\nSomeone (we hope you) tried to create an Attract "
              "account with this address, which already has one. Sign in here:\n\n"
              f"{external_url('auth.sign_in')}\n\nForgot the password? Choose a new one "
              f"here:\n\n{external_url('auth.forgot_password')}\n\nIf it was not you, "
              "ignore this message: nothing has changed.\n")


def pending(token: str) -> SignUpLink:
    """The link behind ``token`` if it can still be used; ``LinkError`` otherwise."""
    row = links.usable(SignUpLink, token)
    if row is None:
        raise LinkError(message="This link has expired or has already been used. Sign in, "
                                "or sign up again for a new link.")
    return row


def confirm(token: str) -> User:
    """The account behind the link, now confirmed; ``LinkError`` for a used, expired or
    made-up link. Of two racing uses, one wins."""
    row = pending(token)
    if not links.claim(SignUpLink, row):
        raise LinkError(message="This link has already been used. Sign in instead.")
    user = db.session.get(User, row.user_id)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    db.session.commit()
    audit.event("sign_up.confirmed", user=user.id)
    return user
