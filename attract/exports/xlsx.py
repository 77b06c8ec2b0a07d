"""The XLSX export: Summary, Answers and Items sheets, streamed with openpyxl's write-only
workbook so memory stays flat however many answers there are.

How write-only mode shapes this (openpyxl 3.1, ``worksheet/_write_only.py`` and
``worksheet/_writer.py``):

- each sheet gets its own temporary file, opened on its first ``append``; so the Summary
  and Items sheets can be created first (the order a trainer sees) and filled after the
  Answers sheet has taken every row;
- the sheet's top (frozen panes, column widths) is written on that first ``append``, so
  both are set before it; the autofilter is written in the tail, when the workbook is
  saved, so its range is set once the last row is known.

Cells: numbers and booleans stay themselves, times are naive UTC datetimes (Excel has no
time zones) shown ``yyyy-mm-dd hh:mm:ss``, None is an empty cell, and text is never a
formula: it goes through ``spreadsheet_safe`` and, since that only looks at the first
character, also gets the apostrophe when the formula sign follows leading blanks
("  =1+1"); it is then written as a string cell whatever it looks like. Characters XML 1.0
forbids are dropped (openpyxl would refuse the whole file for one control character in a
nickname), and text is cut to Excel's 32,767 characters per cell.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .items import ITEM_HEADERS, OVERALL_HEADERS, ItemMarks, item_cells, overall_cells
from .rows import HEADERS, SUMMARY_HEADERS, AnswerRow, Summary, answer_cells
from .writers import spreadsheet_safe

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
EXCEL_CELL_LIMIT = 32767
BOLD = Font(bold=True)
# widths in characters, for the columns whose header says little about their content
WIDTHS = {"learner": 18, "name": 24, "email": 28, "cohort": 20, "course": 18, "quiz": 18,
          "answer": 32, "submitted_at": 20, "last_activity": 20, "content_version": 16,
          "question": 18, "title": 48, "flags": 30, "test": 16}


def _text(value: object) -> str:
    return str(spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_CELL_LIMIT]))


def cell(ws, value: object):
    """One value as a write-only cell (or a plain value where openpyxl needs no help)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # XLSX cannot hold NaN
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
        written = WriteOnlyCell(ws, moment)
        written.number_format = DATE_FORMAT
        return written
    written = WriteOnlyCell(ws, _text(value))
    written.data_type = "s"  # never "f", whatever the text looks like
    return written


def _header(ws, headers: Sequence[str]) -> list:
    cells = []
    for name in headers:
        written = cell(ws, name)
        written.font = BOLD
        cells.append(written)
    return cells


def _sheet(wb: Workbook, title: str, headers: Sequence[str]):
    """A sheet with its widths and frozen header set: both must precede the first row."""
    ws = wb.create_sheet(title)
    for index, name in enumerate(headers, 1):
        width = max(WIDTHS.get(name, 10), len(name) + 3)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    return ws


def _filter(ws, headers: Sequence[str], last_row: int) -> None:
    # written in the sheet's tail at save time, so the final range can be set now
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last_row, 1)}"


def _discard(wb: Workbook) -> None:
    """Remove the sheets' temporary files after a failure (saving would have). Each sheet
    is closed first: its row writer, left open, would fail later when collected."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # best effort: whatever is left, openpyxl removes when the process exits
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def write_workbook(out: BinaryIO, rows: Iterable[AnswerRow], *,
                   titles: Mapping[str, str] | None = None, first_only: bool = True) -> None:
    """Write the workbook to the binary file ``out``: the answers are streamed into their
    sheet while the Summary lines and the item marks are folded, then those two sheets
    are filled. ``titles`` maps question ids to their titles for the Items sheet;
    ``first_only`` analyses each learner's first attempt only (as Moodle does)."""
    wb = Workbook(write_only=True)
    summary_ws = _sheet(wb, "Summary", SUMMARY_HEADERS)
    answers_ws = _sheet(wb, "Answers", HEADERS)
    items_ws = _sheet(wb, "Items", ITEM_HEADERS)
    summary, marks = Summary(), ItemMarks()
    try:
        answers_ws.append(_header(answers_ws, HEADERS))
        written = 1
        for row in marks.passing(summary.passing(rows)):
            answers_ws.append([cell(answers_ws, value) for value in answer_cells(row)])
            written += 1
        _filter(answers_ws, HEADERS, written)

        summary_ws.append(_header(summary_ws, SUMMARY_HEADERS))
        lines = summary.rows()
        for line in lines:
            summary_ws.append([cell(summary_ws, value) for value in line])
        _filter(summary_ws, SUMMARY_HEADERS, len(lines) + 1)

        stats = marks.stats(first_only)
        items_ws.append(_header(items_ws, ITEM_HEADERS))
        item_rows = item_cells(stats, titles)
        for line in item_rows:
            items_ws.append([cell(items_ws, value) for value in line])
        # the filter covers the question table only; the test line sits below a gap
        _filter(items_ws, ITEM_HEADERS, len(item_rows) + 1)
        items_ws.append([])
        items_ws.append(_header(items_ws, OVERALL_HEADERS))
        items_ws.append([cell(items_ws, value) for value in overall_cells(stats)])
        wb.save(out)
    except BaseException:
        _discard(wb)
        raise
