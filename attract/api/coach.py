"""``POST /api/coach``: open to anyone, rate-limited per client in the database."""

from __future__ import annotations

from flask import current_app, request

from ..coach import API_MAX_TEXT, CoachInputError, analyse
from ..coach.highlight import segments
from ..ratelimit import hit
from . import bp
from .util import ApiError, bearer_user, json_body


def client_key() -> str:
    """Who is asking: the API user if a token is sent, else the client's address."""
    user = bearer_user()
    return f"user:{user.id}" if user else f"ip:{request.remote_addr}"


@bp.post("/coach")
def coach():
    limit = current_app.config["COACH_RATE_LIMIT"]
    wait = hit(f"coach:{client_key()}", limit, 60)
    if wait is not None:
        raise ApiError(429, "rate_limited", f"At most {limit} analyses a minute; try again "
                       f"in {wait} seconds.", {"Retry-After": str(wait)})
    body = json_body()
    text = body.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ApiError(400, "missing_text", "Send the draft to analyse as 'text'.")
    if not isinstance(text, str):
        raise ApiError(422, "invalid_field", "'text' must be a string.")
    if len(text) > API_MAX_TEXT:
        raise ApiError(413, "too_large", f"The draft is {len(text):,} characters; the coach "
                                         f"takes at most {API_MAX_TEXT:,}.")
    recipient, channel = body.get("recipient"), body.get("channel")
    if recipient is not None and (not isinstance(recipient, str) or len(recipient) > 200):
        raise ApiError(422, "invalid_field", "'recipient' must be a name of at most 200 "
                                             "characters.")
    if channel is not None and not isinstance(channel, str):
        raise ApiError(422, "invalid_field", "'channel' must be a string.")
    try:
        analysis = analyse(text, recipient, channel)
    except CoachInputError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None
    answer = analysis.to_dict()
    # Beyond the contract's {score, verdict, criteria}: the text cut into marked pieces,
    # so a client can show the marks without re-implementing the overlap rules.
    answer["marked"] = [{"text": seg.text, "kind": seg.kind, "labels": list(seg.labels)}
                        for seg in segments(text, analysis)]
    return answer
