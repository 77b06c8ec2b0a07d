"""Quiz and attempt endpoints of the JSON API (DESIGN.md's contract)."""

from __future__ import annotations

from flask import g

from ..attempts import (
    QuizError,
    answers_by_question,
    attempt_questions,
    find_attempt,
    is_expired,
    regrade_pending,
    save_answers,
    saved_answers,
    start_or_resume,
    submit,
)
from ..content import Quiz
from ..current import library
from ..models import Attempt
from ..scoring import answer_key, public_question
from . import bp
from .util import ApiError, json_body, token_required


def _quiz(slug: str) -> Quiz:
    quiz = library().quizzes.get(slug)
    if quiz is None:
        raise ApiError(404, "not_found", f"There is no quiz called '{slug}'.")
    return quiz


def _attempt(attempt_id: int) -> tuple[Attempt, Quiz]:
    attempt = find_attempt(attempt_id, g.api_user.id)
    if attempt is None:
        raise ApiError(404, "not_found", f"You have no attempt {attempt_id}.")
    quiz = library().quizzes.get(attempt.quiz_slug)
    if quiz is None:
        raise ApiError(404, "not_found", f"The quiz '{attempt.quiz_slug}' no longer exists.")
    return attempt, quiz


def _answers(body: dict, required: bool) -> dict:
    answers = body.get("answers")
    if answers is None and not required:
        return {}
    if not isinstance(answers, dict):
        raise ApiError(422, "invalid_field", "'answers' must be an object of "
                                             "{question_id: answer}.")
    return answers


def _quiz_error(exc: QuizError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message)


def _iso(moment) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


@bp.get("/quizzes/<slug>")
def get_quiz(slug: str):
    """The quiz as a learner sees it: never the keys or explanations."""
    quiz = _quiz(slug)
    return {"slug": quiz.slug, "title": quiz.title, "description": quiz.description,
            "pass_mark": quiz.pass_mark, "attempts": quiz.attempts, "grading": quiz.grading,
            "time_limit_seconds": quiz.time_limit_seconds,
            "questions": [public_question(q) for q in quiz.questions]}


def _state(attempt: Attempt, quiz: Quiz) -> dict:
    from ..models import aware

    state = {"attempt_id": attempt.id, "quiz": quiz.slug, "number": attempt.number,
             "status": attempt.status, "started_at": _iso(aware(attempt.started_at)),
             "deadline": _iso(aware(attempt.deadline))}
    if attempt.submitted:
        state.update(_result(attempt, quiz))
    else:
        state["questions"] = [public_question(q) for q in attempt_questions(attempt, quiz)]
        state["answers"] = saved_answers(attempt)
    return state


def _result(attempt: Attempt, quiz: Quiz) -> dict:
    rows = answers_by_question(attempt)
    questions = []
    for question in attempt_questions(attempt, quiz):
        row = rows.get(str(question["id"]))
        questions.append({
            "id": str(question["id"]), "fraction": row.fraction if row else 0.0,
            "points": row.points if row else 0.0, "possible": question["points"],
            "pending": bool(row and row.pending), "feedback": row.feedback if row else "",
            "answer": row.answer if row else None, "key": answer_key(question),
            "explanation": question["explanation"], "lesson": question.get("lesson"),
        })
    return {"score": attempt.score, "passed": attempt.passed, "pending": attempt.pending,
            "earned": attempt.earned, "possible": attempt.possible,
            "submitted_at": _iso(attempt.submitted_at), "questions": questions}


@bp.post("/quizzes/<slug>/attempts")
@token_required
def create_attempt(slug: str):
    quiz = _quiz(slug)
    try:
        attempt, created = start_or_resume(g.api_user.id, quiz)
    except QuizError as exc:
        raise _quiz_error(exc) from None
    return {"attempt_id": attempt.id, "resumed": not created,
            "deadline": _iso(attempt.deadline)}, 201 if created else 200


@bp.get("/attempts/<int:attempt_id>")
@token_required
def get_attempt(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    if is_expired(attempt):
        attempt = submit(attempt, quiz).attempt
    regrade_pending(attempt, quiz)
    return _state(attempt, quiz)


@bp.put("/attempts/<int:attempt_id>/answers")
@token_required
def put_answers(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    answers = _answers(json_body(), required=True)
    try:
        saved = save_answers(attempt, quiz, answers)
    except QuizError as exc:
        raise _quiz_error(exc) from None
    return {"attempt_id": attempt.id, "saved": sorted(saved)}


@bp.post("/attempts/<int:attempt_id>/submit")
@token_required
def submit_attempt(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    from flask import request

    body = json_body() if request.get_data(cache=True) else {}
    try:
        submission = submit(attempt, quiz, _answers(body, required=False))
    except QuizError as exc:
        raise _quiz_error(exc) from None
    answer = {"attempt_id": attempt.id, **_result(submission.attempt, quiz)}
    if submission.late:
        answer["message"] = ("Time was up when these answers arrived; the attempt was "
                             "graded with the answers saved before the limit.")
    return answer
