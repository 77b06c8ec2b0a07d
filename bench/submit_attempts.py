"""Submitting quiz attempts over HTTP: 50 concurrent learners, gunicorn, SQLite.

What it measures: each of ``--learners`` threads is one signed-in learner (its own API
token) who, ``--rounds`` times, starts an attempt at a quiz, spends ``--think`` seconds
on it (uniformly 0.5x to 1.5x, so learners drift apart as real ones do), and submits it
with every answer (``POST /api/quizzes/<slug>/attempts``, ``POST /api/attempts/<id>/submit``).
All learners start together behind a barrier. It reports the latency of the submits
(p50/p95/p99), errors, and then counts the submitted attempt rows in the database:
they must equal the successful submits.

``--think 0`` turns it into a saturation test: every learner fires start+submit back to
back, so by Little's law latency is simply concurrency / throughput; its req/s column is
the server's capacity for submits. The README reports both.

Baseline, in the same run, same learners and concurrency: ``GET /api/quizzes/<slug>``,
the read-only JSON of the same quiz. Target (issue 3): submit p95 under 100 ms, no
errors, rows == submissions.

    .venv/bin/python bench/submit_attempts.py [--learners 50] [--rounds 4] [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from machine import cpu_model

REPO = Path(__file__).resolve().parent.parent
QUIZ = "spot-the-interruption"
TARGET_P95_MS = 100.0

SETUP = """
import json, sys
from attract import create_app
from attract.accounts import create_user, issue_token
from attract.scoring import answer_key
app = create_app({"ARGON2_PROFILE": "CHEAPEST"})
with app.app_context():
    tokens = [issue_token(create_user(f"learner{i}@bench.example", "bench password 123",
                                      f"Learner {i}")) for i in range(int(sys.argv[1]))]
    quiz = app.extensions["attract.content"].library.quizzes[sys.argv[2]]
    answers = {q["id"]: answer_key(q) for q in quiz.questions}
print(json.dumps({"tokens": tokens, "answers": answers}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, token: str, body: dict | None = None):
    """One request on a fresh connection (gunicorn's sync workers close after each)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    start = time.perf_counter()
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, (time.perf_counter() - start) * 1000
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(port, tokens, rounds, work):
    """Every learner runs ``work(token)`` ``rounds`` times, all starting together."""
    barrier = threading.Barrier(len(tokens))
    latencies, errors = [], []
    lock = threading.Lock()

    def learner(token):
        barrier.wait()
        for _ in range(rounds):
            try:
                result = work(token)
            except OSError as exc:
                result = [(0, str(exc).encode(), 0.0)]
            with lock:
                for status, data, ms in result:
                    if status in (200, 201):
                        latencies.append(ms)
                    else:
                        errors.append((status, data[:200]))

    threads = [threading.Thread(target=learner, args=(t,)) for t in tokens]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return latencies, errors, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="attempts per learner")
    parser.add_argument("--workers", type=int, default=min(2 * os.cpu_count() + 1, 8))
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a learner spends between start and submit "
                             "(default 1.0; 0 = saturation)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="attract-submit-bench-"))
    env = {**os.environ, "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": f"sqlite:///{tmp / 'attract.db'}", "CONTENT_RELOAD_SECONDS": "0"}
    env.pop("FLASK_DEBUG", None)
    server = None
    try:
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
                       cwd=REPO, env=env, check=True, capture_output=True)
        setup = json.loads(subprocess.run(
            [sys.executable, "-c", SETUP, str(args.learners), QUIZ], cwd=REPO, env=env,
            check=True, capture_output=True, text=True).stdout)
        tokens, answers = setup["tokens"], setup["answers"]
        port = free_port()
        conf = tmp / "gunicorn.py"
        conf.write_text(f"bind = '127.0.0.1:{port}'\nworkers = {args.workers}\n"
                        "worker_class = 'sync'\naccesslog = None\n")
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(conf), "app:app"],
                                  cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                  stderr=open(tmp / "server.log", "w"))  # noqa: SIM115
        for _ in range(300):
            try:
                if request(port, "GET", "/healthz", "")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start; see " + str(tmp / "server.log"))

        def read_quiz(token):  # paced like the submits, so the two are comparable
            if args.think > 0:
                time.sleep(args.think * random.uniform(0.5, 1.5))
            return [request(port, "GET", f"/api/quizzes/{QUIZ}", token)]

        def start_and_submit(token):
            status, data, ms = request(port, "POST", f"/api/quizzes/{QUIZ}/attempts", token)
            if status not in (200, 201):
                return [(status, data, ms)]
            attempt = json.loads(data)["attempt_id"]
            if args.think > 0:
                time.sleep(args.think * random.uniform(0.5, 1.5))
            return [request(port, "POST", f"/api/attempts/{attempt}/submit", token,
                            {"answers": answers})]

        for token in tokens[:10]:  # warm up every worker
            request(port, "GET", f"/api/quizzes/{QUIZ}", token)
        base, base_errors, base_wall = run_load(port, tokens, args.rounds, read_quiz)
        subs, sub_errors, sub_wall = run_load(port, tokens, args.rounds, start_and_submit)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    with sqlite3.connect(tmp / "attract.db") as connection:
        rows = connection.execute(
            "SELECT count(*) FROM attempts WHERE status = 'submitted'").fetchone()[0]
        hundred = connection.execute(
            "SELECT count(*) FROM attempts WHERE score = 100.0").fetchone()[0]
    shutil.rmtree(tmp, ignore_errors=True)

    cpu = cpu_model()
    print(f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"gunicorn {args.workers} sync workers, SQLite (WAL); {args.learners} concurrent "
          f"learners x {args.rounds} rounds, started together; think time "
          f"{args.think:g} s (0.5x-1.5x)\n")
    print("| request | n | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, values, errors, wall in (
            ("baseline: GET quiz JSON", base, base_errors, base_wall),
            ("submit attempt (12 answers)", subs, sub_errors, sub_wall)):
        print(f"| {label} | {len(values)} | {len(errors)} | {percentile(values, .5):.1f} | "
              f"{percentile(values, .95):.1f} | {percentile(values, .99):.1f} | "
              f"{max(values):.1f} | {len(values) / wall:.0f} |")
    expected = args.learners * args.rounds
    p95 = percentile(subs, .95)
    ok = not sub_errors and rows == len(subs) == expected and p95 < TARGET_P95_MS
    print(f"\nSubmitted attempt rows in the database: {rows} (successful submits {len(subs)}, "
          f"expected {expected}; all with score 100: {hundred == rows})")
    print(f"Submit p95 / baseline p95: {p95 / percentile(base, .95):.1f}x; "
          f"target p95 < {TARGET_P95_MS:.0f} ms, no errors, rows == submits: "
          f"**{'PASS' if ok else 'FAIL'}**")
    for status, data in sub_errors[:5]:
        print(f"error {status}: {data!r}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
