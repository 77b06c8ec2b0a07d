"""A fixed-window rate limit kept in the database, shared by every worker and host.

One atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING count`` per request: no
read-modify-write race, no state in a worker's memory. Old windows are swept now and
then by the requests themselves.
"""

from __future__ import annotations

import functools
import random
import time

from flask import current_app
from sqlalchemy import delete

from .database import insert_for
from .exceptions import DomainError
from .extensions import db
from .models import RateLimit


@functools.lru_cache(maxsize=2)
def _increment(dialect: str):
    statement = insert_for(dialect, RateLimit)
    return statement.on_conflict_do_update(
        index_elements=["key", "window"],
        set_={"count": RateLimit.count + 1}).returning(RateLimit.count)


def hit(key: str, limit: int, per_seconds: int, now: float | None = None) -> int | None:
    """Count one request for ``key``; None if allowed, else seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // per_seconds)
    statement = _increment(db.session.get_bind().dialect.name)
    count = db.session.execute(statement, {"key": key[:120], "window": window,
                                           "count": 1}).scalar_one()
    if random.random() < 0.01:  # noqa: S311  (sweeping, not security)
        db.session.execute(delete(RateLimit).where(RateLimit.window < window - 1))
    db.session.commit()
    if count > limit:
        return max(1, int((window + 1) * per_seconds - now))
    return None


class RateLimited(DomainError):
    """Too many requests from one client; ``Retry-After`` says when to try again."""

    status = 429
    code = "rate_limited"


def coach_allowance(client: str, now: float | None = None) -> None:
    """Count one coach analysis for ``client`` (page and API share the count); raise
    ``RateLimited`` past ``COACH_RATE_LIMIT`` a minute."""
    limit = current_app.config["COACH_RATE_LIMIT"]
    wait = hit(f"coach:{client}", limit, 60, now)
    if wait is not None:
        raise RateLimited(message=f"That is more than {limit} analyses this minute; try "
                                  f"again in {wait} seconds.",
                          headers={"Retry-After": str(wait)})
