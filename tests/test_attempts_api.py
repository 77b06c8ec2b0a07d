"""Quiz attempts over the JSON API: start, save, submit once; each learner sees only theirs."""

import dataclasses
import threading
from datetime import timedelta

import pytest

from attract import attempts as ops
from attract.models import Attempt, AttemptAnswer
from attract.models import Attempt as A
from attract.scoring import answer_key

SLUG = "spot-the-interruption"
LIMITED = "earning-the-right-to-ask"  # attempts: 3


@pytest.fixture
def learner(api_token):
    token = api_token("learner@example.com")
    return {"Authorization": f"Bearer {token}"}


def library(app):
    return app.extensions["attract.content"].library


def key_answers(app, slug):
    """The right answer to every question (what a perfect learner sends)."""
    return {q["id"]: answer_key(q) for q in library(app).quizzes[slug].questions
            if q["type"] != "rewrite"}


def start(client, headers, slug=SLUG):
    return client.post(f"/api/quizzes/{slug}/attempts", headers=headers)


def test_quiz_as_a_learner_sees_it(client, app):
    quiz = client.get(f"/api/quizzes/{SLUG}").json
    assert {"slug", "title", "pass_mark", "attempts", "grading", "time_limit_seconds",
            "questions"} <= set(quiz)
    assert len(quiz["questions"]) == len(library(app).quizzes[SLUG].questions)
    for question in quiz["questions"]:
        assert {"id", "type", "prompt", "points"} <= set(question)
        assert not {"key", "explanation", "credit", "sample", "tolerance", "min_score"} \
            & set(question)


def test_start_resume_save_submit(client, app, learner):
    first = start(client, learner)
    assert first.status_code == 201 and first.json["resumed"] is False
    again = start(client, learner)
    assert again.status_code == 200 and again.json["attempt_id"] == first.json["attempt_id"]
    attempt_id = first.json["attempt_id"]
    answers = key_answers(app, SLUG)
    some = dict(list(answers.items())[:3])
    saved = client.put(f"/api/attempts/{attempt_id}/answers", json={"answers": some},
                       headers=learner)
    assert saved.status_code == 200 and saved.json["saved"] == sorted(some)
    state = client.get(f"/api/attempts/{attempt_id}", headers=learner).json
    assert state["status"] == "in_progress" and set(state["answers"]) == set(some)
    result = client.post(f"/api/attempts/{attempt_id}/submit",
                         json={"answers": answers}, headers=learner)
    assert result.status_code == 200
    assert result.json["score"] == 100.0 and result.json["passed"] is True
    question = result.json["questions"][0]
    assert {"id", "fraction", "points", "feedback", "key", "explanation", "lesson"} <= set(
        question)
    # a second submit answers the same and changes nothing
    again = client.post(f"/api/attempts/{attempt_id}/submit",
                        json={"answers": {q: None for q in answers}}, headers=learner)
    assert again.json == result.json


def test_submit_grades_what_was_saved(client, app, learner):
    attempt_id = start(client, learner).json["attempt_id"]
    result = client.post(f"/api/attempts/{attempt_id}/submit", headers=learner).json
    assert result["score"] == 0.0 and result["passed"] is False
    assert all(q["feedback"] == "No answer was given." for q in result["questions"])


def test_extra_fields_from_the_client_are_ignored(client, learner):
    attempt_id = start(client, learner).json["attempt_id"]
    result = client.post(f"/api/attempts/{attempt_id}/submit", headers=learner,
                         json={"answers": {}, "score": 100, "passed": True,
                               "questions": [{"id": "x", "fraction": 1}]}).json
    assert result["score"] == 0.0 and result["passed"] is False


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"answers": {"no-such-question": "attraction"}}, 422, "unknown_question"),
        ({"answers": []}, 422, "invalid_field"),
        ({"answers": "attraction"}, 422, "invalid_field"),
        ({}, 422, "invalid_field"),
        ([], 400, "invalid_json"),
    ],
)
def test_bad_answer_bodies(client, learner, body, status, error):
    attempt_id = start(client, learner).json["attempt_id"]
    response = client.put(f"/api/attempts/{attempt_id}/answers", json=body, headers=learner)
    assert (response.status_code, response.json["error"]) == (status, error)


def test_malformed_answer_names_the_question_and_saves_nothing(client, app, learner):
    attempt_id = start(client, learner).json["attempt_id"]
    questions = library(app).quizzes[SLUG].questions
    verdict = next(q for q in questions if q["type"] == "verdict")
    spot = next(q for q in questions if q["type"] == "spot")
    response = client.put(f"/api/attempts/{attempt_id}/answers", headers=learner, json={
        "answers": {verdict["id"]: "interruption", spot["id"]: {"not": "a list"}}})
    assert response.status_code == 422 and response.json["error"] == "invalid_answer"
    assert spot["id"] in response.json["message"]
    state = client.get(f"/api/attempts/{attempt_id}", headers=learner).json
    assert state["answers"] == {}  # all or nothing


