"""The judge: how likely a reader is to take a message as attraction, and which sentence
pulled which way.

A plain logistic regression over what a small sentence encoder (``encoder.py``) reads in
the message: the mean, the maximum and the minimum, number by number, of its sentences'
embeddings, the whole message's embedding, and the channel. Its weights are in
``model/judge.json``, fitted by ``train.py`` on the labelled messages in ``tests/data/``
(``flask --app app coach train``), so anyone can refit them and get the same file.

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

WEIGHTS = Path(__file__).with_name("model") / "judge.json"
CHANNEL_ORDER = tuple(CHANNELS)
Span = tuple[int, int]


@dataclass(frozen=True)
class Reading:
    probability: float          # that a reader takes it as attraction, 0-1
    leans: list[float]          # per sentence, its part of the log-odds (+ attracts)
    whole: float                # the whole message's part, and the channel's


def features(sentence_vectors: np.ndarray, whole: np.ndarray, channel: str) -> np.ndarray:
    """The model's input for one message: 4 x 384 pooled numbers and the channel."""
    onehot = np.zeros(len(CHANNEL_ORDER), dtype=np.float32)
    onehot[CHANNEL_ORDER.index(channel)] = 1.0
    return np.concatenate([sentence_vectors.mean(axis=0), sentence_vectors.max(axis=0),
                           sentence_vectors.min(axis=0), whole, onehot])


def encode(text: str, sentences: list[Span]) -> tuple[np.ndarray, np.ndarray]:
    """The embeddings of each sentence (or of the whole text if it has none) and of the
    whole text."""
    pieces = [text[a:b].strip() for a, b in sentences] or [text.strip()]
    vectors = embed(pieces)
    return vectors, embed([text.strip()])[0]


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

    def read(self, sentence_vectors: np.ndarray, whole: np.ndarray, channel: str) -> Reading:
        x = features(sentence_vectors, whole, channel)
        per = self.weights / self.scale                   # effect of one raw number
        d = DIMENSIONS
        n = len(sentence_vectors)
        leans = np.zeros(n)
        # the mean: every sentence supplies 1/n of each number
        centred = sentence_vectors - self.mean[:d]
        leans += centred @ per[:d] / n
        # the maximum and the minimum: each number comes from one sentence
        for block, pick in ((1, np.argmax), (2, np.argmin)):
            chosen = pick(sentence_vectors, axis=0)
            part = (x[block * d:(block + 1) * d] - self.mean[block * d:(block + 1) * d]) \
                * per[block * d:(block + 1) * d]
            leans += np.bincount(chosen, weights=part, minlength=n)
        rest = float(((x[3 * d:] - self.mean[3 * d:]) * per[3 * d:]).sum())
        logit = self.bias + float(leans.sum()) + rest
        return Reading(1 / (1 + math.exp(-logit)), [round(float(v), 3) for v in leans], rest)


@cache
def model() -> Model:
    return Model.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def judge(text: str, sentences: list[Span], channel: str) -> Reading:
    vectors, whole = encode(text, sentences)
    return model().read(vectors, whole, channel)
