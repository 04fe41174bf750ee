"""Locale facts for renderers, with the source language served without Babel.

English is what most renders use, and loading CLDR data for it would cost every
host the import time of Babel. The English forms below are the ones Babel
produces (a test holds them equal); every other locale goes to
:mod:`painread.locales`.
"""

from __future__ import annotations

from datetime import date

from painread.locales import Direction, format_date, format_duration, text_direction

__all__ = ["bcp47", "direction", "long_date", "reading_time"]

_ENGLISH = "en"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FAST_MINUTES = range(1, 1000)


def long_date(value: date, locale: str) -> str:
    """The CLDR "long" date, e.g. "November 24, 2026" in English."""
    if locale == _ENGLISH:
        return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"
    return format_date(value, locale)


def reading_time(minutes: int, locale: str) -> str:
    """A number of minutes with the locale's plural rules."""
    if locale == _ENGLISH and minutes in _FAST_MINUTES:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    return format_duration(minutes, locale)


def direction(locale: str) -> Direction:
    """``"ltr"`` or ``"rtl"``: the writing direction of the locale's script."""
    return text_direction(locale)


def bcp47(locale: str) -> str:
    """The locale as a BCP 47 tag (``pt_BR`` becomes ``pt-BR``) for ``lang`` attributes."""
    return locale.replace("_", "-")
