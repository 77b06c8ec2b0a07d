"""The coach keeps no state between calls, so threads analysing at once cannot race."""

import ast
import copy
import re
import sys
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import attract.coach
from attract.coach import analyse
from attract.coach.evaluate import load
from attract.coach.highlight import segments
from attract.coach.patterns import Family

DATA = Path(__file__).resolve().parent.parent / "data"
COACH = Path(attract.coach.__file__).resolve().parent


def drafts() -> list[tuple]:
    examples = load(DATA / "coach_labelled.jsonl") + load(DATA / "coach_holdout.jsonl")
    found = [(e["text"], e.get("recipient"), e.get("channel")) for e in examples]
    # Different lengths lowered (İ) take the other path through every family.
    return found + [("İ" + text, recipient, channel) for text, recipient, channel in found[:40]]


def result(draft: tuple) -> tuple:
    analysis = analyse(*draft)
    return analysis.to_dict(), segments(draft[0], analysis)


def modules():
    return [module for name, module in sorted(sys.modules.items())
            if name == "attract.coach" or name.startswith("attract.coach.")]


def state(value):
    """A comparable picture of a module-level value, down through containers and the
    families' own attributes (compiled patterns are immutable, so they stand for
    themselves; functions and classes by identity)."""
    if isinstance(value, Family):
        return ("Family", state({name: getattr(value, name) for name in value.__slots__}))
    if isinstance(value, Mapping):
        return ("mapping", tuple((state(k), state(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(state(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value).__name__, frozenset(state(v) for v in value))
    if isinstance(value, re.Pattern | str | int | float | bool | type(None)):
        return value
    return ("object", type(value).__qualname__, id(value))


def snapshot() -> dict:
    return {module.__name__: {name: state(value) for name, value in vars(module).items()
                              if not name.startswith("__")} for module in modules()}


def test_analysing_changes_no_module_level_state():
    before = copy.deepcopy(snapshot())
    for draft in drafts()[:60]:
        result(draft)
    assert snapshot() == before


def test_no_global_statements_in_the_coach():
    for path in sorted(COACH.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders = [node.lineno for node in ast.walk(tree)
                     if isinstance(node, ast.Global | ast.Nonlocal)]
        assert not offenders, f"{path.name}: global/nonlocal at lines {offenders}"


@pytest.fixture
def switch_often():
    """Make the interpreter switch threads every few bytecodes, so races show up."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_threads_analysing_at_once_agree_with_one_at_a_time(switch_often):
    work = drafts()
    expected = [result(draft) for draft in work]
    start = threading.Barrier(8, timeout=30)

    def run(offset: int) -> list:
        start.wait()  # all at once
        order = work[offset:] + work[:offset]  # each thread a different text at a time
        return [result(draft) for draft in order]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(run, [k * len(work) // 8 for k in range(8)]))
    for k, answer in enumerate(answers):
        offset = k * len(work) // 8
        assert answer == expected[offset:] + expected[:offset], f"thread {k} disagrees"
