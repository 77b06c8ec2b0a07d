"""A learner's path through the site in a real browser: sign up, read, mark read, see progress.

Expectations come from the loaded course (its modules and lessons), not from copies of
its numbers, so the tests follow the content when it changes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
COUNT = re.compile(r"(\d+) of (\d+)")
PASSWORD = "a long enough sentence"


@pytest.fixture
def library(app):
    return app.extensions["attract.content"].library


@pytest.fixture
def course(library):
    """The first course in the catalog, as the catalog lists it."""
    return next(iter(library.courses.values()))


def open_the_emailed_link(page: Page, mailbox) -> None:
    """Sign-up ends on "check your inbox"; the link in the (logged) mail finishes it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    page.goto(mailbox.last_link())
    page.get_by_role("button", name="Confirm and sign in").click()


def sign_up(page: Page, name: str, email: str, password: str = PASSWORD,
            confirm: str | None = None) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password if confirm is None else confirm)
    page.get_by_role("button", name="Create account").click()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def counts(text: str) -> tuple[int, int]:
    match = COUNT.search(text)
    assert match, f"no 'N of M' in {text!r}"
    return int(match.group(1)), int(match.group(2))


def course_button(verb: str, course) -> re.Pattern:
    """The catalog's button names its course in hidden text (Chromium adds a space before it)."""
    return re.compile(rf"^{verb} the course\s*: {re.escape(course.title)}$")


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth,"
                           " document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px > {widths[1]}px"


def test_sign_up_read_a_lesson_and_see_progress(page, course, library, screenshot, mailbox):
    sign_up(page, "Ada Lovelace", "ada@example.com")
    open_the_emailed_link(page, mailbox)

    # Signed in, back on the catalog.
    expect(page.get_by_role("status")).to_contain_text("Welcome to Attract.")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Ada Lovelace")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    steps = course.items  # lessons and quizzes: a course is done when all are
    lessons = course.lesson_slugs()
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=course.title))
    expect(card.get_by_role("progressbar", name=f"Your progress: 0 of {len(steps)}")) \
        .to_be_attached()

    # Open the course from the catalog.
    page.get_by_role("link", name=course_button("Open", course)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    assert counts(page.locator("#overall-progress").inner_text()) == (0, len(steps))

    # Open the first lesson from the first module.
    first = library.lessons[lessons[0]]
    after = steps[1]  # the step after the first lesson, a lesson or a quiz
    after_title = library.title_of(after)
    module_one = course.modules[0]
    module_box = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=module_one.title))
    module_box.get_by_role("link", name=first.title, exact=True).click()

    # The lesson: title, minutes, objectives, sources, the next lesson.
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text(f"{first.minutes} minute read")).to_be_visible()
    objectives = page.get_by_role("region", name="You will be able to")
    expect(objectives.get_by_role("listitem")).to_have_text(list(first.objectives))
    sources = page.get_by_role("region", name="Sources")
    expect(sources.get_by_role("listitem")).to_have_count(len(first.sources))
    for source in first.sources:
        item = sources.get_by_role("listitem").filter(has_text=source.title)
        credit = ("an unsigned post" if source.author == "Unsigned" else f"by {source.author}")
        expect(item).to_contain_text(f"{credit}, {source.year}")
    pager = page.get_by_role("navigation", name="Lessons in this course")
    expect(pager.get_by_text("Previous")).to_have_count(0)  # it is the first lesson
    expect(pager.get_by_role("link", name=after_title)).to_be_visible()
    screenshot(page, "lesson-desktop")

    # Mark it read: the next step of the course opens.
    page.get_by_role("button", name=re.compile(r"^Mark as read")).click()
    expect(page.get_by_role("status")).to_contain_text(f"“{first.title}” is marked as read.")
    expect(page.get_by_role("heading", level=1)).to_have_text(after_title)

    # The first lesson now says it is read (the next step's page is not a lesson: go back).
    page.go_back()
    page.reload()
    expect(page.get_by_text("You marked this lesson as read.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as not read")).to_be_visible()

    # The course page shows the progress, overall and per module.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=course.title) \
        .click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    assert counts(page.locator("#overall-progress").inner_text()) == (1, len(steps))
    expect(page.get_by_role("progressbar", name=f"Overall: 1 of {len(steps)}")) \
        .to_be_attached()
    expect(page.get_by_text(f"{round(100 / len(steps))}% complete")).to_be_visible()
    assert counts(module_box.get_by_text(re.compile(r"\d+ of \d+ done")).inner_text()) \
        == (1, len(module_one.items))
    expect(module_box.get_by_role("listitem").filter(has_text=first.title)
           .get_by_text("read", exact=True)).to_be_visible()
    for module in course.modules[1:]:
        other = page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", name=module.title))
        assert counts(other.get_by_text(re.compile(r"\d+ of \d+ done")).inner_text()) \
            == (0, len(module.items))
    expect(page.get_by_role("link", name=f"Continue: {after_title}")).to_be_visible()
    screenshot(page, "course-progress")

    # And the catalog's card agrees.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    expect(card.get_by_role("progressbar", name=f"Your progress: 1 of {len(steps)}")) \
        .to_be_attached()
    expect(page.get_by_role("link", name=course_button("Continue", course))) \
        .to_be_visible()
    screenshot(page, "catalog-signed-in")


