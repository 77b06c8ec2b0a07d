"""A room played over the JSON API from lobby to podium."""

from tests.workshops.conftest import right_answer


def test_a_quiz_room_from_lobby_to_podium(app, client, make_room, live):
    room = make_room(scoring="accuracy")
    assert len(room["code"]) == 6 and room["join_url"].endswith(f"/j/{room['code']}")
    ana, bob = live.join(room, "Ana"), live.join(room, "Bob")
    state = live.state(room)
    assert state["status"] == "lobby" and state["participants"] == 2
    assert state["lobby"]["nicknames"] == ["Ana", "Bob"]

    state = live.control(room, "start")
    assert state["status"] == "running" and state["step"]["phase"] == "ready"
    state = live.control(room, "open")
    qid = state["step"]["question"]["id"]
    key = right_answer(app, state)
    assert live.answer(room, ana["token"], qid, key).status_code == 201
    assert live.state(room)["answered"] == 1
    assert live.me(room, ana["token"]).get_json()["correct"] is None  # not before reveal
    state = live.control(room, "reveal")
    assert state["step"]["reveal"]["key"] == key
    mine = live.me(room, ana["token"]).get_json()
    assert mine["correct"] is True and mine["points_this_question"] == 1000
    assert mine["rank"] == 1 and mine["players"] == 2
    assert live.me(room, bob["token"]).get_json()["rank"] == 2

    live.control(room, "leaderboard")
    board = live.state(room)["leaderboard"]
    assert board["top"][0] == {"rank": 1, "nickname": "Ana", "points": 1000}
    live.control(room, "end")
    state = live.state(room)
    assert state["status"] == "ended" and state["leaderboard"]["players"] == 2

    results = client.get(f"/api/workshops/{room['id']}/results", headers=room["headers"])
    assert results.status_code == 200
    body = results.get_json()
    assert body["participants"][0]["nickname"] == "Ana"
    assert body["questions"][0]["answered"] == 1
