"""Course progress from the lessons a learner has read and the quizzes passed (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Course, Item, Module


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    done: int
    total: int


@dataclass(frozen=True)
class CourseProgress:
    modules: tuple[ModuleProgress, ...]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def is_done(item: Item, read_lessons: set[str], passed_quizzes: set[str]) -> bool:
    return item.slug in (read_lessons if item.kind == "lesson" else passed_quizzes)


def course_progress(course: Course, read_lessons: set[str],
                    passed_quizzes: set[str] = frozenset()) -> CourseProgress:
    """Finished steps per module: a lesson once read, a quiz once passed (by its grading)."""
    modules = []
    for module in course.modules:
        done = sum(is_done(item, read_lessons, passed_quizzes) for item in module.items)
        modules.append(ModuleProgress(module, done, len(module.items)))
    return CourseProgress(tuple(modules), sum(m.done for m in modules),
                          sum(m.total for m in modules))
