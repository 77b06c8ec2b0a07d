"""ItemMarks: the item analysis of an export's rows equals item_analysis on their marks."""

import math
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from attract.analysis import item_analysis
from attract.exports.items import (
    ITEM_HEADERS,
    OVERALL_HEADERS,
    ItemMarks,
    item_cells,
    overall_cells,
)
from attract.exports.rows import LIVE, SELF_PACED, AnswerRow

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_row(learner, attempt_id, question, fraction, *, source=SELF_PACED, attempt=1,
             max_points=None, quiz="pitch", started_at=START, submitted_at=None,
             qtype="choice"):
    live = source == LIVE
    if max_points is None:
        max_points = 1000.0 if live else 1.0  # a 1-point question, live worth x 1000
    return AnswerRow(
        learner=learner, user_id=None, name=learner, email=None, cohort=None,
        course="social", quiz=quiz, workshop_id=7 if live else None, source=source,
        attempt_id=attempt_id, attempt=None if live else attempt, question_id=question,
        question_type=qtype, answer="a", fraction=fraction,
        points=None if fraction is None else fraction * max_points, max_points=max_points,
        confidence=None, seconds=3.0 if live else None,
        submitted_at=submitted_at or started_at,
        content_version="v1", started_at=started_at)


def attempt_rows(learner, attempt_id, marks, **kwargs):
    return [make_row(learner, attempt_id, q, mark, **kwargs) for q, mark in marks.items()]


def assert_same_stats(got, expected):
    assert got.attempts == expected.attempts
    assert got.mean == pytest.approx(expected.mean)
    assert got.sd == pytest.approx(expected.sd)
    assert got.cic == pytest.approx(expected.cic)
    assert [i.question_id for i in got.items] == [i.question_id for i in expected.items]
    for mine, theirs in zip(got.items, expected.items, strict=True):
        assert mine.attempts == theirs.attempts and mine.flags == theirs.flags
        for name in ("facility", "sd", "discrimination"):
            assert getattr(mine, name) == pytest.approx(getattr(theirs, name)), name


# the hand-worked data of tests/analysis/test_items.py, as fractions
ATTEMPTS = [{"q1": 1, "q2": 1, "q3": 0}, {"q1": 1, "q2": 1, "q3": 1},
            {"q1": 1, "q2": 0, "q3": 1}, {"q1": 0, "q2": 0, "q3": 0}]


def test_same_stats_as_item_analysis_on_the_same_marks():
    marks = ItemMarks()
    rows = [row for n, fractions in enumerate(ATTEMPTS)
            for row in attempt_rows(f"user-{n}", n, fractions)]
    assert list(marks.passing(iter(rows))) == rows  # passed through unchanged
    assert_same_stats(marks.stats(), item_analysis(ATTEMPTS, dict.fromkeys(ATTEMPTS[0], 1)))


def test_marks_are_fraction_times_points_and_live_seats_join_at_the_quiz_files_scale():
    marks = ItemMarks()
    # q2 is worth 2 points; live, the same questions are worth x 1000
    for n, fractions in enumerate(ATTEMPTS[:2]):
        for row in attempt_rows(f"user-{n}", n, fractions):
            marks.add(row if row.question_id != "q2" else make_row(
                row.learner, n, "q2", row.fraction, max_points=2.0))
    for n, fractions in enumerate(ATTEMPTS[2:], start=2):
        for q, fraction in fractions.items():
            marks.add(make_row(f"participant-{n}", n, q, fraction, source=LIVE,
                               max_points=2000.0 if q == "q2" else 1000.0))
    expected = [{q: f * (2 if q == "q2" else 1) for q, f in a.items()} for a in ATTEMPTS]
    assert_same_stats(marks.stats(), item_analysis(expected, {"q1": 1, "q2": 2, "q3": 1}))


def test_first_only_takes_each_learners_first_attempt():
    later = START + timedelta(days=1)
    rows = (attempt_rows("user-1", 11, {"q1": 1, "q2": 1}, attempt=2, started_at=later)
            + attempt_rows("user-1", 10, {"q1": 0, "q2": 0}, attempt=1)
            + attempt_rows("user-2", 20, {"q1": 1, "q2": 0}, attempt=1)
            # a live seat is one attempt; this one came after user-2's self-paced attempt
            + attempt_rows("user-2", 5, {"q1": 0, "q2": 1}, source=LIVE, started_at=later)
            + attempt_rows("participant-9", 6, {"q1": 1, "q2": 1}, source=LIVE))
    marks = ItemMarks()
    for row in rows:
        marks.add(row)
    first = [{"q1": 0, "q2": 0}, {"q1": 1, "q2": 0}, {"q1": 1, "q2": 1}]
    max_marks = {"q1": 1, "q2": 1}
    assert_same_stats(marks.stats(), item_analysis(first, max_marks))
    assert_same_stats(marks.stats(first_only=True), item_analysis(first, max_marks))
    every = [{"q1": 1, "q2": 1}, {"q1": 0, "q2": 0}, {"q1": 1, "q2": 0}, {"q1": 0, "q2": 1},
             {"q1": 1, "q2": 1}]
    assert_same_stats(marks.stats(first_only=False), item_analysis(every, max_marks))


