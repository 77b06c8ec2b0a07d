"""Load one course: ``courses/<slug>.yaml``, its modules and their items.

Whether each item's lesson or quiz exists is checked by ``load_library``, which
knows every file.
"""

from __future__ import annotations

from pathlib import Path

from .model import Course, Item, Module
from .report import SLUG, Problem, Report, display_path, yaml_file
from .yamlio import LineDict, LineList

COURSE_FIELDS = {"title": True, "summary": True, "audience": True, "pass_mark": True,
                 "modules": True}
MODULE_FIELDS = {"title": True, "items": True}


def _items(module: LineDict, report: Report, what: str) -> tuple[tuple[Item, int], ...] | None:
    """The module's items with their lines, or None when any is invalid (reported)."""
    value = module.get("items")
    if "items" not in module:
        return None
    if not isinstance(value, LineList) or not value:
        report.add(module.line_of("items"), f"'items' in {what} must be a non-empty list")
        return None
    items, good = [], True
    for index, entry in enumerate(value):
        line = value.line_of(index)
        if not isinstance(entry, LineDict) or len(entry) != 1:
            report.add(line, f"each item in {what} is one 'lesson: <slug>' or 'quiz: <slug>'")
            good = False
            continue
        (kind, slug), = entry.items()
        if kind not in ("lesson", "quiz"):
            report.add(line, f"unknown item kind '{kind}' in {what}: use 'lesson' or 'quiz'")
            good = False
        elif not isinstance(slug, str) or not SLUG.match(slug):
            report.add(line, f"'{kind}' in {what} must name a slug, e.g. 'pull-not-push'")
            good = False
        else:
            items.append((Item(kind, slug), line))
    return tuple(items) if good else None


def load_course(path: Path, problems: list[Problem]) -> tuple[Course, dict[Item, int]] | None:
    """Return ``(Course, {Item: line})`` or None; references are checked by the caller."""
    report = Report(path, problems)
    loaded = yaml_file(path, report, COURSE_FIELDS, "the course")
    if loaded is None:
        return None
    slug, data, _ = loaded
    title = report.text(data, "title", "the course")
    summary = report.text(data, "summary", "the course")
    audience = report.text(data, "audience", "the course")
    pass_mark = report.integer(data, "pass_mark", "the course", 0, 100)
    modules: list[Module] = []
    lines: dict[Item, int] = {}
    value = data.get("modules")
    if "modules" in data and (not isinstance(value, LineList) or not value):
        report.add(data.line_of("modules"), "'modules' must be a non-empty list")
    elif "modules" in data:
        for index, module in enumerate(value):
            what = f"module {index + 1}"
            module = report.fields(module, MODULE_FIELDS, what, value.line_of(index))
            if module is None:
                continue
            module_title = report.text(module, "title", what)
            items = _items(module, report, what)
            if module_title and items:
                for item, line in items:
                    if item in lines:
                        report.add(line, f"{item.kind} '{item.slug}' is listed twice in the "
                                         f"course (first on line {lines[item]})")
                    else:
                        lines[item] = line
                modules.append(Module(module_title, tuple(item for item, _ in items)))
    if report.failed:
        return None
    course = Course(slug=slug, title=title, summary=summary, audience=audience,
                    pass_mark=pass_mark, modules=tuple(modules), path=display_path(path))
    return course, lines