def outline_width(page: Page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)"
                         " || 0")


def test_keyboard_only_skip_link_and_sign_up(page, screenshot, mailbox):
    page.goto("/")
    screenshot(page, "catalog")

    # The first Tab lands on the skip link, which is visible and outlined when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert outline_width(page) >= 2
    screenshot(page, "skip-link-focused", full_page=False)

    # It moves focus to the main content; the next Tab stays inside it.
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main')"
                         ".contains(document.activeElement)")
    assert outline_width(page) >= 2

    # Every control on sign-up has a label a screen reader announces.
    page.goto("/auth/sign-up")
    screenshot(page, "sign-up")
    form = page.locator("main form")
    controls = form.locator("input:not([type=hidden]), select, textarea")
    labels = ["Your name", "Email", "Password", "Repeat the password"]
    expect(controls).to_have_count(len(labels))
    for label in labels:
        control = page.get_by_label(label, exact=True)
        expect(control).to_have_count(1)
        expect(control).to_be_editable()
    expect(page.get_by_label("Your name")).to_have_accessible_description(
        re.compile("certificate"))
    # Nothing is announced as invalid before the learner has typed a thing, and only
    # the first field asks for focus.
    expect(controls.and_(page.locator("[aria-invalid]"))).to_have_count(0)
    expect(page.locator("[autofocus]")).to_have_count(1)

    # Sign up with the keyboard alone: the name field has focus, Tab walks the form in order.
    expect(page.get_by_label("Your name")).to_be_focused()
    page.keyboard.type("Grace Hopper")
    for label, text in [("Email", "grace@example.com"), ("Password", PASSWORD),
                        ("Repeat the password", PASSWORD)]:
        page.keyboard.press("Tab")
        expect(page.get_by_label(label, exact=True)).to_be_focused()
        assert outline_width(page) >= 2
        page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Create account")).to_be_focused()
    page.keyboard.press("Enter")
    open_the_emailed_link(page, mailbox)
    expect(page.get_by_role("status")).to_contain_text("Welcome to Attract.")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_phone_has_no_horizontal_scroll(new_page, make_user, course, library, signed_in,
                                        screenshot):
    page = new_page(PHONE)
    if signed_in:
        make_user(email="phone@example.com", name="Maximilian Featherstonehaugh-Smythe",
                  password=PASSWORD)
        sign_in(page, "phone@example.com")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/")
    no_horizontal_scroll(page)
    page.get_by_role("link", name=course_button("Open", course)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    no_horizontal_scroll(page)
    if signed_in:
        screenshot(page, "course-phone")
    for slug in course.lesson_slugs():
        page.goto(f"/lessons/{slug}?course={course.slug}")
        expect(page.get_by_role("heading", level=1)).to_have_text(library.lessons[slug].title)
        no_horizontal_scroll(page)
        if slug == course.lesson_slugs()[0] and not signed_in:
            screenshot(page, "lesson-phone")


def test_lesson_on_a_projector_reads_from_the_back(new_page, course, screenshot):
    page = new_page(PROJECTOR)
    page.goto(f"/lessons/{course.lesson_slugs()[0]}?course={course.slug}")
    no_horizontal_scroll(page)
    prose = page.locator(".prose p").first
    size = float(prose.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert size >= 22, f"lesson text is {size}px on a 1920px screen"
    screenshot(page, "lesson-projector", full_page=False)


def test_bad_sign_up_shows_errors_and_keeps_the_entries(page, screenshot):
    sign_up(page, "Grace Hopper", "grace.example.com", confirm="a different sentence")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please fix these")
    expect(summary.get_by_role("link", name=re.compile("^Email:"))).to_contain_text(
        "Enter an email address like name@example.com.")
    expect(summary.get_by_role("link", name=re.compile("^Repeat the password:"))) \
        .to_contain_text("The two passwords do not match.")

    email = page.get_by_label("Email")
    expect(email).to_have_value("grace.example.com")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(
        re.compile("Enter an email address like name@example.com."))
    confirm = page.get_by_label("Repeat the password")
    expect(confirm).to_have_accessible_description("The two passwords do not match.")
    name = page.get_by_label("Your name")
    expect(name).to_have_value("Grace Hopper")
    expect(name).not_to_have_attribute("aria-invalid", re.compile(".*"))
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    # The summary's link takes the keyboard to the field to fix.
    summary.get_by_role("link", name=re.compile("^Email:")).click()
    expect(email).to_be_focused()
    screenshot(page, "sign-up-errors")


def test_wrong_password_says_so_and_keeps_the_email(page, make_user, screenshot):
    make_user(email="linus@example.com", password=PASSWORD)
    sign_in(page, "linus@example.com", "not the right password")
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not right")
    expect(page.get_by_label("Email")).to_have_value("linus@example.com")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    screenshot(page, "sign-in-wrong-password")

    sign_in(page, "linus@example.com")
    expect(page.get_by_role("status")).to_contain_text("You are signed in.")


def test_missing_page_is_a_friendly_404(page, screenshot):
    response = page.goto("/lessons/no-such-lesson")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("There is no lesson called 'no-such-lesson'")).to_be_visible()
    screenshot(page, "not-found")
    page.get_by_role("link", name="Go to the courses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attraction, not interruption")
