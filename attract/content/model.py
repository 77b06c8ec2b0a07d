"""Plain data for loaded content: lessons, quizzes, courses and the library of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .render import Slide, render_markdown, split_slides


@dataclass(frozen=True)
class Source:
    title: str
    author: str
    year: int | str


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    sources: tuple[Source, ...]
    body: str
    path: str

    @cached_property
    def html(self) -> str:
        return render_markdown(self.body)

    @cached_property
    def slides(self) -> tuple[Slide, ...]:
        return split_slides(self.title, self.body)


@dataclass(frozen=True)
class Quiz:
    slug: str
    title: str
    pass_mark: int
    attempts: int
    grading: str
    shuffle: bool
    time_limit_seconds: int | None
    questions: tuple[dict, ...]
    version: str
    path: str
    description: str = ""
    review_answers: str = "after_pass"      # immediately | after_pass | never
    delay_between_attempts_seconds: int | None = None


@dataclass(frozen=True)
class Item:
    """One step of a module: a lesson or a quiz, by slug."""

    kind: str  # "lesson" | "quiz"
    slug: str


@dataclass(frozen=True)
class Module:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    audience: str
    pass_mark: int
    modules: tuple[Module, ...]
    path: str

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for module in self.modules for item in module.items)

    def lesson_slugs(self) -> tuple[str, ...]:
        return tuple(item.slug for item in self.items if item.kind == "lesson")

    def minutes(self, library: Library) -> int:
        return sum(library.lessons[s].minutes for s in self.lesson_slugs())


@dataclass(frozen=True)
class Library:
    """Everything under a content folder, validated and cross-checked."""

    courses: dict[str, Course] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    warnings: tuple = ()  # Problem: worth a look, but the content is valid

    def courses_with(self, kind: str, slug: str) -> list[Course]:
        return [c for c in self.courses.values() if Item(kind, slug) in c.items]

    def neighbours(self, course: Course, kind: str, slug: str) -> tuple[Item | None, Item | None]:
        """The items before and after ``(kind, slug)`` in ``course`` order."""
        items = course.items
        index = items.index(Item(kind, slug))
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        return before, after

    def title_of(self, item: Item) -> str:
        source = self.lessons if item.kind == "lesson" else self.quizzes
        return source[item.slug].title

    def question_map(self, slugs: Iterable[str] | None = None
                     ) -> dict[tuple[str, str], Mapping]:
        """``(quiz slug, question id) -> question`` for the quizzes ``slugs`` names, in
        that order (unknown slugs skipped); every quiz when ``slugs`` is None."""
        return {(slug, str(q["id"])): q
                for slug in (self.quizzes if slugs is None else slugs)
                if slug in self.quizzes for q in self.quizzes[slug].questions}
