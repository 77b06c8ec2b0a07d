"""A message read as moves: each sentence given the role it plays, so a learner sees which
sentence turned the message (``Analysis.moves``, marked on the ``/coach`` page).

Pure, and built from the spans the analyser has already found (``Found``), so reading
the moves costs no second pass of the signal families. One move per sentence; where a
sentence does several things, the one that matters most to the verdict names it, in this
order: pressure, guilt or a repeat, an unearned ask, a claim of closeness the message
does not back, a pitch, then the moves that earn attention (an offer, a way out, a
question about them, a real shared history, a reference to their work), then a greeting
or a sentence about the sender.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

Span = tuple[int, int]

_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|"
                       r"greetings|hiya|howdy)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|we|we're|my|our|me|us)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|yours)\b", re.IGNORECASE)

NOTES = {
    "pressure": "Pressure: a deadline, scarcity or hype pushes instead of inviting.",
    "guilt": "Asks again or asks for pity: it spends the trust you have.",
    "repeat": "Says again what an earlier sentence said: it earns nothing more.",
    "ask": "An ask before the right to make it is earned.",
    "earned_ask": "An ask, after a relationship the message names.",
    "fake_familiarity": "Claims a closeness the message gives no evidence of.",
    "product": "About the sender's product or service, which the reader did not ask about.",
    "offer": "Gives the reader something of value.",
    "easy_out": "Leaves the reader free to say no.",
    "question": "A real question about them: it opens a conversation.",
    "relationship": "Names a real, specific history between you.",
    "reference": "Refers to something of theirs, or where your paths crossed.",
    "greeting": "Greets the reader.",
    "self": "About the sender.",
    "other": "",
}


LABELS = {"pressure": "Pressure", "guilt": "Guilt or a second ask", "repeat": "Repeat",
          "ask": "Unearned ask", "earned_ask": "Earned ask",
          "fake_familiarity": "Unearned closeness", "product": "Pitch", "offer": "Offer",
          "easy_out": "Easy way out", "question": "Question about them",
          "relationship": "Shared history", "reference": "Reference to them",
          "greeting": "Greeting", "self": "About the sender", "other": "Other"}
# how each move weighs with a reader: the page shows the word, and colours by this
EFFECT = {"pressure": "bad", "guilt": "bad", "repeat": "bad", "ask": "bad",
          "fake_familiarity": "bad", "product": "bad", "earned_ask": "neutral",
          "offer": "good", "easy_out": "good", "question": "good", "relationship": "good",
          "reference": "good", "greeting": "good", "self": "neutral", "other": "neutral"}


@dataclass
class Found:
    """What the analyser found in the whole message, as character spans."""

    context: list[Span] = field(default_factory=list)
    relationship: list[Span] = field(default_factory=list)
    fake: list[Span] = field(default_factory=list)
    asks: list[Span] = field(default_factory=list)
    pitches: list[Span] = field(default_factory=list)   # questions that sell
    promo: list[Span] = field(default_factory=list)
    values: list[Span] = field(default_factory=list)
    pressure: list[Span] = field(default_factory=list)
    guilt: list[Span] = field(default_factory=list)
    echoes: list[Span] = field(default_factory=list)    # sentences said a second time
    easy_outs: list[Span] = field(default_factory=list)


@dataclass
class Move:
    start: int
    end: int
    kind: str
    note: str
    label: str = ""     # the kind as a learner reads it
    effect: str = ""    # good | bad | neutral: how it weighs with a reader
    lean: float = 0.0   # the reader model's part for this sentence (+ toward attraction)
    pull: str = ""      # the lean in words
    turned: bool = False  # the sentence that weighs most toward the verdict


def pull(lean: float) -> str:
    """The reader model's lean for one sentence, in words (log-odds: 1 is about 2.7 to 1)."""
    if abs(lean) < 0.15:
        return "The reader model: neutral."
    side = "attraction" if lean > 0 else "interruption"
    strength = "strongly " if abs(lean) >= 1 else "slightly " if abs(lean) < 0.4 else ""
    return f"The reader model: pulls {strength}toward {side}."


# the order in which a sentence's findings name its move (the first found wins)
_ORDER = ("pressure", "repeat", "guilt", "ask", "fake_familiarity", "product", "easy_out",
          "offer", "question", "relationship", "reference")


def _by_sentence(sentences: list[Span], found: Found) -> list[set[str]]:
    """For each sentence, the kinds of finding that start inside it: each span is placed
    once, by bisection, rather than every sentence asking every list."""
    starts = [start for start, _ in sentences]
    marks: list[set[str]] = [set() for _ in sentences]
    for kind, spans in (("pressure", found.pressure), ("guilt", found.guilt),
                        ("ask", found.asks), ("ask", found.pitches),
                        ("fake_familiarity", found.fake), ("product", found.promo),
                        ("easy_out", found.easy_outs), ("offer", found.values),
                        ("relationship", found.relationship), ("reference", found.context)):
        for start, _ in spans:
            index = bisect_right(starts, start) - 1
            if index >= 0 and start < sentences[index][1]:
                marks[index].add(kind)
    for start, _ in found.echoes:
        index = bisect_right(starts, start) - 1
        if index >= 0:
            marks[index].add("repeat")
    return marks


def _kind(sentence: str, marks: set[str], earned: bool, first: bool,
          recipient: str | None) -> str:
    if "?" in sentence:
        marks = marks | {"question"}
    for kind in _ORDER:
        if kind in marks:
            return ("earned_ask" if earned else "ask") if kind == "ask" else kind
    name = recipient.split()[0].lower() if recipient and recipient.split() else None
    if first and (_GREETING.match(sentence) or (name and len(sentence.split()) <= 3
                                                 and name in sentence.lower())):
        return "greeting"
    if len(_FIRST_PERSON.findall(sentence)) > len(_SECOND_PERSON.findall(sentence)):
        return "self"
    return "other"


def read_moves(text: str, sentences: list[Span], found: Found, earned: bool,
               recipient: str | None = None) -> list[Move]:
    """One move per sentence (``sentences``: spans that start at a sentence's first
    character)."""
    moves = []
    for index, ((start, end), marks) in enumerate(zip(sentences,
                                                       _by_sentence(sentences, found),
                                                       strict=True)):
        kind = _kind(text[start:end], marks, earned, index == 0, recipient)
        moves.append(Move(start, end, kind, NOTES[kind], LABELS[kind], EFFECT[kind]))
    return moves
