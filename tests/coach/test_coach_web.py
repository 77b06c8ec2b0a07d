"""The coach over HTTP (page and API) and the command line."""

import json

import pytest

from tests.helpers import csrf_from


def test_api_analyses_a_message(client):
    response = client.post("/api/coach", json={
        "text": "Hi Sam, loved your talk at SaaStock. What made you switch to annual plans?",
        "recipient": "Sam Ortiz", "channel": "linkedin"})
    assert response.status_code == 200
    body = response.json
    assert {"score", "verdict", "criteria", "next_fix", "marked"} <= set(body)
    assert body["verdict"] == "attraction"
    assert {"id", "label", "points", "max", "status", "reason", "spans"} <= set(
        body["criteria"][0])


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "missing_text"), ({"text": "  "}, 400, "missing_text"),
        ({"text": 42}, 422, "invalid_field"), ({"text": "x" * 5001}, 413, "too_large"),
        ({"text": "hi", "channel": "fax"}, 422, "invalid_input"),
        ({"text": "hi", "channel": 3}, 422, "invalid_field"),
        ({"text": "hi", "recipient": ["a"]}, 422, "invalid_field"),
        ("[" * 50_000, 400, "invalid_json"),
        ('{"text": "hi \\ud800 there"}', 400, "invalid_text"),
    ],
)
def test_api_bad_input(client, body, status, error):
    if isinstance(body, str):  # raw bytes, as a client that builds JSON by hand sends
        response = client.post("/api/coach", data=body, content_type="application/json")
    else:
        response = client.post("/api/coach", json=body)
    assert (response.status_code, response.json["error"]) == (status, error)
    assert response.json["message"]


def test_api_is_rate_limited_per_address(app, client):
    app.config["COACH_RATE_LIMIT_PER_ADDRESS"] = 3
    for _ in range(3):
        assert client.post("/api/coach", json={"text": "hello there"}).status_code == 200
    limited = client.post("/api/coach", json={"text": "hello there"})
    assert limited.status_code == 429 and limited.json["error"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 120
    other = app.test_client()
    other_ip = other.post("/api/coach", json={"text": "hello"},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other_ip.status_code == 200


def test_new_accounts_bring_no_new_allowance(app, client, api_token):
    """Each account has its bucket, and so does the address they all come from."""
    app.config.update(COACH_RATE_LIMIT=2, COACH_RATE_LIMIT_PER_ADDRESS=3)
    first = {"Authorization": f"Bearer {api_token('one@example.com')}"}
    second = {"Authorization": f"Bearer {api_token('two@example.com')}"}
    statuses = [client.post("/api/coach", json={"text": "hello there"}, headers=h).status_code
                for h in (first, first, first, second, second)]
    assert statuses == [200, 200, 429, 200, 429]  # the account's 2, then the address's 3


def test_the_limit_slides_across_the_minute(app):
    """A fixed window let twice the limit through across its edge; the sliding one does
    not: 60 at 0:59 and 60 more at 1:01 is not allowed."""
    from attract.extensions import db
    from attract.ratelimit import hit

    with app.app_context():
        late = [hit("k", 60, 60, now=60 * 1000 + 59.0) for _ in range(60)]
        early = [hit("k", 60, 60, now=60 * 1001 + 1.0) for _ in range(60)]
        assert late == [None] * 60
        assert sum(wait is None for wait in early) <= 2  # 60 x 58/60 still count
        assert all(1 <= wait <= 120 for wait in early if wait is not None)
        later = hit("k", 60, 60, now=60 * 1002 + 30.0)  # a minute on: room again
        assert later is None
        db.session.rollback()


def test_page_without_javascript(client):
    page = client.get("/coach").get_data(as_text=True)
    assert "Will your message attract or interrupt?" in page
    response = client.post("/coach", data={
        "csrf_token": csrf_from(page), "channel": "facebook", "recipient": "Sam",
        "text": "Hi Sam! <script>alert(1)</script> Please like my page!!"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Interruption" in html and 'class="mark-bad"' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Next best fix:" in html


@pytest.mark.parametrize(("data", "message"), [
    ({"text": ""}, "Paste the message you want to send."),
    ({"text": "x" * 5001}, "The coach reads at most 5,000 characters."),
    ({"text": "hi", "channel": "fax"}, "Not a valid choice"),
])
def test_page_bad_input(client, data, message):
    page = client.get("/coach").get_data(as_text=True)
    response = client.post("/coach", data={"channel": "linkedin", **data,
                                           "csrf_token": csrf_from(page)})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_page_needs_csrf(client):
    assert client.post("/coach", data={"text": "hi"}).status_code == 400


def test_cli_scores_a_file_line_by_line(runner, tmp_path):
    lines = [json.dumps({"text": "Hi Sam, what did you make of the keynote?",
                         "recipient": "Sam"}),
             "{not json",
             json.dumps({"text": "Like my page!!", "channel": "facebook"}),
             json.dumps(["a list"]),
             json.dumps({"recipient": "no text"}),
             json.dumps({"text": "hi", "channel": "fax"})]
    path = tmp_path / "drafts.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe bad bytes\n")
    result = runner.invoke(args=["coach", "analyse", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(out) == 7
    assert out[0]["verdict"] == "attraction" and out[2]["verdict"] == "interruption"
    assert "not valid JSON" in out[1]["error"] and "JSON object" in out[3]["error"]
    assert "missing 'text'" in out[4]["error"] and "Unknown channel" in out[5]["error"]
    assert "not valid UTF-8" in out[6]["error"]
    assert "5 line(s) could not be analysed." in result.stderr


def test_cli_all_good_exits_0(runner, tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps({"text": "Hi Ana, how did the launch go?"}) + "\n")
    result = runner.invoke(args=["coach", "analyse", "--jsonl", str(path)])
    assert result.exit_code == 0 and json.loads(result.stdout)["score"] >= 0


def test_page_counts_against_the_channels_limit(client):
    page = client.get("/coach").get_data(as_text=True)
    assert 'data-limit="300"' in page  # the invitation note's limit, for the live count
    note = "Hi Sam, I loved your talk on onboarding at the HR Tech meetup. " * 6
    answer = client.post("/coach", data={"text": note, "channel": "linkedin-invite",
                                         "recipient": "Sam", "csrf_token": csrf_from(page)})
    html = answer.get_data(as_text=True)
    assert f"{len(note)} of 300 characters" in html and f"{len(note) - 300} too many" in html
    assert 'id="coach-live"' in html  # the score pinned on a phone, filled by the script


def test_page_lists_the_moves_without_javascript(client):
    page = client.get("/coach").get_data(as_text=True)
    text = ("Hi Priya, I loved your talk at the Leeds expo. Are you free for a demo on "
            "Thursday? <b>Thanks</b>")
    html = client.post("/coach", data={"text": text, "channel": "linkedin",
                                       "recipient": "Priya", "csrf_token": csrf_from(page)}
                       ).get_data(as_text=True)
    assert "Move by move" in html and "Unearned ask" in html
    assert "&lt;b&gt;Thanks&lt;/b&gt;" in html and "<b>Thanks</b>" not in html
