"""What a cold process imports: structural checks behind the import and cold-start budgets.

Timings are measured by ``benchmarks/run.py``, never asserted here; these tests
pin the causes instead (a module imported, a schema built), which do not
depend on the machine.
"""

from __future__ import annotations

import pytest

import painread
from tests.fresh_process import run_fresh

# Never needed to serve and render English: catalogs, CLDR data, plugin discovery,
# the resources backport, and pydantic's plugin loader (only a schema build loads it);
# nor what serves translations alone: their integrity rules, catalog files, package
# resources, language runs and bidirectional isolation.
NOT_FOR_ENGLISH = (
    "babel",
    "importlib.metadata",
    "importlib_resources",
    "painread.catalogs",
    "painread._cldr_data",
    "pydantic.plugin._loader",
    "gettext",
    "painread.translation",
    "painread._integrity",
    "painread._catalog_file",
    "painread._files",
    "painread.renderers.parts",
    "painread.bidi",
    "unicodedata",
)


def _modules(code: str) -> frozenset[str]:
    return run_fresh(code)[1]


def test_import_painread_does_not_import_typing() -> None:
    code = "import sys; before = set(sys.modules); import painread"
    code += "; added = set(sys.modules) - before; print(sorted(added))"
    added, _ = run_fresh(code)
    assert "'typing'" not in added
    assert "pydantic" not in added


@pytest.mark.parametrize("fmt", ["html", "text", "markdown", "fhir"])
def test_a_cold_english_render_needs_no_catalog_babel_or_schema(fmt: str) -> None:
    loaded = _modules(f"import painread; painread.render(painread.load(), {fmt!r})")
    assert "painread.models" in loaded
    assert not {name for name in loaded if name.startswith(NOT_FOR_ENGLISH)}


def test_a_cold_english_html_render_escapes_without_markupsafe() -> None:
    loaded = _modules("import painread; painread.render(painread.load(), 'html')")
    assert "painread.renderers.html" in loaded
    assert "markupsafe" not in loaded


def test_an_english_context_and_resolver_stay_on_the_english_path() -> None:
    code = (
        "import painread\n"
        "painread.set_locale_resolver(lambda: 'en')\n"
        "painread.load()\n"
        "with painread.use_locale('en'):\n"
        "    painread.render(painread.load('en'), 'html')"
    )
    assert "painread.catalogs" not in _modules(code)


def test_a_cold_bundled_locale_render_needs_no_babel() -> None:
    code = (
        "import painread\n"
        "article = painread.load('de')\n"
        "assert article.locale == 'de'\n"
        "painread.render(article, 'html')\n"
        "from painread import catalogs\n"
        "siblings = [c for c in catalogs.registry().locales() if c.startswith('de_')]\n"
        "assert not siblings, siblings  # a plugin's de_* locale would need Babel to sort"
    )
    loaded = _modules(code)
    assert "painread.catalogs" in loaded
    assert not {name for name in loaded if name.startswith(("babel", "pydantic.plugin._loader"))}


def test_locale_info_is_defined_on_first_use() -> None:
    loaded = _modules("import painread; painread.render(painread.load(), 'html')")
    assert "painread._locale_info" not in loaded
    from painread._locale_info import LocaleInfo

    assert painread.LocaleInfo is LocaleInfo


def test_every_model_defers_its_schema() -> None:
    from pydantic import BaseModel

    from painread import _locale_info, models

    classes = [
        value
        for module in (models, _locale_info)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
    ]
    assert len(classes) >= 12
    for model in classes:
        assert model.model_config.get("defer_build") is True, model.__name__
