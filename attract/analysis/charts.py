"""Server-drawn SVG bar charts for the trainer's item-analysis pages: plain data in, markup out.

Every chart is a ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says the
numbers in words, a ``viewBox`` and ``width="100%"`` so it scales from a phone to a
projector, and horizontal bars with the label above each bar (full width for the text
on a narrow screen) and the value to the right of it. Text is 20px at the natural
width of 440, dark ink on the page (15.8:1 on white); bars are 3:1 or more against it.
A keyed option is never told by colour alone: its label starts with "✓ key" and its
bar is dark teal with an ink outline, the others mid grey. The markup
is returned as ``str`` for Jinja's ``|safe``: every caller's string is escaped here,
after control and bidi-override characters are dropped.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..workshops.scoreboard import SCORE_BANDS
from ..workshops.scoreboard import labels as distribution_labels

WIDTH = 440            # natural width of the viewBox, in user units (px at 1:1)
FONT = 20              # label and value size at the natural width
LINE = 26              # label line height
BAR = 30               # bar height
GAP = 18               # space after each row
MAX_LINES = 2
INK, KEY_INK, BAR_FILL, KEY_FILL, TRACK = "#1b2330", "#0a4542", "#7b8794", "#0f5e5a", "#eceae4"
REF_FILL, REF_LINE, BEFORE_LINE = "#fbeec1", "#7a5c00", "#4a5565"
KEY_MARK = "✓ key"
# Gardner-Medwin's certainty-based marks (1, 0), (2, -2), (3, -6) pay best at each level
# when the share right is below 2/3, between 2/3 and 0.8, and above 0.8.
CALIBRATED = {"low": (0.0, 2 / 3), "medium": (2 / 3, 0.8), "high": (0.8, 1.0)}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float            # a count or a share
    key: bool = False       # the right answer / keyed option
    note: str = ""          # optional extra text after the value, e.g. "(40%)"


@dataclass(frozen=True)
class _Mark:
    width: float | None     # 0..1 of the track, None: no bar
    text: str               # the value, right of the bar
    css: str = "chart-bar"
    fill: str = BAR_FILL
    stroke: str = ""


@dataclass(frozen=True)
class _Row:
    label: str
    key: bool
    marks: tuple[_Mark, ...]
    band: tuple[float, float] | None = None


def _clean(text: object) -> str:
    """Printable text: no control, surrogate, non-XML or bidi-override characters."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if ch in _BIDI or cat in ("Cs", "Co") or ch in "\ufffe\uffff":
            continue
        out.append(" " if cat == "Cc" else ch)
    return " ".join("".join(out).split())


def _e(text: object) -> str:
    return html.escape(_clean(text), quote=True)


def _prefix(id_prefix: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "", str(id_prefix))[:60]
    return safe if re.match(r"[A-Za-z_]", safe) else "chart-" + safe if safe else "chart"


def _number(value: float, unit: str = "", percent: bool = False) -> str:
    if not math.isfinite(value):
        return "n/a"
    if percent:
        return f"{round(100 * value)}%"
    text = str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    unit = _clean(unit)
    return f"{text}{' ' if unit[:1].isalnum() else ''}{unit}" if unit else text


def _width(text: str) -> float:
    """A generous guess at the width of bold ``text`` at FONT (DejaVu Sans Bold, the
    widest usual fallback; Segoe UI, Roboto and Arial are narrower)."""
    em = 0.0
    for ch in text:
        if ch == " ":
            em += 0.35
        elif ch in "il.,:;'|!":
            em += 0.38
        elif ch in "fjrt()[]-/":
            em += 0.52
        elif ch in "mwMW%@…✓" or unicodedata.east_asian_width(ch) in "WF":
            em += 1.05
        else:
            em += 0.76 if ch.isupper() or ch.isdigit() else 0.68
    return em * FONT


def _fit(text: str, room: float) -> tuple[str, str]:
    """The longest start of ``text`` (broken at a space if it can be) that fits in
    ``room``, and the rest."""
    if _width(text) <= room:
        return text, ""
    cut = 1
    while cut < len(text) and _width(text[: cut + 1]) <= room:
        cut += 1
    space = text.rfind(" ", 0, cut + 1)
    if space > 0:
        cut = space
    return text[:cut].rstrip(), text[cut:].lstrip()


def _lines(label: str, key: bool) -> list[str]:
    """The label wrapped to two lines at most, with an ellipsis if it is cut; the first
    line leaves room for the key mark."""
    rest, lines = _clean(label) or "(no label)", []
    while rest and len(lines) < MAX_LINES:
        room = WIDTH - (_width(KEY_MARK + " ") if key and not lines else 0)
        line, rest = _fit(rest, room)
        if rest and len(lines) == MAX_LINES - 1:
            line = _fit(line + " " + rest, room - _width("…"))[0] + "…"
        lines.append(line)
    return lines


