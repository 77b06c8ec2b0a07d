"""Server-Sent Events for a room, with one change watcher per process.

The arithmetic that sinks live-quiz servers: 300 answers, each changing the count,
pushed to 300 streams is 90,000 messages a question. Here:

- one watcher thread per process asks the database, every ``LIVE_POLL_SECONDS``, for the
  version of the rooms its streams follow (``room.versions``: one small query, however
  many streams);
- when a version moved it builds that room's state once and wakes the streams;
- each stream sends the newest state and then waits ``LIVE_COALESCE_SECONDS`` before it
  sends again, so a burst of answers reaches a phone as a few messages, not hundreds.

The database stays the only source of truth: the watcher holds a copy of the newest
state per followed room, tagged with its version, and any process on any host builds
the same copy from the same rows. A stream holds no database connection while it waits.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator

from flask import Flask

from ..extensions import db
from .models import Workshop
from .state import Status

log = logging.getLogger(__name__)


def event(version: int, payload: str) -> str:
    """One SSE ``state`` event; ``payload`` is JSON on one line."""
    return f"event: state\nid: {version}\ndata: {payload}\n\n"


def dumps(state: dict) -> str:
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False)


class Snapshot:
    __slots__ = ("ended", "payload", "version")

    def __init__(self, version: int, payload: str, ended: bool):
        self.version, self.payload, self.ended = version, payload, ended


class Watcher:
    """Follows the rooms this process streams; see the module docstring."""

    def __init__(self, app: Flask, build, versions):
        self.app = app
        self.build = build  # (workshop) -> state dict, inside an app context
        self.versions = versions  # ({workshop id}) -> {workshop id: state version}
        self.poll = float(app.config["LIVE_POLL_SECONDS"])
        self.changed = threading.Condition()
        self.latest: dict[int, Snapshot] = {}
        self.followers: Counter[int] = Counter()
        self.pid = os.getpid()
        self.thread: threading.Thread | None = None

    def follow(self, workshop_id: int, snapshot: Snapshot) -> None:
        with self.changed:
            self.followers[workshop_id] += 1
            known = self.latest.get(workshop_id)
            if known is None or known.version < snapshot.version:
                self.latest[workshop_id] = snapshot
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="attract-live-watcher",
                                               daemon=True)
                self.thread.start()

    def unfollow(self, workshop_id: int) -> None:
        with self.changed:
            self.followers[workshop_id] -= 1
            if self.followers[workshop_id] <= 0:
                del self.followers[workshop_id]
                self.latest.pop(workshop_id, None)

    def newer(self, workshop_id: int, than: int, timeout: float) -> Snapshot | None:
        """The room's newest snapshot once its version passes ``than``; None on timeout."""
        end = time.monotonic() + timeout
        with self.changed:
            while True:
                snapshot = self.latest.get(workshop_id)
                if snapshot is not None and snapshot.version > than:
                    return snapshot
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)

    def _run(self) -> None:
        while True:
            with self.changed:
                watched = {wid: snap.version for wid, snap in self.latest.items()
                           if wid in self.followers}
            if watched:
                try:
                    self._check(watched)
                except Exception:  # a database hiccup must not kill the room's streams
                    log.exception("live watcher: checking rooms failed; retrying")
                    time.sleep(1.0)
            time.sleep(self.poll)

    def _check(self, watched: dict[int, int]) -> None:
        fresh = {}
        with self.app.app_context():
            try:
                for wid, version in self.versions(watched).items():
                    if version > watched[wid]:
                        workshop = db.session.get(Workshop, wid)
                        state = self.build(workshop)
                        fresh[wid] = Snapshot(state["version"], dumps(state),
                                              state["status"] == Status.ENDED)
            finally:
                db.session.remove()
        if fresh:
            with self.changed:
                for wid, snapshot in fresh.items():
                    known = self.latest.get(wid)
                    if wid in self.followers and (known is None
                                                  or known.version < snapshot.version):
                        self.latest[wid] = snapshot
                self.changed.notify_all()


def watcher_for(app: Flask, build, versions) -> Watcher:
    """This process's watcher (a new one after a fork: threads do not survive it)."""
    current = app.extensions.get("attract.live_watcher")
    if current is None or current.pid != os.getpid():
        current = app.extensions["attract.live_watcher"] = Watcher(app, build, versions)
    return current


def events(watcher: Watcher, workshop_id: int, first: Snapshot, last_seen: int | None,
           *, heartbeat: float, coalesce: float, lifetime: float) -> Iterator[str]:
    """The stream: the state now (unless the client has it), then each newer state at
    most once per ``coalesce`` seconds, a comment every ``heartbeat`` seconds, and an end
    after ``lifetime`` (EventSource reconnects with ``Last-Event-ID``) or the room's end."""
    yield "retry: 2000\n\n"
    sent = last_seen if last_seen is not None and last_seen <= first.version else -1
    watcher.follow(workshop_id, first)
    try:
        stop = time.monotonic() + lifetime
        while time.monotonic() < stop:
            snapshot = watcher.newer(workshop_id, sent, heartbeat)
            if snapshot is None:
                yield ": keep-alive\n\n"
                continue
            yield event(snapshot.version, snapshot.payload)
            sent = snapshot.version
            if snapshot.ended:
                return
            time.sleep(coalesce)
    finally:
        watcher.unfollow(workshop_id)
