"""Cohorts: made by a trainer (API and page), joined from an invite link, shown per learner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from attract.cohorts.models import Cohort, CohortMember
from attract.extensions import db as _db
from attract.models import utcnow
from tests.helpers import PASSWORD, csrf_from
from tests.trainer.conftest import COURSE, QUIZ


def _members(app, cohort_id: int) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(CohortMember).where(
            CohortMember.cohort_id == cohort_id))


def _token(invite_url: str) -> str:
    return invite_url.rsplit("/", 1)[-1]


def test_a_trainer_makes_a_cohort_over_the_api(client, api_token):
    token = api_token(email="t@example.com", role="trainer")
    response = client.post("/api/cohorts", json={"name": "  Spring   team ", "course": COURSE},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Spring team"
    assert body["invite_url"].startswith("http://localhost/cohorts/join/")
    assert len(_token(body["invite_url"])) >= 32
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"course": COURSE}, 422, "invalid_cohort"),
    ({"name": "", "course": COURSE}, 422, "invalid_cohort"),
    ({"name": 7, "course": COURSE}, 422, "invalid_cohort"),
    ({"name": "x" * 121, "course": COURSE}, 422, "invalid_cohort"),
    ({"name": "Team"}, 422, "unknown_course"),
    ({"name": "Team", "course": "no-such-course"}, 422, "unknown_course"),
    ({"name": "Team", "course": ["x"]}, 422, "unknown_course"),
    ({"name": "Team", "course": COURSE, "expires_in_days": 0}, 422, "invalid_cohort"),
    ({"name": "Team", "course": COURSE, "expires_in_days": "7"}, 422, "invalid_cohort"),
    ({"name": "Team", "course": COURSE, "expires_in_days": True}, 422, "invalid_cohort"),
])
def test_bad_cohorts_are_refused_with_a_reason(client, api_token, app, body, status, code):
    token = api_token(email="t@example.com", role="trainer")
    response = client.post("/api/cohorts", json=body,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_only_trainers_make_cohorts(client, api_token, app):
    token = api_token(email="l@example.com", role="learner")
    answer = client.post("/api/cohorts", json={"name": "Team", "course": COURSE},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert client.post("/api/cohorts", json={"name": "Team", "course": COURSE}).status_code \
        == 401
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_the_cohort_api_lists_learners_with_progress(client, world):
    response = client.get(f"/api/cohorts/{world.cohort['id']}", headers=world.auth("A"))
    assert response.status_code == 200
    learners = response.get_json()["learners"]
    assert [m["email"] for m in learners] == ["l1@example.com"]  # L2 is in no cohort
    quiz = learners[0]["quizzes"][QUIZ]
    assert quiz["attempts"] == 1 and 0 < quiz["best_score"] < 100 and not quiz["passed"]
    assert learners[0]["workshops"] == 1
    assert client.get(f"/api/cohorts/{world.cohort['id']}",
                      headers=world.auth("B")).status_code == 404
    assert client.get(f"/api/cohorts/{world.cohort['id']}",
                      headers=world.auth("admin")).status_code == 200


def _signed_in_client(app, email: str):
    browser = app.test_client()
    page = browser.get("/auth/sign-in")
    response = browser.post("/auth/sign-in", data={
        "email": email, "password": PASSWORD,
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    return browser


def test_a_learner_joins_from_the_invite_link(app, world):
    token = _token(world.cohort["invite_url"])
    visitor = app.test_client()
    page = visitor.get(f"/cohorts/join/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Leeds sales team" in html and "Sign in" in html
    assert f"/auth/sign-up?next=/cohorts/join/{token}" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert _members(app, world.cohort["id"]) == 1  # opening the link joins nobody

    learner = _signed_in_client(app, "l2@example.com")
    page = learner.get(f"/cohorts/join/{token}")
    assert "Join Leeds sales team" in page.get_data(as_text=True)
    csrf = csrf_from(page.get_data(as_text=True))
    joined = learner.post(f"/cohorts/join/{token}", data={"csrf_token": csrf})
    assert joined.status_code == 303 and joined.headers["Location"].endswith(
        f"/courses/{COURSE}")
    again = learner.post(f"/cohorts/join/{token}", data={"csrf_token": csrf})
    assert again.status_code == 303
    assert _members(app, world.cohort["id"]) == 2
    assert "You are in this cohort" in learner.get(f"/cohorts/join/{token}").get_data(
        as_text=True)


def test_a_learner_can_be_in_several_cohorts(app, world):
    learner = _signed_in_client(app, "l1@example.com")
    token = _token(world.other_cohort["invite_url"])
    csrf = csrf_from(learner.get(f"/cohorts/join/{token}").get_data(as_text=True))
    assert learner.post(f"/cohorts/join/{token}", data={"csrf_token": csrf}).status_code == 303
    assert _members(app, world.cohort["id"]) == 1
    assert _members(app, world.other_cohort["id"]) == 1


def test_joining_needs_a_session_and_a_csrf_token(app, world):
    token = _token(world.cohort["invite_url"])
    assert app.test_client().post(f"/cohorts/join/{token}").status_code == 400  # no CSRF
    visitor = app.test_client()
    csrf = csrf_from(visitor.get(f"/auth/sign-in?next=/cohorts/join/{token}").get_data(
        as_text=True))
    anonymous = visitor.post(f"/cohorts/join/{token}", data={"csrf_token": csrf})
    assert anonymous.status_code in (302, 303)
    assert "/auth/sign-in" in anonymous.headers["Location"]
    learner = _signed_in_client(app, "l2@example.com")
    assert learner.post(f"/cohorts/join/{token}", data={}).status_code == 400
    assert _members(app, world.cohort["id"]) == 1


@pytest.mark.parametrize(("token", "status"), [
    ("nope", 404), ("x" * 65, 404), ("ab cd", 404), ("%00", 400)])  # NUL: the app-wide guard
def test_unknown_invites_are_refused(app, world, token, status):
    assert app.test_client().get(f"/cohorts/join/{token}").status_code == status


def test_a_revoked_or_renewed_link_stops_working_and_an_expired_one_is_410(app, world):
    old = _token(world.cohort["invite_url"])
    trainer = _signed_in_client(app, "a@example.com")
    page = trainer.get(f"/trainer/cohorts/{world.cohort['id']}")
    assert page.status_code == 200 and old in page.get_data(as_text=True)
    csrf = csrf_from(page.get_data(as_text=True))
    renewed = trainer.post(f"/trainer/cohorts/{world.cohort['id']}/invite",
                           data={"csrf_token": csrf, "action": "renew", "expires_in_days": "3"})
    assert renewed.status_code == 303
    assert app.test_client().get(f"/cohorts/join/{old}").status_code == 404
    with app.app_context():
        cohort = _db.session.get(Cohort, world.cohort["id"])
        new = cohort.invite_token
        assert new and new != old and cohort.invite_expires_at is not None
        cohort.invite_expires_at = utcnow() - timedelta(seconds=1)
        _db.session.commit()
    assert app.test_client().get(f"/cohorts/join/{new}").status_code == 410
    revoked = trainer.post(f"/trainer/cohorts/{world.cohort['id']}/invite",
                           data={"csrf_token": csrf, "action": "revoke"})
    assert revoked.status_code == 303
    assert app.test_client().get(f"/cohorts/join/{new}").status_code == 404
    assert "revoked" in trainer.get(f"/trainer/cohorts/{world.cohort['id']}").get_data(
        as_text=True)


@pytest.mark.parametrize("data", [{"action": "explode"}, {"action": "renew",
                                                          "expires_in_days": "0"}])
def test_bad_invite_changes_change_nothing(app, world, data):
    trainer = _signed_in_client(app, "a@example.com")
    csrf = csrf_from(trainer.get(f"/trainer/cohorts/{world.cohort['id']}").get_data(
        as_text=True))
    response = trainer.post(f"/trainer/cohorts/{world.cohort['id']}/invite",
                            data={"csrf_token": csrf, **data})
    assert response.status_code == 303
    assert app.test_client().get(
        f"/cohorts/join/{_token(world.cohort['invite_url'])}").status_code == 200


def test_the_dashboard_form_makes_a_cohort(app, world):
    trainer = _signed_in_client(app, "b@example.com")
    page = trainer.get("/trainer/")
    html = page.get_data(as_text=True)
    assert "New cohort" in html and "B&#39;s team" in html and "Leeds sales team" not in html
    csrf = csrf_from(html)
    made = trainer.post("/trainer/cohorts", data={"csrf_token": csrf, "name": "Night class",
                                                  "course": COURSE})
    assert made.status_code == 303
    assert "Night class" in trainer.get(made.headers["Location"]).get_data(as_text=True)
    bad = trainer.post("/trainer/cohorts", data={"csrf_token": csrf, "name": "",
                                                 "course": COURSE})
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    bad = trainer.post("/trainer/cohorts", data={"csrf_token": csrf, "name": "X",
                                                 "course": "nope"})
    assert bad.status_code == 422


def test_the_cohort_page_sorts_and_filters_without_script(app, world):
    trainer = _signed_in_client(app, "a@example.com")
    base = f"/trainer/cohorts/{world.cohort['id']}"
    html = trainer.get(base).get_data(as_text=True)
    assert "Person L1" in html and "Person L2" not in html
    assert "58.8%" in html  # L1's score on the quiz
    assert 'aria-sort="ascending"' in html
    by_score = trainer.get(f"{base}?sort=quiz:{QUIZ}&dir=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in by_score
    only = trainer.get(f"{base}?quiz={QUIZ}").get_data(as_text=True)
    assert only.count('class="sort-link') < html.count('class="sort-link')
    future = trainer.get(f"{base}?from=2099-01-01").get_data(as_text=True)
    assert "58.8%" not in future and "Person L1" in future
    for bad in ("?from=yesterday", "?from=2026-13-01", "?from=2026-02-01&to=2026-01-01",
                "?quiz=nope", "?from=%C2%B2"):
        response = trainer.get(base + bad)
        assert response.status_code == 400, bad
        assert "error-summary" in response.get_data(as_text=True)
    assert trainer.get(f"{base}?sort=nonsense&dir=sideways").status_code == 200


def test_removing_a_learner_keeps_their_work(app, world):
    trainer = _signed_in_client(app, "a@example.com")
    base = f"/trainer/cohorts/{world.cohort['id']}"
    csrf = csrf_from(trainer.get(base).get_data(as_text=True))
    response = trainer.post(f"{base}/members/{world.ids['L1']}/remove",
                            data={"csrf_token": csrf})
    assert response.status_code == 303
    assert _members(app, world.cohort["id"]) == 0
    assert world.tokens["L1"]  # the learner's attempts are theirs: still on their account


def test_a_workshop_runs_for_ones_own_cohort_only(client, world):
    for cohort, status in ((world.other_cohort["id"], 422), (999, 422), ("1", 422),
                           (True, 422)):
        response = client.post("/api/workshops", json={"quiz": QUIZ, "cohort": cohort},
                               headers=world.auth("A"))
        assert response.status_code == status, cohort
        assert response.get_json()["error"] == "unknown_cohort"
    assert client.post("/api/workshops", json={"quiz": QUIZ, "cohort": world.other_cohort["id"]},
                       headers=world.auth("admin")).status_code == 201


def test_a_newcomer_signs_up_from_the_invite_and_comes_back_to_join(app, world, mailbox):
    token = _token(world.cohort["invite_url"])
    newcomer = app.test_client()
    form = newcomer.get(f"/auth/sign-up?next=/cohorts/join/{token}")
    signed_up = newcomer.post(f"/auth/sign-up?next=/cohorts/join/{token}", data={
        "name": "New Person", "email": "new@example.com", "password": PASSWORD,
        "confirm": PASSWORD, "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert signed_up.status_code == 200  # check your inbox: the link carries the way back
    confirmed = mailbox.confirm(newcomer)
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"].endswith(f"/cohorts/join/{token}")
    page = newcomer.get(f"/cohorts/join/{token}")
    joined = newcomer.post(f"/cohorts/join/{token}",
                           data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert joined.status_code == 303
    assert _members(app, world.cohort["id"]) == 2


def test_a_members_live_answers_show_beside_their_own_progress(app, world):
    learner = _signed_in_client(app, "l1@example.com")
    html = learner.get(f"/courses/{COURSE}").get_data(as_text=True)
    assert "Cohort: Leeds sales team" in html and "Person A" in html
    assert "Spot the interruption" in html and " right, " in html
    stranger = _signed_in_client(app, "l2@example.com")
    assert "Cohort:" not in stranger.get(f"/courses/{COURSE}").get_data(as_text=True)
    assert "Cohort:" not in app.test_client().get(f"/courses/{COURSE}").get_data(as_text=True)


def test_names_are_escaped_on_every_trainer_page(app, client, world):
    hostile = '<script>alert(1)</script>"><svg onload=alert(2)>'
    made = client.post("/api/cohorts", json={"name": hostile, "course": COURSE},
                       headers=world.auth("A"))
    assert made.status_code == 201
    trainer = _signed_in_client(app, "a@example.com")
    for url in ("/trainer/", f"/trainer/cohorts/{made.get_json()['id']}",
                f"/trainer/quizzes/{QUIZ}/analysis",
                f"/cohorts/join/{_token(made.get_json()['invite_url'])}"):
        html = trainer.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<svg onload" not in html, url
        if "cohorts/" in url:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
