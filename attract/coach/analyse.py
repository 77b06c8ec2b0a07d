"""Score an outreach draft against the attraction rubric, explaining every point."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from types import MappingProxyType

from . import signals as s
from .channels import CHANNELS
from .inputs import check_input
from .judge import judge
from .moves import Found, Move, pull, read_moves
from .patterns import Family, Reading, pronoun_counts, read

ATTRACTION_THRESHOLD = 50
# The highest checklist score a message with each capping flaw can get, however polished
# the rest.
CAPS = MappingProxyType({"ask": 45, "familiarity": 45, "repeat": 30, "pressure": 40,
                         "self": 45, "length": 40})
# The final score is this share of the checklist, the rest the reader model's.
CHECKLIST_SHARE = 0.5
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)
_EXCLAMATION = re.compile("!")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_NAME = re.compile(r"@?([^\W\d_][\w'-]*)")


@dataclass
class Criterion:
    id: str
    label: str
    points: float
    max: int
    status: str                 # "met" | "partial" | "missed" | "flagged"
    reason: str
    advice: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Judgement:
    """How the score was made: half the checklist, half the reader model (``judge.py``)."""

    checklist: int          # the criteria's points, after their caps
    reader: int             # the reader model's chance of attraction, 0-100
    reason: str
    turned: int | None      # index in ``moves`` of the sentence that weighs most


@dataclass
class Analysis:
    score: int
    verdict: str
    channel: str
    criteria: list[Criterion]
    caps: list[str]
    next_fix: str
    characters: int
    words: int
    moves: list[Move] = field(default_factory=list)
    judgement: Judgement | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        for criterion in data["criteria"]:
            criterion["spans"] = [list(span) for span in criterion["spans"]]
        return data


def _spans(pattern: Family | re.Pattern, reading: Reading) -> list[tuple[int, int]]:
    if isinstance(pattern, Family):
        matches = pattern.finditer(reading)
        if not matches:  # most families find nothing in most messages: skip the loop
            return []
    else:
        matches = pattern.finditer(reading.text)
    return [m.span() for m in matches if m.end() > m.start()]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Each sentence's span, without the blanks before it (a sentence ends at . ! or ?
    before a blank, or at a line break). The one split the criteria, the moves and the
    judge all read."""
    spans, start = [], 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.end() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            spans.append((start + len(piece) - len(piece.lstrip()), end))
        start = end
    return spans


def _greeting(text: str, recipient: str | None, channel: str) -> Criterion:
    label, most = "Greets the recipient by name", 10
    head = text[:120]
    first = recipient.split()[0] if recipient and recipient.split() else None
    match = first and re.search(rf"(?<!\w)@?{re.escape(first)}\b", head, re.IGNORECASE)
    if match:
        return Criterion("greeting", label, most, most, "met",
                         f"Opens with {recipient}'s name.", spans=[match.span()])
    greeting = s.GREETING.match(text)
    if greeting:
        name = _NAME.match(text[greeting.end():])
        named = name and name.group(1)[0].isupper() and name.group(1).lower() not in \
            s.GENERIC_NAMES and not first
        if named:
            span = (greeting.end() + name.start(1), greeting.end() + name.end(1))
            return Criterion("greeting", label, most, most, "met",
                             f"Greets {name.group(1)} by name.", spans=[span])
        return Criterion("greeting", label, 4, most, "partial",
                         "Has a greeting, but not the reader's name.",
                         f"Use their name: 'Hi {first or 'Sam'},' shows this is not a blast.",
                         [greeting.span()])
    reason = ("An email with no greeting reads like a mail-merge." if channel == "email"
              else "Starts without a greeting or the reader's name.")
    return Criterion("greeting", label, 0, most, "missed", reason,
                     f"Open with their name ('Hi {first or 'Sam'},'): automated messages "
                     "never do.")


def _context(context: list, fake: list, relationship: list) -> Criterion:
    label, most = "Names a shared context", 15
    found = context + relationship
    if fake:
        return Criterion("context", label, 0, most, "flagged",
                         "Claims a closeness the message gives no evidence of.",
                         "Say where you actually met or what of theirs you read; if you "
                         "never met, say how you found them.", fake)
    if found:
        return Criterion("context", label, most, most, "met",
                         "Says where your paths crossed or what of theirs you engaged with.",
                         spans=sorted(found)[:3])
    return Criterion("context", label, 0, most, "missed",
                     "Gives no reason why you are writing to this person in particular.",
                     "Name the event, post, talk or person that connects you.")


