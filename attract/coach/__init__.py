"""The message coach: scores an outreach draft against the attraction rubric, with reasons.

No network, deterministic, and no Flask or SQLAlchemy: ``analyse(text, recipient=None,
channel=None)`` returns a score 0-100, a verdict (``attraction`` when the score is 50 or
more), nine criteria (each with its points, the reason, what to do instead, and the
character spans of the words that earned or cost them), the moves, and the judgement.

The score is the mean of two readings (``analyse.CHECKLIST_SHARE``):

- the checklist, the rules below (``analyse.py``, ``signals.py``);
- the reader model (``judge.py``): a logistic regression over all-MiniLM-L6-v2 sentence
  embeddings (``encoder.py``), the channel and the moves, fitted on tests/data
  (``train.py``).

Why both, measured on blind sets written by someone who saw neither (bench/README.md,
"Blind sets for issue 11"): the rules alone judged new messages right 0.69-0.76 of the
time, though perfectly those they were tuned on; the reader model alone 0.82-0.85; their
mean 0.86, 0.90 and 0.82 on sets B, C and D at first look, and 0.907 over every set left
out of the fit in turn. The rules are sure where a phrase decides (an ask, a deadline, a
missing name) and blind to how a sentence reads; the encoder reads warmth, a pitch or
quiet pressure in words no rule lists, and is weakest where the rules are strong (an
earned ask, a warm opener before a pitch). A small model over hand-made move features
alone was not tried: the moves come from the same rules, and as features they added
0.02-0.03 to the encoder. Keeping the checklist also keeps every point explained. Costs:
about 25 ms a message on one core instead of 0.2 ms, and 160 MB of packages (onnxruntime,
tokenizers, the 23 MB model).

Criteria, their points, and the post each comes from:

- greets the recipient by name; an email with no greeting is flagged (10) -- Jamieson:
  an auto-DM never starts with your name
- names a shared context: where you met, what of theirs you read (15) -- Jamieson:
  remind me of that encounter
- about them, not you: "you" outweighs "I/we", no self-advertising (15) -- Jamieson:
  tune to the reader's WIIFM station first
- opens a conversation with a genuine question; a pitch dressed as one is flagged (15)
  -- Lori: use the welcome message to ask a question
- offers something of value before asking (10) -- Jennifer; the unsigned post
- no premature asks: like, follow, connect elsewhere, endorse, recommend, vote, share,
  download, subscribe, buy, book a demo (15) -- all five; Alan's seven endorsements
- no pressure or hype: urgency, "you need me", exclamation runs, shouting (10) -- the
  unsigned post's networker who insists "you need me"
- no repeated or guilt-tripping asks (5) -- Jennifer: asking twice undermines credibility
- a sensible length; a LinkedIn invitation note holds 300 characters (5)

An unearned ask, fake familiarity (30 left: a guilt or repeat ask) or two kinds of pressure
cap the score below 50, however polished the rest: warmth does not excuse a pitch. An ask
counts as earned when the message names a real relationship ("after our three calls").
A message over its channel's limit (``length``, 40) and a sentence said again (``repeat``,
30) cap the score as well. ``Analysis.moves`` reads the message as moves, one per
sentence (``moves.py``), from the spans the criteria already found.

Input is checked once, by ``check_input`` (which ``analyse`` calls first): at most
``MAX_TEXT`` characters of text, a recipient's name of at most ``MAX_RECIPIENT``, and one
of ``CHANNELS`` (or an alias); anything else is a ``CoachInputError`` naming the field.
"""

from .analyse import ATTRACTION_THRESHOLD, Analysis, Criterion, analyse
from .channels import CHANNELS
from .inputs import (
    MAX_RECIPIENT,
    MAX_TEXT,
    CoachInput,
    CoachInputError,
    check_input,
    normalise_channel,
)

__all__ = ["ATTRACTION_THRESHOLD", "CHANNELS", "MAX_RECIPIENT", "MAX_TEXT", "Analysis",
           "CoachInput", "CoachInputError", "Criterion", "analyse", "check_input",
           "normalise_channel"]
