"""Security events, one structured line each, on the ``attract.security`` logger.

``event("sign_in.failure", email=...)`` writes ``security {"event": ..., ...}``: JSON, so a
carriage return or line feed inside a value is escaped and cannot forge a second line.
Added from the request: the client's address, the method and the *route pattern*
(``/w/<code>``), never the path itself, which may hold a join code or an invite token.
Callers pass ids and names, never a password, a token, a secret or a join code.

Events: ``sign_in.success`` / ``.failure`` / ``.throttled`` (page and API token),
``sign_out.everywhere``, ``access.refused`` (another's cohort or room, 401 and 403),
``csrf.refused``, ``live_answer.rejected`` (late, duplicate, not open), ``export``.
"""

from __future__ import annotations

import json
import logging

from flask import has_request_context, request

log = logging.getLogger("attract.security")


def _context() -> dict:
    if not has_request_context():
        return {}
    rule = request.url_rule.rule if request.url_rule is not None else None
    return {"ip": request.remote_addr, "method": request.method, "route": rule}


def event(name: str, **fields) -> None:
    record = {"event": name, **_context(), **fields}
    log.info("security %s", json.dumps(record, ensure_ascii=True, sort_keys=True, default=str))
