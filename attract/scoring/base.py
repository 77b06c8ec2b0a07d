"""What every question type shares: the grade, the errors, field checks, and the
``QuestionType`` protocol each type implements.

Pure Python: no Flask, no SQLAlchemy. Questions arrive as plain mappings (from the
content loader, which may attach line numbers through a ``line_of(key)`` method).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..coach.channels import ALIASES, CHANNELS

# The fields every question has, whatever its type: field -> required. The content
# loader checks the required ones; ``Checks.allowed`` accepts them all beside the type's.
COMMON_FIELDS: dict[str, bool] = {"id": True, "type": True, "prompt": True, "points": True,
                                  "explanation": True, "lesson": False}

# Of the coach's other spellings, the one quiz files have always been allowed (for x).
_SCENARIO_ALIASES = ("twitter",)


def _scenario_channels() -> tuple[str, ...]:
    """Every coach channel, each followed by the scenario aliases that mean it."""
    spellings: list[str] = []
    for name in CHANNELS:
        spellings.append(name)
        spellings.extend(alias for alias in _SCENARIO_ALIASES if ALIASES[alias] == name)
    return tuple(spellings)


# What a scenario's 'channel' may be, in the order the error message lists them.
SCENARIO_CHANNELS = _scenario_channels()


@dataclass(frozen=True)
class Grade:
    """A graded answer: ``fraction`` of the points in [0, 1], or None while ``pending``."""

    fraction: float | None
    feedback: str
    pending: bool = False

    def points(self, possible: float) -> float:
        return 0.0 if self.fraction is None else possible * self.fraction


NO_ANSWER = Grade(0.0, "No answer was given.")


class AnswerError(ValueError):
    """An answer of the wrong shape for its question; the message says what is expected."""


class Checks:
    """Collects ``(line, message)`` problems about one question's content block."""

    def __init__(self, question: Mapping, label: str):
        self.question = question
        self.label = label
        self.problems: list[tuple[int, str]] = []

    def line(self, key: object = None, within: object = None) -> int:
        holder = self.question if within is None else within
        line_of = getattr(holder, "line_of", None)
        if line_of is not None and key is not None:
            try:
                return line_of(key)
            except (KeyError, TypeError, IndexError):
                pass
        return getattr(holder, "line", 0) or getattr(self.question, "line", 0) or 1

    def add(self, message: str, key: object = None, within: object = None) -> None:
        self.problems.append((self.line(key, within), f"{message} in {self.label}"))

    def allowed(self, fields: frozenset[str]) -> None:
        """Report every field that is neither common to all questions nor in ``fields``."""
        known_fields = COMMON_FIELDS.keys() | fields
        for key in self.question:
            if key not in known_fields:
                known = ", ".join(sorted(known_fields))
                self.add(f"unknown field '{key}' for a {self.question.get('type')} question "
                         f"(known: {known})", key)

    def require(self, key: str) -> bool:
        if key not in self.question:
            self.add(f"missing field '{key}'")
            return False
        return True

    def flag(self, key: str) -> None:
        """An optional true/false field."""
        if key in self.question and not isinstance(self.question[key], bool):
            self.add(f"'{key}' must be true or false", key)

    def whole(self, key: str, low: int, high: int, default: int | None = None) -> int | None:
        if key not in self.question:
            if default is None:
                self.add(f"missing field '{key}'")
            return default
        value = self.question[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(f"'{key}' must be a whole number from {low} to {high}", key)
            return None
        return value

    def items(self, key: str, low: int, high: int, what: str) -> list[Mapping]:
        """A list of ``{id, text, ...}`` mappings with unique ids; [] when invalid."""
        if not self.require(key):
            return []
        value = self.question[key]
        if not isinstance(value, list) or not low <= len(value) <= high:
            self.add(f"'{key}' must be a list of {low} to {high} {what}", key)
            return []
        seen, good = set(), True
        for index, item in enumerate(value):
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str | int) \
                    or not isinstance(item.get("text"), str) or not item["text"].strip():
                self.add(f"each of '{key}' needs an 'id' and a non-empty 'text'", index, value)
                good = False
            elif str(item["id"]) in seen:
                self.add(f"{what[:-1]} id '{item['id']}' is used twice", index, value)
                good = False
            else:
                seen.add(str(item["id"]))
        return list(value) if good else []

    def scenario(self, message: str = "required") -> None:
        """``message``: 'required', 'forbidden' (spot: the segments are the message), 'optional'."""
        if "scenario" not in self.question:
            if message == "required":
                self.add("missing field 'scenario' (channel, sender, recipient, message)")
            return
        scenario = self.question["scenario"]
        if not isinstance(scenario, Mapping):
            self.add("'scenario' must be a mapping of channel, sender, recipient, message",
                     "scenario")
            return
        fields = {"channel", "sender", "recipient", "message"}
        for key in scenario:
            if key not in fields:
                self.add(f"unknown field '{key}' in the scenario", key, scenario)
        if scenario.get("channel") not in SCENARIO_CHANNELS:
            self.add(f"the scenario's 'channel' must be one of {', '.join(SCENARIO_CHANNELS)}",
                     "channel", scenario)
        for key in ("sender", "recipient"):
            if not isinstance(scenario.get(key), str) or not scenario[key].strip():
                self.add(f"the scenario needs a '{key}'", key, scenario)
        has_message = isinstance(scenario.get("message"), str) and scenario["message"].strip()
        if message == "forbidden" and "message" in scenario:
            self.add("a spot question's message is its 'segments'; remove the scenario's "
                     "'message'", "message", scenario)
        elif message != "forbidden" and not has_message and (message == "required"
                                                              or "message" in scenario):
            self.add("the scenario needs a non-empty 'message'", "message", scenario)


