"""Locale codes, fallback chains, ``Accept-Language`` parsing and formatting, and nothing else.

Locale strings arrive from HTTP headers, URLs and directory names, so they are
checked against a strict pattern and a length cap before Babel parses them.
Codes are kept in Babel's canonical form (``pt_BR``, ``zh_Hant_TW``);
`to_bcp47` gives the tag for HTML. Babel is imported only when a locale
needs it: English never does, nor do the bundled locales, whose few CLDR answers
are written out in `painread._cldr_data`. What is installed is
`painread.catalogs`' business; this module reads no file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Literal, NamedTuple

from painread.errors import InvalidLocaleError

if TYPE_CHECKING:
    from babel import Locale

Direction = Literal["ltr", "rtl"]

SOURCE_LOCALE = "en"
_MONTHS = "January February March April May June July August September October November December"
_ENGLISH_MONTHS = tuple(_MONTHS.split(" "))
_DAY_FIELD = re.compile(r"%\(d\)s[^%]*")
_FIELD = re.compile(r"%\((\w+)\)s")
MAX_LOCALE_LENGTH = 64
MAX_PREFERENCES = 32
"""At most this many ``Accept-Language`` entries (or iterable items) are looked at."""
MAX_HEADER_LENGTH = 4096

_LOCALE_SYNTAX = (
    r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,6}"
    r"(?:[-_][0-9A-WYZa-wyz](?:[-_][A-Za-z0-9]{2,8})+)*(?:[-_][Xx](?:[-_][A-Za-z0-9]{1,8})+)?"
    r"(?:\.[A-Za-z0-9-]{1,20})?(?:@[A-Za-z0-9]{1,20})?"
)
"""BCP 47 (with extensions and private use) or POSIX (with codeset and modifier)."""
_SINGLETON = r"[-_][A-Za-z0-9](?=[-_])"
"""Where a tag's extensions begin: the only one-character subtags are their singletons."""
_QUALITY_SYNTAX = r"q=(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)"
_CACHE_SIZE = 4096
"""Parsed codes remembered: room for every CLDR locale, in both BCP 47 and POSIX spelling."""

FAST_MINUTES = 60
"""Reading times from 1 to this many minutes are written out; longer ones ask Babel."""


class Facts(NamedTuple):
    """What serving a bundled locale needs from CLDR, as Babel answers it."""

    chain: tuple[str, ...]
    """`candidate_chain` with no other locale of its language installed."""
    direction: Direction
    """The writing direction of the locale's script."""
    date_format: str | None
    """The CLDR long date as a ``%`` format of the fields d, MMMM and y (``None``: ask Babel)."""
    months: tuple[str, ...]
    """Wide month names, January first, as the long date uses them."""
    minute_patterns: tuple[str, ...]
    """The locale's patterns for a number of minutes (``{0}`` stands for the number)."""
    minute_forms: str
    """For n = 1 to `FAST_MINUTES`, the digit of the pattern Babel uses for n minutes."""

    def long_date(self, value: date) -> str | None:
        """``value`` in the CLDR long format, or ``None`` when Babel has to be asked."""
        if self.date_format is None:
            return None
        fields = {"d": str(value.day), "MMMM": self.months[value.month - 1], "y": str(value.year)}
        return self.date_format % fields

    def duration(self, minutes: int) -> str | None:
        """A reading time of ``minutes``, or ``None`` when Babel has to be asked."""
        if not 1 <= minutes <= len(self.minute_forms):
            return None
        pattern = self.minute_patterns[int(self.minute_forms[minutes - 1])]
        return pattern.replace("{0}", str(minutes))


