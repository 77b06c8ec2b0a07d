"""Password reset by email: neutral, single-use, expiring, hashed, and it signs out the
rest."""

import logging
import re

import pytest

from attract.extensions import db as _db
from attract.models import PasswordReset
from tests.helpers import PASSWORD, csrf_from

NEW = "a brand new sentence of mine"


@pytest.fixture
def mails(caplog):
    caplog.set_level(logging.INFO, logger="attract.mail")

    def sent():
        return [r.getMessage() for r in caplog.records if r.name == "attract.mail"]
    return sent


def ask(client, email):
    page = client.get("/auth/forgot").get_data(as_text=True)
    return client.post("/auth/forgot", data={"email": email, "csrf_token": csrf_from(page)})


def link_in(message):
    return re.search(r"http://localhost(/auth/reset/[\w-]+)", message).group(1)


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, make_user, mails):
    make_user(email="known@example.com")
    known = ask(client, "known@example.com")
    unknown = ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    def page(response, email):
        return response.get_data(as_text=True).replace(email, "X")

    assert page(known, "known@example.com") == page(unknown, "nobody@example.com")
    assert "If an account exists" in known.get_data(as_text=True)
    assert len(mails()) == 1 and "known@example.com" in mails()[0]


def test_a_reset_sets_the_password_once_and_signs_out_everywhere(app, client, make_user,
                                                                  post_form, mails, caplog):
    caplog.set_level(logging.INFO, logger="attract.security")
    make_user(email="reset@example.com")
    other = app.test_client()  # signed in elsewhere, e.g. a thief's browser
    page = other.get("/auth/sign-in").get_data(as_text=True)
    other.post("/auth/sign-in", data={"email": "reset@example.com", "password": PASSWORD,
                                      "csrf_token": csrf_from(page)})
    assert other.get("/auth/account").status_code == 200
    ask(client, "reset@example.com")
    url = link_in(mails()[0])
    token = url.rsplit("/", 1)[1]
    with app.app_context():
        assert _db.session.scalar(_db.select(PasswordReset.token_hash)) != token  # hashed
    form = client.get(url)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    done = client.post(url, data={"password": NEW, "confirm": NEW,
                                  "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert done.status_code == 303
    assert client.get("/auth/account").status_code == 200  # signed in, fresh
    assert other.get("/auth/account").status_code == 302  # signed out everywhere else
    assert client.get(url).status_code == 410  # single use
    fresh = app.test_client()
    page = fresh.get("/auth/sign-in").get_data(as_text=True)
    assert fresh.post("/auth/sign-in", data={"email": "reset@example.com", "password": NEW,
                                             "csrf_token": csrf_from(page)}).status_code == 303
    security = [r.getMessage() for r in caplog.records if r.name == "attract.security"]
    assert security and not any(token in line for line in security)


def test_an_expired_or_made_up_link_is_410(app, client, make_user, mails):
    make_user(email="late@example.com")
    ask(client, "late@example.com")
    url = link_in(mails()[0])
    assert client.get("/auth/reset/not-a-real-token").status_code == 410
    with app.app_context():
        row = _db.session.scalar(_db.select(PasswordReset))
        row.expires_at = row.created_at
        _db.session.commit()
    response = client.get(url)
    assert response.status_code == 410 and "Ask for a new one" in response.get_data(as_text=True)


def test_a_common_password_is_refused_and_the_link_still_works(client, make_user, mails):
    make_user(email="weak@example.com")
    ask(client, "weak@example.com")
    url = link_in(mails()[0])
    page = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"password": "password123", "confirm": "password123",
                                     "csrf_token": csrf_from(page)})
    assert refused.status_code == 422 and "most common passwords" in refused.get_data(
        as_text=True)
    assert client.get(url).status_code == 200


def test_requests_are_rate_limited_quietly(client, make_user, mails):
    make_user(email="flood@example.com")
    for _ in range(5):
        assert ask(client, "flood@example.com").status_code == 200
    assert len(mails()) == 3


def test_smtp_is_used_when_mail_url_is_set(app, make_user, monkeypatch):
    import smtplib

    from attract import mail

    calls = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            calls.append(("connect", host, port))

        def starttls(self, context):
            calls.append(("starttls",))

        def login(self, user, password):
            calls.append(("login", user, password))

        def send_message(self, message):
            calls.append(("send", message["To"], message["Subject"]))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_URL"] = "smtp://bot%40example.com:s3cret@mail.example.com:2525"
    with app.app_context():
        mail.send("to@example.com", "Hello", "Body")
    assert calls == [("connect", "mail.example.com", 2525), ("starttls",),
                     ("login", "bot@example.com", "s3cret"),
                     ("send", "to@example.com", "Hello")]
