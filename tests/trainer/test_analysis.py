"""The analysis pages: figures from the pure module, charts as SVG, flags, most missed,
calibration for confidence workshops, and the before/after change."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from attract.extensions import db as _db
from attract.models import Attempt
from attract.workshops.models import Workshop
from tests.trainer.conftest import QUIZ, take_quiz
from tests.trainer.test_cohorts import _signed_in_client


def _page(app, who: str, url: str, status: int = 200) -> str:
    response = _signed_in_client(app, f"{who.lower()}@example.com").get(url)
    assert response.status_code == status, url
    if status == 200:
        assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def test_quiz_analysis_shows_items_charts_and_the_most_missed(app, world):
    html = _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis")
    assert "Item statistics" in html and "Most missed" in html
    assert html.count('role="img"') >= 3  # one distribution chart per question
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert re.search(r"<caption[^>]*>Answers per option", html)  # the numbers, as a table
    assert "Explanation:" in html
    assert "Learners</dt><dd>1<" in html  # L1 only: L2 is in no cohort of A's
    everyone = _page(app, "admin", f"/trainer/quizzes/{QUIZ}/analysis")
    assert "Learners</dt><dd>2<" in everyone
    narrowed = _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis?cohort={world.cohort['id']}")
    assert "Leeds sales team" in narrowed


def test_all_attempts_switch_counts_every_attempt(app, client, world):
    take_quiz(client, app, world.auth("L1"))
    first = _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis")
    every = _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis?attempts=all")
    assert "Attempts analysed</dt><dd>1 " in first
    assert "Attempts analysed</dt><dd>2 " in every


def test_workshop_analysis_has_calibration_and_flags(app, world):
    html = _page(app, "A", f"/trainer/workshops/{world.workshop['id']}/analysis")
    assert "Calibration" in html and "Share correct at each confidence level" in html
    assert "Before and after the workshop" in html
    _page(app, "B", f"/trainer/workshops/{world.workshop['id']}/analysis", 404)


def test_before_and_after_compares_the_same_learners(app, client, world):
    """L1 took the quiz before the workshop (answers backdated) and again after it."""
    with app.app_context():
        workshop = _db.session.get(Workshop, world.workshop["id"])
        before = workshop.started_at - timedelta(days=1)
        _db.session.execute(update(Attempt).values(submitted_at=before, started_at=before))
        _db.session.commit()
    take_quiz(client, app, world.auth("L1"))  # after the workshop ended: every key right
    html = _page(app, "A", f"/trainer/workshops/{world.workshop['id']}/analysis")
    section = html.split("Before and after the workshop", 1)[1].split("</section>", 1)[0]
    assert "Share of the marks, same learners" in section
    assert "100%" in section  # after: all right


def test_analysis_of_nothing_yet_says_so(app, world):
    html = _page(app, "B", f"/trainer/quizzes/{QUIZ}/analysis")
    assert "at least two attempts" in html and "No answers yet." in html


def test_bad_analysis_addresses(app, world):
    _page(app, "A", "/trainer/quizzes/nope/analysis", 404)
    _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis?cohort={world.other_cohort['id']}", 404)
    _page(app, "A", f"/trainer/quizzes/{QUIZ}/analysis?cohort=x", 404)
    _page(app, "A", "/trainer/workshops/999/analysis", 404)
    _page(app, "L1", f"/trainer/quizzes/{QUIZ}/analysis", 403)
