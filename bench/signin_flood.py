"""A flood of wrong passwords does not slow the site: /healthz latency during it.

    .venv/bin/python bench/signin_flood.py [--threads 8] [--seconds 10]

The project's server (``gunicorn -c gunicorn.conf.py app:app``, 2 workers) on a fresh
SQLite file. First /healthz alone, one request at a time, for ``--seconds``; then the
same while ``--threads`` clients post wrong passwords to ``POST /api/tokens`` for one
account, as fast as they can. Before the throttle (issue 12's probe), each try cost an
argon2 hash and an 8-way flood took /healthz from 3 ms to a median of 896 ms; now the
11th failure in 15 minutes is refused with 429 before any hash. Printed: the flood's
answers by status, and /healthz's median and p95 alone and under the flood.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from machine import cpu_model  # noqa: E402
from workshop_load import Database, Server, flask_cli, free_port  # noqa: E402


def status_of(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def health(base: str, seconds: float) -> list[float]:
    times, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        status_of(urllib.request.Request(base + "/healthz"))
        times.append((time.perf_counter() - start) * 1000)
    return times


def flood(base: str, seconds: float, threads: int) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    body = json.dumps({"email": "flooded@bench.example", "password": "wrong guess 1234"})

    def run() -> None:
        while time.monotonic() < deadline:
            request = urllib.request.Request(base + "/api/tokens", data=body.encode(),
                                             method="POST",
                                             headers={"Content-Type": "application/json"})
            status = status_of(request)
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms ({len(ordered)})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="attract-flood-"))
    db = Database(None, tmp)
    server = None
    try:
        env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": db.url,
               "ACCESS_LOG": "", "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING"}
        for name in ("CONTENT_DIR", "FLASK_DEBUG", "PORT", "ATTRACT_ENV"):
            env.pop(name, None)
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "users", "create", "flooded@bench.example", "--name", "Flooded",
                  "--password", secrets.token_urlsafe(16))
        port = free_port()
        server = Server("app", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                "app:app"], REPO, {**env, "BIND": f"127.0.0.1:{port}"}, port,
                        tmp / "app.log")
        server.start()
        server.wait_ready("/healthz")
        base = server.url()
        alone = health(base, args.seconds)
        result: dict = {}
        flooding = threading.Thread(target=lambda: result.update(
            statuses=flood(base, args.seconds, args.threads)))
        flooding.start()
        time.sleep(0.5)  # the flood under way
        under = health(base, args.seconds - 1)
        flooding.join()
    finally:
        if server is not None:
            server.stop()
        db.drop()
    statuses = result["statuses"]
    print(f"# sign-in flood: {args.threads} threads x {args.seconds:g} s, {cpu_model()}")
    print(f"flood answers: {dict(sorted(statuses.items()))} "
          f"({sum(statuses.values()) / args.seconds:.0f} a second)")
    print(f"/healthz alone:       {summary(alone)}")
    print(f"/healthz under flood: {summary(under)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
