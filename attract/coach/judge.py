"""The judge: how likely a reader is to take a message as attraction, and which sentence
pulled which way.

A plain logistic regression over what a small sentence encoder (``encoder.py``) reads in
the message: the mean, the maximum and the minimum, number by number, of its sentences'
embeddings, the whole message's embedding, and the channel; and over the message's
moves (``moves.py``): which kinds occur, and whether a take (a pitch or an ask) follows
a warm move (a greeting, a reference to them, a shared history, a question, an offer).
Its weights are in ``model/judge.json``, fitted by ``train.py`` on the labelled messages
in ``tests/data/`` (``flask --app app coach train``), so anyone can refit them and get
the same file.

Because it is linear, its reading splits exactly into parts: each sentence's share of the
mean, the maximum and the minimum it supplied, the whole message, and the channel. The
sentence parts are what ``Move.lean`` carries, so the page can say which sentence
turned the message.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .channels import CHANNELS
from .encoder import DIMENSIONS, embed
from .moves import LABELS

MOVE_KINDS = tuple(LABELS)
WARM = frozenset({"greeting", "reference", "relationship", "question", "offer"})
TAKE = frozenset({"product", "ask"})

WEIGHTS = Path(__file__).with_name("model") / "judge.json"
CHANNEL_ORDER = tuple(CHANNELS)
Span = tuple[int, int]


@dataclass(frozen=True)
class Reading:
    probability: float          # that a reader takes it as attraction, 0-1
    leans: list[float]          # per sentence, its part of the log-odds (+ attracts)
    whole: float                # the whole message's part, and the channel's


def warm_then_take(kinds: list[str]) -> int | None:
    """The index of the first take that follows a warm move, if any."""
    warm = False
    for index, kind in enumerate(kinds):
        if kind in TAKE and warm:
            return index
        warm = warm or kind in WARM
    return None


def move_features(kinds: list[str]) -> np.ndarray:
    present = [float(kind in kinds) for kind in MOVE_KINDS]
    return np.array([*present, float(warm_then_take(kinds) is not None)], dtype=np.float32)


def features(sentence_vectors: np.ndarray, whole: np.ndarray, channel: str,
             kinds: list[str]) -> np.ndarray:
    """The model's input for one message: 4 x 384 pooled numbers, the channel and the
    moves (``kinds``: one per sentence, in order)."""
    onehot = np.zeros(len(CHANNEL_ORDER), dtype=np.float32)
    onehot[CHANNEL_ORDER.index(channel)] = 1.0
    return np.concatenate([sentence_vectors.mean(axis=0), sentence_vectors.max(axis=0),
                           sentence_vectors.min(axis=0), whole, onehot,
                           move_features(kinds)])


def encode(text: str, sentences: list[Span]) -> tuple[np.ndarray, np.ndarray]:
    """The embeddings of each sentence (or of the whole text if it has none) and of the
    whole text."""
    whole = text.strip()
    pieces = [text[a:b].strip() for a, b in sentences] or [whole]
    if pieces == [whole]:  # one sentence: it is the whole message, embed it once
        vectors = embed(pieces)
        return vectors, vectors[0]
    return embed(pieces), embed([whole])[0]


@dataclass(frozen=True)
class Model:
    mean: np.ndarray       # of each feature over the training messages
    scale: np.ndarray      # their standard deviations
    weights: np.ndarray    # per standardised feature
    bias: float

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        return cls(np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64),
                   np.asarray(data["weights"], dtype=np.float64), float(data["bias"]))

    def logit(self, x: np.ndarray) -> float:
        return float(self.bias + ((x - self.mean) / self.scale) @ self.weights)

    def read(self, sentence_vectors: np.ndarray, whole: np.ndarray, channel: str,
             kinds: list[str]) -> Reading:
        x = features(sentence_vectors, whole, channel, kinds)
        part = (x - self.mean) * self.weights / self.scale  # each number's log-odds
        d = DIMENSIONS
        n = len(sentence_vectors)
        # the mean: every sentence supplies 1/n of each number, measured from the average
        leans = (sentence_vectors - self.mean[:d]) @ (self.weights[:d] / self.scale[:d]) / n
        # the maximum and the minimum: each number comes from one sentence
        for block, pick in ((1, np.argmax), (2, np.argmin)):
            chosen = pick(sentence_vectors, axis=0)
            leans += np.bincount(chosen, weights=part[block * d:(block + 1) * d],
                                 minlength=n)
        # each kind of move: its first sentence of that kind; the warm-then-take flag: the
        # take. A kind absent from the message (x = 0) belongs to the message as a whole.
        moves = 4 * d + len(CHANNEL_ORDER)
        rest = float(part[3 * d:moves].sum())  # the whole message and the channel
        for offset, kind in enumerate(MOVE_KINDS):
            if kind in kinds:
                leans[kinds.index(kind)] += part[moves + offset]
            else:
                rest += float(part[moves + offset])
        take = warm_then_take(kinds)
        if take is None:
            rest += float(part[-1])
        else:
            leans[take] += part[-1]
        logit = self.bias + float(leans.sum()) + rest
        return Reading(_sigmoid(logit), [round(float(v), 3) for v in leans], rest)


def _sigmoid(logit: float) -> float:
    """1 / (1 + e^-x), without overflowing for any x."""
    if logit >= 0:
        return 1 / (1 + math.exp(-logit))
    small = math.exp(logit)
    return small / (1 + small)


@cache
def model() -> Model:
    return Model.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def judge(text: str, sentences: list[Span], channel: str, kinds: list[str]) -> Reading:
    """``kinds``: each sentence's move, in order (``sentences`` must not be empty)."""
    vectors, whole = encode(text, sentences)
    return model().read(vectors, whole, channel, kinds)
