"""The factory: config, refusing to start, health, migrations that match the models."""

import logging
import subprocess
import sys
import uuid

import click
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from attract import ConfigError, ContentError, create_app, health
from attract.config import REPO_ROOT, build_config, database_url
from attract.database import upgrade_database
from attract.extensions import db as _db
from tests.helpers import TEST_DATABASE_URL


def test_secret_key_required_outside_debug_and_testing(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        build_config(tmp_path, env={})
    assert build_config(tmp_path, env={"SECRET_KEY": "k"})["SECRET_KEY"] == "k"
    (tmp_path / "secret_key").write_text("from-file\n")
    assert build_config(tmp_path, env={})["SECRET_KEY"] == "from-file"


KEY = "k" * 64


@pytest.mark.parametrize(("env", "debug", "problem"), [
    ({"SECRET_KEY": "short"}, False, "shorter than 32"),
    ({"SECRET_KEY": KEY}, True, "debug is on"),
    ({"SECRET_KEY": KEY, "SECRET_KEY_FALLBACKS": "old"}, False, "FALLBACKS key is shorter"),
])
def test_production_refuses_laptop_settings(tmp_path, env, debug, problem):
    with pytest.raises(ConfigError, match=problem):
        build_config(tmp_path, env={**env, "ATTRACT_ENV": "production"}, debug=debug)


def test_production_refuses_no_body_cap(tmp_path):
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH"):
        build_config(tmp_path, {"MAX_CONTENT_LENGTH": None},
                     env={"SECRET_KEY": KEY, "ATTRACT_ENV": "production"})


def test_production_starts_with_good_settings(tmp_path):
    config = build_config(tmp_path, env={"SECRET_KEY": KEY, "ATTRACT_ENV": "production",
                                         "SECRET_KEY_FALLBACKS": "o" * 40 + ", " + "p" * 40})
    assert config["SECRET_KEY_FALLBACKS"] == ["o" * 40, "p" * 40]


def test_a_session_signed_with_an_old_key_survives_rotation(app_config, tmp_path):
    """SECRET_KEY_FALLBACKS: rotate the key without signing everybody out."""
    from flask import request, session

    old = create_app({**app_config, "SECRET_KEY": "old-" + "a" * 40})
    with old.test_request_context():
        session["probe"] = "kept"
        cookie = old.session_interface.get_signing_serializer(old).dumps(dict(session))
    for fallbacks, expected in ((["old-" + "a" * 40], "kept"), (None, None)):
        new = create_app({**app_config, "SECRET_KEY": "new-" + "b" * 40,
                          "SECRET_KEY_FALLBACKS": fallbacks})
        with new.test_request_context(headers={"Cookie": f"session={cookie}"}):
            opened = new.session_interface.open_session(new, request)
            assert opened.get("probe") == expected


def test_debug_key_is_random_never_a_constant(tmp_path):
    first = build_config(tmp_path, env={}, debug=True)["SECRET_KEY"]
    second = build_config(tmp_path, env={}, debug=True)["SECRET_KEY"]
    assert first != second and len(first) == 64


def test_database_url_defaults_and_normalises(tmp_path):
    assert database_url({}, tmp_path) == f"sqlite:///{tmp_path / 'attract.db'}"
    assert database_url({"DATABASE_URL": "postgres://u@h/d"}, tmp_path) == \
        "postgresql+psycopg://u@h/d"


def test_app_refuses_to_start_on_invalid_content(tmp_path, monkeypatch, app_config):
    (tmp_path / "courses").mkdir()
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError) as info:
        create_app(app_config)
    assert "missing folder 'lessons/'" in str(info.value)


