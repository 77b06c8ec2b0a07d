"""Taking a quiz in a real browser with the keyboard alone: every question type, resume, errors.

The issue's promise is that all six question types work as plain HTML forms with the
keyboard alone. So the answers here are given only with Tab, Shift+Tab, Space, the arrow
keys, typing and Enter; the mouse only follows links between pages. Each question is
recognised by its prompt and answered with its key from the loaded content, so the tests
follow the quiz files when they change (and when ``shuffle`` reorders the questions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from playwright.sync_api import Locator, Page, expect

from attract.scoring import answer_key, grade_answer, score_quiz
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TAP_TARGET = 44     # px: WCAG 2.5.5 and the platforms' guidance for a finger
TAP_SLACK = 2       # px: "or close to it" (sub-pixel rounding of rem-based sizes)
EVERY_TYPE = "first-messages-that-start-conversations"   # verdict, choice, rating, rank, spot
REWRITES = "rewrite-workshop"                            # verdict, rating, rank, rewrite
PROGRESS = re.compile(r"(\d+) of (\d+) answered")


@pytest.fixture
def library(app):
    return app.extensions["attract.content"].library


# --- the keyboard ----------------------------------------------------------------------

def is_focused(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab, or Shift+Tab when ``target`` comes before the focus, until it has the focus.

    This walks the page's real tab order: a control Tab cannot reach fails the test.
    """
    backwards = target.evaluate(
        "el => document.activeElement !== document.body && document.activeElement !== el"
        " && !!(el.compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)")
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {target}")


def pick_radio(page: Page, radios: Locator, value: str) -> None:
    """Tab into a radio group (it lands on the checked radio, or the first), then arrow keys."""
    values = radios.evaluate_all("els => els.map(el => el.value)")
    checked = radios.evaluate_all("els => els.findIndex(el => el.checked)")
    start = max(checked, 0)
    tab_to(page, radios.nth(start))
    steps = values.index(value) - start
    if steps == 0 and checked < 0:
        page.keyboard.press("Space")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(radios.nth(values.index(value))).to_be_checked()
    expect(radios.nth(values.index(value))).to_be_focused()


def tick_boxes(page: Page, boxes: Locator, values: list[str]) -> None:
    """Tab from box to box, pressing Space where its state must change."""
    for index in range(boxes.count()):
        box = boxes.nth(index)
        wanted = box.get_attribute("value") in values
        tab_to(page, box)
        if box.is_checked() != wanted:
            page.keyboard.press("Space")
        expect(box).to_be_checked(checked=wanted)


def choose_places(page: Page, places: Mapping[str, int]) -> None:
    """Give each reply its place: Tab to its select and type the number (type-ahead)."""
    for option_id, place in places.items():
        select = page.locator(f"select[name='rank-{option_id}']")
        tab_to(page, select)
        page.keyboard.press(str(place))
        expect(select).to_have_value(str(place))


def type_text(page: Page, text: str) -> None:
    textarea = page.locator("textarea[name=answer]")
    tab_to(page, textarea)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    expect(textarea).to_have_value(text)


def answer_by_keyboard(page: Page, question: Mapping, answer) -> None:
    """Give ``answer`` to the question on the page with the keyboard alone."""
    kind = question["type"]
    if kind in ("verdict", "rating") or (kind == "choice" and not question.get("multiple")):
        pick_radio(page, page.locator("input[type=radio][name=answer]"), str(answer))
    elif kind in ("choice", "spot"):
        tick_boxes(page, page.locator("input[type=checkbox][name=answer]"), list(answer))
    elif kind == "rank":
        choose_places(page, {oid: place for place, oid in enumerate(answer, start=1)})
    elif kind == "rewrite":
        type_text(page, answer)
    else:  # a new type needs its keyboard recipe here
        raise AssertionError(f"no keyboard recipe for a {kind} question")


