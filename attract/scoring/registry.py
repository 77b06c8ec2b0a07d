"""The question-type registry: ``QUESTION_TYPES["rating"]``, and what is done through it.

Adding a type means adding a module in ``types/`` and a line here (and a template
partial for the web form).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .base import NO_ANSWER, AnswerError, Checks, Grade, QuestionType, ids, is_empty
from .types import choice, rank, rating, rewrite, spot, verdict

QUESTION_TYPES: dict[str, QuestionType] = {
    t.TYPE.name: t.TYPE for t in (verdict, choice, rating, rank, spot, rewrite)
}


def get_type(name: object) -> QuestionType:
    """The type called ``name``; ``KeyError`` naming the known types otherwise."""
    try:
        return QUESTION_TYPES[name]
    except (KeyError, TypeError):
        raise KeyError(f"unknown question type {name!r}; known types: "
                       f"{', '.join(QUESTION_TYPES)}") from None


def check_question(question: Mapping, label: str) -> list[tuple[int, str]]:
    """Type-specific content problems as ``(line, message)``; [] for an unknown type."""
    qtype = QUESTION_TYPES.get(question.get("type"))
    if qtype is None:
        return []
    checks = Checks(question, label)
    checks.allowed(qtype.fields)
    qtype.check(question, checks)
    return checks.problems


def public_question(question: Mapping, order: Sequence[str] | None = None) -> dict:
    """The question as a learner may see it before answering: never the key or explanation.

    ``order`` is the attempt's order of the options (``draw_option_order``); options it
    does not name (added to the file since) follow in the file's order.
    """
    public = {"id": str(question["id"]), "type": question["type"],
              "prompt": question["prompt"], "points": question["points"]}
    if "scenario" in question:
        public["scenario"] = {k: question["scenario"][k]
                              for k in ("channel", "sender", "recipient", "message")
                              if k in question["scenario"]}
    qtype = get_type(question["type"])
    public.update(qtype.public(question))
    if order and qtype.shuffles in public:
        place = {option_id: index for index, option_id in enumerate(order)}
        public[qtype.shuffles] = sorted(public[qtype.shuffles],
                                        key=lambda item: place.get(item["id"], len(place)))
    return public


def draw_option_order(question: Mapping, rng: random.Random) -> list[str] | None:
    """An order of the question's options for one attempt, or None to keep the file's.

    Types that shuffle (``choice``, ``rank``) do unless the question says
    ``shuffle: false``. A key that orders every option (a ranking) is never the order
    shown, so leaving the options as they stand can never be the full answer.
    """
    qtype = get_type(question["type"])
    if qtype.shuffles is None or question.get("shuffle", True) is False:
        return None
    order = ids(question[qtype.shuffles])
    key = question.get("key")
    key = [str(k) for k in key] if isinstance(key, list) else None
    for _ in range(20):  # at 3 options, 1 draw in 6 is the key; 20 misses are ~1e-16
        rng.shuffle(order)
        if order != key:
            break
    return order


def normalise_answer(question: Mapping, answer: object):
    """The answer in canonical form, or None for no answer; ``AnswerError`` if malformed."""
    if is_empty(answer):
        return None
    try:
        return get_type(question["type"]).normalise(question, answer)
    except AnswerError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        # A shape no rule foresaw is still the client's mistake, not a server error.
        raise AnswerError(f"This answer does not fit a {question['type']} question.") from exc


def grade_answer(question: Mapping, answer: object) -> Grade:
    """Grade a raw answer; no answer grades 0; ``AnswerError`` if malformed."""
    normalised = normalise_answer(question, answer)
    if normalised is None:
        return NO_ANSWER
    # No clamping here: each type guarantees [0, 1] itself, and the property tests hold it
    # to that (a clamp would hide a type's arithmetic mistake).
    return get_type(question["type"]).grade(question, normalised)


def answer_from_form(question: Mapping, form: Mapping[str, list[str]]):
    """The answer a plain HTML form sent (``{name: [values]}``); ``AnswerError`` if malformed."""
    return normalise_answer(question, get_type(question["type"]).from_form(question, form))


def answer_key(question: Mapping):
    return get_type(question["type"]).key(question)

