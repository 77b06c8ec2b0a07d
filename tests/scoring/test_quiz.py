"""Quiz aggregation, which attempt counts, and the workshop points rule."""

import pytest

from attract.scoring import Grade, grade_for_course, score_quiz, workshop_points

RIGHT, WRONG, HALF = Grade(1.0, ""), Grade(0.0, ""), Grade(0.5, "")
PENDING = Grade(None, "", pending=True)


def test_score_is_points_earned_over_possible():
    result = score_quiz([(1, RIGHT), (2, HALF), (1, WRONG)], pass_mark=50)
    assert (result.earned, result.possible, result.score, result.passed) == (2, 4, 50.0, True)


def test_fail_and_pending():
    assert score_quiz([(1, RIGHT), (3, WRONG)], 70).passed is False
    undecided = score_quiz([(1, RIGHT), (3, PENDING)], 70)
    assert undecided.passed is None and undecided.pending == 1 and undecided.score == 25.0
    assert score_quiz([(3, RIGHT), (1, PENDING)], 70).passed is True


def test_empty_quiz_scores_zero():
    assert score_quiz([], 0).score == 0.0


@pytest.mark.parametrize(("policy", "expected"), [("best", 80), ("latest", 60),
                                                  ("average", 63.3)])
def test_grade_for_course(policy, expected):
    assert grade_for_course(policy, [50, 80, 60]) == expected
    assert grade_for_course(policy, []) is None


def test_unknown_policy():
    with pytest.raises(ValueError, match="unknown grading policy"):
        grade_for_course("worst", [1])


@pytest.mark.parametrize(
    ("points", "fraction", "elapsed", "limit", "expected"),
    [(1000, 1, 0, 20, 1000), (1000, 1, 20, 20, 500), (1000, 1, 10, 20, 750),
     (1000, 0.5, 10, 20, 375), (1000, 0, 1, 20, 0), (1000, 1, 99, 20, 500),
     (1000, 1, -5, 20, 1000), (1000, 1, 5, 0, 1000)],
)
def test_workshop_points(points, fraction, elapsed, limit, expected):
    assert workshop_points(points, fraction, elapsed, limit) == expected