def parse_locale(value: object) -> str:
    """The canonical code of a BCP 47 or POSIX locale, e.g. ``"pt-br"`` -> ``"pt_BR"``.

    Nothing but a pattern match happens to input that is not well formed, so a
    hostile string never reaches a file lookup. POSIX codesets and modifiers
    (``en_US.UTF-8@euro``) are accepted and dropped, and so are BCP 47
    extensions and private use (``de-DE-u-co-phonebk``, ``en-t-ja``,
    ``es-x-custom``): they say how to sort, convert or mark text, not which
    language it is in, so they play no part in choosing a translation.

    Raises:
        InvalidLocaleError: naming the input, if it is not a known, well-formed locale.
    """
    if not isinstance(value, str):  # first: ``==`` on array-likes has no truth value
        raise InvalidLocaleError(value, f"expected a string, got {type(value).__name__}")
    if value == SOURCE_LOCALE:
        return SOURCE_LOCALE
    if len(value) > MAX_LOCALE_LENGTH:
        raise InvalidLocaleError(value, f"longer than {MAX_LOCALE_LENGTH} characters")
    if not _locale_pattern().fullmatch(value):
        raise InvalidLocaleError(value)
    return _canonical(value)


@functools.lru_cache(maxsize=1)
def _locale_pattern() -> re.Pattern[str]:
    """The well-formedness check, compiled on first use: English needs no parsing."""
    return re.compile(_LOCALE_SYNTAX)


@functools.lru_cache(maxsize=1)
def _quality_pattern() -> re.Pattern[str]:
    """The ``q=`` parameter of an ``Accept-Language`` entry, compiled on first use."""
    return re.compile(_QUALITY_SYNTAX, re.ASCII | re.IGNORECASE)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _canonical(value: str) -> str:
    if _bundled(value) is not None:  # already canonical, and known: no need for Babel
        return value
    extensions = re.search(_SINGLETON, value)
    if extensions is not None:
        return _canonical(value[: extensions.start()])
    locale = _babel_locale(value)
    return _identifier(locale.language, locale.script, locale.territory, locale.variant)


def _bundled(locale: str) -> Facts | None:
    """The written-out CLDR facts of a bundled locale, else ``None``."""
    return _facts().get(locale)


@functools.lru_cache(maxsize=1)
def _facts() -> dict[str, Facts]:
    """The generated table, imported on first use (English never needs it)."""
    from painread._cldr_data import FACTS

    return {code: Facts(**fields) for code, fields in FACTS.items()}


