"""Lesson-page throughput against a bare Flask baseline, both under gunicorn.

What it measures: requests per second for an anonymous ``GET /lessons/<slug>``
served by the real app (``gunicorn app:app``), and the same figure for a bare
Flask app that returns the very same bytes, with the same Content-Type, from
the same URL rule, under identical gunicorn settings, in the same run. The
ratio app/baseline is the number that matters: it cancels out the machine, the
load tool and gunicorn itself, and shows what the app's own work (content
lookup, template rendering, extensions, headers) costs per request. The target
is a ratio of at least 0.70.

Why it is shaped this way: absolute req/s differ from machine to machine and
from minute to minute, so both servers run side by side and are measured
alternately (app, baseline, app, baseline, ...) so that drift hits both alike,
and the median of several runs is reported. Timing belongs here, not in the
test suite.

How: a temporary directory gets a freshly migrated SQLite database
(``flask --app app db upgrade``) and a gunicorn config file owned by this
script (the repository's ``gunicorn.conf.py`` is *not* used: it turns on an
access log and migrates on start). Both servers bind to 127.0.0.1 on free
ports with sync workers and no access log; ``--setup project`` gives both servers the
worker class, workers, threads, worker_connections and keepalive of the repository's
``gunicorn.conf.py`` instead (read from the file; its hooks and access log are still not
used). Load comes from ``wrk`` when it is installed, else from a bounded Python load
generator (threads, http.client); the report says which. Exit status: 0 PASS, 1 FAIL
(ratio below target), 2 the benchmark could not run or a server answered errors,
130 interrupted.

    .venv/bin/python bench/lesson_page.py --runs 5 --duration 10 --connections 16
    .venv/bin/python bench/lesson_page.py --runs 5 --setup project   # gthread, as deployed
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from machine import cpu_model
from project_gunicorn import describe as describe_workers
from project_gunicorn import worker_settings

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.70
DEFAULT_LESSON = "tune-to-their-station"
START_TIMEOUT = 60.0  # seconds for a server to answer its first request
STOP_TIMEOUT = 15.0  # seconds for gunicorn to stop gracefully before it is killed

GUNICORN_CONFIG = """\
# Written by bench/lesson_page.py: the same settings for both servers.
bind = {bind!r}
workers = {workers}
worker_class = {worker_class!r}
threads = {threads}
worker_connections = {worker_connections}
timeout = {timeout}
keepalive = {keepalive}
accesslog = None
errorlog = {errorlog!r}
loglevel = "warning"
preload_app = False
"""

BASELINE_APP = '''\
"""Bare Flask app for bench/lesson_page.py: the lesson page's bytes, nothing else."""

import json
from pathlib import Path

from flask import Flask, Response

HERE = Path(__file__).resolve().parent
BODY = (HERE / "lesson.body").read_bytes()
CONTENT_TYPE = json.loads((HERE / "lesson.json").read_text())["content_type"]

app = Flask(__name__)


@app.get("/lessons/<slug>")
def lesson(slug):
    return Response(BODY, content_type=CONTENT_TYPE)
