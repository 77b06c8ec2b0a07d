"""When the database is down, read-only or full: a fast 503 that says nothing was saved,
and the site recovers by itself when the database is back."""

import time

import pytest
from sqlalchemy import create_engine, text

from attract import create_app
from attract.extensions import db as _db
from attract.models import User
from tests.helpers import TEST_DATABASE_URL, csrf_from


def test_an_unreachable_database_is_a_fast_503(app_config):
    """Nothing listens on port 9: connections are refused, as during a restart."""
    url = ("postgresql+psycopg://postgres@127.0.0.1:9/test" if TEST_DATABASE_URL
           else "sqlite:////nonexistent-folder/attract.db")
    down = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    client = down.test_client()
    started = time.monotonic()
    api = client.post("/api/tokens", json={"email": "a@example.com", "password": "x" * 12})
    assert time.monotonic() - started < 5
    assert api.status_code == 503 and api.json["error"] == "database_unavailable"
    assert api.headers["Retry-After"] == "5" and "nothing was saved" in api.json["message"]
    page = client.get("/courses/attraction-not-interruption")
    assert page.status_code in (200, 503)  # the catalog needs no database for anonymous
    assert client.get("/healthz").status_code == 503


def test_a_read_only_database_acknowledges_nothing(app, app_config, make_user, tmp_path):
    if TEST_DATABASE_URL:
        pytest.skip("a read-only SQLite file; PostgreSQL read-only is the same OperationalError")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    make_user(email="before@example.com")
    with app.app_context():
        _db.engine.dispose()
    frozen = create_app({**app_config,
                         "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=ro&uri=true"})
    client = frozen.test_client()
    page = client.get("/auth/sign-up").get_data(as_text=True)
    response = client.post("/auth/sign-up", data={
        "name": "New", "email": "new@example.com", "password": "correct horse battery",
        "confirm": "correct horse battery", "csrf_token": csrf_from(page)})
    assert response.status_code == 503
    assert "nothing was saved" in response.get_data(as_text=True)
    with app.app_context():
        emails = set(_db.session.scalars(_db.select(User.email)))
    assert emails == {"before@example.com"}


def test_the_site_recovers_by_itself_after_a_database_restart(app_config, make_user):
    """Every server connection of the app is killed (what a restart does to its pool);
    the next request still succeeds: pre-ping finds the dead connection and opens a new
    one. Only this app's connections, found by their application_name."""
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    import uuid

    from sqlalchemy.engine import make_url

    name = f"attract-outage-{uuid.uuid4().hex[:8]}"
    url = make_url(app_config["SQLALCHEMY_DATABASE_URI"]).update_query_dict(
        {"application_name": name}).render_as_string(hide_password=False)
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    make_user(email="alive@example.com")
    assert client.get("/healthz").status_code == 200
    admin = create_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        killed = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name"), {"name": name}).scalar()
    admin.dispose()
    assert killed >= 1
    assert client.get("/healthz").status_code == 200
    token = client.post("/api/tokens", json={"email": "alive@example.com",
                                             "password": "correct horse battery"})
    assert token.status_code == 201
    with app.app_context():
        _db.engine.dispose()


def test_a_full_disk_acknowledges_nothing(app, client, make_user, post_form):
    """SQLite's max_page_count makes the file 'full' (SQLITE_FULL, the error a full disk
    gives): an answer that cannot be stored is a 503, never a 2xx."""
    if TEST_DATABASE_URL:
        pytest.skip("SQLite's page cap stands in for a full disk; PostgreSQL's full disk "
                    "raises the same OperationalError")
    from sqlalchemy import event

    make_user(email="full@example.com")
    with app.app_context():
        engine = _db.engine
        engine.dispose()

        @event.listens_for(engine, "connect")
        def cap(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    response = client.post("/api/tokens", json={"email": "full@example.com",
                                                "password": "correct horse battery"})
    assert response.status_code in (201, 503)
    page = client.get("/auth/sign-up").get_data(as_text=True)
    big = "x" * 90
    statuses = []
    for n in range(40):  # enough new rows to need a new page
        statuses.append(client.post("/auth/sign-up", data={
            "name": big, "email": f"n{n}@example.com", "password": "correct horse battery",
            "confirm": "correct horse battery", "csrf_token": csrf_from(page)}).status_code)
        if statuses[-1] == 503:
            break
    assert statuses[-1] == 503, statuses
    with app.app_context():
        event.remove(_db.engine, "connect", cap)
        _db.engine.dispose()
        stored = set(_db.session.scalars(_db.select(User.email)))
    acknowledged = {f"n{n}@example.com" for n, s in enumerate(statuses) if s == 200}
    assert acknowledged <= stored  # every 200 was stored; the 503 one was not
    assert f"n{len(statuses) - 1}@example.com" not in stored
