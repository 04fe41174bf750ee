from __future__ import annotations

import json
from typing import Any

import jsonschema
from tools.gen_schema import COMMAND, schema_source

import painread
from painread._files import ARTICLE_SCHEMA, data_text


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(data_text(ARTICLE_SCHEMA))
    return schema


def test_shipped_schema_matches_the_models() -> None:
    assert data_text(ARTICLE_SCHEMA) == schema_source(), f"regenerate: {COMMAND}"


def test_article_dump_validates_against_the_shipped_schema(article: painread.Article) -> None:
    jsonschema.validate(article.model_dump(mode="json"), _schema())


def test_schema_forbids_unknown_fields() -> None:
    assert _schema()["additionalProperties"] is False