def _focus(reading: Reading, promo: list) -> tuple[Criterion, bool]:
    label, most = "About them, not you (WIIFM)", 15
    you, me = pronoun_counts(reading)
    # Smoothed, so a short note's one "I'm Milo" does not outweigh what it says about them.
    share = (you + 1) / (you + me + 2)
    points = most * min(1.0, max(0.0, (share - 0.2) / 0.3))
    points = max(0.0, points - 4 * max(0, len(promo) - 1))
    if points >= most - 0.5:
        return Criterion("focus", label, most, most, "met",
                         f"Talks about the reader more than the sender ({you} 'you' to "
                         f"{me} 'I/we')."), False
    status = "partial" if points > 0 else "missed"
    reason = f"Mostly about the sender: {me} 'I/we/my/our' to {you} 'you/your'."
    if promo:
        reason += " It advertises the sender's offer."
    # Advertising yourself to someone who said little of themselves is the WIIFM failure.
    self_centred = bool(promo) and (points < most / 3 or share < 0.5)
    return Criterion("focus", label, round(points, 1), most,
                     "flagged" if self_centred else status, reason,
                     "Cut the sentences about you and your company; say what is in it for "
                     "them.", promo[:4]), self_centred


def _question(text: str, sentences, selling: list) -> tuple[Criterion, list]:
    """``selling``: spans of asks and pitch questions, found once for the whole text; a
    question sentence in which one ends is a pitch."""
    label, most = "Opens a conversation (a genuine question)", 15
    genuine, pitches = [], []
    for start, end in sentences:
        sentence = text[start:end]
        if "?" not in sentence:
            continue
        span = (start, end)
        if any(start < end_ <= end for _, end_ in selling):
            pitches.append(span)
        else:  # any question that sells nothing invites a reply
            genuine.append(span)
    if genuine:
        return Criterion("question", label, most, most, "met",
                         "Asks the reader something about them.", spans=genuine[:2]), pitches
    if pitches:
        return Criterion("question", label, 0, most, "flagged",
                         "Its question is a pitch in disguise.",
                         "Ask about their work or view, with nothing to sell in it.",
                         pitches[:2]), pitches
    return Criterion("question", label, 0, most, "missed", "Asks the reader nothing.",
                     "End with a real question about them ('What got you into ...?')."), []


def _value(values: list, asks: list) -> Criterion:
    label, most = "Offers something of value", 10
    offers = [span for span in values
              if not any(a0 <= span[0] < a1 + 60 for a0, a1 in asks)]
    if offers:
        return Criterion("value", label, most, most, "met",
                         "Gives the reader something (a resource, an idea, an introduction).",
                         spans=offers[:2])
    return Criterion("value", label, 0, most, "missed", "Offers the reader nothing yet.",
                     "Give before you take: a useful link, an idea or an introduction.")


def _asks(asks: list, text: str, earned: bool) -> tuple[Criterion, list]:
    label, most = "No premature asks", 15
    if not asks:
        return Criterion("asks", label, most, most, "met",
                         "Asks for nothing the reader has not offered."), []
    if earned:
        return Criterion("asks", label, most, most, "met",
                         "Makes an ask, but after a relationship the message names.",
                         spans=asks[:3]), []
    words = ", ".join(f"'{text[a:b].strip()}'" for a, b in asks[:3])
    return Criterion("asks", label, 0, most, "flagged",
                     f"Asks before earning the right to: {words}.",
                     "Drop the ask for now; start the relationship and earn it.",
                     asks[:5]), asks


def _pressure(reading: Reading) -> tuple[Criterion, list[str], list]:
    label, most = "No pressure or hype", 10
    kinds, spans = [], []
    for kind, pattern in s.PRESSURE.items():
        found = _spans(pattern, reading)
        if kind == "exclamation run" and not found and reading.text.count("!") >= 3:
            found = _spans(_EXCLAMATION, reading)  # three or more, even one at a time
        if found:
            kinds.append(kind)
            spans.extend(found)
    if not kinds:
        return Criterion("pressure", label, most, most, "met",
                         "Calm and respectful: no urgency, hype or shouting."), [], []
    points = max(0, most - 4 * len(kinds))
    return Criterion("pressure", label, points, most, "flagged",
                     f"Pushes: {', '.join(kinds)}.",
                     "Remove the urgency, the hype and the exclamation marks; let the "
                     "message be calm.", sorted(spans)[:6]), kinds, spans


