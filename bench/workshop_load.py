"""Live workshop load: a room of phones on event streams, and the answer endpoint's capacity.

What it measures, driving the JSON API from outside against ``gunicorn -c gunicorn.conf.py
app:app`` (the project's own worker setup, its ``on_starting`` migration included):

1. **The live room.** ``--participants`` N (default 300) join a fresh room; each opens
   ``GET /api/workshops/<code>/events`` and keeps it open. The trainer starts the room and,
   for each of the first ``--questions`` (5) questions of ``spot-the-interruption``,
   sends ``open``; every participant, on seeing the question open *in its own stream*,
   waits a random 0..``--window`` s (3 s: a real room does not answer in one instant) and
   posts one valid answer. Reported: joins accepted; answers sent, accepted (201) and
   stored (rows in ``live_answers``, and the trainer's results API), which must be equal;
   5xx (must be 0); answer latency p50/p95/p99; and, after the last answer's 201, how
   long until every open stream has received a state whose ``answered`` equals the
   accepted count (the maximum over streams, and the median). Then close, reveal, next.
2. **Capacity.** A fresh room with ``--capacity-participants`` M (2,000) joined
   beforehand, no streams, one question open with a 600 s limit; then all M answers are
   fired with ``--concurrency`` C (64) in flight: answers per second. The floor, in the
   same run and alternated with it: a bare Flask app (one POST route that parses the JSON
   body and returns 201 JSON, written to the temporary directory) served by gunicorn with
   the same worker_class/workers/threads/worker_connections/keepalive as
   ``gunicorn.conf.py`` (read from the file), hit by the same client with the same bodies,
   at the same concurrency, for the same number of requests. The ratio is what matters.

Targets (the issue's, set for 300 participants; applied to any N and printed either way):
p95 answer latency under 250 ms; the full count on every stream within 1 s of the last
answer; capacity at least 10% of the floor; joins all accepted, answers sent == accepted ==
stored, no 5xx. ``--runs`` rounds (default 3: live, capacity app, capacity floor each
round) give medians. The load generator is one Python process (asyncio + aiohttp) on the
same cores as the servers; it reports its own CPU time and event-loop lag so that a
saturated client can be told from a slow server.

Databases: a fresh SQLite file in a temporary directory (migrated with
``flask --app app db upgrade``), or ``--database-url postgresql+psycopg://...``: a fresh
schema per invocation (``options=-csearch_path=<schema>``), dropped at the end.

The load generator plays the whole room from 127.0.0.1, so the join limits per address
and per room (``JOIN_RATE_PER_ADDRESS``, ``JOIN_RATE_PER_CODE``) are raised for the server
(``--join-rate``, default 100000 a minute); every other setting is the app's default.

Exit status: 0 every target met, 1 a target missed, 2 the benchmark could not run,
130 interrupted. Needs ``pip install -e '.[bench]'`` (aiohttp).

    .venv/bin/python bench/workshop_load.py --participants 300 --runs 3
    .venv/bin/python bench/workshop_load.py --participants 1000 --runs 1 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from machine import cpu_model
from project_gunicorn import describe as describe_workers
from project_gunicorn import worker_settings

try:
    import aiohttp
except ImportError:  # reported in main(): exit 2 with the install line
    aiohttp = None

REPO = Path(__file__).resolve().parent.parent
QUIZ = "spot-the-interruption"
TARGET_P95_MS = 250.0
TARGET_FULL_COUNT_S = 1.0
TARGET_CAPACITY_RATIO = 0.10
START_TIMEOUT = 90.0
# No reply within this long counts as a failed request (status 0): a request the server
# accepted and then never served must not hang the benchmark.
REQUEST_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0
TRAINER_EMAIL = "trainer@bench.example"
NOTHING_LOST = "nothing lost (joins == N, answers sent == accepted == stored, no stream lost)"

FLOOR_APP = '''\
"""Bare Flask floor for bench/workshop_load.py: parse the JSON body, answer 201 JSON."""

from flask import Flask, request

app = Flask(__name__)


@app.post("/api/workshops/<code>/answers")
def answer(code):
    body = request.get_json()
    return ({"accepted": True, "question_id": body["question_id"]}, 201,
            {"Cache-Control": "no-store"})
'''

FLOOR_CONFIG = """\
# Written by bench/workshop_load.py: gunicorn.conf.py's worker settings, without its hooks.
bind = {bind!r}
worker_class = {worker_class!r}
workers = {workers}
threads = {threads}
worker_connections = {worker_connections}
keepalive = {keepalive}
timeout = {timeout}
accesslog = None
errorlog = {errorlog!r}
loglevel = "warning"
"""


class BenchError(RuntimeError):
    """The benchmark could not run; the message says why."""


# --- small helpers ---------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "n/a"


_TICK = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of ``root`` and its live children (gunicorn's workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def connections_per_process(port: int) -> list[int]:
    """Established connections to ``port`` per server process, most first (``ss``)."""
    if shutil.which("ss") is None:
        return []
    out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, timeout=20, check=False).stdout
    return sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)


# --- servers and database --------------------------------------------------------------

@dataclass
class Server:
    name: str
    command: list[str]
    cwd: Path
    env: dict
    port: int
    log: Path
    process: subprocess.Popen | None = None

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_ready(self, path: str, method: str = "GET") -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BenchError(f"{self.name} exited with status {self.process.returncode}:"
                                 f"\n{self.tail()}")
            try:
                request = urllib.request.Request(self.url(path), method=method)
                with urllib.request.urlopen(request, timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise BenchError(f"{self.name} did not answer within {START_TIMEOUT:.0f} s ({last}):"
                         f"\n{self.tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)


class Database:
    """A fresh SQLite file, or a fresh PostgreSQL schema (dropped by ``drop``)."""

    def __init__(self, base_url: str | None, tmp: Path):
        from sqlalchemy import create_engine, text
        self._text = text
        self.schema = None
        if base_url is None:
            self.kind = "SQLite (WAL), temporary file"
            self.url = f"sqlite:///{tmp / 'attract.db'}"
            self.admin = None
        else:
            if not base_url.startswith("postgresql"):
                raise BenchError("--database-url must be a postgresql+psycopg:// URL")
            self.schema = f"bench_{secrets.token_hex(4)}"
            self.admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
            try:
                with self.admin.connect() as connection:
                    version = connection.execute(text("SHOW server_version")).scalar_one()
                    connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            except Exception as exc:
                raise BenchError(f"cannot create a schema in {base_url}: {exc}") from exc
            self.kind = f"PostgreSQL {version}, fresh schema {self.schema}"
            join = "&" if "?" in base_url else "?"
            self.url = f"{base_url}{join}options=-csearch_path%3D{self.schema}"
        self.engine = create_engine(self.url)

    def count(self, sql: str, **params) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(self._text(sql), params).scalar_one())

    def drop(self) -> None:
        self.engine.dispose()
        if self.admin is not None and self.schema is not None:
            with self.admin.connect() as connection:
                connection.execute(self._text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self.admin.dispose()


def flask_cli(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=180, check=False)
    if result.returncode != 0:
        raise BenchError(f"flask {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- the client ------------------------------------------------------------------------

@dataclass
class Reply:
    status: int          # 0: no HTTP answer (connection error, timeout)
    ms: float
    done: float          # perf_counter when the answer was read
    body: object = None


class Client:
    """Counts every status the server answered, by kind of request."""

    def __init__(self, session: aiohttp.ClientSession):
        self.session = session
        self.statuses: dict[str, Counter] = {}

    def note(self, kind: str, status: int) -> None:
        self.statuses.setdefault(kind, Counter())[status] += 1

    async def call(self, kind: str, method: str, url: str, *, body=None,
                   token: str | None = None, data: bytes | None = None) -> Reply:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        began = time.perf_counter()
        try:
            async with self.session.request(
                    method, url, json=body, data=data, headers=headers,
                    timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as response:
                raw = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError, OSError):
            now = time.perf_counter()
            self.note(kind, 0)
            return Reply(0, (now - began) * 1000, now)
        now = time.perf_counter()
        self.note(kind, status)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw[:200]
        return Reply(status, (now - began) * 1000, now, parsed)

    def count_5xx(self) -> int:
        return sum(n for counter in self.statuses.values()
                   for status, n in counter.items() if status >= 500)


def new_session(limit: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=limit, limit_per_host=limit, ttl_dns_cache=None)
    return aiohttp.ClientSession(connector=connector,
                                 timeout=aiohttp.ClientTimeout(total=None, connect=30,
                                                               sock_read=None))


def make_answer(question: dict, rng: random.Random) -> object:
    """Any valid answer to a public question (right or wrong does not matter)."""
    kind = question["type"]
    if kind == "verdict":
        return rng.choice(question.get("choices") or ["attraction", "interruption"])
    if kind == "choice":
        ids = [option["id"] for option in question["options"]]
        return [rng.choice(ids)] if question.get("multiple") else rng.choice(ids)
    if kind == "rating":
        scale = question.get("scale") or {"min": 1, "max": 5}
        return rng.randint(int(scale["min"]), int(scale["max"]))
    if kind == "rank":
        ids = [option["id"] for option in question["options"]]
        rng.shuffle(ids)
        return ids
    if kind == "spot":
        ids = [segment["id"] for segment in question["segments"]]
        return rng.sample(ids, k=rng.randint(1, len(ids)))
    if kind == "rewrite":
        return "Hi Sam, I enjoyed your post on field sales. What are you working on now?"
    raise BenchError(f"cannot answer a question of type {kind!r}")


async def join_all(client: Client, base: str, code: str, count: int, concurrency: int,
                   prefix: str) -> tuple[list[dict], list[float]]:
    """``count`` participants join with concurrency ``concurrency``; the accepted ones."""
    joined: list[dict] = []
    latencies: list[float] = []
    numbers = iter(range(count))

    async def worker() -> None:
        for number in numbers:
            reply = await client.call("join", "POST", f"{base}/api/workshops/{code}/join",
                                      body={"nickname": f"{prefix}{number}"})
            if reply.status == 201 and isinstance(reply.body, dict):
                joined.append(reply.body)
                latencies.append(reply.ms)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    return joined, latencies


class LoopLag:
    """How late the event loop wakes a 50 ms sleeper: the client's own saturation."""

    def __init__(self):
        self.lags: list[float] = []
        self.task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append((time.perf_counter() - began - 0.05) * 1000)

    def start(self) -> None:
        self.lags = []
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> dict:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        return {"p99_ms": percentile(self.lags, 0.99), "max_ms": max(self.lags, default=None)}


