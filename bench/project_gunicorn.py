"""The worker settings of the repository's own ``gunicorn.conf.py``, for benchmarks that
must serve a baseline "under the same gunicorn settings" as the app.

The file is executed with ``runpy`` (its top level only reads the environment; its
``on_starting`` hook is not called), and the names a worker setup consists of are read
from it. Environment variables the file honours (``WEB_CONCURRENCY``, ``GUNICORN_THREADS``)
apply, exactly as they would to ``gunicorn -c gunicorn.conf.py``.
"""

from __future__ import annotations

import runpy
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "gunicorn.conf.py"
WORKER_NAMES = ("worker_class", "workers", "threads", "worker_connections", "keepalive")


def worker_settings(path: Path = CONFIG) -> dict:
    """``{worker_class, workers, threads, worker_connections, keepalive, timeout}`` as the
    file sets them (``timeout`` too, so a baseline is not killed sooner than the app)."""
    names = runpy.run_path(str(path))
    missing = [name for name in WORKER_NAMES if name not in names]
    if missing:
        raise RuntimeError(f"{path} does not set {', '.join(missing)}")
    settings = {name: names[name] for name in WORKER_NAMES}
    settings["timeout"] = names.get("timeout", 30)
    return settings


def describe(settings: dict) -> str:
    """One line for a report: ``4 gthread workers x 400 threads, worker_connections 400,
    keepalive 5 s``."""
    threads = (f" x {settings['threads']} threads" if settings["worker_class"] == "gthread"
               else "")
    text = (f"{settings['workers']} {settings['worker_class']} workers{threads}, "
            f"worker_connections {settings['worker_connections']}, "
            f"keepalive {settings['keepalive']} s")
    if (settings["worker_class"] == "gthread" and settings["keepalive"]
            and settings["worker_connections"] <= settings["threads"]):
        # gthread keeps at most worker_connections - threads idle connections open.
        text += " (worker_connections <= threads: gthread keeps no connection alive)"
    return text
