"""Exports end to end: a scope's rows from ``queries``, through a pure writer, to bytes.

Shared by the trainer's download links and ``flask export results``, so a file from the
page and a file from the CLI are the same file. CSV, JSON and xAPI stream a chunk at a
time; XLSX is a write-only workbook (rows go to its temporary sheet files as they come,
so memory stays flat), finished into a temporary file and then sent.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from ..content import Library
from .jsonout import json_chunks
from .queries import Scope, answer_rows
from .rows import HEADERS, AnswerRow, csv_cells
from .writers import csv_lines, spreadsheet_safe
from .xapi import xapi_lines
from .xlsx import write_workbook

FORMATS = ("csv", "xlsx", "json", "xapi")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "xapi": "application/x-ndjson",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "xapi": "jsonl"}


def titles(library: Library) -> dict[str, str]:
    """Question id -> prompt, for the Items sheet and the analysis tables."""
    return {question_id: q["prompt"]
            for (_, question_id), q in library.question_map().items()}


def filename(scope: Scope, fmt: str, now: datetime) -> str:
    ident = {"quiz": scope.quiz, "all": "all"}.get(
        scope.kind, scope.workshop.id if scope.workshop else scope.cohort and scope.cohort.id)
    suffix = f"-cohort-{scope.cohort.id}" if scope.quiz and scope.cohort else ""
    return (f"attract-{scope.kind}-{ident}{suffix}-{now:%Y%m%d-%H%M}"
            f".{EXTENSIONS[fmt]}")


def counted(rows: Iterable[AnswerRow],
            progress: Callable[[int], None] | None) -> Iterator[AnswerRow]:
    for row in rows:
        yield row
        if progress is not None:
            progress(1)


def text_chunks(scope: Scope, fmt: str, library: Library, *, site_url: str,
                now: datetime | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """CSV, JSON or xAPI, a piece at a time."""
    now = now or datetime.now(UTC)
    rows = counted(answer_rows(scope, library), progress)
    if fmt == "csv":
        return csv_lines(HEADERS, (csv_cells(row, spreadsheet_safe) for row in rows),
                         ready=True)
    if fmt == "json":
        return json_chunks(rows, scope=scope.describe(library), exported_at=now,
                           titles=titles(library))
    if fmt == "xapi":
        return xapi_lines(rows, library.quizzes, site_url, now=now)
    raise ValueError(f"not a streamed format: {fmt}")


def write(scope: Scope, fmt: str, library: Library, out: BinaryIO, *, site_url: str,
          now: datetime | None = None,
          progress: Callable[[int], None] | None = None) -> None:
    """Any format into a binary file (the CLI's ``-o FILE``, or the XLSX download's
    temporary file)."""
    if fmt == "xlsx":
        write_workbook(out, counted(answer_rows(scope, library), progress),
                       titles=titles(library))
        return
    for chunk in text_chunks(scope, fmt, library, site_url=site_url, now=now,
                             progress=progress):
        out.write(chunk.encode("utf-8"))


def workbook_file(scope: Scope, library: Library, *, site_url: str) -> BinaryIO:
    """The finished XLSX in a temporary file, rewound, deleted once closed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    write(scope, "xlsx", library, spool, site_url=site_url)
    spool.seek(0)
    return spool
