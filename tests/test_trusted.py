"""The fast path for the package's own data builds exactly what validation builds."""

from __future__ import annotations

import pydantic
import pytest

from painread.content import build_article


def test_trusted_build_equals_validated_build() -> None:
    trusted = build_article(trusted=True)
    validated = build_article()
    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert type(trusted.notices[0].severity) is type(validated.notices[0].severity)
    assert trusted.metadata.published == validated.metadata.published


def test_trusted_build_is_still_frozen() -> None:
    article = build_article(trusted=True)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        article.locale = "de"  # type: ignore[misc]
    assert isinstance(article.sections, tuple)
