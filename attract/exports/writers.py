"""Writers that stream rows out as text, one line at a time, never a whole file in memory.

CSV is UTF-8 with a byte-order mark (so Excel reads accents right), RFC 4180 quoting and
CRLF line ends. Any text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also after leading blanks) gets
a leading apostrophe, as OWASP advises for CSV injection: a nickname such as
``=HYPERLINK(...)`` arrives as text. Numbers are left alone, so -2000 points stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def spreadsheet_safe(value: object) -> object:
    """A cell as it may be written: text that would run as a formula is neutralised,
    times are UTC ISO 8601, None is empty; numbers and booleans are kept."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    # leading spaces too: some spreadsheets trim them and then run "  =1+1"
    runs = text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
    return "'" + text if runs else text


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV file, a line at a time: the BOM and the header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Sequence[object]) -> str:
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BOM + line(headers)
    for row in rows:
        yield line(row)