def test_a_live_seat_without_a_start_time_is_placed_by_its_first_answer():
    marks = ItemMarks()
    for row in attempt_rows("user-1", 1, {"q1": 1}, source=LIVE, started_at=None,
                            submitted_at=START):
        marks.add(row)
    for row in attempt_rows("user-1", 2, {"q1": 0}, started_at=START + timedelta(hours=1)):
        marks.add(row)
    assert marks.stats().items[0].facility == 1.0


def test_ungraded_answers_have_no_mark_but_their_attempt_counts():
    marks = ItemMarks()
    for row in (make_row("user-1", 1, "q1", 1.0), make_row("user-1", 1, "q2", None),
                make_row("user-2", 2, "q1", None), make_row("user-2", 2, "q2", math.nan)):
        marks.add(row)
    assert marks.attempts[(SELF_PACED, 1)].marks == {"q1": 1.0}
    assert_same_stats(marks.stats(), item_analysis([{"q1": 1.0}, {}], {"q1": 1, "q2": 1}))


def test_several_quizzes_are_analysed_apart_and_named_by_quiz():
    marks = ItemMarks()
    pitch = [{"q1": 1, "q2": 0}, {"q1": 0, "q2": 0}, {"q1": 1, "q2": 1}]
    follow = [{"q1": 0}, {"q1": 1}]
    for n, fractions in enumerate(pitch):
        for row in attempt_rows(f"user-{n}", n, fractions):
            marks.add(row)
    for n, fractions in enumerate(follow):
        for row in attempt_rows(f"user-{n}", 100 + n, fractions, quiz="follow-up"):
            marks.add(row)
    stats = marks.stats()
    assert [i.question_id for i in stats.items] == ["pitch/q1", "pitch/q2", "follow-up/q1"]
    assert stats.attempts == 5 and stats.mean is None and stats.sd is None and stats.cic is None
    alone = item_analysis(pitch, {"q1": 1, "q2": 1})
    assert [i.facility for i in stats.items[:2]] == [i.facility for i in alone.items]
    assert stats.items[2].facility == 0.5  # follow-up's q1 is not pitch's q1


def test_item_cells_name_flag_and_total_the_questions():
    marks = ItemMarks()
    for n, fractions in enumerate(ATTEMPTS):
        for row in attempt_rows(f"user-{n}", n, {**fractions, "hard": 0, "easy": 1}):
            marks.add(row)
    stats = marks.stats()
    cells = item_cells(stats, {"q1": "Which opener?"})
    assert all(len(line) == len(ITEM_HEADERS) for line in cells)
    assert cells[0][:4] == ("q1", "Which opener?", 4, 0.75)
    by_id = {line[0]: line for line in cells}
    assert by_id["q2"][1] is None
    assert by_id["hard"][-1] == "hard" and by_id["easy"][-1] == "easy"
    assert by_id["q1"][-1] is None
    overall = overall_cells(stats)
    assert len(overall) == len(OVERALL_HEADERS)
    assert overall[1:] == (stats.attempts, stats.mean, stats.sd, stats.cic)


def test_no_rows_give_empty_stats():
    stats = ItemMarks().stats()
    assert stats.attempts == 0 and stats.items == ()


@pytest.mark.parametrize("module", ["attract.exports.items", "attract.exports.xlsx",
                                    "attract.exports.jsonout"])
def test_the_writers_are_pure(module):
    # tests/test_purity.py imports attract.exports, whose __init__ does not pull these in
    loader = ("import importlib, pathlib, sys, types; "
              "pkg = types.ModuleType('attract'); "
              "pkg.__path__ = [str(pathlib.Path('attract').resolve())]; "
              "sys.modules['attract'] = pkg; "
              f"importlib.import_module({module!r}); "
              "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
              "{'flask', 'sqlalchemy', 'werkzeug', 'flask_sqlalchemy', 'flask_login'})))")
    result = subprocess.run([sys.executable, "-c", loader], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parents[2])
    assert result.stdout.strip() == ""
