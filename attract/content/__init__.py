"""Pure content core: load and validate courses, lessons and quizzes from files.

Imports neither Flask nor SQLAlchemy (a test checks), so the CLI, the web views
and the API share it and it is tested without an app.
"""

from .loader import load_library
from .model import Course, Item, Lesson, Library, Module, Quiz, Source
from .render import Slide, render_markdown
from .report import ContentError, Problem
from .store import ContentStore

__all__ = [
    "ContentError", "ContentStore", "Course", "Item", "Lesson", "Library", "Module", "Problem",
    "Quiz", "Slide", "Source", "load_library", "render_markdown",
]
