"""``attempts.review``: one row per question, and the state every result view shows."""

import pytest

from attract.review import ReviewItem

QUESTION = {"id": "q1", "type": "verdict", "points": 2, "explanation": "Why.",
            "lesson": "pull-not-push"}


def item(answer="attraction", fraction=1.0, pending=False) -> ReviewItem:
    return ReviewItem(question=QUESTION, public={"id": "q1"}, answer=answer,
                      fraction=fraction, points=2 * (fraction or 0), pending=pending,
                      feedback="", key="attraction", explanation="Why.")


@pytest.mark.parametrize(("given", "state"), [
    (item(), "right"), (item(fraction=0.5), "partial"), (item(fraction=0.0), "wrong"),
    (item(answer=None, fraction=0.0), "empty"), (item(fraction=None, pending=True), "pending"),
    (item(answer=None, fraction=None, pending=True), "pending"),
])
def test_state(given, state):
    assert given.state == state


def test_reads_the_question():
    assert (item().possible, item().explanation, item().lesson) == (2, "Why.", "pull-not-push")
