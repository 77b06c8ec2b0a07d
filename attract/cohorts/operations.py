"""Making, finding and joining cohorts; shared by the trainer's pages, the API and the CLI."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..content import Library
from ..current import external_url
from ..exceptions import DomainError, NotFound
from ..extensions import db
from ..models import Role, User, aware, utcnow
from .models import Cohort, CohortMember

NAME_MAX = 120
EXPIRY_DAYS_MAX = 365


class CohortError(DomainError):
    status = 422
    code = "invalid_cohort"


def _new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: an invite cannot be guessed


def create(owner: User, library: Library, *, name: object, course: object,
           expires_in_days: object = None, now: datetime | None = None) -> Cohort:
    if not isinstance(name, str) or not name.strip():
        raise CohortError(message="Give the cohort a name.", field="name")
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise CohortError(message=f"A cohort's name is at most {NAME_MAX} characters.",
                          field="name")
    if not isinstance(course, str) or course not in library.courses:
        raise CohortError(code="unknown_course", message="There is no such course.",
                          field="course")
    cohort = Cohort(owner_id=owner.id, name=name, course_slug=course,
                    invite_token=_new_token(),
                    invite_expires_at=_expiry(expires_in_days, now))
    db.session.add(cohort)
    db.session.commit()
    return cohort


def _expiry(days: object, now: datetime | None) -> datetime | None:
    if days is None or days == "":
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= EXPIRY_DAYS_MAX:
        raise CohortError(message=f"An invite lasts from 1 to {EXPIRY_DAYS_MAX} days "
                                  "(or leave it empty: it lasts until you revoke it).",
                          field="expires_in_days")
    return (now or utcnow()) + timedelta(days=days)


def visible(user: User) -> Select:
    """The cohorts ``user`` may see: their own; an admin's, all of them."""
    query = select(Cohort).order_by(Cohort.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(Cohort.owner_id == user.id)
    return query


def owned(cohort_id: int, user: User) -> Cohort:
    """The cohort if ``user`` owns it (or is an admin). Another trainer's cohort answers
    404, not 403, so ids cannot be probed for existence."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or (user.role != Role.ADMIN and cohort.owner_id != user.id):
        if cohort is not None:
            audit.event("access.refused", user=user.id, cohort=cohort_id)
        raise NotFound("There is no such cohort.")
    return cohort


def with_counts(user: User) -> list[tuple[Cohort, int]]:
    """The visible cohorts, each with its number of members (one query)."""
    members = (select(CohortMember.cohort_id, func.count().label("n"))
               .group_by(CohortMember.cohort_id).subquery())
    query = visible(user).add_columns(func.coalesce(members.c.n, 0)).outerjoin(
        members, members.c.cohort_id == Cohort.id)
    return [(cohort, count) for cohort, count in db.session.execute(query).all()]


# --- invites ----------------------------------------------------------------------------

def by_invite(token: str, now: datetime | None = None) -> Cohort:
    """The cohort an invite token opens; 404 when unknown or revoked, 410 when expired."""
    cohort = None
    if isinstance(token, str) and 0 < len(token) <= 64:
        cohort = db.session.scalars(select(Cohort).where(Cohort.invite_token == token)).first()
    if cohort is None:
        raise NotFound("This invite link is not valid: it may have been revoked. "
                       "Ask your trainer for a new one.")
    expires = aware(cohort.invite_expires_at)
    if expires is not None and (now or utcnow()) >= expires:
        raise DomainError(410, "invite_expired", "This invite link has expired. "
                                                 "Ask your trainer for a new one.")
    return cohort


def renew_invite(cohort: Cohort, expires_in_days: object = None,
                 now: datetime | None = None) -> Cohort:
    """A new link; the old one stops working at once."""
    cohort.invite_expires_at = _expiry(expires_in_days, now)
    cohort.invite_token = _new_token()
    db.session.commit()
    return cohort


def invite_url(cohort: Cohort) -> str | None:
    """The link a trainer shares; None once revoked."""
    if cohort.invite_token is None:
        return None
    return external_url("portal.join_cohort", token=cohort.invite_token)


def revoke_invite(cohort: Cohort) -> Cohort:
    cohort.invite_token = None
    cohort.invite_expires_at = None
    db.session.commit()
    return cohort


# --- members ----------------------------------------------------------------------------

def is_member(cohort: Cohort, user_id: int) -> bool:
    return db.session.scalar(select(func.count()).select_from(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id)) > 0


def join(cohort: Cohort, user_id: int) -> bool:
    """Put the learner in the cohort; False when they were in it already (the unique pair
    decides, so two tabs joining at once make one membership)."""
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=user_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def leave(cohort: Cohort, user_id: int) -> None:
    db.session.execute(CohortMember.__table__.delete().where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id))
    db.session.commit()


def cohorts_of(user_id: int) -> list[Cohort]:
    """The cohorts a learner is in (for their account page)."""
    return list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id).order_by(Cohort.name)))
