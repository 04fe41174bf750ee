r"""JSON-LD: a schema.org ``MedicalWebPage`` for search engines and health portals.

Its parts (``hasPart``) are ``WebPageElement`` objects with their visible text:
the disclaimer, each safety notice, section and editorial note, each tied by
``cssSelector`` to the element the HTML format renders for it. ``description``
(the search snippet) is painread's own neutral text, never the source's summary,
whose claims would appear there without their notes. ``lastReviewed`` and
``reviewedBy`` are left out while no clinician has reviewed the text; the last
editorial check is ``dateModified``, which claims no review. ``<``, ``>`` and
``&`` are written as ``\\u003c``-style escapes, so the output can sit in a
``<script type="application/ld+json">`` element that no text can close.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from typing_extensions import override

from painread.locales import to_bcp47
from painread.renderers.base import Renderer, Tagged, View, gathered, id_prefix

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class JsonLdRenderer(Renderer[Tagged]):
    """A ``MedicalWebPage`` whose parts include the disclaimer as visible text."""

    name = "jsonld"
    positional = False

    @override
    def header_block(self, view: View) -> Tagged:
        return "header", _page(view)

    @override
    def notices_block(self, view: View) -> Tagged:
        elements = []
        for notice in view.notices:
            name = view.label(f"ui.severity.{notice.severity.value}")
            selector = f"#{id_prefix(view)}-notice-{notice.id}"
            elements.append(
                _element(name, notice.text.text, selector, notice.sources, notice.as_of)
            )
        return "notices", elements

    @override
    def body_block(self, view: View) -> Tagged:
        prefix = id_prefix(view)
        elements = [
            _element(section.title.text, section.text, f"#{prefix}-section-{section.id}")
            for section in view.sections
        ]
        for note in view.notes:
            number = view.note_number(note)
            name = f"{view.label('ui.note.label')} {number}"
            elements.append(
                _element(name, note.text.text, f"#{prefix}-note-{number}", note.sources)
            )
        return "body", elements

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Tagged:
        disclaimer = view.article.disclaimer
        heading = view.label("ui.disclaimer.heading")
        element = _element(heading, disclaimer.text, ".painread-disclaimer")
        element["version"] = disclaimer.version
        return "disclaimer", element

    @override
    def join(self, view: View, blocks: Sequence[Tagged]) -> str:
        page, parts = gathered(blocks)
        page["hasPart"] = parts
        return json.dumps(page, indent=2, ensure_ascii=False).translate(_SCRIPT_SAFE)

    @override
    def encode(self, text: str) -> str:
        return json.dumps(text, ensure_ascii=False)[1:-1].translate(_SCRIPT_SAFE)


def _page(view: View) -> dict[str, Any]:
    article = view.article
    meta = article.metadata
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.section.title.text if view.section else article.title.text,
        "description": article.label("ui.page.description"),
        "inLanguage": to_bcp47(article.locale),
        "datePublished": meta.published.isoformat(),
        "dateModified": meta.last_reviewed.isoformat(),
        "version": meta.version,
        "about": {"@type": "Substance", "name": "Kratom", "alternateName": "Mitragyna speciosa"},
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "wordCount": meta.word_count,
    }
    if meta.reviewed_by is not None:
        page["lastReviewed"] = meta.last_reviewed.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": meta.reviewed_by}
    if view.section is not None:
        del page["wordCount"]
        page["isPartOf"] = {"@type": "MedicalWebPage", "name": article.title.text}
    return page


def _element(
    name: str, text: str, selector: str, sources: tuple[str, ...] = (), as_of: date | None = None
) -> dict[str, Any]:
    """A ``WebPageElement``: the text of the HTML element that ``selector`` finds."""
    element: dict[str, Any] = {
        "@type": "WebPageElement",
        "name": name,
        "text": text,
        "cssSelector": selector,
    }
    if as_of is not None:
        element["dateModified"] = f"{as_of:%Y-%m}"
    if sources:
        element["citation"] = list(sources)
    return element
