"""Fixtures for live rooms: a trainer's token and a room made through the API."""

from __future__ import annotations

import pytest

from attract.scoring.registry import answer_key


@pytest.fixture
def trainer_token(api_token):
    return api_token(email="trainer@example.com", role="trainer")


@pytest.fixture
def make_room(client, trainer_token):
    """Factory: ``make_room(quiz=..., scoring=..., time_limit=...)`` -> the API's answer
    (``id``, ``code``, ``join_url``) plus ``headers`` for the trainer."""

    def make(**body):
        body.setdefault("quiz", "spot-the-interruption")
        headers = {"Authorization": f"Bearer {trainer_token}"}
        response = client.post("/api/workshops", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        return {**response.get_json(), "headers": headers}

    return make


@pytest.fixture
def live(client):
    """Helpers to drive a room over the API: ``control``, ``join``, ``answer``, ``state``."""

    class Live:
        def control(self, room, action, expect=200, **extra):
            response = client.post(f"/api/workshops/{room['id']}/control",
                                   json={"action": action, **extra}, headers=room["headers"])
            assert response.status_code == expect, response.get_json()
            return response.get_json()

        def join(self, room, nickname="Ana", expect=201):
            response = client.post(f"/api/workshops/{room['code']}/join",
                                   json={"nickname": nickname})
            assert response.status_code == expect, response.get_json()
            return response.get_json()

        def state(self, room):
            response = client.get(f"/api/workshops/{room['code']}/state")
            assert response.status_code == 200
            return response.get_json()

        def answer(self, room, token, question_id, answer, **extra):
            return client.post(f"/api/workshops/{room['code']}/answers",
                               json={"question_id": question_id, "answer": answer, **extra},
                               headers={"Authorization": f"Bearer {token}"})

        def me(self, room, token):
            return client.get(f"/api/workshops/{room['code']}/me",
                              headers={"Authorization": f"Bearer {token}"})

    return Live()


def right_answer(app, state):
    """The key of the question on screen, read from the content (the test is the server)."""
    from attract.current import library

    step = state["step"]
    with app.test_request_context():
        lib = library()
    for quiz in lib.quizzes.values():
        for question in quiz.questions:
            if str(question["id"]) == step["question"]["id"] and \
                    question["prompt"] == step["question"]["prompt"]:
                return answer_key(question)
    raise AssertionError("question not found")
