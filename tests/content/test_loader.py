"""The content core, tested without an app: every bad case reports path:line: message."""

import pytest

from attract.config import REPO_ROOT
from attract.content import ContentError, Item, load_library
from attract.content.lessons import split_front_matter
from tests.helpers import COURSE, LESSON, QUIZ


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_library(root)
    return [str(p) for p in info.value.problems]


def test_valid_tree_loads(tree):
    lib = load_library(tree.root)
    assert list(lib.courses) == ["basics"]
    course = lib.courses["basics"]
    assert course.items == (Item("lesson", "hello"), Item("quiz", "check"))
    lesson = lib.lessons["hello"]
    assert lesson.minutes == 5 and lesson.objectives == ("Say hello",)
    assert lesson.sources[0].author == "Someone"
    assert lib.quizzes["check"].version and len(lib.quizzes["check"].version) == 16


def test_bundled_content_is_valid():
    lib = load_library(REPO_ROOT)
    assert "attraction-not-interruption" in lib.courses
    assert len(lib.lessons) >= 6


BAD_CASES = [
    ("lessons/hello.md", "title: no front matter\n",
     "content/lessons/hello.md:1: a lesson starts with YAML front matter"),
    ("lessons/hello.md", "---\ntitle: [unclosed\n---\nbody\n",
     "content/lessons/hello.md:3: invalid YAML"),
    ("lessons/hello.md", LESSON.replace('title: "Hello"', 'titel: "Hello"'),
     "content/lessons/hello.md:2: unknown field 'titel' in the front matter "
     "(did you mean 'title'?)"),
    ("lessons/hello.md", LESSON.replace('title: "Hello"\n', ""),
     "content/lessons/hello.md:2: missing field 'title' in the front matter"),
    ("lessons/hello.md", LESSON.replace("minutes: 5", "minutes: five"),
     "content/lessons/hello.md:4: 'minutes' in the front matter must be a whole number"),
    ("lessons/hello.md", LESSON.replace("    year: 2012\n", ""),
     "content/lessons/hello.md:8: missing field 'year' in source 1"),
    ("lessons/hello.md", LESSON.replace('summary: "A short lesson."',
                                            'summary: "A short lesson."\nsummary: "again"'),
     "content/lessons/hello.md:4: field 'summary' is given twice"),
    ("lessons/hello.md", LESSON.split("---\nIntro")[0] + "---\n\n",
     "content/lessons/hello.md:12: the lesson has no body"),
    ("courses/basics.yaml", COURSE.replace("pass_mark: 70", "pass_mark: 170"),
     "content/courses/basics.yaml:4: 'pass_mark' in the course must be a whole number "
     "from 0 to 100"),
    ("courses/basics.yaml", COURSE.replace("lesson: hello", "lesson: goodbye"),
     "content/courses/basics.yaml:8: lesson 'goodbye' does not exist "
         "(no lessons/goodbye.md)"),
    ("courses/basics.yaml", COURSE.replace("quiz: check", "quiz: exam"),
     "content/courses/basics.yaml:9: quiz 'exam' does not exist (no quizzes/exam.yaml)"),
    ("courses/basics.yaml", COURSE.replace("quiz: check", "lesson: hello"),
     "content/courses/basics.yaml:9: lesson 'hello' is listed twice in the course "
     "(first on line 8)"),
    ("courses/basics.yaml", COURSE.replace("quiz: check", "video: intro"),
     "content/courses/basics.yaml:9: unknown item kind 'video' in module 1"),
    ("courses/basics.yaml", COURSE + "colour: blue\n",
     "content/courses/basics.yaml:10: unknown field 'colour' in the course"),
    ("courses/basics.yaml", "- just\n- a list\n",
     "content/courses/basics.yaml:1: the course must be a mapping of fields"),
    ("quizzes/check.yaml", QUIZ + "  - id: q1\n    type: verdict\n    prompt: p\n"
                                      "    points: 1\n    explanation: e\n",
     "content/quizzes/check.yaml:18: question id 'q1' is used twice (first on line 7)"),
    ("quizzes/check.yaml", QUIZ.replace("type: verdict", "type: essay"),
     "content/quizzes/check.yaml:8: unknown question type 'essay'"),
    ("quizzes/check.yaml", QUIZ.replace("grading: best", "grading: worst"),
     "content/quizzes/check.yaml:4: 'grading' must be one of best, latest, average"),
    ("quizzes/check.yaml", QUIZ.replace("    points: 1\n", ""),
     "content/quizzes/check.yaml:7: missing field 'points' in question 1"),
    ("quizzes/check.yaml", QUIZ.replace("shuffle: false", "shuffle: sometimes"),
     "content/quizzes/check.yaml:5: 'shuffle' must be true or false"),
    ("quizzes/check.yaml", "title: [oops\n",
     "content/quizzes/check.yaml:2: invalid YAML"),
    ("quizzes/check.yaml", QUIZ.replace("key: interruption", "key: maybe"),
     "content/quizzes/check.yaml:17: 'key' must be 'attraction' or 'interruption' in question 1"),
    ("quizzes/check.yaml", QUIZ.replace("channel: facebook", "channel: myspace"),
     "content/quizzes/check.yaml:13: the scenario's 'channel' must be one of"),
    ("quizzes/check.yaml", QUIZ.replace("    key: interruption\n", "    key: interruption\n"
                                        "    options: []\n"),
     "content/quizzes/check.yaml:18: unknown field 'options' for a verdict question"),
    ("quizzes/check.yaml", QUIZ.replace("    key: interruption\n", "    key: interruption\n"
                                        "    lesson: nowhere\n"),
     "content/quizzes/check.yaml:18: lesson 'nowhere' does not exist (no lessons/nowhere.md)"),
    ("quizzes/check.yaml", QUIZ.replace("shuffle: false",
                                        "shuffle: false\nreview: {answers: later}"),
     "content/quizzes/check.yaml:6: 'answers' in 'review' must be one of immediately, "
     "after_pass, never"),
    ("quizzes/check.yaml", QUIZ.replace("shuffle: false", "shuffle: false\nreview: never"),
     "content/quizzes/check.yaml:6: 'review' must be a mapping of fields"),
    ("quizzes/check.yaml", QUIZ.replace("shuffle: false", "shuffle: false\nreview: {show: all}"),
     "content/quizzes/check.yaml:6: unknown field 'show' in 'review'"),
    ("quizzes/check.yaml", QUIZ.replace("shuffle: false",
                                        "shuffle: false\ndelay_between_attempts_seconds: -5"),
     "content/quizzes/check.yaml:6: 'delay_between_attempts_seconds' in the quiz must be a "
     "whole number from 1"),
    ("quizzes/check.yaml", QUIZ.replace("type: verdict", "type: choice").replace(
        "    key: interruption\n", "    options: [{id: a, text: A}, {id: b, text: B}]\n"
                                   "    key: a\n    shuffle: sometimes\n"),
     "content/quizzes/check.yaml:19: 'shuffle' must be true or false in question 1"),
]


