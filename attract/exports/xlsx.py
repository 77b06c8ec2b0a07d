"""The XLSX export: Summary, Answers and Items sheets, written by XlsxWriter in its
constant-memory mode, so memory stays flat however many answers there are.

Why XlsxWriter and not openpyxl's write-only workbook: the same 100,000 rows took 23 s in
openpyxl (with lxml; 34 s without) and 14 s in XlsxWriter on this project's machine
(``bench/README.md``), and the issue's bound is 30 s for the whole export. openpyxl stays
the independent reader in the tests.

How constant-memory mode shapes this: each sheet streams its rows to a temporary file in
row order; the sheets can be filled one after another in any order, so the Summary and
Items sheets come first in the workbook (the order a trainer reads) and are filled after
the Answers sheet has taken every row. Widths, frozen panes and the autofilter are kept
aside and written when the workbook closes, so the autofilter's range is set once the
last row is known.

Cells: numbers and booleans stay themselves, times are naive UTC datetimes (Excel has no
time zones) shown ``yyyy-mm-dd hh:mm:ss``, None and NaN are empty cells, and text is never
a formula: it goes through ``spreadsheet_safe`` (an apostrophe before a formula sign, also
after leading blanks) and is written with ``write_string``, which stores text whatever it
looks like. Characters XML 1.0 forbids are dropped (a control character in a nickname
must not spoil the file), and text is cut to Excel's 32,767 characters per cell.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

import xlsxwriter

from .items import ITEM_HEADERS, OVERALL_HEADERS, ItemMarks, item_cells, overall_cells
from .rows import HEADERS, SUMMARY_HEADERS, AnswerRow, Summary, answer_cells
from .writers import spreadsheet_safe

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
EXCEL_CELL_LIMIT = 32767
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
# widths in characters, for the columns whose header says little about their content
WIDTHS = {"learner": 18, "name": 24, "email": 28, "cohort": 20, "course": 18, "quiz": 18,
          "answer": 32, "submitted_at": 20, "last_activity": 20, "content_version": 16,
          "question": 18, "title": 48, "flags": 30, "test": 16}


def _text(value: object) -> str:
    return str(spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_CELL_LIMIT]))


class _Sheet:
    """One worksheet and the one way a value is written into it."""

    def __init__(self, book, title: str, headers: Sequence[str], formats: dict) -> None:
        self.ws = book.add_worksheet(title)
        self.headers = headers
        self.formats = formats
        self.row = 0
        for index, name in enumerate(headers):
            self.ws.set_column(index, index, max(WIDTHS.get(name, 10), len(name) + 3))
        self.ws.freeze_panes(1, 0)

    def header(self, headers: Sequence[str] | None = None) -> None:
        for column, name in enumerate(headers or self.headers):
            self.ws.write_string(self.row, column, name, self.formats["bold"])
        self.row += 1

    def append(self, values: Sequence[object]) -> None:
        ws, row, date = self.ws, self.row, self.formats["date"]
        for column, value in enumerate(values):
            kind = type(value)
            if value is None:
                continue
            if kind is bool:
                ws.write_boolean(row, column, value)
            elif kind is int or kind is float:
                if math.isfinite(value):  # XLSX cannot hold NaN or infinity
                    ws.write_number(row, column, value)
            elif isinstance(value, datetime):
                moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
                ws.write_datetime(row, column, moment, date)
            else:
                ws.write_string(row, column, _text(value))
        self.row += 1

    def filter(self, last_row: int | None = None) -> None:
        """An autofilter over the header and the rows so far (kept until the close)."""
        last = (self.row if last_row is None else last_row) - 1
        self.ws.autofilter(0, 0, max(last, 0), len(self.headers) - 1)


def write_workbook(out: BinaryIO, rows: Iterable[AnswerRow], *,
                   titles: Mapping[str, str] | None = None, first_only: bool = True) -> None:
    """Write the workbook to the binary file ``out``: the answers are streamed into their
    sheet while the Summary lines and the item marks are folded, then those two sheets
    are filled. ``titles`` maps question ids to their titles for the Items sheet;
    ``first_only`` analyses each learner's first attempt only (as Moodle does)."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    formats = {"bold": book.add_format({"bold": True}),
               "date": book.add_format({"num_format": DATE_FORMAT})}
    summary_ws = _Sheet(book, "Summary", SUMMARY_HEADERS, formats)
    answers_ws = _Sheet(book, "Answers", HEADERS, formats)
    items_ws = _Sheet(book, "Items", ITEM_HEADERS, formats)
    summary, marks = Summary(), ItemMarks()
    try:
        answers_ws.header()
        for row in marks.passing(summary.passing(rows)):
            answers_ws.append(answer_cells(row))
        answers_ws.filter()

        summary_ws.header()
        for line in summary.rows():
            summary_ws.append(line)
        summary_ws.filter()

        stats = marks.stats(first_only)
        items_ws.header()
        for line in item_cells(stats, titles):
            items_ws.append(line)
        items_ws.filter()  # the question table only; the test line sits below a gap
        items_ws.row += 1
        items_ws.header(OVERALL_HEADERS)
        items_ws.append(overall_cells(stats))
    except BaseException:
        _abandon(book, (summary_ws, answers_ws, items_ws))
        raise
    book.close()


def _abandon(book, sheets: Sequence[_Sheet]) -> None:
    """After a failure: close the book (a server must not pile up temporary files) and
    remove the row files XlsxWriter keeps for sheets that never got a row."""
    with contextlib.suppress(Exception):
        book.close()
    for sheet in sheets:
        with contextlib.suppress(OSError, TypeError):
            os.unlink(sheet.ws.row_data_filename)
