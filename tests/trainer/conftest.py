"""A small world for the trainers' side, made through the API as a client would:

- trainer ``A`` owns cohort ``C`` (the bundled course) with learner ``L1`` in it, and a
  confidence workshop ``W`` run for ``C``, ended, where ``L1`` (signed in) and an
  anonymous participant ``P`` answered;
- ``L1`` and ``L2`` both took the quiz ``Q`` on their own; ``L2`` is in no cohort;
- trainer ``B`` owns an empty cohort of their own; ``admin`` sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from attract.accounts import issue_token
from attract.extensions import db as _db
from attract.models import User
from attract.scoring.registry import answer_key

QUIZ = "spot-the-interruption"
COURSE = "attraction-not-interruption"
NASTY = '=HYPERLINK("x","y")'  # a nickname a spreadsheet would run


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    cohort: dict = field(default_factory=dict)
    other_cohort: dict = field(default_factory=dict)
    workshop: dict = field(default_factory=dict)
    participant_token: str = ""

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}


def _quiz(app):
    from attract.current import library
    with app.test_request_context():
        return library().quizzes[QUIZ]


def take_quiz(client, app, headers, *, right: bool = True) -> dict:
    """Start and submit an attempt at ``QUIZ``: every key, or every verdict flipped."""
    quiz = _quiz(app)
    started = client.post(f"/api/quizzes/{QUIZ}/attempts", headers=headers)
    assert started.status_code == 201, started.get_json()
    answers = {}
    for question in quiz.questions:
        key = answer_key(question)
        if not right and question["type"] == "verdict":
            key = "attraction" if key == "interruption" else "interruption"
        if question["type"] == "rewrite":
            key = question.get("sample", "Hi, thanks for your talk. What did you make of it?")
        answers[str(question["id"])] = key
    submitted = client.post(f"/api/attempts/{started.get_json()['attempt_id']}/submit",
                            json={"answers": answers}, headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    return submitted.get_json()


def run_workshop(client, app, room: dict, players: dict[str, dict]) -> None:
    """Start ``room``, and for each question: open, everyone answers, close, reveal."""
    from tests.workshops.conftest import right_answer

    def control(action):
        response = client.post(f"/api/workshops/{room['id']}/control",
                               json={"action": action}, headers=room["headers"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    state = control("start")
    while True:
        step = state["step"]
        if step and step["kind"] == "question":
            if not step.get("open"):
                state = control("open")
            for index, (_name, seat) in enumerate(players.items()):
                answer = right_answer(app, state)
                if index % 2 and state["step"]["question"]["type"] == "verdict":
                    answer = "attraction" if answer == "interruption" else "interruption"
                response = client.post(
                    f"/api/workshops/{room['code']}/answers",
                    json={"question_id": state["step"]["question"]["id"], "answer": answer,
                          "confidence": ("high", "low", "medium")[index % 3]},
                    headers={"Authorization": f"Bearer {seat['token']}"})
                assert response.status_code == 201, response.get_json()
            control("close")
            control("reveal")
        if state["step"]["index"] + 1 >= len(
                [s for s in _played(app, room)]):
            break
        state = control("next")
    control("end")


def _played(app, room):
    from attract.workshops.models import Workshop
    with app.app_context():
        return _db.session.get(Workshop, room["id"]).played_steps


@pytest.fixture
def world(app, client, make_user) -> World:
    w = World()
    for who, role in (("A", "trainer"), ("B", "trainer"), ("L1", "learner"),
                      ("L2", "learner"), ("admin", "admin")):
        w.ids[who] = make_user(email=f"{who.lower()}@example.com", role=role,
                               name=f"Person {who}")
        with app.app_context():
            w.tokens[who] = issue_token(_db.session.get(User, w.ids[who]))
    made = client.post("/api/cohorts", json={"name": "Leeds sales team", "course": COURSE},
                       headers=w.auth("A"))
    assert made.status_code == 201, made.get_json()
    w.cohort = made.get_json()
    w.other_cohort = client.post("/api/cohorts", json={"name": "B's team", "course": COURSE},
                                 headers=w.auth("B")).get_json()
    with app.app_context():
        from attract.cohorts import operations
        from attract.cohorts.models import Cohort
        operations.join(_db.session.get(Cohort, w.cohort["id"]), w.ids["L1"])
    take_quiz(client, app, w.auth("L1"), right=False)
    take_quiz(client, app, w.auth("L2"))
    room = client.post("/api/workshops", json={"quiz": QUIZ, "scoring": "confidence",
                                               "cohort": w.cohort["id"]}, headers=w.auth("A"))
    assert room.status_code == 201, room.get_json()
    w.workshop = {**room.get_json(), "headers": w.auth("A")}
    seats = {
        "L1": client.post(f"/api/workshops/{w.workshop['code']}/join",
                          json={"nickname": "Lou"}, headers=w.auth("L1")).get_json(),
        "P": client.post(f"/api/workshops/{w.workshop['code']}/join",
                         json={"nickname": NASTY}).get_json(),
    }
    w.participant_token = seats["P"]["token"]
    run_workshop(client, app, w.workshop, seats)
    return w