@dataclass
class Phone:
    """One participant: its token, its stream, and its answers."""

    token: str
    pid: int
    log: list[tuple[float, int, int]] = field(default_factory=list)  # (t, step, answered)
    first_state: bool = False
    ended: bool = False
    error: str | None = None
    last_step: int | None = None
    last_answered: int = -1
    answered_steps: set = field(default_factory=set)


class LiveRoom:
    """Drives one live room: joins, streams, questions; collects every figure."""

    def __init__(self, args, base: str, trainer: str, rng: random.Random):
        self.args, self.base, self.trainer, self.rng = args, base, trainer, rng
        self.current: int | None = None       # the step index now open for answers
        self.answers: dict[int, list[asyncio.Task]] = {}
        self.phones: list[Phone] = []

    def on_state(self, phone: Phone, state: dict, now: float) -> None:
        step = state.get("step")
        if state.get("status") == "ended":
            phone.ended = True
        if not step or step.get("kind") != "question":
            return
        index = step["index"]
        answered = int(state.get("answered", 0))
        phone.log.append((now, index, answered))
        phone.last_step, phone.last_answered = index, answered
        if (step.get("open") and index == self.current
                and index not in phone.answered_steps):
            phone.answered_steps.add(index)
            delay = self.rng.uniform(0, self.args.window)
            answer = make_answer(step["question"], self.rng)
            self.answers.setdefault(index, []).append(asyncio.create_task(
                self.answer(phone, step["question"]["id"], answer, delay)))

    async def answer(self, phone: Phone, question_id: str, answer: object,
                     delay: float) -> Reply:
        await asyncio.sleep(delay)
        return await self.client.call(
            "answer", "POST", f"{self.base}/api/workshops/{self.code}/answers",
            body={"question_id": question_id, "answer": answer}, token=phone.token)

    async def stream(self, phone: Phone) -> None:
        url = f"{self.base}/api/workshops/{self.code}/events"
        try:
            async with self.client.session.get(url) as response:
                self.client.note("events", response.status)
                if response.status != 200:
                    phone.error = f"HTTP {response.status}"
                    return
                buffer = b""
                async for chunk in response.content.iter_any():
                    now = time.perf_counter()
                    buffer += chunk
                    while (end := buffer.find(b"\n\n")) >= 0:
                        block, buffer = buffer[:end], buffer[end + 2:]
                        name, data = "message", []
                        for line in block.split(b"\n"):
                            if line.startswith(b"event:"):
                                name = line[6:].strip().decode()
                            elif line.startswith(b"data:"):
                                data.append(line[5:].lstrip(b" "))
                        if name == "state" and data:
                            phone.first_state = True
                            self.on_state(phone, json.loads(b"\n".join(data)), now)
                    if phone.ended:
                        return
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            if not phone.ended:
                phone.error = f"{type(exc).__name__}: {exc}"
                self.client.note("events", 0)

    async def wait_for(self, condition, timeout: float, what: str) -> float:
        began = time.perf_counter()
        while not condition():
            if time.perf_counter() - began > timeout:
                raise TimeoutError(what)
            await asyncio.sleep(0.01)
        return time.perf_counter() - began

    async def control(self, action: str) -> dict:
        """One trainer action; a request that got no reply is sent again (as a trainer
        would click again), up to three times; the lost ones show in the statuses."""
        for _ in range(3):
            reply = await self.trainer_client.call(
                "control", "POST", f"{self.base}/api/workshops/{self.room}/control",
                body={"action": action}, token=self.trainer)
            if reply.status != 0:
                break
        if reply.status != 200:
            raise BenchError(f"control {action!r} answered {reply.status}: {reply.body}")
        return reply.body

    async def run(self, db: Database, server: Server) -> dict:
        n = self.args.participants
        figures: dict = {"participants": n}
        async with new_session(0) as session, new_session(8) as trainer_session:
            self.client, self.trainer_client = Client(session), Client(trainer_session)
            created = await self.trainer_client.call(
                "create", "POST", f"{self.base}/api/workshops", token=self.trainer,
                body={"quiz": QUIZ, "scoring": "speed", "time_limit": 60})
            if created.status != 201:
                raise BenchError(f"creating a room answered {created.status}: {created.body}")
            self.room, self.code = created.body["id"], created.body["code"]

            began = time.perf_counter()
            joined, join_ms = await join_all(self.client, self.base, self.code, n,
                                             self.args.join_concurrency, "Phone ")
            figures.update(joins_sent=n, joins_accepted=len(joined),
                           join_seconds=time.perf_counter() - began,
                           join_p95_ms=percentile(join_ms, 0.95))
            self.phones = [Phone(p["token"], p["participant_id"]) for p in joined]

            streams = [asyncio.create_task(self.stream(phone)) for phone in self.phones]
            try:
                began = time.perf_counter()
                with contextlib.suppress(TimeoutError):
                    await self.wait_for(lambda: all(p.first_state or p.error
                                                    for p in self.phones), 60, "streams")
                figures["streams_open_seconds"] = time.perf_counter() - began
                for phone in self.phones:
                    if not (phone.first_state or phone.error):
                        phone.error = "no state within 60 s of opening the stream"
                figures["streams_open"] = sum(p.first_state for p in self.phones)
                figures["connections_per_worker"] = connections_per_process(server.port)

                state = await self.control("start")
                questions = []
                lag = LoopLag()
                lag.start()
                cpu_client, cpu_server, wall = (time.process_time(),
                                                process_tree_cpu(server.process.pid),
                                                time.perf_counter())
                for number in range(self.args.questions):
                    step = state["step"]
                    if step is None or step["kind"] != "question":
                        raise BenchError(f"step {number} of {QUIZ} is not a question")
                    questions.append(await self.question(step["index"]))
                    state = await self.control("close")
                    state = await self.control("reveal")
                    if number < self.args.questions - 1:
                        state = await self.control("next")
                figures["client_cpu_seconds"] = time.process_time() - cpu_client
                figures["server_cpu_seconds"] = (process_tree_cpu(server.process.pid)
                                                 - cpu_server)
                figures["questions_wall_seconds"] = time.perf_counter() - wall
                figures["loop_lag"] = await lag.stop()
                await self.control("end")
                with contextlib.suppress(TimeoutError):
                    await self.wait_for(lambda: all(p.ended or p.error for p in self.phones),
                                        15, "streams did not end")
            finally:
                for task in streams:
                    task.cancel()
                await asyncio.gather(*streams, return_exceptions=True)

            results = await self.trainer_client.call(
                "results", "GET", f"{self.base}/api/workshops/{self.room}/results",
                token=self.trainer)
            if results.status != 200:
                raise BenchError(f"results answered {results.status}: {results.body}")
            figures["stored_results_api"] = sum(q["answered"] for q in
                                                results.body["questions"])
            figures["stored_db"] = db.count(
                "SELECT count(*) FROM live_answers WHERE workshop_id = :w", w=self.room)
            figures["stream_errors"] = sum(1 for p in self.phones if p.error)
            figures["stream_error_examples"] = sorted({p.error for p in self.phones
                                                       if p.error})[:3]
            replies = [r for q in questions for r in q.pop("replies")]
            figures["answers_sent"] = len(replies)
            figures["answers_accepted"] = sum(1 for r in replies if r.status == 201)
            figures["answer_statuses"] = dict(Counter(r.status for r in replies))
            latencies = [r.ms for r in replies if r.status]
            figures.update({f"answer_p{int(q * 100)}_ms": percentile(latencies, q)
                            for q in (0.50, 0.95, 0.99)})
            figures["answer_max_ms"] = max(latencies, default=None)
            figures["questions"] = questions
            full = [q["full_count_max_s"] for q in questions]
            figures["full_count_max_s"] = (None if None in full else max(full, default=None))
            figures["full_count_median_s"] = median([q["full_count_median_s"]
                                                     for q in questions])
            figures["streams_missing_full_count"] = sum(q["streams_missing"]
                                                        for q in questions)
            statuses = {kind: dict(c) for kind, c in self.client.statuses.items()}
            for kind, counter in self.trainer_client.statuses.items():
                statuses[f"trainer {kind}"] = dict(counter)
            figures["statuses"] = statuses
            figures["server_5xx"] = self.client.count_5xx() + self.trainer_client.count_5xx()
        return figures

    async def question(self, index: int) -> dict:
        """Open step ``index``; every phone answers once it sees it open; then wait for
        every stream to show the full count."""
        n = len(self.phones)
        self.current = index
        await self.control("open")
        # The phones that never see it open within 30 s send nothing: answers_sent shows it.
        with contextlib.suppress(TimeoutError):
            await self.wait_for(lambda: len(self.answers.get(index, ())) >= n,
                                30, "not every stream saw the question open within 30 s")
        tasks = self.answers.get(index, [])
        replies = list(await asyncio.gather(*tasks))
        self.current = None
        accepted = [r for r in replies if r.status == 201]
        last = max((r.done for r in accepted), default=time.perf_counter())
        target = len(accepted)
        live = [p for p in self.phones if not p.error]
        with contextlib.suppress(TimeoutError):
            await self.wait_for(lambda: all(p.last_step == index and p.last_answered >= target
                                            for p in live), self.args.full_count_timeout,
                                "full count")
        delays, missing = [], 0
        for phone in live:
            seen = next((t for t, step, answered in phone.log
                         if step == index and answered >= target), None)
            if seen is None:
                missing += 1
            else:
                delays.append(max(0.0, seen - last))
        return {"step": index, "sent": len(replies), "accepted": target,
                "full_count_max_s": max(delays) if delays and not missing else None,
                "full_count_median_s": median(delays), "streams_missing": missing,
                "answer_p95_ms": percentile([r.ms for r in replies if r.status], 0.95),
                "replies": replies}


