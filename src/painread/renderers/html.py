"""An HTML fragment for embedding in a host page: escaped, script-free, self-contained.

The output is one ``<article>`` element, never a whole document, so a host can
place it inside its own layout. Every piece of text is escaped by
:func:`markupsafe.escape` (text without ``&<>"'`` is left as it is, which is
what escaping it gives); characters HTML forbids in text (controls,
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
from collections.abc import Sequence
from datetime import date
from typing import Literal

from markupsafe import Markup, escape
from typing_extensions import override

from painread.locales import format_date, format_duration, format_month, text_direction, to_bcp47
from painread.models import EditorialNote, Passage, SafetyNotice, Section, TextUnit
from painread.renderers.base import (
    HARMLESS_UTF8,
    Renderer,
    View,
    forbidden_pattern,
    lookups,
    segments,
    suspect_bytes,
)

__all__ = ["HtmlRenderer", "escape_html"]

# The bytes of text HTML shows unchanged: harmless ones but the five characters
# escaping changes.
_ESCAPED = b"&<>\"'"
_PLAIN_UTF8 = HARMLESS_UTF8.translate(None, _ESCAPED)
_ESCAPED_CHARACTERS = _ESCAPED.decode()
# Joins the texts of a page so they are checked in one pass. HTML forbids it in
# text: one held by a text shows in the count, and none is left once replaced.
_SEPARATOR = "\x00"
_SEPARATOR_BYTE = b"\x00"
_CHANGED = re.compile(b"[^\x00]+")
# Beyond this share of texts to escape, one call on all of them joined is cheaper.
_ONE_CALL_SHARE = 0.5
# Beyond this many characters to escape in a page, likewise.
_ONE_CALL_MARKS = 16


def escape_html(text: str) -> Markup:
    """Text as HTML that displays as written; forbidden code points become U+FFFD."""
    return escape(_allowed(text))


def _allowed(text: str) -> str:
    """The text, as a plain string, with the code points HTML forbids replaced by U+FFFD.

    The regular expression runs only on text with a suspect byte.
    """
    suspects = suspect_bytes(text)
    if not suspects:
        return str.__str__(text)
    return re.sub(forbidden_pattern(suspects), "\ufffd", text)


def _escape_all(texts: Sequence[str]) -> list[str]:
    """``[str(escape_html(text)) for text in texts]``, checking them all in one pass.

    Most texts have nothing to escape or replace. One pass over the joined UTF-8
    bytes deletes every byte that needs neither; what is left, between the
    separators, names the texts that need work, and tells those with only
    characters to escape from those with a code point to replace. Only those
    texts are escaped, one by one, or, when they are many, all texts together
    with one call that is split again (escaping works character by character,
    so that is the same).
    """
    if not texts:
        return []
    joined = _SEPARATOR.join(texts)
    suspects = joined.encode("utf-8", "surrogatepass").translate(None, _PLAIN_UTF8)
    if suspects.count(_SEPARATOR_BYTE) != len(texts) - 1:
        return [str(escape_html(text)) for text in texts]
    changed = [
        (suspects.count(_SEPARATOR_BYTE, 0, run.start()), run.group())
        for run in _CHANGED.finditer(suspects)
    ]
    result = list(texts)
    for index, found in changed:
        text = texts[index]
        result[index] = _allowed(text) if found.translate(None, _ESCAPED) else str.__str__(text)
    if len(changed) > _ONE_CALL_SHARE * len(texts):
        return str.split(escape(_SEPARATOR.join(result)), _SEPARATOR)
    for index, _ in changed:
        result[index] = str(escape(result[index]))
    return result


def _escape_displayable(texts: Sequence[str]) -> list[str]:
    """:func:`_escape_all` of texts known to hold no forbidden code point.

    Only the five characters escaping changes are looked for, each with
    ``str.find`` over the texts joined, which runs at memory speed; the texts
    they fall in are escaped one by one, or, when there are many, all texts
    with one call that is split again.
    """
    joined = _SEPARATOR.join(texts)
    marks: list[int] = []
    for char in _ESCAPED_CHARACTERS:
        found = joined.find(char)
        while found >= 0:
            if len(marks) == _ONE_CALL_MARKS:
                return str.split(escape(joined), _SEPARATOR)
            marks.append(found)
            found = joined.find(char, found + 1)
    result = list(texts)
    index = previous = 0
    for found in sorted(marks):
        index += joined.count(_SEPARATOR, previous, found)
        previous = found
        if result[index] is texts[index]:
            result[index] = str(escape(str.__str__(texts[index])))
    return result


def _shows_displayable_text(view: View) -> bool:
    """Whether no text of this page can hold a forbidden code point.

    A page's texts are its article's strings, literals, and CLDR's dates and
    durations, so none can when the article has none
    (:meth:`~painread.renderers.base.Lookups.displayable`) and the view shows only the
    article's own notes, notices and section: one built by hand may not.
    """
    article = view.article
    derived = lookups(article)
    return (
        _among(view.notes, derived.notes)
        and _among(view.notices, article.notices)
        and (view.section is None or _among((view.section,), article.sections))
        and derived.displayable()
    )


def _among(these: tuple[object, ...], those: tuple[object, ...]) -> bool:
    """Whether each of these objects is one of those (the very object, not an equal one)."""
    if these is those:
        return True
    known = set(map(id, those))
    return all(id(item) in known for item in these)


class _Fragment:
    """Part of the page, written in reading order and escaped when the page is joined.

    ``parts`` alternates markup and text, and starts and ends with markup:
    writers add markup with ``parts[-1] += "<tag>"`` and a text with the markup
    after it with ``parts += (text, "</tag>")``, so the texts are ``parts[1::2]``.
    Markup is only ever a literal, or holds numbers; everything else (from the
    article, a label, a date) is a text. ``checked`` holds the positions of the
    texts the disclaimer check asks for, so it can be answered from this escaping.
    """

    __slots__ = ("checked", "parts")

    def __init__(self, markup: str = "") -> None:
        self.parts: list[str] = [markup]
        self.checked: list[int] = []

    def check(self, text: str, after: str) -> None:
        """A text the disclaimer check looks for (disclaimer, notice, note)."""
        self.checked.append(len(self.parts))
        self.parts += (text, after)


class _Markers:
    """The notes whose markers one body has written, and the words read before a number."""

    __slots__ = ("label", "notes")

    def __init__(self) -> None:
        self.notes: set[int] = set()
        self.label: str | None = None


class HtmlRenderer(Renderer[_Fragment]):
    """A semantic, escaped ``<article>`` fragment with the disclaimer in ``<aside role=note>``.

    Blocks are unescaped :class:`_Fragment` objects; :meth:`join` checks every
    text of the page in one pass (for the characters to escape only, when the
    article's strings are known to hold no forbidden code point), escapes those
    that need it, builds the page with one ``"".join``, and keeps the escaped
    forms of the texts the disclaimer check asks for. No
    :class:`~markupsafe.Markup` object is built per element.
    """

    name = "html"

    def __init__(self) -> None:
        self._written: dict[int, tuple[str, str]] = {}

    @override
    def header_block(self, view: View) -> _Fragment:
        page = _Fragment('<header class="painread-header">\n<h1 class="painread-title">')
        page.parts += (view.article.title.text, "</h1>\n")
        _byline(page.parts, view)
        page.parts[-1] += "\n</header>"
        return page

    @override
    def notices_block(self, view: View) -> _Fragment:
        page = _Fragment('<section class="painread-notices">\n<h2>')
        page.parts += (view.label("ui.notices.heading"), "</h2>")
        severities: dict[str, str] = {}
        for notice in view.notices:
            _notice(page, view, notice, severities)
        page.parts[-1] += "\n</section>"
        return page

    @override
    def body_block(self, view: View) -> _Fragment:
        article = view.article
        page = _Fragment()
        parts = page.parts
        marked = _Markers()
        if view.whole_article:
            _passage(parts, view, "summary", article.summary, marked)
            _passage(parts, view, "introduction", article.introduction, marked)
            _contents(parts, view)
        for section in view.sections:
            _section(parts, view, section, marked)
        if view.whole_article:
            _passage(parts, view, "conclusion", article.conclusion, marked)
        if view.notes:
            _notes(page, view, marked)
        parts[0] = parts[0].removeprefix("\n")
        return page

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> _Fragment:
        page = _Fragment('<aside class="')
        page.parts += (
            f"painread-disclaimer painread-disclaimer--{position}",
            '" role="note">\n<p class="painread-disclaimer__heading"><strong>',
            view.label("ui.disclaimer.heading"),
            '</strong></p>\n<p class="painread-disclaimer__text">',
        )
        page.check(view.article.disclaimer.text, "</p>\n</aside>")
        return page

    @override
    def join(self, view: View, blocks: Sequence[_Fragment]) -> str:
        locale = view.article.locale
        parts = ['<article class="painread" lang="', to_bcp47(locale), '" dir="']
        parts += (text_direction(locale), '">')
        checked: list[int] = []
        for block in blocks:
            checked += [len(parts) - 1 + position for position in block.checked]
            parts[-1] += "\n" + block.parts[0]
            parts += block.parts[1:]
        parts[-1] += "\n</article>\n"
        texts = parts[1::2]
        escaped = (
            _escape_displayable(texts) if _shows_displayable_text(view) else _escape_all(texts)
        )
        written: dict[int, tuple[str, str]] = {}
        for index in checked:
            written[id(parts[index])] = (parts[index], escaped[index // 2])
        self._written = written
        parts[1::2] = escaped
        return "".join(parts)

    @override
    def encode(self, text: str) -> str:
        return str(escape_html(text))

    @override
    def encode_all(self, texts: Sequence[str]) -> list[str]:
        """Each text escaped; those :meth:`join` has just escaped are not escaped again."""
        written = self._written
        encoded: list[str] = []
        for text in texts:
            raw, escaped = written.get(id(text), (None, ""))
            if raw is not text:
                return _escape_all(texts)
            encoded.append(escaped)
        return encoded


def _time(parts: list[str], value: date, locale: str, after: str, month: bool = False) -> None:
    parts[-1] += '<time datetime="'
    parts += (*_date_texts(value, locale, month), "</time>" + after)


def _date_texts(value: date, locale: str, month: bool) -> tuple[str, str, str]:
    """The machine-readable date, the tag's end, and the date as shown (to the month or day)."""
    if month:
        return f"{value:%Y-%m}", '">', format_month(value, locale)
    return value.isoformat(), '">', format_date(value, locale)


def _with_date(
    parts: list[str], template: str, value: date, locale: str, month: bool = False
) -> None:
    """A label such as "As of {date}" with its placeholder filled by a ``<time>``.

    :meth:`markupsafe.Markup.format` defines the result. When ``{date}`` is the
    template's only field, as in every shipped label, the text around each
    placeholder is written as text and the ``<time>`` element between.
    """
    fields = template.count("{date}")
    if template.count("{") != fields or template.count("}") != fields:
        shown = ['<time datetime="', *_date_texts(value, locale, month), "</time>"]
        shown[1::2] = _escape_all(shown[1::2])
        parts[-1] += str(escape_html(template).format(date=Markup("".join(shown))))
        return
    first, *rest = template.split("{date}")
    parts += (first, "")
    for piece in rest:
        _time(parts, value, locale, "", month)
        parts += (piece, "")


def _byline(parts: list[str], view: View) -> None:
    article = view.article
    meta = article.metadata
    parts[-1] += '<p class="painread-byline">'
    _with_date(parts, view.template("ui.last-reviewed.label"), meta.last_reviewed, article.locale)
    if view.whole_article:
        duration = format_duration(meta.reading_time_minutes, article.locale)
        parts[-1] += " · "
        parts += (view.label("ui.reading-time.label", duration=duration), "")
    parts[-1] += "</p>"


def _notice(page: _Fragment, view: View, notice: SafetyNotice, severities: dict[str, str]) -> None:
    """One notice; ``severities`` keeps each severity's label once looked up."""
    severity = notice.severity._value_  # the plain attribute; `.value` is a descriptor
    shown = severities.get(severity)
    if shown is None:
        shown = severities[severity] = f"{view.label(f'ui.severity.{severity}')}: "
    parts = page.parts
    parts[-1] += '\n<aside class="'
    parts += (
        f"painread-notice painread-notice--{severity}",
        '" id="',
        f"painread-notice-{notice.id}",
        '">\n<p class="painread-notice__text"><span class="painread-visually-hidden">',
        shown,
        "</span>",
    )
    page.check(notice.text.text, "</p>")
    dated = notice.as_of is not None and view.template("ui.as-of.label")
    if dated or notice.sources:
        parts[-1] += '\n<p class="painread-notice__details">'
        _details(parts, view, notice.as_of, notice.sources)
        parts[-1] += "</p>"
    parts[-1] += "\n</aside>"


def _details(parts: list[str], view: View, as_of: date | None, sources: tuple[str, ...]) -> None:
    if as_of is not None:
        _with_date(parts, view.template("ui.as-of.label"), as_of, view.article.locale, month=True)
    if sources:
        parts[-1] += ". " if as_of is not None else ""
        parts += (f"{view.label('ui.sources.label')}: {'; '.join(sources)}", "")


def _passage(parts: list[str], view: View, name: str, passage: Passage, marked: _Markers) -> None:
    parts[-1] += f'\n<section class="painread-passage painread-{name}">\n<h2>'
    parts += (view.label(f"ui.{name}.heading"), "</h2>")
    for unit in passage.paragraphs:
        _paragraph(parts, view, unit, marked)
    parts[-1] += "\n</section>"


def _section(parts: list[str], view: View, section: Section, marked: _Markers) -> None:
    parts[-1] += '\n<section class="painread-section" id="'
    parts += (f"painread-section-{section.id}", '">\n<h2>', section.title.text, "</h2>")
    for unit in section.paragraphs:
        _paragraph(parts, view, unit, marked)
    parts[-1] += "\n</section>"


def _contents(parts: list[str], view: View) -> None:
    parts[-1] += '\n<nav class="painread-contents">\n<h2>'
    parts += (view.label("ui.contents.heading"), "</h2>\n<ol>\n")
    for index, section in enumerate(view.article.sections):
        parts[-1] += '\n<li><a href="' if index else '<li><a href="'
        parts += (f"#painread-section-{section.id}", '">', section.title.text, "</a></li>")
    parts[-1] += "\n</ol>\n</nav>"


def _paragraph(parts: list[str], view: View, unit: TextUnit, marked: _Markers) -> None:
    parts[-1] += "\n<p>"
    for text, note in segments(view, unit):
        if note is None:
            parts += (text, "")
            continue
        number = view.note_number(note)
        label = marked.label
        if label is None:
            label = marked.label = f"{view.label('ui.note.label')} "
        parts += (
            text,
            f'<sup class="painread-ref"><a href="#painread-note-{number}" '
            f'id="painread-ref-{number}"><span class="painread-visually-hidden">',
            label,
            f"</span>{number}</a></sup>",
        )
        marked.notes.add(id(note))
    parts[-1] += "</p>"


def _notes(page: _Fragment, view: View, marked: _Markers) -> None:
    parts = page.parts
    checked = page.checked
    parts[-1] += '\n<section class="painread-notes">\n<h2>'
    parts += (view.label("ui.notes.heading"), "</h2>\n<ol>\n")
    sources_label = view.label("ui.sources.label") if any(n.sources for n in view.notes) else ""
    start = ""
    for note in view.notes:
        number = view.note_number(note)
        if id(note) in marked.notes or _is_marked(view, note, marked.notes):  # usual case first
            parts[-1] += (
                f'{start}<li class="painread-note" id="painread-note-{number}">\n<p>'
                f'<a href="#painread-ref-{number}"><q class="painread-note__anchor">'
            )
            parts += (note.anchor.text, "</q></a>: ")
        else:
            parts[-1] += (
                f'{start}<li class="painread-note" id="painread-note-{number}">\n<p>'
                '<q class="painread-note__anchor">'
            )
            parts += (note.anchor.text, "</q>: ")
        checked.append(len(parts))
        if note.sources:
            parts += (
                note.text.text,
                '</p>\n<p class="painread-note__sources">',
                f"{sources_label}: {'; '.join(note.sources)}",
                "</p>\n</li>",
            )
        else:
            parts += (note.text.text, "</p>\n</li>")
        start = "\n"
    parts[-1] += "\n</ol>\n</section>"


def _is_marked(view: View, note: EditorialNote, marked: set[int]) -> bool:
    """Whether the note's marker is in the output, so a link back to it resolves."""
    if id(note) in marked:
        return True
    return any(other == note for other in view.notes if id(other) in marked)
