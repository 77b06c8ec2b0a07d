"""Quiz pages: start or resume, one question per page (saved on every move), submit, review.

Pages only ever hand templates the *public* view of a question until the attempt is
submitted; keys and explanations appear on the result page alone.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..attempts import (
    QuizError,
    attempt_for,
    attempt_questions,
    public_view,
    save_answers,
    saved_answers,
    settle,
    standing,
    start_or_resume,
    submit,
)
from ..current import library, quiz_or_404
from ..models import aware
from ..numbers import small_int
from ..review import WHEN, answers_due, review
from ..scoring import AnswerError, answer_from_form
from . import bp
from .forms import CsrfForm


def _shared_prompts(quiz) -> set[str]:
    """Prompts two or more questions of the quiz share: pages add the message's sender."""
    prompts = [q["prompt"] for q in quiz.questions]
    return {text for text in prompts if prompts.count(text) > 1}


def _courses_with(slug: str):
    return library().courses_with("quiz", slug)


@bp.get("/quizzes/<slug>")
def quiz(slug: str):
    quiz = quiz_or_404(slug)
    signed_in = current_user.is_authenticated
    courses = _courses_with(slug)
    lessons = list(dict.fromkeys(q["lesson"] for q in quiz.questions if q.get("lesson")))
    return render_template(
        "portal/quiz.html", quiz=quiz, course=courses[0] if courses else None,
        standing=standing(current_user.id, quiz) if signed_in else None,
        form=CsrfForm() if signed_in else None, lessons=lessons, library=library())


@bp.post("/quizzes/<slug>/start")
@login_required
def start_quiz(slug: str):
    quiz = quiz_or_404(slug)
    try:
        attempt, created = start_or_resume(current_user.id, quiz)
    except QuizError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".quiz", slug=slug)), 303
    if not created:
        flash("Welcome back: your answers so far are saved.", "info")
    return redirect(url_for(".attempt", slug=slug, attempt_id=attempt.id)), 303


def _attempt_or_404(slug: str, attempt_id: int):
    attempt, quiz = attempt_for(current_user.id, attempt_id, library().quizzes, slug)
    return quiz, attempt


def _step(count: int) -> int | str:
    raw = request.values.get("q", "1")
    if raw == "review":
        return "review"
    number = small_int(raw, 4)
    if number is not None and 1 <= number <= count:
        return number
    abort(404, description=f"This quiz has questions 1 to {count}.")


@bp.get("/quizzes/<slug>/attempts/<int:attempt_id>")
@login_required
def attempt(slug: str, attempt_id: int):
    quiz, attempt = _attempt_or_404(slug, attempt_id)
    if settle(attempt, quiz):
        flash("Time was up, so we graded the answers you had saved.", "info")
    if attempt.submitted:
        return _result_page(quiz, attempt)
    return _question_page(quiz, attempt, _step(len(attempt_questions(attempt, quiz))))


def _question_page(quiz, attempt, step, error: str | None = None, status=200):
    """One question (or the review step). After a refused save the template shows the
    fields as they were posted (``request.form``), every type alike, so nothing is lost."""
    questions = attempt_questions(attempt, quiz)
    saved = saved_answers(attempt)
    context = {
        "quiz": quiz, "attempt": attempt, "form": CsrfForm(), "step": step,
        "shared_prompts": _shared_prompts(quiz),
        "count": len(questions), "deadline": aware(attempt.deadline),
        "answered": [saved.get(str(q["id"])) is not None for q in questions],
        "answers": [saved.get(str(q["id"])) for q in questions],
        "public": [public_view(attempt, q) for q in questions],
    }
    if step == "review":
        return render_template("portal/attempt_review.html", **context), status
    question = questions[step - 1]
    answer = saved.get(str(question["id"]))
    return render_template("portal/attempt.html", question=public_view(attempt, question),
                           answer=answer, error=error, **context), status


@bp.post("/quizzes/<slug>/attempts/<int:attempt_id>")
@login_required
def save_attempt(slug: str, attempt_id: int):
    quiz, attempt = _attempt_or_404(slug, attempt_id)
    if attempt.submitted:
        flash("This attempt was already submitted; here is its result.", "info")
        return redirect(url_for(".attempt", slug=slug, attempt_id=attempt_id)), 303
    questions = attempt_questions(attempt, quiz)
    step = _step(len(questions))
    action = request.form.get("action", "next")
    if step != "review":
        question = questions[step - 1]
        form = request.form.to_dict(flat=False)
        try:
            answer = answer_from_form(question, form)
            save_answers(attempt, quiz, {question["id"]: answer})
        except AnswerError as exc:
            return _question_page(quiz, attempt, step, error=str(exc), status=422)
        except QuizError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".attempt", slug=slug, attempt_id=attempt_id)), 303
        if answer is None and action != "submit":
            flash(_skipped(question, step), "info")
    if action == "submit":
        submit(attempt, quiz)
        flash("Submitted. Here is how you did.", "success")
        return redirect(url_for(".attempt", slug=slug, attempt_id=attempt_id)), 303
    target = _next_step(step, action, len(questions))
    return redirect(url_for(".attempt", slug=slug, attempt_id=attempt_id, q=target)), 303


def _skipped(question, step: int) -> str:
    """Saving nothing is allowed (come back later), but never silent."""
    if question["type"] == "rank":
        return (f"Question {step} skipped: the replies were left as shown, so nothing was "
                "saved. Give each one a place to answer it; you can come back before you "
                "submit.")
    return (f"Question {step} skipped: nothing was saved for it. You can come back to it "
            "before you submit.")


def _next_step(step, action: str, count: int):
    if action == "review" or (action == "next" and step == count):
        return "review"
    if action.startswith("goto-") and small_int(action[5:], 4) is not None:
        return min(max(small_int(action[5:], 4), 1), count)
    if step == "review":
        return count
    if action == "prev":
        return max(step - 1, 1)
    if action == "save":
        return step
    return min(step + 1, count)


def _result_page(quiz, attempt):
    info = standing(current_user.id, quiz)
    shown = answers_due(quiz, info)
    courses = _courses_with(quiz.slug)
    return render_template("portal/result.html", quiz=quiz, attempt=attempt,
                           items=review(attempt, quiz, shown), shown=shown,
                           only_wrong=request.args.get("show") == "wrong",
                           shared_prompts=_shared_prompts(quiz),
                           answers_when=WHEN[quiz.review_answers], standing=info,
                           form=CsrfForm(), library=library(),
                           course=courses[0] if courses else None)
