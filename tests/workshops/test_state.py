"""The transition table: every action from every place, right ones allowed, wrong refused."""

import pytest

from attract.exceptions import DomainError
from attract.workshops.state import Move, Phase, Refused, Status, plan

Q, S = "question", "slide"


@pytest.mark.parametrize(("status", "phase", "action", "next_kind", "expected"), [
    ("lobby", "none", "start", Q, Move(Status.RUNNING, Phase.NONE, advance=True)),
    ("running", "none", "next", Q, Move(Status.RUNNING, Phase.READY, advance=True)),
    ("running", "revealed", "next", S, Move(Status.RUNNING, Phase.NONE, advance=True)),
    ("running", "open", "next", Q, Move(Status.RUNNING, Phase.READY, advance=True)),
    ("running", "ready", "open", None, Move(Status.RUNNING, Phase.OPEN, opens=True)),
    ("running", "closed", "open", None, Move(Status.RUNNING, Phase.OPEN, opens=True)),
    ("running", "open", "close", None, Move(Status.RUNNING, Phase.CLOSED)),
    ("running", "open", "reveal", None, Move(Status.RUNNING, Phase.REVEALED)),
    ("running", "ready", "reveal", None, Move(Status.RUNNING, Phase.REVEALED)),
    ("running", "closed", "pick", None, Move(Status.RUNNING, Phase.CLOSED)),
    ("running", "none", "leaderboard", Q, Move(Status.RUNNING, Phase.NONE)),
    ("lobby", "none", "lock", Q, Move(Status.LOBBY, Phase.NONE)),
    ("running", "open", "unlock", None, Move(Status.RUNNING, Phase.OPEN)),
    ("lobby", "none", "end", Q, Move(Status.ENDED, Phase.NONE)),
    ("running", "open", "end", None, Move(Status.ENDED, Phase.NONE)),
])
def test_allowed_moves(status, phase, action, next_kind, expected):
    assert plan(status, phase, action, next_kind=next_kind) == expected


@pytest.mark.parametrize(("status", "phase", "action", "next_kind", "says"), [
    ("running", "none", "start", Q, "already running"),
    ("lobby", "none", "start", Q, "no steps"),          # steps=0 below
    ("lobby", "none", "next", Q, "not started"),
    ("lobby", "none", "open", Q, "not started"),
    ("lobby", "none", "leaderboard", Q, "not started"),
    ("running", "revealed", "next", None, "last step"),
    ("running", "none", "open", None, "slide"),
    ("running", "none", "reveal", None, "slide"),
    ("running", "open", "open", None, "already open"),
    ("running", "revealed", "open", None, "cannot reopen"),
    ("running", "ready", "close", None, "not open"),
    ("running", "closed", "close", None, "not open"),
    ("running", "revealed", "reveal", None, "already revealed"),
    ("running", "open", "pick", None, "Close the question"),
    ("ended", "none", "start", None, "ended"),
    ("ended", "none", "end", None, "ended"),
    ("ended", "none", "unlock", None, "ended"),
])
def test_wrong_moves_are_refused_with_a_reason(status, phase, action, next_kind, says):
    steps = 0 if says == "no steps" else 3
    with pytest.raises(Refused) as refused:
        plan(status, phase, action, next_kind=next_kind, steps=steps)
    assert refused.value.status == 409
    assert says.lower() in refused.value.message.lower()


@pytest.mark.parametrize("action", ["jump", "", None, 3, "START "])
def test_unknown_actions_are_422(action):
    with pytest.raises(DomainError) as refused:
        plan("running", "open", action)
    assert refused.value.status == 422 and refused.value.code == "unknown_action"
