"""The article ships compiled into a module that must stay equal to data/article.json.

If these fail after editing the JSON file, regenerate with ``python tools/gen_article.py``.
"""

from __future__ import annotations

from importlib.resources import files

from tools.gen_article import COMMAND, module_source, read_document

from painread import content
from tests.fresh_process import run_fresh

GENERATED = "_article_data.py"


def test_the_compiled_document_equals_the_json_file() -> None:
    assert content.source_document() == read_document(), f"regenerate: {COMMAND}"


def test_each_caller_gets_its_own_copy_of_the_document() -> None:
    first = content.source_document()
    first["sections"][0]["title"]["text"] = "changed"
    first["notes"].clear()
    second = content.source_document()
    assert second is not first
    assert second == read_document()
    assert second["sections"][0]["title"]["text"] != "changed"


def test_the_generated_module_is_what_the_generator_writes() -> None:
    shipped = (files("painread") / GENERATED).read_text(encoding="utf-8")
    assert shipped == module_source(read_document()), f"regenerate: {COMMAND}"


def test_serving_english_reads_no_json_file_and_no_resources() -> None:
    code = (
        "import sys, painread\n"
        "painread.render(painread.load(), 'html')\n"
        "print(sorted(m for m in ('json', 'importlib.resources') if m in sys.modules))"
    )
    printed, _ = run_fresh(code)
    assert printed == "[]"
