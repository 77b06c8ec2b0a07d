"""The learner's quiz pages: start, answer one question per page, review, submit, result."""

import re

import pytest

from attract.accounts import create_user, issue_token
from attract.extensions import db as _db
from attract.models import User
from attract.scoring import answer_key
from tests.helpers import COURSE, PASSWORD, Tree, csrf_from

SLUG = "first-messages-that-start-conversations"


def quiz_of(app, slug=SLUG):
    return app.extensions["attract.content"].library.quizzes[slug]


def form_for(question, answer):
    """What a browser sends for ``answer`` to ``question``."""
    kind = question["type"]
    if kind == "rank":
        return {f"rank-{oid}": str(place + 1) for place, oid in enumerate(answer)}
    if kind == "rating":
        return {"answer": str(answer)}
    return {"answer": answer}


def attempt_url(client, slug=SLUG):
    page = client.get(f"/quizzes/{slug}").get_data(as_text=True)
    response = client.post(f"/quizzes/{slug}/start", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    return response.headers["Location"]


def answer(client, url, step, data, action="next"):
    page = client.get(f"{url}?q={step}").get_data(as_text=True)
    return client.post(url, data={**data, "q": str(step), "action": action,
                                  "csrf_token": csrf_from(page)})


def test_anonymous_quiz_page_invites_sign_in(client, app):
    page = client.get(f"/quizzes/{SLUG}").get_data(as_text=True)
    assert quiz_of(app).title.replace("'", "&#39;") in page
    assert "to take the quiz" in page and f"/quizzes/{SLUG}/start" not in page


def test_full_run_through_the_pages(client, app, sign_in):
    sign_in()
    url = attempt_url(client)
    assert re.fullmatch(rf"/quizzes/{SLUG}/attempts/\d+", url)
    questions = {q["id"]: q for q in quiz_of(app).questions}
    order = []
    for step in range(1, len(questions) + 1):
        page = client.get(f"{url}?q={step}").get_data(as_text=True)
        assert f"Question {step} of {len(questions)}" in page
        question = next(q for q in questions.values() if q["prompt"].replace("'", "&#39;")
                        .replace('"', "&#34;") in page)
        order.append(question["id"])
        response = answer(client, url, step, form_for(question, answer_key(question)))
        assert response.status_code == 303
    assert response.headers["Location"].endswith("?q=review")
    review = client.get(f"{url}?q=review").get_data(as_text=True)
    assert "You have answered every question." in review
    result = client.post(url, data={"q": "review", "action": "submit",
                                    "csrf_token": csrf_from(review)})
    page = client.get(result.headers["Location"]).get_data(as_text=True)
    assert "Passed" in page and "100.0%" in page
    assert "Why</dt>" in page and "Learn more:" in page
    course = client.get("/courses/attraction-not-interruption").get_data(as_text=True)
    assert "1 of 12" in course and "passed" in course


def test_answers_are_kept_when_you_come_back(client, app, sign_in):
    sign_in()
    url = attempt_url(client)
    page = client.get(f"{url}?q=1").get_data(as_text=True)
    question = next(q for q in quiz_of(app).questions
                    if q["prompt"].replace("'", "&#39;").replace('"', "&#34;") in page)
    answer(client, url, 1, form_for(question, answer_key(question)))
    assert attempt_url(client) == url  # resume, not a new attempt
    page = client.get(f"{url}?q=1").get_data(as_text=True)
    assert "checked" in page or "selected" in page or "</textarea>" in page
    assert "1 of 12 answered" in page


def test_a_malformed_answer_is_a_clear_422_and_saves_nothing(client, app, sign_in):
    sign_in()
    url = attempt_url(client)
    for step in range(1, 13):
        page = client.get(f"{url}?q={step}").get_data(as_text=True)
        if 'name="rank-' in page:
            break
    options = re.findall(r'name="rank-([^"]+)"', page)
    data = {f"rank-{oid}": "1" for oid in options}
    response = answer(client, url, step, data)
    assert response.status_code == 422
    assert "Give each reply a different place." in response.get_data(as_text=True)
    assert "0 of 12 answered" in client.get(f"{url}?q=1").get_data(as_text=True)


@pytest.mark.parametrize("suffix", ["?q=0", "?q=99", "?q=abc", "?q=\u00b2", "?q=\u0663",
                                    "?q=" + "9" * 5000])
def test_unknown_question_number_is_404(client, sign_in, suffix):
    sign_in()
    assert client.get(attempt_url(client) + suffix).status_code == 404


def test_someone_elses_attempt_is_404(client, sign_in, post_form):
    sign_in("first@example.com")
    url = attempt_url(client)
    post_form("/", {}, action="/auth/sign-out")
    sign_in("second@example.com")
    assert client.get(url).status_code == 404
    other_quiz = url.replace(SLUG, "spot-the-interruption")
    assert client.get(other_quiz).status_code == 404


def test_pages_need_sign_in_and_csrf(client, sign_in):
    assert client.post(f"/quizzes/{SLUG}/start").status_code in (302, 400)
    sign_in()
    assert client.post(f"/quizzes/{SLUG}/start").status_code == 400
    url = attempt_url(client)
    assert client.post(url, data={"q": "1", "answer": "a"}).status_code == 400


def test_unknown_quiz_is_404(client):
    assert client.get("/quizzes/nope").status_code == 404


SENTINEL = "ZQXSENTINEL"


@pytest.fixture
def sentinel_app(content_app, tmp_path):
    """A quiz of every type whose keys and explanations carry a sentinel string."""
    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    scenario = ("    scenario: {channel: linkedin, sender: Dana, recipient: Sam, "
                "message: \"Please endorse me\"}\n")
    tree.write("quizzes/check.yaml", f"""\
title: "Check"
pass_mark: 60
attempts: 0
grading: best
shuffle: false
questions:
  - id: v
    type: verdict
    prompt: "Verdict?"
    points: 1
    explanation: "{SENTINEL} verdict"
{scenario}    key: interruption
  - id: c
    type: choice
    prompt: "Choice?"
    points: 1
    explanation: "{SENTINEL} choice"
    options: [{{id: a, text: A}}, {{id: b, text: B, credit: 0.4242}}]
    key: a
  - id: r
    type: rating
    prompt: "Rating?"
    points: 1
    explanation: "{SENTINEL} rating"
{scenario}    key: 2
    tolerance: 3
  - id: k
    type: rank
    prompt: "Rank?"
    points: 1
    explanation: "{SENTINEL} rank"
    options: [{{id: x, text: X}}, {{id: y, text: Y}}, {{id: z, text: Z}}]
    key: [z, x, y]
  - id: s
    type: spot
    prompt: "Spot?"
    points: 1
    explanation: "{SENTINEL} spot"
    scenario: {{channel: x, sender: Dana, recipient: Sam}}
    segments: [{{id: s1, text: "Hi"}}, {{id: s2, text: "follow me"}}]
    key: [s2]
  - id: w
    type: rewrite
    prompt: "Rewrite?"
    points: 1
    explanation: "{SENTINEL} rewrite"
{scenario}    min_score: 77
    sample: "{SENTINEL} sample"
""")
    return content_app(tree.root)


def test_keys_and_explanations_never_reach_an_in_progress_learner(sentinel_app):
    with sentinel_app.app_context():
        user = create_user("sentinel@example.com", PASSWORD, "S")
        token = issue_token(user)
    client = sentinel_app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    client.post("/auth/sign-in", data={"email": "sentinel@example.com", "password": PASSWORD,
                                       "csrf_token": csrf_from(page)})
    url = attempt_url(client, "check")
    headers = {"Authorization": f"Bearer {token}"}
    api_attempt = client.post("/api/quizzes/check/attempts", headers=headers).json["attempt_id"]
    fetched = [client.get("/quizzes/check"), client.get(f"{url}?q=review"),
               client.get("/courses/basics"), client.get("/api/quizzes/check"),
               client.get(f"/api/attempts/{api_attempt}", headers=headers),
               client.get("/api/courses/basics", headers=headers)]
    fetched += [client.get(f"{url}?q={n}") for n in range(1, 7)]
    for response in fetched:
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        for secret in (SENTINEL, "0.4242", "min_score", "tolerance", '"key"', "explanation"):
            assert secret not in text, (response.request.path, secret)
    # submitted and failed with attempts left: still hidden (the default, after_pass)
    result = client.post(f"/api/attempts/{api_attempt}/submit", headers=headers).json
    assert SENTINEL not in str(result) and result["review"]["shown"] is False
    assert SENTINEL not in client.get(url).get_data(as_text=True)


def test_saving_nothing_says_skipped(client, sign_in):
    sign_in()
    url = attempt_url(client, "spot-the-interruption")
    page = client.get(f"{url}?q=1").get_data(as_text=True)
    saved = client.post(url, data={"q": "1", "action": "next", "csrf_token": csrf_from(page)},
                        follow_redirects=True)
    assert "Question 1 skipped: nothing was saved" in saved.get_data(as_text=True)


@pytest.mark.parametrize("place", ["\u00b2", "\u0663", "9" * 5000, "-1"])
def test_a_ranking_with_a_place_that_is_not_a_number_is_a_clear_422(client, sign_in, place):
    sign_in()
    url = attempt_url(client)
    for step in range(1, 13):
        page = client.get(f"{url}?q={step}").get_data(as_text=True)
        if 'name="rank-' in page:
            break
    options = re.findall(r'name="rank-([^"]+)"', page)
    data = {f"rank-{oid}": str(n) for n, oid in enumerate(options, 1)}
    data[f"rank-{options[0]}"] = place
    response = answer(client, url, step, data)
    assert response.status_code == 422
    assert "Give every reply a place" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["goto-\u00b2", "goto-" + "9" * 5000, "goto-", "goto-x"])
