"""Markdown to safe HTML, and a lesson body split into slides.

One function renders every piece of lesson Markdown: Python-Markdown with
anchored headings, tables, footnotes and smart quotes, then nh3 with an
allowlist, so a lesson file can never inject script or styles. Results are
cached by text, so a lesson is rendered once per change of its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3

_EXTENSIONS = ["toc", "tables", "footnotes", "smarty", "fenced_code", "sane_lists", "attr_list"]
_EXTENSION_CONFIGS = {
    "toc": {
        "permalink": "#",
        "permalink_class": "anchor",
        "permalink_title": "Link to this section",
        "toc_depth": "2-4",
    },
    "footnotes": {"BACKLINK_TITLE": "Back to the text of footnote %d"},
    "smarty": {"smart_angled_quotes": False},
}

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "img", "li", "ol", "p", "pre", "section", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=512)
def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML (cached by text)."""
    converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    html = converter.convert(text)
    html = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # The "#" permalink is a pointer convenience: keep it out of the heading's accessible
    # name and the tab order (the heading's id still makes every section linkable).
    return html.replace('class="anchor"', 'class="anchor" aria-hidden="true" tabindex="-1"')


@dataclass(frozen=True)
class Slide:
    """One projector slide: a ``## `` section of a lesson (the first is the intro)."""

    index: int
    title: str
    markdown: str
    html: str


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\](?!:)")


def split_sections(body: str) -> list[tuple[str | None, str]]:
    """Split Markdown at ``## `` headings outside code fences.

    Returns ``[(heading or None, section text)]``; the text keeps its heading.
    """
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((line[3:].strip().rstrip("#").strip(), [line]))
        else:
            sections[-1][1].append(line)
    result = [(title, "\n".join(lines).strip()) for title, lines in sections]
    if result and result[0][0] is None and not result[0][1]:
        result.pop(0)
    return result


def _footnote_definitions(body: str) -> dict[str, str]:
    """Footnote definitions (with their indented continuation lines) by label."""
    definitions: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines():
        match = _FOOTNOTE_DEF.match(line)
        if match:
            current = definitions.setdefault(match.group(1), [])
            current.append(line)
        elif current is not None and (line.startswith(("    ", "\t")) or not line.strip()):
            current.append(line)
        else:
            current = None
    return {label: "\n".join(lines).rstrip() for label, lines in definitions.items()}


def _without_definitions(text: str) -> str:
    kept, skipping = [], False
    for line in text.splitlines():
        if _FOOTNOTE_DEF.match(line):
            skipping = True
            continue
        if skipping and (line.startswith(("    ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept).strip()


def split_slides(title: str, body: str) -> tuple[Slide, ...]:
    """Cut a lesson into slides; each slide carries the footnotes it cites."""
    definitions = _footnote_definitions(body)
    slides = []
    for heading, text in split_sections(body):
        text = _without_definitions(text)
        if not text:
            continue
        cited = dict.fromkeys(_FOOTNOTE_REF.findall(text))
        notes = "\n\n".join(definitions[label] for label in cited if label in definitions)
        source = f"{text}\n\n{notes}" if notes else text
        slides.append(
            Slide(index=len(slides), title=heading or title, markdown=source,
                  html=render_markdown(source))
        )
    return tuple(slides)
