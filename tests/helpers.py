"""What tests share besides fixtures: the test password, reading a page's CSRF token,
and a tiny valid content tree to break in one place per test.

Import from here (``from tests.helpers import ...``); fixtures live in ``conftest.py``.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

PASSWORD = "correct horse battery"
# Set to a PostgreSQL URL to run every test there (see conftest.py); SQLite otherwise.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


LESSON = """\
---
title: "Hello"
summary: "A short lesson."
minutes: 5
objectives:
  - "Say hello"
sources:
  - title: "A post"
    author: "Someone"
    year: 2012
---
Intro text.

## First slide
Body with a footnote.[^1]

## Second slide
More.

[^1]: The post.
"""

COURSE = """\
title: "A course"
summary: "About things."
audience: "People."
pass_mark: 70
modules:
  - title: "One"
    items:
      - lesson: hello
      - quiz: check
"""

QUIZ = """\
title: "Check"
pass_mark: 60
attempts: 0
grading: best
shuffle: false
questions:
  - id: q1
    type: verdict
    prompt: "Attraction or interruption?"
    points: 1
    explanation: "Because."
    scenario:
      channel: facebook
      sender: "Dana"
      recipient: "Sam"
      message: "Like my page!"
    key: interruption
"""


class Tree:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir()
        for name in ("courses", "lessons", "quizzes"):
            (root / name).mkdir()
        self.write("lessons/hello.md", LESSON)
        self.write("courses/basics.yaml", COURSE)
        self.write("quizzes/check.yaml", QUIZ)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
