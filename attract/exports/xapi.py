"""xAPI 1.0.3 statements from answer rows, for a Learning Record Store (LRS).

Pure: rows and quizzes in, statement dicts (or JSON Lines) out, standard library only.

- One ``answered`` statement per row; its object is the question, a ``cmi.interaction``.
  verdict, choice and spot are ``choice`` interactions (spot: a multiple-select over the
  message's segments), rank is ``sequencing`` and rewrite ``long-fill-in``. rating is
  ``likert``, not ``numeric``: the learner picks one of five labelled points, and a numeric
  range such as ``2[:]4`` would call every rating within the tolerance correct, when the
  grade falls off linearly from the key.
- ``success`` is full credit (``fraction >= 0.999``, the live room's "right"), for every
  type: a part-right rank or spot is not a success; its ``score.scaled`` says how close.
- ``score.scaled`` is the grade fraction; ``raw`` the points, between ``min`` and ``max``
  as xAPI requires. Confidence-marked live answers can cost up to twice the question
  (-6/3 x its points), so their ``min`` is that lowest possible score, not 0; a raw that
  still falls outside (bad data) is left out rather than misreported.
- At the end of each self-paced attempt that was submitted: ``completed`` for the quiz (an
  ``assessment``, score in percent), then ``passed`` or ``failed``. For each workshop seat
  whose workshop ended: ``completed`` for the workshop, a ``meeting`` (a live session the
  participant took part in, not a graded assessment: there is no pass mark and its raw
  is live points, which must not be averaged with percent grades); no passed or failed.
- Actors are accounts on the site (``homePage`` = ``site_url``): "user-12" for an account
  holder, "anonymous-<uuid5>" for a participant without one; no name, nickname or email
  ever leaves (an LRS is often someone else's system, and the site can map ids back).
- Ids are uuid5 of the event and its outcome: exporting twice gives the same ids, so the
  LRS de-duplicates, while an answer graded since the last export (a rewrite pending)
  gets a new statement instead of a 409 Conflict from an LRS holding the ungraded one.
- Deleted content still exports: the question gets a bare ``cmi.interaction`` definition.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import quote

from .rows import LIVE, AnswerRow

if TYPE_CHECKING:  # only for the annotation: the module imports nothing outside stdlib
    from ..content.model import Quiz

VERSION = "1.0.3"
VERB = "http://adlnet.gov/expapi/verbs/"
ACTIVITY = "http://adlnet.gov/expapi/activities/"
INTERACTION = ACTIVITY + "cmi.interaction"
ASSESSMENT = ACTIVITY + "assessment"
MEETING = ACTIVITY + "meeting"
COURSE = ACTIVITY + "course"
PLATFORM = "Attract"
LANGUAGE = "en"          # the content is English, and British rather than en-US
FULL_CREDIT = 0.999      # as attract.workshops.scoreboard.correct, so LRS and room agree
CONFIDENCE_FLOOR = -2    # -6/3: a confidently wrong live answer costs twice the question
VERDICTS = ("attraction", "interruption")
RATING_SCALE = range(1, 6)
NAME_LENGTH = 100
# json.dumps leaves these raw with ensure_ascii=False, and str.splitlines() splits on them
LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def statements(rows: Iterable[AnswerRow], quizzes: Mapping[str, Quiz], site_url: str,
               now: datetime | None = None) -> Iterator[dict]:
    """The statements for ``rows`` (grouped by attempt), streamed one attempt at a time.

    ``now`` stamps the rare row with no time of its own; it is not part of any id."""
    site = site_url.removesuffix("/")
    moment = now or datetime.now(UTC)
    definitions: dict[tuple[str, str], dict] = {}  # a question's definition, built once
    for (source, _), group in groupby(rows, key=lambda row: (row.source, row.attempt_id)):
        answers = list(group)  # one attempt or seat: a quiz's worth of rows or so
        for row in answers:
            yield _answered(site, row, quizzes.get(row.quiz), moment, definitions)
        if source == LIVE:
            yield from _workshop_end(site, answers, quizzes)
        else:
            yield from _attempt_end(site, answers[-1], quizzes.get(answers[-1].quiz))


def xapi_lines(rows: Iterable[AnswerRow], quizzes: Mapping[str, Quiz], site_url: str,
               now: datetime | None = None) -> Iterator[str]:
    """The statements as JSON Lines: one compact JSON object and a newline each."""
    for statement in statements(rows, quizzes, site_url, now):
        text = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
        if "\x85" in text or "\u2028" in text or "\u2029" in text:  # rare; translate is slow
            text = text.translate(LINE_BREAKS)
        yield text + "\n"


def _answered(site: str, row: AnswerRow, quiz: Quiz | None, moment: datetime,
              definitions: dict | None = None) -> dict:
    known = None if definitions is None else definitions.get((row.quiz, row.question_id))
    if known is None:
        question = _question(quiz, row.question_id)
        url = f"{_quiz_url(site, row.quiz)}#{quote(row.question_id, safe='')}"
        known = (url, _interaction(quiz, question, row.question_id))
        if definitions is not None:
            definitions[(row.quiz, row.question_id)] = known
    url, definition = known
    activity = {"objectType": "Activity", "id": url, "definition": definition}
    result: dict = {}
    response = _response(row.question_type, row.answer)
    if response:  # xAPI has no way to say "nothing marked" but to leave it out
        result["response"] = response
    if row.fraction is not None:  # ungraded (pending): no score and no success yet
        result["success"] = row.fraction >= FULL_CREDIT
        score = _score(row.fraction, row.points, _lowest(row), row.max_points)
        if score:
            result["score"] = score
    result["completion"] = True
    if row.seconds is not None and row.seconds >= 0:
        result["duration"] = _duration(row.seconds)
    if row.confidence:  # why a live raw may be negative
        result["extensions"] = {f"{site}/xapi/confidence": row.confidence}
    parents = [_quiz_activity(site, row.quiz, quiz)]
    if row.source == LIVE and row.workshop_id is not None:
        parents.append(_workshop_activity(site, row.workshop_id))
    context = _context(site, row, parents, revision=True)
    when = row.submitted_at or row.finished_at or moment
    return _statement(site, row, "answered", activity, result, context, when,
                      f"{quote(row.quiz, safe='')}/{quote(row.question_id, safe='')}")


def _attempt_end(site: str, row: AnswerRow, quiz: Quiz | None) -> Iterator[dict]:
    if row.finished_at is None:  # still in progress: nothing is complete yet
        return
    score = _score(None if row.score is None else row.score / 100, row.score, 0, 100)
    result = {"completion": True} | _span(row.started_at, row.finished_at)
    result |= {"score": score} if score else {}
    activity = _quiz_activity(site, row.quiz, quiz)
    context = _context(site, row, [], revision=True)
    yield _statement(site, row, "completed", activity, result, context, row.finished_at)
    if row.passed is not None:
        outcome = {"success": row.passed} | ({"score": score} if score else {})
        yield _statement(site, row, "passed" if row.passed else "failed", activity, outcome,
                         context, row.finished_at)


def _workshop_end(site: str, rows: list[AnswerRow],
                  quizzes: Mapping[str, Quiz]) -> Iterator[dict]:
    last = rows[-1]
    if last.finished_at is None or last.workshop_id is None:  # the workshop goes on
        return
    # Live points are a game score, not a grade: raw between its bounds, no scaled.
    total = sum(row.points for row in rows if row.points is not None)
    score = _score(None, total, sum(_lowest(row) for row in rows),
                   sum(row.max_points for row in rows))
    result = {"completion": True} | _span(last.started_at, last.finished_at)
    result |= {"score": score} if score else {}
    slugs = dict.fromkeys(row.quiz for row in rows)  # the quizzes played, in order
    played = [_quiz_activity(site, slug, quizzes.get(slug)) for slug in slugs]
    context = _context(site, last, [], extra_grouping=played)
    activity = _workshop_activity(site, last.workshop_id)
    yield _statement(site, last, "completed", activity, result, context, last.finished_at)


def _statement(site: str, row: AnswerRow, verb: str, activity: dict, result: dict,
               context: dict, when: datetime, item: str = "") -> dict:
    # The id names what happened and how it came out: not the titles (an edited title
    # must not duplicate every statement) nor the timestamp (it may be ``now``).
    event = f"{site}/xapi/{verb}/{row.source}/{row.attempt_id}/{item}"
    outcome = json.dumps(result, sort_keys=True, separators=(",", ":"))
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event}?{outcome}")),
            "actor": _actor(site, row),
            "verb": {"id": VERB + verb, "display": {"en-US": verb}},
            "object": activity, "result": result, "context": context,
            "timestamp": _timestamp(when), "version": VERSION}


def _actor(site: str, row: AnswerRow) -> dict:
    if row.user_id is not None:
        name = row.learner
    else:
        # From the seat's id ("participant-34"), never the nickname: stable across
        # exports, opaque to the LRS; pseudonymous, not secret (it can be recomputed).
        name = "anonymous-" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site}/{row.learner}"))
    return {"objectType": "Agent", "account": {"homePage": site, "name": name}}


def _context(site: str, row: AnswerRow, parents: list[dict], *, revision: bool = False,
             extra_grouping: tuple | list = ()) -> dict:
    if row.source == LIVE and row.workshop_id is not None:
        registration = f"{site}/workshops/{row.workshop_id}"  # one per workshop
    else:
        registration = f"{site}/attempts/{row.attempt_id}"
    context: dict = {"registration": str(uuid.uuid5(uuid.NAMESPACE_URL, registration))}
    grouping = list(extra_grouping)
    if row.course:
        grouping.append({"objectType": "Activity",
                         "id": f"{site}/courses/{quote(row.course, safe='')}",
                         "definition": {"type": COURSE}})
    activities = {"parent": parents, "grouping": grouping}
    activities = {key: value for key, value in activities.items() if value}
    if activities:
        context["contextActivities"] = activities
    if revision and row.content_version:  # the quiz file's hash: xAPI's own slot for it
        context["revision"] = row.content_version
    context["platform"] = PLATFORM
    return context


def _quiz_url(site: str, slug: str) -> str:
    return f"{site}/quizzes/{quote(slug, safe='')}"


def _quiz_activity(site: str, slug: str, quiz: Quiz | None) -> dict:
    definition: dict = {"type": ASSESSMENT}
    if quiz is not None and quiz.title:
        definition["name"] = {LANGUAGE: quiz.title}
    return {"objectType": "Activity", "id": _quiz_url(site, slug), "definition": definition}


def _workshop_activity(site: str, workshop_id: int) -> dict:
    # Named by its id alone: one workshop may run several quizzes, and an LRS keeps the
    # last definition it is sent for an activity.
    return {"objectType": "Activity", "id": f"{site}/workshops/{workshop_id}",
            "definition": {"type": MEETING, "name": {LANGUAGE: f"Workshop {workshop_id}"}}}


def _question(quiz: Quiz | None, question_id: str) -> Mapping | None:
    if quiz is None:
        return None
    return next((q for q in quiz.questions if str(q.get("id")) == question_id), None)


def _interaction(quiz: Quiz | None, question: Mapping | None, question_id: str) -> dict:
    definition: dict = {"type": INTERACTION}
    if quiz is None or question is None:  # deleted content: say only what it was
        return definition
    prompt = str(question.get("prompt") or question_id)
    name = f"{quiz.title}: {prompt}"
    if len(name) > NAME_LENGTH:
        name = name[:NAME_LENGTH - 1].rstrip() + "…"
    definition |= {"name": {LANGUAGE: name}, "description": {LANGUAGE: prompt}}
    kind, key = question.get("type"), question.get("key")
    if kind == "verdict":
        definition |= {"interactionType": "choice",
                       "choices": [_component(v, v.capitalize()) for v in VERDICTS]}
    elif kind in ("choice", "spot", "rank"):
        items = question.get("options" if kind != "spot" else "segments") or []
        order = [str(item.get("id")) for item in items]
        definition |= {"interactionType": "sequencing" if kind == "rank" else "choice",
                       "choices": [_component(item.get("id"), item.get("text"))
                                   for item in items]}
        if isinstance(key, list) and kind != "rank":  # a set: written in option order
            key = sorted(map(str, key), key=lambda k: order.index(k) if k in order else 0)
    elif kind == "rating":
        definition |= {"interactionType": "likert",
                       "scale": [_component(point) for point in RATING_SCALE]}
    elif kind == "rewrite":
        # No correctResponsesPattern: the sample is one good rewrite among many, and a
        # pattern would make an LRS mark every other rewrite wrong.
        return definition | {"interactionType": "long-fill-in"}
    else:  # a type this writer does not know: no components rather than wrong ones
        return definition
    pattern = _response(kind, key)
    if pattern:
        definition["correctResponsesPattern"] = [pattern]
    return definition


def _component(item_id: object, text: object = None) -> dict:
    component: dict = {"id": _id(item_id)}
    if text:
        component["description"] = {LANGUAGE: str(text)}
    return component


def _id(value: object) -> str:
    # Percent-encoded, in components and responses alike: content ids may hold spaces or
    # "[,]", which xAPI's "a[,]b" responses could not tell apart.
    return quote(str(value), safe="")


def _response(kind: str | None, answer: object) -> str | None:
    """An answer in xAPI's response format: ids joined by ``[,]``, or the text."""
    if answer is None:
        return None
    if kind == "rewrite":
        # Kept verbatim: a "[,]" inside the text would read as two fill-ins to a strict
        # LRS, but altering a learner's words would be worse, and it does not occur.
        return str(answer)
    if isinstance(answer, list | tuple):
        return "[,]".join(_id(item) for item in answer)
    return _id(answer)


def _lowest(row: AnswerRow) -> float:
    """The least a row could score: 0, or -2 x its points under confidence marking."""
    return CONFIDENCE_FLOOR * row.max_points if row.source == LIVE and row.confidence else 0


def _score(scaled: float | None, raw: float | None, low: float, high: float) -> dict:
    score: dict = {}
    if scaled is not None and -1 <= scaled <= 1:
        score["scaled"] = _number(scaled)
    if raw is not None and low <= raw <= high:
        score |= {"raw": _number(raw), "min": _number(low), "max": _number(high)}
    return score


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _span(start: datetime | None, end: datetime | None) -> dict:
    if start is None or end is None:
        return {}
    seconds = (_utc(end) - _utc(start)).total_seconds()
    return {"duration": _duration(seconds)} if seconds >= 0 else {}  # a skewed clock


def _duration(seconds: float) -> str:
    """ISO 8601, to the hundredth of a second xAPI keeps: ``PT1H2M5.25S``."""
    hundredths = round(seconds * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, fraction = divmod(rest, 100)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if rest or not (hours or minutes):
        text += f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _utc(moment: datetime) -> datetime:
    # naive times are UTC here, as everywhere in the exports
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _timestamp(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")
