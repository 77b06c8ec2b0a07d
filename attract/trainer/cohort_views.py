"""``/trainer/cohorts``: make a cohort, share its invite, follow its learners.

The cohort page's sorting and filters are plain links and a GET form, so they work
without JavaScript and a trainer can bookmark a view ("last week, quiz 2, by score").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..cohorts import operations
from ..cohorts.operations import invite_url
from ..cohorts.progress import SORT_KEYS, members_progress, sort_rows
from ..current import library
from ..exceptions import DomainError
from ..extensions import db
from ..workshops.models import Workshop
from ..workshops.operations import player_counts
from . import bp
from .forms import CsrfForm, InviteForm, NewCohortForm
from .guard import trainer_required
from .views import dashboard_page


def course_choices() -> list[tuple[str, str]]:
    return [(slug, course.title) for slug, course in library().courses.items()]


@bp.post("/cohorts")
@trainer_required
def create_cohort():
    form = NewCohortForm()
    form.course.choices = course_choices()
    if not form.validate():
        return dashboard_page(cohort_form=form, status=422)
    try:
        cohort = operations.create(current_user, library(), name=form.name.data,
                                   course=form.course.data,
                                   expires_in_days=form.expires_in_days.data)
    except DomainError as exc:
        getattr(form, exc.field or "name").errors.append(exc.message)
        return dashboard_page(cohort_form=form, status=exc.status)
    flash(f"Cohort “{cohort.name}” is ready: share its invite link with your learners.",
          "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id), 303)


class FilterError(ValueError):
    pass


def _day(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(f"“{raw[:20]}” is not a date; use the date picker or "
                          "YYYY-MM-DD.") from None


def _filters(quizzes: list[str]) -> tuple[dict, list[str]]:
    """The page's filters from the query string, and what was wrong with them."""
    errors = []
    since = until = None
    try:
        since = _day("from")
    except FilterError as exc:
        errors.append(f"From: {exc}")
    try:
        until = _day("to")
    except FilterError as exc:
        errors.append(f"To: {exc}")
    if since and until and since > until:
        errors.append("The “from” date is after the “to” date.")
        since = until = None
    quiz = request.args.get("quiz", "")
    if quiz and quiz not in quizzes:
        errors.append("That quiz is not part of this cohort's course.")
        quiz = ""
    sort = request.args.get("sort", "name")
    if sort not in SORT_KEYS and not (sort.startswith("quiz:") and sort[5:] in quizzes):
        sort = "name"
    return {"from": since, "to": until, "quiz": quiz, "sort": sort,
            "dir": "desc" if request.args.get("dir") == "desc" else "asc"}, errors


def _moment(day: date | None, *, end: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)


@bp.get("/cohorts/<int:cohort_id>")
@trainer_required
def cohort(cohort_id: int):
    cohort = operations.owned(cohort_id, current_user)
    lib = library()
    course = lib.courses.get(cohort.course_slug)
    quizzes = [i.slug for i in course.items if i.kind == "quiz"] if course else []
    filters, errors = _filters(quizzes)
    rows = members_progress(cohort, lib, since=_moment(filters["from"]),
                            until=_moment(filters["to"], end=True))
    rows = sort_rows(rows, filters["sort"], filters["dir"] == "desc")
    shown = [filters["quiz"]] if filters["quiz"] else quizzes
    players = player_counts()
    workshops = db.session.execute(
        select(Workshop, func.coalesce(players.c.n, 0))
        .outerjoin(players, players.c.workshop_id == Workshop.id)
        .where(Workshop.cohort_id == cohort.id).order_by(Workshop.id.desc())).all()
    invite_form = InviteForm()
    return render_template(
        "trainer/cohort.html", cohort=cohort, course=course, rows=rows, quizzes=shown,
        all_quizzes=quizzes, library=lib, filters=filters, filter_errors=errors,
        workshops=workshops, invite_url=invite_url(cohort), invite_form=invite_form,
        remove_form=CsrfForm(), lessons_total=len(course.lesson_slugs()) if course else 0,
    ), 400 if errors else 200, {"Cache-Control": "no-store"}


@bp.post("/cohorts/<int:cohort_id>/invite")
@trainer_required
def cohort_invite(cohort_id: int):
    cohort = operations.owned(cohort_id, current_user)
    form = InviteForm()
    if not form.validate() or form.action.data not in ("renew", "revoke"):
        flash("The invite was not changed: " + (
            " ".join(e for errors in form.errors.values() for e in errors)
            or "choose renew or revoke."), "error")
        return redirect(url_for(".cohort", cohort_id=cohort.id), 303)
    if form.action.data == "revoke":
        operations.revoke_invite(cohort)
        flash("The invite link is revoked: nobody new can join until you make a new one.",
              "info")
    else:
        operations.renew_invite(cohort, form.expires_in_days.data)
        flash("A new invite link is ready; the old one no longer works.", "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id), 303)


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@trainer_required
def remove_member(cohort_id: int, user_id: int):
    cohort = operations.owned(cohort_id, current_user)
    if CsrfForm().validate():
        operations.leave(cohort, user_id)
        flash("The learner has left the cohort; their own work is kept.", "info")
    return redirect(url_for(".cohort", cohort_id=cohort.id), 303)
