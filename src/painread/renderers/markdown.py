"""CommonMark: for chat apps, READMEs, static sites and anything that renders Markdown.

Every text is escaped to display literally: one holding ``*``, ``<``, ``[`` or a leading
``1.`` can neither format nor inject links, HTML or lists, and line breaks in a unit fold
into spaces, so no text starts a block of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from typing_extensions import override

from painread.models import TextUnit
from painread.renderers.base import Renderer, View, byline, details, segments

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&#|~$])")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_BLOCK_START = re.compile(r"^(?:([-+=])|([0-9]{1,9})([.)]))")


def escape_markdown(text: str, *, at_block_start: bool = True) -> str:
    """Text as CommonMark that displays exactly as written (whitespace aside).

    Args:
        text: Any text.
        at_block_start: Whether the text may begin a line, where ``-``, ``+``,
            ``=`` and ``1.`` would start a list or heading. Only the later pieces
            of a unit split at note anchors pass ``False``.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", text.replace("\x00", "\ufffd"))
    text = _LINE_BREAKS.sub(" ", text)
    if at_block_start:
        text = _BLOCK_START.sub(_escape_block_start, text.strip(" \t"))
    return text


def _escape_block_start(match: re.Match[str]) -> str:
    bullet, number, delimiter = match.groups()
    return f"\\{bullet}" if bullet else f"{number}\\{delimiter}"


class MarkdownRenderer(Renderer[str]):
    """CommonMark with the disclaimer as a block quote and notes as numbered markers."""

    name = "markdown"

    @override
    def header_block(self, view: View) -> str:
        return f"# {escape_markdown(view.article.title.text)}\n\n*{escape_markdown(byline(view))}*"

    @override
    def notices_block(self, view: View) -> str:
        items = (
            f"- **{escape_markdown(view.article.label(f'ui.severity.{notice.severity.value}'))}:** "
            + _inline(view, notice.text.text)
            + _aside(details(view, notice.as_of, notice.sources))
            for notice in view.notices
        )
        return _list(view, "ui.notices.heading", items)

    @override
    def body_block(self, view: View) -> str:
        article = view.article
        parts: list[str] = []
        if view.whole_article:
            parts += self._passage(view, "summary", article.summary.paragraphs)
            parts += self._passage(view, "introduction", article.introduction.paragraphs)
            titles = (section.title.text for section in article.sections)
            entries = (f"{n}. {escape_markdown(title)}" for n, title in enumerate(titles, 1))
            parts.append(_list(view, "ui.contents.heading", entries))
        for section in view.sections:
            parts.append(f"## {escape_markdown(section.title.text)}")
            parts += [_paragraph(view, unit) for unit in section.paragraphs]
        if view.whole_article:
            parts += self._passage(view, "conclusion", article.conclusion.paragraphs)
        if view.notes:
            items = (
                f"{view.note_number(note)}. “{_inline(view, note.anchor.text)}”: "
                + _inline(view, note.text.text)
                + _aside(details(view, None, note.sources))
                for note in view.notes
            )
            parts.append(_list(view, "ui.notes.heading", items))
        return "\n\n".join(parts)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        heading = escape_markdown(view.article.label("ui.disclaimer.heading"))
        return f"> **{heading}**\n>\n> {_inline(view, view.article.disclaimer.text)}"

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        return "\n\n".join(blocks) + "\n"

    @override
    def encode(self, text: str) -> str:
        return escape_markdown(text)

    @override
    def encode_unit(self, view: View, unit: TextUnit) -> str:
        return _inline(view, unit.text)

    def _passage(self, view: View, name: str, units: tuple[TextUnit, ...]) -> list[str]:
        heading = f"## {escape_markdown(view.article.label(f'ui.{name}.heading'))}"
        return [heading, *(_paragraph(view, unit) for unit in units)]


def _inline(view: View, text: str) -> str:
    return escape_markdown(view.isolated(text))


def _aside(text: str) -> str:
    return f" ({escape_markdown(text)})" if text else ""


def _list(view: View, heading: str, items: Iterable[str]) -> str:
    return f"## {escape_markdown(view.article.label(heading))}\n\n" + "\n".join(items)


def _paragraph(view: View, unit: TextUnit) -> str:
    pieces: list[str] = []
    for index, (text, note) in enumerate(segments(view, unit)):
        pieces.append(escape_markdown(view.isolated(text), at_block_start=index == 0))
        if note is not None:
            pieces.append(f" \\[{view.note_number(note)}\\]")
    return "".join(pieces).rstrip(" \t")
