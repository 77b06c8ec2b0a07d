"""Rate limits kept in the database, shared by every worker and host.

A sliding window, estimated from two fixed windows: the count so far in this window plus
the last window's count weighted by how much of it still lies inside the last
``per_seconds``. A fixed window alone let twice the limit through in a moment across a
window's edge (120 coach analyses in 2 s against a limit of 60 a minute). One atomic
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING count`` per request and one read of the
last window: no read-modify-write race, no state in a worker's memory. Rows are keyed by
the window's first second; the requests themselves sweep rows older than two hours now
and then (no limit here spans more than an hour).
"""

from __future__ import annotations

import functools
import math
import random
import time

from flask import current_app
from sqlalchemy import delete, select

from . import audit
from .database import insert_for
from .exceptions import DomainError
from .extensions import db
from .models import RateLimit

SWEEP_AFTER = 7200


@functools.lru_cache(maxsize=2)
def _increment(dialect: str):
    statement = insert_for(dialect, RateLimit)
    return statement.on_conflict_do_update(
        index_elements=["key", "window"],
        set_={"count": RateLimit.count + 1}).returning(RateLimit.count)


def _count(key: str, window: int) -> int:
    found = db.session.scalar(select(RateLimit.count).where(RateLimit.key == key,
                                                            RateLimit.window == window))
    return found or 0


def estimate(current: int, previous: int, elapsed: float) -> float:
    """Requests in the last window's length: all of this window's, and the share of the
    last window's that is still inside it (``elapsed``: the fraction of this window gone)."""
    return current + previous * (1.0 - elapsed)


def wait_seconds(current: int, previous: int, elapsed: float, limit: int,
                 per_seconds: int) -> int:
    """Seconds until one more request would be allowed (at least 1), given the counts so
    far (``current`` in this window, ``previous`` in the last)."""
    if current + 1 <= limit and previous:
        # this window has room: wait until the last window's weight has fallen enough
        allowed_at = 1.0 - (limit - 1 - current) / previous
        return max(1, math.ceil((allowed_at - elapsed) * per_seconds))
    # this window is full: wait for it to end, then for its own weight to fall
    later = max(0.0, 1.0 - (limit - 1) / max(current, 1))
    return max(1, math.ceil((1.0 - elapsed + later) * per_seconds))


def _windows(key: str, per_seconds: int, now: float | None):
    now = time.time() if now is None else now
    start = int(now // per_seconds) * per_seconds
    return key[:120], start, (now - start) / per_seconds, now


def hit(key: str, limit: int, per_seconds: int, now: float | None = None) -> int | None:
    """Count one request for ``key``; None if allowed, else seconds to wait."""
    key, start, elapsed, now = _windows(key, per_seconds, now)
    statement = _increment(db.session.get_bind().dialect.name)
    current = db.session.execute(statement, {"key": key, "window": start,
                                             "count": 1}).scalar_one()
    previous = _count(key, start - per_seconds)
    if random.random() < 0.01:  # noqa: S311  (sweeping, not security)
        db.session.execute(delete(RateLimit).where(RateLimit.window < now - SWEEP_AFTER))
    db.session.commit()
    if estimate(current, previous, elapsed) > limit:
        return wait_seconds(current, previous, elapsed, limit, per_seconds)
    return None


def peek(key: str, limit: int, per_seconds: int, now: float | None = None) -> int | None:
    """Like ``hit`` without counting: None if one more request would be allowed, else
    seconds to wait. Used before the expensive part (a password hash)."""
    key, start, elapsed, _ = _windows(key, per_seconds, now)
    current, previous = _count(key, start), _count(key, start - per_seconds)
    if estimate(current + 1, previous, elapsed) > limit:
        return wait_seconds(current, previous, elapsed, limit, per_seconds)
    return None


class RateLimited(DomainError):
    """Too many requests from one client; ``Retry-After`` says when to try again."""

    status = 429
    code = "rate_limited"


def coach_allowance(user_id: int | None, address: str | None,
                    now: float | None = None) -> None:
    """Count one coach analysis (page and API share the count) for the account, if any,
    and for the address: ``COACH_RATE_LIMIT`` a minute each, and
    ``COACH_RATE_LIMIT_PER_ADDRESS`` for an address, so that a fresh account (sign-up is
    open) brings no fresh allowance. Behind a proxy, set ``TRUSTED_PROXIES`` so the
    address is the client's, not the proxy's."""
    config = current_app.config
    buckets = [(f"coach:ip:{address or '-'}", config["COACH_RATE_LIMIT_PER_ADDRESS"])]
    if user_id is not None:
        buckets.insert(0, (f"coach:user:{user_id}", config["COACH_RATE_LIMIT"]))
    for key, limit in buckets:
        wait = hit(key, limit, 60, now)
        if wait is not None:
            raise RateLimited(message=f"That is more than {limit} analyses a minute; try "
                                      f"again in {wait} seconds.",
                              headers={"Retry-After": str(wait)})


# --- signing in ------------------------------------------------------------------------

def _sign_in_keys(email: str, address: str | None) -> list[str]:
    return [f"signin:email:{email.strip().lower()}", f"signin:ip:{address or '-'}"]


def sign_in_allowance(email: str, address: str | None, now: float | None = None) -> None:
    """Refuse before any password is hashed once ``SIGN_IN_FAILURES`` wrong passwords have
    been tried for this account, or from this address, in ``SIGN_IN_WINDOW`` seconds."""
    config = current_app.config
    limit, window = config["SIGN_IN_FAILURES"], config["SIGN_IN_WINDOW"]
    for key in _sign_in_keys(email, address):
        wait = peek(key, limit, window, now)
        if wait is not None:
            audit.event("sign_in.throttled", email=email, retry_after=wait,
                        by=key.split(":")[1])
            raise RateLimited(message="Too many wrong passwords; try again in "
                                      f"{_in_words(wait)}.",
                              headers={"Retry-After": str(wait)})


def sign_in_failed(email: str, address: str | None, now: float | None = None) -> None:
    audit.event("sign_in.failure", email=email)
    config = current_app.config
    for key in _sign_in_keys(email, address):
        hit(key, config["SIGN_IN_FAILURES"], config["SIGN_IN_WINDOW"], now)


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