def _babel_locale(value: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    posix = value.split("@", 1)[0].split(".", 1)[0].replace("-", "_")
    try:
        return Locale.parse(posix, sep="_")
    except UnknownLocaleError:
        raise InvalidLocaleError(value, "unknown locale") from None
    except (ValueError, TypeError) as exc:
        raise InvalidLocaleError(value, str(exc)) from None


def _identifier(
    language: str, script: str | None, territory: str | None, variant: str | None
) -> str:
    return "_".join(part for part in (language, script, territory, variant) if part)


def language_of(locale: str) -> str:
    """The language part of a canonical code (``"pt_BR"`` -> ``"pt"``)."""
    return locale.split("_", 1)[0]


def to_bcp47(locale: str) -> str:
    """The BCP 47 tag of a canonical code, for ``lang`` attributes (``pt_BR`` -> ``pt-BR``)."""
    return locale.replace("_", "-")


def candidate_chain(locale: str, installed: Iterable[str] = ()) -> tuple[str, ...]:
    """Every locale that may serve ``locale``, best first, ending with the source.

    The order is: the locale itself; its CLDR parent locales, up to (not
    including) the root (``es_MX`` -> ``es_419`` -> ``es``; ``zh_Hant_TW`` ->
    ``zh_Hant``, whose parent is the root because Traditional is not the likely
    script of Chinese); then other ``installed`` locales of the same language
    and script, most likely region first (``pt`` may be served by ``pt_BR``);
    then English. A chain never leaves the request's script: ``zh_Hant`` is
    never served by ``zh`` or ``zh_Hans``, nor ``sr_Latn`` by ``sr``
    (Cyrillic). When the parents reach the source language (``en_GB`` ->
    ``en_001`` -> ``en``), the chain ends there.
    """
    installed = tuple(installed)
    known = _bundled(locale)
    if known is not None and not _siblings_in(locale, installed, known.chain):
        return known.chain
    return babel_chain(locale, installed)


def _siblings_in(locale: str, installed: tuple[str, ...], chain: tuple[str, ...]) -> bool:
    """Whether ``installed`` has a locale of ``locale``'s language outside ``chain``."""
    language = language_of(locale)
    return any(language_of(code) == language and code not in chain for code in installed)


def babel_chain(locale: str, installed: Iterable[str]) -> tuple[str, ...]:
    """`candidate_chain` worked out with Babel's CLDR data, whatever the locale."""
    parents = cldr_parents(locale)
    if SOURCE_LOCALE in parents:
        return tuple(parents[: parents.index(SOURCE_LOCALE) + 1])
    return (*parents, *_siblings(locale, installed, set(parents)), SOURCE_LOCALE)


def cldr_parents(locale: str) -> list[str]:
    """``locale`` and its CLDR parent locales, nearest first, the root left out.

    CLDR's rule, as Babel applies it to its own data: an explicit parent from
    the ``parentLocales`` table if there is one; else the root for a
    ``language_Script`` whose script is not the language's likely one; else
    the code without its last subtag.
    """
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    chain = [locale]
    while (parent := _cldr_parent(chain[-1], exceptions)) is not None and parent not in chain:
        chain.append(parent)
    return chain


def _cldr_parent(code: str, exceptions: Mapping[str, str]) -> str | None:
    explicit = exceptions.get(code)
    if explicit:
        return None if explicit == "root" else explicit
    parts = code.split("_")
    if len(parts) == 1:
        return None
    if len(parts) == 2 and len(parts[1]) == 4 and _likely(parts[0])[0] != parts[1]:
        return None
    return "_".join(parts[:-1])


def _siblings(locale: str, installed: Iterable[str], seen: set[str]) -> list[str]:
    """Installed locales of the same language and script, most likely region first."""
    language = language_of(locale)
    wanted = _likely(locale)
    candidates = {
        code
        for code in installed
        if language_of(code) == language and _likely(code)[0] == wanted[0]
    } - seen
    return sorted(candidates, key=lambda code: (_likely(code)[1] != wanted[1], code))


def same_language(requested: str, served: str) -> bool:
    """Whether ``served`` is in the language and script of ``requested`` (regions aside).

    ``pt_BR`` serves ``pt_PT`` in the same language; ``zh_Hans`` does not serve
    ``zh_Hant``, nor ``sr`` (Cyrillic) ``sr_Latn``, nor ``no`` ``nb``.
    """
    if requested == served:
        return True
    if language_of(requested) != language_of(served):
        return False
    return _likely(requested)[0] == _likely(served)[0]


def is_source(locale: str) -> bool:
    """Whether a canonical code is of the source language (``en``, ``en_US``, ``en_GB``...).

    No catalog may serve the source language (the bundled ones do not, and any
    other origin's are refused), so such a request is always served the English
    source and never needs to know what is installed.
    """
    return language_of(locale) == SOURCE_LOCALE


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _likely(locale: str) -> tuple[str | None, str | None]:
    """The script and territory a locale most likely has (``pt`` -> Latn, BR)."""
    from babel.core import get_global

    parsed = _babel_locale(locale)
    likely = get_global("likely_subtags")
    guess = (likely.get(locale) or likely.get(parsed.language) or "").split("_")
    full = len(guess) == 3
    return parsed.script or (guess[1] if full else None), parsed.territory or (
        guess[2] if full else None
    )


def ranked_preferences(preferences: str | Iterable[str] | None) -> Iterator[str]:
    """Locale tags from an ``Accept-Language`` header or a list, best first, unchecked.

    Entries are taken by q-value (ties keep their order); ``*`` and entries
    with a malformed or zero q-value are dropped, and only the first
    `MAX_PREFERENCES` entries are read. The tags are not parsed: that is
    up to the caller, which skips the ones that are not locales.
    """
    if preferences is None:
        return
    if isinstance(preferences, str):
        yield from _header(preferences)
        return
    try:
        items = iter(preferences)
    except TypeError:
        return
    for item in islice(items, MAX_PREFERENCES):
        if isinstance(item, str) and len(item) <= MAX_LOCALE_LENGTH:
            yield item.strip()


def _header(header: str) -> Iterator[str]:
    weighted: list[tuple[float, int, str]] = []
    entries = header[:MAX_HEADER_LENGTH].split(",")[:MAX_PREFERENCES]
    for position, entry in enumerate(entries):
        tag, _, params = entry.partition(";")
        quality = _quality(params)
        tag = tag.strip()
        if quality is not None and quality > 0 and tag and tag != "*":
            weighted.append((-quality, position, tag))
    yield from (tag for _, _, tag in sorted(weighted))


def _quality(params: str) -> float | None:
    params = params.strip()
    if not params:
        return 1.0
    match = _quality_pattern().fullmatch(params.replace(" ", ""))
    return float(match.group(1)) if match else None


@functools.lru_cache(maxsize=256)
def text_direction(locale: str) -> Direction:
    """``"rtl"`` for right-to-left scripts (Arabic, Hebrew...), else ``"ltr"``."""
    if locale == SOURCE_LOCALE:
        return "ltr"
    known = _bundled(locale)
    return known.direction if known is not None else babel_direction(locale)


def babel_direction(locale: str) -> Direction:
    """`text_direction` as Babel's CLDR data gives it."""
    order = _babel_locale(locale).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def display_name(locale: str, display: str | None = None) -> str:
    """The locale's name in ``display``'s language, or in its own (``"español"``)."""
    from babel import Locale

    shown_in = Locale.parse(display.replace("-", "_")) if display else None
    name = _babel_locale(locale).get_display_name(shown_in)
    return name or locale


def format_date(value: date, locale: str) -> str:
    """A date the way readers of ``locale`` write it (CLDR "long" format).

    The source language and the bundled locales are written out (tests hold
    them equal to Babel), so the common renders never load CLDR data.
    """
    if locale == SOURCE_LOCALE and isinstance(value, date):
        return f"{_ENGLISH_MONTHS[value.month - 1]} {value.day}, {value.year}"
    known = _bundled(locale) if isinstance(value, date) else None
    written = known.long_date(value) if known is not None else None
    return written if written is not None else babel_date(value, locale)


def babel_date(value: date, locale: str) -> str:
    """`format_date` as Babel formats it."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=locale.replace("-", "_"))


def format_month(value: date, locale: str) -> str:
    """A month and year ("November 2026"): the precision of an "as of" date.

    Facts gathered in a month are not dated to a day, so showing one would claim
    more than they say. The source language and the bundled locales use their
    long date without its day (tests hold them equal to Babel's ``yMMMM``).
    """
    if locale == SOURCE_LOCALE and isinstance(value, date):
        return f"{_ENGLISH_MONTHS[value.month - 1]} {value.year}"
    known = _bundled(locale) if isinstance(value, date) else None
    pattern = _without_day(known.date_format) if known and known.date_format else None
    if known is None or pattern is None:
        return babel_month(value, locale)
    return pattern % {"MMMM": known.months[value.month - 1], "y": str(value.year)}


def _without_day(date_format: str) -> str | None:
    """A long date's ``%`` format with the day and what follows it up to the next field."""
    pattern = _DAY_FIELD.sub("", date_format).strip()
    return pattern if set(_FIELD.findall(pattern)) == {"MMMM", "y"} else None


def babel_month(value: date, locale: str) -> str:
    """:func:`format_month` as Babel formats it."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=locale.replace("-", "_"))


def format_duration(minutes: int, locale: str) -> str:
    """A number of minutes with the locale's plural rules ("1 minute", "6 minutes")."""
    if locale == SOURCE_LOCALE and isinstance(minutes, int) and 1 <= minutes < 1000:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    known = _bundled(locale) if isinstance(minutes, int) else None
    written = known.duration(minutes) if known is not None else None
    return written if written is not None else babel_duration(minutes, locale)


def babel_duration(minutes: int, locale: str) -> str:
    """`format_duration` as Babel formats it."""
    from babel.dates import format_timedelta

    return format_timedelta(
        timedelta(minutes=minutes),
        granularity="minute",
        threshold=1000,
        locale=locale.replace("-", "_"),
    )
