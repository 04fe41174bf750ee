"""FHIR R4: the article as a document ``Bundle`` for patient portals and EHRs.

The output is a ``Bundle`` of type ``document``: a ``Composition`` first, then
the ``Organization`` that wrote painread's own text (its editors; no person is
named). The Composition has one ``section`` per part of what is shown
(notices, summary, introduction, each section, conclusion, editorial notes,
disclaimer), and every narrative, the Composition's own and each section's,
carries the disclaimer and the notices that apply to that part, so a portal
that shows one section alone still shows them. ``docs/fhir.md`` says which
elements are filled and why.

The JSON is built directly, with no FHIR library: the tests validate every
output with ``fhir.resources``. It is deterministic: ids are UUID5 values of
the content hash, locale, view and placement (the Bundle's also of a digest of
its resources, so any change makes a new document), and the only timestamp is
the date of the last editorial review, never the clock. Codes appear only
where FHIR itself fixes the value (``Bundle.type``, ``Composition.status``,
``Narrative.status``); the document's type and category are text.

Narratives are FHIR's XHTML subset: ``p``, ``div``, ``span``, ``strong``,
``q`` and ``sup``, with ``class``, ``lang``, ``xml:lang`` and ``dir`` only; no
script, style, event attribute or link. Code points XML forbids become U+FFFD.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

from pydantic_core import to_json
from typing_extensions import override

from painread.locales import format_date, format_duration, text_direction, to_bcp47
from painread.models import ARTICLE_WIDE, EditorialNote, SafetyNotice, TextUnit
from painread.renderers.base import Renderer, View, displayable, segments

__all__ = ["FhirRenderer", "escape_xhtml"]

XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986"
"""FHIR's system for identifiers that are URIs themselves (here ``urn:uuid:...``)."""
AUTHOR_NAME = "painread maintainers"
"""The ``Organization`` that wrote the title, notices, notes and disclaimer."""
DOCUMENT_TYPE = "Consumer health article"
"""``Composition.type`` as text: no document-type code is verified, so none is given."""
DOCUMENT_CATEGORY = "Patient education"
"""``Composition.category`` as text, for the same reason."""

