"""The JSON export: parses, validates against its schema, stays lazy, has no NaN."""

import json
import math
import types
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from attract.analysis import item_analysis
from attract.exports.jsonout import json_chunks, load_schema
from attract.exports.rows import HEADERS, LIVE, SELF_PACED, SUMMARY_HEADERS, AnswerRow

SCHEMA_PATH = Path(__file__).parents[2] / "attract" / "exports" / "results.schema.json"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EXPORTED = datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
SCOPE = {"kind": "quiz", "id": "pitch", "title": "Pitch basics"}


def make_row(learner, attempt_id, question, fraction, *, source=SELF_PACED, attempt=1,
             name=None, answer="a", quiz="pitch", submitted_at=START):
    live = source == LIVE
    max_points = 1000.0 if live else 1.0
    graded = fraction is not None and not (isinstance(fraction, float) and math.isnan(fraction))
    return AnswerRow(
        learner=learner, user_id=None, name=name or learner,
        email=None if live else f"{learner}@example.org", cohort=None, course="social",
        quiz=quiz, workshop_id=7 if live else None, source=source, attempt_id=attempt_id,
        attempt=None if live else attempt, question_id=question, question_type="choice",
        answer=answer, fraction=fraction,
        points=fraction * max_points if graded else None, max_points=max_points,
        confidence="medium" if live else None, seconds=2.5 if live else None,
        submitted_at=submitted_at, content_version="abc123", started_at=START,
        finished_at=START + timedelta(minutes=3), score=None if live else 50.0,
        passed=None if live else True)


MARKS = [{"q1": 1.0, "q2": 0.0}, {"q1": 1.0, "q2": 1.0}, {"q1": 0.0, "q2": 0.5}]


def sample_rows():
    rows = []
    for n, marks in enumerate(MARKS):
        live = n == 2
        learner = f"participant-{n}" if live else f"user-{n}"
        for q, fraction in marks.items():
            rows.append(make_row(learner, n, q, fraction, source=LIVE if live else SELF_PACED,
                                 answer=["a", "c"] if q == "q2" else 3))
    rows.append(make_row("user-0", 9, "q1", 0.0, attempt=2, name="=cmd"))
    return rows


def document(rows, **kwargs):
    kwargs.setdefault("scope", SCOPE)
    kwargs.setdefault("exported_at", EXPORTED)
    return json.loads("".join(json_chunks(rows, **kwargs)))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_schema_is_a_valid_2020_12_schema_and_ships_with_the_package():
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert load_schema() == schema


def test_every_property_is_described():
    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub, f"{path}.{name}"
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for sub in node:
                walk(sub, path)

    walk(load_schema(), "$")


def test_the_document_parses_and_validates(validator):
    doc = document(iter(sample_rows()), titles={"q1": "Which opener?"})
    validator.validate(doc)
    assert doc["format"] == "attract-results" and doc["schema_version"] == 1
    assert doc["exported_at"] == "2026-03-03T08:30:00Z"
    assert doc["scope"] == SCOPE
    assert len(doc["answers"]) == len(sample_rows())
    first = doc["answers"][0]
    assert tuple(first) == HEADERS
    assert first["answer"] == 3 and doc["answers"][1]["answer"] == ["a", "c"]
    assert first["submitted_at"] == "2026-03-02T09:00:00Z"
    assert doc["answers"][4]["source"] == "live" and doc["answers"][4]["attempt"] is None
    # JSON is not a spreadsheet: text is data, written as it is
    assert doc["answers"][-1]["name"] == "=cmd"


