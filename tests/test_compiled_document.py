"""The article ships compiled into a module that must stay equal to data/article.json.

If these fail after editing the JSON file, regenerate with
``python -m painread.content > src/painread/_article_data.py``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painread import content
from painread._pysource import literal, quoted
from painread.errors import ContentError
from tests.fresh_process import run_fresh

GENERATED = "_article_data.py"


def test_the_compiled_document_equals_the_json_file() -> None:
    assert content.source_document() == content.read_document()


def test_each_caller_gets_its_own_copy_of_the_document() -> None:
    first = content.source_document()
    first["sections"][0]["title"]["text"] = "changed"
    first["notes"].clear()
    second = content.source_document()
    assert second is not first
    assert second == content.read_document()
    assert second["sections"][0]["title"]["text"] != "changed"


def test_the_generated_module_is_what_the_generator_writes() -> None:
    shipped = (files("painread") / GENERATED).read_text(encoding="utf-8")
    assert shipped == content.document_module(content.read_document())


def test_the_generator_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "painread.content"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    shipped = (files("painread") / GENERATED).read_bytes()
    assert result.stdout.replace(b"\r\n", b"\n") == shipped


def test_serving_english_reads_no_json_file_and_no_resources() -> None:
    code = (
        "import sys, painread\n"
        "painread.render(painread.load(), 'html')\n"
        "print(sorted(m for m in ('json', 'importlib.resources') if m in sys.modules))"
    )
    printed, _ = run_fresh(code)
    assert printed == "[]"


def test_an_unreadable_json_file_is_a_content_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / content.ARTICLE_FILE).write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(content, "data_root", lambda: tmp_path)
    with pytest.raises(ContentError, match="cannot read the article data") as caught:
        content.read_document()
    assert caught.value.path == "painread/data/article.json"


def test_a_missing_json_file_is_a_content_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(content, "data_root", lambda: tmp_path)
    with pytest.raises(ContentError, match="cannot read the article data"):
        content.read_document()


_SCALARS = st.none() | st.booleans() | st.integers() | st.text()
_DATA = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_DATA)
def test_literals_read_back_as_the_same_value(value: object) -> None:
    assert ast.literal_eval(literal(value)) == value


@given(st.text())
def test_quoted_strings_read_back_as_the_same_text(text: str) -> None:
    assert ast.literal_eval(quoted(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"plain"'),
        ("it's", '"it\'s"'),
        ('say "x"', "'say \"x\"'"),
        ("both \" and '", '"both \\" and \'"'),
        ("tab\tline\nend\\", '"tab\\tline\\nend\\\\"'),
        ("\x00\x7f", '"\\x00\\x7f"'),
    ],
)
def test_quotes_are_the_ones_the_formatter_prefers(text: str, expected: str) -> None:
    assert quoted(text) == expected


def test_containers_are_expanded_one_item_a_line() -> None:
    assert literal({"a": [1, None], "b": (), "c": {}, "d": ("x",)}) == (
        '{\n    "a": [\n        1,\n        None,\n    ],\n    "b": (),\n    "c": {},\n'
        '    "d": ("x",),\n}'
    )


@pytest.mark.parametrize(("value", "name"), [(1.5, "float"), (b"ab", "bytes"), ({1, 2}, "set")])
def test_other_types_have_no_literal(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=name):
        literal(value)


@pytest.mark.slow
def test_the_formatter_leaves_generated_source_unchanged(tmp_path: Path) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed beside this interpreter")
    sample = tmp_path / "sample.py"
    value = {"q": ['say "x"', "it's", "tab\t"], "n": [None, True, 3], "t": ("x",), "e": []}
    sample.write_text(f"VALUE = {literal(value)}\n", encoding="utf-8")
    result = subprocess.run(
        [str(ruff), "format", "--check", "--no-cache", str(sample)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
