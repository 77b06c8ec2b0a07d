"""Concurrent writers: the database, not Python, keeps things consistent.

Threads stand in for gunicorn workers: each has its own app context, session and
connection, and they start together behind a barrier.
"""

import threading

from attract.accounts import AccountError, create_user
from attract.models import LessonOpen, LessonRead, User
from attract.reading import mark_read, record_open

WORKERS = 8


def run_together(app, work, count=WORKERS):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def runner(index):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_many_writers_at_once_without_database_locked(app, db):
    _, errors = run_together(
        app, lambda i: create_user(f"w{i}@example.com", "long enough password", f"W{i}").id)
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(User.id))) == WORKERS


def test_racing_sign_ups_for_one_email_make_one_account(app, db):
    def sign_up(_):
        try:
            create_user("same@example.com", "long enough password", "Same")
            return "created"
        except AccountError as exc:
            return exc.code

    results, errors = run_together(app, sign_up)
    assert errors == []
    assert sorted(results) == ["created"] + ["email_taken"] * (WORKERS - 1)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_racing_mark_read_keeps_one_row(app, db, make_user):
    user_id = make_user()
    record_open(user_id, "pull-not-push")
    _, errors = run_together(app, lambda _: mark_read(user_id, "pull-not-push"))
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(LessonRead.id))) == 1


def test_racing_lesson_opens_keep_one_row(app, db, make_user):
    user_id = make_user()
    _, errors = run_together(app, lambda _: record_open(user_id, "pull-not-push"))
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(LessonOpen.id))) == 1
