"""Course progress from the set of lessons a learner has read (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Course, Module


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


def course_progress(course: Course, read_lessons: set[str]) -> CourseProgress:
    """Count finished steps per module. Quizzes count once passed (the quiz issue wires that)."""
    modules = []
    for module in course.modules:
        lessons = [item for item in module.items if item.kind == "lesson"]
        done = sum(item.slug in read_lessons for item in lessons)
        modules.append(ModuleProgress(module, done, len(lessons)))
    return CourseProgress(tuple(modules), sum(m.done for m in modules),
                          sum(m.total for m in modules))
