"""``flask --app app db backup FILE`` and ``db restore FILE``: a copy of the whole database.

SQLite: the online backup API (``sqlite3.Connection.backup``), so a backup taken while
the site serves is consistent, page by page, without stopping anyone. PostgreSQL: a
wrapper around ``pg_dump --format=custom`` and ``pg_restore --clean``, which must be on
the PATH (they come with the PostgreSQL client). Restoring replaces everything in the
database with the file's contents: stop the site first. A restored SQLite file must hold
an Attract database (a ``users`` table); after restoring, ``db upgrade`` brings
an older backup to the current schema.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _libpq(url) -> tuple[str, dict[str, str]]:
    """A libpq URL (no +psycopg driver, no options) and the environment for pg_dump, with
    the schema from ``options=-csearch_path=...`` passed on as PGOPTIONS."""
    env = {}
    options = url.query.get("options")
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    plain = url.set(drivername="postgresql").difference_update_query(["options"])
    return plain.render_as_string(hide_password=False), env


def _schema(url) -> str | None:
    options = url.query.get("options") or ""
    options = options if isinstance(options, str) else " ".join(options)
    for part in options.split():
        if part.startswith("-csearch_path="):
            return part.split("=", 1)[1]
    return None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not on the PATH; install the PostgreSQL client "
                          f"(apt-get install postgresql-client) or run {name} yourself.")
    return found


def backup(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        try:
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
        return
    if url.get_backend_name() != "postgresql":
        raise BackupError(f"No backup for {url.get_backend_name()} databases.")
    plain, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"]
    if _schema(url):
        command.append(f"--schema={_schema(url)}")
    _run([*command, plain], env)


def restore(database_url: str, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT count(*) FROM users").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an Attract SQLite backup ({error}).") from None
        try:
            live = sqlite3.connect(_sqlite_path(url))
            with live:
                backup_db.backup(live)
            live.close()
        finally:
            backup_db.close()
        return
    plain, env = _libpq(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={plain}", str(source)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    # a fixed tool found on the PATH and the configured database URL; no shell
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True,  # noqa: S603
                            text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: "
                          f"{result.stderr.strip() or result.stdout.strip()}")
