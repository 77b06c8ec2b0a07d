"""``verdict``: judge a message as attraction or interruption. Right 1, wrong 0."""

from __future__ import annotations

from collections.abc import Mapping

from ..base import AnswerError, Checks, Grade, form_value

VERDICTS = ("attraction", "interruption")


class Verdict:
    name = "verdict"
    fields = frozenset({"scenario", "key"})
    shuffles = None

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("required")
        if checks.require("key") and question["key"] not in VERDICTS:
            checks.add("'key' must be 'attraction' or 'interruption'", "key")

    def public(self, question: Mapping) -> dict:
        return {"choices": list(VERDICTS)}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        return form_value(form)

    def normalise(self, question: Mapping, answer: object) -> str:
        if not isinstance(answer, str) or answer.strip().lower() not in VERDICTS:
            raise AnswerError("Answer 'attraction' or 'interruption'.")
        return answer.strip().lower()

    def grade(self, question: Mapping, answer: str) -> Grade:
        key = question["key"]
        if answer == key:
            return Grade(1.0, f"Right: this message is {key}.")
        return Grade(0.0, f"Not quite: this message is {key}, not {answer}.")

    def key(self, question: Mapping) -> str:
        return question["key"]


TYPE = Verdict()
