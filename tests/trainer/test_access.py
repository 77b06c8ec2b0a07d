"""Who may see and change a trainer's cohorts, workshops, analysis and exports: every
route with an id in it, for every kind of visitor, with the status checked and, for each
refusal, nothing written anywhere.

- ``learner`` (L1) is in the cohort; ``other learner`` (L2) is in none;
- ``participant`` played in the workshop with no account (their bearer token is sent);
- ``trainer`` (A) owns the cohort and the workshop; ``other trainer`` (B) owns neither;
- ``admin`` sees everything.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from attract.cohorts.models import Cohort
from attract.extensions import db as _db
from tests.helpers import PASSWORD, csrf_from
from tests.trainer.conftest import QUIZ

WHO = ("anonymous", "learner", "other learner", "participant", "trainer", "other trainer",
       "admin")
EMAIL = {"learner": "l1@example.com", "other learner": "l2@example.com",
         "trainer": "a@example.com", "other trainer": "b@example.com",
         "admin": "admin@example.com"}
API_USER = {"learner": "L1", "other learner": "L2", "trainer": "A", "other trainer": "B",
            "admin": "admin"}

# (method, url template, kind): a page answers anonymous visitors with a sign-in redirect,
# an API call with 401; an allowed POST redirects (303) or creates (201).
ROUTES = [
    ("GET", "/trainer/cohorts/{C}", "page"),
    ("GET", "/trainer/cohorts/{C}?sort=quiz:" + QUIZ + "&from=2020-01-01", "page"),
    ("POST", "/trainer/cohorts/{C}/invite", "page"),
    ("POST", "/trainer/cohorts/{C}/members/{L1}/remove", "page"),
    ("GET", "/trainer/cohorts/{C}/results.csv", "page"),
    ("GET", "/trainer/cohorts/{C}/results.xlsx", "page"),
    ("GET", "/trainer/quizzes/" + QUIZ + "/analysis?cohort={C}", "page"),
    ("GET", "/trainer/quizzes/" + QUIZ + "/results.json?cohort={C}", "page"),
    ("GET", "/trainer/workshops/{W}", "page"),
    ("GET", "/trainer/workshops/{W}/analysis", "page"),
    ("GET", "/trainer/workshops/{W}/present", "page"),
    ("GET", "/trainer/workshops/{W}/remote", "page"),
    ("GET", "/trainer/workshops/{W}/results.csv", "page"),
    ("GET", "/trainer/xapi.jsonl?cohort={C}", "page"),
    ("GET", "/trainer/xapi.jsonl?workshop={W}", "page"),
    ("GET", "/api/cohorts/{C}", "api"),
    ("GET", "/api/workshops/{W}/results", "api"),
    ("POST", "/api/workshops", "api"),
]

ALLOWED = {"trainer", "admin"}


def expected(who: str, method: str, kind: str) -> int:
    if who == "other trainer" and (method, kind) == ("POST", "api"):
        return 422  # the cohort is a field of the body, not the address: "no such cohort"
    if who in ALLOWED:
        if kind == "api":
            return 201 if method == "POST" else 200
        return 303 if method == "POST" else 200
    if who in ("anonymous", "participant"):
        return 401 if kind == "api" else 302
    if who == "other trainer":
        return 404  # another trainer's ids do not exist for them (nor as a 403 to probe)
    return 403  # a learner: trainers' pages are not for them


def snapshot(app) -> dict:
    """Every table's row count and every cohort's invite: what a refusal must not move."""
    with app.app_context():
        counts = {table.name: _db.session.scalar(select(func.count()).select_from(table))
                  for table in _db.metadata.sorted_tables if table.name != "rate_limits"}
        counts["invites"] = sorted(
            (c.id, c.invite_token or "") for c in _db.session.scalars(select(Cohort)))
        return counts


def _client(app, world, who: str):
    browser = app.test_client()
    headers = {}
    if who in EMAIL:
        page = browser.get("/auth/sign-in")
        signed = browser.post("/auth/sign-in", data={
            "email": EMAIL[who], "password": PASSWORD,
            "csrf_token": csrf_from(page.get_data(as_text=True))})
        assert signed.status_code == 303
    if who == "participant":
        headers["Authorization"] = f"Bearer {world.participant_token}"
    return browser, headers


@pytest.mark.parametrize(("method", "template", "kind"), ROUTES,
                         ids=[f"{m} {t}" for m, t, _ in ROUTES])
def test_access_matrix(app, world, method, template, kind):
    url = template.format(C=world.cohort["id"], W=world.workshop["id"], L1=world.ids["L1"])
    for who in WHO:
        browser, headers = _client(app, world, who)
        if kind == "api" and who in API_USER:
            headers["Authorization"] = f"Bearer {world.tokens[API_USER[who]]}"
        data = json = None
        if method == "POST" and kind == "page":
            # a real CSRF token of this visitor's session, so only the access rule decides
            # (the sign-out form of any page when signed in; the sign-in page otherwise)
            page = browser.get("/" if who in EMAIL else "/auth/sign-in")
            data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "action": "renew"}
        if method == "POST" and kind == "api":
            json = {"quiz": QUIZ, "cohort": world.cohort["id"]}
        before = snapshot(app)
        response = browser.open(url, method=method, headers=headers, data=data, json=json)
        body = response.get_data()
        response.close()  # a streamed download holds its request context until closed
        want = expected(who, method, kind)
        assert response.status_code == want, (who, url, response.status_code)
        if want == 302:
            assert "/auth/sign-in" in response.headers["Location"]
        if want >= 400:
            assert snapshot(app) == before, (who, url, "a refused request wrote something")
            if kind == "api":
                assert response.get_json()["error"]
            assert b"Traceback" not in body


# Calls that change a room: for the trainer who owns it and the admin the room decides
# (an ended room refuses "lock" with 409, say); for everyone else, the refusal a missing
# id gets, and nothing written.
ROOM_CALLS = [
    ("POST", "/api/workshops/{W}/control", {"action": "lock"}),
    ("POST", "/api/workshops/{W}/control", {"action": "next"}),
    ("DELETE", "/api/workshops/{W}/participants/{P}", None),
]


@pytest.mark.parametrize(("method", "template", "body"), ROOM_CALLS,
                         ids=[f"{m} {t} {b}" for m, t, b in ROOM_CALLS])
def test_room_calls_matrix(app, world, method, template, body):
    with app.app_context():
        from attract.workshops.models import Participant

        player = _db.session.scalar(select(Participant.id).where(
            Participant.workshop_id == world.workshop["id"]).order_by(Participant.id))
    url = template.format(W=world.workshop["id"], P=player)
    for who in ("anonymous", "learner", "other learner", "participant", "other trainer"):
        browser, headers = _client(app, world, who)
        if who in API_USER:
            headers["Authorization"] = f"Bearer {world.tokens[API_USER[who]]}"
        before = snapshot(app)
        response = browser.open(url, method=method, headers=headers, json=body)
        want = 401 if who in ("anonymous", "participant") else 404 \
            if who == "other trainer" else 403
        assert response.status_code == want, (who, url, response.status_code)
        assert response.get_json()["error"]
        assert snapshot(app) == before, (who, url, "a refused request wrote something")
    for who in ("trainer", "admin"):
        browser, headers = _client(app, world, who)
        headers["Authorization"] = f"Bearer {world.tokens[API_USER[who]]}"
        response = browser.open(url, method=method, headers=headers, json=body)
        assert response.status_code not in (401, 403, 500), (who, url, response.status_code)
