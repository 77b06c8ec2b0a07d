"""Fixtures: ``app``, ``client``, ``runner``, ``db`` and factories, a fresh database per test.

SQLite by default (a new file per test). With ``TEST_DATABASE_URL`` set, every test
runs on that PostgreSQL server instead, inside a schema made for this run and
dropped after it; tables are emptied between tests.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from attract import create_app
from attract.accounts import create_user, issue_token
from attract.extensions import db as _db
from attract.models import User
from tests.helpers import PASSWORD, TEST_DATABASE_URL, csrf_from


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def pg_schema():
    """A PostgreSQL schema for this test run, or None on SQLite."""
    if not TEST_DATABASE_URL:
        yield None
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def database_uri(tmp_path: Path, schema: str | None) -> str:
    if schema is None:
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def app_config(tmp_path, pg_schema) -> dict:
    """The config a test app gets; tests may change it before asking for ``app``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path, pg_schema),
        "ARGON2_PROFILE": "CHEAPEST",
        "CONTENT_RELOAD_SECONDS": 0,
        "SERVER_NAME": None,
    }


def _make_app(config: dict):
    app = create_app(config)
    with app.app_context():
        _db.create_all()
    return app


def _clean_up(app, pg_schema) -> None:
    with app.app_context():
        _db.session.remove()
        if pg_schema:
            tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            with _db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        _db.engine.dispose()


@pytest.fixture
def app(app_config, pg_schema):
    app = _make_app(app_config)
    yield app
    _clean_up(app, pg_schema)


@pytest.fixture
def content_app(app_config, pg_schema):
    """Factory: ``content_app(root, **config)``, an app serving its own content folder,
    on the same per-test database, cleaned up like ``app``."""
    made = []

    def make(root, **config):
        made.append(_make_app({**app_config, "CONTENT_DIR": str(root), **config}))
        return made[-1]

    yield make
    for app in made:
        _clean_up(app, pg_schema)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The SQLAlchemy handle, inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture
def make_user(app):
    """Factory: ``make_user(email=..., role=..., password=...)`` returns the new user's id."""
    counter = iter(range(1, 10_000))

    def factory(email: str | None = None, role: str = "learner", password: str = PASSWORD,
                name: str = "Test Learner") -> int:
        with app.app_context():
            user = create_user(email or f"learner{next(counter)}@example.com", password, name,
                               role)
            return user.id

    return factory


@pytest.fixture
def post_form(client):
    """``post_form(page_url, data, action=None)``: GET the page for its CSRF token, then POST."""

    def submit(page_url: str, data: dict, action: str | None = None, **kwargs):
        page = client.get(page_url)
        token = csrf_from(page.get_data(as_text=True))
        return client.post(action or page_url, data={**data, "csrf_token": token}, **kwargs)

    return submit


@pytest.fixture
def sign_in(make_user, post_form):
    """Create a learner and sign the test client in; returns the user's id."""

    def do(email: str = "reader@example.com", role: str = "learner") -> int:
        user_id = make_user(email=email, role=role)
        response = post_form("/auth/sign-in", {"email": email, "password": PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        return user_id

    return do


@pytest.fixture
def api_token(app, make_user):
    """Factory: a bearer token for a new user of ``role``."""
    def factory(email: str = "api@example.com", role: str = "learner") -> str:
        user_id = make_user(email=email, role=role)
        with app.app_context():
            return issue_token(_db.session.get(User, user_id))

    return factory


@pytest.fixture
def mailbox(caplog):
    """What the app "sent" (no MAIL_URL in tests: mail goes to the attract.mail log):
    ``mailbox.links()`` the site paths in every message so far, newest last."""
    import logging
    import re

    caplog.set_level(logging.INFO, logger="attract.mail")

    class Mailbox:
        @staticmethod
        def messages() -> list[str]:
            return [r.getMessage() for r in caplog.records if r.name == "attract.mail"]

        def links(self) -> list[str]:
            return [m for text in self.messages()
                    for m in re.findall(r"https?://[^/\s]+(/\S+)", text)]

        def last_link(self, prefix: str = "/auth/confirm/") -> str:
            found = [link for link in self.links() if link.startswith(prefix)]
            assert found, f"no {prefix} link was mailed: {self.messages()}"
            return found[-1]

        def confirm(self, client):
            """Open the newest sign-up link in ``client`` and press its button."""
            link = self.last_link()
            page = client.get(link)
            assert page.status_code == 200, page.status_code
            return client.post(link, data={
                "csrf_token": csrf_from(page.get_data(as_text=True))})

    return Mailbox()