@pytest.mark.parametrize(("relative", "text", "expected"), BAD_CASES,
                         ids=[case[2].split(": ", 1)[1][:48] for case in BAD_CASES])
def test_each_bad_case_is_reported_with_its_line(tree, relative, text, expected):
    tree.write(relative, text)
    found = problems(tree.root)
    assert any(p.startswith(expected) for p in found), found


def test_duplicate_slug(tree):
    tree.write("quizzes/check.yml", QUIZ)
    assert "content/quizzes/check.yml:1: duplicate quiz slug 'check': " \
           "content/quizzes/check.yaml has the same slug" in problems(tree.root)


def test_bad_slug_in_file_name(tree):
    tree.write("lessons/Hello World.md", LESSON)
    assert any("is not a valid slug" in p for p in problems(tree.root))


def test_every_problem_is_reported_at_once(tree):
    tree.write("lessons/hello.md", LESSON.replace("minutes: 5", "minutes: -1"))
    tree.write("quizzes/check.yaml", QUIZ.replace("grading: best", "grading: worst"))
    tree.write("courses/basics.yaml", COURSE.replace("lesson: hello", "lesson: missing"))
    found = problems(tree.root)
    assert len(found) == 3
    assert [p.split(":")[0] for p in found] == [
        "content/courses/basics.yaml", "content/lessons/hello.md", "content/quizzes/check.yaml"]


def test_invalid_utf8(tree):
    (tree.root / "lessons" / "hello.md").write_bytes(b"---\ntitle: \xff\n---\n")
    assert any("not valid UTF-8" in p for p in problems(tree.root))


def test_missing_folder_and_unexpected_file(tree):
    (tree.root / "quizzes" / "check.yaml").unlink()
    (tree.root / "quizzes").rmdir()
    (tree.root / "lessons" / "notes.txt").write_text("x")
    found = problems(tree.root)
    assert any("missing folder 'quizzes/'" in p for p in found)
    assert any("notes.txt:1: unexpected file in lessons/" in p for p in found)


def test_front_matter_split_reports_body_line():
    front, front_line, body, body_line = split_front_matter("---\na: 1\n---\nbody\n")
    assert (front, front_line, body, body_line) == ("a: 1\n", 2, "body\n", 4)
    assert split_front_matter("no front matter") is None
