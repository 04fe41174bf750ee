"""Write ``src/painread/data/article.schema.json``: the JSON Schema of the article models.

Run ``python tools/gen_schema.py`` after changing :mod:`painread.models`; a
test fails, naming this command, while the shipped file differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from painread.models import Article

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "painread" / "data" / "article.schema.json"
COMMAND = "python tools/gen_schema.py"


def schema_source() -> str:
    """The schema as the models define it now, formatted like the shipped file."""
    return json.dumps(Article.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(schema_source(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
