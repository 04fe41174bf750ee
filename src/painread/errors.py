"""Every exception painread raises, in one place.

Each error inherits [`PainreadError`][painread.errors.PainreadError] *and* the builtin a
caller would naturally catch (``LookupError`` for "no such thing", ``ValueError`` for "bad
input"), and carries the data needed to act on it without parsing the message.
"""

from __future__ import annotations

from collections.abc import Iterable


def _unknown(kind: str, value: object, valid: tuple[str, ...]) -> str:
    return f"unknown {kind} {value!r}; valid {kind}s: {', '.join(map(repr, valid))}"


class PainreadError(Exception):
    """Base class of every painread error, so hosts can catch them all at once."""


class PainreadWarning(UserWarning):
    """A problem painread worked around (e.g. a broken catalog it skipped)."""


class ContentError(PainreadError, ValueError):
    """Article content failed validation; ``path`` names the data file involved."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class UnknownSectionError(PainreadError, LookupError):
    """A section id that the article does not have."""

    def __init__(self, section_id: str, valid: Iterable[str]) -> None:
        self.section_id = section_id
        self.valid = tuple(valid)
        super().__init__(_unknown("section", section_id, self.valid))


class UnknownUnitError(PainreadError, LookupError):
    """A translatable unit id that the article does not have."""

    def __init__(self, unit_id: str) -> None:
        self.unit_id = unit_id
        super().__init__(f"unknown unit {unit_id!r}")


class UnknownFormatError(PainreadError, ValueError):
    """An output format painread cannot render."""

    def __init__(self, fmt: object, valid: Iterable[str]) -> None:
        self.format = fmt
        self.valid = tuple(valid)
        super().__init__(_unknown("format", fmt, self.valid))


class UnknownPlacementError(PainreadError, ValueError):
    """A disclaimer placement other than the supported ones."""

    def __init__(self, placement: object, valid: Iterable[str]) -> None:
        self.placement = placement
        self.valid = tuple(valid)
        super().__init__(_unknown("placement", placement, self.valid))


class InvalidHeadingLevelError(PainreadError, ValueError):
    """A ``heading_level`` other than an integer from 1 to 6."""

    def __init__(self, level: object) -> None:
        self.level = level
        super().__init__(f"heading_level must be an integer from 1 to 6, got {level!r}")


class UnknownPaperError(PainreadError, ValueError):
    """A paper size a handout cannot be printed on."""

    def __init__(self, paper: object, valid: Iterable[str]) -> None:
        self.paper = paper
        self.valid = tuple(valid)
        super().__init__(_unknown("paper", paper, self.valid))


class MissingExtraError(PainreadError, ImportError):
    """A feature needs the optional ``extra``, whose ``package`` is not installed or cannot load."""

    def __init__(self, feature: str, extra: str, package: str, reason: str = "") -> None:
        self.feature = feature
        self.extra = extra
        self.package = package
        because = f" ({reason})" if reason else ""
        super().__init__(
            f"{feature} needs {package}, which is not installed or cannot load{because}; "
            f"install the extra: pip install 'painread[{extra}]'",
            name=package,
        )


class InvalidLocaleError(PainreadError, ValueError):
    """A locale string that is not a well-formed, known locale identifier."""

    def __init__(self, locale: object, reason: str = "not a valid locale identifier") -> None:
        self.locale = locale
        self.reason = reason
        shown = locale if not isinstance(locale, str) or len(locale) <= 64 else locale[:61] + "..."
        super().__init__(f"invalid locale {shown!r}: {reason}")


class InvalidQueryError(PainreadError, ValueError):
    """A search query with nothing to search for."""

    def __init__(self, query: object, reason: str) -> None:
        self.query = query
        self.reason = reason
        super().__init__(f"invalid search query: {reason}")


class IncompleteTranslationError(PainreadError, LookupError):
    """``strict=True`` was asked for and the locale cannot serve every unit itself."""

    def __init__(self, locale: str, missing: Iterable[str]) -> None:
        self.locale = locale
        self.missing = tuple(missing)
        head = ", ".join(self.missing[:5]) + (" ..." if len(self.missing) > 5 else "")
        super().__init__(f"locale {locale!r} lacks {len(self.missing)} translated unit(s): {head}")


class CatalogError(PainreadError, ValueError):
    """A translation catalog that cannot be used; names the file and line."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class DisclaimerMissingError(PainreadError, RuntimeError):
    """A renderer produced output without the disclaimer; it is never returned."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        super().__init__(f"the {fmt!r} renderer dropped the disclaimer; output withheld")
