"""Trainer and participant pages: who may open them, the forms, and a signed-in
learner's place in a room following their account."""

import re

import pytest
from sqlalchemy import select

from attract.workshops.models import Participant, Workshop
from tests.helpers import csrf_from


@pytest.fixture
def trainer(sign_in):
    return sign_in(email="coach@example.com", role="trainer")


class Rows:
    """Queries in their own app context: requests from several clients must not share
    one (Flask-Login and Flask-WTF keep the signed-in user and the CSRF token on ``g``)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, statement, one=False):
        from attract.extensions import db
        with self.app.app_context():
            rows = db.session.scalars(statement).all()
            db.session.expunge_all()
        return rows[0] if one else rows


@pytest.fixture
def rows(app):
    return Rows(app)


def _create(client, **data):
    token = csrf_from(client.get("/trainer/").get_data(as_text=True))
    body = {"source": "quiz:spot-the-interruption", "scoring": "speed", "time_limit": "",
            "title": "", "csrf_token": token, **data}
    return client.post("/trainer/workshops", data=body)


def test_trainer_pages_need_a_trainer(client, sign_in):
    assert client.get("/trainer/").status_code == 302  # to sign in
    sign_in(email="learner@example.com")
    page = client.get("/trainer/")
    assert page.status_code == 403 and "for trainers" in page.get_data(as_text=True)


def test_a_trainer_creates_and_opens_a_room(client, rows, trainer):
    response = _create(client, title="Monday <b>crew</b>")
    assert response.status_code == 302
    workshop = rows(select(Workshop), one=True)
    assert workshop.title == "Monday <b>crew</b>" and workshop.time_limit == 30
    page = client.get(f"/trainer/workshops/{workshop.id}").get_data(as_text=True)
    assert "Monday &lt;b&gt;crew&lt;/b&gt;" in page and workshop.code in page
    present = client.get(f"/trainer/workshops/{workshop.id}/present")
    assert present.status_code == 200
    html = present.get_data(as_text=True)
    assert "<svg" in html and "<title>" in html and workshop.code in html  # the QR, labelled
    remote = client.get(f"/trainer/workshops/{workshop.id}/remote").get_data(as_text=True)
    assert "localhost/join" in remote  # where the room types the code
    joined = client.post(f"/api/workshops/{workshop.code}/join", json={"nickname": "Ana"})
    assert joined.status_code == 201
    page = client.get(f"/trainer/workshops/{workshop.id}").get_data(as_text=True)
    assert re.search(r"<dt>Players</dt>\s*<dd>1</dd>", page)
    dashboard = client.get("/trainer/").get_data(as_text=True)
    assert workshop.code in dashboard


@pytest.mark.parametrize(("data", "says"), [
    ({"source": "quiz:nope"}, "Not a valid choice"),
    ({"time_limit": "2"}, "between 5 and 600"),
    ({"time_limit": "soon"}, "Not a valid integer"),
    ({"scoring": "luck"}, "Not a valid choice"),
])
def test_bad_workshop_forms_are_422_and_make_nothing(client, rows, trainer, data, says):
    response = _create(client, **data)
    assert response.status_code == 422
    assert says in response.get_data(as_text=True)
    assert rows(select(Workshop)) == []


def test_another_trainers_room_is_404(client, rows, trainer, make_user):
    _create(client)
    workshop = rows(select(Workshop), one=True)
    client.post("/auth/sign-out", data={"csrf_token": csrf_from(
        client.get("/").get_data(as_text=True))})
    from tests.helpers import PASSWORD
    make_user(email="other@example.com", role="trainer")
    token = csrf_from(client.get("/auth/sign-in").get_data(as_text=True))
    client.post("/auth/sign-in", data={"email": "other@example.com", "password": PASSWORD,
                                       "csrf_token": token})
    for suffix in ("", "/present", "/remote", "/room.json"):
        assert client.get(f"/trainer/workshops/{workshop.id}{suffix}").status_code == 404
    token = csrf_from(client.get("/trainer/").get_data(as_text=True))
    control = client.post(f"/trainer/workshops/{workshop.id}/control",
                          json={"action": "start"}, headers={"X-CSRFToken": token})
    assert control.status_code == 404
    assert rows(select(Workshop), one=True).status == "lobby"


def test_control_from_the_page_needs_csrf(client, rows, trainer):
    _create(client)
    workshop = rows(select(Workshop), one=True)
    url = f"/trainer/workshops/{workshop.id}/control"
    refused = client.post(url, json={"action": "start"})
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
    token = csrf_from(client.get("/trainer/").get_data(as_text=True))
    moved = client.post(url, json={"action": "start"}, headers={"X-CSRFToken": token})
    assert moved.status_code == 200 and moved.get_json()["status"] == "running"
    again = client.post(url, json={"action": "start"}, headers={"X-CSRFToken": token})
    assert again.status_code == 409 and "already running" in again.get_json()["message"]
    form = client.post(url, data={"action": "next", "csrf_token": token})
    assert form.status_code == 302  # the remote's plain forms work without JavaScript


def test_join_pages(client, rows, trainer, app):
    _create(client)
    code = rows(select(Workshop), one=True).code
    phone = app.test_client()
    assert phone.get(f"/join?code={code.lower()}").headers["Location"].endswith(f"/j/{code}")
    bad = phone.get("/join?code=12")
    assert bad.status_code == 422 and "6 letters" in bad.get_data(as_text=True)
    assert phone.get("/j/QQQQQQ").status_code == 404
    page = phone.get(f"/j/{code}")
    token = csrf_from(page.get_data(as_text=True))
    joined = phone.post(f"/j/{code}", data={"nickname": "<i>Ana</i>", "csrf_token": token},
                        headers={"Accept": "application/json"})
    assert joined.status_code == 201 and joined.headers["Cache-Control"] == "no-store"
    taken = phone.post(f"/j/{code}", data={"nickname": "<I>ANA</I>", "csrf_token": token})
    assert taken.status_code == 409
    assert "&lt;I&gt;ANA&lt;/I&gt;" in taken.get_data(as_text=True)  # escaped, kept
    no_csrf = phone.post(f"/j/{code}", data={"nickname": "Bob"})
    assert no_csrf.status_code == 400
    no_js = phone.post(f"/j/{code}", data={"nickname": "Cy", "csrf_token": token})
    assert no_js.status_code == 200 and "data-token" in no_js.get_data(as_text=True)
    assert rows(select(Participant.nickname).where(
        Participant.nickname == "<i>Ana</i>")) == ["<i>Ana</i>"]


def test_a_signed_in_learner_keeps_one_place_in_a_room(app, client, rows, trainer, sign_in):
    _create(client)
    workshop = rows(select(Workshop), one=True)
    learner = app.test_client()
    from attract.accounts import create_user
    from tests.helpers import PASSWORD
    with app.app_context():
        create_user("lea@example.com", PASSWORD, "Lea", "learner")
    token = csrf_from(learner.get("/auth/sign-in").get_data(as_text=True))
    learner.post("/auth/sign-in", data={"email": "lea@example.com", "password": PASSWORD,
                                        "csrf_token": token})
    token = csrf_from(learner.get(f"/j/{workshop.code}").get_data(as_text=True))
    first = learner.post(f"/j/{workshop.code}", data={"nickname": "Lea", "csrf_token": token},
                         headers={"Accept": "application/json"}).get_json()
    # A second phone, or a cleared browser: the same participant, a new token
    assert learner.get(f"/j/{workshop.code}").status_code == 302
    page = learner.get(f"/w/{workshop.code}").get_data(as_text=True)
    resume = re.search(r'data-resume-url="([^"]+)"', page)
    assert resume, "the phone page offers to resume"
    again = learner.post(resume.group(1), headers={"X-CSRFToken": token,
                                                   "Accept": "application/json"})
    assert again.status_code == 200
    body = again.get_json()
    assert body["participant_id"] == first["participant_id"] and body["token"] != first["token"]
    participant = rows(select(Participant).where(
        Participant.id == first["participant_id"]), one=True)
    assert participant.user_id is not None
    old = client.get(f"/api/workshops/{workshop.code}/me",
                     headers={"Authorization": f"Bearer {first['token']}"})
    assert old.status_code == 401  # the old token stopped when the new one was issued
