"""Catalog, course and lesson pages; reading progress."""

import pytest

from attract.models import LessonRead
from tests.helpers import COURSE as C
from tests.helpers import LESSON, PASSWORD, Tree, csrf_from

COURSE = "/courses/attraction-not-interruption"


@pytest.fixture
def course(app):
    return app.extensions["attract.content"].library.courses["attraction-not-interruption"]


def test_catalog_lists_courses_without_an_account(client, course):
    page = client.get("/").get_data(as_text=True)
    assert course.title.replace("'", "&#39;") in page
    assert f'href="{COURSE}"' in page


def test_course_page_anonymous(client, course):
    page = client.get(COURSE).get_data(as_text=True)
    for module in course.modules:
        assert module.title in page
    assert "Sign up</a> or" in page and "Your progress" in page


def test_every_lesson_page_renders(client, app):
    library = app.extensions["attract.content"].library
    for lesson in library.lessons.values():
        response = client.get(f"/lessons/{lesson.slug}")
        assert response.status_code == 200, lesson.slug
        page = response.get_data(as_text=True)
        assert f"{lesson.minutes} minute read" in page
        assert "You will be able to" in page and "Sources" in page
        for source in lesson.sources:
            credit = "an unsigned post" if source.author == "Unsigned" else source.author
            assert credit.replace("'", "&#39;") in page
        assert 'class="anchor"' in page  # headings carry anchors


def test_lesson_has_previous_and_next_in_course_order(client, course):
    def url(item):
        return f"/{'lessons' if item.kind == 'lesson' else 'quizzes'}/{item.slug}?course="

    items = course.items
    for index, item in enumerate(items):
        if item.kind != "lesson":
            continue
        page = client.get(f"/lessons/{item.slug}").get_data(as_text=True)
        if index > 0:
            assert url(items[index - 1]) in page and "Previous" in page
        else:
            assert "Previous" not in page
        if index + 1 < len(items):
            assert url(items[index + 1]) in page and "Next" in page
        else:
            assert "Next</span>" not in page


@pytest.mark.parametrize("url", ["/courses/nope", "/lessons/nope", "/lessons/../app.py",
                                 "/lessons/" + "x" * 300])
def test_unknown_slugs_are_404_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "could not find" in response.get_data(as_text=True) or \
        "There is no" in response.get_data(as_text=True)


def test_mark_read_updates_progress(client, sign_in, post_form, course, db):
    user_id = sign_in()
    first = course.lesson_slugs()[0]
    after = course.items[1]  # "Mark as read and continue" goes to the next step, lesson or quiz
    response = post_form(f"/lessons/{first}", {"read": "1"}, action=f"/lessons/{first}/read")
    assert response.status_code == 303
    kind = "lessons" if after.kind == "lesson" else "quizzes"
    assert response.headers["Location"].startswith(f"/{kind}/{after.slug}")
    # twice is harmless: the unique index keeps one row
    post_form(f"/lessons/{first}", {"read": "1"}, action=f"/lessons/{first}/read")
    count = db.session.scalar(db.select(db.func.count(LessonRead.id)).where(
        LessonRead.user_id == user_id))
    assert count == 1
    page = client.get(COURSE).get_data(as_text=True)
    assert f"1 of {len(course.items)}" in page
    assert f"1 of {len(course.modules[0].items)} done" in page
    assert "Read</span>" in client.get(f"/lessons/{first}").get_data(as_text=True)


def test_mark_unread(client, sign_in, post_form, course):
    sign_in()
    first = course.lesson_slugs()[0]
    post_form(f"/lessons/{first}", {"read": "1"}, action=f"/lessons/{first}/read")
    post_form(f"/lessons/{first}", {"read": "0"}, action=f"/lessons/{first}/read")
    assert f"0 of {len(course.items)}" in client.get(COURSE).get_data(as_text=True)


def test_progress_is_per_learner(client, sign_in, post_form, course):
    sign_in("one@example.com")
    first = course.lesson_slugs()[0]
    post_form(f"/lessons/{first}", {"read": "1"}, action=f"/lessons/{first}/read")
    post_form("/", {}, action="/auth/sign-out")
    sign_in("two@example.com")
    assert f"0 of {len(course.items)}" in client.get(COURSE).get_data(as_text=True)


def test_mark_read_needs_sign_in_and_csrf(client, sign_in, course):
    first = course.lesson_slugs()[0]
    response = client.post(f"/lessons/{first}/read", data={"read": "1"})
    assert response.status_code == 400  # no CSRF token at all
    sign_in()
    assert client.post(f"/lessons/{first}/read", data={"read": "1"}).status_code == 400


def test_mark_read_anonymous_redirects_to_sign_in(client, post_form, course):
    first = course.lesson_slugs()[0]
    page = client.get("/auth/sign-in").get_data(as_text=True)

    response = client.post(f"/lessons/{first}/read", data={"read": "1",
                                                           "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_mark_read_unknown_lesson(client, sign_in, post_form):
    sign_in()
    response = post_form("/", {"read": "1"}, action="/lessons/nope/read")
    assert response.status_code == 404


def test_lesson_html_is_escaped_and_sanitised(content_app, tmp_path):
    """Lesson titles go through Jinja escaping; bodies through nh3."""

    tree = Tree(tmp_path / "evil")
    tree.write("lessons/hello.md", LESSON.replace('title: "Hello"', 'title: "<b>Hi</b>"')
               + "\n<script>alert(1)</script>\n")
    tree.write("courses/basics.yaml", C.replace("      - quiz: check\n", ""))
    page = content_app(tree.root).test_client().get("/lessons/hello").get_data(as_text=True)
    assert "&lt;b&gt;Hi&lt;/b&gt;" in page and "<script>alert" not in page


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_anonymous_lesson_sets_no_cookie(client):
    """Anonymous reading stays cacheable: no session is written."""
    response = client.get("/lessons/tune-to-their-station")
    assert "Set-Cookie" not in response.headers


def test_nothing_personal_is_kept_by_a_browser_or_proxy(client, make_user, post_form):
    """A request with a cookie or a token, or a response that sets one, is no-store; an
    anonymous lesson stays cacheable; static files revalidate."""
    anonymous = client.get("/lessons/tune-to-their-station")
    assert "Cache-Control" not in anonymous.headers
    make_user(email="cache@example.com")
    signed_in = post_form("/auth/sign-in", {"email": "cache@example.com",
                                            "password": PASSWORD})
    assert signed_in.headers["Cache-Control"] == "no-store"  # it sets the session cookie
    for url in ("/", "/courses/attraction-not-interruption", "/lessons/tune-to-their-station",
                "/coach", "/nope"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    static = client.get("/static/attract.css")
    static.close()
    assert static.headers["Cache-Control"] == "no-cache"


def test_the_api_with_a_token_is_no_store(client, api_token):
    headers = {"Authorization": f"Bearer {api_token()}"}
    assert client.get("/api/courses", headers=headers).headers["Cache-Control"] == "no-store"


def test_gunicorn_sends_no_server_banner(monkeypatch):
    import runpy
    from types import SimpleNamespace

    from attract.config import REPO_ROOT

    monkeypatch.setenv("ATTRACT_ENV", "development")  # the file sets it only if unset
    runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    from gunicorn.http.wsgi import Response

    fake = SimpleNamespace(upgrade=False, should_close=lambda: False, chunked=False,
                           req=SimpleNamespace(version=(1, 1)), status="200 OK",
                           version="gunicorn")
    lines = Response.default_headers(fake)
    assert lines[0].startswith("HTTP/1.1 200")
    assert not any(line.lower().startswith("server:") for line in lines)
