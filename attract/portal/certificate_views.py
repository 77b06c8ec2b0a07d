"""Certificates: claim one for a completed course; anyone with the link can verify it."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from ..certificates import get_certificate, issue
from ..current import course_or_404, external_url, library
from ..exceptions import NotFound
from . import bp


@bp.post("/courses/<slug>/certificate")
@login_required
def claim_certificate(slug: str):
    course = course_or_404(slug)
    certificate = issue(current_user, course, library())  # NotComplete: a 409 page
    return redirect(url_for(".certificate", certificate_id=certificate.id)), 303


@bp.get("/certificates/<certificate_id>")
def certificate(certificate_id: str):
    found = get_certificate(certificate_id)
    if found is None:
        raise NotFound("There is no certificate at this address. Check the link you were "
                       "given; it is case-sensitive.")
    return render_template("portal/certificate.html", certificate=found,
                           url=external_url("portal.certificate", certificate_id=found.id))