'''


class BenchError(RuntimeError):
    """The benchmark could not run; the message says why."""


@dataclass
class Sample:
    """One timed run against one server."""

    requests_per_second: float
    requests: int
    duration: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0  # socket errors, timeouts and non-2xx/3xx answers


@dataclass
class Server:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen | None = None
    samples: list[Sample] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# --- servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The default worker setup (``--setup sync``): what this script always measured.
SYNC_SETUP = {"worker_class": "sync", "threads": 1, "worker_connections": 1000,
              "keepalive": 2, "timeout": 30}


def worker_setup(args: argparse.Namespace) -> dict:
    """The worker settings both servers get: sync workers, or gunicorn.conf.py's."""
    if args.setup == "project":
        setup = worker_settings()
        if args.workers is not None:
            setup["workers"] = args.workers
        return setup
    return {**SYNC_SETUP, "workers": args.workers or args.default_workers}


def write_gunicorn_config(path: Path, port: int, setup: dict, errorlog: Path) -> None:
    path.write_text(GUNICORN_CONFIG.format(bind=f"127.0.0.1:{port}", errorlog=str(errorlog),
                                           **setup), encoding="utf-8")


def start(server: Server) -> None:
    with open(server.log, "ab") as log:
        server.process = subprocess.Popen(server.command, cwd=server.cwd, env=server.env,
                                          stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def log_tail(server: Server, lines: int = 20) -> str:
    try:
        text = server.log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def wait_ready(server: Server, path: str) -> None:
    """Poll until the server answers ``path`` over HTTP at all (``fetch`` checks the status)."""
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise BenchError(f"{server.name} server exited with status "
                             f"{server.process.returncode}:\n{log_tail(server)}")
        try:
            with urllib.request.urlopen(server.url(path), timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it is up; a wrong status is reported by fetch()
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise BenchError(f"{server.name} server did not answer {path} within {START_TIMEOUT:.0f}s "
                     f"({last}):\n{log_tail(server)}")


def stop(server: Server) -> None:
    process = server.process
    if process is None or process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn's graceful shutdown, workers included
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def fetch(url: str) -> tuple[bytes, str]:
    """The body and Content-Type of a 200 answer (redirects are not followed)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            if response.status != 200:
                raise BenchError(f"{url} answered HTTP {response.status}, not 200")
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise BenchError(f"{url} answered HTTP {exc.code}, not 200") from exc
    except OSError as exc:
        raise BenchError(f"{url} did not answer: {exc}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is not the page: let fetch() report it


def migrate(env: dict[str, str]) -> None:
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask), "--app", "app", "db", "upgrade"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    if result.returncode != 0:
        raise BenchError(f"database migration failed:\n{result.stdout}{result.stderr}")


# --- load generators -------------------------------------------------------------------


class Wrk:
    name = "wrk"

    def __init__(self, path: str, connections: int):
        self.path = path
        self.connections = connections
        self.threads = max(1, min(2, connections))  # wrk shares the two cores with gunicorn
        out = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10,
                             check=False)
        first = (out.stdout + out.stderr).splitlines()
        self.version = first[0].split(" Copyright")[0].strip() if first else "wrk"

    def describe(self) -> str:
        return f"{self.version}, {self.threads} threads, {self.connections} connections"

    def run(self, url: str, duration: float) -> Sample:
        seconds = max(1, round(duration))
        command = [self.path, "-t", str(self.threads), "-c", str(self.connections),
                   "-d", f"{seconds}s", "--timeout", "10s", "--latency", url]
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=seconds + 60, check=False)
        if result.returncode != 0:
            raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}"
                             f"{result.stderr}")
        return parse_wrk(result.stdout)


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise BenchError(f"cannot read wrk latency {value!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def parse_wrk(output: str) -> Sample:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", output, re.M)
    if rps is None or total is None:
        raise BenchError(f"cannot read wrk output:\n{output}")
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.M))
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return Sample(
        requests_per_second=float(rps.group(1)),
        requests=int(total.group(1)),
        duration=_ms(total.group(2) + total.group(3)) / 1000,
        p50_ms=_ms(percentiles["50"]) if "50" in percentiles else None,
        p99_ms=_ms(percentiles["99"]) if "99" in percentiles else None,
        errors=errors,
    )


class PythonLoad:
    """Fallback load generator: one thread per connection, keep-alive when the server allows.

    It is bounded by the GIL and shares the two cores with gunicorn, so it can be the
    bottleneck; ratios stay comparable because both servers get the same treatment.
    """

    name = "python"

    def __init__(self, connections: int):
        self.connections = connections

    def describe(self) -> str:
        return (f"Python http.client load generator ({self.connections} threads); "
                "install wrk for sounder figures")

    def run(self, url: str, duration: float) -> Sample:
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)(/.*)", url)
        if match is None:
            raise BenchError(f"refusing to load anything but 127.0.0.1: {url}")
        port, path = int(match.group(1)), match.group(2)
        latencies: list[list[float]] = [[] for _ in range(self.connections)]
        errors = [0] * self.connections
        start = time.perf_counter()
        deadline = start + duration

        def worker(index: int) -> None:
            connection = None
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    if response.status >= 400:
                        errors[index] += 1
                    else:
                        latencies[index].append(time.perf_counter() - began)
                    if response.will_close:
                        connection.close()
                        connection = None
                except (OSError, http.client.HTTPException):
                    errors[index] += 1
                    if connection is not None:
                        connection.close()
                    connection = None
            if connection is not None:
                connection.close()

        threads = [threading.Thread(target=worker, args=(i,), daemon=True)
                   for i in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=duration + 30)
        elapsed = time.perf_counter() - start
        merged = sorted(t for per_thread in latencies for t in per_thread)
        done = len(merged)

        def percentile(q: float) -> float | None:
            return merged[min(done - 1, int(q * done))] * 1000 if done else None

        return Sample(requests_per_second=done / elapsed, requests=done, duration=elapsed,
                      p50_ms=percentile(0.50), p99_ms=percentile(0.99), errors=sum(errors))


# --- report ----------------------------------------------------------------------------


def load_average() -> str:
    """1-minute load average: other work on the machine shows up here, not in the ratio."""
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return "n/a"


def summary(server: Server) -> dict:
    rates = [s.requests_per_second for s in server.samples]
    p50 = [s.p50_ms for s in server.samples if s.p50_ms is not None]
    p99 = [s.p99_ms for s in server.samples if s.p99_ms is not None]
    return {
        "median_rps": statistics.median(rates),
        "min_rps": min(rates),
        "max_rps": max(rates),
        "median_p50_ms": statistics.median(p50) if p50 else None,
        "median_p99_ms": statistics.median(p99) if p99 else None,
        "errors": sum(s.errors for s in server.samples),
    }


def _fmt_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def report(machine: dict, settings: dict, app: Server, baseline: Server) -> tuple[str, dict]:
    app_sum, base_sum = summary(app), summary(baseline)
    ratio = app_sum["median_rps"] / base_sum["median_rps"]
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores; Python {machine['python']}, "
        f"gunicorn {machine['gunicorn']}, Flask {machine['flask']}; load: {machine['load']}",
        f"Load average (1 min) before/after: {machine['load_before']}/{machine['load_after']}",
        f"Settings: GET {settings['path']}, anonymous; {settings['worker_setup']} "
        f"per server ({settings['setup']}), no access log; {settings['runs']} runs x "
        f"{settings['duration']:g} s per server, alternating; page {settings['page_bytes']} bytes; "
        f"PAGE_CACHE_SIZE {settings['page_cache']}",
        "",
        "| server | median req/s | min-max req/s | p50 latency | p99 latency | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, s in (("Attract lesson page", app_sum), ("bare Flask, same bytes", base_sum)):
        lines.append(f"| {label} | {s['median_rps']:.0f} | {s['min_rps']:.0f}-"
                     f"{s['max_rps']:.0f} | {_fmt_ms(s['median_p50_ms'])} | "
                     f"{_fmt_ms(s['median_p99_ms'])} | {s['errors']} |")
    # Each app run is paired with the baseline run right after it: the spread of these
    # ratios shows how much of the min-max range is drift that hit both servers.
    paired = [a.requests_per_second / b.requests_per_second
              for a, b in zip(app.samples, baseline.samples, strict=True)]
    lines += [
        "",
        f"Ratio app/baseline (medians): **{ratio:.2f}** (target >= {TARGET_RATIO:.2f}): "
        f"**{verdict}**",
        f"Paired run ratios: median {statistics.median(paired):.2f}, "
        f"range {min(paired):.2f}-{max(paired):.2f}",
    ]
    data = {
        "machine": machine,
        "settings": settings,
        "app": {**app_sum, "runs": [asdict(s) for s in app.samples]},
        "baseline": {**base_sum, "runs": [asdict(s) for s in baseline.samples]},
        "ratio": ratio,
        "paired_ratios": paired,
        "target": TARGET_RATIO,
        "verdict": verdict,
    }
    return "\n".join(lines), data


# --- main ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    default_workers = min(2 * multiprocessing.cpu_count() + 1, 8)  # gunicorn.conf.py's default
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per server (default 5)")
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds per timed run (default 10)")
    parser.add_argument("--connections", type=int, default=16,
                        help="concurrent connections (default 16)")
    parser.add_argument("--setup", choices=("sync", "project"), default="sync",
                        help="worker setup of both servers: 'sync' (default: sync workers, "
                             "1 thread, keepalive 2 s) or 'project' (worker_class, workers, "
                             "threads, worker_connections and keepalive as the repository's "
                             "gunicorn.conf.py sets them)")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"gunicorn workers per server (default: {default_workers} sync "
                             "workers, or gunicorn.conf.py's number with --setup project)")
    parser.add_argument("--lesson", default=DEFAULT_LESSON,
                        help=f"lesson slug (default {DEFAULT_LESSON})")
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="seconds of untimed load per server first (default 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--page-cache-size", type=int, default=None,
                        help="PAGE_CACHE_SIZE for the app (default: the app's own, 256); "
                             "0 renders every request, as for a signed-in reader")
    parser.add_argument("--python-load", action="store_true",
                        help="use the Python load generator even when wrk is installed")
    args = parser.parse_args(argv)
    args.default_workers = default_workers
    for name in ("runs", "connections", "workers"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--duration must be 1-600 s and --warmup 0-60 s")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.lesson):
        parser.error("--lesson must be a slug (lowercase letters, digits, hyphens)")
    return args


def start_servers(args: argparse.Namespace, path: str, tmp: Path,
                  servers: list[Server]) -> tuple[Server, Server, bytes, str]:
    """Start the app, copy its page into the baseline, start that; both must match."""
    env = {**os.environ, "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": f"sqlite:///{tmp / 'attract.db'}"}
    env.pop("FLASK_DEBUG", None)
    if args.page_cache_size is not None:
        env["PAGE_CACHE_SIZE"] = str(args.page_cache_size)
    migrate(env)

    gunicorn = [sys.executable, "-m", "gunicorn"]
    app_port, base_port = free_port(), free_port()
    app_conf, base_conf = tmp / "gunicorn-app.py", tmp / "gunicorn-baseline.py"
    write_gunicorn_config(app_conf, app_port, args.worker_setup, tmp / "app.log")
    write_gunicorn_config(base_conf, base_port, args.worker_setup, tmp / "baseline.log")

    app = Server("app", [*gunicorn, "-c", str(app_conf), "app:app"], REPO, env,
                 app_port, tmp / "app.log")
    servers.append(app)
    start(app)
    wait_ready(app, path)
    body, content_type = fetch(app.url(path))
    if fetch(app.url(path))[0] != body:
        raise BenchError(f"{path} is not the same from one request to the next "
                         "(anonymous), so no fixed baseline can match it")

    (tmp / "lesson.body").write_bytes(body)
    (tmp / "lesson.json").write_text(json.dumps({"content_type": content_type}))
    (tmp / "baseline_app.py").write_text(BASELINE_APP, encoding="utf-8")
    baseline = Server("baseline", [*gunicorn, "-c", str(base_conf), "baseline_app:app"],
                      tmp, dict(os.environ), base_port, tmp / "baseline.log")
    servers.append(baseline)
    start(baseline)
    wait_ready(baseline, path)
    if fetch(baseline.url(path)) != (body, content_type):
        raise BenchError("the baseline does not return the app's bytes and Content-Type")
    print(f"Both servers return the same {len(body)} bytes ({content_type}) for {path}.",
          flush=True)
    return app, baseline, body, content_type


def measure(args: argparse.Namespace, load: Wrk | PythonLoad, path: str,
            servers: list[Server]) -> None:
    """Warm up each server, then time them alternately: app, baseline, app, baseline, ..."""
    if args.warmup > 0:
        for server in servers:
            load.run(server.url(path), args.warmup)
    for run in range(1, args.runs + 1):
        for server in servers:
            sample = load.run(server.url(path), args.duration)
            server.samples.append(sample)
            print(f"run {run}/{args.runs} {server.name:8} {sample.requests_per_second:8.1f} "
                  f"req/s  p50 {_fmt_ms(sample.p50_ms)}  p99 {_fmt_ms(sample.p99_ms)}  "
                  f"errors {sample.errors}", flush=True)
    for server in servers:
        if server.process is not None and server.process.poll() is not None:
            raise BenchError(f"{server.name} server died during the run:\n{log_tail(server)}")


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl+C or SIGTERM must still run the clean-up below, even when the parent shell
    # started us with SIGINT ignored (a background job).
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    path = f"/lessons/{args.lesson}"
    try:
        args.worker_setup = worker_setup(args)
    except (OSError, RuntimeError, SyntaxError) as exc:
        print(f"benchmark error: cannot read gunicorn.conf.py: {exc}", file=sys.stderr)
        return 2
    print(f"Workers per server: {describe_workers(args.worker_setup)} ({args.setup})",
          flush=True)
    wrk = shutil.which("wrk")
    load = (Wrk(wrk, args.connections) if wrk and not args.python_load
            else PythonLoad(args.connections))
    print(f"Load generator: {load.describe()}", flush=True)

    load_before = load_average()
    servers: list[Server] = []
    try:
        with tempfile.TemporaryDirectory(prefix="attract-bench-") as tmp:
            try:
                app, baseline, body, content_type = start_servers(args, path, Path(tmp),
                                                                  servers)
                measure(args, load, path, servers)
            finally:  # stop both servers before their directory goes
                for server in servers:
                    stop(server)
    except BenchError as exc:
        print(f"benchmark error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; both servers stopped", file=sys.stderr)
        return 130

    machine = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "gunicorn": metadata.version("gunicorn"),
        "flask": metadata.version("flask"),
        "load": load.describe(),
        "load_before": load_before,
        "load_after": load_average(),
    }
    settings = {"path": path, "setup": args.setup,
                "worker_setup": describe_workers(args.worker_setup),
                **args.worker_setup,
                "page_cache": ("app default (256)" if args.page_cache_size is None
                               else str(args.page_cache_size)),
                "connections": args.connections, "runs": args.runs,
                "duration": args.duration, "warmup": args.warmup, "page_bytes": len(body),
                "content_type": content_type}
    table, data = report(machine, settings, app, baseline)
    print()
    print(table)
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if data["app"]["errors"] or data["baseline"]["errors"]:
        print("benchmark error: some requests failed (see the errors column)", file=sys.stderr)
        return 2
    return 0 if data["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
