"""The anonymous page cache never shows anyone a page meant for someone else."""

import os

import pytest

from attract.config import REPO_ROOT
from tests.helpers import COURSE, LESSON, PASSWORD, Tree

COURSE_URL = "/courses/attraction-not-interruption"


def cache(app):
    return app.extensions["attract.page_cache"]


def test_anonymous_pages_are_cached_and_identical(client, app):
    first = client.get("/lessons/pull-not-push")
    second = client.get("/lessons/pull-not-push")
    assert first.data == second.data and len(cache(app)) == 1
    assert "Set-Cookie" not in second.headers
    assert second.headers["X-Frame-Options"] == "DENY"


def test_signed_in_reader_never_gets_the_anonymous_page(client, sign_in, post_form, app):
    anonymous = client.get(COURSE_URL).get_data(as_text=True)
    assert "Sign up</a> or" in anonymous
    sign_in()
    assert "You are signed in." in client.get("/lessons/nope").get_data(as_text=True)  # flash
    for _ in range(2):
        page = client.get(COURSE_URL).get_data(as_text=True)
        assert "Sign out" in page and "Sign up</a> or" not in page and "0 of 12" in page
    post_form("/", {}, action="/auth/sign-out")


def test_a_waiting_flash_message_is_shown_not_skipped(client, sign_in, post_form):
    client.get("/")  # cache the anonymous catalog
    sign_in()
    post_form("/", {}, action="/auth/sign-out", follow_redirects=False)
    page = client.get("/").get_data(as_text=True)
    assert "You are signed out." in page
    assert "You are signed out." not in client.get("/").get_data(as_text=True)


def test_query_strings_are_part_of_the_key(client):
    plain = client.get("/lessons/pull-not-push").get_data(as_text=True)
    other = client.get("/lessons/pull-not-push?course=nope").get_data(as_text=True)
    assert "next=/lessons/pull-not-push?course%3Dnope" in other.replace("&amp;", "&") or \
        "course%3Dnope" in other
    assert plain != other


def test_cache_is_bounded(content_app):
    app = content_app(REPO_ROOT, PAGE_CACHE_SIZE=2)
    client = app.test_client()
    for slug in ("pull-not-push", "start-a-conversation", "tune-to-their-station"):
        client.get(f"/lessons/{slug}")
    assert len(cache(app)) == 2


def test_errors_are_not_cached(client, app):
    client.get("/lessons/nope")
    assert len(cache(app)) == 0


@pytest.fixture
def editable_app(content_app, tmp_path):
    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE.replace("      - quiz: check\n", ""))
    return content_app(tree.root, CONTENT_RELOAD_SECONDS=0.000001), tree


def test_edited_content_is_served_at_once(editable_app):
    app, tree = editable_app
    client = app.test_client()
    assert "Hello" in client.get("/lessons/hello").get_data(as_text=True)
    path = tree.write("lessons/hello.md", LESSON.replace('"Hello"', '"Edited title"'))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert "Edited title" in client.get("/lessons/hello").get_data(as_text=True)


def test_disabled_with_zero(content_app):
    app = content_app(REPO_ROOT, PAGE_CACHE_SIZE=0)
    assert "attract.page_cache" not in app.extensions
    assert app.test_client().get("/lessons/pull-not-push").status_code == 200


def test_security_headers_on_static_files_and_errors(client):
    for url in ("/static/attract.css", "/nope", "/api/courses"):
        response = client.get(url)
        response.close()  # the static file is streamed
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers.getlist("X-Frame-Options") == ["DENY"], url


def test_remember_me_reader_gets_their_own_page(client, make_user, post_form):
    client.get(COURSE_URL)  # cache the anonymous page
    make_user(email="back@example.com")
    post_form("/auth/sign-in", {"email": "back@example.com", "password": PASSWORD,
                                "remember": "y"})
    client.delete_cookie("session")  # the browser session ended; the remember cookie stays
    assert client.get_cookie("remember_token") is not None
    page = client.get(COURSE_URL).get_data(as_text=True)
    assert "Sign out" in page and "0 of 12" in page
