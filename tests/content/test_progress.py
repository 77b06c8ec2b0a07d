"""Course progress (pure): which steps are done is decided once, in course order."""

from attract.content import Course, Item, Module
from attract.content.progress import course_progress

COURSE = Course(slug="c", title="C", summary="", audience="", pass_mark=70, path="c.yaml",
                modules=(Module("One", (Item("lesson", "a"), Item("quiz", "q"))),
                         Module("Two", (Item("lesson", "b"),))))


def test_nothing_done():
    progress = course_progress(COURSE, set())
    assert (progress.done, progress.total, progress.percent, progress.complete) == \
        (0, 3, 0, False)
    assert progress.next_item == Item("lesson", "a")
    assert [m.done for m in progress.modules] == [0, 0]


def test_steps_say_what_is_done_and_what_comes_next():
    progress = course_progress(COURSE, {"a", "b", "elsewhere"}, {"other-quiz"})
    assert [(s.item.slug, s.done) for s in progress.steps] == \
        [("a", True), ("q", False), ("b", True)]
    assert progress.next_item == Item("quiz", "q")
    assert [(m.done, m.total) for m in progress.modules] == [(1, 2), (1, 1)]
    assert (progress.done, progress.percent) == (2, 67)


def test_a_quiz_counts_once_passed_and_the_course_completes():
    progress = course_progress(COURSE, {"a", "b"}, {"q"})
    assert progress.complete and progress.next_item is None and progress.percent == 100
    assert not course_progress(Course("e", "E", "", "", 70, (), "e.yaml"), set()).complete
