"""The shipped source document, and how it becomes an [`Article`][painread.Article].

The document (``data/article.json``, compiled into `painread._article_data` so serving it
needs no JSON parser) is the human-edited source of truth. What can be derived is derived
here: each unit's locale, each section's notice ids, word count and reading time. The
package's own data, verified by the test suite, is built with `construct` instead of full
validation; anything from outside the package goes through ``model_validate``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from functools import cache, partial
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from painread.errors import ContentError
from painread.models import ARTICLE_WIDE, Article

WORDS_PER_MINUTE = 238
"""Adult silent reading of English non-fiction (Brysbaert 2019, "How many words do we read
per minute?", Journal of Memory and Language). A faithful translation takes about as long to
read as the English it translates, so every locale's reading time comes from the English count.
"""

Translate = Callable[[str, str], "tuple[str, str] | None"]
"""``(unit_id, source_text) -> (text, locale)``, or ``None`` to keep the source text."""
Model = TypeVar("Model", bound=BaseModel)
Convert = Callable[[Any], Any]  # one JSON value to the value a field holds


def source_document() -> dict[str, Any]:
    """A new copy of the source document each call, so a caller may change it freely."""
    from painread._article_data import document

    return document()


def build_article(
    locale: str | None = None,
    translate: Translate | None = None,
    *,
    document: Mapping[str, Any] | None = None,
    extra_notices: tuple[Mapping[str, Any], ...] = (),
    trusted: bool = False,
) -> Article:
    """Build a validated article, taking each unit's text from ``translate``.

    Args:
        locale: The locale the article is served as (default: the source's).
        translate: Where each unit's text and locale come from (default: the source).
        document: The source document (default: the shipped one).
        extra_notices: Raw notice dicts appended to the document's notices.
        trusted: Skip validation because every input is the package's own data,
            verified by the test suite. Never set it for outside translations.

    Raises:
        ContentError: if the result fails validation (names the field at fault).
    """
    document = document or source_document()
    source_locale = document["source_locale"]
    english: list[str] = []
    payload = _localised(
        document, translate or (lambda unit_id, text: None), source_locale, english
    )
    del payload["source_locale"]
    payload["locale"] = locale or source_locale
    notices = payload["notices"] = [*payload["notices"], *extra_notices]
    for section in payload["sections"]:
        section["notice_ids"] = [
            notice["id"]
            for notice in notices
            if ARTICLE_WIDE in notice["applies_to"] or section["id"] in notice["applies_to"]
        ]
    # The English words of everything a reader may be shown, every unit and every source named:
    # reading rates across languages follow how many words each needs for the same content.
    sources = [
        name for item in (*document["notices"], *document["notes"]) for name in item["sources"]
    ]
    words = sum(len(text.split()) for text in (*english, *sources))
    payload["metadata"] = {
        **payload["metadata"],
        "source_locale": source_locale,
        "word_count": words,
        "reading_time_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
    }
    if trusted:
        return construct(Article, payload)
    try:
        return Article.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or 'article'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ContentError(f"invalid article content: {problems}", path="article.json") from exc


def _localised(node: Any, translate: Translate, locale: str, english: list[str]) -> Any:
    """A copy of ``node`` with every unit translated; the source texts go to ``english``."""
    if isinstance(node, dict) and "id" in node and "text" in node and "origin" in node:
        english.append(node["text"])
        text, unit_locale = translate(node["id"], node["text"]) or (node["text"], locale)
        return {**node, "text": text, "locale": unit_locale}
    if isinstance(node, dict):
        return {key: _localised(value, translate, locale, english) for key, value in node.items()}
    if isinstance(node, list):
        return [_localised(value, translate, locale, english) for value in node]
    return node


def construct(model: type[Model], data: dict[str, Any]) -> Model:
    """``model.model_construct`` applied recursively, converting JSON values to field types."""
    plan = _plan(model)
    values = {
        name: value if (convert := plan.get(name)) is None or value is None else convert(value)
        for name, value in data.items()
    }
    return model.model_construct(**values)


@cache
def _plan(model: type[BaseModel]) -> dict[str, Convert]:
    """The converter of every field that needs one, once per class, not per object (~70)."""
    return {
        name: convert
        for name, field in model.model_fields.items()
        if (convert := _converter(field.annotation)) is not None
    }


def _converter(annotation: Any) -> Convert | None:
    """How to convert a JSON value to ``annotation``; ``None`` when it is used as is."""
    args = get_args(annotation)
    if get_origin(annotation) is tuple:
        item = _converter(args[0])
        return tuple if item is None else lambda values: tuple(map(item, values))
    if type(None) in args:  # an optional field: construct() keeps None
        (kind,) = set(args) - {type(None)}
        return _converter(kind)
    if not isinstance(annotation, type):
        return None
    if issubclass(annotation, BaseModel):
        return partial(construct, annotation)
    if issubclass(annotation, Enum):
        return annotation
    return date.fromisoformat if issubclass(annotation, date) else None