def test_someone_elses_attempt_is_404(client, learner, api_token):
    attempt_id = start(client, learner).json["attempt_id"]
    other = {"Authorization": f"Bearer {api_token('other@example.com')}"}
    assert client.get(f"/api/attempts/{attempt_id}", headers=other).status_code == 404
    assert client.put(f"/api/attempts/{attempt_id}/answers", json={"answers": {}},
                      headers=other).status_code == 404
    assert client.post(f"/api/attempts/{attempt_id}/submit", headers=other).status_code == 404
    for bad in (0, 99999, 2**40):
        assert client.get(f"/api/attempts/{bad}", headers=learner).status_code == 404


def test_attempts_need_a_token(client):
    assert start(client, {}).status_code == 401
    assert client.post("/api/quizzes/nope/attempts").status_code == 401


def test_unknown_quiz(client, learner):
    assert start(client, learner, "nope").status_code == 404
    assert client.get("/api/quizzes/nope").json["error"] == "not_found"


def test_attempts_limit_is_409(client, learner):
    for _ in range(3):
        attempt_id = start(client, learner, LIMITED).json["attempt_id"]
        client.post(f"/api/attempts/{attempt_id}/submit", headers=learner)
    response = start(client, learner, LIMITED)
    assert response.status_code == 409 and response.json["error"] == "no_attempts_left"
    assert "used all 3 attempts" in response.json["message"]


def test_saving_after_submit_is_409(client, learner):
    attempt_id = start(client, learner).json["attempt_id"]
    client.post(f"/api/attempts/{attempt_id}/submit", headers=learner)
    response = client.put(f"/api/attempts/{attempt_id}/answers", json={"answers": {}},
                          headers=learner)
    assert response.status_code == 409 and response.json["error"] == "already_submitted"


def test_rewrites_are_graded_by_the_coach(client, app, learner):
    attempt_id = start(client, learner, "rewrite-workshop").json["attempt_id"]
    quiz = library(app).quizzes["rewrite-workshop"]
    rewrite = next(q for q in quiz.questions if q["type"] == "rewrite")
    result = client.post(f"/api/attempts/{attempt_id}/submit", headers=learner, json={
        "answers": {rewrite["id"]: rewrite["sample"]}}).json
    graded = next(q for q in result["questions"] if q["id"] == rewrite["id"])
    assert graded["pending"] is False and graded["fraction"] == 1.0
    assert "The coach scores your rewrite" in graded["feedback"]
    assert result["pending"] == 0 and result["passed"] is False  # the rest unanswered


def test_rewrites_stored_before_the_coach_get_graded(client, app, learner, db):
    """An attempt submitted while rewrites were 'awaiting grading' is graded when opened."""
    attempt_id = start(client, learner, "rewrite-workshop").json["attempt_id"]
    quiz = library(app).quizzes["rewrite-workshop"]
    rewrite = next(q for q in quiz.questions if q["type"] == "rewrite")
    client.post(f"/api/attempts/{attempt_id}/submit", headers=learner,
                json={"answers": {rewrite["id"]: rewrite["sample"]}})
    row = db.session.scalar(db.select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.question_id == rewrite["id"]))
    row.fraction, row.points, row.pending, row.feedback = None, 0.0, True, "Awaiting grading"
    attempt = db.session.get(A, attempt_id)
    attempt.pending, attempt.passed, attempt.score = 1, None, 0.0
    db.session.commit()
    state = client.get(f"/api/attempts/{attempt_id}", headers=learner).json
    graded = next(q for q in state["questions"] if q["id"] == rewrite["id"])
    assert graded["fraction"] == 1.0 and state["pending"] == 0 and state["score"] > 0


def test_regrade_command(runner, app, learner, client, db):
    result = runner.invoke(args=["attempts", "regrade"])
    assert result.exit_code == 0 and "Regraded 0 attempt(s)." in result.output


class Clock:
    def __init__(self, app, slug, seconds):
        quiz = library(app).quizzes[slug]

        library(app).quizzes[slug] = dataclasses.replace(quiz, time_limit_seconds=seconds)
        self.now = ops.utcnow()

    def __call__(self):
        return self.now


