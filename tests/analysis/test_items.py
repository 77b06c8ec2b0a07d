"""Item analysis against figures worked by hand, and against numpy on random data."""

import math
import random

import pytest

from attract.analysis import first_attempts, item_analysis

# Four learners, three one-mark questions, worked by hand:
#   q1: 1 1 1 0   q2: 1 1 0 0   q3: 0 1 1 0     totals 2 3 2 0
ATTEMPTS = [{"q1": 1, "q2": 1, "q3": 0}, {"q1": 1, "q2": 1, "q3": 1},
            {"q1": 1, "q2": 0, "q3": 1}, {"q1": 0, "q2": 0, "q3": 0}]
MAX = {"q1": 1, "q2": 1, "q3": 1}


def test_figures_worked_by_hand():
    stats = item_analysis(ATTEMPTS, MAX)
    q1, q2, q3 = stats.items
    # facility: mean / max
    assert (q1.facility, q2.facility, q3.facility) == (0.75, 0.5, 0.5)
    # sd: q1 marks 1 1 1 0, mean .75, squares .0625 x3 + .5625 = .75, / 3 = .25 -> 0.5
    assert q1.sd == pytest.approx(0.5)
    # q2 marks 1 1 0 0 (deviations .5 .5 -.5 -.5), rest (q1 + q3) 1 2 2 0 (-.25 .75 .75
    # -1.25): sum of products 0.5, squares 1 and 2.75, so r = 0.5 / sqrt(2.75) = 0.30151
    assert q2.discrimination == pytest.approx(50 / math.sqrt(2.75))
    # totals 2 3 2 0: mean 1.75, variance (0.0625 + 1.5625 + 0.0625 + 3.0625) / 3 = 1.58333
    assert stats.mean == 1.75 and stats.sd == pytest.approx(math.sqrt(4.75 / 3))
    # item variances .25, 1/3, 1/3: alpha = 3/2 x (1 - 0.91667 / 1.58333) = 0.63158
    assert stats.cic == pytest.approx(100 * 1.5 * (1 - (0.25 + 2 / 3) / (4.75 / 3)))


def test_flags_mark_hard_easy_and_negative_questions():
    attempts = [{"easy": 1, "hard": 0, "odd": 1, "a": 0, "b": 0},
                {"easy": 1, "hard": 0, "odd": 0, "a": 1, "b": 1},
                {"easy": 1, "hard": 1, "odd": 1, "a": 0, "b": 0},
                {"easy": 1, "hard": 0, "odd": 0, "a": 1, "b": 1}]
    stats = item_analysis(attempts, dict.fromkeys(["easy", "hard", "odd", "a", "b"], 1))
    by_id = {item.question_id: item for item in stats.items}
    assert by_id["easy"].flags == ("easy",) and by_id["easy"].discrimination is None
    assert "hard" in by_id["hard"].flags
    assert "negative_discrimination" in by_id["odd"].flags


def test_too_little_data_gives_none_not_zero():
    one = item_analysis([{"q1": 1, "q2": 0}], {"q1": 1, "q2": 1})
    assert one.items[0].facility == 1.0
    assert one.items[0].sd is None and one.items[0].discrimination is None and one.cic is None
    empty = item_analysis([], {"q1": 1})
    assert empty.attempts == 0 and empty.items[0].facility is None and empty.mean is None


def test_missing_marks_count_zero_and_marks_scale_by_the_max():
    stats = item_analysis([{"q1": 2}, {"q2": 1}], {"q1": 2, "q2": 1})
    assert [item.facility for item in stats.items] == [0.5, 0.5]


def test_first_attempts_keeps_each_learners_earliest():
    rows = [("ana", 2, {"q": 1}), ("ana", 1, {"q": 0}), ("bo", 1, {"q": 1})]
    assert sorted(m["q"] for m in first_attempts(rows)) == [0, 1]


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_numpy_on_random_data(seed):
    np = pytest.importorskip("numpy")
    rng = random.Random(seed)
    questions = [f"q{i}" for i in range(rng.randint(3, 12))]
    max_marks = {q: rng.choice([1, 2, 3]) for q in questions}
    attempts = [{q: rng.choice([0, 0.5, 1]) * max_marks[q] for q in questions}
                for _ in range(rng.randint(5, 200))]
    stats = item_analysis(attempts, max_marks)
    matrix = np.array([[a[q] for q in questions] for a in attempts], dtype=float)
    totals = matrix.sum(axis=1)
    for index, item in enumerate(stats.items):
        column = matrix[:, index]
        top = max_marks[questions[index]]
        assert item.facility == pytest.approx(column.mean() / top)
        assert item.sd == pytest.approx(column.std(ddof=1) / top)
        if item.discrimination is not None:
            expected = 100 * np.corrcoef(column, totals - column)[0, 1]
            assert item.discrimination == pytest.approx(expected)
    k = len(questions)
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / totals.var(ddof=1))
    assert stats.cic == pytest.approx(100 * alpha)
    assert stats.sd == pytest.approx(totals.std(ddof=1))
