"""The loader applies the rules scoring declares: grading policies and common fields."""

import re

import pytest

from attract.content import ContentError, load_library
from attract.scoring import COMMON_FIELDS, GRADING_POLICIES
from tests.helpers import QUIZ


def _quiz(tree):
    return (tree.root / "quizzes" / "check.yaml").read_text()


@pytest.mark.parametrize("policy", GRADING_POLICIES)
def test_every_grading_policy_loads(tree, policy):
    tree.write("quizzes/check.yaml", _quiz(tree).replace("grading: best", f"grading: {policy}"))
    assert load_library(tree.root).quizzes["check"].grading == policy


@pytest.mark.parametrize("field", [k for k, required in COMMON_FIELDS.items() if required])
def test_a_missing_required_common_field_is_reported(tree, field):
    quiz = _quiz(tree)
    if field == "id":  # the first field of the question's list entry
        quiz = quiz.replace("  - id: q1\n    ", "  - ")
    else:
        quiz = re.sub(rf"(?m)^    {field}: .*\n", "", quiz)
    tree.write("quizzes/check.yaml", quiz)
    with pytest.raises(ContentError) as info:
        load_library(tree.root)
    assert f"missing field '{field}' in question 1" in str(info.value)


def test_lesson_is_optional(tree):
    assert "lesson:" not in _quiz(tree)
    assert load_library(tree.root).quizzes["check"].questions[0]["id"] == "q1"


def test_a_quiz_whose_keys_sit_in_one_place_is_warned_about_not_refused(tree):
    choice = """\
  - id: c{n}
    type: choice
    prompt: "Pick {n}"
    points: 1
    explanation: "Because."
    options: [{{id: a, text: A}}, {{id: b, text: B}}, {{id: c, text: C}}]
    key: {key}
"""
    quiz = QUIZ + "".join(choice.format(n=n, key=key) for n, key in enumerate("bbbc"))
    tree.write("quizzes/check.yaml", quiz)
    library = load_library(tree.root)  # valid: it loads
    assert [str(w) for w in library.warnings] == [
        "content/quizzes/check.yaml:1: warning: 3 of 4 single-choice keys are option 2 in "
        "the file; vary where the right answer stands"]
    tree.write("quizzes/check.yaml", QUIZ + "".join(
        choice.format(n=n, key=key) for n, key in enumerate("abcb")))
    assert load_library(tree.root).warnings == ()
