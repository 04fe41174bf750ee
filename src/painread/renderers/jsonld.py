r"""JSON-LD: a schema.org ``MedicalWebPage`` for search engines and health portals.

The page's parts (``hasPart``) are ``WebPageElement`` objects: the disclaimer,
each safety notice, each section and each editorial note, with their visible
text. ``cssSelector`` ties each part to the element the HTML format renders for
it, so a page that embeds both says which text is which.

Search engines show ``description`` as the snippet under the title, so it is a
neutral description of painread's own, never the source's summary (whose claims
would appear there without their notes). ``lastReviewed`` and ``reviewedBy``
are left out while no clinician has reviewed the text: the date of the last
editorial check is ``dateModified``, which claims no review.

The output is meant for ``<script type="application/ld+json">``: ``<``, ``>``
and ``&`` are written as ``\\u003c``-style escapes, so no text can close the
script element. The JSON is unchanged for any parser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from typing_extensions import override

from painread.locales import to_bcp47
from painread.models import Article, EditorialNote, SafetyNotice, Section
from painread.renderers.base import Renderer, View, id_prefix

Block = tuple[str, Any]
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_ABOUT = {"@type": "Substance", "name": "Kratom", "alternateName": "Mitragyna speciosa"}
_AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}


class JsonLdRenderer(Renderer[Block]):
    """A ``MedicalWebPage`` whose parts include the disclaimer as visible text."""

    name = "jsonld"
    positional = False

    @override
    def header_block(self, view: View) -> Block:
        return "header", _page(view)

    @override
    def notices_block(self, view: View) -> Block:
        prefix = id_prefix(view)
        return "notices", [_notice(view.article, notice, prefix) for notice in view.notices]

    @override
    def body_block(self, view: View) -> Block:
        sections = [_section(section, id_prefix(view)) for section in view.sections]
        return "body", sections + [_note(view, note) for note in view.notes]

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Block:
        article = view.article
        element = {
            "@type": "WebPageElement",
            "name": article.label("ui.disclaimer.heading"),
            "text": article.disclaimer.text,
            "cssSelector": ".painread-disclaimer",
            "version": article.disclaimer.version,
        }
        return "disclaimer", element

    @override
    def join(self, view: View, blocks: Sequence[Block]) -> str:
        page: dict[str, Any] = {}
        parts: list[Any] = []
        disclaimer_shown = False
        for kind, value in blocks:
            if kind == "header":
                page = value
            elif kind == "disclaimer":
                parts += [] if disclaimer_shown else [value]
                disclaimer_shown = True
            else:
                parts += value
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
        "about": _ABOUT,
        "audience": _AUDIENCE,
        "wordCount": meta.word_count,
    }
    if meta.reviewed_by is not None:
        page["lastReviewed"] = meta.last_reviewed.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": meta.reviewed_by}
    if view.section is not None:
        del page["wordCount"]
        page["isPartOf"] = {"@type": "MedicalWebPage", "name": article.title.text}
    return page


def _notice(article: Article, notice: SafetyNotice, prefix: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "@type": "WebPageElement",
        "name": article.label(f"ui.severity.{notice.severity.value}"),
        "text": notice.text.text,
        "cssSelector": f"#{prefix}-notice-{notice.id}",
    }
    if notice.as_of is not None:
        element["dateModified"] = f"{notice.as_of:%Y-%m}"
    if notice.sources:
        element["citation"] = list(notice.sources)
    return element


def _section(section: Section, prefix: str) -> dict[str, Any]:
    return {
        "@type": "WebPageElement",
        "name": section.title.text,
        "text": section.text,
        "cssSelector": f"#{prefix}-section-{section.id}",
    }


def _note(view: View, note: EditorialNote) -> dict[str, Any]:
    number = view.note_number(note)
    element: dict[str, Any] = {
        "@type": "WebPageElement",
        "name": f"{view.article.label('ui.note.label')} {number}",
        "text": note.text.text,
        "cssSelector": f"#{id_prefix(view)}-note-{number}",
    }
    if note.sources:
        element["citation"] = list(note.sources)
    return element
