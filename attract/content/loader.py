"""Load and validate a content folder (``courses/``, ``lessons/``, ``quizzes/``).

``load_library(root)`` reads every file, reports *all* problems at once as
``Problem(path, line, message)`` (printed ``path:line: message``) and raises
``ContentError`` if there are any; otherwise it returns a ``Library``.
Question-type rules beyond the common fields come from the scoring registry
(the quiz issue); here a quiz is checked for its structure.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..scoring import QUESTION_TYPES, check_question
from .model import Course, Item, Lesson, Library, Module, Quiz, Source
from .yamlio import LineDict, LineList, YamlSyntaxError, load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
GRADING = ("best", "latest", "average")

LESSON_FIELDS = {"title": True, "summary": True, "minutes": True, "objectives": True,
                 "sources": True}
SOURCE_FIELDS = {"title": True, "author": True, "year": True}
COURSE_FIELDS = {"title": True, "summary": True, "audience": True, "pass_mark": True,
                 "modules": True}
MODULE_FIELDS = {"title": True, "items": True}
QUIZ_FIELDS = {"title": True, "pass_mark": True, "attempts": True, "grading": True,
               "shuffle": True, "time_limit_seconds": False, "questions": True,
               "description": False}
QUESTION_COMMON = {"id": True, "type": True, "prompt": True, "points": True,
                   "explanation": True}
YAML_SUFFIXES = (".yaml", ".yml")


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


class _Report:
    """Collects problems for one file."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = display_path(path)
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(line, 1), message))

    # Field checks: each returns the value when valid, else None (and reports).

    def fields(self, data: object, spec: dict[str, bool], what: str, line: int) -> LineDict | None:
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


def _read(path: Path, report: _Report) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.add(1, f"not valid UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        report.add(1, f"cannot read file: {exc.strerror}")
    return None


def _parse_yaml(text: str, report: _Report, first_line: int = 1) -> object | None:
    try:
        data, duplicates = load_yaml(text, first_line)
    except YamlSyntaxError as exc:
        report.add(exc.line, exc.message)
        return None
    for line, key in duplicates:
        report.add(line, f"field '{key}' is given twice")
    return data


def _slug_from(path: Path, report: _Report) -> str | None:
    slug = path.stem
    if not SLUG.match(slug):
        report.add(1, f"file name '{path.name}' is not a valid slug: use lowercase letters, "
                      "digits and single hyphens, e.g. 'earning-the-right-to-ask'")
        return None
    return slug


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


def _sources(data: LineDict, report: _Report) -> tuple[Source, ...] | None:
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
    report = _Report(path, problems)
    before = len(problems)
    slug = _slug_from(path, report)
    text = _read(path, report)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        report.add(1, "a lesson starts with YAML front matter between two '---' lines "
                      "(title, summary, minutes, objectives, sources)")
        return None
    front, front_line, body, body_line = parts
    data = _parse_yaml(front, report, front_line)
    if data is None and len(problems) > before:
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
    if len(problems) > before:
        return None
    return Lesson(slug=slug, title=title, summary=summary, minutes=minutes,
                  objectives=objectives, sources=sources, body=body.strip() + "\n",
                  path=display_path(path))


def _yaml_file(path: Path, report: _Report, spec: dict[str, bool], what: str):
    """Read a YAML content file and check its top-level fields: ``(slug, data, text)`` or None."""
    before = len(report.problems)
    slug = _slug_from(path, report)
    text = _read(path, report)
    if text is None:
        return None
    data = _parse_yaml(text, report)
    if len(report.problems) > before:
        return None
    data = report.fields(data, spec, what, 1)
    return None if data is None else (slug, data, text)


def load_quiz(path: Path, problems: list[Problem]) -> Quiz | None:
    report = _Report(path, problems)
    before = len(problems)
    loaded = _yaml_file(path, report, QUIZ_FIELDS, "the quiz")
    if loaded is None:
        return None
    slug, data, text = loaded
    title = report.text(data, "title", "the quiz")
    pass_mark = report.integer(data, "pass_mark", "the quiz", 0, 100)
    attempts = report.integer(data, "attempts", "the quiz", 0, 1000)
    grading = data.get("grading")
    if "grading" in data and grading not in GRADING:
        report.add(data.line_of("grading"), f"'grading' must be one of {', '.join(GRADING)}")
    shuffle = data.get("shuffle")
    if "shuffle" in data and not isinstance(shuffle, bool):
        report.add(data.line_of("shuffle"), "'shuffle' must be true or false")
    time_limit = report.integer(data, "time_limit_seconds", "the quiz", 10, 24 * 3600)
    description = data.get("description", "")
    if not isinstance(description, str):
        report.add(data.line_of("description"), "'description' must be text")
    questions = _questions(data, report)
    if len(problems) > before:
        return None
    return Quiz(slug=slug, title=title, pass_mark=pass_mark, attempts=attempts,
                grading=grading, shuffle=shuffle, time_limit_seconds=time_limit,
                questions=questions,
                version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
                path=display_path(path), description=description.strip())


def _questions(data: LineDict, report: _Report) -> tuple[dict, ...]:
    value = data.get("questions")
    if "questions" not in data:
        return ()
    if not isinstance(value, LineList) or not value:
        report.add(data.line_of("questions"), "'questions' must be a non-empty list")
        return ()
    seen: dict[str, int] = {}
    questions = []
    for index, question in enumerate(value):
        line = value.line_of(index)
        what = f"question {index + 1}"
        if not isinstance(question, LineDict):
            report.add(line, f"{what} must be a mapping of fields")
            continue
        for key, required in QUESTION_COMMON.items():
            if required and key not in question:
                report.add(question.line, f"missing field '{key}' in {what}")
        qid = question.get("id")
        if "id" in question:
            if not isinstance(qid, str) or not QUESTION_ID.match(qid):
                report.add(question.line_of("id"), f"'id' in {what} must be text of letters, "
                           "digits, '-' or '_' (at most 64), e.g. 'like-my-page'")
            elif qid in seen:
                report.add(question.line_of("id"),
                           f"question id '{qid}' is used twice (first on line {seen[qid]}); "
                           "ids must be unique in a quiz, results are keyed by them")
            else:
                seen[qid] = question.line_of("id")
        qtype = question.get("type")
        if "type" in question and qtype not in QUESTION_TYPES:
            report.add(question.line_of("type"),
                       f"unknown question type '{qtype}'; known types: {', '.join(QUESTION_TYPES)}")
        report.text(question, "prompt", what)
        report.text(question, "explanation", what)
        lesson = question.get("lesson")
        if "lesson" in question and (not isinstance(lesson, str) or not SLUG.match(lesson)):
            report.add(question.line_of("lesson"), f"'lesson' in {what} must be a lesson slug")
        for line, message in check_question(question, what):
            report.add(line, message)
        points = question.get("points")
        if "points" in question and (isinstance(points, bool) or not isinstance(points, int | float)
                                     or not 0 < points <= 1000):
            report.add(question.line_of("points"), f"'points' in {what} must be a number above 0")
        questions.append(question)
    return tuple(questions)


def _items(module: LineDict, report: _Report, what: str) -> tuple[Item, ...] | None:
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


def load_course(path: Path, problems: list[Problem]):
    """Return ``(Course, {Item: line})`` or None; references are checked by the caller."""
    report = _Report(path, problems)
    before = len(problems)
    loaded = _yaml_file(path, report, COURSE_FIELDS, "the course")
    if loaded is None:
        return None
    slug, data, _ = loaded
    title = report.text(data, "title", "the course")
    summary = report.text(data, "summary", "the course")
    audience = report.text(data, "audience", "the course")
    pass_mark = report.integer(data, "pass_mark", "the course", 0, 100)
    modules, lines = [], {}
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
    if len(problems) > before:
        return None
    course = Course(slug=slug, title=title, summary=summary, audience=audience,
                    pass_mark=pass_mark, modules=tuple(modules), path=display_path(path))
    return course, lines


def _files(folder: Path, suffixes: tuple[str, ...], problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), 1, f"missing folder '{folder.name}/'"))
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix in suffixes:
            found.append(path)
        else:
            expected = " or ".join(suffixes)
            problems.append(Problem(display_path(path), 1,
                                    f"unexpected file in {folder.name}/: expected {expected}"))
    return found


