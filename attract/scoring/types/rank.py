"""``rank``: order 3-5 replies best to worst; graded as the share of pairs in the right order."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from ...numbers import small_int
from ..base import AnswerError, Checks, Grade, as_id_list, form_value, ids, public_items


class Rank:
    name = "rank"
    fields = frozenset({"scenario", "options", "key", "shuffle"})
    shuffles = "options"

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("optional")
        checks.flag("shuffle")
        options = checks.items("options", 3, 5, "options")
        if checks.require("key") and options:
            key = question["key"]
            if not isinstance(key, list) or sorted(map(str, key)) != sorted(ids(options)):
                checks.add("'key' must list every option id exactly once, best first", "key")

    def public(self, question: Mapping) -> dict:
        return {"options": public_items(question["options"])}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        """Without JavaScript, each option has a "place" select named ``rank-<id>``."""
        option_ids = ids(question["options"])
        places = {oid: (form_value(form, f"rank-{oid}") or "").strip() for oid in option_ids}
        if not any(places.values()):
            return None
        if not all(small_int(place, 2) is not None for place in places.values()):
            raise AnswerError("Give every reply a place, from 1 (best) to "
                              f"{len(option_ids)} (worst).")
        numbers = {oid: small_int(place, 2) for oid, place in places.items()}
        if len(set(numbers.values())) != len(numbers):
            raise AnswerError("Give each reply a different place.")
        return sorted(option_ids, key=numbers.__getitem__)

    def normalise(self, question: Mapping, answer: object) -> list[str]:
        order = as_id_list(answer, "the ranking")
        if sorted(order) != sorted(ids(question["options"])):
            raise AnswerError("Rank every option exactly once, best first: "
                              f"{', '.join(ids(question['options']))}.")
        return order

    def grade(self, question: Mapping, answer: list[str]) -> Grade:
        position = {option: index for index, option in enumerate(answer)}
        pairs = list(combinations([str(k) for k in question["key"]], 2))
        agreed = sum(position[better] < position[worse] for better, worse in pairs)
        fraction = agreed / len(pairs)
        if agreed == len(pairs):
            return Grade(1.0, "Right: every reply is in the right place.")
        return Grade(fraction, f"{agreed} of {len(pairs)} pairs are in the right order.")

    def key(self, question: Mapping) -> list[str]:
        return [str(k) for k in question["key"]]


TYPE = Rank()
