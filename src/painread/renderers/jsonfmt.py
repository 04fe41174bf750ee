"""JSON: one object for apps that lay the article out themselves.

The models below write the output and generate its JSON Schema (shipped as
``painread/data/render.schema.json``). ``schema`` names the shape's version,
``view`` whether ``article`` or ``section`` is present; the disclaimer is
carried once, with the placement the host must give it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import override

from painread.locales import Direction, text_direction
from painread.models import (
    Disclaimer,
    EditorialNote,
    Metadata,
    Passage,
    SafetyNotice,
    Section,
    Summary,
    TextUnit,
)
from painread.renderers.base import Placement, Renderer, Tagged, View

SCHEMA_VERSION: Final = "painread.render/1"


class _Output(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        defer_build=True,
        json_schema_serialization_defaults_required=True,
    )


class PlacedDisclaimer(Disclaimer):
    """The disclaimer with where the host must show it and its translated heading."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    text: str = Field(pattern=r"\S")
    placement: Placement
    heading: str


class NumberedNote(EditorialNote):
    """An editorial note with the number its marker carries in the page formats."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    number: int = Field(ge=1)


class ArticleContent(_Output):
    """The article's text, in reading order."""

    id: str
    title: TextUnit
    summary: Summary
    introduction: Passage
    sections: tuple[Section, ...]
    conclusion: Passage


class _Document(_Output):
    schema_: Literal["painread.render/1"] = Field(default=SCHEMA_VERSION, alias="schema")
    view: Literal["article", "section"]
    locale: str
    direction: Direction
    notices: tuple[SafetyNotice, ...]
    notes: tuple[NumberedNote, ...]
    disclaimer: PlacedDisclaimer
    labels: dict[str, str]
    metadata: Metadata


class ArticleDocument(_Document):
    """The whole article with everything that must travel with it."""

    view: Literal["article"] = "article"
    article: ArticleContent


class SectionDocument(_Document):
    """One section, with the notices and notes that apply to it, and the disclaimer."""

    view: Literal["section"] = "section"
    article_id: str
    article_title: TextUnit
    section: Section


RenderedDocument = Annotated[ArticleDocument | SectionDocument, Field(discriminator="view")]
"""What the ``json`` format writes: an article or a section document."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the ``json`` format's output, generated from the models."""
    schema = TypeAdapter(RenderedDocument).json_schema(mode="serialization", by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "painread rendered document",
        "description": f"Output of painread.render(article, 'json'), version {SCHEMA_VERSION}.",
        **schema,
    }


class JsonRenderer(Renderer[Tagged]):
    """One JSON object, built from ``model_dump(mode="json")`` of the article's models."""

    name = "json"
    positional = False

    @override
    def header_block(self, view: View) -> Tagged:
        return "header", None

    @override
    def notices_block(self, view: View) -> Tagged:
        return "notices", view.notices

    @override
    def body_block(self, view: View) -> Tagged:
        article = view.article
        if view.section is not None:
            fields = {"article_id": article.id, "article_title": article.title}
            return "body", {**fields, "section": view.section}
        content = {name: getattr(article, name) for name in ArticleContent.model_fields}
        return "body", {"article": ArticleContent.model_construct(**content)}

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Tagged:
        article = view.article
        disclaimer = PlacedDisclaimer.model_construct(
            **dict(article.disclaimer),
            placement=view.placement,
            heading=article.label("ui.disclaimer.heading"),
        )
        return "disclaimer", disclaimer

    @override
    def join(self, view: View, blocks: Sequence[Tagged]) -> str:
        article = view.article
        parts = dict(blocks)
        notes = (
            NumberedNote.model_construct(**dict(note), number=view.note_number(note))
            for note in view.notes
        )
        document = (ArticleDocument if view.whole_article else SectionDocument).model_construct(
            locale=article.locale,
            direction=text_direction(article.locale),
            notices=parts.get("notices", ()),
            notes=tuple(notes),
            disclaimer=parts["disclaimer"],
            labels={unit.id: unit.text for unit in article.labels},
            metadata=article.metadata,
            **parts["body"],
        )
        dumped = document.model_dump(mode="json", by_alias=True)
        return json.dumps(dumped, indent=2, ensure_ascii=False)

    @override
    def encode(self, text: str) -> str:
        return json.dumps(text, ensure_ascii=False)[1:-1]
