"""Lesson Markdown renders to safe, anchored HTML; slides split at ## headings."""

from attract.config import REPO_ROOT
from attract.content import load_library, render_markdown
from attract.content.render import split_sections, split_slides


def test_markdown_features():
    html = render_markdown(
        '## Why "it" works\n\nText[^n] -- here.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'
        "- one\n- two\n\n[^n]: Note.\n")
    assert '<h2 id="why-it-works">' in html
    assert 'class="anchor" aria-hidden="true" tabindex="-1"' in html
    assert 'href="#why-it-works"' in html
    assert "<table>" in html and "<li>one</li>" in html
    assert "&ldquo;it&rdquo;" in html or "\u201cit\u201d" in html
    assert "&ndash;" in html or "\u2013" in html
    assert 'class="footnote"' in html


def test_sanitises_scripts_and_handlers():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n'
        "[click](javascript:alert(1))\n\n<div style=\"position:fixed\">x</div>\n")
    assert "<script" not in html and "onerror" not in html
    assert "javascript:" not in html and "style=" not in html


def test_render_is_cached():
    render_markdown.cache_clear()
    render_markdown("# same")
    render_markdown("# same")
    assert render_markdown.cache_info().hits == 1


def test_sections_ignore_headings_in_code():
    body = "Intro\n\n## One\n\n```\n## not a heading\n```\n\n## Two\ntext\n"
    assert [title for title, _ in split_sections(body)] == [None, "One", "Two"]


def test_slides_carry_their_footnotes():
    slides = split_slides("Lesson", "Intro.\n\n## A\nSee[^x].\n\n## B\nNone.\n\n[^x]: The note.\n")
    assert [s.title for s in slides] == ["Lesson", "A", "B"]
    assert "The note." in slides[1].html
    assert "The note." not in slides[2].html and "[^x]" not in slides[2].html


def test_bundled_lessons_split_into_slides():
    for lesson in load_library(REPO_ROOT).lessons.values():
        assert len(lesson.slides) >= 3, lesson.slug
        assert all(slide.html.strip() for slide in lesson.slides)
        assert "[^" not in lesson.html, f"{lesson.slug} has an unresolved footnote"