def _value_room(rows: Sequence[_Row]) -> int:
    longest = max((_width(m.text) for row in rows for m in row.marks), default=60.0)
    return int(min(WIDTH * 0.5, max(60, longest + 14)))


def _svg(rows: Sequence[_Row], *, title: str, desc: str, id_prefix: str,
         legend: Sequence[tuple[str, str, str]] = (), defs: str = "") -> str:
    p = _prefix(id_prefix)
    track = WIDTH - _value_room(rows)
    parts, y = [], 8
    if legend:
        x = 0
        for fill, stroke, text in legend:
            dash = ' stroke-dasharray="5 3"' if stroke == REF_LINE else ""
            parts.append(f'<g class="chart-legend"><rect x="{x}" y="{y + 2}" width="26" '
                         f'height="22" fill="{fill.format(p=p)}" stroke="{stroke}" '
                         f'stroke-width="2"{dash}/>'
                         f'<text class="chart-label" x="{x + 34}" y="{y + 20}" '
                         f'fill="{INK}" font-size="{FONT}">{_e(text)}</text></g>')
            x += 34 + int(_width(text)) + 26
        y += 40
    for row in rows:
        lines = _lines(row.label, row.key)
        parts.append(f'<g class="chart-row{" chart-row-key" if row.key else ""}">'
                     f"<title>{_e(row.label)}{' (' + KEY_MARK + ')' if row.key else ''}</title>")
        for i, line in enumerate(lines):
            mark = (f'<tspan class="chart-key-mark" fill="{KEY_INK}" font-weight="800">'
                    f"{KEY_MARK} </tspan>") if row.key and i == 0 else ""
            parts.append(f'<text class="chart-label" x="0" y="{y + 20 + i * LINE}" fill="{INK}" '
                         f'font-size="{FONT}" font-weight="600">{mark}{_e(line)}</text>')
        y += len(lines) * LINE + 6
        for m in row.marks:
            parts.append(f'<rect class="chart-axis" x="0" y="{y}" width="{track}" height="{BAR}" '
                         f'fill="{TRACK}" rx="3"/>')
            if row.band:
                lo, hi = (max(0.0, min(1.0, v)) * track for v in row.band)
                parts.append(f'<rect class="chart-ref" x="{lo:.1f}" y="{y - 4}" '
                             f'width="{hi - lo:.1f}" height="{BAR + 8}" fill="{REF_FILL}" '
                             f'stroke="{REF_LINE}" stroke-width="1.5" stroke-dasharray="5 3"/>')
            if m.width is not None:
                w = max(0.0, min(1.0, m.width)) * track
                stroke = f' stroke="{m.stroke}" stroke-width="2"' if m.stroke else ""
                parts.append(f'<rect class="{m.css}" x="0" y="{y}" width="{w:.1f}" '
                             f'height="{BAR}" fill="{m.fill}"{stroke} rx="3"/>')
            parts.append(f'<text class="chart-value" x="{track + 10}" y="{y + 22}" fill="{INK}" '
                         f'font-size="{FONT}" font-weight="700">{_e(m.text)}</text>')
            y += BAR + 6
        parts.append("</g>")
        y += GAP - 6
    height = max(y, 40)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" role="img" aria-labelledby="{p}-title {p}-desc" focusable="false" '
            f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif">'
            f'<title id="{p}-title">{_e(title)}</title><desc id="{p}-desc">{_e(desc)}</desc>'
            f'{defs.format(p=p)}{"".join(parts)}</svg>')


def _said(label: str, key: bool) -> str:
    return f"{_clean(label)}{' ' + KEY_MARK if key else ''}"


def bar_chart(bars: Sequence[Bar], *, title: str, id_prefix: str, unit: str = "",
              max_value: float | None = None, percent: bool = False) -> str:
    """One horizontal bar a row. Bars scale to ``max_value``: by default the largest
    value, or 100% when ``percent`` (values 0..1 shown as "40%")."""
    values = [v if math.isfinite(v) else 0.0 for v in (float(b.value) for b in bars)]
    top = max_value if max_value is not None else max([1.0 if percent else 0.0, *values])
    rows, said = [], []
    for bar, value in zip(bars, values, strict=True):
        text = _number(value, unit, percent) + (f" {_clean(bar.note)}" if bar.note else "")
        fill, css = (KEY_FILL, "chart-bar chart-bar-key") if bar.key else (BAR_FILL, "chart-bar")
        rows.append(_Row(bar.label, bar.key, (_Mark(value / top if top > 0 else 0.0, text,
                                                    css, fill, INK if bar.key else ""),)))
        said.append(f"{_said(bar.label, bar.key)}: {text}")
    empty = not any(v > 0 for v in values)
    desc = ("No answers yet. " if empty else "") + ("; ".join(said) or "No bars.")
    return _svg(rows, title=title, desc=desc, id_prefix=id_prefix)


