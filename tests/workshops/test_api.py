"""The live API's refusals: each bad request gets its 4xx and changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from attract.models import aware
from attract.workshops.models import LiveAnswer, Workshop
from tests.workshops.conftest import right_answer


def _count_answers(app):
    from attract.extensions import db
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LiveAnswer))


def test_creating_needs_a_trainer(client, api_token, make_room):
    body = {"quiz": "spot-the-interruption"}
    assert client.post("/api/workshops", json=body).status_code == 401
    learner = {"Authorization": f"Bearer {api_token(email='l@example.com')}"}
    assert client.post("/api/workshops", json=body, headers=learner).status_code == 403
    room = make_room()
    for bad, code in [({"quiz": "nope"}, "unknown_quiz"), ({"course": "nope"}, "unknown_course"),
                      ({}, "invalid_workshop"),
                      ({"quiz": "spot-the-interruption", "course": "x"}, "invalid_workshop"),
                      ({"quiz": "spot-the-interruption", "scoring": "luck"}, "invalid_scoring"),
                      ({"quiz": "spot-the-interruption", "time_limit": 2},
                       "invalid_time_limit"),
                      ({"quiz": "spot-the-interruption", "time_limit": "30"},
                       "invalid_time_limit"),
                      ({"quiz": ["x"]}, "invalid_field")]:
        response = client.post("/api/workshops", json=bad, headers=room["headers"])
        assert response.status_code == 422, bad
        assert response.get_json()["error"] == code


def test_time_limit_defaults_by_scoring(make_room, live):
    assert live.control(make_room(scoring="speed"), "start")["step"]["time_limit"] == 30
    assert live.control(make_room(scoring="accuracy"), "start")["step"]["time_limit"] is None
    room = make_room(scoring="accuracy", time_limit=20)
    assert live.control(room, "start")["step"]["time_limit"] == 20


def test_a_course_room_has_slides_then_questions(make_room, live):
    room = make_room(quiz=None, course="attraction-not-interruption")
    state = live.control(room, "start")
    assert state["step"]["kind"] == "slide" and "<" in state["step"]["html"]
    assert state["steps"] > 40
    live.control(room, "open", expect=409)  # a slide cannot open


def test_join_refusals(client, make_room, live):
    room = make_room()
    live.join(room, "Ana")
    for nickname, status, code in [("ANA", 409, "nickname_taken"), ("ana ", 409, "nickname_taken"),
                                   ("x" * 25, 422, "invalid_nickname"),
                                   ("a\u202eb", 422, "invalid_nickname"),
                                   ("\ud800", 400, "invalid_text")]:
        response = client.post(f"/api/workshops/{room['code']}/join", json={"nickname": nickname})
        assert response.status_code == status and response.get_json()["error"] == code
    made_up = live.join(room, "")
    assert made_up["nickname"] and made_up["nickname"] != "Ana"
    assert client.post("/api/workshops/ZZZZZZ/join", json={"nickname": "A"}).status_code == 404
    assert client.post("/api/workshops/abc/join", json={"nickname": "A"}).status_code == 404
    live.control(room, "lock")
    locked = client.post(f"/api/workshops/{room['code']}/join", json={"nickname": "Cy"})
    assert locked.status_code == 423 and "locked" in locked.get_json()["message"]
    live.control(room, "unlock")
    live.join(room, "Cy")
    live.control(room, "end")
    ended = client.post(f"/api/workshops/{room['code']}/join", json={"nickname": "Di"})
    assert ended.status_code == 410
    assert live.state(room)["participants"] == 3


def test_codes_are_forgiving_to_type(client, make_room, live):
    room = make_room()
    typed = room["code"].lower()[:3] + "-" + room["code"].lower()[3:]
    assert client.get(f"/api/workshops/{typed}/state").status_code == 200


def test_late_arrivals_land_on_the_current_step(make_room, live, client):
    room = make_room()
    live.control(room, "start")
    live.control(room, "open")
    late = live.join(room, "Late")
    me = live.me(room, late["token"]).get_json()
    assert me["step_index"] == 0 and me["answered"] is False


def test_answer_refusals(app, client, make_room, live):
    room = make_room(scoring="accuracy")
    ana = live.join(room, "Ana")
    state = live.control(room, "start")
    qid = state["step"]["question"]["id"]
    key = right_answer(app, state)
    # not open yet
    response = live.answer(room, ana["token"], qid, key)
    assert response.status_code == 422 and response.get_json()["error"] == "not_open"
    live.control(room, "open")
    assert live.answer(room, "not-a-token", qid, key).status_code == 401
    assert client.post(f"/api/workshops/{room['code']}/answers",
                       json={"question_id": qid, "answer": key}).status_code == 401
    assert live.answer(room, ana["token"], "other", key).status_code == 422
    assert live.answer(room, ana["token"], qid, {"deep": [[[]]]}).status_code == 422
    assert live.answer(room, ana["token"], qid, None).status_code == 422
    missing = client.post(f"/api/workshops/{room['code']}/answers", json={"answer": key},
                          headers={"Authorization": f"Bearer {ana['token']}"})
    assert missing.status_code == 422
    assert _count_answers(app) == 0
    assert live.answer(room, ana["token"], qid, key).status_code == 201
    again = live.answer(room, ana["token"], qid, key)
    assert again.status_code == 409 and again.get_json()["error"] == "already_answered"
    assert _count_answers(app) == 1


def test_the_deadline_is_the_servers_with_a_grace(app, make_room, live):
    from attract.extensions import db
    room = make_room(scoring="speed", time_limit=10)
    ana, bob = live.join(room, "Ana"), live.join(room, "Bob")
    state = live.control(room, "start")
    state = live.control(room, "open")
    qid, key = state["step"]["question"]["id"], right_answer(app, state)

    def shift(seconds):
        with app.app_context():
            workshop = db.session.get(Workshop, room["id"])
            db.session.execute(update(Workshop).values(
                opened_at=aware(workshop.opened_at) - timedelta(seconds=seconds),
                deadline=aware(workshop.deadline) - timedelta(seconds=seconds)))
            db.session.commit()

    shift(10.5)  # 0.5 s past the deadline: inside the grace, scored as at the limit
    assert live.answer(room, ana["token"], qid, key).status_code == 201
    shift(2)
    late = live.answer(room, bob["token"], qid, key)
    assert late.status_code == 422 and late.get_json()["error"] == "too_late"
    live.control(room, "reveal")
    assert live.me(room, ana["token"]).get_json()["points_this_question"] == 500


def test_confidence_is_required_in_confidence_scoring(app, make_room, live):
    room = make_room(scoring="confidence")
    ana, bob = live.join(room, "Ana"), live.join(room, "Bob")
    live.control(room, "start")
    state = live.control(room, "open")
    qid, key = state["step"]["question"]["id"], right_answer(app, state)
    assert live.answer(room, ana["token"], qid, key).status_code == 422
    assert live.answer(room, ana["token"], qid, key, confidence="very").status_code == 422
    assert live.answer(room, ana["token"], qid, key, confidence="high").status_code == 201
    wrong = "attraction" if key == "interruption" else "interruption"
    if state["step"]["question"]["type"] == "verdict":
        assert live.answer(room, bob["token"], qid, wrong, confidence="high").status_code == 201
    live.control(room, "reveal")
    assert live.me(room, ana["token"]).get_json()["points_this_question"] == 1000
    if state["step"]["question"]["type"] == "verdict":
        assert live.me(room, bob["token"]).get_json()["points"] == -2000


def test_control_is_for_the_owner_only(client, api_token, make_room, live):
    room = make_room()
    other = {"Authorization": f"Bearer {api_token(email='t2@example.com', role='trainer')}"}
    learner = {"Authorization": f"Bearer {api_token(email='l2@example.com')}"}
    admin = {"Authorization": f"Bearer {api_token(email='a@example.com', role='admin')}"}
    url = f"/api/workshops/{room['id']}/control"
    assert client.post(url, json={"action": "start"}).status_code == 401
    assert client.post(url, json={"action": "start"}, headers=learner).status_code == 403
    assert client.post(url, json={"action": "start"}, headers=other).status_code == 404
    assert client.get(f"/api/workshops/{room['id']}/results", headers=other).status_code == 404
    assert live.state(room)["status"] == "lobby"  # nothing changed
    assert client.post(url, json={"action": "start"}, headers=admin).status_code == 200
    assert client.post(url, json={"action": "fly"}, headers=room["headers"]).status_code == 422
    assert client.post(url, json={"action": "start"}, headers=room["headers"]).status_code == 409


def test_removing_a_participant(client, make_room, live):
    room = make_room()
    ana, bob = live.join(room, "Ana"), live.join(room, "Bob")
    url = f"/api/workshops/{room['id']}/participants/{bob['participant_id']}"
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=room["headers"]).status_code == 204
    assert client.delete(url, headers=room["headers"]).status_code == 404
    assert live.me(room, bob["token"]).status_code == 401
    assert live.me(room, ana["token"]).status_code == 200
    state = live.state(room)
    assert state["participants"] == 1 and state["lobby"]["nicknames"] == ["Ana"]


def test_state_etag_answers_304(client, make_room, live):
    room = make_room()
    first = client.get(f"/api/workshops/{room['code']}/state")
    etag = first.headers["ETag"]
    again = client.get(f"/api/workshops/{room['code']}/state", headers={"If-None-Match": etag})
    assert again.status_code == 304
    live.join(room, "Ana")
    moved = client.get(f"/api/workshops/{room['code']}/state", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag


def test_steps_can_be_unticked_in_the_lobby_only(app, client, make_room, live, sign_in):
    room = make_room()
    from attract.extensions import db
    from attract.workshops import operations
    with app.app_context():
        workshop = db.session.get(Workshop, room["id"])
        operations.save_steps(workshop, {1, 2})
        assert len(workshop.played_steps) == 2
        with pytest.raises(Exception, match="at least one"):
            operations.save_steps(workshop, set())
    assert live.control(room, "start")["steps"] == 2
    with app.app_context():
        workshop = db.session.get(Workshop, room["id"])
        with pytest.raises(Exception, match="lobby"):
            operations.save_steps(workshop, {0})


def test_joining_is_throttled_per_address(app, make_room, live, client):
    app.config["JOIN_RATE_PER_ADDRESS"] = 3
    room = make_room()
    for name in ("A1", "A2", "A3"):
        live.join(room, name)
    response = client.post(f"/api/workshops/{room['code']}/join", json={"nickname": "A4"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert live.state(room)["participants"] == 3


def test_an_answer_moves_the_version_without_touching_the_room_row(app, client, make_room,
                                                                    live):
    from attract.extensions import db
    room = make_room(scoring="accuracy")
    ana = live.join(room, "Ana")
    live.control(room, "start")
    state = live.control(room, "open")
    with app.app_context():
        row_version = db.session.get(Workshop, room["id"]).version
    etag = client.get(f"/api/workshops/{room['code']}/state").headers["ETag"]
    qid = state["step"]["question"]["id"]
    assert live.answer(room, ana["token"], qid, right_answer(app, state)).status_code == 201
    after = client.get(f"/api/workshops/{room['code']}/state", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.get_json()["answered"] == 1
    assert int(after.headers["ETag"].strip('"')) == int(etag.strip('"')) + 1
    with app.app_context():
        assert db.session.get(Workshop, room["id"]).version == row_version


def test_a_reveal_that_races_the_automatic_close_still_reveals(app, make_room, live):
    """The projector closes the question itself once everyone has answered; a trainer
    pressing R at that moment lost the race and got a 409 (seen in the browser test)."""
    from sqlalchemy import update

    from attract.extensions import db
    from attract.workshops import operations
    from attract.workshops.models import Workshop

    room = make_room()
    live.join(room, "Ana")
    live.control(room, "start")
    live.control(room, "open")
    with app.app_context():
        stale = db.session.get(Workshop, room["id"])
        assert stale.phase == "open"
        db.session.execute(update(Workshop).where(Workshop.id == room["id"])  # the close
                           .values(phase="closed", version=Workshop.version + 1)
                           .execution_options(synchronize_session=False))
        revealed = operations.control(stale, "reveal")
        assert revealed.phase == "revealed"
        stale_next = db.session.get(Workshop, room["id"])
        db.session.execute(update(Workshop).where(Workshop.id == room["id"])
                           .values(board=True).execution_options(synchronize_session=False))
        with pytest.raises(operations.Refused):  # "next" is never replayed
            operations.control(stale_next, "next")
