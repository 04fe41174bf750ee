from __future__ import annotations

import jsonschema

import painread
from painread.schema import article_schema, generate_article_schema, schema_text


def test_shipped_schema_matches_the_models() -> None:
    assert schema_text() == generate_article_schema(), (
        "regenerate: python -m painread.schema > src/painread/data/article.schema.json"
    )


def test_article_dump_validates_against_the_shipped_schema(article: painread.Article) -> None:
    jsonschema.validate(article.model_dump(mode="json"), article_schema())


def test_schema_forbids_unknown_fields() -> None:
    assert article_schema()["additionalProperties"] is False
