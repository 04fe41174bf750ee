"""Locale codes, fallback chains, ``Accept-Language`` parsing and formatting; no file reading.

Locale strings from headers, URLs and folder names are checked against a strict
pattern and a length cap before Babel parses them into its canonical form
(``pt_BR``). Babel is imported only when a locale needs it: never for English,
nor for the bundled locales, whose few CLDR answers are in `painread._cldr_data`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
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
_QUALITY_FLAGS = re.ASCII | re.IGNORECASE
_CACHE_SIZE = 4096
"""Parsed codes remembered: room for every CLDR locale, in both BCP 47 and POSIX spelling."""

FAST_MINUTES = 60
"""Reading times from 1 to this many minutes are written out; longer ones ask Babel."""


class Facts(NamedTuple):
    """What serving a bundled locale needs from CLDR, as Babel answers it.

    ``chain``: `candidate_chain` with no other locale of the language installed;
    ``date_format``: the long date as a ``%`` format of d, MMMM and y (``None``:
    ask Babel); ``minute_forms``: for n = 1 to `FAST_MINUTES`, the index of the
    ``minute_patterns`` entry (``{0}`` standing for n) that n minutes take.
    """

    chain: tuple[str, ...]
    direction: Direction
    date_format: str | None
    months: tuple[str, ...]
    minute_patterns: tuple[str, ...]
    minute_forms: str


def parse_locale(value: object) -> str:
    """The canonical code of a BCP 47 or POSIX locale, e.g. ``"pt-br"`` -> ``"pt_BR"``.

    Input that is not well formed meets nothing but a pattern match. POSIX
    codesets and modifiers (``en_US.UTF-8@euro``) and BCP 47 extensions and
    private use (``de-DE-u-co-phonebk``, ``es-x-custom``) are dropped: they do
    not say which language a text is in.

    Raises:
        InvalidLocaleError: naming the input, if it is not a known, well-formed locale.
    """
    if not isinstance(value, str):  # first: ``==`` on array-likes has no truth value
        raise InvalidLocaleError(value, f"expected a string, got {type(value).__name__}")
    if value == SOURCE_LOCALE:
        return SOURCE_LOCALE
    if len(value) > MAX_LOCALE_LENGTH:
        raise InvalidLocaleError(value, f"longer than {MAX_LOCALE_LENGTH} characters")
    if not _pattern(_LOCALE_SYNTAX).fullmatch(value):
        raise InvalidLocaleError(value)
    return _canonical(value)


@functools.lru_cache(maxsize=4)
def _pattern(syntax: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled on first use (English parses nothing), then one cache lookup away."""
    return re.compile(syntax, flags)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _canonical(value: str) -> str:
    if value in _facts():  # already canonical, and known: no need for Babel
        return value
    extensions = _pattern(_SINGLETON).search(value)
    if extensions is not None:
        return _canonical(value[: extensions.start()])
    return str(_babel_locale(value))


@functools.lru_cache(maxsize=1)
def _facts() -> dict[str, Facts]:
    """The written-out CLDR facts of the bundled locales, imported on first use."""
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


def language_of(locale: str) -> str:
    """The language part of a canonical code (``"pt_BR"`` -> ``"pt"``)."""
    return locale.split("_", 1)[0]


def to_bcp47(locale: str) -> str:
    """The BCP 47 tag of a canonical code, for ``lang`` attributes (``pt_BR`` -> ``pt-BR``)."""
    return locale.replace("_", "-")


def candidate_chain(locale: str, installed: Iterable[str] = ()) -> tuple[str, ...]:
    """Every locale that may serve ``locale``, best first, ending with the source.

    The locale, its `cldr_parents` (``es_MX`` -> ``es_419`` -> ``es``), other
    ``installed`` locales of its language and script, most likely region first
    (``pt`` -> ``pt_BR``), then English; a chain never changes script and ends
    where the parents reach English (``en_GB`` -> ``en_001`` -> ``en``). See
    "Fallback rules" in ``docs/locales.md``.
    """
    installed = tuple(installed)
    known = _facts().get(locale)
    language = language_of(locale)
    if known is None or any(
        language_of(code) == language and code not in known.chain for code in installed
    ):
        return babel_chain(locale, installed)
    return known.chain


def babel_chain(locale: str, installed: Iterable[str]) -> tuple[str, ...]:
    """`candidate_chain` worked out with Babel's CLDR data, whatever the locale."""
    parents = cldr_parents(locale)
    if SOURCE_LOCALE in parents:
        return tuple(parents[: parents.index(SOURCE_LOCALE) + 1])
    region = _likely(locale)[1]
    siblings = {code for code in installed if same_language(locale, code)} - set(parents)
    ranked = sorted(siblings, key=lambda code: (_likely(code)[1] != region, code))
    return (*parents, *ranked, SOURCE_LOCALE)


def cldr_parents(locale: str) -> list[str]:
    """``locale`` and its CLDR parent locales, nearest first, the root left out.

    CLDR's rule, as Babel applies it: the ``parentLocales`` entry; else the root
    for a ``language_Script`` of an unlikely script; else one subtag less.
    """
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    chain = [locale]
    while True:
        parts = chain[-1].split("_")
        unlikely = len(parts) == 2 and len(parts[1]) == 4 and _likely(parts[0])[0] != parts[1]
        parent = exceptions.get(chain[-1]) or ("root" if unlikely else "_".join(parts[:-1]))
        if parent in ("", "root", *chain):
            return chain
        chain.append(parent)


