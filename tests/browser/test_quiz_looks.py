"""How the quiz pages look and read: focus, contrast, sizes, the CSP; and their screenshots.

With ``ATTRACT_SCREENSHOTS=1`` these tests save the pictures a designer reviews: the
start page (signed out, and with past attempts), a question of each type on a laptop
and a phone, the review step, three result pages (all right; mixed; rewrites as the
message coach grades them), the course page listing the quizzes and the projector
view. Without it they still check what can be measured: a visible focus on every
control, text contrast of at least 4.5:1 (3:1 for large text), no sideways scroll,
projector-sized text and no Content-Security-Policy violation.

Past attempts are made through ``attract.attempts`` (what the pages call), so each test
starts where it wants to look; taking a quiz by the pages is ``test_quiz_flow``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from playwright.sync_api import Page, expect

from attract import attempts as core
from attract.extensions import db as _db
from attract.scoring import answer_key

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
EVERY_TYPE = "first-messages-that-start-conversations"
REWRITES = "rewrite-workshop"

# The contrast of every visible text against the first opaque background behind it
# (WCAG 2 relative luminance). Large text is 24px, or 18.66px bold.
CONTRAST_JS = """
(root) => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, under) => ({r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) bg = blend(layer, bg);
    return bg; };
  const failures = []; const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const s = getComputedStyle(el); const box = el.getBoundingClientRect();
    if (s.visibility === 'hidden' || box.width <= 1 || box.height <= 1
        || el.closest('.visually-hidden, option, [hidden]')) continue;
    const fg = blend(parse(s.color), background(el)); const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) failures.push(`${ratio.toFixed(2)} < ${need}: "${
      walker.currentNode.textContent.trim().slice(0, 40)}" (${s.color} on ${
      getComputedStyle(el).backgroundColor}, ${el.tagName.toLowerCase()}.${el.className})`);
  }
  return failures;
}
"""

# How visible the keyboard focus is on the focused control: the widest outline on the
# control itself or on the label around it (a radio's label lights up as a whole).
FOCUS_JS = """
() => { const el = document.activeElement;
  const width = e => { if (!e) return 0; const s = getComputedStyle(e);
    return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) || 0; };
  return Math.max(width(el), width(el.closest('label')), width(el.closest('.rank-item'))); }
"""


@pytest.fixture
def library(app):
    return app.extensions["attract.content"].library


@pytest.fixture
def attempts(app, library):
    """``attempts(user_id, slug, answers, submit=True)``: an attempt, answered (and submitted)."""
    def make(user_id: int, slug: str, answers: Mapping, submit: bool = True) -> int:
        quiz = library.quizzes[slug]
        with app.app_context():
            attempt, _ = core.start_or_resume(user_id, quiz)
            given = {qid: a for qid, a in answers.items() if a is not None}
            if given:
                core.save_answers(attempt, quiz, given)
            if submit:
                core.submit(attempt, quiz)
            attempt_id = attempt.id
            _db.session.remove()
        return attempt_id

    return make


def right_answers(quiz) -> dict:
    return {q["id"]: answer_key(q) for q in quiz.questions}


def mixed_answers(quiz) -> dict:
    """Some right, some partly right, some wrong, one left out: a typical first try."""
    answers = {}
    for index, question in enumerate(quiz.questions):
        key = answer_key(question)
        kind = question["type"]
        if index % 3 == 0:
            answers[question["id"]] = key
        elif kind == "verdict":
            answers[question["id"]] = "attraction" if key == "interruption" else "interruption"
        elif kind == "choice" and question.get("multiple"):
            options = [o["id"] for o in question["options"]]
            answers[question["id"]] = key[:1] + [o for o in options if o not in key][:1]
        elif kind == "choice":
            answers[question["id"]] = next(o["id"] for o in question["options"]
                                           if o["id"] != key)
        elif kind == "rating":
            answers[question["id"]] = key + 1 if key < 5 else key - 1
        elif kind == "rank":
            answers[question["id"]] = [key[1], key[0], *key[2:]]
        elif kind == "spot":
            answers[question["id"]] = key[:1] + [s["id"] for s in question["segments"]
                                                 if s["id"] not in key][:1]
        else:
            answers[question["id"]] = None
    return answers


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth,"
                           " document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px > {widths[1]}px"


def check_contrast(page: Page) -> None:
    failures = page.locator("main").evaluate(CONTRAST_JS)
    assert not failures, f"{page.url}: text below the contrast minimum:\n" + "\n".join(failures)


def watch_csp(page: Page) -> list[str]:
    """Console errors on ``page`` (a CSP violation is one), collected as they come."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    return errors