def press_button(page: Page, name: str) -> None:
    """Tab to the submit button named ``name``, press Enter and wait for the next page."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def question_on(page: Page, quiz) -> Mapping:
    """The question on this page, recognised by its prompt (the page's only h1)."""
    prompt = page.get_by_role("heading", level=1).inner_text().strip()
    matches = [q for q in quiz.questions if q["prompt"].strip() == prompt]
    assert len(matches) == 1, f"no single question of {quiz.slug} has the prompt {prompt!r}"
    return matches[0]


def answered(page: Page) -> tuple[int, int]:
    match = PROGRESS.search(page.locator(".attempt-head").inner_text())
    assert match, "the attempt's header says how many questions are answered"
    return int(match.group(1)), int(match.group(2))


def expect_answer_shown(page: Page, question: Mapping, answer) -> None:
    """The page shows ``answer`` already given (after a save, a reload or a resume)."""
    kind = question["type"]
    if kind == "rank":
        for place, oid in enumerate(answer, start=1):
            expect(page.locator(f"select[name='rank-{oid}']")).to_have_value(str(place))
    elif kind == "rewrite":
        expect(page.locator("textarea[name=answer]")).to_have_value(answer)
    else:
        wanted = {str(answer)} if isinstance(answer, str | int) else set(answer)
        inputs = page.locator("input[name=answer]")
        for index in range(inputs.count()):
            box = inputs.nth(index)
            expect(box).to_be_checked(checked=box.get_attribute("value") in wanted)


# --- getting to a quiz ---------------------------------------------------------------------

def open_quiz_from_course(page: Page, library, slug: str) -> None:
    """Catalog, course page, then the quiz's link in its module, as a learner finds it."""
    quiz = library.quizzes[slug]
    course = next(c for c in library.courses.values() if slug in
                  [i.slug for m in c.modules for i in m.items if i.kind == "quiz"])
    page.goto("/")
    page.get_by_role("link", name=re.compile(rf"the course\s*: {re.escape(course.title)}$")) \
        .click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    step = page.locator(".step").filter(has=page.get_by_role("link", name=quiz.title, exact=True))
    expect(step).to_contain_text(f"Quiz · {len(quiz.questions)} questions")
    step.get_by_role("link", name=quiz.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)


def start(page: Page, button: str = "Start the quiz") -> None:
    press_button(page, button)
    expect(page.locator(".attempt-head")).to_contain_text("Question 1 of")


# --- the tests -------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", [EVERY_TYPE, REWRITES])
def test_every_question_answered_with_the_keyboard_alone(learner_page, library, slug,
                                                         screenshot):
    quiz = library.quizzes[slug]
    page = learner_page()
    open_quiz_from_course(page, library, slug)
    start(page)

    seen = []
    for step in range(1, len(quiz.questions) + 1):
        expect(page.locator(".attempt-head")).to_contain_text(
            f"Question {step} of {len(quiz.questions)}")
        assert answered(page) == (step - 1, len(quiz.questions))
        question = question_on(page, quiz)
        assert question["id"] not in seen, "a question came round twice"
        seen.append(question["id"])
        answer_by_keyboard(page, question, answer_key(question))
        last = step == len(quiz.questions)
        press_button(page, "Save and review" if last else "Save and next")

    # The review lists every question as answered; submit from the keyboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
    expect(page.get_by_text("You have answered every question.")).to_be_visible()
    review = page.locator(".review-list > li")
    expect(review).to_have_count(len(quiz.questions))
    expect(review.filter(has_text="not answered")).to_have_count(0)
    press_button(page, "Submit my answers")

    expect(page.get_by_role("status")).to_contain_text("Submitted. Here is how you did.")
    heading = page.get_by_role("heading", level=1)
    results = page.locator(".results > li")
    expect(results).to_have_count(len(quiz.questions))

    def result_of(question):
        name = re.compile(rf"\d+\. {re.escape(question['prompt'])}$")
        return results.filter(has=page.get_by_role("heading", level=2, name=name))

    # What the scoring module makes of these answers is what the page must show. Rewrites
    # are graded by the message coach (since it landed; before, they awaited grading), so
    # the model rewrites earn what the coach gives them.
    grades = {q["id"]: grade_answer(q, answer_key(q)) for q in quiz.questions}
    total = score_quiz([(float(q["points"]), grades[q["id"]]) for q in quiz.questions],
                       quiz.pass_mark)
    if slug == EVERY_TYPE:
        expect(heading).to_have_text("Passed: 100.0%")
    elif total.pending:
        expect(heading).to_have_text(f"Awaiting grading: {total.score}% so far")
    else:
        expect(heading).to_have_text(
            f"{'Passed' if total.passed else 'Not passed this time'}: {total.score}%")
    for question in quiz.questions:
        item, grade = result_of(question), grades[question["id"]]
        points = question["points"]
        feedback = item.locator("xpath=.//dt[.='Feedback']/following-sibling::dd[1]")
        expect(feedback).to_have_text(grade.feedback)
        if grade.pending:
            expect(item.locator(".result-badge")).to_have_text(
                re.compile("awaiting grading", re.IGNORECASE))
            continue
        earned = round(grade.points(float(points)), 2)
        expect(item.locator(".result-points")).to_have_text(
            f"{earned:g} of {points:g} point{'s' * (points != 1)}")
        expect(item.locator(".result-badge")).to_have_text(
            "✓ Right" if grade.fraction == 1 else re.compile("Partly right|Not right"))
        if question["type"] == "rewrite":   # the learner's own text comes back to them
            expect(item.locator(".result-detail dd").first).to_have_text(answer_key(question))
    screenshot(page, f"quiz-keyboard-result-{slug}")


def test_resume_keeps_the_answers(learner_page, library, browser, live_server):
    quiz = library.quizzes[EVERY_TYPE]
    page = learner_page()
    context = page.context
    open_quiz_from_course(page, library, EVERY_TYPE)
    start(page)
    given = []
    for _ in range(2):
        question = question_on(page, quiz)
        answer_by_keyboard(page, question, answer_key(question))
        given.append(question)
        press_button(page, "Save and next")
    expect(page.locator(".attempt-head")).to_contain_text("Question 3 of")
    page.close()

    def check(page: Page) -> None:
        expect(page.get_by_role("heading", level=2, name="Carry on")).to_be_visible()
        start(page, "Resume attempt 1")
        expect(page.get_by_role("status")).to_contain_text("your answers so far are saved")
        assert answered(page) == (2, len(quiz.questions))
        nav = page.get_by_role("navigation", name="Questions")
        for step, question in enumerate(given, start=1):
            link = nav.get_by_role("link", name=re.compile(rf"^Question {step}\s*, answered$"))
            expect(link).to_be_visible()
            link.click()
            expect(page.get_by_role("heading", level=1)).to_have_text(question["prompt"])
            expect_answer_shown(page, question, answer_key(question))
        expect(nav.get_by_role("link", name=re.compile(r"^Question 3\s*, not answered$"))) \
            .to_be_visible()

    # A new page in the same browser context: the session cookie is still there.
    again = context.new_page()
    again.goto(f"/quizzes/{EVERY_TYPE}")
    check(again)

    # A different browser altogether: sign in again, and the server still has them.

    fresh = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        other = fresh.new_page()
        other.goto(f"/auth/sign-in?next=/quizzes/{EVERY_TYPE}")
        email = again.get_by_role("navigation", name="Main").locator(".nav-name") \
            .get_attribute("title")
        other.get_by_label("Email").fill(email)
        other.get_by_label("Password", exact=True).fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        expect(other.get_by_role("heading", level=1)).to_have_text(quiz.title)
        check(other)
    finally:
        fresh.close()


def go_to_question_of_type(page: Page, quiz, kind: str) -> Mapping:
    """Walk the question numbers (the order is shuffled) to the first question of ``kind``."""
    nav = page.get_by_role("navigation", name="Questions")
    for step in range(1, len(quiz.questions) + 1):
        nav.get_by_role("link", name=re.compile(rf"^Question {step}\s*,")).click()
        expect(page.locator(".attempt-head")).to_contain_text(f"Question {step} of")
        question = question_on(page, quiz)
        if question["type"] == kind:
            return question
    raise AssertionError(f"{quiz.slug} has no {kind} question")


def test_two_replies_in_one_place_is_an_error_next_to_the_question(learner_page, library,
                                                                    screenshot):
    quiz = library.quizzes[EVERY_TYPE]
    page = learner_page()
    page.goto(f"/quizzes/{EVERY_TYPE}")
    start(page)
    question = go_to_question_of_type(page, quiz, "rank")
    key = answer_key(question)
    # The best two both get place 1; the others their right places.
    wrong = {key[0]: 1, key[1]: 1, **{oid: place for place, oid in enumerate(key[2:], start=3)}}
    choose_places(page, wrong)
    press_button(page, "Save and next")

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Give each reply a different place.")
    # Next to the question: inside its panel, before the Save button, and it describes
    # the group of selects so a screen reader reads it with them.
    panel = page.locator("section.question")
    expect(panel.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_role("group", name=re.compile("Give each reply a place"))) \
        .to_have_accessible_description(re.compile("Give each reply a different place."))
    # Still the same question, and nothing typed is lost.
    expect(page.get_by_role("heading", level=1)).to_have_text(question["prompt"])
    for oid, place in wrong.items():
        expect(page.locator(f"select[name='rank-{oid}']")).to_have_value(str(place))
    assert answered(page)[0] == 0, "an invalid ranking is not saved"
    screenshot(page, "quiz-rank-error")

    # Fix the one wrong place with the keyboard; now it saves and moves on.
    choose_places(page, {key[1]: 2})
    press_button(page, "Save and next")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert answered(page)[0] == 1
    page.get_by_role("navigation", name="Questions").get_by_role(
        "link", name=re.compile(r", answered$")).click()
    expect_answer_shown(page, question, key)


def test_enter_on_a_chosen_answer_saves_it_and_goes_forward(learner_page, library):
    """Enter in a form presses its first submit button: that must be "Save and next",
    never "Previous" (which would send a keyboard user back a question)."""
    quiz = library.quizzes[EVERY_TYPE]
    page = learner_page()
    page.goto(f"/quizzes/{EVERY_TYPE}")
    start(page)
    nav = page.get_by_role("navigation", name="Questions")
    for step in range(2, len(quiz.questions)):
        nav.get_by_role("link", name=re.compile(rf"^Question {step}\s*,")).click()
        expect(page.locator(".attempt-head")).to_contain_text(f"Question {step} of")
        question = question_on(page, quiz)
        if question["type"] in ("verdict", "rating") or (
                question["type"] == "choice" and not question.get("multiple")):
            break
    else:
        raise AssertionError("no one-pick question after the first")
    expect(page.get_by_role("button", name="Previous")).to_be_visible()
    answer_by_keyboard(page, question, answer_key(question))
    with page.expect_navigation():
        page.keyboard.press("Enter")      # on the radio just picked
    expect(page.locator(".attempt-head")).to_contain_text(f"Question {step + 1} of")
    assert answered(page)[0] == 1
    nav.get_by_role("link", name=re.compile(rf"^Question {step}\s*, answered$")).click()
    expect_answer_shown(page, question, answer_key(question))


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth,"
                           " document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px > {widths[1]}px"


def tap_heights(page: Page, selector: str) -> list[float]:
    boxes = page.locator(selector)
    assert boxes.count(), f"nothing matches {selector}"
    return [boxes.nth(i).bounding_box()["height"] for i in range(boxes.count())]


@pytest.mark.parametrize("slug", [EVERY_TYPE, REWRITES])
def test_phone_pages_fit_and_targets_are_big_enough(learner_page, library, slug, screenshot):
    quiz = library.quizzes[slug]
    page = learner_page(PHONE)
    page.goto(f"/quizzes/{slug}")
    no_horizontal_scroll(page)
    start(page)
    kinds = set()
    for step in range(1, len(quiz.questions) + 1):
        expect(page.locator(".attempt-head")).to_contain_text(f"Question {step} of")
        question = question_on(page, quiz)
        no_horizontal_scroll(page)
        if question["type"] == "spot":
            heights = tap_heights(page, "label.segment")
            assert min(heights) >= TAP_TARGET - TAP_SLACK, f"spot phrases are {heights}px tall"
        if question["type"] == "rating":
            heights = tap_heights(page, "label.rating-option")
            assert min(heights) >= TAP_TARGET - TAP_SLACK, f"rating buttons are {heights}px tall"
        if question["type"] in ("verdict", "choice"):
            heights = tap_heights(page, "label.choice")
            assert min(heights) >= TAP_TARGET - TAP_SLACK, f"choices are {heights}px tall"
        if question["type"] == "rank":
            heights = tap_heights(page, ".rank-item select")
            assert min(heights) >= TAP_TARGET - TAP_SLACK, f"place menus are {heights}px tall"
        buttons = tap_heights(page, ".question-actions .button")
        assert min(buttons) >= TAP_TARGET - TAP_SLACK, f"buttons are {buttons}px tall"
        kinds.add(question["type"])
        answer_by_keyboard(page, question, answer_key(question))
        press_button(page, "Save and review" if step == len(quiz.questions) else "Save and next")
    assert kinds == {q["type"] for q in quiz.questions}
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
    no_horizontal_scroll(page)
    press_button(page, "Submit my answers")
    expect(page.get_by_role("status")).to_contain_text("Submitted.")
    no_horizontal_scroll(page)
    screenshot(page, f"quiz-phone-result-{slug}")
