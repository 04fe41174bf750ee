from __future__ import annotations

import pytest

import painread
from tests.fresh_process import run_fresh


def test_load_returns_the_same_cached_object() -> None:
    assert painread.load() is painread.load()


def test_load_serves_english_source(article: painread.Article) -> None:
    assert article.locale == "en"
    assert article.title.text == "Kratom pills and chronic pain management"
    assert article.id == "kratom-pills-chronic-pain"


def _isort_style(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_public_surface_is_sorted_and_resolvable() -> None:
    assert painread.__all__ == sorted(painread.__all__, key=_isort_style)
    for name in painread.__all__:
        assert getattr(painread, name) is not None, name
    assert set(painread.__all__) <= set(dir(painread))


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        painread.no_such_name  # noqa: B018


def test_importing_painread_does_not_import_pydantic_or_babel() -> None:
    _, loaded = run_fresh("import painread")
    assert "painread" in loaded
    assert not loaded & {"pydantic", "babel", "markupsafe"}
