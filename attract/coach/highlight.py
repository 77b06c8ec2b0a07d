"""Turn an analysis's spans into non-overlapping marked segments for display."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType

from .analyse import Analysis
from .inputs import clean_text

# Spans of criteria the draft met earn attention; flagged ones interrupt. Each mark has
# a short name of its own, read out by screen readers and shown on hover.
GOOD = MappingProxyType({"greeting": "their name", "context": "a shared context",
                        "question": "a real question", "value": "something of value"})
BAD = MappingProxyType({"greeting": "no greeting", "context": "claimed familiarity",
                       "focus": "about you", "question": "a pitch as a question", "value": "",
                       "asks": "an early ask", "pressure": "pressure or hype",
                       "repeat": "a repeated ask", "length": "over the limit"})


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str | None          # "good" | "bad" | None
    labels: tuple[str, ...]   # the criteria that marked it


def segments(text: str, analysis: Analysis) -> list[Segment]:
    """Split ``text`` so each piece is plain or marked; a bad mark wins an overlap."""
    text = clean_text(text)
    marks: list[tuple[int, int, str, str]] = []
    for criterion in analysis.criteria:
        if criterion.status == "flagged":
            kind, name = "bad", BAD.get(criterion.id) or criterion.label
        elif criterion.status == "met" and criterion.id in GOOD:
            kind, name = "good", GOOD[criterion.id]
        else:
            continue
        for start, end in criterion.spans:
            if 0 <= start < end <= len(text):
                marks.append((start, end, kind, name))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    result: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        kind = "bad" if any(m[2] == "bad" for m in covering) else (
            "good" if covering else None)
        labels = tuple(dict.fromkeys(m[3] for m in covering if m[2] == kind))
        piece = text[start:end]
        if result and result[-1].kind == kind and result[-1].labels == labels:
            result[-1] = Segment(result[-1].text + piece, kind, labels)
        else:
            result.append(Segment(piece, kind, labels))
    return result
