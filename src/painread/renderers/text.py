"""Plain text: for terminals, chat bots and e-mail.

A reader of the text gets the same context as one of the web formats: the byline
(last editorial review, reading time), each notice's "as of" month and sources,
and each note's sources.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Literal

from typing_extensions import override

from painread.models import Article, TextUnit
from painread.renderers.base import Renderer, View, byline, details, isolated_in, segments

DEFAULT_WIDTH = 80
MIN_WIDTH = 20


def shown_in(view: View, text: str) -> str:
    """Text as the view's page shows it (isolates around left-to-right runs in RTL)."""
    return isolated_in(view.article.locale, text)


class TextRenderer(Renderer[str]):
    """Wrapped plain text; headings underlined, notices and notes marked in brackets."""

    name = "text"

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = max(MIN_WIDTH, width)

    @override
    def header_block(self, view: View) -> str:
        article = view.article
        lines = [self._underlined(article.title.text, "="), self._wrap(byline(view))]
        if view.section is not None:
            lines.append(self._underlined(view.section.title.text, "-"))
        return "\n\n".join(lines)

    @override
    def notices_block(self, view: View) -> str:
        article = view.article
        parts = [self._underlined(article.label("ui.notices.heading"), "-")]
        for notice in view.notices:
            label = article.label(f"ui.severity.{notice.severity.value}").upper()
            extra = details(article, notice.as_of, notice.sources)
            body = f"[{label}] {shown_in(view, notice.text.text)}"
            body += f" ({shown_in(view, extra)})" if extra else ""
            parts.append(self._wrap(body, indent="    "))
        return "\n\n".join(parts)

    @override
    def body_block(self, view: View) -> str:
        article = view.article
        parts: list[str] = []
        if view.whole_article:
            parts += self._passage(view, "summary", article.summary.paragraphs)
            parts += self._passage(view, "introduction", article.introduction.paragraphs)
            parts.append(self._contents(article))
        for section in view.sections:
            if view.whole_article:
                parts.append(self._underlined(section.title.text, "-"))
            parts += [self._paragraph(view, unit) for unit in section.paragraphs]
        if view.whole_article:
            parts += self._passage(view, "conclusion", article.conclusion.paragraphs)
        if view.notes:
            parts.append(self._notes(view))
        return "\n\n".join(parts)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        rule = "=" * self.width
        heading = view.article.label("ui.disclaimer.heading").upper()
        text = shown_in(view, view.article.disclaimer.text)
        return f"{rule}\n{heading}\n{self._wrap(text)}\n{rule}"

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        return "\n\n".join(blocks) + "\n"

    @override
    def encode_unit(self, view: View, unit: TextUnit) -> str:
        return shown_in(view, unit.text)

    def _passage(self, view: View, name: str, units: tuple[TextUnit, ...]) -> list[str]:
        heading = self._underlined(view.article.label(f"ui.{name}.heading"), "-")
        return [heading, *(self._paragraph(view, unit) for unit in units)]

    def _paragraph(self, view: View, unit: TextUnit) -> str:
        text = "".join(
            shown_in(view, segment.text)
            + (f" [{view.note_number(segment.note)}]" if segment.note else "")
            for segment in segments(view, unit)
        )
        return self._wrap(text)

    def _contents(self, article: Article) -> str:
        """The sections' titles, numbered (not ``Article.toc``, which builds a model each)."""
        titles = (section.title.text for section in article.sections)
        lines = [f"{number}. {title}" for number, title in enumerate(titles, 1)]
        return (
            self._underlined(article.label("ui.contents.heading"), "-")
            + "\n"
            + "\n".join(self._wrap(line, indent="   ") for line in lines)
        )

    def _notes(self, view: View) -> str:
        article = view.article
        parts = [self._underlined(article.label("ui.notes.heading"), "-")]
        for note in view.notes:
            anchor, text = shown_in(view, note.anchor.text), shown_in(view, note.text.text)
            body = f"[{view.note_number(note)}] “{anchor}”: {text}"
            extra = details(article, None, note.sources)
            body += f" ({shown_in(view, extra)})" if extra else ""
            parts.append(self._wrap(body, indent="    "))
        return "\n\n".join(parts)

    def _underlined(self, text: str, char: str) -> str:
        heading = self._wrap(text)
        length = max((len(line) for line in heading.splitlines()), default=1)
        return f"{heading}\n{char * length}"

    def _wrap(self, text: str, indent: str = "") -> str:
        return textwrap.fill(
            text,
            width=self.width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
