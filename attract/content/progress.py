"""Course progress from the lessons a learner has read and the quizzes passed (pure).

``course_progress`` decides, once, which steps are done; pages and the API read the
answer from it rather than asking "is this item done" again.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from .model import Course, Item, Module


@dataclass(frozen=True)
class Step:
    item: Item
    done: bool


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    steps: tuple[Step, ...]

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class CourseProgress:
    modules: tuple[ModuleProgress, ...]

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for module in self.modules for step in module.steps)

    @property
    def done(self) -> int:
        return sum(module.done for module in self.modules)

    @property
    def total(self) -> int:
        return sum(module.total for module in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def next_item(self) -> Item | None:
        """The first step not done yet, in course order."""
        return next((step.item for step in self.steps if not step.done), None)


def is_done(item: Item, read_lessons: Set[str], passed_quizzes: Set[str]) -> bool:
    """A lesson once read, a quiz once passed (by its grading)."""
    return item.slug in (read_lessons if item.kind == "lesson" else passed_quizzes)


def course_progress(course: Course, read_lessons: Set[str],
                    passed_quizzes: Set[str] = frozenset()) -> CourseProgress:
    """Every step of the course, module by module, with whether it is done."""
    return CourseProgress(tuple(
        ModuleProgress(module, tuple(Step(item, is_done(item, read_lessons, passed_quizzes))
                                     for item in module.items))
        for module in course.modules))
