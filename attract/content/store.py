"""A loaded library that reloads itself when its files change.

Content is files in git; a trainer who edits a lesson on the server sees the
change without a restart. The store re-checks file timestamps at most once per
``interval`` seconds; a change that makes the content invalid is logged and the
last good library keeps serving. This is a cache of files, not application
state, so keeping it per worker is safe.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from .loader import content_files, load_library
from .model import Library
from .report import ContentError

log = logging.getLogger(__name__)


def _signature(root: Path) -> tuple:
    entries = []
    for path in content_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class ContentStore:
    def __init__(self, root: str | Path, interval: float = 2.0):
        self.root = Path(root)
        self.interval = interval
        self._lock = threading.Lock()
        self._signature = _signature(self.root)
        self._library = load_library(self.root)  # raises ContentError: refuse to start
        self._version = 1
        self._checked = time.monotonic()

    @property
    def library(self) -> Library:
        if self.interval > 0 and time.monotonic() - self._checked >= self.interval:
            self._maybe_reload()
        return self._library

    @property
    def version(self) -> int:
        """Goes up by one each time edited files are loaded; caches key on it."""
        self.library  # noqa: B018  (looks for edits first)
        return self._version

    def _maybe_reload(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is already looking
        try:
            self._checked = time.monotonic()
            signature = _signature(self.root)
            if signature == self._signature:
                return
            self._signature = signature
            try:
                self._library = load_library(self.root)
                self._version += 1
                log.info("content reloaded from %s", self.root)
            except ContentError as exc:
                log.error("content changed but is invalid; still serving the previous version:\n%s",
                          exc)
        finally:
            self._lock.release()
