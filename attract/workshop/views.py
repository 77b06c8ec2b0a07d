"""``/join``, ``/j/<CODE>`` (the QR code's target) and ``/w/<CODE>`` (the phone view).

The phone page runs on the JSON API with the participant's own token, kept in the
browser's storage. Joining goes through this blueprint rather than the API so that a
signed-in learner's answers are linked to their account (the session says who they are)
and the form is CSRF-protected like every other.
"""

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..errors import wants_json
from ..exceptions import DomainError
from ..workshops import joining, operations
from ..workshops.models import Participant, Workshop
from . import bp
from .forms import JoinForm


def _urls(workshop: Workshop) -> dict:
    code = workshop.code
    return {"state_url": url_for("api.workshop_state", code=code),
            "events_url": url_for("api.workshop_events", code=code),
            "me_url": url_for("api.workshop_me", code=code),
            "answers_url": url_for("api.workshop_answer", code=code),
            "join_page_url": url_for(".join_code", code=code),
            "phone_url": url_for(".phone", code=code)}


def _own_participant(workshop: Workshop) -> Participant | None:
    """The signed-in learner's place in the room, unless the trainer removed them."""
    place = joining.place_of(workshop, current_user.id if current_user.is_authenticated
                             else None)
    return place if place is not None and place.removed_at is None else None


@bp.get("/join")
def join():
    typed = request.args.get("code")
    if typed is None:
        return render_template("workshops/join.html", error=None, code="")
    code = operations.normal_code(typed)
    if code is None:
        return render_template("workshops/join.html", code=typed[:20],
                               error="A workshop code is 6 letters and digits, as shown on "
                                     "the big screen."), 422
    return redirect(url_for(".join_code", code=code))


def _nickname_page(workshop: Workshop, form: JoinForm, error: str | None, status: int = 200):
    return render_template(
        "workshops/nickname.html", workshop=workshop, form=form, error=error,
        nickname=form.nickname.data or "", csrf=generate_csrf(),
        join_url=url_for(".join_code", code=workshop.code),
        signed_in_name=current_user.name if current_user.is_authenticated else None,
        **_urls(workshop)), status


@bp.get("/j/<code>")
def join_code(code: str):
    try:
        workshop = operations.by_code(code)
    except DomainError as exc:
        return render_template("workshops/join.html", code=code[:20],
                               error=exc.message), 404
    if workshop.code != code:  # typed in lower case or with a dash: one canonical URL
        return redirect(url_for(".join_code", code=workshop.code))
    if _own_participant(workshop) is not None:
        return redirect(url_for(".phone", code=workshop.code))
    return _nickname_page(workshop, JoinForm(), None)


@bp.post("/j/<code>")
def join_submit(code: str):
    workshop = operations.by_code(code)
    form = JoinForm()
    try:
        participant, token = joining.join(
            workshop, form.nickname.data or "",
            user_id=current_user.id if current_user.is_authenticated else None,
            address=request.remote_addr)
    except DomainError as exc:
        if wants_json():
            raise
        return _nickname_page(workshop, form, exc.message, exc.status)
    if wants_json():
        return ({"participant_id": participant.id, "token": token,
                 "nickname": participant.nickname}, 201, {"Cache-Control": "no-store"})
    # Without JavaScript the phone page carries the token once; its script stores it.
    return _phone_page(workshop, token=token), 200, {"Cache-Control": "no-store"}


def _phone_page(workshop: Workshop, token: str | None = None):
    resume = None
    if token is None and _own_participant(workshop) is not None:
        resume = url_for(".resume", code=workshop.code)
    response = render_template("workshops/phone.html", workshop=workshop, token=token,
                               resume_url=resume, csrf=generate_csrf(), **_urls(workshop))
    return response


@bp.get("/w/<code>")
def phone(code: str):
    workshop = operations.by_code(code)
    if workshop.code != code:
        return redirect(url_for(".phone", code=workshop.code))
    return _phone_page(workshop), 200, {"Cache-Control": "no-store"}


@bp.post("/w/<code>/resume")
def resume(code: str):
    """A signed-in learner's own place in the room, on a new phone or a cleared browser."""
    workshop = operations.by_code(code)
    participant = _own_participant(workshop)
    if participant is None:
        raise DomainError(404, "not_joined", "You have not joined this workshop yet.")
    participant, token = joining.resume(workshop, participant)
    return ({"participant_id": participant.id, "token": token,
             "nickname": participant.nickname}, 200, {"Cache-Control": "no-store"})


