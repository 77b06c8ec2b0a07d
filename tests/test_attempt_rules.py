"""Attempt rules: options shown in an order of each attempt's own (kept on resume),
timed quizzes that show no question before the clock starts, and a delay between
attempts."""

import random
from datetime import timedelta

import pytest

from attract import attempts
from attract.accounts import create_user, issue_token
from attract.extensions import db as _db
from attract.models import utcnow
from attract.scoring import draw_option_order, public_question
from tests.helpers import COURSE, PASSWORD, Tree

RANK = {"id": "r", "type": "rank", "prompt": "Order them", "points": 1, "explanation": "e",
        "options": [{"id": k, "text": f"reply {k}"} for k in "abcd"],
        "key": ["a", "b", "c", "d"]}
CHOICE = {"id": "c", "type": "choice", "prompt": "Pick", "points": 1, "explanation": "e",
          "options": [{"id": k, "text": f"option {k}"} for k in "abc"], "key": "b"}


def test_a_ranking_is_never_shown_in_its_key_order():
    rng = random.Random(7)
    orders = [draw_option_order(RANK, rng) for _ in range(300)]
    assert all(order != RANK["key"] for order in orders)
    assert all(sorted(order) == list("abcd") for order in orders)
    assert len({tuple(o) for o in orders}) == 23  # every other permutation turns up


def test_choice_options_move_and_the_key_sits_anywhere():
    rng = random.Random(11)
    places = [draw_option_order(CHOICE, rng).index("b") for _ in range(300)]
    assert {places.count(p) for p in range(3)} and min(places.count(p) for p in range(3)) > 70


@pytest.mark.parametrize("question", [
    {**RANK, "shuffle": False}, {**CHOICE, "shuffle": False},
    {"id": "s", "type": "spot", "prompt": "p", "points": 1, "explanation": "e",
     "segments": [{"id": "1", "text": "Hi."}, {"id": "2", "text": "Buy!"}], "key": ["2"]},
])
def test_what_keeps_the_files_order(question):
    assert draw_option_order(question, random.Random(1)) is None


def test_public_question_follows_the_attempts_order_and_tolerates_edits():
    shown = public_question(RANK, ["d", "b", "zz"])  # "zz" was deleted from the file since
    assert [o["id"] for o in shown["options"]] == ["d", "b", "a", "c"]
    assert "key" not in shown


QUIZ = """\
title: "Check"
pass_mark: 50
attempts: 0
grading: best
shuffle: true
{extra}questions:
  - id: r
    type: rank
    prompt: "ZQXPROMPT order the replies"
    points: 1
    explanation: "e"
    options: [{{id: a, text: A}}, {{id: b, text: B}}, {{id: c, text: C}}, {{id: d, text: D}}]
    key: [a, b, c, d]
  - id: v
    type: verdict
    prompt: "Judge it"
    points: 1
    explanation: "e"
    scenario: {{channel: x, sender: Dana, recipient: Sam, message: "Follow me!"}}
    key: interruption
"""


@pytest.fixture
def quiz_app(content_app, tmp_path):
    def make(extra=""):
        tree = Tree(tmp_path / f"c{abs(hash(extra))}")
        tree.write("courses/basics.yaml", COURSE)
        tree.write("quizzes/check.yaml", QUIZ.format(extra=extra))
        app = content_app(tree.root)
        with app.app_context():
            user = create_user("o@example.com", PASSWORD, "O")
            token, user_id = issue_token(user), user.id
        return app, user_id, {"Authorization": f"Bearer {token}"}
    return make


def test_an_attempt_keeps_its_order_when_resumed_and_reviewed(quiz_app):
    app, _, headers = quiz_app()
    client = app.test_client()
    first = client.post("/api/quizzes/check/attempts", headers=headers).json
    state = client.get(f"/api/attempts/{first['attempt_id']}", headers=headers).json
    rank = next(q for q in state["questions"] if q["id"] == "r")
    shown = [o["id"] for o in rank["options"]]
    assert shown != ["a", "b", "c", "d"]
    again = client.post("/api/quizzes/check/attempts", headers=headers)
    assert again.status_code == 200 and again.json["resumed"]
    resumed = client.get(f"/api/attempts/{first['attempt_id']}", headers=headers).json
    assert [o["id"] for o in next(q for q in resumed["questions"]
                                  if q["id"] == "r")["options"]] == shown
    with app.app_context():
        stored = _db.session.get(attempts.Attempt, first["attempt_id"])
        assert stored.option_order == {"r": shown}
    # the answer as shown is a real answer, graded by id: never full marks
    result = client.post(f"/api/attempts/{first['attempt_id']}/submit", headers=headers,
                         json={"answers": {"r": shown}}).json
    assert next(q for q in result["questions"] if q["id"] == "r")["fraction"] < 1


def test_orders_differ_between_attempts(quiz_app):
    app, user_id, _ = quiz_app()
    with app.app_context():
        quiz = app.extensions["attract.content"].library.quizzes["check"]
        seen = set()
        for seed in range(8):
            attempt, _ = attempts.start_or_resume(user_id, quiz, rng=random.Random(seed))
            seen.add(tuple(attempt.option_order["r"]))
            attempts.submit(attempt, quiz)
        assert len(seen) >= 6


def test_a_timed_quiz_shows_no_question_before_its_attempt_starts(quiz_app):
    app, _, headers = quiz_app("time_limit_seconds: 300\n")
    client = app.test_client()
    public = client.get("/api/quizzes/check")
    assert public.status_code == 200
    assert "questions" not in public.json and public.json["question_count"] == 2
    assert "ZQXPROMPT" not in public.get_data(as_text=True)
    assert "ZQXPROMPT" not in client.get("/quizzes/check").get_data(as_text=True)
    attempt = client.post("/api/quizzes/check/attempts", headers=headers).json
    state = client.get(f"/api/attempts/{attempt['attempt_id']}", headers=headers).json
    assert state["deadline"] and "ZQXPROMPT" in str(state["questions"])


def test_an_untimed_quiz_lists_its_questions(quiz_app):
    app, _, _ = quiz_app()
    body = app.test_client().get("/api/quizzes/check").json
    assert len(body["questions"]) == body["question_count"] == 2


def test_delay_between_attempts(quiz_app):
    app, user_id, headers = quiz_app("delay_between_attempts_seconds: 3600\n")
    client = app.test_client()
    first = client.post("/api/quizzes/check/attempts", headers=headers).json["attempt_id"]
    client.post(f"/api/attempts/{first}/submit", headers=headers)
    refused = client.post("/api/quizzes/check/attempts", headers=headers)
    assert refused.status_code == 409 and refused.json["error"] == "too_soon"
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "opens in 60 minutes" in refused.json["message"]
    page = client.get("/quizzes/check")  # anonymous here; the rule is checked in the domain
    assert page.status_code == 200
    with app.app_context():
        quiz = app.extensions["attract.content"].library.quizzes["check"]
        standing = attempts.standing(user_id, quiz)
        assert not standing.can_start() and standing.next_attempt_at
        later = utcnow() + timedelta(hours=1, seconds=5)
        assert standing.can_start(later)
        attempt, created = attempts.start_or_resume(user_id, quiz, now=later)
        assert created and attempt.number == 2