_NAMESPACE = uuid.UUID("17f79e06-4311-42bb-a14d-3d82590f0d28")
"""painread's namespace for the UUID5 ids of its FHIR resources."""
_XHTML_SPECIAL = re.compile("[&<>]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

Block = tuple[str, Any]
Resource = dict[str, Any]


def escape_xhtml(text: str) -> str:
    """Text as XHTML character data that displays as written.

    ``&``, ``<`` and ``>`` become entities; code points XML forbids (and those
    HTML forbids) become U+FFFD.
    """
    text = _string(text)
    if "&" in text or "<" in text or ">" in text:
        text = _XHTML_SPECIAL.sub(lambda match: _ENTITIES[match.group()], text)
    return text


def _string(text: str) -> str:
    """A FHIR ``string`` value: the text with the code points XML forbids replaced."""
    return displayable(text, "\x0c")  # XML also forbids the form feed


class FhirRenderer(Renderer[Block]):
    """A FHIR R4 document ``Bundle`` whose every narrative carries the disclaimer.

    Blocks are ``(kind, value)`` pairs: the header is the Composition's own
    narrative, the other blocks are Composition sections. The disclaimer is
    placed in every narrative (top, bottom or both); its own section comes first
    for ``"top"`` and ``"both"``, last for ``"bottom"``.
    """

    name = "fhir"

    @override
    def header_block(self, view: View) -> Block:
        article = view.article
        content = [_heading(view, "painread-title", article.title)]
        if view.section is not None:
            content.append(_heading(view, "painread-section-title", view.section.title))
        content.append(f'<p class="painread-byline">{escape_xhtml(_byline(view))}</p>')
        content += _notes(view, _notes_in(view, (article.title,)))
        return "header", _div(view, _general_notices(view), content)

    @override
    def notices_block(self, view: View) -> Block:
        narrative = _div(view, (), _notices(view, view.notices))
        return "notices", _section("notices", view.label("ui.notices.heading"), narrative)

    @override
    def body_block(self, view: View) -> Block:
        article = view.article
        sections: list[Resource] = []
        if view.whole_article:
            sections.append(_passage(view, "summary", article.summary.paragraphs))
            sections.append(_passage(view, "introduction", article.introduction.paragraphs))
        for section in view.sections:
            applying = tuple(
                notice for notice in view.notices if notice.applies_to_section(section.id)
            )
            content = _paragraphs(view, section.paragraphs)
            content += _notes(view, _notes_in(view, tuple(section.units())))
            narrative = _div(view, applying, content)
            sections.append(_section(f"section-{section.id}", section.title.text, narrative))
        if view.whole_article:
            sections.append(_passage(view, "conclusion", article.conclusion.paragraphs))
        if view.notes:
            narrative = _div(view, _general_notices(view), _notes(view, view.notes))
            sections.append(_section("notes", view.label("ui.notes.heading"), narrative))
        return "body", sections

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Block:
        notices = _notices(view, _general_notices(view))
        disclaimer = _disclaimer(view, position)
        content = [disclaimer, *notices] if position == "top" else [*notices, disclaimer]
        narrative = _wrap(view, content)
        return "disclaimer", _section("disclaimer", view.label("ui.disclaimer.heading"), narrative)

    @override
    def join(self, view: View, blocks: Sequence[Block]) -> str:
        sections: list[Resource] = []
        header = ""
        for kind, value in blocks:
            if kind == "header":
                header = value
            elif kind == "body":
                sections += value
            elif kind != "disclaimer" or all(s["id"] != "disclaimer" for s in sections):
                sections.append(value)
        # pydantic_core, loaded with the models, writes what json.dumps(indent=2,
        # ensure_ascii=False) would, without importing json on a cold render.
        return to_json(_bundle(view, header, sections), indent=2).decode()

    @override
    def encode(self, text: str) -> str:
        return to_json(escape_xhtml(text)).decode()[1:-1]


# --- the resources ------------------------------------------------------------------


def _bundle(view: View, header: str, sections: list[Resource]) -> Resource:
    article = view.article
    meta = article.metadata
    key = f"{_composition_key(view)}/{view.placement}"
    organization = _uuid("organization")
    composition: Resource = {
        "resourceType": "Composition",
        "id": _uuid(key),
        "language": to_bcp47(article.locale),
        "text": {"status": "generated", "div": header},
        "identifier": _identifier(_uuid(_composition_key(view))),
        "status": "final" if meta.clinically_reviewed else "preliminary",
        "type": {"text": DOCUMENT_TYPE},
        "category": [{"text": DOCUMENT_CATEGORY}],
        "date": meta.last_reviewed.isoformat(),
        "author": [{"reference": f"urn:uuid:{organization}", "display": AUTHOR_NAME}],
        "title": _string(view.section.title.text if view.section else article.title.text),
        "custodian": {"reference": f"urn:uuid:{organization}", "display": AUTHOR_NAME},
        "section": sections,
    }
    author: Resource = {
        "resourceType": "Organization",
        "id": organization,
        "active": True,
        "name": AUTHOR_NAME,
    }
    entries = [
        {"fullUrl": f"urn:uuid:{composition['id']}", "resource": composition},
        {"fullUrl": f"urn:uuid:{organization}", "resource": author},
    ]
    document = _uuid(f"{key}/{_digest(entries)}")
    return {
        "resourceType": "Bundle",
        "id": document,
        "identifier": _identifier(document),
        "type": "document",
        "timestamp": _midnight_utc(meta.last_reviewed),
        "entry": entries,
    }


def _identifier(value: str) -> Resource:
    return {"system": IDENTIFIER_SYSTEM, "value": f"urn:uuid:{value}"}


def _uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _composition_key(view: View) -> str:
    """What the Composition is: this edition of the text, in this locale, this view."""
    article = view.article
    shown = view.section.id if view.section is not None else ARTICLE_WIDE
    return f"{article.metadata.content_hash}/{article.locale}/{shown}"


def _digest(entries: list[Resource]) -> str:
    """SHA-256 of the document's resources: any change to them (a translation, a date) shows."""
    return hashlib.sha256(to_json(entries)).hexdigest()


def _midnight_utc(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _section(element_id: str, title: str, narrative: str) -> Resource:
    return {
        "id": element_id,
        "title": _string(title),
        "text": {"status": "generated", "div": narrative},
    }


# --- the narratives -----------------------------------------------------------------


def _div(view: View, notices: tuple[SafetyNotice, ...], content: list[str]) -> str:
    """A narrative: the disclaimer where the placement puts it, the notices, the content."""
    parts: list[str] = []
    if view.placement in ("top", "both"):
        parts.append(_disclaimer(view, "top"))
    parts += _notices(view, notices)
    parts += content
    if view.placement in ("bottom", "both"):
        parts.append(_disclaimer(view, "bottom"))
    return _wrap(view, parts)


def _wrap(view: View, parts: list[str]) -> str:
    tag = to_bcp47(view.article.locale)
    direction = text_direction(view.article.locale)
    opening = f'<div xmlns="{XHTML_NAMESPACE}" lang="{tag}" xml:lang="{tag}" dir="{direction}">'
    return opening + "".join(parts) + "</div>"


def _general_notices(view: View) -> tuple[SafetyNotice, ...]:
    """The notices for a part that is not one section: the section's, or the article-wide."""
    if view.section is not None:
        return view.notices
    return tuple(notice for notice in view.notices if ARTICLE_WIDE in notice.applies_to)


def _passage(view: View, name: str, paragraphs: tuple[TextUnit, ...]) -> Resource:
    content = _paragraphs(view, paragraphs) + _notes(view, _notes_in(view, paragraphs))
    narrative = _div(view, _general_notices(view), content)
    return _section(name, view.label(f"ui.{name}.heading"), narrative)


def _paragraphs(view: View, units: Iterable[TextUnit]) -> list[str]:
    parts: list[str] = []
    for unit in units:
        parts.append(f"<p{_foreign(view, unit)}>")
        for text, note in segments(view, unit):
            parts.append(escape_xhtml(text))
            if note is not None:
                parts.append(f"<sup>[{view.note_number(note)}]</sup>")
        parts.append("</p>")
    return parts


def _heading(view: View, css_class: str, title: TextUnit) -> str:
    text = escape_xhtml(title.text)
    return f'<p class="{css_class}"{_foreign(view, title)}><strong>{text}</strong></p>'


def _foreign(view: View, unit: TextUnit) -> str:
    """``lang``/``dir`` attributes for a unit served in another locale (a fallback)."""
    if unit.locale == view.article.locale:
        return ""
    tag = to_bcp47(unit.locale)
    return f' lang="{tag}" xml:lang="{tag}" dir="{text_direction(unit.locale)}"'


def _inline(view: View, unit: TextUnit) -> str:
    """A unit's text within a paragraph of other texts: in a ``span`` if it is a fallback."""
    foreign = _foreign(view, unit)
    text = escape_xhtml(unit.text)
    return f"<span{foreign}>{text}</span>" if foreign else text


def _byline(view: View) -> str:
    article = view.article
    meta = article.metadata
    reviewed = format_date(meta.last_reviewed, article.locale)
    line = view.label("ui.last-reviewed.label", date=reviewed)
    if view.whole_article:
        duration = format_duration(meta.reading_time_minutes, article.locale)
        line += " · " + view.label("ui.reading-time.label", duration=duration)
    return line


def _notices(view: View, notices: tuple[SafetyNotice, ...]) -> list[str]:
    if not notices:
        return []
    parts = ['<div class="painread-notices">']
    for notice in notices:
        severity = notice.severity.value
        label = escape_xhtml(view.label(f"ui.severity.{severity}"))
        parts.append(
            f'<p class="painread-notice painread-notice--{severity}">'
            f"<strong>{label}:</strong> {_inline(view, notice.text)}"
        )
        parts.append(_details(view, notice.as_of, notice.sources))
        parts.append("</p>")
    parts.append("</div>")
    return parts


def _notes_in(view: View, units: Iterable[TextUnit]) -> tuple[EditorialNote, ...]:
    return tuple(note for unit in units for note in view.notes_in(unit))


def _notes(view: View, notes: tuple[EditorialNote, ...]) -> list[str]:
    if not notes:
        return []
    label = escape_xhtml(view.label("ui.note.label"))
    parts = ['<div class="painread-notes">']
    for note in notes:
        parts.append(
            f'<p class="painread-note"><strong>{label} {view.note_number(note)}:</strong> '
            f"<q{_foreign(view, note.anchor)}>{escape_xhtml(note.anchor.text)}</q> "
            f"{_inline(view, note.text)}"
        )
        parts.append(_details(view, None, note.sources))
        parts.append("</p>")
    parts.append("</div>")
    return parts


def _details(view: View, as_of: date | None, sources: tuple[str, ...]) -> str:
    """`` (As of ... Sources: ...)`` after a notice or note, or nothing."""
    details: list[str] = []
    if as_of is not None:
        details.append(view.label("ui.as-of.label", date=format_date(as_of, view.article.locale)))
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
