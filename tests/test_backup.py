"""db backup and db restore round-trip a populated database (SQLite and PostgreSQL)."""

import shutil

import pytest

from attract.extensions import db as _db
from attract.models import LessonRead, User
from tests.helpers import TEST_DATABASE_URL

needs_tools = pytest.mark.skipif(
    bool(TEST_DATABASE_URL) and not shutil.which("pg_dump"),
    reason="PostgreSQL backups need pg_dump and pg_restore (the PostgreSQL client)")


@needs_tools
def test_backup_and_restore_round_trip(app, runner, make_user, tmp_path):
    learner = make_user(email="kept@example.com", name="Kept Learner")
    with app.app_context():
        _db.session.add(LessonRead(user_id=learner, lesson_slug="pull-not-push"))
        _db.session.commit()
    target = tmp_path / "attract.backup"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    with app.app_context():  # something goes wrong after the backup
        _db.session.execute(_db.delete(LessonRead))
        _db.session.execute(_db.delete(User))
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()
    result = runner.invoke(args=["db", "restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        _db.engine.dispose()
        user = _db.session.scalar(_db.select(User).where(User.email == "kept@example.com"))
        assert user is not None and user.name == "Kept Learner"
        assert _db.session.scalar(_db.select(LessonRead.lesson_slug)) == "pull-not-push"


def test_restore_refuses_what_is_not_a_backup(runner, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    result = runner.invoke(args=["db", "restore", "--yes", str(junk)])
    assert result.exit_code != 0
    assert "not" in result.output and "Traceback" not in result.output


def test_restore_asks_first(runner, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x")
    result = runner.invoke(args=["db", "restore", str(junk)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