@runtime_checkable
class QuestionType(Protocol):
    """What a question type provides; each module in ``types/`` exposes one as ``TYPE``.

    The README's "Authoring content" table says, per type, which fields a question has
    and how an answer is graded.
    """

    name: str                 # the ``type`` a question names in a quiz file
    fields: frozenset[str]    # the fields this type adds to ``COMMON_FIELDS``
    shuffles: str | None      # the list an attempt shows in an order of its own, or None

    def check(self, question: Mapping, checks: Checks) -> None:
        """Report the content problems of a question of this type through ``checks``."""

    def public(self, question: Mapping) -> dict:
        """What a learner may see besides the common fields: never the key."""

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]) -> Any:
        """The raw answer a plain HTML form sent (``{name: [values]}``), empty or None when
        there is none; ``AnswerError`` when the form cannot be read as an answer."""

    def normalise(self, question: Mapping, answer: object) -> Any:
        """The answer in canonical form; ``AnswerError`` when it has the wrong shape."""

    def grade(self, question: Mapping, answer: Any) -> Grade:
        """Grade a normalised answer: a fraction in [0, 1] (None while pending)."""

    def key(self, question: Mapping) -> Any:
        """The answer key shown after answering (a rewrite's is its sample, or None)."""


def ids(items: list[Mapping]) -> list[str]:
    return [str(item["id"]) for item in items]


def as_id(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise AnswerError(f"Send {what} as a string id.")
    return str(value)


def as_id_list(value: object, what: str) -> list[str]:
    """A list of ids, in order, without repeats; a lone id is taken as a list of one."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list | tuple):
        raise AnswerError(f"Send {what} as a list of ids.")
    result = []
    for item in value:
        item = as_id(item, what)
        if item in result:
            raise AnswerError(f"'{item}' appears twice in {what}.")
        result.append(item)
    return result


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == ()


def form_value(form: Mapping[str, list[str]], name: str = "answer") -> str | None:
    """The one value of a form field (HTML forms send lists), or None when absent."""
    values = form.get(name) or []
    return values[0] if values else None


def public_items(items: list[Mapping]) -> list[dict]:
    """Options or segments as the learner sees them: id and text only (no credit)."""
    return [{"id": str(item["id"]), "text": str(item["text"])} for item in items]
