"""An HTML fragment for embedding in a host page: escaped, script-free, self-contained.

The output is one ``<article>`` element, never a whole document, so a host can
place it inside its own layout. Every piece of text goes through
:func:`markupsafe.escape`; characters HTML forbids in text (controls,
noncharacters) become U+FFFD. There is no ``<script>``, no ``style``
attribute and no external resource: hosts style it through these classes.

``painread``
    The ``<article>`` root; carries ``lang`` and ``dir``.
``painread-header``, ``painread-title``, ``painread-byline``
    The header, its ``<h1>`` and the review date / reading time line.
``painread-notices``, ``painread-notice``, ``painread-notice--{info,caution,warning}``
    The safety notices section and each notice (an ``<aside>``);
    ``painread-notice__text`` and ``painread-notice__details`` inside it.
``painread-visually-hidden``
    Text for screen readers only (the severity prefix of a notice, the word
    before a note number). Hosts must hide it visually, never with
    ``display: none``; see ``docs/embedding.md``.
``painread-passage``, ``painread-summary``, ``painread-introduction``, ``painread-conclusion``
    The unheaded passages of the whole article.
``painread-contents``
    The table of contents (a ``<nav>``).
``painread-section``
    Each section, with ``id="painread-section-{section id}"``.
``painread-ref``
    The ``<sup>`` note marker at an anchor; its link has ``id="painread-ref-N"``
    and points to ``#painread-note-N``.
``painread-notes``, ``painread-note``, ``painread-note__anchor``, ``painread-note__sources``
    The editorial notes list; each ``<li id="painread-note-N">`` quotes its
    anchor, which links back to the marker.
``painread-disclaimer``, ``painread-disclaimer--{top,bottom}``
    The disclaimer, an ``<aside role="note">``, with ``painread-disclaimer__heading``
    and ``painread-disclaimer__text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Literal

from markupsafe import Markup, escape
from typing_extensions import override

from painread.models import Article, EditorialNote, SafetyNotice, Section, TextUnit
from painread.renderers._locale import bcp47, direction, long_date, reading_time
from painread.renderers.base import Renderer, View, annotate

__all__ = ["HtmlRenderer", "escape_html"]

_NONCHARACTERS = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(0x11))
_NOT_IN_HTML = re.compile(
    "[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef" + _NONCHARACTERS + "]"
)
_NEWLINE = Markup("\n")


def escape_html(text: str) -> Markup:
    """Text as HTML that displays as written; forbidden code points become U+FFFD."""
    return escape(_NOT_IN_HTML.sub("\ufffd", text))


class HtmlRenderer(Renderer[Markup]):
    """A semantic, escaped ``<article>`` fragment with the disclaimer in ``<aside role=note>``."""

    name = "html"

    @override
    def header_block(self, view: View) -> Markup:
        article = view.article
        title = _el("h1", article.title.text, class_="painread-title")
        return _el("header", _lines(title, _byline(view)), class_="painread-header")

    @override
    def notices_block(self, view: View) -> Markup:
        article = view.article
        heading = _el("h2", article.label("ui.notices.heading"))
        notices = (_notice(article, notice) for notice in view.notices)
        return _el("section", _lines(heading, *notices), class_="painread-notices")

    @override
    def body_block(self, view: View) -> Markup:
        article = view.article
        parts: list[Markup] = []
        if view.whole_article:
            parts.append(_passage(view, "summary", article.summary.paragraphs))
            parts.append(_passage(view, "introduction", article.introduction.paragraphs))
            parts.append(_contents(article))
        parts += [_section(view, section) for section in view.sections]
        if view.whole_article:
            parts.append(_passage(view, "conclusion", article.conclusion.paragraphs))
        if view.notes:
            parts.append(_notes(view))
        return _NEWLINE.join(parts)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Markup:
        article = view.article
        heading = _el("strong", article.label("ui.disclaimer.heading"))
        content = _lines(
            _el("p", heading, class_="painread-disclaimer__heading"),
            _el("p", article.disclaimer.text, class_="painread-disclaimer__text"),
        )
        classes = f"painread-disclaimer painread-disclaimer--{position}"
        return _el("aside", content, class_=classes, role="note")

    @override
    def join(self, view: View, blocks: Sequence[Markup]) -> str:
        locale = view.article.locale
        root = _el(
            "article", _lines(*blocks), class_="painread", lang=bcp47(locale), dir=direction(locale)
        )
        return str(root) + "\n"

    @override
    def encode(self, text: str) -> str:
        return str(escape_html(text))


def _el(tag: str, content: Markup | str, **attributes: str | None) -> Markup:
    """One element; ``class_`` becomes ``class`` and ``aria_label`` ``aria-label``."""
    attrs = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape_html(value)}"'
        for name, value in attributes.items()
        if value is not None
    )
    body = content if isinstance(content, Markup) else escape_html(content)
    return Markup(f"<{tag}{attrs}>{body}</{tag}>")


def _lines(*parts: Markup) -> Markup:
    return _NEWLINE + _NEWLINE.join(parts) + _NEWLINE


def _time(value: date, locale: str) -> Markup:
    return _el("time", long_date(value, locale), datetime=value.isoformat())


def _with_value(template: str, **values: Markup | str) -> Markup:
    """A label such as "As of {date}" with its placeholders filled by markup."""
    return escape_html(template).format(**values)


def _byline(view: View) -> Markup:
    article = view.article
    meta = article.metadata
    reviewed = _time(meta.last_reviewed, article.locale)
    parts = [_with_value(article.label("ui.last-reviewed.label"), date=reviewed)]
    if view.whole_article:
        duration = reading_time(meta.reading_time_minutes, article.locale)
        parts.append(escape_html(article.label("ui.reading-time.label", duration=duration)))
    return _el("p", Markup(" · ").join(parts), class_="painread-byline")


def _notice(article: Article, notice: SafetyNotice) -> Markup:
    severity = article.label(f"ui.severity.{notice.severity.value}")
    prefix = _el("span", f"{severity}: ", class_="painread-visually-hidden")
    text = _el("p", prefix + escape_html(notice.text.text), class_="painread-notice__text")
    parts = [text]
    details = _details(article, notice.as_of, notice.sources)
    if details:
        parts.append(_el("p", details, class_="painread-notice__details"))
    classes = f"painread-notice painread-notice--{notice.severity.value}"
    return _el("aside", _lines(*parts), class_=classes, id=f"painread-notice-{notice.id}")


def _details(article: Article, as_of: date | None, sources: tuple[str, ...]) -> Markup:
    details: list[Markup] = []
    if as_of is not None:
        details.append(
            _with_value(article.label("ui.as-of.label"), date=_time(as_of, article.locale))
        )
    if sources:
        listed = "; ".join(sources)
        details.append(escape_html(f"{article.label('ui.sources.label')}: {listed}"))
    return Markup(". ").join(details)


def _passage(view: View, name: str, units: tuple[TextUnit, ...]) -> Markup:
    heading = _el("h2", view.article.label(f"ui.{name}.heading"))
    paragraphs = (_paragraph(view, unit) for unit in units)
    return _el("section", _lines(heading, *paragraphs), class_=f"painread-passage painread-{name}")


def _section(view: View, section: Section) -> Markup:
    heading = _el("h2", section.title.text)
    paragraphs = (_paragraph(view, unit) for unit in section.paragraphs)
    content = _lines(heading, *paragraphs)
    return _el("section", content, class_="painread-section", id=f"painread-section-{section.id}")


def _contents(article: Article) -> Markup:
    heading = _el("h2", article.label("ui.contents.heading"))
    items = (
        _el("li", _el("a", entry.title, href=f"#painread-section-{entry.id}"))
        for entry in article.toc
    )
    return _el("nav", _lines(heading, _el("ol", _lines(*items))), class_="painread-contents")


def _paragraph(view: View, unit: TextUnit) -> Markup:
    pieces: list[Markup] = []
    for segment in annotate(view, unit):
        pieces.append(escape_html(segment.text))
        if segment.note is not None:
            pieces.append(_marker(view, segment.note))
    return _el("p", Markup("").join(pieces))


def _marker(view: View, note: EditorialNote) -> Markup:
    number = view.note_number(note)
    hidden = _el(
        "span", f"{view.article.label('ui.note.label')} ", class_="painread-visually-hidden"
    )
    link = _el(
        "a", hidden + str(number), href=f"#painread-note-{number}", id=f"painread-ref-{number}"
    )
    return _el("sup", link, class_="painread-ref")


def _notes(view: View) -> Markup:
    article = view.article
    heading = _el("h2", article.label("ui.notes.heading"))
    items = _lines(*(_note(view, note) for note in view.notes))
    return _el("section", _lines(heading, _el("ol", items)), class_="painread-notes")


def _note(view: View, note: EditorialNote) -> Markup:
    number = view.note_number(note)
    quote = _el("q", note.anchor.text, class_="painread-note__anchor")
    if _marked(view, note):
        quote = _el("a", quote, href=f"#painread-ref-{number}")
    parts = [_el("p", quote + Markup(": ") + escape_html(note.text.text))]
    if note.sources:
        parts.append(
            _el("p", _details(view.article, None, note.sources), class_="painread-note__sources")
        )
    return _el("li", _lines(*parts), class_="painread-note", id=f"painread-note-{number}")


def _marked(view: View, note: EditorialNote) -> bool:
    """Whether the note's marker is in the output, so a link back to it resolves."""
    return any(
        segment.note == note
        for unit in _shown_units(view)
        if unit.id == note.target
        for segment in annotate(view, unit)
    )


def _shown_units(view: View) -> Iterator[TextUnit]:
    article = view.article
    if view.whole_article:
        yield from article.summary.paragraphs
        yield from article.introduction.paragraphs
        yield from article.conclusion.paragraphs
    for section in view.sections:
        yield from section.paragraphs
