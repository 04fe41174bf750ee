"""An HTML fragment for embedding in a host page: escaped, script-free, self-contained.

The output is one ``<article>`` element, never a whole document, so a host can
place it inside its own layout. Every text is escaped on its own as
`markupsafe.escape` escapes it; markup is only ever a literal or holds numbers
and ids. Every block of the finished page is checked once for code points HTML
forbids in text (controls, noncharacters), which become U+FFFD. There is no
``<script>``, no ``style`` attribute and no external resource:
`painread.stylesheet` styles it, or hosts style it themselves through the
classes listed in ``docs/embedding.md``.

Language and direction are marked where they change: a unit served from
another locale (the English fallback) carries ``lang`` and ``dir``, so do the
sources and the English half of the unreviewed-translation notice; in
right-to-left text every left-to-right run sits in a ``<bdi dir="ltr">`` (see
`painread.renderers.parts`).

Ids start with a prefix derived from the view (``painread-article-en``,
``painread-dosage-and-safety-ar``), so fragments of different views share a
page without clashing ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from typing_extensions import override

from painread.loader import UNREVIEWED_LABEL, UNREVIEWED_NOTICE
from painread.locales import (
    SOURCE_LOCALE,
    format_date,
    format_duration,
    format_month,
    text_direction,
    to_bcp47,
)
from painread.models import ARTICLE_WIDE, SafetyNotice, Section, TextUnit
from painread.renderers.base import (
    Renderer,
    View,
    checked_heading_level,
    displayable,
    id_prefix,
    segments,
)


def stylesheet() -> str:
    """The stylesheet painread ships for its HTML (``painread/data/painread.css``).

    Readable defaults, severity in words and colour, right-to-left support
    through logical properties, dark mode, print rules, 24 px link targets and
    a disclaimer box that stands out. Put it in a ``<style>`` element or serve
    it as a file; every rule is scoped to painread's classes.
    """
    from painread._files import data_text  # package resources: only for the stylesheet

    return data_text("painread.css")


def standalone_page(fragment: str, *, title: str, locale: str) -> str:
    """A complete HTML document around a fragment, styled by `stylesheet`.

    For saving a page to open in a browser or print; hosts that have a layout
    of their own embed the fragment instead.

    Args:
        fragment: The ``html`` output of `painread.render`.
        title: The document's title (escaped here).
        locale: The fragment's locale, for the document's ``lang`` and ``dir``.
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{_text(to_bcp47(locale))}" dir="{text_direction(locale)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
        f"<body>\n<main>\n{fragment}</main>\n</body>\n</html>\n"
    )


def escape_html(text: str) -> str:
    """Text as HTML that displays as written; forbidden code points become U+FFFD."""
    return displayable(_text(text))


def _text(text: str) -> str:
    """`markupsafe.escape` of the text's characters, as a plain string.

    A plain string, since Markup would escape whatever is added to it. The five
    replacements are those of markupsafe's own pure-Python escape, without
    creating a Markup per text (``test_render_html`` holds them equal).
    """
    text = text if type(text) is str else str.__str__(text)
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


