"""The XSS corpus in a real browser: nothing typed by a person ever runs.

A learner whose name is a payload, players whose nicknames are payloads in a room on the
projector, and a coach draft full of them; a dialog handler on every page fails the
test if any alert, confirm or prompt opens.
"""

import pytest
from playwright.sync_api import expect

from attract.current import library
from attract.extensions import db
from attract.models import User
from attract.workshops import operations

pytestmark = pytest.mark.browser

PAYLOADS = ['<img src=x onerror=alert(1)>', "<svg onload=alert(2)>",
            "<script>alert(3)</script>", "\"><b onmouseover=alert(4)>"]


@pytest.fixture
def watched(new_page):
    dialogs = []

    def make(viewport=None):
        page = new_page(viewport)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return page

    yield make
    assert dialogs == [], f"script ran: {dialogs}"


def test_nothing_a_person_types_runs(app, watched, make_user, sign_in_page):
    name = "Eve " + PAYLOADS[0]
    make_user(email="eve@example.com", name=name)
    learner = watched()
    sign_in_page(learner, "eve@example.com")
    for url in ("/", "/auth/account", "/coach"):
        learner.goto(url)
        expect(learner.locator(".nav-name")).to_contain_text("Eve <img")  # shown as text
    learner.goto("/coach")
    learner.locator("textarea").fill("Hi Sam, " + " ".join(PAYLOADS) + " what do you think?")
    learner.get_by_role("button", name="Score my message").click()
    expect(learner.locator(".coach-marked")).to_contain_text("<svg onload=alert(2)>")

    trainer_id = make_user(email="host@example.com", role="trainer", name="Host")
    with app.test_request_context():
        room = operations.create(db.session.get(User, trainer_id), library(),
                                 quiz="spot-the-interruption", scoring="accuracy",
                                 title=PAYLOADS[1])
        code, room_id = room.code, room.id
    presenter = watched()
    sign_in_page(presenter, "host@example.com")
    presenter.goto(f"/trainer/workshops/{room_id}/present")
    for nickname in ("<svg onload=x>", "<img src=x>", "\"><b>"):
        phone = watched({"width": 390, "height": 844})
        phone.goto(f"/j/{code}")
        phone.locator("#nickname").fill(nickname)
        phone.locator("#join-submit").click()
        expect(phone.locator("#phone-nick")).to_have_text(nickname)
    expect(presenter.locator("#chips")).to_contain_text("<svg onload=x>")
    presenter.goto(f"/trainer/workshops/{room_id}")
    presenter.goto("/trainer/")