def test_time_limit_by_the_server_clock(client, app, learner, monkeypatch):
    clock = Clock(app, SLUG, 60)
    monkeypatch.setattr(ops, "utcnow", clock)
    attempt_id = start(client, learner).json["attempt_id"]
    answers = key_answers(app, SLUG)
    first = dict(list(answers.items())[:2])
    clock.now += timedelta(seconds=60 + ops.GRACE_SECONDS - 1)  # inside the grace
    assert client.put(f"/api/attempts/{attempt_id}/answers", json={"answers": first},
                      headers=learner).status_code == 200
    clock.now += timedelta(seconds=5)  # past it
    late = client.put(f"/api/attempts/{attempt_id}/answers", json={"answers": answers},
                      headers=learner)
    assert late.status_code == 409 and late.json["error"] == "time_up"
    result = client.post(f"/api/attempts/{attempt_id}/submit", json={"answers": answers},
                         headers=learner).json
    assert "Time was up" in result["message"]
    earned = sum(q["points"] for q in result["questions"])
    assert earned == sum(q["points"] for q in library(app).quizzes[SLUG].questions
                         if q["id"] in first)


def test_expired_attempt_is_submitted_when_touched(client, app, learner, monkeypatch):
    clock = Clock(app, SLUG, 60)
    monkeypatch.setattr(ops, "utcnow", clock)
    attempt_id = start(client, learner).json["attempt_id"]
    clock.now += timedelta(hours=1)
    assert client.get(f"/api/attempts/{attempt_id}", headers=learner).json["status"] == \
        "submitted"
    fresh = start(client, learner)
    assert fresh.status_code == 201 and fresh.json["attempt_id"] != attempt_id


def run_together(app, work, count=6):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def runner():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_racing_submits_grade_once(app, make_user, db, monkeypatch):
    quiz = library(app).quizzes[SLUG]
    user_id = make_user()
    attempt, _ = ops.start_or_resume(user_id, quiz)
    attempt_id = attempt.id
    db.session.remove()
    calls = []
    real = ops.score_quiz
    monkeypatch.setattr(ops, "score_quiz", lambda *a: calls.append(1) or real(*a))
    answers = key_answers(app, SLUG)

    def work():
        mine = db.session.get(Attempt, attempt_id)
        submission = ops.submit(mine, quiz, answers)
        return submission.graded_now, submission.attempt.score

    results, errors = run_together(app, work)
    assert errors == []
    assert len(calls) == 1
    assert sorted(graded for graded, _ in results) == [False] * 5 + [True]
    assert {score for _, score in results} == {100.0}
    rows = db.session.scalar(db.select(db.func.count(AttemptAnswer.id)).where(
        AttemptAnswer.attempt_id == attempt_id))
    assert rows == len(quiz.questions)


def test_racing_starts_make_one_attempt(app, make_user, db):
    quiz = library(app).quizzes[SLUG]
    user_id = make_user()
    results, errors = run_together(app, lambda: ops.start_or_resume(user_id, quiz)[0].id)
    assert errors == [] and len(set(results)) == 1
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_racing_starts_cannot_exceed_the_limit(app, make_user, db):
    quiz = library(app).quizzes[LIMITED]
    user_id = make_user()

    def keep_starting():
        for _ in range(10):  # until the limit refuses us
            attempt, _ = ops.start_or_resume(user_id, quiz)
            ops.submit(attempt, quiz)

    _, errors = run_together(app, keep_starting, count=6)
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 3
    assert len(errors) == 6
    assert {e.code for e in errors} <= {"no_attempts_left", "conflict"}
    assert any(e.code == "no_attempts_left" for e in errors)


RAW = {"Content-Type": "application/json"}


@pytest.mark.parametrize("raw", [
    "[" * 50_000,
    '{"answers": ' + '{"a": ' * 5_000 + "1" + "}" * 5_001,
    '{"answers": {"q": ' + "[" * 5_000 + "]" * 5_000 + "}}",
])
def test_bodies_nested_thousands_deep_are_400(client, learner, raw):
    attempt_id = start(client, learner).json["attempt_id"]
    response = client.put(f"/api/attempts/{attempt_id}/answers", data=raw,
                          headers={**learner, **RAW})
    assert response.status_code == 400 and response.json["error"] == "invalid_json"
    assert "nested" in response.json["message"]


def test_a_rewrite_with_half_a_character_is_refused_and_the_pages_still_work(
        client, app, learner):
    attempt_id = start(client, learner, "rewrite-workshop").json["attempt_id"]
    quiz = library(app).quizzes["rewrite-workshop"]
    rewrite = next(q for q in quiz.questions if q["type"] == "rewrite")
    raw = '{"answers": {"' + rewrite["id"] + '": "Hi Sam \\udc00 what did you think?"}}'
    response = client.put(f"/api/attempts/{attempt_id}/answers", data=raw,
                          headers={**learner, **RAW})
    assert response.status_code == 400 and response.json["error"] == "invalid_text"
    state = client.get(f"/api/attempts/{attempt_id}", headers=learner)
    assert state.status_code == 200 and state.json["answers"] == {}
