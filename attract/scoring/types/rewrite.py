"""``rewrite``: rewrite a message in your own words; the coach's score against ``min_score``.

Until the message coach lands (its own issue), a rewrite is stored and reported as
awaiting grading: never a made-up score. ``registry.set_rewrite_grader`` plugs it in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..base import MAX_TEXT_ANSWER, AnswerError, Checks, Grade, form_value

# (text, question) -> Grade; None until the coach provides one.
RewriteGrader = Callable[[str, Mapping], Grade]


class Rewrite:
    name = "rewrite"
    fields = frozenset({"scenario", "min_score", "sample"})

    def __init__(self):
        self.grader: RewriteGrader | None = None

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("required")
        checks.whole("min_score", 0, 100)
        sample = question.get("sample")
        if "sample" in question and (not isinstance(sample, str) or not sample.strip()):
            checks.add("'sample' must be non-empty text", "sample")

    def public(self, question: Mapping) -> dict:
        return {"max_length": MAX_TEXT_ANSWER}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        return form_value(form)

    def normalise(self, question: Mapping, answer: object) -> str:
        if not isinstance(answer, str):
            raise AnswerError("Send the rewrite as text.")
        text = answer.strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise AnswerError(f"A rewrite is at most {MAX_TEXT_ANSWER} characters.")
        return text

    def grade(self, question: Mapping, answer: str) -> Grade:
        if self.grader is None:
            return Grade(None, "Awaiting grading: the message coach will score this rewrite.",
                         pending=True)
        return self.grader(answer, question)

    def key(self, question: Mapping) -> str | None:
        return question.get("sample")


TYPE = Rewrite()
