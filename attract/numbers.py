"""Whole numbers typed by people: only ASCII digits, and not too many of them.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses (or reads as Arabic-Indic
three), and ``int`` refuses more than 4,300 digits: each was a 500 waiting to happen.
Pure: used by the scoring types, the quiz pages and the API alike.
"""

from __future__ import annotations


def small_int(raw: object, digits: int = 9) -> int | None:
    """``raw`` as an int when it is 1 to ``digits`` ASCII digits (blanks around allowed);
    otherwise None."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > digits or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)
