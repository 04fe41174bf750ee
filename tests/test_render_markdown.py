from __future__ import annotations

import html
import itertools
import re

import pytest

import painread
from painread.renderers import PLACEMENTS, render
from painread.renderers.markdown import escape_markdown

markdown_it = pytest.importorskip(
    "markdown_it", reason="markdown-it-py (a test dependency) checks the output as CommonMark"
)

ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
CASES = list(itertools.product(VIEWS, PLACEMENTS))
COMMONMARK = markdown_it.MarkdownIt("commonmark")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_disclaimer_is_a_block_quote_at_its_placement(view: str | None, placement: str) -> None:
    tokens = COMMONMARK.parse(render(ARTICLE, "markdown", section=view, placement=placement))
    blocks = [token for token in tokens if token.level == 0]
    quotes = [index for index, token in enumerate(blocks) if token.type == "blockquote_open"]
    assert len(quotes) == (2 if placement == "both" else 1)
    if placement != "bottom":
        assert quotes[0] == 0
    if placement != "top":
        assert blocks[-1].type == "blockquote_close"
    quoted = COMMONMARK.render(render(ARTICLE, "markdown", section=view, placement=placement))
    for block in re.findall(r"<blockquote>(.*?)</blockquote>", quoted, re.S):
        assert flat(html.unescape(re.sub(r"<[^>]+>", " ", block))) == flat(
            f"{ARTICLE.label('ui.disclaimer.heading')} {ARTICLE.disclaimer.text}"
        )


@pytest.mark.parametrize("view", VIEWS)
def test_structure_is_commonmark_without_raw_html(view: str | None) -> None:
    tokens = COMMONMARK.parse(render(ARTICLE, "markdown", section=view))
    kinds = {token.type for token in tokens}
    assert not {"html_block", "html_inline", "code_block", "fence", "hr"} & kinds
    headings = [token.tag for token in tokens if token.type == "heading_open"]
    assert headings[0] == "h1"
    assert headings.count("h1") == 1
    inline = {child.type for token in tokens for child in token.children or ()}
    assert not {"link_open", "image", "html_inline", "code_inline"} & inline


@pytest.mark.parametrize("view", VIEWS)
def test_notes_are_numbered_markers_with_a_numbered_list(view: str | None) -> None:
    rendered = COMMONMARK.render(render(ARTICLE, "markdown", section=view))
    notes = ARTICLE.notes_for(view)
    markers = re.findall(r" \[(\d+)\]", rendered)
    assert sorted(int(number) for number in markers) == list(range(1, len(notes) + 1))
    if notes:
        items = re.findall(r"<ol>\n(.*?)</ol>", rendered, re.S)[-1]
        assert items.count("<li>") == len(notes)
        for note in notes:
            assert html.escape(note.text.text, quote=False) in items


@pytest.mark.parametrize(
    "text",
    [
        "*emphasis* and __strong__",
        "# not a heading",
        "1. not a list",
        "2) not a list either",
        "- not a bullet",
        "+ nor this",
        "> not a quote",
        "<b>not html</b> <!-- nor a comment -->",
        "&amp; stays &amp; and &#60; stays too",
        "[not](a-link) ![not](an-image.png) <https://not.an/autolink>",
        "`not code`",
        "    not indented code",
        "```\nnot a fence\n```",
        "---",
        "***",
        "===",
        "a | table | row",
        "~~not struck~~",
        "back\\slash at the end\\",
        "hard  \nbreak\n\nand a second paragraph",
        "\x00 becomes the replacement character",
    ],
)
def test_markdown_specials_display_literally(text: str) -> None:
    rendered = COMMONMARK.render(escape_markdown(text))
    expected = flat(text.replace("\x00", "\ufffd"))
    assert rendered == f"<p>{html.escape(expected, quote=True)}</p>\n"


def test_escaping_matches_encode() -> None:
    renderer = painread.renderers.get_renderer("markdown")
    for text in ("1. a", "*x*", "<y>"):
        assert renderer.encode(text) == escape_markdown(text)
        assert renderer.encode(text) != text