def _repeated_sentences(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every sentence after the first that says what an earlier one said (the same words
    ignoring case, spacing and the end's punctuation; three words or more, so "Thanks!"
    twice is not a repeat)."""
    if len(sentences) < 2:
        return []
    seen, again = set(), []
    for start, end in sentences:
        piece = text[start:end]
        key = " ".join(piece.lower().split()).strip(" .!?,;:")
        if key.count(" ") < 2:
            continue
        if key in seen:
            again.append((start, end))
        seen.add(key)
    return again


def _repeat(found: list, echoes: list) -> Criterion:
    label, most = "No repeated or guilt-tripping asks", 5
    if echoes:
        return Criterion("repeat", label, 0, most, "flagged",
                         f"Says the same thing {len(echoes) + 1} times: repeating a sentence "
                         "earns nothing and reads like a machine.",
                         "Say it once, then give them a reason to reply.",
                         (echoes + found)[:3])
    if not found:
        return Criterion("repeat", label, most, most, "met", "Does not nag or plead.")
    return Criterion("repeat", label, 0, most, "flagged",
                     "Asks again or asks for pity; that spends your credibility.",
                     "Never ask twice; give them a reason to want to instead.", found[:3])


def _length(text: str, channel: str, words: int) -> Criterion:
    label, most = "A sensible length", 5
    size, limit = len(text), CHANNELS[channel].limit
    if limit is not None and size > limit:
        # the network would not send it: whatever it says, it cannot attract (a cap)
        return Criterion("length", label, 0, most, "flagged",
                         f"{size} characters: a {CHANNELS[channel].label} holds at most "
                         f"{limit}, so it would not be sent as written.",
                         f"Cut it to {limit} characters: one or two sentences.",
                         [(limit, size)])
    long_limit = 350 if channel == "email" else 220
    if words > long_limit:
        return Criterion("length", label, 2, most, "partial",
                         f"{words} words: long for a first message.",
                         "Cut to what matters to them; three to six sentences is plenty.")
    if words < 4:
        return Criterion("length", label, 2, most, "partial",
                         "Too short to say anything about them.",
                         "Add one sentence about them and one question.")
    return Criterion("length", label, most, most, "met", f"{words} words: easy to read.")


@dataclass
class Checklist:
    """The rules' reading of a message: the criteria, their caps and the moves."""

    text: str
    channel: str
    words: int
    sentences: list[tuple[int, int]]
    criteria: list[Criterion]
    caps: list[str]
    score: float            # the criteria's points, after their caps
    moves: list[Move]
    echoes: bool            # a sentence said again (a hard cap)


def checklist(text: str, recipient: str | None, channel: str) -> Checklist:
    """The rules alone, on input ``check_input`` has already checked."""
    words = len(_WORD.findall(text))
    sentences = split_sentences(text)
    reading = read(text)  # lowered and split once: every signal family reads it
    relationship = _spans(s.RELATIONSHIP, reading)
    earned = bool(relationship)
    fake = _spans(s.FAKE_FAMILIARITY, reading)
    all_asks = _spans(s.ASK, reading)

    asks_criterion, asks = _asks(all_asks, text, earned)
    selling = all_asks + _spans(s.PITCH_QUESTION, reading)
    question, pitches = _question(text, sentences, selling)
    context, promo = _spans(s.CONTEXT, reading), _spans(s.SELF_PROMO, reading)
    values, guilt = _spans(s.VALUE, reading), _spans(s.REPEAT, reading)
    echoes = _repeated_sentences(text, sentences)
    focus, self_centred = _focus(reading, promo)
    pressure, pressure_kinds, pushes = _pressure(reading)
    repeat = _repeat(guilt, echoes)
    length = _length(text, channel, words)
    criteria = [
        _greeting(text, recipient, channel), _context(context, fake, relationship),
        focus, question, _value(values, asks + pitches), asks_criterion, pressure,
        repeat, length,
    ]
    score = sum(c.points for c in criteria)
    caps = []
    if asks or (pitches and not earned):
        caps.append("ask")
    if fake:
        caps.append("familiarity")
    if repeat.status == "flagged":
        caps.append("repeat")
    if len(pressure_kinds) >= 2:
        caps.append("pressure")
    if self_centred:
        caps.append("self")
    if length.status == "flagged":
        caps.append("length")
    for cap in caps:
        score = min(score, CAPS[cap])
    found = Found(context=context, relationship=relationship, fake=fake, asks=all_asks,
                  pitches=pitches, promo=promo, values=values, pressure=pushes,
                  guilt=guilt, echoes=echoes, easy_outs=_spans(s.EASY_OUT, reading))
    moves = read_moves(text, sentences, found, earned, recipient)
    return Checklist(text, channel, words, sentences, criteria, caps, score, moves,
                     bool(echoes))


def final_score(rules: Checklist, probability: float) -> int:
    """The checklist and the reader model's chance of attraction, blended, then the hard
    caps: facts the reader model cannot outweigh."""
    score = CHECKLIST_SHARE * rules.score + (1 - CHECKLIST_SHARE) * 100 * probability
    if "length" in rules.caps:  # the network would not send it
        score = min(score, CAPS["length"])
    if rules.echoes:  # a sentence said again
        score = min(score, CAPS["repeat"])
    if rules.words == 0:  # only emoji or symbols: nothing to judge, nothing earned
        score = min(score, 20)
    return round(score)


def analyse(text: str, recipient: str | None = None, channel: str | None = None) -> Analysis:
    """Score ``text`` 0-100 with a verdict, per-criterion reasons and spans, and moves.

    ``CoachInputError`` (from ``check_input``) if the input cannot be analysed."""
    checked = check_input(text, recipient, channel)
    rules = checklist(checked.text, checked.recipient, checked.channel)
    text, moves = rules.text, rules.moves
    reader_view = judge(text, rules.sentences, rules.channel, [m.kind for m in moves])
    for move, lean in zip(moves, reader_view.leans, strict=True):
        move.lean, move.pull = lean, pull(lean)
    score = final_score(rules, reader_view.probability)
    verdict = "attraction" if score >= ATTRACTION_THRESHOLD else "interruption"
    judgement = _judgement(round(rules.score), reader_view.probability, verdict, moves, text)
    next_fix = _next_fix(rules.criteria, rules.caps)
    if verdict == "interruption" and next_fix == NOTHING_TO_FIX and judgement.turned is not None:
        next_fix = ("Rework the sentence a reader weighs most against you: "
                    f"\"{_quote(text, moves[judgement.turned])}\"")
    return Analysis(score=score, verdict=verdict, channel=rules.channel,
                    criteria=rules.criteria, caps=rules.caps, next_fix=next_fix,
                    characters=len(text), words=rules.words, moves=moves,
                    judgement=judgement)


NOTHING_TO_FIX = "Nothing to fix: this message attracts."


def _quote(text: str, move: Move, most: int = 80) -> str:
    piece = " ".join(text[move.start:move.end].split())
    return piece if len(piece) <= most else piece[:most - 1].rstrip() + "\u2026"


def _judgement(checklist: int, probability: float, verdict: str, moves: list[Move],
               text: str) -> Judgement:
    """The reader model's part, and the sentence that pulled hardest toward the verdict
    (none when no sentence pulled that way)."""
    reader = round(100 * probability)
    sign = 1 if verdict == "attraction" else -1
    turned = max(range(len(moves)), key=lambda i: sign * moves[i].lean, default=None)
    if turned is not None and sign * moves[turned].lean <= 0:
        turned = None
    if turned is not None:
        moves[turned].turned = True
    take = "attraction" if probability >= 0.5 else "interruption"
    reason = (f"Read as a whole, the reader model takes it as {take} ({reader} of 100); "
              f"the checklist gives {checklist}. The score is the mean of the two.")
    if turned is not None:
        reason += (f" The sentence that weighs most toward {verdict}: "
                   f"\"{_quote(text, moves[turned])}\"")
    return Judgement(checklist, reader, reason, turned)


# Each cap, and the criterion whose advice lifts it.
_CAP_CRITERION = MappingProxyType({"repeat": "repeat", "ask": "asks",
                                   "familiarity": "context", "pressure": "pressure",
                                   "self": "focus", "length": "length"})
# the first cap found wins; an over-long note first: until it fits, nothing else matters
_FIX_ORDER = ("length", "repeat", "ask", "familiarity", "self", "pressure")


def _next_fix(criteria: list[Criterion], caps: list[str]) -> str:
    """The single change that would raise the score most: a capping flaw first."""
    by_id = {c.id: c for c in criteria}
    for cap in _FIX_ORDER:
        if cap in caps and by_id[_CAP_CRITERION[cap]].advice:
            return by_id[_CAP_CRITERION[cap]].advice
    worst = max(criteria, key=lambda c: (c.max - c.points, c.max))
    return worst.advice or NOTHING_TO_FIX
