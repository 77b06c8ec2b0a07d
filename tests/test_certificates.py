"""Certificates: only for a completed course, once, public and unguessable."""

from types import SimpleNamespace

import pytest

from attract.accounts import create_user
from attract.certificates import _counted
from attract.extensions import db as _db
from attract.models import Certificate
from tests.helpers import COURSE, PASSWORD, Tree, csrf_from


@pytest.fixture
def small_app(content_app, tmp_path):
    """A course of one lesson and one single-question quiz."""
    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    return content_app(tree.root)


@pytest.fixture
def learner(small_app):
    with small_app.app_context():
        create_user("ada@example.com", PASSWORD, "Ada Lovelace")
    client = small_app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    client.post("/auth/sign-in", data={"email": "ada@example.com", "password": PASSWORD,
                                       "csrf_token": csrf_from(page)})
    return client


def post(client, page_url, target, **data):
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(target, data={**data, "csrf_token": token})


def complete_course(client):
    post(client, "/lessons/hello", "/lessons/hello/read", read="1")
    url = post(client, "/quizzes/check", "/quizzes/check/start").headers["Location"]
    post(client, f"{url}?q=1", url, q="1", answer="interruption", action="submit")


def test_certificate_after_completing_the_course(small_app, learner):
    complete_course(learner)
    course = learner.get("/courses/basics").get_data(as_text=True)
    assert "the course is complete" in course and "Get your certificate" in course
    response = post(learner, "/courses/basics", "/courses/basics/certificate")
    assert response.status_code == 303
    url = response.headers["Location"]
    assert url.startswith("/certificates/") and len(url.rsplit("/", 1)[1]) >= 20
    # public: anyone with the link can verify it
    page = small_app.test_client().get(url).get_data(as_text=True)
    assert "Ada Lovelace" in page and "A course" in page and "100.0%" in page
    # and it says what it rests on: the attempt that counted
    assert "What it rests on" in page and "attempt 1: 100.0%" in page
    with small_app.app_context():
        evidence = _db.session.scalar(_db.select(Certificate.evidence))
    assert evidence[0]["quiz"] == "check" and evidence[0]["grade"] == 100.0
    assert [a["number"] for a in evidence[0]["attempts"]] == [1]
    # claiming again gives the same certificate
    again = post(learner, "/courses/basics", "/courses/basics/certificate")
    assert again.headers["Location"] == url
    assert "View your certificate" in learner.get("/courses/basics").get_data(as_text=True)
    with small_app.app_context():
        assert _db.session.scalar(_db.select(_db.func.count(Certificate.id))) == 1


def test_no_certificate_before_the_course_is_complete(small_app, learner):
    post(learner, "/lessons/hello", "/lessons/hello/read", read="1")
    page = learner.get("/courses/basics").get_data(as_text=True)
    assert "Get your certificate" not in page
    token = csrf_from(learner.get("/lessons/hello").get_data(as_text=True))
    response = learner.post("/courses/basics/certificate", data={"csrf_token": token})
    assert response.status_code == 409
    assert "still to do" in response.get_data(as_text=True)


def test_a_failed_quiz_does_not_complete_the_course(small_app, learner):
    post(learner, "/lessons/hello", "/lessons/hello/read", read="1")
    url = post(learner, "/quizzes/check", "/quizzes/check/start").headers["Location"]
    post(learner, f"{url}?q=1", url, q="1", answer="attraction", action="submit")
    assert "Get your certificate" not in learner.get("/courses/basics").get_data(as_text=True)


@pytest.mark.parametrize("certificate_id", ["nope", "x" * 40, "a.b", "%C3%A9"])
def test_unknown_certificate_is_404(small_app, certificate_id):
    response = small_app.test_client().get(f"/certificates/{certificate_id}")
    assert response.status_code == 404


def test_claiming_needs_sign_in_and_csrf(small_app, learner):
    complete_course(learner)
    assert learner.post("/courses/basics/certificate").status_code == 400
    anonymous = small_app.test_client().post("/courses/basics/certificate")
    assert anonymous.status_code in (302, 400)


@pytest.mark.parametrize(("grading", "numbers"), [
    ("best", [2]), ("latest", [3]), ("average", [1, 2, 3])])
def test_the_attempts_a_grade_rests_on(grading, numbers):


    made = [SimpleNamespace(number=n, score=s) for n, s in ((1, 40.0), (2, 90.0), (3, 90.0))]
    assert [a.number for a in _counted(grading, made)] == numbers
    assert _counted("best", [SimpleNamespace(number=1, score=None)]) == []


def test_links_use_the_configured_site_url_never_the_host_header(content_app, tmp_path):
    """A forged Host header must not end up in a certificate's verify link or the API."""
    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    app = content_app(tree.root, SITE_URL="https://attract.example")
    with app.app_context():
        create_user("ada@example.com", PASSWORD, "Ada Lovelace")
    client = app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    client.post("/auth/sign-in", data={"email": "ada@example.com", "password": PASSWORD,
                                       "csrf_token": csrf_from(page)})
    complete_course(client)
    url = post(client, "/courses/basics", "/courses/basics/certificate").headers["Location"]
    forged = {"Host": "evil.example"}
    page = app.test_client().get(url, headers=forged).get_data(as_text=True)
    assert f"https://attract.example{url}" in page and "evil.example" not in page
    courses = app.test_client().get("/api/courses/basics", headers=forged).json
    assert courses["url"] == "https://attract.example/courses/basics"
