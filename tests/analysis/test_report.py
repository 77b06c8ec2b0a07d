"""The analysis page's report, worked by hand: distributions, most missed, calibration,
and the before/after change on paired learners only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from attract.analysis import report
from attract.exports.rows import LIVE, SELF_PACED, AnswerRow

T0 = datetime(2026, 5, 1, 9, tzinfo=UTC)
QUESTIONS = {
    ("q", "v1"): {"id": "v1", "type": "verdict", "prompt": "First?", "key": "interruption",
                  "points": 1, "explanation": "Because."},
    ("q", "c1"): {"id": "c1", "type": "choice", "prompt": "Second?", "key": "b", "points": 1,
                  "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
}


def row(learner: str, question: str, answer, fraction: float, *, attempt_id: int,
        source: str = SELF_PACED, user_id: int | None = None, confidence=None,
        at: datetime = T0) -> AnswerRow:
    return AnswerRow(
        learner=learner, user_id=user_id, name=learner, email=None, cohort=None,
        course="c", quiz="q", workshop_id=1 if source == LIVE else None, source=source,
        attempt_id=attempt_id, attempt=None if source == LIVE else 1, question_id=question,
        question_type=QUESTIONS[("q", question)]["type"], answer=answer, fraction=fraction,
        points=fraction, max_points=1.0, confidence=confidence, seconds=None,
        submitted_at=at, content_version="v", started_at=at, finished_at=at)


def test_distributions_most_missed_and_order():
    rows = [row("a", "c1", "b", 1.0, attempt_id=1), row("a", "v1", "attraction", 0, attempt_id=1),
            row("b", "c1", "a", 0.0, attempt_id=2), row("b", "v1", "attraction", 0, attempt_id=2),
            row("c", "c1", "b", 1.0, attempt_id=3), row("c", "v1", "interruption", 1,
                                                       attempt_id=3)]
    built = report.build(rows, QUESTIONS)
    assert [q.question_id for q in built.questions] == ["v1", "c1"]  # the quiz's order
    verdict, choice = built.questions
    assert verdict.counts == {"attraction": 2, "interruption": 1}
    assert choice.counts == {"a": 1, "b": 2}
    assert (verdict.wrong, verdict.answers) == (2, 3)
    assert [q.question_id for q in built.most_missed] == ["v1", "c1"]  # 2/3 before 1/3
    assert built.learners == 3 and built.answers == 6 and built.calibration is None
    assert verdict.stats.facility == 1 / 3


def test_calibration_counts_right_answers_per_level():
    rows = [row("a", "v1", "interruption", 1, attempt_id=1, source=LIVE, confidence="high"),
            row("b", "v1", "attraction", 0, attempt_id=2, source=LIVE, confidence="high"),
            row("c", "v1", "interruption", 1, attempt_id=3, source=LIVE, confidence="low")]
    built = report.build(rows, QUESTIONS, confidence=True)
    assert built.calibration == [("low", 1, 1.0), ("medium", 0, None), ("high", 2, 0.5)]


def test_change_pairs_the_same_learners_before_and_after():
    start, end = T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1)
    before = [row("u1", "v1", "attraction", 0, attempt_id=1, user_id=1, at=T0),
              row("u2", "v1", "interruption", 1, attempt_id=2, user_id=2, at=T0),
              row("u3", "v1", "attraction", 0, attempt_id=3, user_id=3, at=T0)]  # no after
    after = [replace(before[0], fraction=1.0, attempt_id=4, submitted_at=end + timedelta(1)),
             replace(before[1], fraction=1.0, attempt_id=5, submitted_at=end + timedelta(1))]
    live = [row("u1", "v1", "interruption", 1, attempt_id=9, source=LIVE, user_id=1, at=start),
            row("p", "v1", "attraction", 0, attempt_id=10, source=LIVE, at=start)]
    (change,) = report.change(before + after, live, started_at=start, ended_at=end)
    assert (change.question_id, change.learners) == ("v1", 2)
    assert (change.before, change.after, change.live) == (0.5, 1.0, 1.0)


def test_change_falls_back_to_the_workshop_until_learners_try_again():
    start, end = T0 + timedelta(days=1), T0 + timedelta(days=1, hours=1)
    before = [row("u1", "v1", "attraction", 0, attempt_id=1, user_id=1, at=T0)]
    live = [row("u1", "v1", "interruption", 1, attempt_id=9, source=LIVE, user_id=1, at=start)]
    (change,) = report.change(before, live, started_at=start, ended_at=end)
    assert (change.before, change.after, change.learners) == (0.0, 1.0, 1)
    assert report.change([], live, started_at=start, ended_at=end) == []
