"""``rating``: rate a message 1-5; 1 at the key, falling linearly to 0 at tolerance+1 away."""

from __future__ import annotations

from collections.abc import Mapping

from ...numbers import small_int
from ..base import AnswerError, Checks, Grade, form_value

SCALE = (1, 5)
DEFAULT_TOLERANCE = 1


class Rating:
    name = "rating"
    fields = frozenset({"scenario", "key", "tolerance"})
    shuffles = None

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("required")
        checks.whole("key", *SCALE)
        checks.whole("tolerance", 0, 3, default=DEFAULT_TOLERANCE)

    def public(self, question: Mapping) -> dict:
        return {"scale": {"min": SCALE[0], "max": SCALE[1]}}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        return form_value(form)

    def normalise(self, question: Mapping, answer: object) -> int:
        if isinstance(answer, str) and small_int(answer) is not None:
            answer = small_int(answer)
        if isinstance(answer, float) and answer.is_integer():
            answer = int(answer)
        if isinstance(answer, bool) or not isinstance(answer, int) \
                or not SCALE[0] <= answer <= SCALE[1]:
            raise AnswerError(f"Rate with a whole number from {SCALE[0]} to {SCALE[1]}.")
        return answer

    def grade(self, question: Mapping, answer: int) -> Grade:
        key = question["key"]
        tolerance = question.get("tolerance", DEFAULT_TOLERANCE)
        distance = abs(answer - key)
        fraction = max(0.0, 1 - distance / (tolerance + 1))
        if distance == 0:
            return Grade(1.0, f"Right: {key} out of {SCALE[1]}.")
        steps = f"{distance} step{'s' * (distance != 1)}"
        return Grade(fraction, f"You rated it {answer}; the key is {key} ({steps} away).")

    def key(self, question: Mapping) -> int:
        return question["key"]


TYPE = Rating()
