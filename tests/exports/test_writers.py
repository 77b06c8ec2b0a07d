"""CSV writing: BOM, RFC 4180 quoting, CRLF, formulas neutralised, streamed."""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from attract.exports import csv_lines, spreadsheet_safe


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ana", "Ana"),
    ("a=b", "a=b"), (-2000, -2000), (0.5, 0.5), (True, True), (None, ""),
    (datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))), "2026-12-01T08:00:00Z"),
    (datetime(2026, 12, 1, 10, 0), "2026-12-01T10:00:00Z"),  # naive times are UTC here
])
def test_cells_are_spreadsheet_safe(cell, written):
    assert spreadsheet_safe(cell) == written


def test_csv_has_a_bom_crlf_and_rfc4180_quoting():
    rows = [["Ana, from \"Leeds\"", 1000, "line one\nline two"], ["=cmd", -6, None]]
    text = "".join(csv_lines(["nickname", "points", "note"], rows))
    assert text.startswith("\ufeffnickname,points,note\r\n")
    assert '"Ana, from ""Leeds"""' in text
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert parsed == [["nickname", "points", "note"],
                      ['Ana, from "Leeds"', "1000", "line one\nline two"],
                      ["'=cmd", "-6", ""]]


def test_csv_is_streamed_a_line_at_a_time():
    def endless():
        number = 0
        while True:
            number += 1
            yield [number, datetime(2026, 1, 1, tzinfo=UTC)]

    lines = csv_lines(["n", "at"], endless(), batch=2)
    assert next(lines) == "\ufeffn,at\r\n"
    assert next(lines) == "1,2026-01-01T00:00:00Z\r\n2,2026-01-01T00:00:00Z\r\n"
    assert next(lines) == "3,2026-01-01T00:00:00Z\r\n4,2026-01-01T00:00:00Z\r\n"


@pytest.mark.parametrize("text", ["  =1+1", " \t+1", "   @SUM(A1)", " -2"])
def test_formulas_after_leading_blanks_are_neutralised(text):
    assert spreadsheet_safe(text) == "'" + text


def test_ready_csv_cells_write_what_neutralising_every_cell_writes():
    """``csv_cells`` skips ``spreadsheet_safe`` on the columns that are ours (slugs, ids,
    numbers); with hostile text in every field a person controls, and plausible values in
    ours, the file is byte for byte the one that neutralises every cell."""
    from attract.exports.rows import HEADERS, AnswerRow, answer_cells, csv_cells

    nasty = '=HYPERLINK("http://x","y")'
    rows = [AnswerRow(
        learner="user-1", user_id=1, name=nasty, email="@x.example", cohort="+cohort",
        course="a-course", quiz="a-quiz", workshop_id=3, source="live", attempt_id=4,
        attempt=None, question_id="-q1", question_type="spot", answer=answer,
        fraction=0.5, points=-2000, max_points=1000.0, confidence="high", seconds=1.25,
        submitted_at=datetime(2026, 1, 1, tzinfo=UTC), content_version="abc123")
        for answer in (nasty, ["=a", "b"], 3, None, "  =1+1", "\t+x")]
    careful = "".join(csv_lines(HEADERS, (answer_cells(r) for r in rows)))
    ready = "".join(csv_lines(HEADERS, (csv_cells(r, spreadsheet_safe) for r in rows),
                              ready=True))
    assert ready == careful
    assert "'=HYPERLINK" in ready and ",=" not in ready