class _Page:
    """What every writer of one page needs: ids, heading levels, languages."""

    def __init__(self, view: View, heading_level: int) -> None:
        article = view.article
        self.view = view
        self.locale = article.locale
        self.rtl = text_direction(self.locale) == "rtl"
        self.prefix = _text(id_prefix(view))
        self.top = heading_level
        self.sub = min(heading_level + 1, 6)
        self.units = {unit.id: unit for unit in article.labels}
        self.english = _english() if self.locale != SOURCE_LOCALE else {}
        self.labels: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
        self.units_written: dict[tuple[str, str, str], str] = {}

    def rtl_in(self, locale: str) -> bool:
        """Whether ``locale`` is written right to left; the page's direction if unknown."""
        try:
            return text_direction(locale) == "rtl"
        except ValueError:
            return self.rtl

    def attrs(self, locale: str) -> str:
        """``lang`` (and ``dir`` if it differs) for a run in ``locale``, or nothing."""
        if locale == self.locale:
            return ""
        rtl = self.rtl_in(locale)
        shown = f' lang="{_text(to_bcp47(locale))}"'
        return shown + (f' dir="{"rtl" if rtl else "ltr"}"' if rtl != self.rtl else "")

    def inner(self, text: str, locale: str, unit_id: str | None) -> str:
        """The text escaped, with its English and left-to-right runs marked."""
        if locale == SOURCE_LOCALE:
            return _text(text)
        # Imported here: an English page never needs it (nor unicodedata).
        from painread.renderers.parts import parts

        english = self.english.get(self._source_id(unit_id)) if unit_id else None
        pieces = parts(text, rtl=self.rtl_in(locale), english=english)
        return "".join(map(_part, pieces))

    def written(self, unit: TextUnit) -> str:
        """`inner` of a whole unit, as the page wrote it (worked out once per page)."""
        key = (unit.text, unit.locale, unit.id)
        shown = self.units_written.get(key)
        if shown is None:
            shown = self.units_written[key] = self.inner(unit.text, unit.locale, unit.id)
        return shown

    def unit(self, unit: TextUnit) -> str:
        """A unit's text, wrapped in its language when that is not the page's."""
        inner = self.written(unit)
        attrs = self.attrs(unit.locale)
        return f"<span{attrs}>{inner}</span>" if attrs else inner

    def label(self, label_id: str, **values: str) -> str:
        """A label as HTML, in its language; each is worked out once per page."""
        key = (label_id, tuple(values.items()) if values else ())
        shown = self.labels.get(key)
        if shown is None:
            shown = self.labels[key] = self._label(label_id, **values)
        return shown

    def _label(self, label_id: str, **values: str) -> str:
        unit = self.units.get(label_id)
        text = self.view.label(label_id, **values)
        locale = unit.locale if unit is not None else self.locale
        inner = self.inner(text, locale, None)
        attrs = self.attrs(locale)
        return f"<span{attrs}>{inner}</span>" if attrs else inner

    def english_text(self, text: str) -> str:
        """Text that is always English (sources)."""
        attrs = self.attrs(SOURCE_LOCALE)
        return f"<span{attrs}>{_text(text)}</span>" if attrs else _text(text)

    @staticmethod
    def _source_id(unit_id: str) -> str:
        """The English unit a unit was translated from (the unreviewed notice is a label's)."""
        return UNREVIEWED_LABEL if unit_id == f"notice.{UNREVIEWED_NOTICE}.text" else unit_id


def _english() -> dict[str, str]:
    """Each unit's English text, to find the English runs of a translation (not for English)."""
    from painread.translation import source_texts  # reads catalogs' machinery: only if needed

    return source_texts()


def _part(part: tuple[str, str, bool]) -> str:
    text, lang, isolated = part
    lang_attr = f' lang="{lang}"' if lang else ""
    if isolated and not any(map(str.isalpha, text)):
        return f'<bdi dir="ltr" class="painread-number">{_text(text)}</bdi>'
    if isolated:
        return f'<bdi dir="ltr"{lang_attr}>{_text(text)}</bdi>'
    if lang:
        return f"<span{lang_attr}>{_text(text)}</span>"
    return _text(text)


