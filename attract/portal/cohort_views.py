"""``/cohorts/join/<token>``: a learner joins a trainer's cohort from an invite link.

Opening the link changes nothing (a link checker or a preview bot must not join anyone);
the learner presses "Join", a CSRF-checked POST. Someone signed out is sent to sign in
or sign up and comes back here to press it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..cohorts import operations
from ..current import library
from ..extensions import db
from ..models import User
from . import bp
from .forms import CsrfForm

_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(cohort, form, status: int = 200):
    course = library().courses.get(cohort.course_slug)
    trainer = db.session.get(User, cohort.owner_id)
    member = current_user.is_authenticated and operations.is_member(cohort, current_user.id)
    return render_template("portal/join_cohort.html", cohort=cohort, course=course,
                           trainer=trainer, member=member, form=form,
                           here=request.path), status, _PRIVATE


@bp.get("/cohorts/join/<token>")
def join_cohort(token: str):
    return _page(operations.by_invite(token), CsrfForm())


@bp.post("/cohorts/join/<token>")
@login_required
def join_cohort_post(token: str):
    cohort = operations.by_invite(token)
    form = CsrfForm()
    if not form.validate():
        return _page(cohort, form, 400)
    operations.join(cohort, current_user.id)
    flash(f"You are in the cohort “{cohort.name}”. Your trainer can now see your progress "
          "in this course.", "success")
    if cohort.course_slug in library().courses:
        return redirect(url_for("portal.course", slug=cohort.course_slug), 303)
    return redirect(url_for("portal.catalog"), 303)
