"""Table-driven grading cases per question type (the README's "Authoring content" table)."""

import pytest

from attract.coach import analyse
from attract.scoring import (
    AnswerError,
    answer_from_form,
    answer_key,
    check_question,
    get_type,
    grade_answer,
    public_question,
)

from .questions import ALL, MULTIPLE, RANK, RATING, REWRITE, SINGLE, SPOT, VERDICT


@pytest.mark.parametrize(
    ("question", "answer", "fraction"),
    [
        (VERDICT, "interruption", 1), (VERDICT, "attraction", 0), (VERDICT, " Interruption ", 1),
        (SINGLE, "a", 1), (SINGLE, "b", 0.5), (SINGLE, "c", 0),
        (MULTIPLE, ["a", "c"], 1), (MULTIPLE, ["c", "a"], 1), (MULTIPLE, ["a"], 0.5),
        (MULTIPLE, ["a", "b"], 0), (MULTIPLE, ["a", "c", "b"], 0.5), (MULTIPLE, ["b", "d"], 0),
        (MULTIPLE, ["a", "b", "c", "d"], 0), (MULTIPLE, "a", 0.5),
        (RATING, 4, 1), (RATING, 3, 0.5), (RATING, 5, 0.5), (RATING, 2, 0), (RATING, 1, 0),
        (RATING, "4", 1), (RATING, 4.0, 1),
        ({**RATING, "tolerance": 0}, 3, 0), ({**RATING, "tolerance": 3}, 2, 0.5),
        (RANK, ["c", "a", "d", "b"], 1), (RANK, ["b", "d", "a", "c"], 0),
        (RANK, ["a", "c", "d", "b"], 5 / 6), (RANK, ["c", "a", "b", "d"], 5 / 6),
        (SPOT, ["s2", "s3"], 1), (SPOT, ["s2"], 2 / 3), (SPOT, ["s1"], 0),
        (SPOT, ["s1", "s2", "s3", "s4"], 2 / 3), (SPOT, ["s2", "s4"], 0.5),
    ],
)
def test_grade(question, answer, fraction):
    grade = grade_answer(question, answer)
    assert grade.fraction == pytest.approx(fraction)
    assert grade.feedback and not grade.pending


@pytest.mark.parametrize("question", ALL, ids=lambda q: q["id"])
@pytest.mark.parametrize("empty", [None, "", []])
def test_no_answer_grades_zero(question, empty):
    grade = grade_answer(question, empty)
    assert grade.fraction == 0 and grade.feedback == "No answer was given."


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        (VERDICT, "maybe", "Answer 'attraction' or 'interruption'."),
        (VERDICT, 1, "Answer 'attraction' or 'interruption'."),
        (SINGLE, "z", "Unknown option 'z'"), (SINGLE, ["a"], "Send the chosen option as a"),
        (SINGLE, True, "Send the chosen option as a"),
        (MULTIPLE, ["a", "a"], "'a' appears twice"), (MULTIPLE, ["z"], "Unknown option 'z'"),
        (MULTIPLE, {"a": 1}, "Send the chosen options as a list"),
        (RATING, 0, "from 1 to 5"), (RATING, 6, "from 1 to 5"), (RATING, 3.5, "from 1 to 5"),
        (RATING, True, "from 1 to 5"), (RATING, "four", "from 1 to 5"),
        (RANK, ["a", "b", "c"], "Rank every option exactly once"),
        (RANK, ["a", "b", "c", "z"], "Rank every option exactly once"),
        (RANK, ["a", "a", "b", "c"], "'a' appears twice"),
        (SPOT, ["s9"], "Unknown segment 's9'"), (SPOT, [["s1"]], "as a string id"),
        (REWRITE, 42, "Send the rewrite as text."), (REWRITE, "x" * 5001, "at most 5000"),
    ],
)
def test_malformed_answers_are_clear_errors(question, answer, message):
    with pytest.raises(AnswerError, match=message.replace("(", r"\(")):
        grade_answer(question, answer)


def test_rewrite_is_graded_by_the_coach():
    good = grade_answer(REWRITE, "Hi Sam, I enjoyed your talk on pricing at the Leeds meetup. "
                                 "What made you move to annual plans?")
    assert good.fraction == 1.0 and "The coach scores your rewrite" in good.feedback
    pushy = grade_answer(REWRITE, "Endorse me for Sales now!!! Last chance!")
    assert 0 <= pushy.fraction < 0.5 and "Next fix:" in pushy.feedback
    assert not good.pending and not pushy.pending


def test_rewrite_credit_is_for_improvement_on_the_original():
    original = REWRITE["scenario"]["message"]
    start = analyse(original, "Sam", "linkedin").score
    assert grade_answer(REWRITE, original).fraction == 0.0  # pasting it back earns nothing
    better = "Hi Sam, please like my page."
    score = analyse(better, "Sam", "linkedin").score
    expected = 0.0 if score <= start else (score - start) / (70 - start)
    assert grade_answer(REWRITE, better).fraction == pytest.approx(expected)


