"""CommonMark: for chat apps, READMEs, static sites and anything that renders Markdown.

Every piece of text is escaped so that it displays literally: a translation or
note containing ``*``, ``<``, ``[`` or a leading ``1.`` can neither format nor
inject links, HTML or list structure, and line breaks inside a unit are folded
into spaces so no text can start a block of its own. The disclaimer is a block
quote; each editorial note is marked ``[N]`` after its anchor and listed below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from typing_extensions import override

from painread.models import Article, EditorialNote, SafetyNotice, TextUnit
from painread.renderers.base import Renderer, View, byline, details, isolated_in, segments

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
        text = text.strip(" \t")
        text = _BLOCK_START.sub(_escape_block_start, text)
    return text


def _escape_block_start(match: re.Match[str]) -> str:
    bullet, number, delimiter = match.groups()
    return f"\\{bullet}" if bullet else f"{number}\\{delimiter}"


class MarkdownRenderer(Renderer[str]):
    """CommonMark with the disclaimer as a block quote and notes as numbered markers."""

    name = "markdown"

    @override
    def header_block(self, view: View) -> str:
        article = view.article
        lines = [f"# {_md(article.title.text)}", f"*{_md(byline(view))}*"]
        return "\n\n".join(lines)

    @override
    def notices_block(self, view: View) -> str:
        items = "\n".join(_notice_item(view, notice) for notice in view.notices)
        return f"{_heading(view.article.label('ui.notices.heading'))}\n\n{items}"

    @override
    def body_block(self, view: View) -> str:
        article = view.article
        parts: list[str] = []
        if view.whole_article:
            parts += self._passage(view, "ui.summary.heading", article.summary.paragraphs)
            parts += self._passage(view, "ui.introduction.heading", article.introduction.paragraphs)
            parts.append(_contents(article))
        for section in view.sections:
            parts.append(_heading(section.title.text))
            parts += [_paragraph(view, unit) for unit in section.paragraphs]
        if view.whole_article:
            parts += self._passage(view, "ui.conclusion.heading", article.conclusion.paragraphs)
        if view.notes:
            parts.append(_notes(view))
        return "\n\n".join(parts)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        article = view.article
        heading = _md(article.label("ui.disclaimer.heading"))
        text = _md(isolated_in(view.article.locale, article.disclaimer.text))
        return f"> **{heading}**\n>\n> {text}"

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        return "\n\n".join(blocks) + "\n"

    @override
    def encode(self, text: str) -> str:
        return escape_markdown(text)

    @override
    def encode_unit(self, view: View, unit: TextUnit) -> str:
        return escape_markdown(isolated_in(view.article.locale, unit.text))

    def _passage(self, view: View, label_id: str, units: tuple[TextUnit, ...]) -> list[str]:
        heading = _heading(view.article.label(label_id))
        return [heading, *(_paragraph(view, unit) for unit in units)]


def _md(text: str) -> str:
    return escape_markdown(text)


def _heading(text: str) -> str:
    return f"## {_md(text)}"


def _notice_item(view: View, notice: SafetyNotice) -> str:
    severity = _md(view.article.label(f"ui.severity.{notice.severity.value}"))
    extra = _details(view, notice.as_of, notice.sources)
    return f"- **{severity}:** {_md(isolated_in(view.article.locale, notice.text.text))}{extra}"


def _details(view: View, as_of: date | None, sources: tuple[str, ...]) -> str:
    shown = details(view.article, as_of, sources)
    return f" ({_md(isolated_in(view.article.locale, shown))})" if shown else ""


def _paragraph(view: View, unit: TextUnit) -> str:
    pieces: list[str] = []
    for index, segment in enumerate(segments(view, unit)):
        text = isolated_in(view.article.locale, segment.text)
        pieces.append(escape_markdown(text, at_block_start=index == 0))
        if segment.note is not None:
            pieces.append(_marker(view, segment.note))
    return "".join(pieces).rstrip(" \t")


def _marker(view: View, note: EditorialNote) -> str:
    return f" \\[{view.note_number(note)}\\]"


def _contents(article: Article) -> str:
    """The sections' titles, numbered (not ``Article.toc``, which builds a model each)."""
    titles = (section.title.text for section in article.sections)
    entries = (f"{n}. {_md(title)}" for n, title in enumerate(titles, 1))
    return f"{_heading(article.label('ui.contents.heading'))}\n\n" + "\n".join(entries)


def _notes(view: View) -> str:
    article = view.article
    items = []
    for note in view.notes:
        quote = f"“{_md(isolated_in(view.article.locale, note.anchor.text))}”"
        extra = _details(view, None, note.sources)
        text = _md(isolated_in(view.article.locale, note.text.text))
        items.append(f"{view.note_number(note)}. {quote}: {text}{extra}")
    return f"{_heading(article.label('ui.notes.heading'))}\n\n" + "\n".join(items)
