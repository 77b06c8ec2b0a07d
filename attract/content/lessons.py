"""Load one lesson: ``lessons/<slug>.md``, YAML front matter then a Markdown body."""

from __future__ import annotations

from pathlib import Path

from .model import Lesson, Source
from .report import Problem, Report, display_path, parse_yaml, read_text, slug_from
from .yamlio import LineDict

LESSON_FIELDS = {"title": True, "summary": True, "minutes": True, "objectives": True,
                 "sources": True}
SOURCE_FIELDS = {"title": True, "author": True, "year": True}


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """Return ``(front matter, its first line, body, body's first line)`` or None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return front, 2, body, index + 2
    return None


def _sources(data: LineDict, report: Report) -> tuple[Source, ...] | None:
    value = data.get("sources")
    if "sources" not in data:
        return None
    if not isinstance(value, list) or not value:
        report.add(data.line_of("sources"), "'sources' must be a non-empty list of "
                   "{title, author, year} crediting the posts")
        return None
    sources, good = [], True
    for index, entry in enumerate(value):
        what = f"source {index + 1}"
        entry = report.fields(entry, SOURCE_FIELDS, what, value.line_of(index))
        if entry is None:
            good = False
            continue
        title, author = report.text(entry, "title", what), report.text(entry, "author", what)
        year = entry.get("year")
        if "year" in entry and (isinstance(year, bool) or not isinstance(year, int | str)
                                or (isinstance(year, str) and not year.strip())):
            report.add(entry.line_of("year"), f"'year' in {what} must be a year such as 2012 "
                                              "or text such as 'c. 2013'")
            year = None
        if title and author and year is not None:
            sources.append(Source(title, author, year.strip() if isinstance(year, str) else year))
        else:
            good = False
    return tuple(sources) if good else None


def load_lesson(path: Path, problems: list[Problem]) -> Lesson | None:
    """The lesson in ``path``, or None when it has problems (added to ``problems``)."""
    report = Report(path, problems)
    slug = slug_from(path, report)
    text = read_text(path, report)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        report.add(1, "a lesson starts with YAML front matter between two '---' lines "
                      "(title, summary, minutes, objectives, sources)")
        return None
    front, front_line, body, body_line = parts
    data = parse_yaml(front, report, front_line)
    if data is None and report.failed:
        return None
    data = report.fields(data, LESSON_FIELDS, "the front matter", front_line)
    if data is None:
        return None
    title = report.text(data, "title", "the front matter")
    summary = report.text(data, "summary", "the front matter")
    minutes = report.integer(data, "minutes", "the front matter", 1, 240)
    objectives = report.text_list(data, "objectives", "the front matter")
    sources = _sources(data, report)
    if not body.strip():
        report.add(body_line, "the lesson has no body after its front matter")
    if report.failed:
        return None
    return Lesson(slug=slug, title=title, summary=summary, minutes=minutes,
                  objectives=objectives, sources=sources, body=body.strip() + "\n",
                  path=display_path(path))