def test_flask_cli_still_reports_invalid_content(tmp_path):
    """`flask content check` must run on broken content, print path:line and exit 1."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "lessons").mkdir()
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "courses" / "c.yaml").write_text("title: [\n")
    env = {"PATH": "/usr/bin:/bin", "CONTENT_DIR": str(tmp_path), "SECRET_KEY": "x",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "content", "check"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path}/courses/c.yaml:2: invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_under_the_flask_command_invalid_content_serves_503(tmp_path, monkeypatch, app_config):
    """The CLI must load to run `content check`; the pages then say what is wrong."""
    (tmp_path / "courses").mkdir()
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    with click.Context(click.Command("flask")):
        broken = create_app(app_config)
    response = broken.test_client().get("/")
    assert response.status_code == 503
    assert "missing folder &#39;lessons/&#39;" in response.get_data(as_text=True)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"


def test_healthz_database_down(app, client, monkeypatch):
    monkeypatch.setattr(health, "ping", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_healthz_really_fails_without_a_database(app_config, tmp_path):
    app_config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    app = create_app(app_config)
    assert app.test_client().get("/healthz").status_code == 503


def test_sqlite_is_wal_with_foreign_keys_and_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only apply to SQLite")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_migrations_match_the_models(app, tmp_path, pg_schema):
    """Upgrading an empty database gives exactly the schema the models describe."""

    schema = None
    if pg_schema:  # a schema of its own, so the run's tables don't hide a missing migration
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        admin = create_engine(TEST_DATABASE_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(TEST_DATABASE_URL).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    server_log = logging.getLogger("gunicorn.error")  # made before the master migrates
    try:
        migrated = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url})
        upgrade_database(migrated)
        upgrade_database(migrated)  # a second start changes nothing
        assert not server_log.disabled  # alembic's logging setup must not silence gunicorn
        engine = create_engine(url)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), _db.metadata)
        engine.dispose()
    finally:
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    assert diff == []


def test_unexpected_error_is_a_friendly_500(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Nothing you saved was lost" in page and "kaboom" not in page


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("get", "/certificates/%00", {}),
        ("get", "/lessons/pull-not-push?course=%00", {}),
        ("form", "/auth/sign-in", {"email": "a\x00@example.com", "password": "x"}),
        ("form", "/auth/sign-up", {"name": "N\x00", "email": "n@example.com"}),
        ("post", "/api/tokens", {"json": {"email": "a\x00@example.com", "password": "x"}}),
        ("get", "/api/quizzes/%00", {}),
    ],
)
def test_nul_characters_are_a_clear_400_on_every_database(client, post_form, method, url,
                                                          kwargs):
    """PostgreSQL refuses NUL in text; without the guard these were 500s there."""
    if method == "form":  # with a valid CSRF token, so the NUL is what gets refused
        response = post_form(url, kwargs)
    else:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_a_batch_migration_keeps_the_rows_that_point_at_the_copied_table(app, tmp_path):
    """0008 copies the workshops table (SQLite cannot add a foreign key in place); with
    foreign keys on, dropping the old copy would cascade-delete every participant."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'upgraded.db'}"
    migrated = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url})
    with migrated.app_context():
        upgrade(revision="0007")
        with _db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, name, password_hash, role, created_at) "
                "VALUES (1, 'host@example.com', 'Host', 'x', 'trainer', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO workshops (id, code, owner_id, title, scoring, steps, status, "
                "phase, locked, board, version, created_at) VALUES (1, 'ABCDEF', 1, 'Room', "
                "'speed', '[]', 'lobby', 'none', 0, 0, 1, '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO participants (id, workshop_id, nickname, nickname_key, "
                "token_hash, joined_at) VALUES (1, 1, 'Sam', 'sam', 'h', '2026-01-01')"))
        upgrade()
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM participants")).scalar() == 1
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        _db.engine.dispose()


def test_a_database_filled_at_the_first_revision_upgrades_with_nothing_lost(app, tmp_path,
                                                                            pg_schema):
    from flask_migrate import upgrade

    schema = None
    if pg_schema:
        schema = f"old_{uuid.uuid4().hex[:12]}"
        admin = create_engine(TEST_DATABASE_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(TEST_DATABASE_URL).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    try:
        old = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url})
        with old.app_context():
            upgrade(revision="0001")
            with _db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO users (id, email, name, password_hash, role, created_at) "
                    "VALUES (1, 'old@example.com', 'Old Timer', 'x', 'learner', "
                    "'2026-01-01 00:00:00')"))
                connection.execute(text(
                    "INSERT INTO api_tokens (id, user_id, token_hash, created_at) "
                    "VALUES (1, 1, 'abc', '2026-01-01 00:00:00')"))
                connection.execute(text(
                    "INSERT INTO lesson_reads (id, user_id, lesson_slug, read_at) "
                    "VALUES (1, 1, 'pull-not-push', '2026-01-01 00:00:00')"))
            upgrade()
            with _db.engine.connect() as connection:
                for table in ("users", "api_tokens", "lesson_reads"):
                    count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608  (fixed names)
                    assert count == 1, table
                assert connection.execute(text(
                    "SELECT name FROM users WHERE id = 1")).scalar() == "Old Timer"
                head = connection.execute(text("SELECT version_num FROM alembic_version"))
                newest = max(p.name[:4] for p in
                             (REPO_ROOT / "migrations" / "versions").glob("[0-9]*.py"))
                assert head.scalar() == newest
            _db.engine.dispose()
    finally:
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
