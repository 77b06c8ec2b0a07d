"""``POST /api/coach``: open to anyone, rate-limited per client in the database."""

from __future__ import annotations

from flask import request

from ..coach import analyse
from ..coach.highlight import segments
from ..ratelimit import coach_allowance
from . import bp
from .util import bearer_user, json_body


def client_key() -> str:
    """Who is asking: the API user if a token is sent, else the client's address."""
    user = bearer_user()
    return f"user:{user.id}" if user else f"ip:{request.remote_addr}"


@bp.post("/coach")
def coach():
    coach_allowance(client_key())
    body = json_body()
    text = body.get("text")
    analysis = analyse(text, body.get("recipient"), body.get("channel"))  # checks the input
    answer = analysis.to_dict()
    # Beyond the contract's {score, verdict, criteria}: the text cut into marked pieces,
    # so a client can show the marks without re-implementing the overlap rules.
    answer["marked"] = [{"text": seg.text, "kind": seg.kind, "labels": list(seg.labels)}
                        for seg in segments(text, analysis)]
    return answer
