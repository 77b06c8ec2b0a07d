"""Load one quiz: ``quizzes/<slug>.yaml``, its settings and its questions.

The quiz's structure and the fields every question has are checked here; each
question type's own fields are checked by the scoring registry (``check_question``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..scoring import COMMON_FIELDS, GRADING_POLICIES, QUESTION_TYPES, check_question
from .model import Quiz
from .report import SLUG, Problem, Report, display_path, yaml_file
from .yamlio import LineDict, LineList

QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
QUIZ_FIELDS = {"title": True, "pass_mark": True, "attempts": True, "grading": True,
               "shuffle": True, "time_limit_seconds": False, "questions": True,
               "description": False, "review": False, "delay_between_attempts_seconds": False}
REVIEW_FIELDS = {"answers": False}
# When a submitted attempt's result shows the keys, the explanations and each answer's
# feedback (whether each answer was right, its points and the score always show):
#   immediately: on submitting; after_pass: once the learner has passed this quiz or has
#   no attempts left (the default: a key read on a failed attempt is not then typed into
#   the next one); never: not on the result at all.
REVIEW_ANSWERS = ("immediately", "after_pass", "never")
DEFAULT_REVIEW_ANSWERS = "after_pass"


def load_quiz(path: Path, problems: list[Problem]) -> Quiz | None:
    """The quiz in ``path``, or None when it has problems (added to ``problems``)."""
    report = Report(path, problems)
    loaded = yaml_file(path, report, QUIZ_FIELDS, "the quiz")
    if loaded is None:
        return None
    slug, data, text = loaded
    title = report.text(data, "title", "the quiz")
    pass_mark = report.integer(data, "pass_mark", "the quiz", 0, 100)
    attempts = report.integer(data, "attempts", "the quiz", 0, 1000)
    grading = data.get("grading")
    if "grading" in data and grading not in GRADING_POLICIES:
        report.add(data.line_of("grading"),
                   f"'grading' must be one of {', '.join(GRADING_POLICIES)}")
    shuffle = data.get("shuffle")
    if "shuffle" in data and not isinstance(shuffle, bool):
        report.add(data.line_of("shuffle"), "'shuffle' must be true or false")
    time_limit = report.integer(data, "time_limit_seconds", "the quiz", 10, 24 * 3600)
    delay = report.integer(data, "delay_between_attempts_seconds", "the quiz", 1, 30 * 86400)
    description = data.get("description", "")
    if not isinstance(description, str):
        report.add(data.line_of("description"), "'description' must be text")
    review_answers = _review(data, report)
    questions = _questions(data, report)
    if report.failed:
        return None
    return Quiz(slug=slug, title=title, pass_mark=pass_mark, attempts=attempts,
                grading=grading, shuffle=shuffle, time_limit_seconds=time_limit,
                questions=questions,
                version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
                path=display_path(path), description=description.strip(),
                review_answers=review_answers, delay_between_attempts_seconds=delay)


def _review(data: LineDict, report: Report) -> str:
    """``review: {answers: ...}``: when a result shows keys and explanations."""
    if "review" not in data:
        return DEFAULT_REVIEW_ANSWERS
    review = report.fields(data["review"], REVIEW_FIELDS, "'review'", data.line_of("review"))
    if review is None:
        return DEFAULT_REVIEW_ANSWERS
    answers = review.get("answers", DEFAULT_REVIEW_ANSWERS)
    if answers not in REVIEW_ANSWERS:
        report.add(review.line_of("answers"), "'answers' in 'review' must be one of "
                                              f"{', '.join(REVIEW_ANSWERS)}")
        return DEFAULT_REVIEW_ANSWERS
    return answers


def _questions(data: LineDict, report: Report) -> tuple[dict, ...]:
    value = data.get("questions")
    if "questions" not in data:
        return ()
    if not isinstance(value, LineList) or not value:
        report.add(data.line_of("questions"), "'questions' must be a non-empty list")
        return ()
    seen: dict[str, int] = {}  # question id -> its line
    questions = []
    for index, question in enumerate(value):
        what = f"question {index + 1}"
        if not isinstance(question, LineDict):
            report.add(value.line_of(index), f"{what} must be a mapping of fields")
            continue
        _check_question(question, what, seen, report)
        questions.append(question)
    return tuple(questions)


def _check_question(question: LineDict, what: str, seen: dict[str, int],
                    report: Report) -> None:
    """Report the problems of one question; its id is added to ``seen`` when new."""
    for key, required in COMMON_FIELDS.items():
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


def key_position_warning(quiz: Quiz, share: float = 0.6, at_least: int = 3) -> Problem | None:
    """A warning when more than ``share`` of a quiz's single-choice keys stand in one place
    of the file's option lists. Attempts shuffle options, so learners cannot use it; but a
    question with ``shuffle: false``, a printed copy or a trainer reading the options out
    would give the answer away by position. Fewer than ``at_least`` keys make no pattern."""
    places = [[str(o["id"]) for o in q["options"]].index(str(q["key"]))
              for q in quiz.questions if q["type"] == "choice" and not q.get("multiple")]
    if len(places) < at_least:
        return None
    common = max(set(places), key=places.count)
    if places.count(common) <= share * len(places):
        return None
    return Problem(quiz.path, 1, f"warning: {places.count(common)} of {len(places)} "
                   f"single-choice keys are option {common + 1} in the file; vary where "
                   "the right answer stands")
