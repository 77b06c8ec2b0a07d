"""``/trainer/``: a trainer's workshops, and the screens that run one.

The projector (``present``) and the phone remote (``remote``) follow the room through
the public state stream and drive it through ``control``, a JSON or form POST with the
session's CSRF token; the same operations serve the bearer-token API.
"""

from __future__ import annotations

import segno
from flask import redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from .. import jsonsafe
from ..cohorts import operations as cohorts
from ..cohorts.models import Cohort
from ..current import external_url, library
from ..errors import wants_json
from ..exceptions import DomainError
from ..exports.queries import Scope, quiz_counts
from ..extensions import db
from ..models import Role
from ..numbers import small_int
from ..workshops import joining, operations, room
from ..workshops.models import Workshop
from ..workshops.operations import step_field
from ..workshops.state import Status
from . import bp
from .forms import NewCohortForm, NewWorkshopForm
from .guard import trainer_required


def _mine(workshop_id: int) -> Workshop:
    return operations.owned(workshop_id, current_user)


def _source_choices() -> list[SelectChoice]:
    lib = library()
    return ([SelectChoice(f"course:{slug}", c.title, optgroup="Courses")
             for slug, c in lib.courses.items()]
            + [SelectChoice(f"quiz:{slug}", q.title, optgroup="Quizzes")
               for slug, q in lib.quizzes.items()])


def _workshops():
    players = operations.player_counts()
    query = (select(Workshop, func.coalesce(players.c.n, 0))
             .outerjoin(players, players.c.workshop_id == Workshop.id)
             .order_by(Workshop.id.desc()))
    if current_user.role != Role.ADMIN:
        query = query.where(Workshop.owner_id == current_user.id)
    rows = []
    for workshop, count in db.session.execute(query).all():
        workshop.participants = count
        rows.append(workshop)
    return rows


def _cohort_choices() -> list[tuple[str, str]]:
    return [("", "No cohort")] + [
        (str(cohort.id), cohort.name)
        for cohort in db.session.scalars(cohorts.visible(current_user))]


def workshop_form() -> NewWorkshopForm:
    form = NewWorkshopForm()
    form.source.choices = _source_choices()
    form.cohort.choices = _cohort_choices()
    return form


def dashboard_page(*, workshop_form_: NewWorkshopForm | None = None,
                   cohort_form: NewCohortForm | None = None, status: int = 200):
    """The dashboard, re-showing whichever form came back with errors."""
    lib = library()
    if cohort_form is None:
        cohort_form = NewCohortForm()
        cohort_form.course.choices = [(s, c.title) for s, c in lib.courses.items()]
    counts = quiz_counts(Scope(current_user), lib)
    quizzes = [(slug, quiz.title, *counts.get(slug, (0, 0)))
               for slug, quiz in lib.quizzes.items()]
    return render_template(
        "trainer/dashboard.html", form=workshop_form_ or workshop_form(),
        cohort_form=cohort_form, workshops=_workshops(),
        cohorts=cohorts.with_counts(current_user), library=lib,
        courses=[(s, c.title) for s, c in lib.courses.items()],
        quizzes=[(s, q.title) for s, q in lib.quizzes.items()],
        quiz_rows=quizzes), status


@bp.get("/")
@trainer_required
def dashboard():
    return dashboard_page()


@bp.post("/workshops")
@trainer_required
def create_workshop():
    form = workshop_form()
    if not form.validate():
        return dashboard_page(workshop_form_=form, status=422)
    kind, _, slug = form.source.data.partition(":")
    try:
        workshop = operations.create(
            current_user, library(), course=slug if kind == "course" else None,
            quiz=slug if kind == "quiz" else None, scoring=form.scoring.data,
            time_limit=form.time_limit.data, title=form.title.data,
            cohort=int(form.cohort.data) if form.cohort.data else None)
    except DomainError as exc:
        field = {"time_limit": form.time_limit, "cohort": form.cohort}.get(exc.field,
                                                                         form.source)
        field.errors.append(exc.message)
        return dashboard_page(workshop_form_=form, status=exc.status)
    return redirect(url_for(".workshop", workshop_id=workshop.id))


