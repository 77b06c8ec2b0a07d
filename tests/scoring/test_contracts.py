"""Facts scoring shares with the coach and the content loader, declared once."""

import pytest

from attract.coach import MAX_TEXT, analyse
from attract.scoring import COMMON_FIELDS, QUESTION_TYPES, QuestionType, check_question
from attract.scoring.base import SCENARIO_CHANNELS

from .questions import REWRITE, VERDICT

TODAYS_CHANNELS = ("linkedin", "linkedin-invite", "x", "twitter", "facebook", "email", "other")


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
def test_every_type_is_a_question_type(name):
    qtype = QUESTION_TYPES[name]
    assert isinstance(qtype, QuestionType)
    assert qtype.name == name
    assert not qtype.fields & COMMON_FIELDS.keys(), "a type's fields add to the common ones"


def test_common_fields_say_which_are_required():
    assert [k for k, required in COMMON_FIELDS.items() if required] == [
        "id", "type", "prompt", "points", "explanation"]
    assert COMMON_FIELDS["lesson"] is False


def test_every_common_field_is_allowed_for_every_type():
    question = {**VERDICT, "lesson": "some-lesson"}
    assert check_question(question, "question 1") == []


def _with_channel(channel):
    return {**VERDICT, "scenario": {**VERDICT["scenario"], "channel": channel}}


@pytest.mark.parametrize("channel", TODAYS_CHANNELS)
def test_scenario_accepts_the_coach_channels_and_twitter(channel):
    assert check_question(_with_channel(channel), "question 1") == []
    analyse("Hi Sam, what did you think of the talk?", "Sam", channel)  # the coach agrees


@pytest.mark.parametrize("channel", ["linkedin_invite", "invite", "X", "fax", None, ["x"]])
def test_scenario_refuses_other_spellings(channel):
    problems = check_question(_with_channel(channel), "question 1")
    assert [message for _, message in problems] == [
        "the scenario's 'channel' must be one of linkedin, linkedin-invite, x, twitter, "
        "facebook, email, other in question 1"]


def test_scenario_channels_keep_their_order():
    assert SCENARIO_CHANNELS == TODAYS_CHANNELS


def test_rewrite_length_is_the_coach_limit():
    assert QUESTION_TYPES["rewrite"].public(REWRITE) == {"max_length": MAX_TEXT}
    assert MAX_TEXT == 5000


@pytest.mark.parametrize("answer", ["\u00b2", "\u0663", "9" * 5000, " ", "3.5"])
def test_a_rating_that_is_not_a_plain_whole_number_is_an_answer_error(answer):
    from attract.scoring import AnswerError
    from attract.scoring.registry import normalise_answer

    from .questions import RATING

    with pytest.raises(AnswerError):
        normalise_answer(RATING, answer)
    assert normalise_answer(RATING, " 3 ") == 3
