"""Properties of every grader, checked with hypothesis over generated questions and answers."""

from hypothesis import given, settings
from hypothesis import strategies as st

from attract.scoring import AnswerError, grade_answer

from .questions import GRADED, MULTIPLE, RANK, RATING, SINGLE, SPOT, VERDICT

settings.register_profile("attract", max_examples=150, deadline=None)
settings.load_profile("attract")

ids = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@st.composite
def choice_questions(draw):
    n = draw(st.integers(2, 8))
    option_ids = [f"o{i}" for i in range(n)]
    multiple = draw(st.booleans())
    options = [{"id": o, "text": o} for o in option_ids]
    if multiple:
        key = draw(st.lists(st.sampled_from(option_ids), min_size=1, max_size=n - 1,
                            unique=True))
    else:
        key = draw(st.sampled_from(option_ids))
        for option in options:
            if option["id"] != key and draw(st.booleans()):
                option["credit"] = draw(st.floats(0, 0.99))
    return {**MULTIPLE, "multiple": multiple, "options": options, "key": key}


@st.composite
def rank_questions(draw):
    option_ids = [f"o{i}" for i in range(draw(st.integers(3, 5)))]
    return {**RANK, "options": [{"id": o, "text": o} for o in option_ids],
            "key": draw(st.permutations(option_ids))}


@st.composite
def spot_questions(draw):
    segment_ids = [f"s{i}" for i in range(draw(st.integers(2, 12)))]
    key = draw(st.lists(st.sampled_from(segment_ids), min_size=1,
                        max_size=len(segment_ids) - 1, unique=True))
    return {**SPOT, "segments": [{"id": s, "text": s} for s in segment_ids], "key": key}


@st.composite
def rating_questions(draw):
    return {**RATING, "key": draw(st.integers(1, 5)), "tolerance": draw(st.integers(0, 3))}


questions = st.one_of(choice_questions(), rank_questions(), spot_questions(),
                      rating_questions(), st.just(VERDICT))


def well_shaped(question):
    """A strategy of answers of the right shape for ``question``."""
    kind = question["type"]
    if kind == "verdict":
        return st.sampled_from(["attraction", "interruption"])
    if kind == "rating":
        return st.integers(1, 5)
    option_ids = [str(o["id"]) for o in question.get("options", question.get("segments", []))]
    if kind == "rank":
        return st.permutations(option_ids)
    if kind == "choice" and not question.get("multiple"):
        return st.sampled_from(option_ids)
    return st.lists(st.sampled_from(option_ids), unique=True)


@given(st.data())
def test_well_shaped_answers_grade_within_0_and_1(data):
    question = data.draw(questions)
    grade = grade_answer(question, data.draw(well_shaped(question)))
    assert 0.0 <= grade.fraction <= 1.0


@given(questions)
def test_the_key_grades_1(question):
    key = question["key"]
    assert grade_answer(question, list(key) if isinstance(key, list) else key).fraction == 1.0


@given(questions, st.sampled_from([None, "", []]))
def test_an_empty_answer_grades_0(question, empty):
    assert grade_answer(question, empty).fraction == 0.0


@given(st.data())
def test_order_of_a_selection_does_not_matter(data):
    question = data.draw(st.one_of(choice_questions().filter(lambda q: q["multiple"]),
                                   spot_questions()))
    picks = data.draw(well_shaped(question))
    shuffled = data.draw(st.permutations(picks))
    assert grade_answer(question, picks) == grade_answer(question, list(shuffled))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(st.sampled_from([*GRADED, SINGLE]), json_values)
def test_no_answer_shape_crashes_the_grader(question, answer):
    try:
        grade = grade_answer(question, answer)
    except AnswerError as error:
        assert str(error)
    else:
        assert grade.fraction is None or 0.0 <= grade.fraction <= 1.0
