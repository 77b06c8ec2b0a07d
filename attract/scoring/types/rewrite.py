"""``rewrite``: rewrite a message in your own words, graded by the message coach.

Credit is for improvement: nothing at or below the coach's score for the original
message (pasting it back earns 0), full credit at the question's ``min_score``, and in
proportion between, so a real improvement short of the bar still counts. The feedback
names the coach's score, verdict and next fix.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ...coach import MAX_TEXT, CoachInputError, analyse
from ..base import AnswerError, Checks, Grade, form_value


@functools.lru_cache(maxsize=256)
def _score(text: str, recipient: str | None, channel: str | None) -> int:
    """Scores of the original messages, which depend only on the content files."""
    try:
        return analyse(text, recipient, channel).score
    except CoachInputError:
        return 0


class Rewrite:
    name = "rewrite"
    fields = frozenset({"scenario", "min_score", "sample"})
    shuffles = None

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("required")
        checks.whole("min_score", 0, 100)
        sample = question.get("sample")
        if "sample" in question and (not isinstance(sample, str) or not sample.strip()):
            checks.add("'sample' must be non-empty text", "sample")

    def public(self, question: Mapping) -> dict:
        return {"max_length": MAX_TEXT}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        return form_value(form)

    def normalise(self, question: Mapping, answer: object) -> str:
        if not isinstance(answer, str):
            raise AnswerError("Send the rewrite as text.")
        text = answer.strip()
        if len(text) > MAX_TEXT:
            raise AnswerError(f"A rewrite is at most {MAX_TEXT} characters.")
        return text

    def grade(self, question: Mapping, answer: str) -> Grade:
        scenario = question.get("scenario") or {}
        try:
            result = analyse(answer, scenario.get("recipient"), scenario.get("channel"))
        except CoachInputError as exc:
            return Grade(0.0, f"The coach could not score this: {exc}")
        bar = question["min_score"]
        start = self._original_score(question)
        if result.score >= bar:
            fraction = 1.0
        elif result.score <= start or bar <= start:
            fraction = 0.0
        else:
            fraction = (result.score - start) / (bar - start)
        feedback = (f"The coach scores your rewrite {result.score}/100 ({result.verdict}); "
                    f"full credit from {bar}.")
        if result.score < bar:
            feedback += f" Next fix: {result.next_fix}"
        return Grade(fraction, feedback)

    @staticmethod
    def _original_score(question: Mapping) -> int:
        """The coach's score for the message the learner is asked to rewrite."""
        scenario = question.get("scenario") or {}
        return _score(scenario.get("message") or "", scenario.get("recipient"),
                      scenario.get("channel"))

    def key(self, question: Mapping) -> str | None:
        return question.get("sample")


TYPE = Rewrite()