def test_learners_and_items_follow_the_answers(validator):
    doc = document(sample_rows(), titles={"q1": "Which opener?"})
    assert [line["learner"] for line in doc["learners"]] == [
        "user-0", "user-1", "participant-2"]
    assert all(tuple(line) == SUMMARY_HEADERS for line in doc["learners"])
    assert doc["learners"][0]["attempts"] == 2
    assert doc["learners"][0]["last_activity"] == "2026-03-02T09:00:00Z"
    items = doc["items"]
    stats = item_analysis(MARKS, {"q1": 1, "q2": 1})  # first attempts only
    assert items["first_only"] is True and items["attempts"] == 3
    assert items["mean"] == pytest.approx(stats.mean)
    assert items["sd"] == pytest.approx(stats.sd)
    assert [q["question"] for q in items["questions"]] == ["q1", "q2"]
    assert items["questions"][0]["title"] == "Which opener?"
    assert items["questions"][1]["title"] is None
    for got, expected in zip(items["questions"], stats.items, strict=True):
        assert got["facility"] == pytest.approx(expected.facility)
        assert got["flags"] == list(expected.flags)
    every = document(sample_rows(), first_only=False)
    validator.validate(every)
    assert every["items"]["attempts"] == 4 and every["items"]["first_only"] is False


def test_times_are_utc_with_a_z(validator):
    paris = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    doc = document([make_row("user-1", 1, "q1", 1.0, submitted_at=paris)],
                   exported_at=datetime(2026, 6, 1, 12, 0))  # naive: taken as UTC
    validator.validate(doc)
    assert doc["answers"][0]["submitted_at"] == "2026-06-01T10:00:00Z"
    assert doc["exported_at"] == "2026-06-01T12:00:00Z"


def test_nan_becomes_null_and_still_validates(validator):
    rows = [make_row("user-1", 1, "q1", math.nan), make_row("user-1", 1, "q2", 1.0)]
    text = "".join(json_chunks(rows, scope=SCOPE, exported_at=EXPORTED))
    assert "NaN" not in text
    doc = json.loads(text)
    validator.validate(doc)
    assert doc["answers"][0]["fraction"] is None


def test_no_rows_and_several_quizzes_still_validate(validator):
    empty = document(iter(()), scope={"kind": "cohort", "id": 4, "title": "Spring"})
    validator.validate(empty)
    assert empty["answers"] == [] and empty["learners"] == []
    assert empty["items"]["questions"] == [] and empty["items"]["mean"] is None
    rows = [*sample_rows(), make_row("user-1", 50, "q1", 1.0, quiz="follow-up")]
    both = document(rows, scope={"kind": "cohort", "id": 4, "title": "Spring",
                                 "course": "social"})
    validator.validate(both)
    assert [q["question"] for q in both["items"]["questions"]] == [
        "pitch/q1", "pitch/q2", "follow-up/q1"]
    assert both["items"]["cic"] is None


def test_the_schema_rejects_what_it_should(validator):
    doc = document(sample_rows())
    for path, value in ((("answers", 0, "source"), "offline"),
                        (("answers", 0, "confidence"), "very"),
                        (("answers", 0, "submitted_at"), 12),
                        (("scope", "kind"), "course"),
                        (("learners", 0, "attempts"), "two")):
        broken = json.loads(json.dumps(doc))
        node = broken
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)
    extra = json.loads(json.dumps(doc))
    extra["answers"][0]["nickname"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(extra)


def test_json_chunks_is_lazy():
    consumed = 0

    def rows():
        nonlocal consumed
        for row in sample_rows():
            consumed += 1
            yield row

    chunks = json_chunks(rows(), scope=SCOPE, exported_at=EXPORTED)
    assert isinstance(chunks, types.GeneratorType)
    assert consumed == 0  # nothing read until the first chunk is asked for
    head = next(chunks)
    assert head.startswith('{"format":"attract-results"') and consumed == 0
    first_answer = next(chunks)
    assert json.loads(first_answer)["question"] == "q1" and consumed == 1
    second_answer = next(chunks)
    assert consumed == 2 < len(sample_rows())  # one answer out per row in
    rest = list(chunks)
    assert consumed == len(sample_rows())
    doc = json.loads("".join([head, first_answer, second_answer, *rest]))
    assert len(doc["answers"]) == len(sample_rows())