def question_step(page: Page, attempt_url: str, quiz, kind: str, multiple=None) -> int:
    """The step number of the first question of ``kind`` in this attempt's (shuffled) order."""
    for step in range(1, len(quiz.questions) + 1):
        page.goto(f"{attempt_url}?q={step}")
        prompt = page.get_by_role("heading", level=1).inner_text().strip()
        question = next(q for q in quiz.questions if q["prompt"].strip() == prompt)
        if question["type"] == kind and (multiple is None
                                         or bool(question.get("multiple")) == multiple):
            return step
    raise AssertionError(f"{quiz.slug} has no {kind} question")


KINDS = [("verdict", None), ("choice", False), ("choice", True), ("rating", None),
         ("rank", None), ("spot", None), ("rewrite", None)]


def kind_name(kind: str, multiple) -> str:
    return f"{kind}-{'multiple' if multiple else 'single'}" if kind == "choice" else kind


def test_quiz_start_page_signed_out_and_with_past_attempts(new_page, learner_page, make_user,
                                                           attempts, library, screenshot):
    quiz = library.quizzes[EVERY_TYPE]
    page = new_page(DESKTOP)
    errors = watch_csp(page)
    page.goto(f"/quizzes/{EVERY_TYPE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    expect(page.get_by_role("link", name="Sign in to start")).to_be_visible()
    check_contrast(page)
    screenshot(page, "quiz-start-signed-out")

    user = make_user(email="returning@example.com", name="Rita Returning")
    attempts(user, EVERY_TYPE, mixed_answers(quiz))
    attempts(user, EVERY_TYPE, right_answers(quiz))
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = learner_page(viewport, email="returning@example.com")
        errors += watch_csp(page)
        page.goto(f"/quizzes/{EVERY_TYPE}")
        table = page.get_by_role("table")
        expect(table.get_by_role("row")).to_have_count(3)
        expect(page.get_by_role("button", name="Try again")).to_be_visible()
        no_horizontal_scroll(page)
        check_contrast(page)
        screenshot(page, f"quiz-start-attempts-{name}")
    assert not errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_question_pages_of_every_type(learner_page, library, viewport, request, screenshot):
    name = request.node.callspec.id
    page = learner_page(viewport)
    errors = watch_csp(page)
    for slug in (EVERY_TYPE, REWRITES):
        quiz = library.quizzes[slug]
        page.goto(f"/quizzes/{slug}")
        page.get_by_role("button", name="Start the quiz").click()
        url = page.url.split("?")[0]
        kinds = {q["type"] for q in quiz.questions}
        for kind, multiple in KINDS:
            if kind not in kinds or (slug == REWRITES and kind != "rewrite"):
                continue
            page.goto(f"{url}?q={question_step(page, url, quiz, kind, multiple)}")
            no_horizontal_scroll(page)
            check_contrast(page)
            assert page.locator("[style]").count() == 0, "inline styles break the CSP"
            screenshot(page, f"quiz-{kind_name(kind, multiple)}-{name}")
    assert not errors, errors


def test_every_control_shows_where_the_keyboard_is(learner_page, library, screenshot):
    page = learner_page(DESKTOP)
    for slug in (EVERY_TYPE, REWRITES):
        quiz = library.quizzes[slug]
        page.goto(f"/quizzes/{slug}")
        page.get_by_role("button", name="Start the quiz").click()
        url = page.url.split("?")[0]
        for kind, multiple in KINDS:
            if (slug == REWRITES) != (kind == "rewrite"):
                continue
            page.goto(f"{url}?q={question_step(page, url, quiz, kind, multiple)}")
            controls = page.locator("main form").locator(
                "input:not([type=hidden]), select, textarea, button:not(:disabled)")
            seen = 0
            page.locator("main").focus()
            for _ in range(60):
                page.keyboard.press("Tab")
                inside = page.evaluate("() => !!document.activeElement.closest('main form')")
                if not inside:
                    if seen:
                        break
                    continue
                seen += 1
                what = page.evaluate("() => { const e = document.activeElement;"
                                     " return e.tagName + ' ' + (e.name || e.textContent) }")
                assert page.evaluate(FOCUS_JS) >= 2, f"{kind}: no visible focus on {what}"
                if kind == "spot" and seen == 2:
                    screenshot(page, "quiz-spot-focus", full_page=False)
                if kind == "rating" and seen == 1:
                    screenshot(page, "quiz-rating-focus", full_page=False)
            # Radios are one Tab stop a group; everything else is one each.
            groups = page.evaluate("() => new Set([...document.querySelectorAll("
                                   "'main form input[type=radio]')].map(r => r.name)).size")
            radios = page.locator("main form input[type=radio]").count()
            assert seen == controls.count() - radios + groups, f"{kind}: tab stops"


def test_review_page(learner_page, library, make_user, attempts, screenshot):
    quiz = library.quizzes[EVERY_TYPE]
    user = make_user(email="reviewer@example.com")
    answers = right_answers(quiz)
    for question in quiz.questions[:3]:
        answers[question["id"]] = None
    attempt_id = attempts(user, EVERY_TYPE, answers, submit=False)
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = learner_page(viewport, email="reviewer@example.com")
        page.goto(f"/quizzes/{EVERY_TYPE}/attempts/{attempt_id}?q=review")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
        expect(page.get_by_text("3 questions are not answered yet.")).to_be_visible()
        no_horizontal_scroll(page)
        check_contrast(page)
        screenshot(page, f"quiz-review-{name}")


def rewrites_answers(quiz) -> dict:
    """The rewrite workshop's other questions right; rewrites good, unchanged or missing."""
    answers = right_answers(quiz)
    rewrites = [q for q in quiz.questions if q["type"] == "rewrite"]
    for index, question in enumerate(rewrites):
        if index % 3 == 1:      # the interrupting message, sent back as it was
            answers[question["id"]] = question["scenario"]["message"]
        elif index % 3 == 2:
            answers[question["id"]] = None
    return answers


@pytest.mark.parametrize("kind", ["all-right", "mixed", "rewrites"])
def test_result_pages(learner_page, library, make_user, attempts, kind, screenshot):
    slug = REWRITES if kind == "rewrites" else EVERY_TYPE
    quiz = library.quizzes[slug]
    answers = {"all-right": right_answers, "mixed": mixed_answers,
               "rewrites": rewrites_answers}[kind](quiz)
    user = make_user(email=f"{kind}@example.com")
    attempt_id = attempts(user, slug, answers)
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone"), (PROJECTOR, "projector")]:
        page = learner_page(viewport, email=f"{kind}@example.com")
        errors = watch_csp(page)
        page.goto(f"/quizzes/{slug}/attempts/{attempt_id}")
        heading = page.get_by_role("heading", level=1)
        if kind == "all-right":
            expect(heading).to_have_text("Passed: 100.0%")
        elif kind == "mixed":
            expect(heading).to_contain_text("Not passed this time")
        else:
            expect(page.get_by_text(re.compile("The coach scores your rewrite")).first) \
                .to_be_visible()
        no_horizontal_scroll(page)
        check_contrast(page)
        assert not errors, errors
        if name == "projector":
            size = page.locator(".result-detail dd").first.evaluate(
                "el => parseFloat(getComputedStyle(el).fontSize)")
            assert size >= 22, f"result text is {size}px on a 1920px screen"
        screenshot(page, f"quiz-result-{kind}-{name}", full_page=name != "projector")


def test_question_on_a_projector(learner_page, library, screenshot):
    quiz = library.quizzes[EVERY_TYPE]
    page = learner_page(PROJECTOR)
    page.goto(f"/quizzes/{EVERY_TYPE}")
    page.get_by_role("button", name="Start the quiz").click()
    url = page.url.split("?")[0]
    for kind in ("verdict", "spot"):
        page.goto(f"{url}?q={question_step(page, url, quiz, kind)}")
        no_horizontal_scroll(page)
        for selector in (".message", "legend", ".question-prompt"):
            size = page.locator(selector).first.evaluate(
                "el => parseFloat(getComputedStyle(el).fontSize)")
            assert size >= 22, f"{kind}: {selector} is {size}px on a 1920px screen"
        screenshot(page, f"quiz-{kind}-projector", full_page=False)


def test_course_page_lists_the_quizzes(learner_page, library, make_user, attempts,
                                       screenshot):
    course = next(iter(library.courses.values()))
    user = make_user(email="course@example.com")
    attempts(user, EVERY_TYPE, right_answers(library.quizzes[EVERY_TYPE]))
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = learner_page(viewport, email="course@example.com")
        page.goto(f"/courses/{course.slug}")
        quizzes = page.locator(".step").filter(has_text=re.compile(r"Quiz · \d+ questions"))
        expect(quizzes).to_have_count(sum(i.kind == "quiz" for m in course.modules
                                          for i in m.items))
        expect(quizzes.locator(".done-label")).to_have_text(["passed"])
        no_horizontal_scroll(page)
        check_contrast(page)
        screenshot(page, f"quiz-course-{name}")
