"""The article "Kratom pills and chronic pain management" as validated data.

Nothing leaves this package for display without its medical disclaimer.
Names are imported on first use, so ``import painread`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

# What type checkers read; a plain name keeps ``typing`` out of the import at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from painread._locale_info import LocaleInfo
    from painread.catalogs import add_translations, available_locales, negotiate
    from painread.errors import (
        CatalogError,
        ContentError,
        IncompleteTranslationError,
        InvalidHeadingLevelError,
        InvalidLocaleError,
        InvalidQueryError,
        MissingExtraError,
        PainreadError,
        PainreadWarning,
        UnknownFormatError,
        UnknownPaperError,
        UnknownPlacementError,
        UnknownSectionError,
    )
    from painread.handouts import handout
    from painread.loader import load, locale_info, set_locale_resolver, use_locale
    from painread.models import (
        Article,
        Disclaimer,
        EditorialNote,
        Metadata,
        Passage,
        SafetyNotice,
        SearchHit,
        Section,
        Severity,
        Summary,
        TextUnit,
        TocEntry,
    )
    from painread.renderers import FORMATS, PLACEMENTS, render
    from painread.renderers.html import stylesheet

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "PLACEMENTS",
    "Article",
    "CatalogError",
    "ContentError",
    "Disclaimer",
    "EditorialNote",
    "IncompleteTranslationError",
    "InvalidHeadingLevelError",
    "InvalidLocaleError",
    "InvalidQueryError",
    "LocaleInfo",
    "Metadata",
    "MissingExtraError",
    "PainreadError",
    "PainreadWarning",
    "Passage",
    "SafetyNotice",
    "SearchHit",
    "Section",
    "Severity",
    "Summary",
    "TextUnit",
    "TocEntry",
    "UnknownFormatError",
    "UnknownPaperError",
    "UnknownPlacementError",
    "UnknownSectionError",
    "__version__",
    "add_translations",
    "available_locales",
    "handout",
    "load",
    "locale_info",
    "negotiate",
    "render",
    "set_locale_resolver",
    "stylesheet",
    "use_locale",
]

_HOMES = {
    "painread._locale_info": "LocaleInfo",
    "painread.catalogs": "add_translations available_locales negotiate",
    "painread.errors": "CatalogError ContentError IncompleteTranslationError InvalidLocaleError "
    "InvalidHeadingLevelError InvalidQueryError MissingExtraError PainreadError PainreadWarning "
    "UnknownFormatError UnknownPaperError UnknownPlacementError UnknownSectionError",
    "painread.handouts": "handout",
    "painread.loader": "load locale_info set_locale_resolver use_locale",
    "painread.models": "Article Disclaimer EditorialNote Metadata Passage SafetyNotice SearchHit "
    "Section Severity Summary TextUnit TocEntry",
    "painread.renderers": "FORMATS PLACEMENTS render",
    "painread.renderers.html": "stylesheet",
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names.split()}


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'painread' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
