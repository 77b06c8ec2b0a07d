"""xAPI statements: valid for ralph's models, one per answer, then completed and
passed/failed per attempt; anonymous, deterministic, streamed as JSON Lines."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Literal

import pytest
from ralph.models.xapi.base.results import BaseXapiResult
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.base.unnested_objects import (
    BaseXapiActivity,
    BaseXapiActivityDefinition,
    BaseXapiActivityInteractionDefinition,
)
from ralph.models.xapi.base.verbs import BaseXapiVerb
from ralph.models.xapi.concepts.activity_types.scorm_profile import CMIInteractionActivity
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

from attract.config import REPO_ROOT
from attract.content import load_library
from attract.exports.rows import LIVE, SELF_PACED, AnswerRow
from attract.exports.xapi import statements, xapi_lines

SITE = "https://attract.example"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
MEETING = "http://adlnet.gov/expapi/activities/meeting"
QUIZZES = load_library(REPO_ROOT).quizzes
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# ralph's CMIInteractionActivity forbids interaction properties (its definition extends the
# plain one, extra="forbid"), so an interaction is checked against ralph's interaction
# definition with the cmi.interaction type pinned; ralph has no passed/failed verbs, nor
# assessment or meeting activity types, so those are pinned here the same way.
class InteractionDefinition(BaseXapiActivityInteractionDefinition):
    type: Literal["http://adlnet.gov/expapi/activities/cmi.interaction"]


class InteractionActivity(BaseXapiActivity):
    definition: InteractionDefinition


class AssessmentDefinition(BaseXapiActivityDefinition):
    type: Literal["http://adlnet.gov/expapi/activities/assessment"]


class AssessmentActivity(BaseXapiActivity):
    definition: AssessmentDefinition


class MeetingDefinition(BaseXapiActivityDefinition):
    type: Literal["http://adlnet.gov/expapi/activities/meeting"]


class MeetingActivity(BaseXapiActivity):
    definition: MeetingDefinition


class PassedVerb(BaseXapiVerb):
    id: Literal["http://adlnet.gov/expapi/verbs/passed"]
    display: dict[Literal["en-US"], Literal["passed"]]


class FailedVerb(BaseXapiVerb):
    id: Literal["http://adlnet.gov/expapi/verbs/failed"]
    display: dict[Literal["en-US"], Literal["failed"]]


class Answered(BaseXapiStatement):
    verb: AnsweredVerb
    object: InteractionActivity | CMIInteractionActivity
    result: BaseXapiResult


class CompletedQuiz(BaseXapiStatement):
    verb: CompletedVerb
    object: AssessmentActivity | MeetingActivity
    result: BaseXapiResult


class Passed(BaseXapiStatement):
    verb: PassedVerb
    object: AssessmentActivity
    result: BaseXapiResult


class Failed(Passed):
    verb: FailedVerb


MODELS = {"answered": Answered, "completed": CompletedQuiz, "passed": Passed, "failed": Failed}


def valid(statement: dict) -> dict:
    """Checks ``statement`` against ralph's generic and specific models, and what ralph
    lets through: its score check skips a min or raw of 0 (``if self.min:``)."""
    BaseXapiStatement.model_validate(statement)
    verb = statement["verb"]["id"].rsplit("/", 1)[1]
    MODELS[verb].model_validate(statement)
    assert statement["version"] == "1.0.3"
    assert "stored" not in statement and "authority" not in statement
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", statement["timestamp"])
    assert uuid.UUID(statement["id"]).version == 5
    score = statement["result"].get("score", {})
    if "raw" in score:
        assert score["min"] <= score["raw"] <= score["max"]
    if "scaled" in score:
        assert -1 <= score["scaled"] <= 1
    duration = statement["result"].get("duration")
    if duration:
        assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?", duration)
    return statement


def question(quiz: str, question_id: str) -> dict:
    return next(q for q in QUIZZES[quiz].questions if q["id"] == question_id)


DELETED = {"type": "verdict", "points": 1}


def row(quiz="earning-the-right-to-ask", question_id="the-earned-ask", answer="attraction",
        **changes) -> AnswerRow:
    questions = QUIZZES[quiz].questions if quiz in QUIZZES else ()
    q = next((q for q in questions if q["id"] == question_id), DELETED)
    base = AnswerRow(
        learner="user-12", user_id=12, name="Ana Costa", email="ana@example.org",
        cohort="Spring", course="social-selling", quiz=quiz, workshop_id=None,
        source=SELF_PACED, attempt_id=7, attempt=1, question_id=question_id,
        question_type=q["type"], answer=answer, fraction=1.0, points=float(q["points"]),
        max_points=float(q["points"]), confidence=None, seconds=None,
        submitted_at=T0 + timedelta(minutes=5), content_version="abc123",
        started_at=T0, finished_at=T0 + timedelta(minutes=10), score=80.0, passed=True)
    return dataclasses.replace(base, **changes)


def live(**changes) -> AnswerRow:
    defaults = dict(learner="participant-34", user_id=None, name="Zoë", email=None,
                    cohort=None, course=None, workshop_id=5, source=LIVE, attempt_id=34,
                    attempt=None, points=1000.0, max_points=1000.0, seconds=4.5,
                    started_at=T0, finished_at=T0 + timedelta(hours=1), score=None,
                    passed=None)
    return row(**(defaults | changes))


def answered(one: AnswerRow) -> dict:
    first = next(statements([one], QUIZZES, SITE))
    return valid(first)


TYPES = [  # (quiz, question, answer, fraction, interactionType, response, pattern)
    ("earning-the-right-to-ask", "the-earned-ask", "interruption", 0.0, "choice",
     "interruption", ["attraction"]),
    ("earning-the-right-to-ask", "signal-you-have-earned-it", "c", 0.25, "choice", "c", ["b"]),
    ("earning-the-right-to-ask", "ask-easy-to-decline", ["a", "b"], 1 / 3, "choice",
     "a[,]b", ["a[,]b[,]d"]),
    ("rewrite-workshop", "rate-a-halfway-rewrite", 4, 0.5, "likert", "4", ["3"]),
    ("rewrite-workshop", "rank-the-rewrites", ["a", "c", "b", "d"], 5 / 6, "sequencing",
     "a[,]c[,]b[,]d", ["a[,]b[,]c[,]d"]),
    ("spot-the-interruption", "mark-the-endorsement-demand", ["s2", "s3"], 1.0, "choice",
     "s2[,]s3", ["s2[,]s3"]),
    ("rewrite-workshop", "rewrite-the-page-request", "Hi Ben, how was the wedding?", 0.4,
     "long-fill-in", "Hi Ben, how was the wedding?", None),
]


@pytest.mark.parametrize(("quiz", "qid", "answer", "fraction", "kind", "response", "pattern"),
                         TYPES, ids=[t[1] for t in TYPES])
def test_one_answered_statement_per_question_type(quiz, qid, answer, fraction, kind,
                                                  response, pattern):
    points = question(quiz, qid)["points"]
    one = row(quiz, qid, answer, fraction=fraction, points=fraction * points)
    statement = answered(one)
    assert statement["verb"] == {"id": "http://adlnet.gov/expapi/verbs/answered",
                                 "display": {"en-US": "answered"}}
    activity = statement["object"]
    assert activity["id"] == f"{SITE}/quizzes/{quiz}#{qid}"
    definition = activity["definition"]
    assert definition["type"] == INTERACTION
    assert definition["interactionType"] == kind
    assert definition["description"]["en"] == question(quiz, qid)["prompt"]
    assert definition["name"]["en"].startswith(QUIZZES[quiz].title + ": ")
    assert len(definition["name"]["en"]) <= 100
    assert definition.get("correctResponsesPattern") == pattern
    result = statement["result"]
    assert result["response"] == response
    assert result["success"] is (fraction == 1.0)  # part credit is not success
    assert result["score"] == {"scaled": fraction, "raw": fraction * points, "min": 0,
                               "max": points}
    assert result["completion"] is True
    assert "duration" not in result  # not recorded per question when self-paced
    context = statement["context"]
    assert context["contextActivities"]["parent"][0]["id"] == f"{SITE}/quizzes/{quiz}"
    assert context["contextActivities"]["grouping"][0]["id"] == f"{SITE}/courses/social-selling"
    assert context["registration"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{SITE}/attempts/7"))
    assert context["platform"] == "Attract" and context["revision"] == "abc123"


def test_components_follow_the_question():
    verdict = answered(row())["object"]["definition"]
    assert [c["id"] for c in verdict["choices"]] == ["attraction", "interruption"]
    rating = answered(row("rewrite-workshop", "rate-a-halfway-rewrite", 3))
    assert [c["id"] for c in rating["object"]["definition"]["scale"]] == list("12345")
    spot = question("spot-the-interruption", "mark-the-endorsement-demand")
    marked = answered(row("spot-the-interruption", spot["id"], ["s2"]))
    assert marked["object"]["definition"]["choices"] == [
        {"id": s["id"], "description": {"en": s["text"]}} for s in spot["segments"]]


def test_live_confidence_can_score_below_zero_and_stays_within_bounds():
    wrong = live(confidence="high", answer="interruption", fraction=0.0, points=-2000.0)
    right = live(question_id="recommendation-on-day-one", answer="interruption",
                 confidence="low", points=1000.0)
    out = [valid(s) for s in statements([wrong, right], QUIZZES, SITE)]
    assert [s["verb"]["display"]["en-US"] for s in out] == ["answered", "answered",
                                                             "completed"]
    first = out[0]["result"]
    assert first["score"] == {"scaled": 0, "raw": -2000, "min": -2000, "max": 1000}
    assert first["success"] is False and first["duration"] == "PT4.5S"
    assert first["extensions"] == {f"{SITE}/xapi/confidence": "high"}
    parents = [a["id"] for a in out[0]["context"]["contextActivities"]["parent"]]
    assert parents == [f"{SITE}/quizzes/earning-the-right-to-ask", f"{SITE}/workshops/5"]
    completed = out[2]
    assert completed["object"]["id"] == f"{SITE}/workshops/5"
    assert completed["object"]["definition"]["type"] == MEETING
    assert completed["result"] == {"completion": True, "duration": "PT1H",
                                   "score": {"raw": -1000, "min": -4000, "max": 2000}}
    workshop = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{SITE}/workshops/5"))
    assert {s["context"]["registration"] for s in out} == {workshop}


def test_a_raw_outside_its_bounds_is_left_out_not_misreported():
    odd = live(fraction=0.0, points=-2000.0)  # no confidence, so the floor is 0
    assert answered(odd)["result"]["score"] == {"scaled": 0}


def test_workshop_still_running_has_no_completed():
    out = list(statements([live(finished_at=None)], QUIZZES, SITE))
    assert [s["verb"]["display"]["en-US"] for s in out] == ["answered"]


def test_anonymous_participant_is_a_hashed_account_never_the_nickname():
    nickname = '=HYPERLINK("x") <script>alert(1)</script>'
    out = list(xapi_lines([live(name=nickname)], QUIZZES, SITE))
    statement = json.loads(out[0])
    actor = statement["actor"]
    expected = uuid.uuid5(uuid.NAMESPACE_URL, f"{SITE}/participant-34")
    assert actor == {"objectType": "Agent",
                     "account": {"homePage": SITE, "name": f"anonymous-{expected}"}}
    text = "".join(out)
    for leak in ("HYPERLINK", "<script", "participant-34"):
        assert leak not in text


def test_account_holder_is_their_site_account_with_no_personal_data():
    text = "".join(xapi_lines([row()], QUIZZES, SITE))
    actor = json.loads(text.splitlines()[0])["actor"]
    assert actor == {"objectType": "Agent", "account": {"homePage": SITE, "name": "user-12"}}
    assert "ana@example.org" not in text and "Ana Costa" not in text and "mbox" not in text


def test_free_text_stays_plain_data():
    text = '=HYPERLINK("x") <script>alert(1)</script>\u2028& "quoted", [,] ünïcode'
    one = row("rewrite-workshop", "rewrite-the-page-request", text, fraction=0.0, points=0.0)
    lines = list(xapi_lines([one], QUIZZES, SITE))
    assert json.loads(lines[0])["result"]["response"] == text
    assert "\u2028" not in lines[0] and "ünïcode" in lines[0]  # escaped; not ASCII-escaped
    valid(json.loads(lines[0]))


def test_ids_are_deterministic_and_change_when_the_outcome_does():
    rows = [row(), row(question_id="recommendation-on-day-one", answer="interruption",
                       submitted_at=None)]
    first = [s["id"] for s in statements(rows, QUIZZES, SITE, now=T0)]
    again = [s["id"] for s in statements(rows, QUIZZES, SITE + "/", now=T0 + timedelta(1))]
    assert first == again and len(set(first)) == len(first)
    pending = row("rewrite-workshop", "rewrite-the-page-request", "Hi", fraction=None,
                  points=None)
    graded = dataclasses.replace(pending, fraction=1.0, points=3.0)
    assert answered(pending)["id"] != answered(graded)["id"]


def test_completed_then_passed_or_failed_per_attempt_in_order():
    quiz = QUIZZES["earning-the-right-to-ask"]
    first = [row(question_id=q["id"], answer=None, fraction=None, points=None)
             for q in quiz.questions[:2]]
    second = [row(question_id=q["id"], answer=None, fraction=None, points=None, attempt_id=8,
                  attempt=2, score=40.0, passed=False) for q in quiz.questions[:2]]
    unfinished = [row(attempt_id=9, finished_at=None, score=None, passed=None)]
    ungraded = [row(attempt_id=10, score=None, passed=None)]
    out = [valid(s) for s in statements(first + second + unfinished + ungraded, QUIZZES, SITE)]
    verbs = [s["verb"]["display"]["en-US"] for s in out]
    assert verbs == ["answered", "answered", "completed", "passed",
                     "answered", "answered", "completed", "failed",
                     "answered", "answered", "completed"]
    completed, passed = out[2], out[3]
    assert completed["object"] == {"objectType": "Activity",
                                   "id": f"{SITE}/quizzes/earning-the-right-to-ask",
                                   "definition": {"type": ASSESSMENT,
                                                  "name": {"en": quiz.title}}}
    assert completed["result"] == {"completion": True, "duration": "PT10M",
                                   "score": {"scaled": 0.8, "raw": 80, "min": 0, "max": 100}}
    assert completed["timestamp"] == "2026-03-02T09:10:00.000Z"
    assert passed["result"]["success"] is True and out[7]["result"]["success"] is False
    assert out[-1]["result"] == {"completion": True, "duration": "PT10M"}
    registrations = {s["context"]["registration"] for s in out[:4]}
    assert len(registrations) == 1 and registrations != {out[4]["context"]["registration"]}


def test_ungraded_answer_keeps_its_response_without_score_or_success():
    pending = row("rewrite-workshop", "rewrite-the-page-request", "Hi Ben", fraction=None,
                  points=None)
    assert answered(pending)["result"] == {"response": "Hi Ben", "completion": True}


def test_empty_answer_leaves_the_response_out():
    spot = row("spot-the-interruption", "mark-the-endorsement-demand", [], fraction=0.0,
               points=0.0)
    assert "response" not in answered(spot)["result"]


def test_deleted_content_still_exports_with_a_bare_definition():
    gone = row("deleted-quiz", "gone", "attraction")
    missing = row(question_id="no-longer-here")
    out = [valid(s) for s in statements([gone, missing], QUIZZES, SITE)]
    assert out[0]["object"]["definition"] == {"type": INTERACTION}
    assert out[0]["context"]["contextActivities"]["parent"][0]["definition"] == {
        "type": ASSESSMENT}
    assert out[1]["object"]["definition"] == {"type": INTERACTION}
    assert out[0]["verb"]["id"].endswith("answered") and out[2]["verb"]["id"].endswith(
        "completed")
    # as exports/queries.py writes a question it no longer finds: no type, worth 0 points
    unknown = row("deleted-quiz", "gone", ["x y", "z"], question_type="unknown",
                  max_points=0.0, points=1.0)
    result = answered(unknown)["result"]
    assert result["score"] == {"scaled": 1} and result["response"] == "x%20y[,]z"


def test_a_seat_that_played_two_quizzes_groups_both():
    rows = [live(), live(quiz="rewrite-workshop", question_id="thanks-for-the-share")]
    completed = valid(list(statements(rows, QUIZZES, SITE))[-1])
    grouping = completed["context"]["contextActivities"]["grouping"]
    assert [a["id"] for a in grouping] == [f"{SITE}/quizzes/earning-the-right-to-ask",
                                           f"{SITE}/quizzes/rewrite-workshop"]
    assert completed["object"]["definition"] == {"type": MEETING,
                                                 "name": {"en": "Workshop 5"}}


def test_timestamps_are_utc_and_fall_back_to_finished_then_now():
    plus_two = timezone(timedelta(hours=2))
    stamped = answered(row(submitted_at=datetime(2026, 3, 2, 11, 0, 0, 123456, plus_two)))
    assert stamped["timestamp"] == "2026-03-02T09:00:00.123Z"
    finished = answered(row(submitted_at=None))
    assert finished["timestamp"] == "2026-03-02T09:10:00.000Z"
    now = datetime(2026, 4, 1, 8, 30)  # naive: UTC
    late = next(statements([row(submitted_at=None, finished_at=None)], QUIZZES, SITE, now))
    assert valid(late)["timestamp"] == "2026-04-01T08:30:00.000Z"


@pytest.mark.parametrize(("seconds", "duration"), [
    (12.34, "PT12.34S"), (0, "PT0S"), (60, "PT1M"), (3725.5, "PT1H2M5.5S"), (0.004, "PT0S"),
])
def test_durations_are_iso_8601(seconds, duration):
    statement = answered(live(seconds=seconds))
    assert statement["result"]["duration"] == duration
    assert BaseXapiResult.model_validate(statement["result"]).duration == timedelta(
        seconds=float(Decimal(str(seconds)).quantize(Decimal("0.01"))))


def test_json_lines_parse_line_by_line():
    rows = [row(), row(question_id="signal-you-have-earned-it", answer="b"), live()]
    lines = list(xapi_lines(rows, QUIZZES, SITE, now=T0))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line) for line in lines] == list(statements(rows, QUIZZES, SITE, T0))
    assert ", " not in lines[0].split('"description"')[0]  # compact separators
    assert len("".join(lines).splitlines()) == len(lines) == 6