@pytest.mark.parametrize("question", ALL, ids=lambda q: q["id"])
def test_public_view_hides_key_and_explanation(question):
    public = public_question({**question, "key": "SENTINEL-KEY", "explanation": "SENTINEL-EXP",
                              "sample": "SENTINEL-SAMPLE"} if question["type"] in (
        "verdict", "rewrite") else {**question, "explanation": "SENTINEL-EXP"})
    text = repr(public)
    assert "SENTINEL" not in text and "credit" not in text
    assert public["id"] == question["id"] and public["type"] == question["type"]


def test_public_shapes_match_the_api_contract():
    assert public_question(SINGLE)["options"] == [
        {"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]
    assert public_question(SINGLE)["multiple"] is False
    assert public_question(RATING)["scale"] == {"min": 1, "max": 5}
    assert [s["id"] for s in public_question(SPOT)["segments"]] == ["s1", "s2", "s3", "s4"]
    assert public_question(VERDICT)["scenario"]["recipient"] == "Sam"


def test_keys_for_review():
    assert answer_key(MULTIPLE) == ["a", "c"] and answer_key(RATING) == 4
    assert answer_key(REWRITE) == "Hi Sam, ..."


def test_unknown_type():
    with pytest.raises(KeyError, match="known types: verdict, choice"):
        get_type("essay")


@pytest.mark.parametrize("question", ALL, ids=lambda q: q["id"])
def test_valid_questions_pass_their_checks(question):
    assert check_question(question, "question 1") == []


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({**SINGLE, "key": "z"}, "'key' of a single choice must be one option id"),
        ({**MULTIPLE, "key": ["a", "b", "c", "d"]}, "leave at least one wrong"),
        ({**MULTIPLE, "key": ["a", "z"]}, "names an option that does not exist"),
        ({**MULTIPLE, "options": [{"id": "a", "text": "A", "credit": 0.5},
                                  {"id": "b", "text": "B"}], "key": ["b"]},
         "'credit' is for single-answer choices only"),
        ({**SINGLE, "options": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}]},
         "option id 'a' is used twice"),
        ({**SINGLE, "options": [{"id": "a", "text": "A", "credit": 1}, {"id": "b", "text": "B"}]},
         "credit' must be a number from 0 up to"),
        ({**RATING, "key": 9}, "'key' must be a whole number from 1 to 5"),
        ({**RATING, "tolerance": 7}, "'tolerance' must be a whole number from 0 to 3"),
        ({**RANK, "key": ["a", "b", "c"]}, "'key' must list every option id exactly once"),
        ({**RANK, "options": RANK["options"][:2], "key": ["a", "b"]}, "list of 3 to 5 options"),
        ({**SPOT, "key": ["s1", "s2", "s3", "s4"]}, "leave at least one that does not interrupt"),
        ({**SPOT, "scenario": {**SPOT["scenario"], "message": "m"}}, "remove the scenario's"),
        ({**REWRITE, "min_score": 101}, "'min_score' must be a whole number from 0 to 100"),
        ({k: v for k, v in VERDICT.items() if k != "scenario"}, "missing field 'scenario'"),
        ({**VERDICT, "scenario": {"channel": "fax", "sender": "a", "recipient": "b",
                                  "message": "m"}}, "'channel' must be one of"),
        ({**VERDICT, "scenario": {**VERDICT["scenario"], "message": ""}},
         "needs a non-empty 'message'"),
        ({**VERDICT, "tolerance": 1}, "unknown field 'tolerance' for a verdict question"),
    ],
)
def test_bad_content_blocks(question, message):
    problems = [text for _, text in check_question(question, "question 3")]
    assert any(message in text and text.endswith("in question 3") for text in problems), problems


@pytest.mark.parametrize(
    ("question", "form", "expected"),
    [
        (VERDICT, {"answer": ["attraction"]}, "attraction"), (VERDICT, {}, None),
        (SINGLE, {"answer": ["b"]}, "b"), (MULTIPLE, {"answer": ["c", "a"]}, ["a", "c"]),
        (MULTIPLE, {}, None), (RATING, {"answer": ["3"]}, 3),
        (RANK, {"rank-a": ["2"], "rank-b": ["4"], "rank-c": ["1"], "rank-d": ["3"]},
         ["c", "a", "d", "b"]),
        (RANK, {"rank-a": [""], "rank-b": [""], "rank-c": [""], "rank-d": [""]}, None),
        (SPOT, {"answer": ["s3", "s2"]}, ["s2", "s3"]),
        (REWRITE, {"answer": ["  Hi Sam  "]}, "Hi Sam"),
    ],
)
def test_answers_from_html_forms(question, form, expected):
    assert answer_from_form(question, form) == expected


@pytest.mark.parametrize(
    ("form", "message"),
    [({"rank-a": ["1"], "rank-b": ["1"], "rank-c": ["2"], "rank-d": ["3"]}, "different place"),
     ({"rank-a": ["1"], "rank-b": [""], "rank-c": ["2"], "rank-d": ["3"]}, "every reply a place"),
     ({"rank-a": ["x"], "rank-b": ["2"], "rank-c": ["3"], "rank-d": ["4"]}, "every reply a place")],
)
def test_bad_rank_forms(form, message):
    with pytest.raises(AnswerError, match=message):
        answer_from_form(RANK, form)
