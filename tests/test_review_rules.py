"""Review options: a result shows keys, explanations and feedback only when the quiz's
``review.answers`` says so, on the result page and in the API alike."""

import pytest

from attract.accounts import create_user, issue_token
from tests.helpers import COURSE, PASSWORD, Tree, csrf_from

SECRET = "ZQXWHY"


def quiz(review: str | None, attempts: int = 2) -> str:
    setting = f"review: {{answers: {review}}}\n" if review else ""
    return f"""\
title: "Check"
pass_mark: 100
attempts: {attempts}
grading: best
shuffle: false
{setting}questions:
  - id: q1
    type: rating
    prompt: "How pushy is it?"
    points: 1
    tolerance: 0
    explanation: "{SECRET} because of the demand."
    scenario: {{channel: facebook, sender: Dana, recipient: Sam, message: "Like my page!"}}
    key: 2
"""


@pytest.fixture
def learner(content_app, tmp_path):
    """``learner(review, attempts)``: (client signed in on the page, API headers)."""
    def make(review, attempts=2):
        tree = Tree(tmp_path / f"content-{review}-{attempts}")
        tree.write("courses/basics.yaml", COURSE)
        tree.write("quizzes/check.yaml", quiz(review, attempts))
        app = content_app(tree.root)
        with app.app_context():
            token = issue_token(create_user("r@example.com", PASSWORD, "R"))
        client = app.test_client()
        page = client.get("/auth/sign-in").get_data(as_text=True)
        client.post("/auth/sign-in", data={"email": "r@example.com", "password": PASSWORD,
                                           "csrf_token": csrf_from(page)})
        return client, {"Authorization": f"Bearer {token}"}
    return make


def take(client, headers, rating: int) -> tuple[dict, str]:
    """Start and submit one attempt over the API; (API result, result page HTML)."""
    attempt = client.post("/api/quizzes/check/attempts", headers=headers).json["attempt_id"]
    result = client.post(f"/api/attempts/{attempt}/submit", headers=headers,
                         json={"answers": {"q1": rating}}).json
    page = client.get(f"/quizzes/check/attempts/{attempt}").get_data(as_text=True)
    return result, page


def shows(result: dict, page: str) -> bool:
    in_api = "key" in result["questions"][0] and SECRET in result["questions"][0]["explanation"]
    assert in_api == (SECRET in page) == result["review"]["shown"], "page and API disagree"
    return in_api


def test_after_pass_is_the_default_hidden_while_failing_with_attempts_left(learner):
    client, headers = learner(None)
    result, page = take(client, headers, 5)
    assert not shows(result, page)
    assert result["review"] == {"answers": "after_pass", "shown": False,
                                "when": "once you pass this quiz or have used every attempt"}
    # what always shows: right or not, points, the score; feedback names no key
    assert result["questions"][0]["state"] == "wrong" and result["score"] == 0.0
    assert result["questions"][0]["feedback"] == "Not right."
    assert "the key is" not in page and "Not right" in page


def test_after_pass_shows_once_passed(learner):
    client, headers = learner("after_pass")
    assert not shows(*take(client, headers, 4))
    result, page = take(client, headers, 2)
    assert result["passed"] and shows(result, page)
    assert "the key is" not in result["questions"][0]["feedback"]  # it was right: "Right: 2"


def test_after_pass_shows_once_every_attempt_is_used(learner):
    client, headers = learner("after_pass", attempts=2)
    assert not shows(*take(client, headers, 5))
    result, page = take(client, headers, 4)
    assert not result["passed"] and shows(result, page)
    assert result["questions"][0]["key"] == 2


def test_immediately(learner):
    client, headers = learner("immediately")
    result, page = take(client, headers, 5)
    assert shows(result, page) and "the key is 2" in result["questions"][0]["feedback"]


def test_never_even_after_passing(learner):
    client, headers = learner("never", attempts=1)
    result, page = take(client, headers, 2)
    assert result["passed"] and not shows(result, page)
    assert result["review"]["when"] == "never on this site"


def test_a_second_read_of_the_attempt_obeys_the_same_rule(learner):
    client, headers = learner(None)
    attempt = client.post("/api/quizzes/check/attempts", headers=headers).json["attempt_id"]
    client.post(f"/api/attempts/{attempt}/submit", headers=headers, json={"answers": {"q1": 5}})
    state = client.get(f"/api/attempts/{attempt}", headers=headers).json
    assert state["review"]["shown"] is False and SECRET not in str(state)
