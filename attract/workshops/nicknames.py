"""Nicknames for the room's screen: checked, normalised, or made up.

A nickname is 1-24 characters after Unicode NFKC and trimming; it may not hold control,
format (bidi overrides, zero-width) or unassigned characters, nor an offensive word
from a short list (matched on a folded form, so ``Sh1t`` and ``S.H.I.T`` are caught).
Uniqueness ignoring case is the database's job (``nickname_key``).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

from ..exceptions import DomainError

MAX_LENGTH = 24

BLOCKED = frozenset(
    line.strip() for line in
    (Path(__file__).with_name("blocked_nicknames.txt")).read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s", "!": "i", "|": "i", "€": "e"})
STEMS = ("fuck", "shit", "nigg", "fagg", "wank", "twat", "whore", "bitch", "rapist")
_NOT_LETTER = re.compile(r"[^a-z]+")

ADJECTIVES = ("Curious", "Helpful", "Patient", "Candid", "Thoughtful", "Friendly",
              "Genuine", "Attentive", "Generous", "Honest", "Steady", "Warm", "Bright",
              "Calm", "Clever", "Kind", "Open", "Quick", "Sharp", "Witty")
ANIMALS = ("Otter", "Heron", "Fox", "Badger", "Owl", "Lynx", "Puffin", "Hare", "Wren",
           "Falcon", "Dolphin", "Panda", "Koala", "Robin", "Seal", "Tiger", "Marten",
           "Bison", "Crane", "Gecko")


class NicknameError(DomainError):
    status = 422
    code = "invalid_nickname"

    def __init__(self, message: str):
        super().__init__(message=message, field="nickname")


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).translate(_LEET)
    return plain


def _offensive(text: str) -> bool:
    folded = _folded(text)
    words = [_NOT_LETTER.sub("", w) for w in re.split(r"[^a-z0-9@$!|€]+", folded)]
    squashed = "".join(words)  # "s h i t", "F.u.c.k"
    if squashed in BLOCKED or any(word in BLOCKED for word in words):
        return True
    # A few stems are offensive inside any word ("shithead"); the rest only as whole
    # words, so that Scunthorpe, Dickens or Cockburn can play.
    return any(stem in squashed for stem in STEMS)


def clean(raw: object) -> str:
    """The nickname as it will be shown, or ``NicknameError`` saying what is wrong."""
    if not isinstance(raw, str):
        raise NicknameError("Send the nickname as text.")
    if len(raw) > 200:
        raise NicknameError(f"A nickname is at most {MAX_LENGTH} characters.")
    try:
        text = unicodedata.normalize("NFKC", raw)
        text.encode("utf-8")
    except UnicodeError:
        raise NicknameError("The nickname holds characters that cannot be shown.") from None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
           for c in text):
        raise NicknameError("The nickname holds invisible or control characters; "
                            "use letters, digits and punctuation.")
    text = " ".join(text.split())
    if not text:
        raise NicknameError("Type a nickname, or leave the field empty to get one made up.")
    if len(text) > MAX_LENGTH:
        raise NicknameError(f"A nickname is at most {MAX_LENGTH} characters; this one has "
                            f"{len(text)}.")
    if _offensive(text):
        raise NicknameError("Please choose a different nickname.")
    return text


def key(nickname: str) -> str:
    """What two nicknames must not share in one room: the same letters, any case."""
    return nickname.casefold()


def generated(rng: secrets.SystemRandom | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return f"{rng.choice(ADJECTIVES)} {rng.choice(ANIMALS)} {rng.randint(10, 99)}"