class HtmlRenderer(Renderer[str]):
    """A semantic, escaped ``<article>`` fragment with the disclaimer in a named note.

    Args:
        heading_level: The level of the fragment's top heading (1-6), so a host
            can nest it under its own; the others are one level below.

    Raises:
        InvalidHeadingLevelError: if ``heading_level`` is not an integer from 1 to 6.
    """

    name = "html"
    notices_last = True

    def __init__(self, heading_level: int = 1) -> None:
        self.heading_level = checked_heading_level(heading_level)
        self._current: _Page | None = None

    def _page(self, view: View) -> _Page:
        """The page being written for this view (one per render)."""
        page = self._current
        if page is None or page.view is not view:
            page = self._current = _Page(view, self.heading_level)
        return page

    @override
    def header_block(self, view: View) -> str:
        page = self._page(view)
        h = page.top
        lines = [
            '<header class="painread-header">',
            f'<h{h} class="painread-title" id="{page.prefix}-title">'
            f"{page.unit(view.article.title)}</h{h}>",
            _byline(page),
        ]
        if view.placement == "bottom":
            lines.append(
                f'<p class="painread-disclaimer-link"><a href="#{page.prefix}-disclaimer-bottom">'
                f"{page.label('ui.disclaimer.heading')}</a></p>"
            )
        lines.append("</header>")
        return "\n".join(lines)

    @override
    def notices_block(self, view: View) -> str:
        """The lead sentence of each notice shown in full further down, linked to it.

        On a small screen the full notices before the text would push its
        first sentence screens down; their leads keep the warning in front of
        the reader, and every notice is shown whole with its section or after
        the text (`_full_notices`).
        """
        page = self._page(view)
        shown = _top_notices(view)
        if not shown:
            return ""
        more = page.label("ui.notice.more")
        lines = [
            '<section class="painread-notices">',
            f'<h{page.sub} id="{page.prefix}-notices">{page.label("ui.notices.heading")}'
            f"</h{page.sub}>",
            '<ul class="painread-notices__leads">',
            *(_lead(page, notice, more) for notice in shown),
            "</ul>",
            "</section>",
        ]
        return "\n".join(lines)

    @override
    def body_block(self, view: View) -> str:
        page = self._page(view)
        article = view.article
        markers: set[int] = set()
        blocks: list[str] = []
        if view.whole_article:
            blocks.append(_passage(page, "summary", article.summary.paragraphs, markers))
            blocks.append(_passage(page, "introduction", article.introduction.paragraphs, markers))
            blocks.append(_contents(page))
        blocks += (_section(page, section, markers) for section in view.sections)
        if view.whole_article:
            blocks.append(_passage(page, "conclusion", article.conclusion.paragraphs, markers))
        if _top_notices(view):
            blocks.append(_full_notices(page))
        if view.notes:
            blocks.append(_notes(page, markers))
        return "\n".join(blocks)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        page = self._page(view)
        own = f"{page.prefix}-disclaimer-{position}"
        disclaimer = view.article.disclaimer
        text = page.written(disclaimer)
        attrs = page.attrs(disclaimer.locale)
        # Before the title, its heading is at the title's level, so levels never skip.
        level = page.top if position == "top" else page.sub
        return (
            f'<aside class="painread-disclaimer painread-disclaimer--{position}" role="note" '
            f'id="{own}" aria-labelledby="{own}-heading">\n'
            f'<h{level} class="painread-disclaimer__heading" id="{own}-heading">'
            f"{page.label('ui.disclaimer.heading')}</h{level}>\n"
            f'<p class="painread-disclaimer__text"{attrs}>{text}</p>\n</aside>'
        )

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        """The blocks in an ``<article>``, each checked for what HTML forbids in text.

        Checking block by block reads every character of the page once, as a
        check of the whole would, without a second copy of the page.
        """
        locale = view.article.locale
        prefix = _text(id_prefix(view))
        start = (
            f'<article class="painread" lang="{_text(to_bcp47(locale))}" '
            f'dir="{text_direction(locale)}" aria-labelledby="{prefix}-title">'
        )
        shown = [displayable(block) for block in (start, *blocks) if block]
        shown.append("</article>\n")
        return "\n".join(shown)

    @override
    def encode(self, text: str) -> str:
        return escape_html(text)

    @override
    def encode_unit(self, view: View, unit: TextUnit) -> str:
        """The unit's text as the page writes it (runs marked), without its language wrapper."""
        return displayable(self._page(view).written(unit))


