"""FHIR R4: the article as a document ``Bundle`` for patient portals and EHRs.

A ``Composition`` with one ``section`` per part shown, then the ``Organization``
that wrote painread's own text. Every narrative carries the disclaimer and the
notices that apply to its part, so a portal showing one section alone shows
them. Built without a FHIR library (the tests validate it with
``fhir.resources``) and deterministic: ids are UUID5 values of what is shown,
the only timestamp is the last editorial review. ``docs/fhir.md`` says which
elements are filled and why, and which XHTML the narratives use.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

from pydantic_core import to_json
from typing_extensions import override

from painread.locales import format_date, text_direction, to_bcp47
from painread.models import ARTICLE_WIDE, EditorialNote, SafetyNotice, TextUnit
from painread.renderers.base import Renderer, Tagged, View, byline, displayable, gathered, segments

__all__ = ["FhirRenderer", "escape_xhtml"]

AUTHOR_NAME = "painread maintainers"
"""The ``Organization`` that wrote the title, notices, notes and disclaimer."""
IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986"
"""FHIR's system for identifiers that are URIs themselves (here ``urn:uuid:...``)."""
_NAMESPACE = uuid.UUID("17f79e06-4311-42bb-a14d-3d82590f0d28")
"""painread's namespace for the UUID5 ids of its FHIR resources."""

Resource = dict[str, Any]


def escape_xhtml(text: str) -> str:
    """Text as XHTML character data: ``&<>`` as entities, what XML or HTML forbids as U+FFFD."""
    text = _string(text)
    if "&" in text or "<" in text or ">" in text:  # most texts have none: three scans, no copies
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _string(text: str) -> str:
    return displayable(text, "\x0c")  # XML also forbids the form feed


class FhirRenderer(Renderer[Tagged]):
    """A FHIR R4 document ``Bundle`` whose every narrative carries the disclaimer.

    Blocks are ``(kind, value)``: the header is the Composition's own narrative,
    the others are its sections (the disclaimer's own first unless placed at the bottom).
    """

    name = "fhir"

    @override
    def header_block(self, view: View) -> Tagged:
        titles = [("painread-title", view.article.title)]
        if view.section is not None:
            titles.append(("painread-section-title", view.section.title))
        content = []
        for css, title in titles:
            text = escape_xhtml(title.text)
            content.append(f'<p class="{css}"{_foreign(view, title)}><strong>{text}</strong></p>')
        content.append(f'<p class="painread-byline">{escape_xhtml(byline(view))}</p>')
        content.append(_notes(view, view.notes_in(view.article.title)))
        return "header", _div(view, _general_notices(view), content)

    @override
    def notices_block(self, view: View) -> Tagged:
        return "notices", [_part(view, "notices", [], view.notices)]

    @override
    def body_block(self, view: View) -> Tagged:
        article = view.article
        sections: list[Resource] = []
        if view.whole_article:
            sections.append(_part(view, "summary", _text(view, article.summary.paragraphs)))
            sections.append(
                _part(view, "introduction", _text(view, article.introduction.paragraphs))
            )
        for section in view.sections:
            applying = tuple(n for n in view.notices if n.applies_to_section(section.id))
            narrative = _div(view, applying, _text(view, section.paragraphs, section.units()))
            sections.append(_section(f"section-{section.id}", section.title.text, narrative))
        if view.whole_article:
            sections.append(_part(view, "conclusion", _text(view, article.conclusion.paragraphs)))
        if view.notes:
            sections.append(_part(view, "notes", [_notes(view, view.notes)]))
        return "body", sections

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Tagged:
        notices = _notices(view, _general_notices(view))
        disclaimer = _disclaimer(view, position)
        content = [disclaimer, notices] if position == "top" else [notices, disclaimer]
        narrative = _wrap(view, content)
        return "disclaimer", _section("disclaimer", view.label("ui.disclaimer.heading"), narrative)

    @override
    def join(self, view: View, blocks: Sequence[Tagged]) -> str:
        header, sections = gathered(blocks)
        # pydantic_core, loaded with the models, writes what json.dumps(indent=2,
        # ensure_ascii=False) would, without importing json on a cold render.
        return to_json(_bundle(view, header, sections), indent=2).decode()

    @override
    def encode(self, text: str) -> str:
        return to_json(escape_xhtml(text)).decode()[1:-1]


def _bundle(view: View, header: str, sections: list[Resource]) -> Resource:
    article = view.article
    meta = article.metadata
    shown = view.section.id if view.section is not None else ARTICLE_WIDE
    edition = f"{meta.content_hash}/{article.locale}/{shown}"  # what the Composition is
    key = f"{edition}/{view.placement}"
    organization = _uuid("organization")
    author = {"reference": f"urn:uuid:{organization}", "display": AUTHOR_NAME}
    composition: Resource = {
        "resourceType": "Composition",
        "id": _uuid(key),
        "language": to_bcp47(article.locale),
        "text": {"status": "generated", "div": header},
        "identifier": {"system": IDENTIFIER_SYSTEM, "value": f"urn:uuid:{_uuid(edition)}"},
        "status": "final" if meta.clinically_reviewed else "preliminary",
        # No document-type or category code is verified, so they are text.
        "type": {"text": "Consumer health article"},
        "category": [{"text": "Patient education"}],
        "date": meta.last_reviewed.isoformat(),
        "author": [author],
        "title": _string(view.section.title.text if view.section else article.title.text),
        "custodian": author,
        "section": sections,
    }
    entries = [
        {"fullUrl": f"urn:uuid:{composition['id']}", "resource": composition},
        {
            "fullUrl": f"urn:uuid:{organization}",
            "resource": {
                "resourceType": "Organization",
                "id": organization,
                "active": True,
                "name": AUTHOR_NAME,
            },
        },
    ]
    # Any change to the resources (a translation, a date) makes another document.
    document = _uuid(f"{key}/{hashlib.sha256(to_json(entries)).hexdigest()}")
    return {
        "resourceType": "Bundle",
        "id": document,
        "identifier": {"system": IDENTIFIER_SYSTEM, "value": f"urn:uuid:{document}"},
        "type": "document",
        "timestamp": f"{meta.last_reviewed.isoformat()}T00:00:00Z",
        "entry": entries,
    }


