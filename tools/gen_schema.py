"""Write the shipped JSON Schemas: of the article models, and of the ``json`` format's output.

Run ``python tools/gen_schema.py`` after changing :mod:`painread.models` or
:mod:`painread.renderers.jsonfmt`; a test fails, naming this command, while a
shipped file differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from painread.models import Article
from painread.renderers.jsonfmt import json_schema

DATA = Path(__file__).resolve().parent.parent / "src" / "painread" / "data"
COMMAND = "python tools/gen_schema.py"


def _text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_source() -> str:
    """``article.schema.json`` as the models define it now."""
    return _text(Article.model_json_schema())


def render_schema_source() -> str:
    """``render.schema.json`` as the ``json`` format's models define it now."""
    return _text(json_schema())


if __name__ == "__main__":
    for name, text in (("article", schema_source()), ("render", render_schema_source())):
        (DATA / f"{name}.schema.json").write_text(text, encoding="utf-8")
        print(f"wrote {name}.schema.json", file=sys.stderr)