def _top_notices(view: View) -> tuple[SafetyNotice, ...]:
    """The notices shown before the text: article-wide ones, and any no shown section takes."""
    shown = {section.id for section in view.sections}
    return tuple(
        notice
        for notice in view.notices
        if ARTICLE_WIDE in notice.applies_to or not shown & set(notice.applies_to)
    )


_SENTENCE_END = re.compile(r"(?<![A-Z])(?:[.!?](?=\s)|\u061f(?=\s)|\u3002(?=\s))")
"""The end of a sentence: a full stop (not after a capital, as in "U.S.") before a space.

Plainly one class of the five marks; written as branches so that ``re`` builds
no table for a class beyond Latin-1 when the module is imported
(``test_render_html`` holds the two equal)."""


def _lead(page: _Page, notice: SafetyNotice, more: str) -> str:
    """One notice's severity and first sentence, with a link to the whole notice."""
    severity = notice.severity.value
    text = notice.text
    end = _SENTENCE_END.search(text.text)
    lead = text.text[: end.end()] if end else text.text
    inner = page.inner(lead, text.locale, text.id)
    attrs = page.attrs(text.locale)
    shown = f"<span{attrs}>{inner}</span>" if attrs else inner
    return (
        f'<li class="painread-notice-lead painread-notice-lead--{severity}">'
        f'<strong class="painread-notice__severity">{page.label(f"ui.severity.{severity}")}:'
        f"</strong> {shown} "
        f'<a href="#{page.prefix}-notice-{_text(notice.id)}">{more}</a></li>'
    )


def _full_notices(page: _Page) -> str:
    """The notices whose leads open the page, in full, after the text."""
    lines = [
        '<section class="painread-notices painread-notices--full">',
        f"<h{page.sub}>{page.label('ui.notices.heading')}</h{page.sub}>",
        *(_notice(page, notice) for notice in _top_notices(page.view)),
        "</section>",
    ]
    return "\n".join(lines)


def _section_notices(view: View, section: Section) -> tuple[SafetyNotice, ...]:
    """The notices shown at the start of a section: those that apply to it alone."""
    return tuple(
        notice
        for notice in view.notices
        if ARTICLE_WIDE not in notice.applies_to and section.id in notice.applies_to
    )


def _time(page: _Page, value: date, month: bool) -> str:
    if month:
        return f'<time datetime="{value:%Y-%m}">{_text(format_month(value, page.locale))}</time>'
    return f'<time datetime="{value.isoformat()}">{_text(format_date(value, page.locale))}</time>'


def _with_date(page: _Page, label_id: str, value: date, *, month: bool = False) -> str:
    """A label such as "As of {date}" with its placeholder filled by a ``<time>``.

    ``month`` shows the date to the month only: the facts an as-of date stands for
    are not dated to a day.
    """
    template = page.view.template(label_id)
    unit = page.units.get(label_id)
    locale = unit.locale if unit is not None else page.locale
    pieces = template.replace("{{", "{").replace("}}", "}").split("{date}")
    inner = _time(page, value, month).join(page.inner(piece, locale, None) for piece in pieces)
    attrs = page.attrs(locale)
    return f"<span{attrs}>{inner}</span>" if attrs else inner


def _byline(page: _Page) -> str:
    view = page.view
    meta = view.article.metadata
    shown = _with_date(page, "ui.last-reviewed.label", meta.last_reviewed)
    if view.whole_article:
        duration = format_duration(meta.reading_time_minutes, page.locale)
        shown += " · " + page.label("ui.reading-time.label", duration=duration)
    return f'<p class="painread-byline">{shown}</p>'


def _notice(page: _Page, notice: SafetyNotice) -> str:
    severity = notice.severity.value
    lines = [
        f'<aside class="painread-notice painread-notice--{severity}" '
        f'id="{page.prefix}-notice-{_text(notice.id)}">',
        f'<p class="painread-notice__text"><strong class="painread-notice__severity">'
        f"{page.label(f'ui.severity.{severity}')}:</strong> {page.unit(notice.text)}</p>",
    ]
    details = _details(page, notice.as_of, notice.sources)
    if details:
        lines.append(f'<p class="painread-notice__details">{details}</p>')
    lines.append("</aside>")
    return "\n".join(lines)


