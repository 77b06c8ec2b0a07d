"""``choice``: pick one option (its credit) or several (+1/k right, -1/k wrong, floor 0)."""

from __future__ import annotations

from collections.abc import Mapping

from ..base import AnswerError, Checks, Grade, as_id, as_id_list, form_value, ids, public_items


def _credit(option: Mapping) -> float:
    return float(option.get("credit", 0))


class Choice:
    name = "choice"
    fields = frozenset({"scenario", "options", "multiple", "key", "shuffle"})
    shuffles = "options"

    def check(self, question: Mapping, checks: Checks) -> None:
        checks.scenario("optional")
        checks.flag("shuffle")
        options = checks.items("options", 2, 8, "options")
        multiple = question.get("multiple", False)
        if not isinstance(multiple, bool):
            checks.add("'multiple' must be true or false", "multiple")
            return
        option_ids = ids(options)
        for index, option in enumerate(options):
            if "credit" not in option:
                continue
            credit = option["credit"]
            if multiple:
                checks.add("'credit' is for single-answer choices only", index,
                           question["options"])
            elif isinstance(credit, bool) or not isinstance(credit, int | float) \
                    or not 0 <= credit < 1:
                checks.add("an option's 'credit' must be a number from 0 up to (not "
                           "including) 1; the key earns 1", index, question["options"])
        if not checks.require("key") or not options:
            return
        key = question["key"]
        if multiple:
            if not isinstance(key, list) or not key or len(set(map(str, key))) != len(key):
                checks.add("'key' of a multiple choice must be a list of distinct option ids",
                           "key")
            elif not set(map(str, key)) <= set(option_ids):
                checks.add("'key' names an option that does not exist", "key")
            elif len(key) == len(options):
                checks.add("'key' marks every option right; leave at least one wrong", "key")
        elif isinstance(key, list) or str(key) not in option_ids:
            checks.add("'key' of a single choice must be one option id", "key")

    def public(self, question: Mapping) -> dict:
        return {"multiple": bool(question.get("multiple", False)),
                "options": public_items(question["options"])}

    def from_form(self, question: Mapping, form: Mapping[str, list[str]]):
        if question.get("multiple", False):
            return list(form.get("answer") or [])
        return form_value(form)

    def normalise(self, question: Mapping, answer: object):
        option_ids = ids(question["options"])
        if question.get("multiple", False):
            picks = as_id_list(answer, "the chosen options")
            unknown = [p for p in picks if p not in option_ids]
            if unknown:
                raise AnswerError(f"Unknown option '{unknown[0]}'; choose from "
                                  f"{', '.join(option_ids)}.")
            return sorted(picks, key=option_ids.index)
        pick = as_id(answer, "the chosen option")
        if pick not in option_ids:
            raise AnswerError(f"Unknown option '{pick}'; choose one of {', '.join(option_ids)}.")
        return pick

    def grade(self, question: Mapping, answer) -> Grade:
        if question.get("multiple", False):
            key = {str(k) for k in question["key"]}
            right = sum(pick in key for pick in answer)
            wrong = len(answer) - right
            fraction = max(0.0, (right - wrong) / len(key))
            return Grade(fraction, f"You picked {right} of the {len(key)} right answers"
                                   + (f" and {wrong} wrong one{'s' * (wrong != 1)}." if wrong
                                      else "."))
        if answer == str(question["key"]):
            return Grade(1.0, "Right.")
        option = next(o for o in question["options"] if str(o["id"]) == answer)
        credit = _credit(option)
        if credit > 0:
            return Grade(credit, "Partly right: there is a better answer.")
        return Grade(0.0, "Not this one.")

    def key(self, question: Mapping):
        if question.get("multiple", False):
            return [str(k) for k in question["key"]]
        return str(question["key"])


TYPE = Choice()