def _join_url(workshop: Workshop) -> str:
    return external_url("workshop.join_code", code=workshop.code)


def _room_urls(workshop: Workshop) -> dict:
    return {"events_url": url_for("api.workshop_events", code=workshop.code),
            "state_url": url_for("api.workshop_state", code=workshop.code),
            "control_url": url_for(".control", workshop_id=workshop.id),
            "room_url": url_for(".room_view", workshop_id=workshop.id),
            "present_url": url_for(".present", workshop_id=workshop.id),
            "remote_url": url_for(".remote", workshop_id=workshop.id),
            "csrf": generate_csrf(), "players": room.players(workshop)}


@bp.get("/workshops/<int:workshop_id>")
@trainer_required
def workshop(workshop_id: int):
    workshop = _mine(workshop_id)
    workshop.join_url = _join_url(workshop)
    steps = [{"index": index, "kind": step["kind"], "title": step.get("title", ""),
              "included": step.get("included", True)}
             for index, step in enumerate(workshop.steps)]
    results = room.results(workshop, library()) if room.any_answers(workshop) else None
    cohort = db.session.get(Cohort, workshop.cohort_id) if workshop.cohort_id else None
    return render_template("trainer/workshop.html", workshop=workshop, steps=steps,
                           cohort=cohort,
                           editable=workshop.status == Status.LOBBY, results=results,
                           **_room_urls(workshop))


@bp.post("/workshops/<int:workshop_id>/steps")
@trainer_required
def save_steps(workshop_id: int):
    workshop = _mine(workshop_id)
    chosen = {n for n in map(small_int, request.form.getlist("step")) if n is not None}
    operations.save_steps(workshop, chosen)
    return redirect(url_for(".workshop", workshop_id=workshop.id))


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(
        scale=10, border=2, dark="#111827", light="#ffffff", omitsize=True,
        title=f"QR code to join: {url}")


@bp.get("/workshops/<int:workshop_id>/present")
@trainer_required
def present(workshop_id: int):
    workshop = _mine(workshop_id)
    join_url = _join_url(workshop)
    return render_template("trainer/present.html", workshop=workshop, qr_svg=_qr(join_url),
                           join_url=join_url, join_host_path=_join_host_path(),
                           **_room_urls(workshop))


def _join_host_path() -> str:
    """What the room types: the join page's address without the scheme."""
    return external_url("workshop.join").split("://", 1)[-1]


@bp.get("/workshops/<int:workshop_id>/remote")
@trainer_required
def remote(workshop_id: int):
    workshop = _mine(workshop_id)
    return render_template("trainer/remote.html", workshop=workshop,
                           join_url=_join_url(workshop), join_host_path=_join_host_path(),
                           **_room_urls(workshop))


@bp.post("/workshops/<int:workshop_id>/control")
@trainer_required
def control(workshop_id: int):
    workshop = _mine(workshop_id)
    if request.is_json:
        try:
            body = jsonsafe.parse(request)
        except jsonsafe.BadJson:
            body = None
        body = body if isinstance(body, dict) else {}  # then "unknown action", a 4xx
    else:
        body = request.form
    operations.control(workshop, body.get("action"), answer_id=body.get("answer_id"),
                       from_step=step_field(body))
    if wants_json():
        return room.state(workshop, library()), 200, {"Cache-Control": "no-store"}
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for(".remote", workshop_id=workshop.id))


@bp.get("/workshops/<int:workshop_id>/room.json")
@trainer_required
def room_view(workshop_id: int):
    return room.trainer_room(_mine(workshop_id)), 200, {"Cache-Control": "no-store"}


@bp.post("/workshops/<int:workshop_id>/participants/<int:participant_id>/remove")
@trainer_required
def remove_participant(workshop_id: int, participant_id: int):
    workshop = _mine(workshop_id)
    joining.remove(workshop, participant_id)
    if wants_json():
        return "", 204
    return redirect(url_for(".workshop", workshop_id=workshop.id))
