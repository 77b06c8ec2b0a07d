"""The bundled course's bar: six or more lessons, all in the course, each a presentable
lesson that credits its posts, in our own words."""

import re
from pathlib import Path

import pytest

from attract.config import REPO_ROOT
from attract.content import load_library

LIBRARY = load_library(REPO_ROOT)
LESSONS = sorted(LIBRARY.lessons.values(), key=lambda lesson: lesson.slug)
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
KNOWN_AUTHORS = {"Craig M. Jamieson", "Jennifer (Direct Sales and Social Media blog)",
                 "Alan (marketing blog)", "Lori (@lorihil)", "Unsigned"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def test_course_has_at_least_six_lessons_all_in_the_course():
    course = LIBRARY.courses["attraction-not-interruption"]
    assert course.title.startswith("Attraction, not interruption")
    assert len(course.lesson_slugs()) >= 6
    assert set(course.lesson_slugs()) == set(LIBRARY.lessons)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_lesson_shape(lesson):
    assert 500 <= len(words(lesson.body)) <= 1200
    assert lesson.objectives and lesson.sources
    assert {source.author for source in lesson.sources} <= KNOWN_AUTHORS
    assert re.search(r"^## Try it", lesson.body, re.MULTILINE), "needs a 'Try it' exercise"
    assert lesson.body.count("\n> ") >= 2, "needs a worked example: a message and its rewrite"
    assert 4 <= len(lesson.slides) <= 9
    for slide in lesson.slides[1:]:
        assert len(words(slide.markdown)) <= 260, f"slide '{slide.title}' is too long to present"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source posts (../shared/seeds) are not here")
def test_no_ten_word_run_copied_from_the_posts():
    """Our own words: no lesson or course shares 10 consecutive words with a post.

    Titles in `sources` are left out: quoting a post's title is how we credit it.
    """
    grams = set()
    for post in SEEDS.glob("*.txt"):
        seq = words(post.read_text(errors="ignore"))
        grams |= {tuple(seq[i:i + 10]) for i in range(len(seq) - 9)}
    citation_titles = {source.title for lesson in LESSONS for source in lesson.sources}
    copied = {}
    for path in [*Path(REPO_ROOT, "lessons").glob("*.md"), *Path(REPO_ROOT, "courses").glob("*")]:
        text = path.read_text()
        for title in citation_titles:
            text = text.replace(title.replace('"', '\\"'), "").replace(title, "")
        seq = words(text)
        hits = [" ".join(seq[i:i + 10]) for i in range(len(seq) - 9)
                if tuple(seq[i:i + 10]) in grams]
        if hits:
            copied[path.name] = hits
    assert copied == {}


def test_single_choice_keys_are_spread_across_positions():
    places = [[str(o["id"]) for o in q["options"]].index(str(q["key"]))
              for quiz in LIBRARY.quizzes.values() for q in quiz.questions
              if q["type"] == "choice" and not q.get("multiple")]
    assert len(places) >= 8
    assert max(places.count(p) for p in set(places)) <= 0.4 * len(places)
    assert LIBRARY.warnings == ()


def test_explanations_do_not_name_options_by_letter():
    """Options are shown in an order of each attempt's own: "option c" means nothing."""
    for quiz in LIBRARY.quizzes.values():
        for q in quiz.questions:
            assert not re.search(r"\b[Oo]ption [a-h]\b", q["explanation"]), (quiz.slug, q["id"])