async def fire(client: Client, kind: str, url: str, items: list[tuple[str, bytes]],
               concurrency: int) -> dict:
    """Send every ``(token, body)`` to ``url`` with ``concurrency`` in flight; the rate."""
    queue = iter(items)
    replies: list[Reply] = []

    async def worker() -> None:
        for token, data in queue:
            replies.append(await client.call(kind, "POST", url, data=data, token=token))

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies = [r.ms for r in replies if r.status]
    return {"requests": len(replies), "seconds": elapsed,
            "per_second": sum(1 for r in replies if r.status == 201) / elapsed,
            "statuses": dict(Counter(r.status for r in replies)),
            "p50_ms": percentile(latencies, 0.50), "p99_ms": percentile(latencies, 0.99),
            "server_5xx": sum(1 for r in replies if r.status >= 500)}


async def capacity_room(args, base: str, trainer: str, rng: random.Random) -> dict:
    """A fresh room of M joined participants and one open question: the bodies to send."""
    async with new_session(args.join_concurrency + 8) as session:
        client = Client(session)
        created = await client.call("create", "POST", f"{base}/api/workshops", token=trainer,
                                    body={"quiz": QUIZ, "scoring": "speed", "time_limit": 600})
        if created.status != 201:
            raise BenchError(f"creating a room answered {created.status}: {created.body}")
        room, code = created.body["id"], created.body["code"]
        joined, _ = await join_all(client, base, code, args.capacity_participants,
                                   args.join_concurrency, "Cap ")
        if len(joined) != args.capacity_participants:
            raise BenchError(f"capacity room: only {len(joined)} of "
                             f"{args.capacity_participants} joins accepted "
                             f"({dict(client.statuses['join'])})")
        control = f"{base}/api/workshops/{room}/control"
        await client.call("control", "POST", control, body={"action": "start"}, token=trainer)
        opened = await client.call("control", "POST", control, body={"action": "open"},
                                   token=trainer)
        if opened.status != 200:
            raise BenchError(f"capacity room: open answered {opened.status}: {opened.body}")
        question = opened.body["step"]["question"]
        items = [(p["token"], json.dumps({"question_id": question["id"],
                                          "answer": make_answer(question, rng)}).encode())
                 for p in joined]
        return {"room": room, "code": code, "items": items, "join_5xx": client.count_5xx()}


