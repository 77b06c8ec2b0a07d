"""From outside, over the API, as the probe that filed the quiz-engine issue did: neither
a blind answering strategy nor "fail once, read the keys, resubmit them" earns the
bundled course's certificate."""

import random

import pytest

from attract import attempts
from tests.helpers import PASSWORD, csrf_from

COURSE = "attraction-not-interruption"


@pytest.fixture
def seeded(monkeypatch):
    """Attempts draw their orders from a seeded generator: the test cannot flake."""
    rng = random.Random(2026)
    monkeypatch.setattr(attempts.random, "SystemRandom", lambda: rng)


def blind(question: dict):
    """Answer without reading: the ranking as shown, the second option, always
    "interruption", a middling 3, the second phrase, no rewrite."""
    kind = question["type"]
    if kind == "rank":
        return [o["id"] for o in question["options"]]
    if kind == "choice":
        second = question["options"][1]["id"]
        return [second] if question.get("multiple") else second
    return {"verdict": "interruption", "rating": 3,
            "spot": [s["id"] for s in question.get("segments", [])][1:2]}.get(kind)


def test_a_blind_strategy_passes_no_bundled_quiz(client, api_token, seeded):
    headers = {"Authorization": f"Bearer {api_token()}"}
    quizzes = [item["slug"] for module in client.get(f"/api/courses/{COURSE}").json["modules"]
               for item in module["items"] if item["kind"] == "quiz"]
    assert len(quizzes) == 5
    for slug in quizzes:
        tries = client.get(f"/api/quizzes/{slug}").json["attempts"] or 4
        for _ in range(tries):
            started = client.post(f"/api/quizzes/{slug}/attempts", headers=headers).json
            state = client.get(f"/api/attempts/{started['attempt_id']}", headers=headers).json
            answers = {q["id"]: a for q in state["questions"] if (a := blind(q)) is not None}
            result = client.post(f"/api/attempts/{started['attempt_id']}/submit",
                                 headers=headers, json={"answers": answers}).json
            assert result["passed"] is not True, (slug, result["score"])
            assert result["score"] < 60, (slug, result["score"])


def test_fail_read_the_keys_resubmit_earns_nothing(client, make_user, post_form):
    make_user(email="probe@example.com")
    token = client.post("/api/tokens", json={"email": "probe@example.com",
                                             "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    course = client.get(f"/api/courses/{COURSE}", headers=headers).json
    items = [item for module in course["modules"] for item in module["items"]]
    # every lesson marked read without opening it: refused
    for item in items:
        if item["kind"] == "lesson":
            blind_read = client.put(f"/api/lessons/{item['slug']}/read", headers=headers)
            assert blind_read.status_code == 409 and blind_read.json["error"] == "not_opened"
    # an empty attempt at every quiz: its result names no key and no explanation
    for item in items:
        if item["kind"] == "quiz":
            attempt = client.post(f"/api/quizzes/{item['slug']}/attempts",
                                  headers=headers).json["attempt_id"]
            result = client.post(f"/api/attempts/{attempt}/submit", headers=headers).json
            assert result["passed"] is False and result["review"]["shown"] is False
            assert all("key" not in q and "explanation" not in q for q in result["questions"])
            again = client.get(f"/api/attempts/{attempt}", headers=headers).json
            assert all("key" not in q for q in again["questions"])
    progress = client.get(f"/api/courses/{COURSE}", headers=headers).json["progress"]
    assert progress["done"] == 0
    # and the certificate is not to be had
    page = client.get("/auth/sign-in").get_data(as_text=True)
    client.post("/auth/sign-in", data={"email": "probe@example.com", "password": PASSWORD,
                                       "csrf_token": csrf_from(page)})
    claim = post_form(f"/courses/{COURSE}", {}, action=f"/courses/{COURSE}/certificate")
    assert claim.status_code == 409
