"""A learner's own work: their attempts, by API and page, for every kind of visitor.
Only the owner sees or changes it; everyone else gets the answer a missing id gets
(401 or the sign-in page when anonymous, 404 otherwise), and nothing is written."""

import pytest
from sqlalchemy import func, select

from attract.extensions import db as _db
from tests.helpers import csrf_from

QUIZ = "first-messages-that-start-conversations"
WHO = ("anonymous", "owner", "other learner", "trainer", "admin")


@pytest.fixture
def world(app, make_user, api_token):
    tokens = {"owner": api_token("owner@example.com"),
              "other learner": api_token("other@example.com"),
              "trainer": api_token("t@example.com", role="trainer"),
              "admin": api_token("admin@example.com", role="admin")}
    client = app.test_client()
    started = client.post(f"/api/quizzes/{QUIZ}/attempts",
                          headers={"Authorization": f"Bearer {tokens['owner']}"})
    assert started.status_code == 201
    return {"tokens": tokens, "attempt": started.json["attempt_id"]}


def snapshot(app) -> dict:
    with app.app_context():
        return {t.name: _db.session.scalar(select(func.count()).select_from(t))
                for t in _db.metadata.sorted_tables if t.name not in ("rate_limits",
                                                                      "sign_ins")}


def _signed_in(app, email):
    browser = app.test_client()
    page = browser.get("/auth/sign-in").get_data(as_text=True)
    assert browser.post("/auth/sign-in", data={"email": email,
                                               "password": "correct horse battery",
                                               "csrf_token": csrf_from(page)}
                        ).status_code == 303
    return browser


EMAILS = {"owner": "owner@example.com", "other learner": "other@example.com",
          "trainer": "t@example.com", "admin": "admin@example.com"}


@pytest.mark.parametrize(("method", "template", "kind"), [
    ("GET", "/api/attempts/{A}", "api"),
    ("PUT", "/api/attempts/{A}/answers", "api"),
    ("GET", "/quizzes/" + QUIZ + "/attempts/{A}", "page"),
])
def test_only_the_owner_sees_or_changes_an_attempt(app, world, method, template, kind):
    url = template.format(A=world["attempt"])
    for who in WHO:
        if kind == "api":
            browser = app.test_client()
            headers = ({"Authorization": f"Bearer {world['tokens'][who]}"}
                       if who != "anonymous" else {})
        else:
            browser = app.test_client() if who == "anonymous" else _signed_in(app, EMAILS[who])
            headers = {}
        before = snapshot(app)
        response = browser.open(url, method=method, headers=headers,
                                json={"answers": {}} if method == "PUT" else None)
        if who == "owner":
            assert response.status_code in (200, 302, 303), (who, url, response.status_code)
            continue
        want = (401 if kind == "api" else 302) if who == "anonymous" else 404
        assert response.status_code == want, (who, url, response.status_code)
        assert snapshot(app) == before, (who, url, "a refused request wrote something")
