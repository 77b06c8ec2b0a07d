"""Points, ranks and answer distributions for a live room: plain data in, plain data out.

Points are the server's, from the server's clock. A question worth ``points`` in its
quiz file is worth ``points x 1000`` live, so that speed makes a visible difference:

- ``speed`` (DESIGN.md's live-quiz rule): ``round(P x fraction x (1 - t / (2 x limit)))``
  with ``t`` the seconds from opening to the answer, capped at the limit: a right answer
  at the last moment still earns half.
- ``accuracy``: ``round(P x fraction)``; the clock does not matter.
- ``confidence`` (Gardner-Medwin's certainty-based marking): a right answer earns 1, 2 or
  3 and a wrong one 0, -2 or -6 at low, medium and high confidence, scaled so that a
  confident right answer earns ``P``. A part-right answer (a rank with one pair
  swapped) is weighed between the two: ``P x (f x right + (1 - f) x wrong) / 3``.
  Being confidently wrong costs most, which is the point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

LIVE_POINTS = 1000
CONFIDENCE_MARKS = {"low": (1, 0), "medium": (2, -2), "high": (3, -6)}
CONFIDENCE_LEVELS = tuple(CONFIDENCE_MARKS)
SCORE_BANDS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


def points(scoring: str, question_points: float, fraction: float, *,
           elapsed: float = 0.0, time_limit: float | None = None,
           confidence: str | None = None) -> int:
    """The live points for one graded answer."""
    possible = LIVE_POINTS * question_points
    fraction = min(1.0, max(0.0, fraction))
    if scoring == "confidence":
        right, wrong = CONFIDENCE_MARKS[confidence or "low"]
        return round(possible * (fraction * right + (1 - fraction) * wrong) / 3)
    if scoring == "speed" and time_limit:
        t = min(max(elapsed, 0.0), time_limit)
        return round(possible * fraction * (1 - t / (2 * time_limit)))
    return round(possible * fraction)


def correct(fraction: float) -> bool:
    """Right, for the phone's "right or wrong" and the reveal's count: full credit."""
    return fraction >= 0.999


@dataclass(frozen=True)
class Standing:
    rank: int
    participant_id: int
    nickname: str
    points: int


def ranked(totals: Iterable[tuple[int, str, int]]) -> list[Standing]:
    """Standings from ``(participant_id, nickname, points)``: most points first; equal
    points share a rank (1, 2, 2, 4), listed by nickname."""
    ordered = sorted(totals, key=lambda row: (-row[2], row[1].casefold(), row[0]))
    standings, rank, last = [], 0, None
    for place, (pid, nickname, total) in enumerate(ordered, start=1):
        if total != last:
            rank, last = place, total
        standings.append(Standing(rank, pid, nickname, total))
    return standings


def band(score: int) -> str:
    for low, high in SCORE_BANDS:
        if low <= score <= high:
            return f"{low}-{high}"
    return f"{SCORE_BANDS[0][0]}-{SCORE_BANDS[0][1]}"


def labels(question: Mapping) -> list[str]:
    """The bars of a question's distribution, from its public form, in display order."""
    kind = question["type"]
    if kind == "verdict":
        return ["attraction", "interruption"]
    if kind in ("choice", "rank"):
        return [str(option["id"]) for option in question.get("options", [])]
    if kind == "spot":
        return [str(segment["id"]) for segment in question.get("segments", [])]
    if kind == "rating":
        scale = question.get("scale") or {"min": 1, "max": 5}
        return [str(v) for v in range(int(scale["min"]), int(scale["max"]) + 1)]
    if kind == "rewrite":
        return [f"{low}-{high}" for low, high in SCORE_BANDS]
    return []


def distribution(question: Mapping, answers: Sequence[object],
                 scores: Sequence[int | None] = ()) -> dict[str, int]:
    """How the room answered: picks per option (verdict, choice), votes per rating,
    first places per option (rank), marks per segment (spot), coach-score bands
    (rewrite, from ``scores``)."""
    counts = dict.fromkeys(labels(question), 0)
    kind = question["type"]

    def count(label: object) -> None:
        label = str(label)
        if label in counts:
            counts[label] += 1

    if kind == "rewrite":
        for score in scores:
            if score is not None:
                count(band(score))
        return counts
    for answer in answers:
        if answer is None:
            continue
        if kind == "rank":
            if isinstance(answer, list) and answer:
                count(answer[0])
        elif isinstance(answer, list):
            for item in answer:
                count(item)
        else:
            count(answer)
    return counts
