"""``spot``: mark the phrases of a message that interrupt; graded as F1 against the key."""

from __future__ import annotations

from collections.abc import Mapping

from ..base import AnswerError, Checks, Grade, as_id_list, ids, public_items


class Spot:
    name = "spot"
    fields = frozenset({"scenario", "segments", "key"})
    # A spot question's segments are the message itself, in reading order:
    # shuffling them would scramble the text, and its key is a set, not a place.
    shuffles = None

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("forbidden")
        segments = checks.items("segments", 2, 12, "segments")
        if checks.require("key") and segments:
            key = question["key"]
            if not isinstance(key, list) or not key or len(set(map(str, key))) != len(key) \
                    or not set(map(str, key)) <= set(ids(segments)):
                checks.add("'key' must be a list of distinct segment ids", "key")
            elif len(key) == len(segments):
                checks.add("'key' marks every segment; leave at least one that does not "
                           "interrupt", "key")

    def public(self, question: Mapping) -> dict:
        return {"segments": public_items(question["segments"])}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        return list(form.get("answer") or [])

    def normalise(self, question: Mapping, answer: object) -> list[str]:
        marked = as_id_list(answer, "the marked phrases")
        segment_ids = ids(question["segments"])
        unknown = [m for m in marked if m not in segment_ids]
        if unknown:
            raise AnswerError(f"Unknown segment '{unknown[0]}'.")
        return sorted(marked, key=segment_ids.index)

    def grade(self, question: Mapping, answer: list[str]) -> Grade:
        key = {str(k) for k in question["key"]}
        hits = sum(mark in key for mark in answer)
        extra = len(answer) - hits
        if hits == 0:
            fraction = 0.0
        else:
            precision, recall = hits / len(answer), hits / len(key)
            fraction = 2 * precision * recall / (precision + recall)
        feedback = f"You marked {hits} of the {len(key)} interrupting phrases"
        feedback += f", and {extra} that do{'es' * (extra == 1)} not interrupt." if extra else "."
        return Grade(fraction, feedback)

    def key(self, question: Mapping) -> list[str]:
        return [str(k) for k in question["key"]]


TYPE = Spot()
