"""Exports of 100,000 answers, and the item-analysis page of a quiz with 2,000 attempts.

What it measures (issue 10): CSV under 3 s and XLSX under 30 s for 100,000 answers, each
with a peak memory (the process's maximum RSS) under 250 MB; JSON and xAPI too, no target;
``GET /trainer/quizzes/<slug>/analysis`` (and ``?attempts=all``) for a quiz with 2,000
submitted attempts under 1 s.

How: a temporary database (SQLite, or with ``--database`` a fresh PostgreSQL schema, dropped
afterwards) is seeded once by ``seed_results.py``: ``--attempts`` learners or more, one
attempt each at the course's five quizzes, plus an "Exported" cohort of the first learners,
as many as give ``--rows`` answers. Every measurement is a fresh child process reaped with
``os.wait4``, so its peak RSS is its own (the parent stays small: a child's ``ru_maxrss``
starts from its parent's at the fork).

- CLI: ``flask --app app export results --cohort <Exported> --format F -o FILE``, wall time
  of the whole command (interpreter start and content load included) and its peak RSS;
- in-process: a child imports ``app`` and times ``service.write`` alone, same scope;
- baseline: a child loads the same rows into memory as plain tuples (``answer_cells``), then
  times writing them only: ``csv.writer``, or XlsxWriter (constant memory, ``write_row``,
  one sheet, nothing neutralised);
- analysis: the seeded trainer signs in through Flask's test client; the first request is
  discarded, then ``REQUESTS`` timed ones alternate with a bare Flask app in the same
  process serving the same bytes from the same URL rule.

Each runs ``--runs`` times, alternated; medians are reported. Exit 0 PASS, 1 FAIL, 2 could
not run.

    .venv/bin/python bench/exports.py [--runs 3] [--rows 100000] [--attempts 2000]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median as med

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO)]

from machine import cpu_model  # noqa: E402

TARGETS = {"csv": 3.0, "xlsx": 30.0}  # seconds for the export itself (in-process)
PEAK_MB = 250
PAGE_MS = 1000
REQUESTS = 5  # timed analysis requests per run, and as many baseline ones
FORMATS = ("csv", "xlsx", "json", "xapi")
EXT = {"csv": "csv", "xlsx": "xlsx", "json": "json", "xapi": "jsonl"}


class BenchError(RuntimeError):
    pass


def child_seed(rows: str, attempts: str) -> dict:
    from seed_results import COURSE, seed
    from sqlalchemy import insert, select

    from attract import create_app
    from attract.cohorts.models import Cohort, CohortMember
    from attract.current import library
    from attract.extensions import db
    from attract.models import User

    app = create_app({"ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        db.create_all()
        lib = library()
        per_learner = sum(len(lib.quizzes[i.slug].questions)
                          for i in lib.courses[COURSE].items if i.kind == "quiz")
    exported = math.ceil(int(rows) / per_learner)
    learners = max(exported, int(attempts))
    seeded = seed(app, learners=learners, cohorts=1)
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.email == seeded["trainer"]))
        cohort = Cohort(owner_id=owner, name="Exported", course_slug=COURSE)
        db.session.add(cohort)
        db.session.flush()
        ids = db.session.scalars(select(User.id).where(User.role == "learner")
                                 .order_by(User.id).limit(exported))
        db.session.execute(insert(CohortMember), [
            {"cohort_id": cohort.id, "user_id": uid, "joined_at": cohort.created_at}
            for uid in ids])
        db.session.commit()
        return {**seeded, "learners": learners, "exported": exported, "cohort": cohort.id}


def _scope():
    from attract.cohorts.models import Cohort
    from attract.exports.cli import Operator
    from attract.exports.queries import Scope
    from attract.extensions import db

    cohort = db.session.scalar(db.select(Cohort).where(Cohort.name == "Exported"))
    return Scope(Operator(), cohort=cohort)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_export(fmt: str, path: str) -> dict:
    from app import app
    from attract.current import library, site_url
    from attract.exports import service
    from attract.exports.queries import row_count

    with app.app_context():
        lib, scope = library(), _scope()
        rows, before = row_count(scope, lib), _rss_mb()
        with open(path, "wb") as out:
            start, cpu = time.perf_counter(), time.process_time()
            service.write(scope, fmt, lib, out, site_url=site_url())
        seconds = time.perf_counter() - start  # closed, so flushed to the OS
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "rows": rows,
            "rss_before": before}


def child_baseline(fmt: str, path: str) -> dict:
    import csv

    import xlsxwriter

    from app import app
    from attract.current import library
    from attract.exports.queries import answer_rows
    from attract.exports.rows import HEADERS, answer_cells

    with app.app_context():
        cells = [answer_cells(row) for row in answer_rows(_scope(), library())]
    start, cpu = time.perf_counter(), time.process_time()
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(HEADERS)
            writer.writerows(cells)
    else:
        book = xlsxwriter.Workbook(path, {
            "constant_memory": True, "remove_timezone": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd hh:mm:ss"})
        sheet = book.add_worksheet("Answers")
        sheet.write_row(0, 0, HEADERS)
        for number, row in enumerate(cells, 1):
            sheet.write_row(number, 0, row)
        book.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def child_analysis(slug: str, email: str, password: str) -> dict:
    import re

    from flask import Flask

    from app import app
    from attract.accounts import find_user
    from attract.current import library
    from attract.exports.queries import Scope, quiz_counts

    with app.app_context():  # the attempts the trainer sees, by the page's own rules
        attempts = quiz_counts(Scope(find_user(email), quiz=slug), library()).get(slug, (0,))[0]
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/auth/sign-in").get_data(as_text=True)).group(1)
    signed = client.post("/auth/sign-in", data={"email": email, "password": password,
                                                "csrf_token": token})
    url = f"/trainer/quizzes/{slug}/analysis"
    page = client.get(url)  # the first request, discarded
    if signed.status_code != 303 or page.status_code != 200:
        raise BenchError(f"sign-in {signed.status_code}, GET {url} {page.status_code}")
    body = page.get_data()
    bare = Flask("baseline")
    bare.add_url_rule("/trainer/quizzes/<slug>/analysis", "analysis",
                      lambda slug: (body, 200, {"Content-Type": page.content_type}))
    bare_client = bare.test_client()
    bare_client.get(url)
    times: dict[str, list[float]] = {"first": [], "all": [], "baseline": []}
    for _ in range(REQUESTS):
        for key, who, target in (("first", client, url), ("all", client, url + "?attempts=all"),
                                 ("baseline", bare_client, url)):
            start = time.perf_counter()
            response = who.get(target)
            response.get_data()
            times[key].append(time.perf_counter() - start)
            if response.status_code != 200:
                raise BenchError(f"GET {target} answered {response.status_code}")
    return {"attempts": attempts, "bytes": len(body),
            **{key: med(values) * 1000 for key, values in times.items()}}


def run(argv: list[str], env: dict) -> dict:
    """One child to its end: its JSON line, wall seconds and its own peak RSS in MB."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines, stderr = out.read().decode().strip().splitlines(), err.read().decode()
    if code != 0:
        raise BenchError(f"{' '.join(argv[:6])} ... exited {code}:\n{stderr[-2000:]}")
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return {**result, "wall": wall, "peak": usage.ru_maxrss / 1024, "stderr": stderr}


