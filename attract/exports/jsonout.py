"""The JSON export: one document (``results.schema.json`` describes it), streamed.

The answers are written one chunk per answer as the rows arrive, so the document is never
whole in memory; the learners and the item analysis, folded from the same rows on their
way through, follow once the answers are done. That order is why ``answers`` comes
before ``learners`` in the document.

JSON is data, not a spreadsheet: text is written as it is (no formula apostrophes).
JSON has no NaN or infinity, so a non-finite number is written as null; times are UTC
ISO 8601 with a ``Z``. The output is ASCII (``\\u`` escapes), so it survives any encoding
a client or proxy assumes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from importlib import resources

from .items import ItemMarks
from .rows import HEADERS, SUMMARY_HEADERS, AnswerRow, Summary

FORMAT = "attract-results"
SCHEMA_VERSION = 1


def load_schema() -> dict:
    """The JSON Schema of the document, as shipped next to this module."""
    text = resources.files(__package__).joinpath("results.schema.json").read_text("utf-8")
    return json.loads(text)


def _time(moment: datetime) -> str:
    # a naive time is UTC in this codebase
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def plain(value: object) -> object:
    """A value JSON can hold: times as UTC strings, non-finite numbers as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return _time(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def _dump(value: object) -> str:
    # allow_nan=False: a NaN that slipped past ``plain`` fails loudly, never as bad JSON
    return json.dumps(plain(value), allow_nan=False, separators=(",", ":"))


def answer_object(row: AnswerRow) -> dict:
    """One answer, keyed as ``HEADERS``; the answer as stored (text, number or list)."""
    values = (row.learner, row.name, row.email, row.cohort, row.course, row.quiz,
              row.workshop_id, row.source, row.attempt, row.question_id, row.question_type,
              row.answer, row.fraction, row.points, row.max_points, row.confidence,
              row.seconds, row.submitted_at, row.content_version)
    return dict(zip(HEADERS, values, strict=True))


def json_chunks(rows: Iterable[AnswerRow], *, scope: Mapping, exported_at: datetime,
                titles: Mapping[str, str] | None = None,
                first_only: bool = True) -> Iterator[str]:
    """The document as text chunks: the head, then one chunk per answer, then the
    learners and the items. ``scope`` says what was exported (``kind``, ``id``,
    ``title``); ``titles`` maps question ids to titles; ``first_only`` analyses each
    learner's first attempt only (as Moodle does)."""
    summary, marks = Summary(), ItemMarks()
    yield (f'{{"format":{_dump(FORMAT)},"schema_version":{SCHEMA_VERSION},'
           f'"exported_at":{_dump(exported_at)},"scope":{_dump(scope)},"answers":[')
    separator = ""
    for row in marks.passing(summary.passing(rows)):
        yield separator + _dump(answer_object(row))
        separator = ","
    yield '],"learners":['
    separator = ""
    for line in summary.rows():
        yield separator + _dump(dict(zip(SUMMARY_HEADERS, line, strict=True)))
        separator = ","
    stats = marks.stats(first_only)
    titles = titles or {}
    items = {
        "first_only": first_only,
        "attempts": stats.attempts, "mean": stats.mean, "sd": stats.sd, "cic": stats.cic,
        "questions": [{"question": item.question_id, "title": titles.get(item.question_id),
                       "attempts": item.attempts, "facility": item.facility, "sd": item.sd,
                       "discrimination": item.discrimination, "flags": list(item.flags)}
                      for item in stats.items],
    }
    yield '],"items":' + _dump(items) + "}"
