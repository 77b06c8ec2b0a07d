"""Pure export writers: ``(headers, rows)`` in, text out, streamed (no Flask, no SQL)."""

from .writers import csv_lines, spreadsheet_safe

__all__ = ["csv_lines", "spreadsheet_safe"]
