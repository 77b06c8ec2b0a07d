"""``static/quiz.js``: what it adds (rank by buttons or dragging, a countdown), and that the
quiz still works, by keyboard, with JavaScript switched off.

A small quiz of its own (``CONTENT_DIR`` in the test config): a rank question, a verdict
and a five-minute time limit, in file order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import COURSE as HELPER_COURSE
from tests.helpers import PASSWORD, Tree

pytestmark = pytest.mark.browser

SLUG = "timed"
RANK = "Rank these replies from best to worst."
VERDICT = "Attraction or interruption?"
KEY = ["b", "c", "a"]                    # best first
REPLIES = {"a": "Buy my course today!", "b": "How did you get into pottery?",
           "c": "Nice to meet you."}
QUIZ = f"""\
title: "Timed check"
pass_mark: 60
attempts: 0
grading: best
shuffle: false
time_limit_seconds: 300
questions:
  - id: order
    type: rank
    prompt: "{RANK}"
    points: 2
    explanation: "Curiosity first, courtesy next, the pitch last."
    options:
{''.join(f'      - {{id: {k}, text: "{v}"}}{chr(10)}' for k, v in REPLIES.items())}\
    key: [{', '.join(KEY)}]
    shuffle: false  # these tests move replies from the file's order
  - id: judge
    type: verdict
    prompt: "{VERDICT}"
    points: 1
    explanation: "It asks for a like before anything else."
    scenario:
      channel: facebook
      sender: "Dana Reyes"
      recipient: "Sam Ode"
      message: "Like my page!"
    key: interruption
"""
COURSE = HELPER_COURSE.replace("quiz: check", f"quiz: {SLUG}")


@pytest.fixture
def app_config(app_config, tmp_path):
    """The root config, with a content folder holding the timed quiz."""

    tree = Tree(tmp_path / "content")
    (tree.root / "quizzes" / "check.yaml").unlink()
    tree.write("courses/basics.yaml", COURSE)
    tree.write(f"quizzes/{SLUG}.yaml", QUIZ)
    return {**app_config, "CONTENT_DIR": str(tree.root)}


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def start(page: Page) -> None:
    page.goto(f"/quizzes/{SLUG}")
    page.get_by_role("button", name="Start the quiz").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(RANK)


def places(page: Page) -> dict[str, str]:
    return {oid: page.locator(f"select[name='rank-{oid}']").input_value() for oid in REPLIES}


def order_on_screen(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".rank-item .rank-text").all_inner_texts()]


def test_rank_by_move_buttons_keeps_the_selects_in_step(learner_page, screenshot):
    page = learner_page()
    errors = console_errors(page)
    start(page)
    expect(page.locator(".rank-list.is-enhanced")).to_be_visible()
    assert order_on_screen(page) == [REPLIES[k] for k in REPLIES]

    # Keyboard: "Move up" on the best reply (second) twice is not possible at the top:
    # move it up once, and its button for up is then disabled and focus stays on the item.
    best = page.locator(".rank-item").filter(has_text=REPLIES["b"])
    best.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    assert order_on_screen(page) == [REPLIES["b"], REPLIES["a"], REPLIES["c"]]
    expect(best.get_by_role("button", name="Move up")).to_be_disabled()
    expect(best.get_by_role("button", name="Move down")).to_be_focused()
    expect(best.get_by_role("button", name="Move down")).to_have_accessible_description(
        REPLIES["b"])
    assert places(page) == {"b": "1", "a": "2", "c": "3"}
    expect(page.locator("fieldset.rank [aria-live=polite]")).to_have_text(
        f"“{REPLIES['b']}” is now in place 1 of 3.")

    # Then the pitch goes to the bottom with Space on its "Move down".
    pitch = page.locator(".rank-item").filter(has_text=REPLIES["a"])
    pitch.get_by_role("button", name="Move down").focus()
    page.keyboard.press("Space")
    assert order_on_screen(page) == [REPLIES[k] for k in KEY]
    assert places(page) == {"b": "1", "c": "2", "a": "3"}
    expect(pitch.get_by_role("button", name="Move up")).to_be_focused()
    screenshot(page, "quiz-rank-enhanced")

    page.get_by_role("button", name="Save and next").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(VERDICT)

    # Back on the question the saved ranking is shown in its order.
    page.get_by_role("navigation", name="Questions").get_by_role(
        "link", name=re.compile(r"^Question 1\s*, answered$")).click()
    assert order_on_screen(page) == [REPLIES[k] for k in KEY]
    assert places(page) == {"b": "1", "c": "2", "a": "3"}
    assert not errors, errors


def test_rank_by_dragging_with_a_mouse(learner_page):
    page = learner_page()
    errors = console_errors(page)
    start(page)
    items = page.locator(".rank-item")
    # Drag the best reply onto the top of the first card, then the pitch to the bottom.
    best = items.filter(has_text=REPLIES["b"])
    best.drag_to(items.first, target_position={"x": 40, "y": 5})
    assert order_on_screen(page)[0] == REPLIES["b"]
    last = items.last
    box = last.bounding_box()
    items.filter(has_text=REPLIES["a"]).drag_to(
        last, target_position={"x": 40, "y": box["height"] - 5})
    assert order_on_screen(page) == [REPLIES[k] for k in KEY]
    assert places(page) == {"b": "1", "c": "2", "a": "3"}
    assert not errors, errors


def test_the_time_limit_counts_down(learner_page, screenshot):
    page = learner_page()
    errors = console_errors(page)
    start(page)
    deadline = page.locator(".deadline")
    expect(deadline.locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"))
    expect(deadline.locator(".countdown")).to_have_text(re.compile(r"^[45]:\d\d left$"))
    first = deadline.locator(".countdown").inner_text()
    expect(deadline.locator(".countdown")).not_to_have_text(first, timeout=3000)
    expect(deadline).not_to_have_class(re.compile("is-urgent"))
    screenshot(page, "quiz-countdown", full_page=False)

    # Near the end (the page's clock moved on, not the server's), it turns urgent.
    page.clock.install()
    page.reload()
    page.clock.fast_forward("04:30")
    expect(deadline.locator(".countdown")).to_have_text(re.compile(r"^0:\d\d left$"))
    expect(deadline).to_have_class(re.compile("is-urgent"))
    expect(deadline.locator("[aria-live=polite]")).to_have_text("1 minute left.")
    assert not errors, errors


def test_without_javascript_the_quiz_works_by_keyboard(browser, live_server, make_user):
    make_user(email="nojs@example.com", password=PASSWORD)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  locale="en-GB")
    try:
        page = context.new_page()
        page.goto("/auth/sign-in")
        page.get_by_label("Email").fill("nojs@example.com")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        start(page)
        expect(page.get_by_role("button", name="Move up")).to_have_count(0)
        expect(page.locator(".deadline .countdown")).to_have_count(0)
        expect(page.locator(".deadline time")).to_have_text(re.compile(r"UTC$"))
        for place, oid in enumerate(KEY, start=1):
            page.locator(f"select[name='rank-{oid}']").focus()
            page.keyboard.press(str(place))
        assert places(page) == {"b": "1", "c": "2", "a": "3"}
        page.get_by_role("button", name="Save and next").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(VERDICT)
        page.locator("input[value=attraction]").focus()
        page.keyboard.press("ArrowDown")  # to "interruption", which checks it
        expect(page.locator("input[value=interruption]")).to_be_checked()
        with page.expect_navigation():
            page.keyboard.press("Enter")  # Enter in the form: "Save and review"
        expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
        page.get_by_role("button", name="Submit my answers").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Passed: 100.0%")
    finally:
        context.close()
