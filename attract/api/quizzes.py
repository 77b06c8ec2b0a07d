"""Quiz and attempt endpoints of the JSON API (the contract in the README)."""

from __future__ import annotations

from flask import g, request

from .. import attempts
from ..content import Quiz
from ..current import library, quiz_or_404
from ..models import Attempt, iso
from ..review import WHEN, answers_due, review
from ..scoring import public_question
from . import bp
from .util import ApiError, json_body, token_required


def _attempt(attempt_id: int) -> tuple[Attempt, Quiz]:
    return attempts.attempt_for(g.api_user.id, attempt_id, library().quizzes)


def _answers(body: dict, required: bool) -> dict:
    answers = body.get("answers")
    if answers is None and not required:
        return {}
    if not isinstance(answers, dict):
        raise ApiError(422, "invalid_field", "'answers' must be an object of "
                                             "{question_id: answer}.")
    return answers


@bp.get("/quizzes/<slug>")
def get_quiz(slug: str):
    """The quiz as a learner sees it: never the keys or explanations, and for a timed
    quiz not even the questions (they come with a started attempt, when the clock runs)."""
    quiz = quiz_or_404(slug)
    answer = {"slug": quiz.slug, "title": quiz.title, "description": quiz.description,
              "pass_mark": quiz.pass_mark, "attempts": quiz.attempts, "grading": quiz.grading,
              "time_limit_seconds": quiz.time_limit_seconds,
              "delay_between_attempts_seconds": quiz.delay_between_attempts_seconds,
              "review": {"answers": quiz.review_answers},
              "question_count": len(quiz.questions)}
    if not quiz.time_limit_seconds:
        answer["questions"] = [public_question(q) for q in quiz.questions]
    return answer


def _state(attempt: Attempt, quiz: Quiz) -> dict:
    state = {"attempt_id": attempt.id, "quiz": quiz.slug, "number": attempt.number,
             "status": attempt.status, "started_at": iso(attempt.started_at),
             "deadline": iso(attempt.deadline)}
    if attempt.submitted:
        state.update(_result(attempt, quiz))
    else:
        state["questions"] = attempts.public_questions(attempt, quiz)
        state["answers"] = attempts.saved_answers(attempt)
    return state


def _result(attempt: Attempt, quiz: Quiz) -> dict:
    """The result; ``key`` and ``explanation`` only once due (the quiz's ``review``)."""
    shown = answers_due(quiz, attempts.standing(attempt.user_id, quiz))
    questions = []
    for item in review(attempt, quiz, shown):
        row = {"id": item.public["id"], "fraction": item.fraction, "points": item.points,
               "possible": item.possible, "pending": item.pending, "state": item.state,
               "feedback": item.feedback, "answer": item.answer, "lesson": item.lesson}
        if shown:
            row.update(key=item.key, explanation=item.explanation)
        questions.append(row)
    return {"score": attempt.score, "passed": attempt.passed, "pending": attempt.pending,
            "earned": attempt.earned, "possible": attempt.possible,
            "submitted_at": iso(attempt.submitted_at), "questions": questions,
            "review": {"answers": quiz.review_answers, "shown": shown,
                       "when": WHEN[quiz.review_answers]}}


@bp.post("/quizzes/<slug>/attempts")
@token_required
def create_attempt(slug: str):
    attempt, created = attempts.start_or_resume(g.api_user.id, quiz_or_404(slug))
    return {"attempt_id": attempt.id, "resumed": not created,
            "deadline": iso(attempt.deadline)}, 201 if created else 200


@bp.get("/attempts/<int:attempt_id>")
@token_required
def get_attempt(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    attempts.settle(attempt, quiz)
    return _state(attempt, quiz)


@bp.put("/attempts/<int:attempt_id>/answers")
@token_required
def put_answers(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    saved = attempts.save_answers(attempt, quiz, _answers(json_body(), required=True))
    return {"attempt_id": attempt.id, "saved": sorted(saved)}


@bp.post("/attempts/<int:attempt_id>/submit")
@token_required
def submit_attempt(attempt_id: int):
    attempt, quiz = _attempt(attempt_id)
    body = json_body() if request.get_data(cache=True) else {}
    submission = attempts.submit(attempt, quiz, _answers(body, required=False))
    answer = {"attempt_id": attempt.id, **_result(submission.attempt, quiz)}
    if submission.late:
        answer["message"] = ("Time was up when these answers arrived; the attempt was "
                             "graded with the answers saved before the limit.")
    return answer
