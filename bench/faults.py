"""Nothing acknowledged is ever lost: a live room's answer storm through server faults.

    .venv/bin/python bench/faults.py [--participants 300] [--database-url postgresql+psycopg://...]

The project's own server (``gunicorn -c gunicorn.conf.py app:app``, 2 workers) on a
fresh SQLite file or PostgreSQL schema. N players join a room; for each fault, the
trainer opens the next question and every player answers it at once (64 in flight),
retrying, as the phone's page does, on a dropped connection or a 5xx until it gets an
answer (for at most 30 s). A third of the way into the storm the fault strikes:

1. ``SIGKILL`` of one gunicorn worker (the master starts another);
2. ``SIGTERM`` of the master (a graceful stop), then the server is started again.

Then the question is closed and, per fault: answers sent (one per player), acknowledged
(201), acknowledged late (409 "already answered" on a retry: stored, but its first 201
was lost with the connection), stored (rows in ``live_answers``), duplicated (players
with more than one row for the step) and lost (acknowledged but not stored). After the
last fault a further question opens and is answered, so the room carried on.

Exit status: 0 when nothing acknowledged was lost, nothing was counted twice and every
player's answer was stored; 1 otherwise; 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from workshop_load import (  # noqa: E402
    BenchError,
    Database,
    Server,
    flask_cli,
    free_port,
    make_answer,
)

TRAINER = "faults@bench.example"
FAULTS = ("SIGKILL one worker", "SIGTERM the master, then start it again")
RETRY_FOR = 30.0


def call(base: str, method: str, path: str, body: dict | None = None,
         token: str | None = None, timeout: float = 10) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (OSError, ValueError, http.client.HTTPException):
        return 0, {}  # no whole HTTP answer: refused, reset, cut short, timed out


def patient(base, method, path, body=None, token=None) -> tuple[int, dict]:
    """Retry a trainer's call through a fault until it gets a 2xx or a 4xx."""
    deadline = time.monotonic() + RETRY_FOR
    while True:
        status, answer = call(base, method, path, body, token)
        if 200 <= status < 500 or time.monotonic() > deadline:
            return status, answer
        time.sleep(0.2)


