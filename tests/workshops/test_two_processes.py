"""Two app processes on one database: participants on one, the presenter on the other.

Nothing about a room lives in a process: the answers sent to server A reach the event
stream the presenter holds open on server B, through the database alone.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from attract.config import REPO_ROOT
from tests.workshops.conftest import right_answer

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(app, tmp_path):
    config = tmp_path / "gunicorn.conf.py"
    config.write_text("accesslog = None\nloglevel = 'warning'\ngraceful_timeout = 2\n",
                      encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "two-process-test", "LIVE_POLL_SECONDS": "0.05",
           "LIVE_COALESCE_SECONDS": "0.1"}
    servers, urls = [], []
    log = open(tmp_path / "servers.log", "w")  # noqa: SIM115  (closed in finally)
    for _ in range(2):
        port = _free_port()
        servers.append(subprocess.Popen(
            [str(GUNICORN), "-c", str(config), "-k", "gthread", "-w", "1", "--threads", "16",
             "-b", f"127.0.0.1:{port}", "app:app"], cwd=REPO_ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(f"{url} did not start")
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)
        log.close()


def _call(url, method="GET", body=None, token=None):
    request = urllib.request.Request(url, method=method,
                                     data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"}
                                                 if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_a_room_shared_by_two_processes(app, two_servers, trainer_token):
    a, b = two_servers
    status, room = _call(f"{b}/api/workshops", "POST",
                         {"quiz": "spot-the-interruption", "scoring": "accuracy"}, trainer_token)
    assert status == 201
    code = room["code"]
    people = []
    for name in ("Ana", "Bob", "Cy"):
        status, joined = _call(f"{a}/api/workshops/{code}/join", "POST", {"nickname": name})
        assert status == 201
        people.append(joined)

    seen: list[dict] = []
    stream = urllib.request.urlopen(f"{b}/api/workshops/{code}/events", timeout=20)

    def read_stream():
        for line in stream:
            line = line.decode()
            if line.startswith("data: "):
                seen.append(json.loads(line[6:]))
                if seen[-1]["answered"] == 3:
                    return

    reader = threading.Thread(target=read_stream, daemon=True)
    reader.start()
    control = f"{b}/api/workshops/{room['id']}/control"
    _call(control, "POST", {"action": "start"}, trainer_token)
    status, state = _call(control, "POST", {"action": "open"}, trainer_token)
    qid, key = state["step"]["question"]["id"], right_answer(app, state)
    for person in people:
        status, _ = _call(f"{a}/api/workshops/{code}/answers", "POST",
                          {"question_id": qid, "answer": key}, person["token"])
        assert status == 201
    reader.join(10)
    stream.close()
    assert seen and seen[-1]["answered"] == 3 and seen[-1]["participants"] == 3
    status, state = _call(control, "POST", {"action": "reveal"}, trainer_token)
    status, mine = _call(f"{a}/api/workshops/{code}/me", token=people[0]["token"])
    assert status == 200 and mine["correct"] is True and mine["rank"] == 1
