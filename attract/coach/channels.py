"""Where a message is sent: every channel's name, the other spellings accepted for it,
the label a person reads, and the small mark shown beside it.

The one list the coach, the question validator, the coach form and the scenario card
read, so a channel added here appears everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    name: str
    label: str                 # the coach's channel menu and the scenario card's caption
    mark: str                  # a letter beside the label, never a brand's logo
    limit: int | None = None   # the most characters the network lets you send

    def __str__(self) -> str:
        return self.name


CHANNELS: dict[str, Channel] = {c.name: c for c in (
    Channel("linkedin", "LinkedIn message", "in"),
    Channel("linkedin-invite", "LinkedIn invitation note", "in", limit=300),
    Channel("x", "Direct message on X", "X"),
    Channel("facebook", "Facebook message", "f"),
    Channel("email", "Email", "@"),
    Channel("other", "Other message", "…"),
)}
DEFAULT = "other"
# Other spellings people and older files use; each maps to a name above.
ALIASES = {"twitter": "x", "linkedin_invite": "linkedin-invite", "invite": "linkedin-invite"}
ACCEPTED = (*CHANNELS, *ALIASES)


def channel_name(value: object) -> str | None:
    """The channel's canonical name (aliases resolved, case and spaces ignored); the
    default for nothing given; None for a value that names no channel."""
    if value is None:
        return DEFAULT
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    if not key:
        return DEFAULT
    key = ALIASES.get(key, key)
    return key if key in CHANNELS else None


def channel(value: object) -> Channel:
    """The channel a value names, or the default one (for display, never for validation)."""
    return CHANNELS[channel_name(value) or DEFAULT]
