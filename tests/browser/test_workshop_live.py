"""A live workshop in real browsers: a presenter and three phones, each in its own
Chromium context, play a 3-question room to the podium; one phone reloads mid-question
and comes back as the same player with its score."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from attract.current import library
from attract.extensions import db
from attract.models import User
from attract.scoring.registry import answer_key
from attract.workshops import operations
from attract.workshops.models import Workshop

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


def _room(app, trainer_id: int) -> tuple[int, str, list[str]]:
    """A quiz room cut down to its first three verdict questions; their keys."""
    with app.test_request_context():
        lib = library()
        trainer = db.session.get(User, trainer_id)
        workshop = operations.create(trainer, lib, quiz="spot-the-interruption",
                                     scoring="accuracy", title="Friday <b>room</b>")
        keep, keys = set(), []
        questions = {str(q["id"]): q for q in lib.quizzes["spot-the-interruption"].questions}
        for index, step in enumerate(workshop.steps):
            question = questions[step["question"]]
            if question["type"] == "verdict" and len(keep) < 3:
                keep.add(index)
                keys.append(answer_key(question))
        operations.save_steps(workshop, keep)
        return workshop.id, workshop.code, keys


def _wrong(key: str) -> str:
    return "attraction" if key == "interruption" else "interruption"


def test_presenter_and_three_phones_play_to_the_podium(
        app, new_page, make_user, sign_in_page, screenshot):
    trainer_id = make_user(email="host@example.com", role="trainer", name="Host")
    workshop_id, code, keys = _room(app, trainer_id)

    presenter = new_page(PROJECTOR)
    sign_in_page(presenter, "host@example.com")
    presenter.goto(f"/trainer/workshops/{workshop_id}/present")
    expect(presenter.locator("#screen-lobby")).to_be_visible()
    expect(presenter.locator("#stage")).to_contain_text(code)

    phones = {}
    for name in ("Ana", "Bo <i>", "Cy"):
        phone = new_page(PHONE)
        phone.goto(f"/j/{code}")
        phone.locator("#nickname").fill(name)
        phone.locator("#join-submit").click()
        expect(phone).to_have_url(re.compile(f"/w/{code}$"))
        expect(phone.locator("#phone-nick")).to_have_text(name)
        phones[name] = phone
    expect(presenter.locator("#chips")).to_contain_text("Bo <i>")  # as text, escaped
    expect(presenter.locator("#lobby-count-number")).to_have_text("3")
    screenshot(presenter, "live-presenter-lobby", full_page=False)

    presenter.keyboard.press("ArrowRight")  # start: the first question, not yet open
    for number, key in enumerate(keys):
        expect(presenter.locator("#screen-question")).to_be_visible()
        expect(presenter.locator("#q-number")).to_have_text(f"Question {number + 1} of 3")
        presenter.keyboard.press("Space")  # open: the clock starts
        for name, phone in phones.items():
            verdict = key if name != "Cy" else _wrong(key)
            button = phone.locator(f".verdict-button[data-value='{verdict}']")
            expect(button).to_be_enabled()
            if name == "Bo <i>" and number == 1:
                points_before = phone.locator("#phone-points").inner_text()
                phone.reload()  # a reload mid-question: the same player, the same score
                expect(phone.locator("#phone-nick")).to_have_text(name)
                expect(phone.locator("#phone-points")).to_have_text(points_before)
                button = phone.locator(f".verdict-button[data-value='{verdict}']")
            button.click()
            expect(phone.locator("#phone-screen")).to_contain_text(re.compile("locked in", re.I))
        expect(presenter.locator("#q-answered-number")).to_have_text("3")
        if number == 0:
            screenshot(phones["Ana"], "live-phone-locked-in", full_page=False)
        presenter.keyboard.press("r")
        expect(presenter.locator("#q-explain")).to_be_visible()
        for name, phone in phones.items():
            expect(phone.locator("#phone-screen")).to_contain_text(
                re.compile("wrong|not quite|incorrect", re.I) if name == "Cy"
                else re.compile("right|correct", re.I))
        if number == 0:
            screenshot(presenter, "live-presenter-reveal", full_page=False)
            screenshot(phones["Cy"], "live-phone-wrong", full_page=False)
        presenter.keyboard.press("ArrowRight")  # next, or at the last step: end

    expect(presenter.locator("#screen-ended")).to_be_visible()
    expect(presenter.locator("#podium")).to_contain_text("Ana")
    expect(presenter.locator("#podium")).to_contain_text("Bo <i>")
    screenshot(presenter, "live-presenter-podium", full_page=False)
    for name, phone in phones.items():
        expect(phone.locator("#phone-points")).to_contain_text("0" if name == "Cy" else "3")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).status == "ended"
