"""Keys and explanations never leave the server before the reveal: not in the state, the
event stream, ``/me`` or any page's source; no rewrite reaches the screen unpicked."""

import json

import pytest

from attract.current import library
from attract.scoring.registry import answer_key
from tests.workshops.conftest import right_answer


def _sentinels(app, quiz_slug):
    with app.test_request_context():
        quiz = library().quizzes[quiz_slug]
    found = {}
    for question in quiz.questions:
        words = [question["explanation"][:40]]
        if question.get("sample"):  # a rewrite's model answer is as secret as a key
            words.append(question["sample"][:40])
        for option in question.get("options", []):
            for secret in ("feedback", "explanation"):
                if option.get(secret):
                    words.append(option[secret][:40])
        found[str(question["id"])] = (words, answer_key(question))
    return found


def _first_event(client, code):
    response = client.get(f"/api/workshops/{code}/events", buffered=False)
    chunks = iter(response.response)
    text = ""
    while "data:" not in text:
        text += next(chunks).decode()
    response.close()
    return text


QUIZZES = ["spot-the-interruption", "whats-in-it-for-them", "earning-the-right-to-ask",
           "first-messages-that-start-conversations", "rewrite-workshop"]


@pytest.mark.parametrize("quiz", QUIZZES)
def test_no_key_or_explanation_before_reveal(app, client, make_room, live, quiz, sign_in):
    room = make_room(quiz=quiz, scoring="accuracy")
    ana = live.join(room, "Ana")
    secrets = _sentinels(app, quiz)
    state = live.control(room, "start")
    for number in range(len(secrets)):
        for phase in ("ready", "open", "closed"):
            if phase == "open":
                state = live.control(room, "open")
                qid = state["step"]["question"]["id"]
                mine = (right_answer(app, state) if state["step"]["question"]["type"] !=
                        "rewrite" else "Hi, I read your post on onboarding. What worked?")
                assert live.answer(room, ana["token"], qid, mine).status_code == 201
            if phase == "closed":
                state = live.control(room, "close")
            qid = state["step"]["question"]["id"]
            words, _ = secrets[qid]
            seen = [json.dumps(state), json.dumps(live.state(room)),
                    _first_event(client, room["code"]),
                    live.me(room, ana["token"]).get_data(as_text=True),
                    client.get(f"/w/{room['code']}").get_data(as_text=True)]
            for text in seen:
                assert '"key"' not in text and '"explanation"' not in text, (qid, phase)
                assert '"credit"' not in text and '"sample"' not in text, (qid, phase)
                for word in words:
                    assert word not in text, (qid, phase, word)
        state = live.control(room, "reveal")
        qid = state["step"]["question"]["id"]
        assert state["step"]["reveal"]["explanation"].startswith(secrets[qid][0][0])
        assert live.me(room, ana["token"]).get_json()["correct"] is not None
        if number + 1 < len(secrets):
            state = live.control(room, "next")


def test_a_rewrite_reaches_the_screen_only_when_picked(app, client, make_room, live):
    room = make_room(quiz="rewrite-workshop", scoring="accuracy")
    ana, bob = live.join(room, "Ana"), live.join(room, "Bob")
    state = live.control(room, "start")
    while state["step"]["question"]["type"] != "rewrite":
        state = live.control(room, "next")
    state = live.control(room, "open")
    qid = state["step"]["question"]["id"]
    mine = ("Hi Sam, I enjoyed your talk on onboarding at the Leeds meetup. What made you "
            "pick a two-week trial? <script>alert(1)</script>")
    assert live.answer(room, ana["token"], qid, mine).status_code == 201
    assert live.answer(room, bob["token"], qid, "Buy now!!! Book a demo today!!!"
                       ).status_code == 201
    live.control(room, "close")
    state = live.control(room, "reveal")
    assert "onboarding" not in json.dumps(state)
    assert sum(state["step"]["reveal"]["distribution"].values()) == 2
    private = client.get(f"/api/workshops/{room['id']}/results", headers=room["headers"])
    assert private.status_code == 200
    from attract.extensions import db
    from attract.workshops import room as rooms
    from attract.workshops.models import Workshop
    with app.app_context():
        rewrites = rooms.trainer_room(db.session.get(Workshop, room["id"]))["rewrites"]
    best = rewrites[0]
    assert best["nickname"] == "Ana" and best["score"] > rewrites[1]["score"]
    state = live.control(room, "pick", answer_id=best["answer_id"])
    assert state["step"]["reveal"]["picked"] == {"nickname": "Ana", "text": mine,
                                                 "score": best["score"]}
    state = live.control(room, "pick", answer_id=None)
    assert state["step"]["reveal"]["picked"] is None
    live.control(room, "pick", answer_id=999999, expect=422)
