"""An XSS corpus through every place a person can put text; none of it comes back live.

Names (sign-up: header, account page, a trainer's cohort table), nicknames (a room's
lobby, over the API and on the trainer's page), rewrite answers (the result page),
coach drafts (the page and the API), and lesson Markdown (an author's file).
"""

import pytest

from tests.helpers import COURSE, LESSON, Tree, csrf_from

CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "\u202e<b>evil</b>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
]
LIVE = ("<script>alert", "<img src=x onerror", "<svg onload", "onmouseover='alert",
        "<b>evil</b>", 'href="data:text/html', 'href="javascript:')


def assert_inert(html: str, where: str) -> None:
    for fragment in LIVE:
        assert fragment not in html, f"{where}: {fragment!r} came back live"


@pytest.mark.parametrize("payload", CORPUS)
def test_a_name(app, client, payload, mailbox):
    page = client.get("/auth/sign-up").get_data(as_text=True)
    response = client.post("/auth/sign-up", data={
        "name": "Ada " + payload, "email": "xss@example.com", "password": "correct horse battery",
        "confirm": "correct horse battery", "csrf_token": csrf_from(page)})
    assert response.status_code == 200
    assert mailbox.confirm(client).status_code == 303  # signed in, name shown
    for url in ("/", "/auth/account", "/courses/attraction-not-interruption", "/coach"):
        assert_inert(client.get(url).get_data(as_text=True), url)


@pytest.mark.parametrize("payload", CORPUS)
def test_a_coach_draft(client, payload):
    page = client.get("/coach").get_data(as_text=True)
    html = client.post("/coach", data={"text": f"Hi Sam, {payload} what do you think?",
                                       "recipient": payload[:100], "channel": "linkedin",
                                       "csrf_token": csrf_from(page)}).get_data(as_text=True)
    assert_inert(html, "/coach")
    answer = client.post("/api/coach", json={"text": f"Hi {payload}", "recipient": "Sam"})
    assert answer.status_code == 200 and answer.mimetype == "application/json"


@pytest.mark.parametrize("payload", CORPUS)
def test_a_nickname(app, client, api_token, payload):
    token = api_token("host@example.com", role="trainer")
    headers = {"Authorization": f"Bearer {token}"}
    room = client.post("/api/workshops", json={"quiz": "spot-the-interruption"},
                       headers=headers).json
    joined = client.post(f"/api/workshops/{room['code']}/join",
                         json={"nickname": payload[:20]})
    assert joined.status_code in (201, 422)
    state = client.get(f"/api/workshops/{room['code']}/state")
    assert state.mimetype == "application/json"
    page = client.get(f"/j/{room['code']}").get_data(as_text=True)
    assert_inert(page, "/j/<code>")


def test_lesson_markdown_is_sanitised(content_app, tmp_path):
    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    body = "\n\n".join([
        "## Links", "[click](javascript:alert(1)) and [data](data:text/html,hi)",
        "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)></svg>", '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://example.com></iframe>"])
    tree.write("lessons/hello.md", LESSON.replace("Body text.", body)
               if "Body text." in LESSON else LESSON + "\n" + body)
    client = content_app(tree.root).test_client()
    html = client.get("/lessons/hello").get_data(as_text=True)
    assert_inert(html, "/lessons/hello")
    for fragment in ("onclick=", "onerror=", "<iframe", "javascript:", "data:text/html"):
        assert fragment not in html, fragment
