"""The trusted (unvalidated) build is used only for the package's own data, and equals validation.

Bundled catalogs are verified here: for every bundled locale, the article built
from them without validation must be exactly the one full validation builds,
down to the types of nested values. A single unit from a registered directory
or a plugin sends the whole article through validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tools.gen_cldr import bundled_codes

import painread
from painread import catalogs, content, loader
from painread.models import Article
from tests.i18n_helpers import FakeEntryPoint, registry, tagged, use_plugins, write_po

__all__ = ["registry"]

BUNDLED = bundled_codes()


def _shape(value: Any, path: str = "article") -> Iterator[tuple[str, type, Any]]:
    """Every value of a model tree with its exact type, so a list is never taken for a tuple."""
    yield path, type(value), None if isinstance(value, (BaseModel, tuple)) else value
    if isinstance(value, BaseModel):
        yield f"{path}.<set>", set, frozenset(value.model_fields_set)
        for name in type(value).model_fields:
            yield from _shape(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _shape(item, f"{path}[{index}]")


def _assert_identical(trusted: Article, validated: Article) -> None:
    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert trusted.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert list(_shape(trusted)) == list(_shape(validated))


def test_bundled_locales_are_the_bundled_catalog_folders() -> None:
    assert BUNDLED == ["ar", "de", "es"]


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("code", BUNDLED)
def test_every_bundled_locale_builds_the_same_trusted_as_validated(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _spy_on_builds(monkeypatch)
    served = painread.load(code)
    assert seen == [True]
    validated = Article.model_validate(served.model_dump(exclude_unset=True))
    _assert_identical(served, validated)
    assert validated.locale == code
    assert validated.fallbacks == {}


def test_the_english_source_builds_the_same_trusted_as_validated() -> None:
    _assert_identical(content.build_article(trusted=True), content.build_article())
    assert painread.load() == content.build_article()


def test_shape_check_sees_a_plain_string_where_an_enum_belongs() -> None:
    article = content.build_article(trusted=True)
    title = article.title.model_construct(**{**article.title.__dict__, "origin": "editorial"})
    values = {name: getattr(article, name) for name in Article.model_fields}
    broken = Article.model_construct(**{**values, "title": title})
    assert broken == article  # a str enum equals its value: equality alone would not notice
    assert list(_shape(broken)) != list(_shape(article))


def test_dates_and_enums_are_real_types_on_the_trusted_path() -> None:
    article = content.build_article(trusted=True)
    assert isinstance(article.metadata.published, date)
    assert all(isinstance(notice.severity, Enum) for notice in article.notices)
    assert isinstance(article.sections, tuple)


def _spy_on_builds(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    original = loader.build_article

    def spy(*args: Any, trusted: bool = False, **kwargs: Any) -> Article:
        seen.append(trusted)
        return original(*args, trusted=trusted, **kwargs)

    monkeypatch.setattr(loader, "build_article", spy)
    return seen


@pytest.mark.usefixtures("registry")
def test_bundled_catalogs_alone_take_the_trusted_path(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy_on_builds(monkeypatch)
    assert painread.load("de").locale == "de"
    assert seen == [True]


def test_a_registered_unit_sends_the_article_through_validation(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "de", tagged("de", ["article.title"]))
    painread.add_translations(tmp_path)
    seen = _spy_on_builds(monkeypatch)
    article = painread.load("de")
    assert article.title.text.startswith("[de] ")
    assert seen == [False]


def test_a_plugin_unit_sends_the_article_through_validation(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "es", tagged("es", ["article.title"]))

    use_plugins(monkeypatch, FakeEntryPoint("example", lambda: tmp_path))
    seen = _spy_on_builds(monkeypatch)
    article = painread.load("es")
    assert article.title.text.startswith("[es] ")
    assert article.summary.paragraphs[0].locale == "es"  # the rest from the bundled catalog
    assert seen == [False]
