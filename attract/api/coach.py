"""``POST /api/coach``: open to anyone, rate-limited per client in the database."""

from __future__ import annotations

from flask import request

from ..coach import analyse
from ..coach.highlight import segments
from ..ratelimit import coach_allowance
from . import bp
from .util import bearer_user, json_body


def _user_id() -> int | None:
    user = bearer_user()
    return user.id if user else None


@bp.post("/coach")
def coach():
    coach_allowance(_user_id(), request.remote_addr)
    body = json_body()
    text = body.get("text")
    analysis = analyse(text, body.get("recipient"), body.get("channel"))  # checks the input
    answer = analysis.to_dict()
    # Beyond the contract's {score, verdict, criteria}: the text cut into marked pieces,
    # so a client can show the marks without re-implementing the overlap rules.
    answer["marked"] = [{"text": seg.text, "kind": seg.kind, "labels": list(seg.labels)}
                        for seg in segments(text, analysis)]
    return answer