async def capacity_run(args, server: Server, url_base: str, items, kind: str,
                       code: str) -> dict:
    async with new_session(args.concurrency + 8) as session:
        client = Client(session)
        cpu_client, cpu_server = time.process_time(), process_tree_cpu(server.process.pid)
        figures = await fire(client, kind, f"{url_base}/api/workshops/{code}/answers", items,
                             args.concurrency)
        figures["client_cpu_seconds"] = time.process_time() - cpu_client
        figures["server_cpu_seconds"] = process_tree_cpu(server.process.pid) - cpu_server
        return figures


async def end_room(base: str, trainer: str, room: int) -> None:
    async with new_session(2) as session:
        await Client(session).call("control", "POST", f"{base}/api/workshops/{room}/control",
                                   body={"action": "end"}, token=trainer)


async def benchmark(args, app: Server, floor: Server, db: Database, trainer: str,
                    log, rounds: list[dict]) -> None:
    """Every round, appended to ``rounds`` as it completes (so that the rounds done so far
    can still be reported when a later one cannot run)."""
    rng = random.Random(args.seed)
    base = app.url()
    # Untimed warm-up: every worker of both servers loads what it lazily loads.
    warm = await capacity_room(argparse.Namespace(**{**vars(args),
                                                     "capacity_participants": 200}),
                               base, trainer, rng)
    await capacity_run(args, app, base, warm["items"], "warm-up", warm["code"])
    await capacity_run(args, floor, floor.url(), warm["items"], "warm-up", warm["code"])
    await end_room(base, trainer, warm["room"])
    for number in range(1, args.runs + 1):
        entry: dict = {"run": number, "load_before": load_average()}
        live = LiveRoom(args, base, trainer, rng)
        entry["live"] = await live.run(db, app)
        lv = entry["live"]
        log(f"run {number}/{args.runs} live: joins {lv['joins_accepted']}/{lv['joins_sent']}, "
            f"answers sent {lv['answers_sent']} accepted {lv['answers_accepted']} stored "
            f"{lv['stored_db']}, 5xx {lv['server_5xx']}, p50/p95/p99 "
            f"{_ms(lv['answer_p50_ms'])}/{_ms(lv['answer_p95_ms'])}/{_ms(lv['answer_p99_ms'])}"
            f", full count max {_s(lv['full_count_max_s'])} median "
            f"{_s(lv['full_count_median_s'])}, streams per worker "
            f"{lv['connections_per_worker']}")
        if args.capacity_participants:
            room = await capacity_room(args, base, trainer, rng)
            cap = await capacity_run(args, app, base, room["items"], "capacity", room["code"])
            cap["stored_db"] = db.count("SELECT count(*) FROM live_answers "
                                        "WHERE workshop_id = :w", w=room["room"])
            cap["join_5xx"] = room["join_5xx"]
            await end_room(base, trainer, room["room"])
            floor_figures = await capacity_run(args, floor, floor.url(), room["items"],
                                               "floor", room["code"])
            entry["capacity"], entry["floor"] = cap, floor_figures
            log(f"run {number}/{args.runs} capacity: app {cap['per_second']:.0f} answers/s "
                f"(stored {cap['stored_db']}/{len(room['items'])}, statuses "
                f"{cap['statuses']}), floor {floor_figures['per_second']:.0f} req/s "
                f"({floor_figures['statuses']})")
        for server in (app, floor):
            if not server.alive():
                raise BenchError(f"{server.name} died during run {number}:\n{server.tail()}")
        rounds.append(entry)


