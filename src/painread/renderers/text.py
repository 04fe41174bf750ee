"""Plain text: for terminals, chat bots and e-mail.

Its reader gets the context of the web formats too: the byline (last editorial review,
reading time), each notice's "as of" month and sources, and each note's sources.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Literal

from typing_extensions import override

from painread.models import TextUnit
from painread.renderers.base import Renderer, View, byline, details, segments

DEFAULT_WIDTH = 80
MIN_WIDTH = 20


def _aside(text: str) -> str:
    return f" ({text})" if text else ""


class TextRenderer(Renderer[str]):
    """Wrapped plain text; headings underlined, notices and notes marked in brackets."""

    name = "text"

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = max(MIN_WIDTH, width)

    @override
    def header_block(self, view: View) -> str:
        lines = [self._underlined(view.article.title.text, "="), self._wrap(byline(view))]
        if view.section is not None:
            lines.append(self._underlined(view.section.title.text))
        return "\n\n".join(lines)

    @override
    def notices_block(self, view: View) -> str:
        items = (
            f"[{view.article.label(f'ui.severity.{notice.severity.value}').upper()}] "
            + view.isolated(notice.text.text)
            + _aside(details(view, notice.as_of, notice.sources))
            for notice in view.notices
        )
        return self._list(view, "ui.notices.heading", items)

    @override
    def body_block(self, view: View) -> str:
        article = view.article
        parts: list[str] = []
        if view.whole_article:
            parts += self._passage(view, "summary", article.summary.paragraphs)
            parts += self._passage(view, "introduction", article.introduction.paragraphs)
            titles = (section.title.text for section in article.sections)
            lines = (self._wrap(f"{n}. {title}", "   ") for n, title in enumerate(titles, 1))
            contents = self._underlined(article.label("ui.contents.heading"))
            parts.append(contents + "\n" + "\n".join(lines))
        for section in view.sections:
            if view.whole_article:
                parts.append(self._underlined(section.title.text))
            parts += [self._paragraph(view, unit) for unit in section.paragraphs]
        if view.whole_article:
            parts += self._passage(view, "conclusion", article.conclusion.paragraphs)
        if view.notes:
            items = (
                f"[{view.note_number(note)}] “{view.isolated(note.anchor.text)}”: "
                + view.isolated(note.text.text)
                + _aside(details(view, None, note.sources))
                for note in view.notes
            )
            parts.append(self._list(view, "ui.notes.heading", items))
        return "\n\n".join(parts)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        rule = "=" * self.width
        heading = view.article.label("ui.disclaimer.heading").upper()
        text = self._wrap(view.isolated(view.article.disclaimer.text))
        return f"{rule}\n{heading}\n{text}\n{rule}"

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        return "\n\n".join(blocks) + "\n"

    @override
    def encode_unit(self, view: View, unit: TextUnit) -> str:
        return view.isolated(unit.text)

    def _passage(self, view: View, name: str, units: tuple[TextUnit, ...]) -> list[str]:
        heading = self._underlined(view.article.label(f"ui.{name}.heading"))
        return [heading, *(self._paragraph(view, unit) for unit in units)]

    def _paragraph(self, view: View, unit: TextUnit) -> str:
        return self._wrap(
            "".join(
                view.isolated(text) + (f" [{view.note_number(note)}]" if note else "")
                for text, note in segments(view, unit)
            )
        )

    def _list(self, view: View, heading: str, items: Iterable[str]) -> str:
        wrapped = (self._wrap(item, "    ") for item in items)
        return "\n\n".join([self._underlined(view.article.label(heading)), *wrapped])

    def _underlined(self, text: str, char: str = "-") -> str:
        heading = self._wrap(text)
        length = max((len(line) for line in heading.splitlines()), default=1)
        return f"{heading}\n{char * length}"

    def _wrap(self, text: str, hang: str = "") -> str:
        return textwrap.fill(
            text, self.width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False
        )
