"""Certificates: claim one for a completed course; anyone with the link can verify it."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..attempts import passed_quizzes
from ..certificates import NotComplete, get_certificate, issue
from ..current import course_or_404, library
from . import bp
from .forms import QuizForm
from .operations import read_lessons


@bp.post("/courses/<slug>/certificate")
@login_required
def claim_certificate(slug: str):
    course = course_or_404(slug)
    if not QuizForm().validate_on_submit():
        abort(400)
    lib = library()
    try:
        certificate = issue(current_user, course, lib, read_lessons(current_user.id),
                            passed_quizzes(current_user.id, lib.quizzes))
    except NotComplete as exc:
        abort(409, description=str(exc))
    return redirect(url_for(".certificate", certificate_id=certificate.id)), 303


@bp.get("/certificates/<certificate_id>")
def certificate(certificate_id: str):
    found = get_certificate(certificate_id)
    if found is None:
        abort(404, description="There is no certificate at this address. Check the link "
                               "you were given; it is case-sensitive.")
    return render_template("portal/certificate.html", certificate=found,
                           url=url_for(".certificate", certificate_id=found.id, _external=True))
