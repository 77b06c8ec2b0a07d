"""The machinery the coach's signals run on: a message read once, and pattern families.

``signals`` holds the rubric's words; this module knows nothing of them. A ``Family``
searches many patterns as one but tries each only where it could match, which it works
out from the parsed pattern; a ``Reading`` is what every family needs of a message,
computed once by the caller and handed to each, so no state outlives a call.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple

try:  # private API: if it moves, the families lose their speed-up, never a match
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - depends on the Python version
    _c = _parser = None

FLAGS = re.IGNORECASE
_WORD = re.compile(r"[^\W_]+")
_FIRST_THREE = itemgetter(slice(None, 3))   # a word's start: "pleased" -> "ple", "hi" -> "hi"
_SECOND = frozenset({"you", "your", "yours", "yourself"})       # you're -> "you", "re"
_FIRST = frozenset({"i", "me", "my", "mine", "myself", "we", "our", "ours", "us",
                    "ourselves"})                                # i'm -> "i", "m"


class Reading(NamedTuple):
    """A message as the families read it: the text, lowered once, its words (of the
    lowered text) and their starts (the first three letters, or the whole word if
    shorter). The analyser makes one per message and passes it to every family and to
    the pronoun count, which would otherwise each lower and split the text again.
    Immutable (a named tuple: the cheapest to make, once per message)."""

    text: str
    lowered: str
    words: tuple[str, ...]
    starts: frozenset[str]


def read(text: str) -> Reading:
    lowered = text.lower()
    words = tuple(_WORD.findall(lowered))
    # map with an itemgetter slices in C: a quarter faster than a set comprehension
    return Reading(text, lowered, words, frozenset(map(_FIRST_THREE, words)))


def pronoun_counts(reading: Reading) -> tuple[int, int]:
    """(second-person, first-person) words: whom the message is about."""
    words = reading.words
    return sum(map(_SECOND.__contains__, words)), sum(map(_FIRST.__contains__, words))


def _parse(source: str) -> list | None:
    if _parser is None:
        return None
    try:
        return list(_parser.parse(source, FLAGS))
    except Exception:  # private API changed shape: lose the speed-up, never a match
        return None


def _required_literals(source: str) -> tuple[str, ...]:
    """Literal texts one of which every match contains somewhere (a gate), or ().

    For patterns with no literal prefix, e.g. ``(?:we|i) (?:met|spoke)``: the first
    mandatory element made of literals of two characters or more gives the gate.
    """
    items = _parse(source)
    if items is None:
        return ()
    c = _c

    def options(item) -> tuple[str, ...] | None:
        op, value = item
        if op is c.SUBPATTERN:
            return required(list(value[-1]))
        if op is c.BRANCH:
            found = [required(list(branch)) for branch in value[1]]
            return None if any(not f for f in found) else tuple(
                sorted({x for group in found for x in group}))
        return None

    def required(items) -> tuple[str, ...] | None:
        run = ""
        for item in [*items, (None, None)]:
            op, value = item
            if op is c.LITERAL:
                run += chr(value)
                continue
            if len(run) >= 2:
                return (run.lower(),)
            run = ""
            if op is None:
                return None
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and value[0] == 0:
                continue  # optional: says nothing
            if op in (c.SUBPATTERN, c.BRANCH):
                found = options(item)
                if found and all(len(x) >= 2 for x in found):
                    return found
        return None

    return required(items) or ()


def _literal_prefixes(source: str) -> tuple[str, ...] | None:
    """The lowercase literal texts one of which every match must start with, or None.

    Read from the parsed pattern: a leading word boundary is skipped, a literal run is a
    prefix, a group of alternatives gives one prefix each. Anything less certain (an
    optional part, a character class) gives None and the pattern always runs.
    """
    items = _parse(source)
    if items is None:
        return None
    c = _c

    def prefixes(items) -> tuple[str, ...] | None:
        items = list(items)
        while items and items[0][0] is c.AT:
            items.pop(0)
        if not items:
            return None
        op, value = items[0]
        if op is c.LITERAL:
            text = ""
            for op2, value2 in items:
                if op2 is not c.LITERAL:
                    break
                text += chr(value2)
            return (text.lower(),) if len(text) >= 2 else None
        if op is c.SUBPATTERN:
            return prefixes(value[-1])
        if op is c.BRANCH:
            found = [prefixes(branch) for branch in value[1]]
            return None if any(f is None for f in found) else tuple(
                sorted({p for group in found for p in group}))
        return None

    return prefixes(items)


def _word_key(source: str, prefix: str) -> str | None:
    """For a pattern that starts at a word boundary, the word-start its prefix needs."""
    token = _WORD.match(prefix)
    if not source.startswith("\\b") or token is None or token.end() < 3:
        return None
    return prefix[:3]


class Family:
    """A family of patterns searched as one.

    One alternation of thirty-odd branches made Python's engine try every branch at
    every position (ASK alone cost 312 us a message). Here a branch with known literal
    prefixes is tried only where one of them occurs (found with str.find), which cannot
    lose a match; the rest scan as before. Built once at import and never changed after.
    """

    __slots__ = ("by_key", "everything", "keys", "scanned", "unkeyed")

    def __init__(self, *sources: str):
        # Three kinds of branch: keyed by the word-start their prefix needs (tried only
        # when a word starts that way), prefixed but not keyed (found with str.find), and
        # scanned whole (behind the words every match contains, when there are any).
        by_key: dict[str, list[tuple[re.Pattern, str]]] = {}
        unkeyed: list[tuple[re.Pattern, str]] = []
        scanned: list[tuple[re.Pattern, tuple[str, ...]]] = []
        for source in sources:
            pattern = re.compile(source, FLAGS)
            prefixes = _literal_prefixes(source)
            if prefixes is None:
                scanned.append((pattern, _required_literals(source)))
                continue
            for prefix in prefixes:
                key = _word_key(source, prefix)
                if key is None:
                    unkeyed.append((pattern, prefix))
                else:
                    by_key.setdefault(key, []).append((pattern, prefix))
        self.by_key: dict[str, tuple[tuple[re.Pattern, str], ...]] = {
            key: tuple(pairs) for key, pairs in by_key.items()}
        self.keys = frozenset(by_key)
        self.unkeyed = tuple(unkeyed)
        self.scanned = tuple(scanned)
        # Every pattern once, for texts the prefixes cannot be trusted on.
        self.everything = tuple(dict.fromkeys(
            [p for group in by_key.values() for p, _ in group]
            + [p for p, _ in unkeyed] + [p for p, _ in scanned]))

    def finditer(self, reading: Reading) -> list[re.Match]:
        """Leftmost, non-overlapping matches in ``reading.text``, as one alternation of
        the family's patterns would find them."""
        text, lowered, _, starts = reading  # one unpacking: cheaper than three look-ups
        found: list[re.Match] = []
        if len(lowered) != len(text):  # a few characters change length when lowered
            for pattern in self.everything:
                found.extend(pattern.finditer(text))
        else:
            present = self.keys & starts
            candidates = [pair for key in present for pair in self.by_key[key]]
            if self.unkeyed:
                candidates += self.unkeyed
            for pattern, prefix in candidates:
                # A match can only start where its prefix does: try just there (``match``
                # at a position still sees the character before it for \b).
                start = lowered.find(prefix)
                while start != -1:
                    match = pattern.match(text, start)
                    if match is not None:
                        found.append(match)
                    start = lowered.find(prefix, start + 1)
            contains = lowered.__contains__
            for pattern, gates in self.scanned:
                if not gates or any(map(contains, gates)):
                    found.extend(pattern.finditer(text))
        if len(found) < 2:
            return found
        found.sort(key=lambda m: (m.start(), -m.end()))
        kept, end = [], -1
        for match in found:  # leftmost, non-overlapping: what one alternation would give
            if match.start() >= end:
                kept.append(match)
                end = max(match.end(), match.start() + 1)
        return kept

    def search(self, text: str) -> re.Match | None:
        """The first match in ``text``, or None (for a one-off look: reads the text)."""
        found = self.finditer(read(text))
        return found[0] if found else None
