"""Security events: one JSON line each, CR/LF escaped, never a password, token or code."""

import json
import logging

import pytest

from tests.helpers import PASSWORD


@pytest.fixture
def security(caplog):
    caplog.set_level(logging.INFO, logger="attract.security")

    def events():
        return [json.loads(r.getMessage().removeprefix("security "))
                for r in caplog.records if r.name == "attract.security"]
    return events


def test_sign_in_success_failure_and_throttling(client, make_user, post_form, security,
                                                caplog):
    make_user(email="log@example.com")
    secret = "wrong-but-secret-guess"
    for _ in range(10):
        post_form("/auth/sign-in", {"email": "log@example.com", "password": secret})
    post_form("/auth/sign-in", {"email": "log@example.com", "password": PASSWORD})
    names = [e["event"] for e in security()]
    assert names == ["sign_in.failure"] * 10 + ["sign_in.throttled"]
    first = security()[0]
    assert first["email"] == "log@example.com" and first["ip"] == "127.0.0.1"
    assert first["route"] == "/auth/sign-in" and first["method"] == "POST"
    assert secret not in caplog.text and PASSWORD not in caplog.text


def test_api_tokens_are_never_logged(client, make_user, security, caplog):
    make_user(email="tok@example.com")
    token = client.post("/api/tokens", json={"email": "tok@example.com",
                                             "password": PASSWORD}).json["token"]
    assert [e["event"] for e in security()] == ["sign_in.success"]
    assert security()[0]["via"] == "api_token"
    assert token not in caplog.text and PASSWORD not in caplog.text


def test_a_forged_line_break_stays_on_one_line(client, security, caplog):
    client.post("/api/tokens", json={"email": "x@example.com\r\nsecurity {\"event\": \"fake\"}",
                                     "password": "whatever12"})
    records = [r for r in caplog.records if r.name == "attract.security"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "\n" not in message and "\r" not in message
    assert security()[0]["event"] == "sign_in.failure"


def test_someone_elses_cohort_and_csrf_refusals_are_logged(app, client, make_user,
                                                            post_form, security):
    from attract.cohorts import operations as cohorts
    from attract.extensions import db
    from attract.models import User

    owner = make_user(email="owner@example.com", role="trainer")
    make_user(email="other@example.com", role="trainer")
    with app.app_context():
        from attract.current import library

        with app.test_request_context():
            cohort = cohorts.create(db.session.get(User, owner), library(), name="Spring",
                                    course="attraction-not-interruption")
        cohort_id = cohort.id
    post_form("/auth/sign-in", {"email": "other@example.com", "password": PASSWORD})
    assert client.get(f"/trainer/cohorts/{cohort_id}").status_code == 404
    assert client.post("/auth/sign-out").status_code == 400  # no CSRF token
    events = [e for e in security() if e["event"] in ("access.refused", "csrf.refused")]
    assert [e["event"] for e in events] == ["access.refused", "csrf.refused"]
    assert events[0]["cohort"] == cohort_id
    assert events[0]["route"] == "/trainer/cohorts/<int:cohort_id>"
