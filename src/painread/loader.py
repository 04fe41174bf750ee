"""The public way to get the article: ``painread.load``."""

from __future__ import annotations

from functools import lru_cache

from painread.content import SOURCE_LOCALE, build_article
from painread.models import Article

__all__ = ["load"]


def load(locale: str | None = None) -> Article:
    """Return the article, validated, immutable and cached.

    Args:
        locale: The locale to serve. Until translations ship, every request is
            served the English source; the parameter keeps the call stable.

    Returns:
        The same :class:`~painread.models.Article` object on every call for the
        same served locale, so repeated calls are cheap.
    """
    return _english()


@lru_cache(maxsize=1)
def _english() -> Article:
    return build_article(SOURCE_LOCALE)
