"""The trainers' side in Chromium, as the issue's "done" describes it: a trainer makes a
cohort, learners join by its link and take a quiz, a workshop is run for the cohort, and
the trainer reads the analysis and downloads all four formats."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from playwright.sync_api import expect

from attract.accounts import issue_token
from attract.extensions import db as _db
from attract.models import User
from tests.trainer.conftest import COURSE, QUIZ, run_workshop, take_quiz

pytestmark = pytest.mark.browser

DESK = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


def _token(app, user_id: int) -> str:
    with app.app_context():
        return issue_token(_db.session.get(User, user_id))


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_a_trainer_runs_a_cohort_from_invite_to_downloads(app, client, new_page, make_user,
                                                        sign_in_page, screenshot):
    trainer_id = make_user(email="host@example.com", role="trainer", name="Hana Host")
    learners = [make_user(email=f"l{n}@example.com", name=f"Learner {n}") for n in (1, 2)]
    dialogs = []

    trainer = new_page(DESK)
    trainer.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors = []
    trainer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in_page(trainer, "host@example.com")
    trainer.goto("/trainer/")
    trainer.get_by_label("Name").fill("Leeds sales team")
    trainer.get_by_role("button", name="Create the cohort").click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text("Leeds sales team")
    invite = trainer.get_by_label("Send this link to your learners").input_value()
    assert "/cohorts/join/" in invite

    for number, user_id in enumerate(learners, 1):
        phone = new_page(PHONE)
        sign_in_page(phone, f"l{number}@example.com")
        phone.goto(invite)
        phone.get_by_role("button", name="Join Leeds sales team").click()
        expect(phone.get_by_role("status")).to_contain_text("You are in the cohort")
        _no_sideways_scroll(phone)
        take_quiz(client, app, {"Authorization": f"Bearer {_token(app, user_id)}"},
                  right=number == 1)

    host = {"Authorization": f"Bearer {_token(app, trainer_id)}"}
    trainer.reload()
    cohort_id = int(trainer.url.rstrip("/").rsplit("/", 1)[-1])
    room = client.post("/api/workshops", json={"quiz": QUIZ, "scoring": "confidence",
                                               "cohort": cohort_id}, headers=host)
    assert room.status_code == 201
    room = {**room.get_json(), "headers": host}
    seats = {f"L{n}": client.post(f"/api/workshops/{room['code']}/join",
                                  json={"nickname": f"Player {n}"},
                                  headers={"Authorization": f"Bearer {_token(app, uid)}"}
                                  ).get_json() for n, uid in enumerate(learners, 1)}
    run_workshop(client, app, room, seats)

    trainer.goto(f"/trainer/cohorts/{cohort_id}")
    expect(trainer.get_by_role("table")).to_contain_text("Learner 2")
    trainer.get_by_role("link", name="Learner").first.focus()
    trainer.keyboard.press("Enter")  # the sort links work from the keyboard
    expect(trainer.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    screenshot(trainer, "trainer-cohort-1920")

    trainer.goto(f"/trainer/workshops/{room['id']}/analysis")
    expect(trainer.get_by_role("heading", name="Calibration: how sure, how right")).to_be_visible()
    assert trainer.locator("svg[role=img]").count() >= 5
    _no_sideways_scroll(trainer)
    screenshot(trainer, "trainer-workshop-analysis-1920")
    trainer.goto(f"/trainer/quizzes/{QUIZ}/analysis?cohort={cohort_id}")
    expect(trainer.get_by_role("heading", name="Most missed")).to_be_visible()
    _no_sideways_scroll(trainer)
    screenshot(trainer, "trainer-quiz-analysis-1920")

    files = {}
    for label in ("CSV", "XLSX", "JSON", "xAPI"):
        with trainer.expect_download() as download:
            trainer.get_by_role("link", name=label, exact=True).first.click()
        files[label] = download.value.path().read_bytes()
    rows = list(csv.DictReader(io.StringIO(files["CSV"].decode("utf-8-sig"), newline="")))
    assert {r["email"] for r in rows} == {"l1@example.com", "l2@example.com"}
    book = openpyxl.load_workbook(io.BytesIO(files["XLSX"]))
    assert book.sheetnames == ["Summary", "Answers", "Items"]
    assert json.loads(files["JSON"])["scope"]["kind"] == "quiz"
    assert all(json.loads(line)["version"] == "1.0.3"
               for line in files["xAPI"].decode().splitlines())
    assert not dialogs and not errors


def test_trainer_pages_read_on_a_phone(app, client, new_page, make_user, sign_in_page):
    make_user(email="host@example.com", role="trainer")
    page = new_page(PHONE)
    sign_in_page(page, "host@example.com")
    page.goto("/trainer/")
    _no_sideways_scroll(page)
    page.get_by_label("Name").fill("Phones")
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phones")
    _no_sideways_scroll(page)
    page.goto(f"/trainer/quizzes/{QUIZ}/analysis")
    _no_sideways_scroll(page)
    page.goto(f"/courses/{COURSE}")
    _no_sideways_scroll(page)
