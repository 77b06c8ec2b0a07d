"""Refused live answers leave a security line, with no join code or token in it."""

import json
import logging

from tests.workshops.conftest import right_answer


def lines(caplog):
    return [json.loads(r.getMessage().removeprefix("security "))
            for r in caplog.records if r.name == "attract.security"]


def test_late_and_duplicate_answers_are_logged_without_secrets(app, make_room, live, caplog):
    room = make_room()
    player = live.join(room, "Ana")
    state = live.control(room, "start")
    question = state["step"]["question"]["id"]
    key = right_answer(app, state)
    caplog.set_level(logging.INFO, logger="attract.security")
    assert live.answer(room, player["token"], question, key).status_code == 422  # not open
    live.control(room, "open")
    assert live.answer(room, player["token"], question, key).status_code == 201
    assert live.answer(room, player["token"], question, key).status_code == 409
    rejected = [e for e in lines(caplog) if e["event"] == "live_answer.rejected"]
    assert [e["reason"] for e in rejected] == ["not_open", "already_answered"]
    assert rejected[0]["workshop"] == room["id"] and rejected[0]["route"].endswith("<code>/answers")
    assert room["code"] not in caplog.text and player["token"] not in caplog.text