def _shorten(text: str, width: int = 120) -> str:
    text = _clean(text)
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _keys(question: Mapping) -> set[str]:
    kind, key = question["type"], question.get("key")
    if kind == "rewrite":
        bar = question.get("min_score")
        return {f"{lo}-{hi}" for lo, hi in SCORE_BANDS if bar is not None and lo >= bar}
    if kind == "rank":
        return {str(key[0])} if isinstance(key, list) and key else set()
    if isinstance(key, list):
        return {str(k) for k in key}
    return set() if key is None else {str(key)}


def distribution_bars(question: Mapping, counts: Mapping[str, int], *,
                      total: int | None = None) -> list[Bar]:
    """Bars for a question's answer distribution (``scoreboard.distribution``), in its
    display order, with readable labels, each count's share of ``total`` (by default
    the sum of the counts) as the note, and the keyed option(s) marked. A rewrite's
    keyed bands are those wholly at or above ``min_score`` (full credit)."""
    kind = question["type"]
    texts = {str(item["id"]): item.get("text", "")
             for item in question.get("segments" if kind == "spot" else "options", []) or []}
    order = distribution_labels(question)
    order += [label for label in counts if label not in order]
    total = sum(counts.values()) if total is None else total
    keys = _keys(question)
    bars = []
    for label in order:
        count = counts.get(label, 0)
        if kind == "verdict":
            shown = label.capitalize()
        elif kind == "rewrite":
            shown = f"Score {label}"
        elif label in texts:
            shown = _shorten(f"{label}. {texts[label]}")
        else:
            shown = label
        note = f"({round(100 * count / total)}%)" if total else ""
        bars.append(Bar(shown, count, label in keys, note))
    return bars


def calibration_chart(levels: Sequence[tuple[str, int, float | None]], *, id_prefix: str,
                      title: str = "Share correct at each confidence level") -> str:
    """The share right at each confidence level, with the dashed band where that level
    is the best bet under certainty-based marking. A level nobody chose draws no bar."""
    rows, said = [], []
    for name, n, share in levels:
        label = f"{_clean(name)} (n={n})"
        band = CALIBRATED.get(_clean(name).lower())
        if not n or share is None:
            rows.append(_Row(label, False, (_Mark(None, "no answers"),), band))
            said.append(f"{label}: no answers")
        else:
            rows.append(_Row(label, False, (_Mark(share, _number(share, percent=True)),), band))
            said.append(f"{label}: {_number(share, percent=True)} correct")
    desc = "; ".join(said) + "."
    legend = ()
    if any(row.band for row in rows):
        desc += (" Dashed bands: the share correct at which each level earns most under "
                 "Gardner-Medwin's certainty-based marking (low below 67%, medium 67-80%, "
                 "high above 80%); a bar inside its band is well calibrated.")
        legend = ((REF_FILL, REF_LINE, "well-calibrated range"),)
    return _svg(rows, title=title, desc=desc, id_prefix=id_prefix, legend=legend)


HATCH = ('<defs><pattern id="{p}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
         '<rect width="3.5" height="8" fill="' + BEFORE_LINE + '"/></pattern></defs>')


def change_chart(rows: Sequence[tuple[str, float | None, float | None]], *, id_prefix: str,
                 title: str) -> str:
    """Facility before and after, per question: a hatched bar, then a solid one."""
    p = _prefix(id_prefix)
    drawn, said = [], []
    for label, before, after in rows:
        marks, words = [], []
        for side, value, css, fill in (("before", before, "chart-bar chart-bar-before",
                                        f"url(#{p}-hatch)"),
                                       ("after", after, "chart-bar chart-bar-after", KEY_FILL)):
            shown = "no data" if value is None else _number(value, percent=True)
            marks.append(_Mark(value, f"{side.capitalize()} {shown}", css, fill,
                               BEFORE_LINE if side == "before" else ""))
            words.append(f"{side} {shown}")
        if before is not None and after is not None:
            words.append(f"change {round(100 * after) - round(100 * before):+d} points")
        drawn.append(_Row(label, False, tuple(marks)))
        said.append(f"{_clean(label)}: {', '.join(words)}")
    legend = (("url(#{p}-hatch)", BEFORE_LINE, "Before"), (KEY_FILL, KEY_FILL, "After"))
    desc = ("Share of the marks earned, before and after. " + "; ".join(said) + "."
            if said else "No questions.")
    return _svg(drawn, title=title, desc=desc, id_prefix=id_prefix, legend=legend, defs=HATCH)
