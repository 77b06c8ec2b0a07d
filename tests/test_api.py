"""The JSON API: tokens, courses, lessons; bad bodies are JSON 4xx, never 500."""

import pytest

from tests.helpers import PASSWORD

SLUG = "attraction-not-interruption"


def test_token_from_email_and_password(client, make_user):
    make_user(email="api@example.com")
    response = client.post("/api/tokens", json={"email": "API@example.com", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    assert token.startswith("att_") and len(token) > 40
    courses = client.get(f"/api/courses/{SLUG}", headers={"Authorization": f"Bearer {token}"})
    # 7 lessons and 5 quizzes
    assert courses.json["progress"] == {"done": 0, "total": 12, "percent": 0}


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": "", "content_type": "application/json"}, 400, "missing_body"),
        ({"json": ["a", "list"]}, 400, "invalid_json"),
        ({"json": "a string"}, 400, "invalid_json"),
        ({"data": "email=a", "content_type": "application/x-www-form-urlencoded"}, 415,
         "unsupported_media_type"),
        ({"json": {"email": "a@example.com"}}, 422, "missing_field"),
        ({"json": {"email": 7, "password": "x"}}, 422, "invalid_field"),
        ({"json": {"email": "a@example.com", "password": ["x"]}}, 422, "invalid_field"),
        ({"json": {"email": "a@example.com", "password": "x" * 5000}}, 422, "invalid_field"),
        ({"json": {"email": "nobody@example.com", "password": "whatever12"}}, 401,
         "invalid_credentials"),
        ({"json": {"email": "api@example.com", "password": "wrong password"}}, 401,
         "invalid_credentials"),
        ({"data": "[" * 50_000, "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": '{"email": "a\\ud800@example.com", "password": "whatever12"}',
          "content_type": "application/json"}, 400, "invalid_text"),
        ({"data": '{"email": "api@example.com", "password": "pass\\ud800word"}',
          "content_type": "application/json"}, 400, "invalid_text"),
    ],
)
def test_bad_token_requests(client, make_user, kwargs, status, error):
    make_user(email="api@example.com")
    response = client.post("/api/tokens", **kwargs)
    assert response.status_code == status
    assert response.json["error"] == error
    assert response.json["message"]


def test_list_and_get_courses(client, app):
    listing = client.get("/api/courses").json["courses"]
    assert [c["slug"] for c in listing] == [SLUG]
    expected = {"slug", "title", "summary", "audience", "pass_mark", "minutes", "url"}
    assert expected <= set(listing[0])
    course = client.get(f"/api/courses/{SLUG}").json
    assert len(course["modules"]) == 4
    first = course["modules"][0]["items"][0]
    assert first["kind"] == "lesson" and first["title"]
    assert "progress" not in course and "read" not in first


def test_unknown_course_and_route_are_json_404(client):
    for url in ("/api/courses/nope", "/api/nothing-here"):
        response = client.get(url)
        assert response.status_code == 404 and response.json["error"] == "not_found"


def test_method_not_allowed_is_json(client):
    response = client.delete("/api/courses")
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"


def test_lesson_with_slides(client):
    lesson = client.get("/api/lessons/tune-to-their-station").json
    assert lesson["objectives"] and lesson["sources"][0]["author"] == "Craig M. Jamieson"
    assert len(lesson["slides"]) >= 3 and lesson["slides"][0]["index"] == 0


def test_mark_read_over_api(client, api_token):
    token = api_token()
    headers = {"Authorization": f"Bearer {token}"}
    slug = "attraction-vs-interruption"
    blind = client.put(f"/api/lessons/{slug}/read", headers=headers)  # never fetched
    assert blind.status_code == 409 and blind.json["error"] == "not_opened"
    assert client.get(f"/api/courses/{SLUG}", headers=headers).json["progress"]["done"] == 0
    assert client.get(f"/api/lessons/{slug}").status_code == 200  # no token: not an open
    assert client.put(f"/api/lessons/{slug}/read", headers=headers).status_code == 409
    assert client.get(f"/api/lessons/{slug}", headers=headers).status_code == 200
    assert client.put(f"/api/lessons/{slug}/read", headers=headers).json == {"lesson": slug,
                                                                             "read": True}
    course = client.get(f"/api/courses/{SLUG}", headers=headers).json
    assert course["progress"]["done"] == 1 and course["modules"][0]["items"][0]["read"] is True
    assert client.delete(f"/api/lessons/{slug}/read", headers=headers).json["read"] is False
    assert client.put("/api/lessons/nope/read", headers=headers).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer ", "att_x"])
def test_auth_required_and_bad_tokens(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.put("/api/lessons/attraction-vs-interruption/read", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] in {"unauthorized", "invalid_token"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_ignores_session_cookies(client, sign_in):
    """A signed-in browser session is not API auth (so CSRF cannot ride on it)."""
    sign_in()
    response = client.put("/api/lessons/attraction-vs-interruption/read")
    assert response.status_code == 401


def test_bad_token_on_public_endpoint_is_401_not_ignored(client):
    response = client.get(f"/api/courses/{SLUG}", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