# --- report ----------------------------------------------------------------------------

def _ms(value) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _s(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def summarise(args, rounds: list[dict]) -> dict:
    lives = [r["live"] for r in rounds]
    n = args.participants
    expected = n * args.questions
    summary = {
        "joins_accepted": [lv["joins_accepted"] for lv in lives],
        "answers_sent": [lv["answers_sent"] for lv in lives],
        "answers_accepted": [lv["answers_accepted"] for lv in lives],
        "stored_db": [lv["stored_db"] for lv in lives],
        "stored_results_api": [lv["stored_results_api"] for lv in lives],
        "server_5xx": sum(lv["server_5xx"] for lv in lives),
        "stream_errors": sum(lv["stream_errors"] for lv in lives),
        "answer_p50_ms": median([lv["answer_p50_ms"] for lv in lives]),
        "answer_p95_ms": median([lv["answer_p95_ms"] for lv in lives]),
        "answer_p99_ms": median([lv["answer_p99_ms"] for lv in lives]),
        "answer_p95_ms_runs": [lv["answer_p95_ms"] for lv in lives],
        "full_count_max_s": (None if any(lv["full_count_max_s"] is None for lv in lives)
                             else median([lv["full_count_max_s"] for lv in lives])),
        "full_count_max_s_runs": [lv["full_count_max_s"] for lv in lives],
        "full_count_median_s": median([lv["full_count_median_s"] for lv in lives]),
        "streams_missing_full_count": sum(lv["streams_missing_full_count"] for lv in lives),
    }
    no_loss = all(lv["joins_accepted"] == n and lv["answers_sent"] == expected
                  and lv["answers_accepted"] == lv["stored_db"] == lv["stored_results_api"]
                  == lv["answers_sent"] and lv["stream_errors"] == 0 for lv in lives)
    targets = {
        NOTHING_LOST: no_loss,
        "no 5xx": summary["server_5xx"] == 0,
        f"answer p95 < {TARGET_P95_MS:.0f} ms": (summary["answer_p95_ms"] is not None
                                                 and summary["answer_p95_ms"]
                                                 < TARGET_P95_MS),
        f"full count on every stream within {TARGET_FULL_COUNT_S:g} s":
            summary["full_count_max_s"] is not None
            and summary["full_count_max_s"] <= TARGET_FULL_COUNT_S,
    }
    if args.capacity_participants:
        caps = [r["capacity"] for r in rounds]
        floors = [r["floor"] for r in rounds]
        app_rate = median([c["per_second"] for c in caps])
        floor_rate = median([f["per_second"] for f in floors])
        summary.update(
            capacity_per_second=app_rate, capacity_runs=[c["per_second"] for c in caps],
            floor_per_second=floor_rate, floor_runs=[f["per_second"] for f in floors],
            capacity_ratio=app_rate / floor_rate,
            paired_ratios=[c["per_second"] / f["per_second"] for c, f in zip(caps, floors,
                                                                              strict=True)],
            capacity_p50_ms=median([c["p50_ms"] for c in caps]),
            capacity_p99_ms=median([c["p99_ms"] for c in caps]),
            floor_p50_ms=median([f["p50_ms"] for f in floors]),
            floor_p99_ms=median([f["p99_ms"] for f in floors]),
            capacity_stored=[c["stored_db"] for c in caps],
            capacity_5xx=sum(c["server_5xx"] + c["join_5xx"] for c in caps),
            floor_errors=sum(sum(n for s, n in f["statuses"].items() if s != 201)
                             for f in floors),
        )
        targets["no 5xx"] = targets["no 5xx"] and summary["capacity_5xx"] == 0
        targets[NOTHING_LOST] = no_loss and all(
            c["stored_db"] == c["statuses"].get(201, 0) == args.capacity_participants
            for c in caps)
        targets[f"capacity >= {TARGET_CAPACITY_RATIO:.0%} of the floor"] = (
            summary["capacity_ratio"] >= TARGET_CAPACITY_RATIO)
    summary["targets"] = targets
    summary["verdict"] = "PASS" if all(targets.values()) else "FAIL"
    return summary


def report(args, machine: dict, settings: dict, rounds: list[dict], s: dict) -> str:
    n, runs = args.participants, len(rounds)
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores (shared by the servers and "
        f"the load generator); Python {machine['python']}, gunicorn {machine['gunicorn']}, "
        f"Flask {machine['flask']}, aiohttp {machine['aiohttp']}",
        f"Database: {settings['database']}",
        f"Servers: gunicorn -c gunicorn.conf.py app:app and the bare Flask floor, each "
        f"{settings['worker_setup']}; no access log",
        f"Room: {n} participants, {args.questions} questions of {QUIZ}, answers spread over "
        f"0-{args.window:g} s after each phone sees the question open; {runs} run(s), "
        f"medians shown; load average before/after {machine['load_before']}/"
        f"{machine['load_after']}",
        "",
        "| live room | " + " | ".join(f"run {r['run']}" for r in rounds) + " | median |",
        "|---|" + "---:|" * (runs + 1),
    ]

    def row(label, values, fmt, med=None):
        cells = [fmt(v) for v in values]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {med if med is not None else ''} |")

    lives = [r["live"] for r in rounds]
    row("joins accepted / sent", [f"{lv['joins_accepted']}/{lv['joins_sent']}" for lv in lives],
        str)
    row("streams open (s to open all)", [f"{lv['streams_open']} ({lv['streams_open_seconds']:.1f})"
                                         for lv in lives], str)
    row("answers sent / accepted / stored (DB) / results API",
        [f"{lv['answers_sent']} / {lv['answers_accepted']} / {lv['stored_db']} / "
         f"{lv['stored_results_api']}" for lv in lives], str)
    row("5xx (all live requests)", [lv["server_5xx"] for lv in lives], str, s["server_5xx"])
    row("non-201 answers", [sum(v for k, v in lv["answer_statuses"].items() if k != 201)
                            for lv in lives], str)
    for q in (50, 95, 99):
        row(f"answer latency p{q} ms", [lv[f"answer_p{q}_ms"] for lv in lives], _ms,
            _ms(s[f"answer_p{q}_ms"]))
    row("answer latency max ms", [lv["answer_max_ms"] for lv in lives], _ms)
    row("full count on every stream: max over streams, worst question (s)",
        [lv["full_count_max_s"] for lv in lives], _s, _s(s["full_count_max_s"]))
    row("full count: median over streams (median of questions, s)",
        [lv["full_count_median_s"] for lv in lives], _s, _s(s["full_count_median_s"]))
    row("streams that never showed the full count", [lv["streams_missing_full_count"]
                                                      for lv in lives], str)
    row("stream connections per worker", [lv["connections_per_worker"] for lv in lives],
        lambda v: "/".join(map(str, v)) or "n/a")
    row("CPU s during the questions: server / client / wall",
        [f"{lv['server_cpu_seconds']:.1f} / {lv['client_cpu_seconds']:.1f} / "
         f"{lv['questions_wall_seconds']:.1f}" for lv in lives], str)
    row("client event-loop lag p99 / max ms",
        [f"{_ms(lv['loop_lag']['p99_ms'])} / {_ms(lv['loop_lag']['max_ms'])}" for lv in lives],
        str)
    if args.capacity_participants:
        caps, floors = [r["capacity"] for r in rounds], [r["floor"] for r in rounds]
        lines += ["", f"Capacity: {args.capacity_participants} answers at concurrency "
                  f"{args.concurrency}, the floor the same requests, alternated",
                  "", "| capacity | " + " | ".join(f"run {r['run']}" for r in rounds)
                  + " | median |", "|---|" + "---:|" * (runs + 1)]
        row("answer endpoint, answers/s", [c["per_second"] for c in caps],
            lambda v: f"{v:.0f}", f"{s['capacity_per_second']:.0f}")
        row("bare Flask floor, requests/s", [f["per_second"] for f in floors],
            lambda v: f"{v:.0f}", f"{s['floor_per_second']:.0f}")
        row("ratio app/floor", s["paired_ratios"], lambda v: f"{v:.3f}",
            f"**{s['capacity_ratio']:.3f}**")
        row("answers p50 / p99 ms", [f"{_ms(c['p50_ms'])} / {_ms(c['p99_ms'])}" for c in caps],
            str, f"{_ms(s['capacity_p50_ms'])} / {_ms(s['capacity_p99_ms'])}")
        row("floor p50 / p99 ms", [f"{_ms(f['p50_ms'])} / {_ms(f['p99_ms'])}" for f in floors],
            str, f"{_ms(s['floor_p50_ms'])} / {_ms(s['floor_p99_ms'])}")
        row("answers stored / accepted, 5xx", [f"{c['stored_db']} / "
                                               f"{c['statuses'].get(201, 0)}, "
                                               f"{c['server_5xx'] + c['join_5xx']}"
                                               for c in caps], str)
        row("CPU s: server / client (app run)",
            [f"{c['server_cpu_seconds']:.1f} / {c['client_cpu_seconds']:.1f} in "
             f"{c['seconds']:.1f}" for c in caps], str)
        row("CPU s: server / client (floor run)",
            [f"{f['server_cpu_seconds']:.1f} / {f['client_cpu_seconds']:.1f} in "
             f"{f['seconds']:.1f}" for f in floors], str)
    lines += ["", "Targets (the issue sets them for 300 participants):"]
    lines += [f"- {name}: **{'PASS' if ok else 'FAIL'}**" for name, ok in s["targets"].items()]
    lines.append(f"\nVerdict: **{s['verdict']}**")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--window", type=float, default=3.0,
                        help="each phone answers 0..WINDOW s after it sees the question open")
    parser.add_argument("--runs", type=int, default=3,
                        help="rounds of live room + capacity + floor (default 3)")
    parser.add_argument("--capacity-participants", type=int, default=2000,
                        help="answers per capacity run (0 skips the capacity phase)")
    parser.add_argument("--concurrency", type=int, default=64,
                        help="requests in flight in the capacity and floor runs")
    parser.add_argument("--join-concurrency", type=int, default=64)
    parser.add_argument("--join-rate", type=int, default=100_000,
                        help="JOIN_RATE_PER_ADDRESS and JOIN_RATE_PER_CODE for the server: "
                             "one address plays the whole room")
    parser.add_argument("--full-count-timeout", type=float, default=10.0)
    parser.add_argument("--database-url", help="postgresql+psycopg://... (default: SQLite)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.runs < 1 or not 1 <= args.questions <= 12:
        parser.error("--participants and --runs must be >= 1, --questions 1-12")
    if args.concurrency < 1 or args.join_concurrency < 1 or args.capacity_participants < 0:
        parser.error("concurrencies must be >= 1, --capacity-participants >= 0")
    return args


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def raise_fd_limit() -> None:
    """Every stream is a socket at both ends; the servers inherit the raised limit."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(argv=None) -> int:
    args = parse_args(argv)
    if aiohttp is None:
        print("benchmark error: aiohttp is missing; pip install -e '.[bench]'", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    raise_fd_limit()

    def log(message: str) -> None:
        print(message, flush=True)

    load_before = load_average()
    servers: list[Server] = []
    rounds: list[dict] = []
    failure = None
    db = None
    tmp = Path(tempfile.mkdtemp(prefix="attract-workshop-bench-"))
    try:
        setup = worker_settings()
        db = Database(args.database_url, tmp)
        env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": db.url,
               "ACCESS_LOG": "", "JOIN_RATE_PER_ADDRESS": str(args.join_rate),
               "JOIN_RATE_PER_CODE": str(args.join_rate)}
        for name in ("CONTENT_DIR", "FLASK_DEBUG", "PORT"):
            env.pop(name, None)
        flask_cli(env, "db", "upgrade")
        password = secrets.token_urlsafe(16)
        flask_cli(env, "users", "create", TRAINER_EMAIL, "--role", "trainer",
                  "--name", "Bench Trainer", "--password", password)
        trainer = flask_cli(env, "users", "token", TRAINER_EMAIL).strip().splitlines()[-1]

        app_port, floor_port = free_port(), free_port()
        app = Server("app", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "app:app"], REPO, {**env, "BIND": f"127.0.0.1:{app_port}"},
                     app_port, tmp / "app.log")
        (tmp / "floor_app.py").write_text(FLOOR_APP)
        (tmp / "gunicorn-floor.py").write_text(FLOOR_CONFIG.format(
            bind=f"127.0.0.1:{floor_port}", errorlog=str(tmp / "floor.log"), **setup))
        floor_env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG",)}
        floor = Server("floor", [sys.executable, "-m", "gunicorn", "-c",
                                 str(tmp / "gunicorn-floor.py"), "floor_app:app"], tmp,
                       floor_env, floor_port, tmp / "floor.log")
        servers += [app, floor]
        for server in servers:
            server.start()
        app.wait_ready("/healthz")
        floor.wait_ready("/api/workshops/AAAAAA/answers", method="POST")
        log(f"app on :{app_port} ({db.kind}), floor on :{floor_port}; workers: "
            f"{describe_workers(setup)}")
        asyncio.run(benchmark(args, app, floor, db, trainer, log, rounds))
    except BenchError as exc:
        failure = str(exc)
        print(f"benchmark error: {exc}", file=sys.stderr)
    except Exception as exc:  # a bug or a surprise: status 2 ("could not run"), never 1
        failure = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
        print(f"benchmark error: {failure}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        if db is not None:
            try:
                db.drop()
            except Exception as exc:  # the figures still count; say what was left behind
                print(f"warning: could not drop schema {db.schema}: {exc}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    if failure is not None and not rounds:
        return 2

    machine = {"cpu": cpu_model(), "cores": os.cpu_count(),
               "python": platform.python_version(), "gunicorn": metadata.version("gunicorn"),
               "flask": metadata.version("flask"), "aiohttp": metadata.version("aiohttp"),
               "load_before": load_before, "load_after": load_average()}
    settings = {"database": db.kind, "worker_setup": describe_workers(setup), **setup,
                "participants": args.participants, "questions": args.questions,
                "window": args.window, "runs": args.runs,
                "capacity_participants": args.capacity_participants,
                "concurrency": args.concurrency, "join_rate": args.join_rate}
    summary = summarise(args, rounds)
    print()
    if failure is not None:  # report what was measured, and that the rest could not be
        summary["error"] = f"run {len(rounds) + 1} of {args.runs} could not run: {failure}"
        print(f"Only {len(rounds)} of {args.runs} runs completed; {summary['error']}\n")
    print(report(args, machine, settings, rounds, summary))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "settings": settings,
                                         "summary": summary, "rounds": rounds},
                                        indent=2, default=str) + "\n")
    if failure is not None:
        return 2
    return 0 if summary["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
