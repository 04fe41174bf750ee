"""An HTML fragment for a host page: one ``<article>``, escaped, script-free, self-contained.

Every text is escaped on its own as `markupsafe.escape` escapes it; markup holds
only literals, numbers and ids; code points HTML forbids in text become U+FFFD.
No ``<script>``, ``style`` attribute or external resource: `painread.stylesheet`
styles it, or hosts do through the classes of ``docs/embedding.md``. Language
and direction are marked where they change (`painread.renderers.parts`). Ids
start with a prefix derived from the view (``painread-dosage-and-safety-ar``),
so fragments of different views share a page without clashing.
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
from painread.models import ARTICLE_WIDE, EditorialNote, SafetyNotice, Section, TextUnit
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

    Readable defaults, severity in words and colour, right-to-left support, dark
    mode, print rules, 24 px link targets and a disclaimer box that stands out.
    Every rule is scoped to painread's classes: put it in a ``<style>`` or serve it.
    """
    from painread._files import data_text  # package resources: only for the stylesheet

    return data_text("painread.css")


def standalone_page(fragment: str, *, title: str, locale: str) -> str:
    """A complete HTML document around a fragment, styled by `stylesheet`, to open or print.

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
    """What `markupsafe.escape` makes of the text (a test holds them equal), as a plain string."""
    text = text if type(text) is str else str.__str__(text)
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


_SENTENCE_END = re.compile(r"(?<![A-Z])(?:[.!?](?=\s)|\u061f(?=\s)|\u3002(?=\s))")
"""A full stop (not after a capital, as in "U.S.") before a space: one class of five marks,
written as branches so ``re`` builds no table beyond Latin-1 at import (tests hold them equal)."""


class _Page:
    """One page being written: its ids, heading levels and languages, and a writer per part."""

    def __init__(self, view: View, heading_level: int) -> None:
        self.view = view
        self.locale = view.article.locale
        self.rtl = text_direction(self.locale) == "rtl"
        self.prefix = _text(id_prefix(view))
        self.top = heading_level
        self.sub = min(heading_level + 1, 6)
        self.label_locales = {unit.id: unit.locale for unit in view.article.labels}
        self.english: dict[str, str] = {}
        if self.locale != SOURCE_LOCALE:  # each unit's English, to find a translation's runs
            from painread.translation import source_texts  # catalogs' machinery: only if needed

            self.english = source_texts()
        self.labels: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
        self.units: dict[tuple[str, str, str], str] = {}
        self.markers: set[int] = set()
        """The numbers of the notes whose markers the page shows (for links back to them)."""
        shown = {section.id for section in view.sections}
        self.leads = tuple(
            notice
            for notice in view.notices
            if ARTICLE_WIDE in notice.applies_to or not shown & set(notice.applies_to)
        )
        """The notices whose leads open the page: article-wide ones, and any no section takes."""

    def rtl_in(self, locale: str) -> bool:
        try:
            return text_direction(locale) == "rtl"
        except ValueError:  # a locale painread does not know: the page's direction
            return self.rtl

    def attrs(self, locale: str) -> str:
        """``lang`` (and ``dir`` if it differs) for a run in ``locale`` (none in the page's)."""
        if locale == self.locale:
            return ""
        rtl = self.rtl_in(locale)
        shown = f' lang="{_text(to_bcp47(locale))}"'
        return shown + (f' dir="{"rtl" if rtl else "ltr"}"' if rtl != self.rtl else "")

    def wrap(self, inner: str, locale: str) -> str:
        attrs = self.attrs(locale)
        return f"<span{attrs}>{inner}</span>" if attrs else inner

    def inner(self, text: str, locale: str, unit_id: str | None = None) -> str:
        """The text escaped, with its English and left-to-right runs marked."""
        if locale == SOURCE_LOCALE:
            return _text(text)
        from painread.renderers.parts import parts  # an English page never needs it

        if unit_id == f"notice.{UNREVIEWED_NOTICE}.text":  # translated from a label
            unit_id = UNREVIEWED_LABEL
        english = self.english.get(unit_id) if unit_id else None
        return "".join(map(_part, parts(text, rtl=self.rtl_in(locale), english=english)))

    def unit(self, unit: TextUnit, *, wrap: bool = True) -> str:
        """A unit's text, worked out once per page."""
        key = (unit.text, unit.locale, unit.id)
        shown = self.units.get(key)
        if shown is None:
            shown = self.units[key] = self.inner(unit.text, unit.locale, unit.id)
        if wrap and unit.locale != self.locale:
            return self.wrap(shown, unit.locale)
        return shown

    def label(self, label_id: str, **values: str) -> str:
        """A label, worked out once per page."""
        key = (label_id, tuple(values.items()) if values else ())
        shown = self.labels.get(key)
        if shown is None:
            locale = self.label_locales.get(label_id, self.locale)
            inner = self.inner(self.view.label(label_id, **values), locale)
            shown = self.labels[key] = self.wrap(inner, locale)
        return shown

    def dated(self, label_id: str, value: date, *, month: bool = False) -> str:
        """A label with a ``<time>`` for its ``{date}``; ``month`` for facts not dated to a day."""
        shown = (format_month if month else format_date)(value, self.locale)
        stamp = f"{value:%Y-%m}" if month else value.isoformat()
        time = f'<time datetime="{stamp}">{_text(shown)}</time>'
        locale = self.label_locales.get(label_id, self.locale)
        template = self.view.template(label_id).replace("{{", "{").replace("}}", "}")
        pieces = template.split("{date}")
        return self.wrap(time.join(self.inner(piece, locale) for piece in pieces), locale)

    def heading(self, text: str, name: str = "") -> str:  # one level below the title's
        own = f' id="{self.prefix}-{name}"' if name else ""
        return f"<h{self.sub}{own}>{text}</h{self.sub}>"

    def sources(self, sources: tuple[str, ...]) -> str:
        """The sources, which are never translated, after their label."""
        shown = self.wrap(_text("; ".join(sources)), SOURCE_LOCALE)
        return f"{self.label('ui.sources.label')}: {shown}"

    def entry(self, section: Section) -> str:
        target = f"{self.prefix}-section-{_text(section.id)}"
        return f'<li><a href="#{target}">{self.unit(section.title)}</a></li>'

    def paragraph(self, unit: TextUnit) -> str:
        view = self.view
        pieces = []
        for text, note in segments(view, unit):
            pieces.append(self.inner(text, unit.locale, unit.id))
            if note is not None:
                number = view.note_number(note)
                self.markers.add(number)
                pieces.append(
                    f'<sup class="painread-ref"><a href="#{self.prefix}-note-{number}" '
                    f'id="{self.prefix}-ref-{number}"><span class="painread-visually-hidden">'
                    f"{self.label('ui.note.label')} </span>{number}</a></sup>"
                )
        return f"<p{self.attrs(unit.locale)}>{''.join(pieces)}</p>"

    def note(self, note: EditorialNote) -> str:
        """A note, with a link back to its marker if the page shows one."""
        number = self.view.note_number(note)
        anchor = f'<q class="painread-note__anchor">{self.unit(note.anchor)}</q>'
        lines = [
            f'<li class="painread-note" id="{self.prefix}-note-{number}">',
            f"<p>{anchor}: {self.unit(note.text)}</p>",
        ]
        if note.sources:
            lines.append(f'<p class="painread-note__sources">{self.sources(note.sources)}</p>')
        if number in self.markers:
            lines.append(
                f'<p class="painread-note__back"><a href="#{self.prefix}-ref-{number}">'
                f"{self.label('ui.note.back', number=str(number))}</a></p>"
            )
        lines.append("</li>")
        return "\n".join(lines)

    def numbered(self, tag: str, name: str, *items: str) -> str:
        """A ``<nav>`` or ``<section>`` named by its heading, holding a numbered list."""
        attrs = f' class="painread-{name}" aria-labelledby="{self.prefix}-{name}"'
        heading = self.heading(self.label(f"ui.{name}.heading"), name)
        return _element(tag, attrs, heading, _element("ol", "", *items))

    def passage(self, name: str, units: tuple[TextUnit, ...]) -> str:
        heading = self.heading(self.label(f"ui.{name}.heading"))
        attrs = f' class="painread-passage painread-{name}"'
        return _element("section", attrs, heading, *map(self.paragraph, units))

    def section(self, section: Section) -> str:
        notices = (
            self.notice(notice)
            for notice in self.view.notices
            if ARTICLE_WIDE not in notice.applies_to and section.id in notice.applies_to
        )
        attrs = f' class="painread-section" id="{self.prefix}-section-{_text(section.id)}"'
        heading = self.heading(self.unit(section.title))
        paragraphs = map(self.paragraph, section.paragraphs)
        return _element("section", attrs, heading, *notices, *paragraphs)

    def lead(self, notice: SafetyNotice) -> str:
        """One notice's severity and first sentence, with a link to the whole notice."""
        text, severity = notice.text, notice.severity.value
        end = _SENTENCE_END.search(text.text)
        lead = self.inner(text.text[: end.end() if end else None], text.locale, text.id)
        return (
            f'<li class="painread-notice-lead painread-notice-lead--{severity}">'
            f"{self.severity(severity)} {self.wrap(lead, text.locale)} "
            f'<a href="#{self.prefix}-notice-{_text(notice.id)}">'
            f"{self.label('ui.notice.more')}</a></li>"
        )

    def severity(self, severity: str) -> str:
        label = self.label(f"ui.severity.{severity}")
        return f'<strong class="painread-notice__severity">{label}:</strong>'

    def notice(self, notice: SafetyNotice) -> str:
        severity = notice.severity.value
        text = f"{self.severity(severity)} {self.unit(notice.text)}"
        lines = [
            f'<aside class="painread-notice painread-notice--{severity}" '
            f'id="{self.prefix}-notice-{_text(notice.id)}">',
            f'<p class="painread-notice__text">{text}</p>',
        ]
        details = []
        if notice.as_of is not None:
            details.append(self.dated("ui.as-of.label", notice.as_of, month=True))
        if notice.sources:
            details.append(self.sources(notice.sources))
        if details:
            lines.append(f'<p class="painread-notice__details">{". ".join(details)}</p>')
        lines.append("</aside>")
        return "\n".join(lines)


def _part(part: tuple[str, str, bool]) -> str:
    text, lang, isolated = part
    attrs = f' lang="{lang}"' if lang else ""
    if isolated:
        if not any(map(str.isalpha, text)):
            attrs = ' class="painread-number"'
        return f'<bdi dir="ltr"{attrs}>{_text(text)}</bdi>'
    return f"<span{attrs}>{_text(text)}</span>" if lang else _text(text)


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
        meta = view.article.metadata
        byline = page.dated("ui.last-reviewed.label", meta.last_reviewed)
        if view.whole_article:
            duration = format_duration(meta.reading_time_minutes, page.locale)
            byline += " · " + page.label("ui.reading-time.label", duration=duration)
        title = page.unit(view.article.title)
        lines = [
            f'<h{page.top} class="painread-title" id="{page.prefix}-title">{title}</h{page.top}>',
            f'<p class="painread-byline">{byline}</p>',
        ]
        if view.placement == "bottom":
            lines.append(
                f'<p class="painread-disclaimer-link"><a href="#{page.prefix}-disclaimer-bottom">'
                f"{page.label('ui.disclaimer.heading')}</a></p>"
            )
        return _element("header", ' class="painread-header"', *lines)

    @override
    def notices_block(self, view: View) -> str:
        """The lead sentence of each notice, linked to the whole notice further down.

        Whole notices here would push the text screens down on a small screen.
        """
        page = self._page(view)
        if not page.leads:
            return ""
        leads = (page.lead(notice) for notice in page.leads)
        heading = page.heading(page.label("ui.notices.heading"), "notices")
        ul = _element("ul", ' class="painread-notices__leads"', *leads)
        return _element("section", ' class="painread-notices"', heading, ul)

    @override
    def body_block(self, view: View) -> str:
        page = self._page(view)
        article = view.article
        blocks = []
        if view.whole_article:
            blocks.append(page.passage("summary", article.summary.paragraphs))
            blocks.append(page.passage("introduction", article.introduction.paragraphs))
            blocks.append(page.numbered("nav", "contents", *map(page.entry, article.sections)))
        blocks += (page.section(section) for section in view.sections)
        if view.whole_article:
            blocks.append(page.passage("conclusion", article.conclusion.paragraphs))
        if page.leads:
            notices = (page.notice(notice) for notice in page.leads)
            heading = page.heading(page.label("ui.notices.heading"))
            attrs = ' class="painread-notices painread-notices--full"'
            blocks.append(_element("section", attrs, heading, *notices))
        if view.notes:
            blocks.append(page.numbered("section", "notes", *map(page.note, view.notes)))
        return "\n".join(blocks)

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        page = self._page(view)
        own = f"{page.prefix}-disclaimer-{position}"
        disclaimer = view.article.disclaimer
        # Before the title, its heading is at the title's level, so levels never skip.
        level = page.top if position == "top" else page.sub
        return (
            f'<aside class="painread-disclaimer painread-disclaimer--{position}" role="note" '
            f'id="{own}" aria-labelledby="{own}-heading">\n'
            f'<h{level} class="painread-disclaimer__heading" id="{own}-heading">'
            f"{page.label('ui.disclaimer.heading')}</h{level}>\n"
            f'<p class="painread-disclaimer__text"{page.attrs(disclaimer.locale)}>'
            f"{page.unit(disclaimer, wrap=False)}</p>\n</aside>"
        )

    @override
    def join(self, view: View, blocks: Sequence[str]) -> str:
        """The blocks in an ``<article>``, each checked for what HTML forbids in text.

        Checked block by block, the page is read once without making a second copy of it.
        """
        page = self._page(view)
        start = (
            f'<article class="painread" lang="{_text(to_bcp47(page.locale))}" '
            f'dir="{text_direction(page.locale)}" aria-labelledby="{page.prefix}-title">'
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
        return displayable(self._page(view).unit(unit, wrap=False))


def _element(tag: str, attrs: str, *lines: str) -> str:
    """An element whose content (headings, paragraphs, items) sits on lines of its own."""
    return "\n".join((f"<{tag}{attrs}>", *lines, f"</{tag}>"))
