"""Points, ranks and distributions, worked by hand."""

import pytest

from attract.workshops.scoreboard import band, distribution, points, ranked


@pytest.mark.parametrize(("fraction", "elapsed", "expected"), [
    (1.0, 0, 1000), (1.0, 15, 750), (1.0, 30, 500), (1.0, 45, 500),  # capped at the limit
    (0.5, 0, 500), (0.0, 0, 0), (1.0, -3, 1000),
])
def test_speed_follows_the_live_quiz_rule(fraction, elapsed, expected):
    assert points("speed", 1, fraction, elapsed=elapsed, time_limit=30) == expected


def test_speed_scales_with_question_points():
    assert points("speed", 2, 1.0, elapsed=6, time_limit=30) == 1800


def test_accuracy_ignores_the_clock():
    assert points("accuracy", 1, 1.0, elapsed=29, time_limit=30) == 1000
    assert points("accuracy", 1, 0.5, elapsed=0, time_limit=None) == 500


@pytest.mark.parametrize(("confidence", "right", "wrong"), [
    ("low", 333, 0), ("medium", 667, -667), ("high", 1000, -2000)])
def test_confidence_marks_after_gardner_medwin(confidence, right, wrong):
    # 1, 2, 3 right and 0, -2, -6 wrong, scaled so that high and right earns the points
    assert points("confidence", 1, 1.0, confidence=confidence) == right
    assert points("confidence", 1, 0.0, confidence=confidence) == wrong


def test_confidence_weighs_a_part_right_answer_between():
    assert points("confidence", 1, 0.5, confidence="high") == round(1000 * (1.5 - 3) / 3)


def test_ties_share_a_rank_and_the_next_rank_skips():
    standings = ranked([(1, "bo", 500), (2, "Al", 900), (3, "cy", 500), (4, "di", 100)])
    assert [(s.nickname, s.rank) for s in standings] == [
        ("Al", 1), ("bo", 2), ("cy", 2), ("di", 4)]


def test_distributions_by_type():
    choice = {"type": "choice", "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert distribution(choice, ["a", "b", "a", None, ["c", "a"]]) == {"a": 3, "b": 1, "c": 1}
    verdict = {"type": "verdict"}
    assert distribution(verdict, ["attraction", "interruption", "interruption", "junk"]) == {
        "attraction": 1, "interruption": 2}
    rank = {"type": "rank", "options": [{"id": "x"}, {"id": "y"}]}
    assert distribution(rank, [["y", "x"], ["y", "x"], ["x", "y"]]) == {"x": 1, "y": 2}
    rating = {"type": "rating", "scale": {"min": 1, "max": 5}}
    assert distribution(rating, [5, 5, 1]) == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 2}
    spot = {"type": "spot", "segments": [{"id": "s1"}, {"id": "s2"}]}
    assert distribution(spot, [["s1", "s2"], ["s2"]]) == {"s1": 1, "s2": 2}
    rewrite = {"type": "rewrite"}
    assert distribution(rewrite, ["..."] * 3, [12, 85, 60]) == {
        "0-19": 1, "20-39": 0, "40-59": 0, "60-79": 1, "80-100": 1}
    assert band(100) == "80-100" and band(0) == "0-19"
