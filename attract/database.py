"""Database wiring: SQLite pragmas for concurrent workers, and migrations behind a lock."""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from .extensions import db

# pg_advisory_lock key: "attract migrations"
_MIGRATION_LOCK = 0x61747472


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer work at once; the busy timeout makes a second
    writer wait instead of failing with "database is locked"; SQLite leaves foreign
    keys off unless asked."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def insert_for(dialect: str, model):
    """An INSERT with ON CONFLICT support for the running database (PostgreSQL or SQLite)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def ping() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not reachable" to a health check
        db.session.rollback()
        return False


@contextlib.contextmanager
def migration_lock():
    """Serialise migrations between processes and hosts starting at the same time."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": _MIGRATION_LOCK})
                connection.commit()
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        lock_path = Path(url.database).with_suffix(".migrate.lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def upgrade_database(app: Flask) -> None:
    """Create or migrate the database to the newest revision (idempotent)."""
    with app.app_context():
        with migration_lock():
            upgrade()  # the folder create_app gave Flask-Migrate
        db.engine.dispose()
