"""Content reloads when a file changes, and keeps serving the last good version."""

import os

from attract.content import ContentStore
from tests.helpers import LESSON


def touch_later(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


def test_reloads_changed_lesson(tree):
    store = ContentStore(tree.root, interval=0.000001)
    assert store.library.lessons["hello"].title == "Hello"
    path = tree.write("lessons/hello.md", LESSON.replace('"Hello"', '"Hello again"'))
    touch_later(path)
    assert store.library.lessons["hello"].title == "Hello again"


def test_keeps_last_good_library_on_bad_edit(tree, caplog):
    store = ContentStore(tree.root, interval=0.000001)
    path = tree.write("lessons/hello.md", "broken")
    touch_later(path)
    assert store.library.lessons["hello"].title == "Hello"
    assert "still serving the previous version" in caplog.text


def test_interval_zero_never_rechecks(tree):
    store = ContentStore(tree.root, interval=0)
    path = tree.write("lessons/hello.md", LESSON.replace('"Hello"', '"Changed"'))
    touch_later(path)
    assert store.library.lessons["hello"].title == "Hello"
