"""Racing requests on one room: the database decides, behind a barrier.

Each thread uses its own test client (its own app context, session and connection),
as gunicorn workers would.
"""

from sqlalchemy import func, select

from attract.workshops.models import LiveAnswer, Participant
from tests.test_concurrency import run_together
from tests.workshops.conftest import right_answer

WORKERS = 8


def test_racing_duplicate_answers_store_one(app, db, make_room, live):
    room = make_room(scoring="accuracy")
    ana = live.join(room, "Ana")
    live.control(room, "start")
    state = live.control(room, "open")
    qid, key = state["step"]["question"]["id"], right_answer(app, state)

    def send(_):
        return app.test_client().post(
            f"/api/workshops/{room['code']}/answers", json={"question_id": qid, "answer": key},
            headers={"Authorization": f"Bearer {ana['token']}"}).status_code

    results, errors = run_together(app, send, WORKERS)
    assert errors == []
    assert sorted(results) == [201] + [409] * (WORKERS - 1)
    assert db.session.scalar(select(func.count()).select_from(LiveAnswer)) == 1


def test_racing_joins_with_one_nickname_admit_one(app, db, make_room):
    room = make_room()

    def join(index):
        return app.test_client().post(f"/api/workshops/{room['code']}/join",
                                      json={"nickname": "Sam" if index % 2 else "SAM"}
                                      ).status_code

    results, errors = run_together(app, join, WORKERS)
    assert errors == []
    assert sorted(results) == [201] + [409] * (WORKERS - 1)
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 1


def test_racing_controls_apply_once(app, db, make_room, live):
    room = make_room()
    live.control(room, "start")

    def click(_):
        return app.test_client().post(f"/api/workshops/{room['id']}/control",
                                      json={"action": "next", "step": 0},
                                      headers=room["headers"]
                                      ).status_code

    results, errors = run_together(app, click, WORKERS)
    assert errors == []
    assert results.count(200) == 1 and results.count(409) == WORKERS - 1
    assert live.state(room)["step"]["index"] == 1  # moved one step, not eight


def test_a_control_planned_on_a_stale_room_is_refused(app, make_room, live):
    import threading

    from attract.extensions import db
    from attract.workshops import operations
    from attract.workshops.models import Workshop
    from attract.workshops.state import Refused

    room = make_room()
    live.control(room, "start")
    loaded, moved, outcome = threading.Event(), threading.Event(), []

    def trainer_on_another_screen():
        with app.app_context():
            stale = db.session.get(Workshop, room["id"])
            loaded.set()
            moved.wait(10)
            try:
                operations.control(stale, "next")
                outcome.append("applied")
            except Refused as refused:
                outcome.append(refused.message)

    thread = threading.Thread(target=trainer_on_another_screen)
    thread.start()
    loaded.wait(10)
    live.control(room, "next")  # this screen moves the room meanwhile
    moved.set()
    thread.join(10)
    assert outcome and "moved on" in outcome[0]
    assert live.state(room)["step"]["index"] == 1
