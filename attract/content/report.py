"""Reporting content problems as ``path:line: message``, and reading content files.

A ``Report`` collects the problems of one file into a shared list; its field checks
return the value when it is valid and report (returning None) when it is not, so a
loader checks every field and every problem is found in one pass.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .yamlio import LineDict, YamlSyntaxError, load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised by ``load_library`` with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """A path as a person would click it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


class Report:
    """Collects problems for one file into ``problems`` (shared by every file loaded)."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = display_path(path)
        self.problems = problems
        self._start = len(problems)

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(line, 1), message))

    @property
    def failed(self) -> bool:
        """Whether any problem has been reported since this report began."""
        return len(self.problems) > self._start

    # Field checks: each returns the value when valid, else None (and reports).

    def fields(self, data: object, spec: dict[str, bool], what: str, line: int) -> LineDict | None:
        """``data`` as a mapping whose fields are ``spec``'s (field -> required)."""
        if not isinstance(data, LineDict):
            self.add(getattr(data, "line", line), f"{what} must be a mapping of fields")
            return None
        for key in data:
            if key not in spec:
                hint = difflib.get_close_matches(str(key), spec, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                known = ", ".join(spec)
                self.add(data.line_of(key),
                         f"unknown field '{key}' in {what}{suggestion}; known fields: {known}")
        for key, required in spec.items():
            if required and key not in data:
                self.add(data.line, f"missing field '{key}' in {what}")
        return data

    def text(self, data: LineDict, key: str, what: str) -> str | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.add(data.line_of(key), f"'{key}' in {what} must be non-empty text")
            return None
        return value.strip()

    def integer(self, data: LineDict, key: str, what: str, low: int, high: int) -> int | None:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(data.line_of(key),
                     f"'{key}' in {what} must be a whole number from {low} to {high}")
            return None
        return value

    def text_list(self, data: LineDict, key: str, what: str) -> tuple[str, ...] | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, list) or not value:
            self.add(data.line_of(key), f"'{key}' in {what} must be a non-empty list")
            return None
        good = True
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(value.line_of(index), f"each of '{key}' in {what} must be non-empty text")
                good = False
        return tuple(s.strip() for s in value) if good else None


def read_text(path: Path, report: Report) -> str | None:
    """The file's text, or None when it cannot be read as UTF-8 (reported)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.add(1, f"not valid UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        report.add(1, f"cannot read file: {exc.strerror}")
    return None


def parse_yaml(text: str, report: Report, first_line: int = 1) -> object | None:
    """The parsed YAML (None on a syntax error); every repeated field is reported."""
    try:
        data, duplicates = load_yaml(text, first_line)
    except YamlSyntaxError as exc:
        report.add(exc.line, exc.message)
        return None
    for line, key in duplicates:
        report.add(line, f"field '{key}' is given twice")
    return data


def slug_from(path: Path, report: Report) -> str | None:
    """The file name's stem when it is a valid slug, else None (reported)."""
    slug = path.stem
    if not SLUG.match(slug):
        report.add(1, f"file name '{path.name}' is not a valid slug: use lowercase letters, "
                      "digits and single hyphens, e.g. 'earning-the-right-to-ask'")
        return None
    return slug


def yaml_file(path: Path, report: Report, spec: dict[str, bool],
              what: str) -> tuple[str | None, LineDict, str] | None:
    """Read a YAML content file and check its top-level fields: ``(slug, data, text)`` or None."""
    slug = slug_from(path, report)
    text = read_text(path, report)
    if text is None:
        return None
    data = parse_yaml(text, report)
    if report.failed:
        return None
    data = report.fields(data, spec, what, 1)
    return None if data is None else (slug, data, text)
