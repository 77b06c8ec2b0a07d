"""What the coach accepts: the one check of a draft, its recipient and its channel.

``analyse`` runs it first; the web form, the JSON API and the command line can run it
themselves to refuse bad input before anything else. Each refusal is a
``CoachInputError`` naming the field at fault, a short code and the HTTP status the API
answers with, so every edge says the same thing about the same mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exceptions import DomainError
from .channels import CHANNELS, channel_name

MAX_TEXT = 5_000       # characters: every way in (page, API, command line) takes as much
MAX_RECIPIENT = 100    # characters of the recipient's name
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CoachInputError(DomainError):
    """The draft cannot be analysed; the message says why (empty, not text, too long, an
    unknown channel) and ``field`` says which input is at fault."""

    status = 422
    code = "invalid_input"


@dataclass(frozen=True, slots=True)
class CoachInput:
    """Input the coach can analyse: the text with control characters blanked (offsets
    unchanged), the recipient's name stripped (None if blank) and the canonical channel."""

    text: str
    recipient: str | None
    channel: str


def clean_text(text: str) -> str:
    """The text as the coach reads it: control characters blanked, offsets unchanged."""
    return _CONTROL.sub(" ", text)


def normalise_channel(channel: object) -> str:
    """The canonical channel name (aliases resolved, case and spaces ignored; nothing
    given means the default); ``CoachInputError`` for anything that names no channel."""
    name = channel_name(channel)
    if name is None:
        raise CoachInputError(422, "invalid_input", f"Unknown channel '{channel}': use one "
                              f"of {', '.join(CHANNELS)} (or twitter for x).", field="channel")
    return name


def check_input(text: object, recipient: object = None, channel: object = None) -> CoachInput:
    """The input checked and made canonical, or ``CoachInputError`` for the first fault.

    The checks run in the order the JSON API has always answered in: no text, text that
    is not a string, too long, then the recipient, then the channel.
    """
    if text is not None and not isinstance(text, str):
        raise CoachInputError(422, "invalid_field", "'text' must be a string.", field="text")
    # Control characters carry nothing: text made only of them (and spaces) is empty.
    cleaned = None if text is None else clean_text(text)
    if cleaned is None or not cleaned.strip():
        raise CoachInputError(400, "missing_text", "The message is empty: paste the draft "
                              "you want scored.", field="text")
    if len(cleaned) > MAX_TEXT:
        raise CoachInputError(413, "too_large", f"The coach reads at most {MAX_TEXT:,} "
                              f"characters. This draft has {len(cleaned):,}.", field="text")
    if recipient is not None and (not isinstance(recipient, str)
                                  or len(recipient) > MAX_RECIPIENT):
        raise CoachInputError(422, "invalid_field", f"'recipient' must be a name of at most "
                              f"{MAX_RECIPIENT} characters.", field="recipient")
    if channel is not None and not isinstance(channel, str):
        raise CoachInputError(422, "invalid_field", "'channel' must be a string.",
                              field="channel")
    return CoachInput(cleaned, (recipient or "").strip() or None, normalise_channel(channel))