def _uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _section(element_id: str, title: str, narrative: str) -> Resource:
    return {
        "id": element_id,
        "title": _string(title),
        "text": {"status": "generated", "div": narrative},
    }


def _part(
    view: View, name: str, content: list[str], notices: tuple[SafetyNotice, ...] | None = None
) -> Resource:
    """A section under its label, with the notices given, or those of no one section."""
    notices = _general_notices(view) if notices is None else notices
    return _section(name, view.label(f"ui.{name}.heading"), _div(view, notices, content))


def _div(view: View, notices: tuple[SafetyNotice, ...], content: list[str]) -> str:
    """A narrative: the disclaimer where the placement puts it, the notices, the content."""
    top = [_disclaimer(view, "top")] if view.placement in ("top", "both") else []
    bottom = [_disclaimer(view, "bottom")] if view.placement in ("bottom", "both") else []
    return _wrap(view, [*top, _notices(view, notices), *content, *bottom])


def _wrap(view: View, parts: list[str]) -> str:
    opening = f'<div xmlns="http://www.w3.org/1999/xhtml"{_lang(view.article.locale)}>'
    return opening + "".join(parts) + "</div>"


def _lang(locale: str) -> str:
    tag = to_bcp47(locale)
    return f' lang="{tag}" xml:lang="{tag}" dir="{text_direction(locale)}"'


def _foreign(view: View, unit: TextUnit) -> str:
    """``lang``/``dir`` attributes for a unit served in another locale (a fallback)."""
    return "" if unit.locale == view.article.locale else _lang(unit.locale)


def _general_notices(view: View) -> tuple[SafetyNotice, ...]:
    """The notices for a part that is not one section: the section's, or the article-wide."""
    if view.section is not None:
        return view.notices
    return tuple(notice for notice in view.notices if ARTICLE_WIDE in notice.applies_to)


def _text(
    view: View, paragraphs: tuple[TextUnit, ...], units: Iterable[TextUnit] | None = None
) -> list[str]:
    """The paragraphs with their note markers, then the notes anchored in ``units`` (or them)."""
    parts: list[str] = []
    for unit in paragraphs:
        parts.append(f"<p{_foreign(view, unit)}>")
        for text, note in segments(view, unit):
            parts.append(escape_xhtml(text))
            if note is not None:
                parts.append(f"<sup>[{view.note_number(note)}]</sup>")
        parts.append("</p>")
    units = paragraphs if units is None else units
    notes = (note for unit in units for note in view.notes_in(unit))
    parts.append(_notes(view, tuple(notes)))
    return parts


def _inline(view: View, unit: TextUnit) -> str:
    """A unit's text within a paragraph of other texts: in a ``span`` if it is a fallback."""
    foreign = _foreign(view, unit)
    text = escape_xhtml(unit.text)
    return f"<span{foreign}>{text}</span>" if foreign else text


def _notices(view: View, notices: tuple[SafetyNotice, ...]) -> str:
    items = ""
    for notice in notices:
        severity = notice.severity.value
        label = escape_xhtml(view.label(f"ui.severity.{severity}"))
        details = _details(view, notice.as_of, notice.sources)
        items += (
            f'<p class="painread-notice painread-notice--{severity}">'
            f"<strong>{label}:</strong> {_inline(view, notice.text)}{details}</p>"
        )
    return f'<div class="painread-notices">{items}</div>' if items else ""


def _notes(view: View, notes: tuple[EditorialNote, ...]) -> str:
    if not notes:
        return ""
    label = escape_xhtml(view.label("ui.note.label"))
    items = ""
    for note in notes:
        items += (
            f'<p class="painread-note"><strong>{label} {view.note_number(note)}:</strong> '
            f"<q{_foreign(view, note.anchor)}>{escape_xhtml(note.anchor.text)}</q> "
            f"{_inline(view, note.text)}{_details(view, None, note.sources)}</p>"
        )
    return f'<div class="painread-notes">{items}</div>'


def _details(view: View, as_of: date | None, sources: tuple[str, ...]) -> str:
    """`` (As of ... Sources: ...)`` after a notice or note, or nothing; dated to the day."""
    locale = view.article.locale
    details = [view.label("ui.as-of.label", date=format_date(as_of, locale))] if as_of else []
    if sources:
        details.append(f"{view.label('ui.sources.label')}: {'; '.join(sources)}")
    if not details:
        return ""
    return f' <span class="painread-details">({escape_xhtml(". ".join(details))})</span>'


def _disclaimer(view: View, position: Literal["top", "bottom"]) -> str:
    disclaimer = view.article.disclaimer
    heading = escape_xhtml(view.label("ui.disclaimer.heading"))
    return (
        f'<div class="painread-disclaimer painread-disclaimer--{position}">'
        f"<p><strong>{heading}</strong></p>"
        f"<p{_foreign(view, disclaimer)}>{escape_xhtml(disclaimer.text)}</p></div>"
    )
