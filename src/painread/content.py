"""The shipped source document, and how it becomes an [`Article`][painread.Article].

The document (``data/article.json``, compiled into `painread._article_data`
so serving it needs no JSON parser) is the human-edited source of truth. What
can be derived is derived here: each unit's locale, each section's notice ids,
word count and reading time. The package's own data, verified by the test
suite, is built with `construct` instead of full validation; anything
from outside the package goes through ``model_validate``.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from painread.errors import ContentError
from painread.models import ARTICLE_WIDE, Article

ARTICLE_FILE = "article.json"
WORDS_PER_MINUTE = 238
"""Adult silent reading of English non-fiction (Brysbaert 2019, "How many words do we read
per minute?", Journal of Memory and Language). A faithful translation takes about as long to
read as the English it translates, so every locale's reading time comes from the English count.
"""

Translate = Callable[[str, str], "tuple[str, str] | None"]
"""``(unit_id, source_text) -> (text, locale)``, or ``None`` to keep the source text."""
Model = TypeVar("Model", bound=BaseModel)
Convert = Callable[[Any], Any]
"""Turns one JSON value into the value a field holds (a tuple, an enum, a date...)."""


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
    payload = _localised(document, translate or (lambda unit_id, text: None), source_locale)
    payload["notices"] = [*payload["notices"], *extra_notices]
    _derive(payload, locale or source_locale, _words_shown(document))
    if trusted:
        return construct(Article, payload)
    try:
        return Article.model_validate(payload)
    except ValidationError as exc:
        raise ContentError(_describe(exc), path=ARTICLE_FILE) from exc


def _localised(node: Any, translate: Translate, source_locale: str) -> Any:
    if isinstance(node, dict) and "id" in node and "text" in node and "origin" in node:
        text, locale = translate(node["id"], node["text"]) or (node["text"], source_locale)
        return {**node, "text": text, "locale": locale}
    if isinstance(node, dict):
        return {key: _localised(value, translate, source_locale) for key, value in node.items()}
    if isinstance(node, list):
        return [_localised(value, translate, source_locale) for value in node]
    return node


def _derive(payload: dict[str, Any], locale: str, words: int) -> None:
    source_locale = payload.pop("source_locale")
    payload["locale"] = locale
    for section in payload["sections"]:
        section["notice_ids"] = [
            notice["id"]
            for notice in payload["notices"]
            if ARTICLE_WIDE in notice["applies_to"] or section["id"] in notice["applies_to"]
        ]
    payload["metadata"] = {
        **payload["metadata"],
        "source_locale": source_locale,
        "word_count": words,
        "reading_time_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
    }


def _words_shown(document: Mapping[str, Any]) -> int:
    """English words of everything a reader may be shown: every unit and every source named.

    The English document, not the translation, because reading rates across languages
    follow how many words each needs for the same content.
    """
    sources = [
        name for item in (*document["notices"], *document["notes"]) for name in item["sources"]
    ]
    return sum(len(text.split()) for text in (*_unit_texts(document), *sources))


def _unit_texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict) and "id" in node and "text" in node and "origin" in node:
        yield node["text"]
    elif isinstance(node, dict):
        for value in node.values():
            yield from _unit_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _unit_texts(value)


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "article"
        problems.append(f"{where}: {error['msg']}")
    return "invalid article content: " + "; ".join(problems)


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
    """The converter of every field that needs one, worked out once per model class.

    Reading the annotations again for every object would cost more than the
    construction itself (an article has about 70 model objects).
    """
    plan: dict[str, Convert] = {}
    for name, field in model.model_fields.items():
        convert = _converter(field.annotation)
        if convert is not None:
            plan[name] = convert
    return plan


def _converter(annotation: Any) -> Convert | None:
    """How to convert a JSON value to ``annotation``; ``None`` when it is used as is."""
    origin = get_origin(annotation)
    if origin is tuple:
        item = _converter(get_args(annotation)[0])
        return tuple if item is None else lambda values: tuple(map(item, values))
    if origin is Union or origin is types.UnionType:  # optional fields: construct() keeps None
        (kind,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _converter(kind)
    if isinstance(annotation, type):
        return _scalar(annotation)
    return None


def _scalar(annotation: type) -> Convert | None:
    if issubclass(annotation, BaseModel):
        model: type[BaseModel] = annotation
        return lambda value: construct(model, value)
    if issubclass(annotation, Enum):
        return annotation
    if issubclass(annotation, date):
        return date.fromisoformat
    return None
