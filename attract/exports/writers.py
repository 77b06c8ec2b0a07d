"""Writers that stream rows out as text, one line at a time, never a whole file in memory.

CSV is UTF-8 with a byte-order mark (so Excel reads accents right), RFC 4180 quoting and
CRLF line ends. Any text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also after leading blanks) gets
a leading apostrophe, as OWASP advises for CSV injection: a nickname such as
``=HYPERLINK(...)`` arrives as text. Numbers are left alone, so -2000 points stays a number.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


_RUNS = frozenset(FORMULA_START)
_PLAIN = (int, float, bool)
_AS_IS = (int, float, bool, type(None))  # the csv module writes these right by itself


@functools.lru_cache(maxsize=4096)  # an attempt's rows share its times
def _iso(value: datetime) -> str:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def spreadsheet_safe(value: object) -> object:
    """A cell as it may be written: text that would run as a formula is neutralised,
    times are UTC ISO 8601, None is empty; numbers and booleans are kept.

    Called once per cell of every export, so the common cases come first and cost one
    type check (a 100,000-row CSV has about two million cells)."""
    kind = type(value)
    if kind is str:
        text = value
    elif value is None:
        return ""
    elif kind in _PLAIN:
        return value
    elif isinstance(value, datetime):
        return _iso(value)
    elif isinstance(value, bool | int | float):
        return value
    else:
        text = str(value)
    if not text:
        return text
    first = text[0]
    # leading blanks too: some spreadsheets trim them and then run "  =1+1"
    if first in _RUNS or (first.isspace() and text.lstrip()[:1] in _RUNS):
        return "'" + text
    return text


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[object]],
              batch: int = 256, ready: bool = False) -> Iterator[str]:
    """The CSV file in pieces: the BOM and the header first, then ``batch`` lines at a
    time (a piece per line would cost more in the generator than in the writing).

    Every cell goes through ``spreadsheet_safe`` unless the rows come ``ready`` (their
    maker has already neutralised each cell that needs it, as ``rows.csv_cells`` does)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    safe = spreadsheet_safe

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([safe(cell) for cell in headers])
    yield BOM + flush()
    pending = 0
    write = writer.writerow
    for row in rows:
        write(row if ready else [cell if type(cell) in _AS_IS else safe(cell) for cell in row])
        pending += 1
        if pending == batch:
            yield flush()
            pending = 0
    if pending:
        yield flush()