def same_language(requested: str, served: str) -> bool:
    """Whether ``served`` is in the language and script of ``requested`` (regions aside).

    ``pt_BR`` serves ``pt_PT`` in the same language; ``zh_Hans`` does not serve
    ``zh_Hant``, nor ``sr`` (Cyrillic) ``sr_Latn``, nor ``no`` ``nb``.
    """
    same = language_of(requested) == language_of(served)
    return requested == served or (same and _likely(requested)[0] == _likely(served)[0])


def is_source(locale: str) -> bool:
    """Whether a canonical code is of the source language (``en``, ``en_GB``...).

    No catalog may serve it, so such a request never needs to know what is installed.
    """
    return language_of(locale) == SOURCE_LOCALE


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _likely(locale: str) -> tuple[str | None, str | None]:
    """The script and territory a locale most likely has (``pt`` -> Latn, BR)."""
    from babel.core import get_global

    parsed = _babel_locale(locale)
    likely = get_global("likely_subtags")
    guess = (likely.get(locale) or likely.get(parsed.language) or "").split("_")
    script, territory = guess[1:] if len(guess) == 3 else (None, None)
    return parsed.script or script, parsed.territory or territory


def ranked_preferences(preferences: str | Iterable[str] | None) -> Iterator[str]:
    """Locale tags from an ``Accept-Language`` header or a list, best first, unchecked.

    Entries are taken by q-value (ties keep their order); ``*`` and entries with a
    malformed or zero q-value are dropped; only the first `MAX_PREFERENCES` are read.
    """
    if preferences is None:
        return
    if isinstance(preferences, str):
        weighted: list[tuple[float, int, str]] = []
        entries = preferences[:MAX_HEADER_LENGTH].split(",")[:MAX_PREFERENCES]
        for position, entry in enumerate(entries):
            tag, _, params = entry.partition(";")
            params = params.strip().replace(" ", "")
            quality = _pattern(_QUALITY_SYNTAX, _QUALITY_FLAGS).fullmatch(params)
            weight = float(quality[1]) if quality else 0.0 if params else 1.0
            if weight > 0 and (tag := tag.strip()) and tag != "*":
                weighted.append((-weight, position, tag))
        yield from (tag for _, _, tag in sorted(weighted))
        return
    try:
        items = iter(preferences)
    except TypeError:
        return
    for item in islice(items, MAX_PREFERENCES):
        if isinstance(item, str) and len(item) <= MAX_LOCALE_LENGTH:
            yield item.strip()


@functools.lru_cache(maxsize=256)
def text_direction(locale: str) -> Direction:
    """``"rtl"`` for right-to-left scripts (Arabic, Hebrew...), else ``"ltr"``."""
    if locale == SOURCE_LOCALE:
        return "ltr"
    known = _facts().get(locale)
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

    English and the bundled locales are written out (tests hold them equal to
    Babel), so the common renders never load CLDR data.
    """
    if locale == SOURCE_LOCALE and isinstance(value, date):
        return f"{_ENGLISH_MONTHS[value.month - 1]} {value.day}, {value.year}"
    return _long_date(value, locale, day=True)


def format_month(value: date, locale: str) -> str:
    """A month and year ("November 2026"): the precision of an "as of" date.

    Facts gathered in a month are not dated to a day. English and the bundled
    locales drop the day from their long date (tests hold that equal to ``yMMMM``).
    """
    if locale == SOURCE_LOCALE and isinstance(value, date):
        return f"{_ENGLISH_MONTHS[value.month - 1]} {value.year}"
    return _long_date(value, locale, day=False)


def _long_date(value: date, locale: str, *, day: bool) -> str:
    """The long date, without ``day`` only its month and year: written out if bundled."""
    known = _facts().get(locale) if isinstance(value, date) else None
    pattern = known.date_format if known is not None else None
    if pattern is not None and not day:  # the day goes, with what follows it up to a field
        pattern = re.sub(r"%\(d\)s[^%]*", "", pattern).strip()
        if set(re.findall(r"%\((\w+)\)s", pattern)) != {"MMMM", "y"}:
            pattern = None
    if known is not None and pattern is not None:
        month = known.months[value.month - 1]
        return pattern % {"d": str(value.day), "MMMM": month, "y": str(value.year)}
    from babel import dates

    if day:
        return dates.format_date(value, format="long", locale=locale.replace("-", "_"))
    return dates.format_skeleton("yMMMM", value, locale=locale.replace("-", "_"))


def format_duration(minutes: int, locale: str) -> str:
    """A number of minutes with the locale's plural rules ("1 minute", "6 minutes")."""
    if locale == SOURCE_LOCALE and isinstance(minutes, int) and 1 <= minutes < 1000:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    known = _facts().get(locale) if isinstance(minutes, int) else None
    if known is not None and 1 <= minutes <= len(known.minute_forms):
        pattern = known.minute_patterns[int(known.minute_forms[minutes - 1])]
        return pattern.replace("{0}", str(minutes))
    return babel_duration(minutes, locale)


def babel_duration(minutes: int, locale: str) -> str:
    """`format_duration` as Babel formats it."""
    from babel.dates import format_timedelta

    return format_timedelta(
        timedelta(minutes=minutes),
        granularity="minute",
        threshold=1000,
        locale=locale.replace("-", "_"),
    )
