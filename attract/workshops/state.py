"""The workshop's lifecycle as a pure transition table.

A room is in the ``lobby`` until ``start``, then ``running`` through its steps, then
``ended``. The current step has a phase: a slide is ``none``; a question is ``ready``
(on screen, not yet open), ``open`` (answers taken until the deadline), ``closed`` or
``revealed`` (the key, the explanation and the distribution on screen).

``plan`` says what an action does from where the room stands, or raises ``Refused``
with a sentence the trainer can act on. ``operations`` applies the plan with an
``UPDATE ... WHERE`` the room still stands there, so two clicks racing (the presenter
and the phone remote) cannot both apply.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..exceptions import DomainError


class Status(enum.StrEnum):
    LOBBY = "lobby"
    RUNNING = "running"
    ENDED = "ended"


class Phase(enum.StrEnum):
    NONE = "none"          # lobby, ended, or a slide
    READY = "ready"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"


class Action(enum.StrEnum):
    START = "start"
    NEXT = "next"
    OPEN = "open"
    CLOSE = "close"
    REVEAL = "reveal"
    END = "end"
    LOCK = "lock"
    UNLOCK = "unlock"
    LEADERBOARD = "leaderboard"  # show or hide the leaderboard on the room's screen
    PICK = "pick"                # put one rewrite on the big screen (or take it off)


class Refused(DomainError):
    """The action does not fit where the room stands (409)."""

    status = 409
    code = "wrong_state"

    def __init__(self, message: str):
        super().__init__(message=message)


@dataclass(frozen=True)
class Move:
    status: Status
    phase: Phase
    advance: bool = False   # go to the following step
    opens: bool = False     # start the clock (a fresh deadline)


def first_phase(kind: str | None) -> Phase:
    return Phase.READY if kind == "question" else Phase.NONE


QUESTION_PHASES = (Phase.READY, Phase.OPEN, Phase.CLOSED, Phase.REVEALED)


def plan(status: str, phase: str, action: str, *, next_kind: str | None = None,
         steps: int = 1) -> Move:
    """What ``action`` does to a room at ``status``/``phase``.

    ``next_kind`` is the kind of the following step (None at the last one); ``steps``
    is how many steps the room has. Flag actions (lock, unlock, leaderboard, pick)
    keep the status and phase; ``operations`` sets the flag.
    """
    try:
        action = Action(action)
    except ValueError:
        raise DomainError(422, "unknown_action", f"Unknown action; use one of: "
                          f"{', '.join(a.value for a in Action)}.") from None
    status, phase = Status(status), Phase(phase)
    if status is Status.ENDED:
        raise Refused("The workshop has ended; nothing more can change in it.")
    stay = Move(status, phase)
    if action is Action.END:
        return Move(Status.ENDED, Phase.NONE)
    if action in (Action.LOCK, Action.UNLOCK):
        return stay
    if action is Action.START:
        if status is not Status.LOBBY:
            raise Refused("The workshop is already running.")
        if steps < 1:
            raise Refused("The workshop has no steps to play; tick at least one.")
        return Move(Status.RUNNING, Phase.NONE, advance=True)
    if status is Status.LOBBY:
        raise Refused("The workshop has not started yet; start it first.")
    if action is Action.NEXT:
        if next_kind is None:
            raise Refused("This is the last step; end the workshop to show the podium.")
        return Move(Status.RUNNING, first_phase(next_kind), advance=True)
    if action is Action.LEADERBOARD:
        return stay
    if phase not in QUESTION_PHASES:
        raise Refused("This step is a slide; only a question can be opened, closed, "
                      "revealed or have a rewrite picked.")
    if action is Action.OPEN:
        if phase not in (Phase.READY, Phase.CLOSED):
            raise Refused("The question is already open." if phase is Phase.OPEN else
                          "The answer has been revealed; the question cannot reopen.")
        return Move(Status.RUNNING, Phase.OPEN, opens=True)
    if action is Action.CLOSE:
        if phase is not Phase.OPEN:
            raise Refused("The question is not open, so it cannot be closed.")
        return Move(Status.RUNNING, Phase.CLOSED)
    if action is Action.REVEAL:
        if phase is Phase.REVEALED:
            raise Refused("The answer is already revealed.")
        return Move(Status.RUNNING, Phase.REVEALED)
    # PICK
    if phase not in (Phase.CLOSED, Phase.REVEALED):
        raise Refused("Close the question before putting a rewrite on the screen.")
    return stay
