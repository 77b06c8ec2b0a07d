"""Load and validate a content folder (``courses/``, ``lessons/``, ``quizzes/``).

``load_library(root)`` reads every file, reports *all* problems at once as
``Problem(path, line, message)`` (printed ``path:line: message``) and raises
``ContentError`` if there are any; otherwise it returns a ``Library``. One file is
loaded by ``lessons.py``, ``quizzes.py`` or ``courses.py``; here the folders are
listed, slugs kept unique, and references between files checked.
"""

from __future__ import annotations

import os
from pathlib import Path

from .courses import load_course
from .lessons import load_lesson
from .model import Course, Item, Library, Quiz
from .quizzes import key_position_warning, load_quiz
from .report import SLUG, ContentError, Problem, display_path

YAML_SUFFIXES = (".yaml", ".yml")
CONTENT_FOLDERS = ("courses", "lessons", "quizzes")
ITEM_FILES = {"lesson": "lessons/<slug>.md", "quiz": "quizzes/<slug>.yaml"}


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
    for folder in CONTENT_FOLDERS:
        directory = root / folder
        if directory.is_dir():
            files.extend(p for p in directory.iterdir() if p.is_file())
    return sorted(files)


def _check_lessons_exist(quiz: Quiz, lesson_slugs: set[str], problems: list[Problem]) -> None:
    """Report each question whose ``lesson`` names no lesson file."""
    for question in quiz.questions:
        lesson = question.get("lesson")
        if isinstance(lesson, str) and SLUG.match(lesson) and lesson not in lesson_slugs:
            problems.append(Problem(quiz.path, question.line_of("lesson"),
                                    f"lesson '{lesson}' does not exist "
                                    f"(no lessons/{lesson}.md)"))


def _check_items_exist(course: Course, lines: dict[Item, int], known: dict[str, set[str]],
                       problems: list[Problem]) -> bool:
    """Report each item that names no file of its kind; True when every one exists."""
    missing = [(item, line) for item, line in lines.items()
               if item.slug not in known[item.kind]]
    for item, line in missing:
        problems.append(Problem(course.path, line, f"{item.kind} '{item.slug}' does not exist "
                                f"(no {ITEM_FILES[item.kind].replace('<slug>', item.slug)})"))
    return not missing


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
            _check_lessons_exist(quiz, lesson_slugs, problems)
    courses = {}
    course_paths = _unique(_files(root / "courses", YAML_SUFFIXES, problems), problems,
                           "course")
    # A file that exists but is invalid has its own problems; don't also call it missing.
    known = {"lesson": lesson_slugs, "quiz": {p.stem for p in quiz_paths}}
    for path in course_paths:
        loaded = load_course(path, problems)
        if loaded:
            course, lines = loaded
            if _check_items_exist(course, lines, known, problems):
                courses[course.slug] = course
    if not course_paths and (root / "courses").is_dir():
        problems.append(Problem(display_path(root / "courses"), 1,
                                "no course files: add courses/<slug>.yaml"))
    if problems:
        raise ContentError(problems)
    ordered = dict(sorted(courses.items(), key=lambda kv: kv[1].title.lower()))
    warnings = tuple(w for quiz in quizzes.values() if (w := key_position_warning(quiz)))
    return Library(courses=ordered, lessons=lessons, quizzes=quizzes, warnings=warnings)