def worker_pids(master: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{master}/task").glob("*/children"):
        found += [int(pid) for pid in task.read_text().split()]
    return found


class Player:
    def __init__(self, token: str):
        self.token = token
        self.outcome = ""   # "201", "409" (a retry found it stored), or "failed <status>"
        self.tries = 0


def storm(base: str, code: str, players: list[Player], question: dict, strike,
          rng: random.Random) -> None:
    sent = threading.Semaphore(0)
    struck = threading.Event()

    def answer(player: Player) -> None:
        body = {"question_id": question["id"], "answer": make_answer(question, rng)}
        deadline = time.monotonic() + RETRY_FOR
        first = True
        while True:
            player.tries += 1
            status, _ = call(base, "POST", f"/api/workshops/{code}/answers", body,
                             player.token)
            if first:
                sent.release()
                first = False
            if status == 201 or (status == 409 and player.tries > 1):
                player.outcome = str(status)
                return
            if 400 <= status < 500 or time.monotonic() > deadline:
                player.outcome = f"failed {status}"
                return
            time.sleep(0.1 + rng.random() * 0.3)  # as the page does: back off, try again

    def fault() -> None:
        for _ in range(max(1, len(players) // 3)):
            sent.acquire()
        strike()
        struck.set()

    trigger = threading.Thread(target=fault)
    trigger.start()
    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(answer, players))
    trigger.join()
    if not struck.is_set():
        raise BenchError("the fault never struck")


def run(participants: int, database_url: str | None, log=print) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="attract-faults-"))
    db = Database(database_url, tmp)
    server = None
    rng = random.Random(7)
    try:
        env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": db.url,
               "ACCESS_LOG": "", "JOIN_RATE_PER_ADDRESS": "100000",
               "JOIN_RATE_PER_CODE": "100000", "WEB_CONCURRENCY": "2",
               "GUNICORN_THREADS": "200", "GUNICORN_TIMEOUT": "30"}
        for name in ("CONTENT_DIR", "FLASK_DEBUG", "PORT", "ATTRACT_ENV"):
            env.pop(name, None)
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "users", "create", TRAINER, "--role", "trainer", "--name", "Faults",
                  "--password", secrets.token_urlsafe(16))
        trainer = flask_cli(env, "users", "token", TRAINER).strip().splitlines()[-1]
        port = free_port()
        server = Server("app", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                "app:app"], REPO, {**env, "BIND": f"127.0.0.1:{port}"}, port,
                        tmp / "app.log")
        server.start()
        server.wait_ready("/healthz")
        base = server.url()
        status, room = patient(base, "POST", "/api/workshops",
                               {"quiz": "spot-the-interruption", "scoring": "accuracy",
                                "time_limit": 600},
                               trainer)
        if status != 201:
            raise BenchError(f"could not create a room: {status} {room}")
        code, room_id = room["code"], room["id"]

        def join(n: int) -> Player:
            status, answer = patient(base, "POST", f"/api/workshops/{code}/join",
                                     {"nickname": ""})  # the room makes one up
            if status != 201:
                raise BenchError(f"join {n}: {status} {answer}")
            return Player(answer["token"])

        with ThreadPoolExecutor(max_workers=32) as pool:
            players = list(pool.map(join, range(participants)))
        log(f"{participants} players joined room {code}")

        def kill_worker() -> None:
            pids = worker_pids(server.process.pid)
            if not pids:
                raise BenchError("no gunicorn worker to kill")
            os.kill(pids[0], signal.SIGKILL)

        def restart_master() -> None:
            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=60)
            server.start()
            server.wait_ready("/healthz")

        rows = []
        patient(base, "POST", f"/api/workshops/{room_id}/control", {"action": "start"},
                trainer)
        for number, (name, strike) in enumerate(zip(FAULTS, (kill_worker, restart_master),
                                                     strict=True)):
            if number:
                patient(base, "POST", f"/api/workshops/{room_id}/control",
                        {"action": "next"}, trainer)
            status, state = patient(base, "POST", f"/api/workshops/{room_id}/control",
                                    {"action": "open"}, trainer)
            if status != 200:
                raise BenchError(f"could not open a question: {status} {state}")
            step = state["step"]
            for player in players:
                player.outcome, player.tries = "", 0
            started = time.monotonic()
            storm(base, code, players, step["question"], strike, rng)
            seconds = time.monotonic() - started
            patient(base, "POST", f"/api/workshops/{room_id}/control", {"action": "close"},
                    trainer)
            stored = db.count("SELECT count(*) FROM live_answers WHERE workshop_id = :w "
                              "AND step_index = :s", w=room_id, s=step["index"])
            distinct = db.count("SELECT count(DISTINCT participant_id) FROM live_answers "
                                "WHERE workshop_id = :w AND step_index = :s", w=room_id,
                                s=step["index"])
            acked = sum(p.outcome == "201" for p in players)
            late = sum(p.outcome == "409" for p in players)
            failed = sum(p.outcome.startswith("failed") for p in players)
            rows.append({"fault": name, "sent": participants, "acknowledged": acked,
                         "acknowledged late": late, "stored": stored,
                         "duplicated": stored - distinct,
                         "lost": max(0, acked + late - stored), "unanswered": failed,
                         "retries": sum(p.tries for p in players) - participants,
                         "seconds": round(seconds, 2)})
            log(json.dumps(rows[-1]))
        # the room carries on after the faults: one more question, answered by all
        patient(base, "POST", f"/api/workshops/{room_id}/control", {"action": "next"},
                trainer)
        status, state = patient(base, "POST", f"/api/workshops/{room_id}/control",
                                {"action": "open"}, trainer)
        question = state["step"]["question"]
        with ThreadPoolExecutor(max_workers=32) as pool:
            after = list(pool.map(lambda p: call(
                base, "POST", f"/api/workshops/{code}/answers",
                {"question_id": question["id"], "answer": make_answer(question, rng)},
                p.token)[0], players))
        rows.append({"fault": "none: the next question, after both", "sent": participants,
                     "acknowledged": after.count(201), "acknowledged late": 0,
                     "stored": db.count("SELECT count(*) FROM live_answers WHERE "
                                        "workshop_id = :w AND step_index = :s", w=room_id,
                                        s=state["step"]["index"]),
                     "duplicated": 0, "lost": 0, "unanswered": participants - after.count(201),
                     "retries": 0, "seconds": 0})
        log(json.dumps(rows[-1]))
        return rows
    finally:
        if server is not None:
            server.stop()
        db.drop()


def table(rows: list[dict]) -> str:
    keys = ["fault", "sent", "acknowledged", "acknowledged late", "stored", "duplicated",
            "lost", "unanswered", "retries", "seconds"]
    lines = ["| " + " | ".join(keys) + " |", "|---|" + "---:|" * (len(keys) - 1)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def healthy(rows: list[dict]) -> bool:
    return all(r["lost"] == 0 and r["duplicated"] == 0 and r["unanswered"] == 0
               and r["stored"] == r["sent"] for r in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    try:
        rows = run(args.participants, args.database_url)
    except BenchError as error:
        print(f"benchmark error: {error}", file=sys.stderr)
        return 2
    print()
    print(table(rows))
    ok = healthy(rows)
    print(f"\nNothing acknowledged lost, nothing counted twice, every answer stored: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
