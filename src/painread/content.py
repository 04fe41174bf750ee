"""The shipped source document, and how it becomes an :class:`Article`.

The document (``data/article.json``) is the human-edited source of truth:
units carry ids, text and origin, notices name what they apply to. What can be
derived is derived here, not stored: each unit's locale, each section's
notice ids, word count and reading time.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from painread._trusted import construct
from painread.errors import ContentError
from painread.models import ARTICLE_WIDE, Article

if TYPE_CHECKING:
    import sys

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = [
    "ARTICLE_FILE",
    "SOURCE_LOCALE",
    "Translate",
    "build_article",
    "canonical_source",
    "data_root",
    "source_document",
    "source_units",
]

ARTICLE_FILE = "article.json"
SOURCE_LOCALE = "en"
WORDS_PER_MINUTE = 200

Translate = Callable[[str, str], tuple[str, str]]
"""``(unit_id, source_text) -> (text, locale)``: where each unit's text comes from."""


def data_root() -> Traversable:
    """The package's data folder, as a zip-safe Traversable.

    The standard library's :func:`importlib.resources.files` (Python 3.9+), not
    the ``importlib_resources`` backport: both give the same Traversable, and the
    backport's modules come on top of the standard library's (about 2 ms and
    0.2 MiB more on every cold start).
    """
    return files("painread") / "data"


@lru_cache(maxsize=1)
def source_document() -> Mapping[str, Any]:
    """The parsed source document (read once per process)."""
    resource = data_root() / ARTICLE_FILE
    try:
        document: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(f"cannot read the article data: {exc}", path=_shown(resource)) from exc
    return document


def source_units(document: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Every translatable unit of the source, id -> English text, in document order."""
    return {unit["id"]: unit["text"] for unit in _walk_units(document or source_document())}


def canonical_source(document: Mapping[str, Any] | None = None) -> str:
    """The source article's own text, one unit a line: what ``content_hash`` hashes."""
    article = build_article(document=document)
    return "".join(f"{unit.text}\n" for unit in article.source_units())


def content_hash(document: Mapping[str, Any] | None = None) -> str:
    """SHA-256 of :func:`canonical_source`, as stored in the article's metadata."""
    return hashlib.sha256(canonical_source(document).encode("utf-8")).hexdigest()


def build_article(
    locale: str = SOURCE_LOCALE,
    translate: Translate | None = None,
    *,
    document: Mapping[str, Any] | None = None,
    extra_notices: tuple[Mapping[str, Any], ...] = (),
    trusted: bool = False,
) -> Article:
    """Build a validated article, taking each unit's text from ``translate``.

    Args:
        locale: The locale the article is served as.
        translate: Where each unit's text and locale come from (default: English).
        document: The source document (default: the shipped one).
        extra_notices: Raw notice dicts appended to the document's notices.
        trusted: Skip validation because every input is the package's own data,
            verified by the test suite. Never set it for outside translations.

    Raises:
        ContentError: if the result fails validation (names the field at fault).
    """
    document = document or source_document()
    translate = translate or _untranslated
    payload = _localised(document, translate)
    payload["notices"] = [*payload["notices"], *extra_notices]
    _derive(payload, document, locale)
    if trusted:
        return construct(Article, payload)
    try:
        return Article.model_validate(payload)
    except ValidationError as exc:
        raise ContentError(_describe(exc), path=ARTICLE_FILE) from exc


def _untranslated(unit_id: str, text: str) -> tuple[str, str]:
    return text, SOURCE_LOCALE


def _is_unit(node: Any) -> bool:
    return isinstance(node, dict) and "id" in node and "text" in node and "origin" in node


def _walk_units(node: Any) -> Iterator[Mapping[str, Any]]:
    if _is_unit(node):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk_units(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_units(value)


def _localised(node: Any, translate: Translate) -> Any:
    if _is_unit(node):
        text, locale = translate(node["id"], node["text"])
        return {**node, "text": text, "locale": locale}
    if isinstance(node, dict):
        return {key: _localised(value, translate) for key, value in node.items()}
    if isinstance(node, list):
        return [_localised(value, translate) for value in node]
    return node


def _derive(payload: dict[str, Any], document: Mapping[str, Any], locale: str) -> None:
    source_locale = payload.pop("source_locale", SOURCE_LOCALE)
    payload["locale"] = locale
    for section in payload["sections"]:
        section["notice_ids"] = [
            notice["id"]
            for notice in payload["notices"]
            if ARTICLE_WIDE in notice["applies_to"] or section["id"] in notice["applies_to"]
        ]
    words = sum(len(text.split()) for text in _reading_texts(payload))
    payload["metadata"] = {
        **payload["metadata"],
        "source_locale": source_locale,
        "word_count": words,
        "reading_time_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
    }


def _reading_texts(payload: Mapping[str, Any]) -> Iterator[str]:
    for part in ("summary", "introduction", "conclusion"):
        yield from (unit["text"] for unit in payload[part]["paragraphs"])
    for section in payload["sections"]:
        yield section["title"]["text"]
        yield from (unit["text"] for unit in section["paragraphs"])


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "article"
        problems.append(f"{where}: {error['msg']}")
    return "invalid article content: " + "; ".join(problems)


def _shown(resource: Traversable) -> str:
    return f"painread/data/{resource.name}"