def _unique(paths: list[Path], problems: list[Problem], kind: str) -> list[Path]:
    by_slug: dict[str, Path] = {}
    kept = []
    for path in paths:
        if path.stem in by_slug:
            problems.append(Problem(display_path(path), 1, f"duplicate {kind} slug '{path.stem}': "
                                    f"{display_path(by_slug[path.stem])} has the same slug"))
        else:
            by_slug[path.stem] = path
            kept.append(path)
    return kept


def content_files(root: Path) -> list[Path]:
    """Every file that content loading reads, for change detection."""
    files = []
    for folder in ("courses", "lessons", "quizzes"):
        directory = root / folder
        if directory.is_dir():
            files.extend(p for p in directory.iterdir() if p.is_file())
    return sorted(files)


def load_library(root: str | os.PathLike) -> Library:
    """Load every course, lesson and quiz under ``root``; ``ContentError`` lists all problems."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(display_path(root), 1, "content folder does not exist")])
    lessons = {}
    lesson_paths = _unique(_files(root / "lessons", (".md",), problems), problems, "lesson")
    for path in lesson_paths:
        lesson = load_lesson(path, problems)
        if lesson:
            lessons[lesson.slug] = lesson
    quizzes = {}
    quiz_paths = _files(root / "quizzes", YAML_SUFFIXES, problems)
    lesson_slugs = {p.stem for p in lesson_paths}
    for path in _unique(quiz_paths, problems, "quiz"):
        quiz = load_quiz(path, problems)
        if quiz:
            quizzes[quiz.slug] = quiz
            for question in quiz.questions:
                lesson = question.get("lesson")
                if isinstance(lesson, str) and SLUG.match(lesson) and lesson not in lesson_slugs:
                    problems.append(Problem(quiz.path, question.line_of("lesson"),
                                            f"lesson '{lesson}' does not exist "
                                            f"(no lessons/{lesson}.md)"))
    courses = {}
    course_paths = _unique(_files(root / "courses", YAML_SUFFIXES, problems), problems,
                           "course")
    for path in course_paths:
        loaded = load_course(path, problems)
        if not loaded:
            continue
        course, lines = loaded
        # A file that exists but is invalid has its own problems; don't also call it missing.
        known = {"lesson": lesson_slugs, "quiz": {p.stem for p in quiz_paths}}
        folder = {"lesson": "lessons/<slug>.md", "quiz": "quizzes/<slug>.yaml"}
        missing = [(item, line) for item, line in lines.items()
                   if item.slug not in known[item.kind]]
        for item, line in missing:
            problems.append(Problem(course.path, line, f"{item.kind} '{item.slug}' does not exist "
                                    f"(no {folder[item.kind].replace('<slug>', item.slug)})"))
        if not missing:
            courses[course.slug] = course
    if not course_paths and (root / "courses").is_dir():
        problems.append(Problem(display_path(root / "courses"), 1,
                                "no course files: add courses/<slug>.yaml"))
    if problems:
        raise ContentError(problems)
    ordered = dict(sorted(courses.items(), key=lambda kv: kv[1].title.lower()))
    return Library(courses=ordered, lessons=lessons, quizzes=quizzes)
