"""The coach's one input check: what every edge (page, API, command line) refuses, and how."""

import pytest

import attract.coach as coach
from attract.coach import (
    CHANNELS,
    MAX_RECIPIENT,
    MAX_TEXT,
    CoachInput,
    CoachInputError,
    analyse,
    check_input,
    normalise_channel,
)
from attract.exceptions import DomainError

UNKNOWN = ("Unknown channel 'fax': use one of linkedin, linkedin-invite, x, facebook, email, "
           "other (or twitter for x).")


@pytest.mark.parametrize(
    ("text", "recipient", "channel", "status", "code", "field", "message"),
    [
        (None, None, None, 400, "missing_text", "text", "empty"),
        ("", None, None, 400, "missing_text", "text", "empty"),
        ("  \n\t ", None, None, 400, "missing_text", "text", "empty"),
        ("\x00\x07\x1b \x7f", None, None, 400, "missing_text", "text", "empty"),
        (42, None, None, 422, "invalid_field", "text", "'text' must be a string"),
        (["hi"], None, None, 422, "invalid_field", "text", "'text' must be a string"),
        (b"hi", None, None, 422, "invalid_field", "text", "'text' must be a string"),
        ("x" * (MAX_TEXT + 1), None, None, 413, "too_large", "text",
         "The coach reads at most 5,000 characters. This draft has 5,001."),
        ("hi", ["a"], None, 422, "invalid_field", "recipient", "at most 100 characters"),
        ("hi", 7, None, 422, "invalid_field", "recipient", "'recipient'"),
        ("hi", "x" * (MAX_RECIPIENT + 1), None, 422, "invalid_field", "recipient",
         "at most 100 characters"),
        ("hi", None, 3, 422, "invalid_field", "channel", "'channel' must be a string"),
        ("hi", None, ["x"], 422, "invalid_field", "channel", "'channel' must be a string"),
        ("hi", None, "fax", 422, "invalid_input", "channel", UNKNOWN),
        ("hi", None, "linked in", 422, "invalid_input", "channel", "Unknown channel"),
        # the first fault wins, in the order the API has always answered in
        (None, ["a"], 3, 400, "missing_text", "text", "empty"),
        (42, ["a"], "fax", 422, "invalid_field", "text", "'text'"),
        ("x" * (MAX_TEXT + 1), ["a"], "fax", 413, "too_large", "text", "5,000"),
        ("hi", ["a"], 3, 422, "invalid_field", "recipient", "'recipient'"),
        ("hi", None, None, None, None, None, None),  # the control case: accepted
    ],
)
def test_check_input_refuses_each_fault(text, recipient, channel, status, code, field,
                                        message):
    if status is None:
        assert check_input(text, recipient, channel) == CoachInput("hi", None, "other")
        return
    with pytest.raises(CoachInputError) as caught:
        check_input(text, recipient, channel)
    error = caught.value
    assert (error.status, error.code, error.field) == (status, code, field)
    assert message in error.message and str(error) == error.message
    # analyse() runs the same check, so it refuses the same way
    with pytest.raises(CoachInputError) as again:
        analyse(text, recipient, channel)
    assert (again.value.status, again.value.code, again.value.field, again.value.message) == (
        status, code, field, error.message)


def test_the_error_is_a_domain_error():
    assert issubclass(CoachInputError, DomainError)
    assert (CoachInputError.status, CoachInputError.code) == (422, "invalid_input")


@pytest.mark.parametrize(
    ("text", "recipient", "channel", "expected"),
    [
        ("hi", None, None, CoachInput("hi", None, "other")),
        ("hi", "", "", CoachInput("hi", None, "other")),
        ("hi", "  Sam Ortiz ", " Twitter ", CoachInput("hi", "Sam Ortiz", "x")),
        ("hi", "   ", "invite", CoachInput("hi", None, "linkedin-invite")),
        ("hi", "Sam", "linkedin_invite", CoachInput("hi", "Sam", "linkedin-invite")),
        ("hi", "Sam", "EMAIL", CoachInput("hi", "Sam", "email")),
        # control characters are blanked, one for one, so spans still index the original
        ("Hi\x00Sam,\x07 hello\r\n\tthere", None, "x",
         CoachInput("Hi Sam,  hello\r\n\tthere", None, "x")),
        ("x" * MAX_TEXT, "y" * MAX_RECIPIENT, "other",
         CoachInput("x" * MAX_TEXT, "y" * MAX_RECIPIENT, "other")),
    ],
)
def test_check_input_makes_input_canonical(text, recipient, channel, expected):
    checked = check_input(text, recipient, channel)
    assert checked == expected and len(checked.text) == len(text)


def test_coach_input_is_frozen():
    checked = check_input("hi")
    with pytest.raises(AttributeError):
        checked.text = "other"  # type: ignore[misc]


def test_channels_come_from_one_list():
    assert list(CHANNELS) == ["linkedin", "linkedin-invite", "x", "facebook", "email", "other"]
    assert CHANNELS["linkedin-invite"].limit == 300
    assert [normalise_channel(v) for v in (None, "", "twitter", " X ", "invite")] == [
        "other", "other", "x", "x", "linkedin-invite"]
    with pytest.raises(CoachInputError) as caught:
        normalise_channel("fax")
    assert (caught.value.message, caught.value.field, caught.value.code) == (
        UNKNOWN, "channel", "invalid_input")


def test_the_public_api_is_explicit():
    assert sorted(coach.__all__) == sorted([
        "analyse", "check_input", "CoachInput", "CoachInputError", "MAX_TEXT",
        "MAX_RECIPIENT", "CHANNELS", "ATTRACTION_THRESHOLD", "Analysis", "Criterion",
        "normalise_channel"])
    assert all(hasattr(coach, name) for name in coach.__all__)
    assert (MAX_TEXT, MAX_RECIPIENT) == (5_000, 100)
