"""The JSON Schema of :class:`~painread.models.Article`, shipped as package data.

Hosts that consume the JSON output validate against the shipped file without
importing pydantic; a test keeps it equal to what the models generate.
Regenerate with ``python -m painread.schema > src/painread/data/article.schema.json``.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

__all__ = ["SCHEMA_FILE", "article_schema", "generate_article_schema", "schema_text"]

SCHEMA_FILE = "article.schema.json"


def schema_text() -> str:
    """The shipped schema file, verbatim."""
    return (files("painread") / "data" / SCHEMA_FILE).read_text(encoding="utf-8")


def article_schema() -> dict[str, Any]:
    """The shipped schema, parsed."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


def generate_article_schema() -> str:
    """The schema as the models define it now, formatted like the shipped file."""
    from painread.models import Article

    return json.dumps(Article.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(generate_article_schema(), end="")