def test_an_odd_jump_action_does_not_break_the_page(client, sign_in, action):
    sign_in()
    url = attempt_url(client)
    response = answer(client, url, 1, {}, action=action)
    assert response.status_code in (303, 400, 422), response.status_code


def test_a_ranking_left_as_shown_says_so(client, sign_in, app):
    sign_in()
    library = app.extensions["attract.content"].library
    slug, number = next((s, n) for s, quiz in library.quizzes.items()
                        for n, q in enumerate(quiz.questions, 1)
                        if q["type"] == "rank" and not quiz.shuffle)
    url = attempt_url(client, slug)
    page = client.get(f"{url}?q={number}").get_data(as_text=True)
    saved = client.post(url, data={"q": str(number), "action": "next",
                                   "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert f"Question {number} skipped: the replies were left as shown" in \
        saved.get_data(as_text=True)


def test_result_jump_links_and_only_what_was_not_right(client, sign_in, app):
    user_id = sign_in()
    quiz = app.extensions["attract.content"].library.quizzes["spot-the-interruption"]
    with app.app_context():
        token = issue_token(_db.session.get(User, user_id))
    headers = {"Authorization": f"Bearer {token}"}
    attempt = client.post("/api/quizzes/spot-the-interruption/attempts",
                          headers=headers).json["attempt_id"]
    right = {q["id"]: answer_key(q) for q in quiz.questions[:4]}
    client.post(f"/api/attempts/{attempt}/submit", headers=headers, json={"answers": right})
    url = f"/quizzes/spot-the-interruption/attempts/{attempt}"
    every = client.get(url).get_data(as_text=True)
    assert every.count('class="panel result ') == len(quiz.questions)
    assert f'href="#q{len(quiz.questions)}"' in every and 'id="q1"' in every
    assert f"Show only what I did not get right ({len(quiz.questions) - 4})" in every
    wrong = client.get(f"{url}?show=wrong").get_data(as_text=True)
    assert wrong.count('class="panel result ') == len(quiz.questions) - 4
    assert "is-right" not in wrong.split('<ol class="results"')[1]
    assert "Show every question" in wrong


def test_questions_sharing_a_prompt_are_told_apart(client, sign_in, app):
    sign_in()
    quiz = app.extensions["attract.content"].library.quizzes["spot-the-interruption"]
    prompts = [q["prompt"] for q in quiz.questions]
    shared = next(q for q in quiz.questions if prompts.count(q["prompt"]) > 1)
    url = attempt_url(client, "spot-the-interruption")
    review = client.get(f"{url}?q=review").get_data(as_text=True)
    sender = shared["scenario"]["sender"]
    assert f'<span class="prompt-context">({sender}, ' in review
