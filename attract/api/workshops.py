"""The live workshop over JSON: trainers create and drive rooms, participants join and
answer, anyone with the code follows the room's state (it shows what the big screen
shows, nothing more). Participants authenticate with the token ``join`` gave them."""

from __future__ import annotations

from flask import current_app, g, request

from ..current import external_url, library
from ..extensions import db
from ..models import Role
from ..numbers import small_int
from ..workshops import answering, joining, operations, room, stream
from ..workshops.models import Workshop
from . import bp
from .util import ApiError, bearer_user, json_body, token_required


def _trainer():
    if g.api_user.role not in (Role.TRAINER, Role.ADMIN):
        raise ApiError(403, "forbidden", "Only trainers can run workshops.")
    return g.api_user


def _bearer() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _seat(code: str):
    """The room and the participant whose token came with the request; 401 without one."""
    workshop, participant = joining.seat(code, _bearer())
    if participant is None:
        raise ApiError(401, "invalid_token",
                       "Your place in this workshop is not valid (removed, or never joined); "
                       "join again with the code.", {"WWW-Authenticate": "Bearer"})
    return workshop, participant


def _no_store(body, status: int = 200, **headers):
    return body, status, {"Cache-Control": "no-store", **headers}


@bp.post("/workshops")
@token_required
def create_workshop():
    body = json_body()
    for name in ("quiz", "course", "title", "scoring"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(422, "invalid_field", f"The field '{name}' must be text.")
    workshop = operations.create(_trainer(), library(), course=body.get("course"),
                                 quiz=body.get("quiz"), scoring=body.get("scoring") or "speed",
                                 time_limit=body.get("time_limit"), title=body.get("title"),
                                 cohort=body.get("cohort"))
    return {"id": workshop.id, "code": workshop.code,
            "join_url": external_url("workshop.join_code", code=workshop.code)}, 201


@bp.post("/workshops/<code>/join")
def join_workshop(code: str):
    workshop = operations.by_code(code)
    body = json_body()
    user = bearer_user() if request.headers.get("Authorization") else None
    participant, token = joining.join(workshop, body.get("nickname"),
                                         user_id=user.id if user else None,
                                         address=request.remote_addr)
    return _no_store({"participant_id": participant.id, "token": token,
                      "nickname": participant.nickname}, 201)


@bp.get("/workshops/<code>/state")
def workshop_state(code: str):
    workshop = operations.by_code(code)
    etag = f'"{room.version(workshop)}"'
    if etag in request.headers.get("If-None-Match", ""):
        return "", 304, {"ETag": etag, "Cache-Control": "no-cache"}
    state = room.state(workshop, library())
    return state, 200, {"ETag": f'"{state["version"]}"', "Cache-Control": "no-cache"}


def _build(workshop: Workshop) -> dict:
    return room.state(workshop, library())


@bp.get("/workshops/<code>/events")
def workshop_events(code: str):
    workshop = operations.by_code(code)
    state = room.state(workshop, library())
    first = stream.Snapshot(state["version"], stream.dumps(state),
                            state["status"] == "ended")
    last = request.headers.get("Last-Event-ID", "")
    last_seen = small_int(last, 11)
    config = current_app.config
    watcher = stream.watcher_for(current_app._get_current_object(), _build, room.versions)
    db.session.remove()  # a stream holds no connection while it waits
    body = stream.events(watcher, workshop.id, first, last_seen,
                         heartbeat=config["LIVE_HEARTBEAT_SECONDS"],
                         coalesce=config["LIVE_COALESCE_SECONDS"],
                         lifetime=config["LIVE_STREAM_SECONDS"])
    return current_app.response_class(body, mimetype="text/event-stream", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.get("/workshops/<code>/me")
def workshop_me(code: str):
    workshop, participant = _seat(code)
    return _no_store(room.me(workshop, participant, library()))


@bp.post("/workshops/<code>/answers")
def workshop_answer(code: str):
    workshop, participant = _seat(code)
    body = json_body()
    if "question_id" not in body or "answer" not in body:
        raise ApiError(422, "missing_field", "Send {\"question_id\": ..., \"answer\": ...}.")
    row = answering.answer(workshop, participant, library(), question_id=body["question_id"],
                           raw=body["answer"], confidence=body.get("confidence"))
    return _no_store({"accepted": True, "question_id": row["question_id"]}, 201)


@bp.post("/workshops/<int:workshop_id>/control")
@token_required
def workshop_control(workshop_id: int):
    workshop = operations.owned(workshop_id, _trainer())
    body = json_body()
    operations.control(workshop, body.get("action"), answer_id=body.get("answer_id"),
                       from_step=operations.step_field(body))
    return _no_store(room.state(workshop, library()))



@bp.delete("/workshops/<int:workshop_id>/participants/<int:participant_id>")
@token_required
def remove_participant(workshop_id: int, participant_id: int):
    joining.remove(operations.owned(workshop_id, _trainer()), participant_id)
    return "", 204


@bp.get("/workshops/<int:workshop_id>/results")
@token_required
def workshop_results(workshop_id: int):
    workshop = operations.owned(workshop_id, _trainer())
    return _no_store(room.results(workshop, library()))