def child(env: dict, *args: str) -> dict:
    return run([sys.executable, str(Path(__file__).resolve()), "--child", *args], env)


class Database:
    """A SQLite file in ``tmp``, or a fresh schema in a PostgreSQL server."""

    def __init__(self, base: str | None, tmp: Path) -> None:
        self.schema, self.kind, self.url = None, "SQLite file", f"sqlite:///{tmp / 'bench.db'}"
        if base is None:
            return
        from sqlalchemy import create_engine, make_url, text

        self.schema, self.text = f"bench_{secrets.token_hex(4)}", text
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with self.admin.connect() as connection:
                version = connection.execute(text("SHOW server_version")).scalar_one()
                connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        except Exception as exc:
            raise BenchError(f"cannot create a schema in {base}: {exc}") from exc
        self.kind = f"PostgreSQL {version}, fresh schema"
        self.url = make_url(base).update_query_dict(
            {"options": f"-csearch_path={self.schema}"}).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.schema is not None:
            with self.admin.connect() as connection:
                connection.execute(self.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self.admin.dispose()


def measure(args, env: dict, tmp: Path, seeded: dict) -> dict:
    flask = str(Path(sys.executable).parent / "flask")
    got: dict[str, dict[str, list]] = {fmt: {} for fmt in (*args.formats, "analysis")}
    for number in range(args.runs):  # alternated, so drift hits every figure alike
        print(f"run {number + 1} of {args.runs}", file=sys.stderr)
        for fmt in args.formats:
            path, runs = str(tmp / f"out.{EXT[fmt]}"), got[fmt]
            runs.setdefault("cli", []).append(run(
                [flask, "--app", "app", "export", "results", "--cohort", str(seeded["cohort"]),
                 "--format", fmt, "-o", path], env))
            runs.setdefault("size", []).append(os.path.getsize(path) / 1e6)
            runs.setdefault("ours", []).append(child(env, "export", fmt, path))
            if fmt in TARGETS:
                runs.setdefault("base", []).append(child(env, "baseline", fmt, path))
        got["analysis"].setdefault("runs", []).append(
            child(env, "analysis", args.quiz, seeded["trainer"], "correct horse battery"))
    return got


def spread(values: list[float], digits: int = 2) -> str:
    return f"{med(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def report(args, db: Database, seeded: dict, got: dict, load: float) -> bool:
    print(f"\nMachine: {cpu_model()}, {os.cpu_count()} cores; Python "
          f"{platform.python_version()}; {db.kind}; 1-min load {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after\nSeed: {seeded['learners']} learners, "
          f"{seeded['attempts']} attempts, {seeded['answers']} self-paced answers and a "
          f"30-player workshop; exported: a cohort of {seeded['exported']} learners. "
          f"Medians of {args.runs} runs (min-max).\n")
    print("| format | rows | in-process export s | its CPU s | CLI wall s | CLI peak RSS MB "
          "| file MB | baseline s | baseline peak MB | ours/baseline | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    passed = True
    for fmt in args.formats:
        runs = got[fmt]
        ours, peak = [r["seconds"] for r in runs["ours"]], med([r["peak"] for r in runs["cli"]])
        rows = {r["rows"] for r in runs["ours"]}
        if {int(r["stderr"].split("Wrote ")[-1].split()[0]) for r in runs["cli"]} != rows:
            print(f"warning: {fmt}: the CLI wrote another number of rows than {rows}")
        base = base_peak = ratio = "-"
        verdict = "(no target)"
        if fmt in TARGETS:
            seconds = [r["seconds"] for r in runs["base"]]
            base, ratio = spread(seconds), f"{med(ours) / med(seconds):.2f}"
            base_peak = f"{med([r['peak'] for r in runs['base']]):.0f}"
            ok = med(ours) < TARGETS[fmt] and peak < PEAK_MB
            passed &= ok
            verdict = f"{'**PASS**' if ok else '**FAIL**'} (< {TARGETS[fmt]:.0f} s, < {PEAK_MB} MB)"
        cpu, wall = med([r["cpu"] for r in runs["ours"]]), med([r["wall"] for r in runs["cli"]])
        print(f"| {fmt} | {min(rows)} | {spread(ours)} | {cpu:.2f} | {wall:.2f} | {peak:.0f} | "
              f"{med(runs['size']):.1f} | {base} | {base_peak} | {ratio} | {verdict} |")
    before = med([r["rss_before"] for fmt in args.formats for r in got[fmt]["ours"]])
    print(f"\nPeak RSS of an in-process child just before its export: {before:.0f} MB.\n")
    pages = got["analysis"]["runs"]
    base = [r["baseline"] for r in pages]
    print(f"| `{args.quiz}` analysis | attempts | bytes | ms | bare Flask, same bytes, ms "
          "| ours/baseline | verdict |\n|---|---:|---:|---:|---:|---:|---|")
    for key, label in (("first", "first attempts (default)"), ("all", "`?attempts=all`")):
        ms = [r[key] for r in pages]
        ok = med(ms) < PAGE_MS and pages[0]["attempts"] >= args.attempts
        passed &= ok
        print(f"| {label} | {pages[0]['attempts']} | {pages[0]['bytes']} | {spread(ms, 0)} | "
              f"{spread(base)} | {med(ms) / med(base):.0f} | "
              f"{'**PASS**' if ok else '**FAIL**'} (< {PAGE_MS} ms) |")
    print(f"\nOverall: {'PASS' if passed else 'FAIL'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # the kind, then its arguments; prints one JSON line
        kind, *rest = argv[1:]
        print(json.dumps({"seed": child_seed, "export": child_export, "baseline": child_baseline,
                          "analysis": child_analysis}[kind](*rest)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--rows", type=int, default=100_000, help="answers exported, at least")
    parser.add_argument("--attempts", type=int, default=2000,
                        help="submitted attempts per quiz, at least (one per learner)")
    parser.add_argument("--quiz", default="spot-the-interruption", help="quiz to analyse")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--database", help="postgresql+psycopg://... (default: SQLite)")
    args = parser.parse_args(argv)
    tmp, db = Path(tempfile.mkdtemp(prefix="attract-exports-")), None
    try:
        db = Database(args.database, tmp)
        env = {**os.environ, "DATABASE_URL": db.url, "SECRET_KEY": secrets.token_hex(16),
               "LOG_LEVEL": "WARNING"}
        load, start = os.getloadavg()[0], time.perf_counter()
        seeded = child(env, "seed", str(args.rows), str(args.attempts))
        print(f"seeded in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        return 0 if report(args, db, seeded, measure(args, env, tmp, seeded), load) else 1
    except BenchError as exc:
        print(f"could not run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if db is not None:
            db.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