def _details(page: _Page, as_of: date | None, sources: tuple[str, ...]) -> str:
    shown = []
    if as_of is not None:
        shown.append(_with_date(page, "ui.as-of.label", as_of, month=True))
    if sources:
        shown.append(f"{page.label('ui.sources.label')}: {page.english_text('; '.join(sources))}")
    return ". ".join(shown)


def _passage(page: _Page, name: str, units: tuple[TextUnit, ...], markers: set[int]) -> str:
    lines = [
        f'<section class="painread-passage painread-{name}">',
        f"<h{page.sub}>{page.label(f'ui.{name}.heading')}</h{page.sub}>",
        *(_paragraph(page, unit, markers) for unit in units),
        "</section>",
    ]
    return "\n".join(lines)


def _section(page: _Page, section: Section, markers: set[int]) -> str:
    lines = [
        f'<section class="painread-section" id="{page.prefix}-section-{_text(section.id)}">',
        f"<h{page.sub}>{page.unit(section.title)}</h{page.sub}>",
        *(_notice(page, notice) for notice in _section_notices(page.view, section)),
        *(_paragraph(page, unit, markers) for unit in section.paragraphs),
        "</section>",
    ]
    return "\n".join(lines)


def _contents(page: _Page) -> str:
    heading_id = f"{page.prefix}-contents"
    lines = [
        f'<nav class="painread-contents" aria-labelledby="{heading_id}">',
        f'<h{page.sub} id="{heading_id}">{page.label("ui.contents.heading")}</h{page.sub}>',
        "<ol>",
        *(
            f'<li><a href="#{page.prefix}-section-{_text(section.id)}">'
            f"{page.unit(section.title)}</a></li>"
            for section in page.view.article.sections
        ),
        "</ol>",
        "</nav>",
    ]
    return "\n".join(lines)


def _paragraph(page: _Page, unit: TextUnit, markers: set[int]) -> str:
    view = page.view
    pieces = []
    for text, note in segments(view, unit):
        pieces.append(page.inner(text, unit.locale, unit.id))
        if note is not None:
            number = view.note_number(note)
            markers.add(number)
            pieces.append(
                f'<sup class="painread-ref"><a href="#{page.prefix}-note-{number}" '
                f'id="{page.prefix}-ref-{number}"><span class="painread-visually-hidden">'
                f"{page.label('ui.note.label')} </span>{number}</a></sup>"
            )
    return f"<p{page.attrs(unit.locale)}>{''.join(pieces)}</p>"


def _notes(page: _Page, markers: set[int]) -> str:
    view = page.view
    heading_id = f"{page.prefix}-notes"
    lines = [
        f'<section class="painread-notes" aria-labelledby="{heading_id}">',
        f'<h{page.sub} id="{heading_id}">{page.label("ui.notes.heading")}</h{page.sub}>',
        "<ol>",
    ]
    for note in view.notes:
        number = view.note_number(note)
        lines.append(f'<li class="painread-note" id="{page.prefix}-note-{number}">')
        lines.append(
            f'<p><q class="painread-note__anchor">{page.unit(note.anchor)}</q>: '
            f"{page.unit(note.text)}</p>"
        )
        if note.sources:
            lines.append(
                f'<p class="painread-note__sources">{page.label("ui.sources.label")}: '
                f"{page.english_text('; '.join(note.sources))}</p>"
            )
        if number in markers:
            lines.append(
                f'<p class="painread-note__back"><a href="#{page.prefix}-ref-{number}">'
                f"{page.label('ui.note.back', number=str(number))}</a></p>"
            )
        lines.append("</li>")
    lines += ("</ol>", "</section>")
    return "\n".join(lines)
