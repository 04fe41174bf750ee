"""Locale facts the rest of the package needs: direction, dates, durations.

Babel is imported only when a locale other than the source language needs it,
so English output does not pay for CLDR data.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

__all__ = ["format_date", "format_duration", "text_direction"]

Direction = Literal["ltr", "rtl"]


@lru_cache(maxsize=256)
def text_direction(locale: str) -> Direction:
    """``"rtl"`` for right-to-left scripts (Arabic, Hebrew...), else ``"ltr"``."""
    if locale == "en":
        return "ltr"
    from babel import Locale

    order = Locale.parse(locale.replace("-", "_")).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def format_date(value: date, locale: str) -> str:
    """A date the way readers of ``locale`` write it (CLDR "long" format)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=locale.replace("-", "_"))


def format_duration(minutes: int, locale: str) -> str:
    """A number of minutes with the locale's plural rules ("1 minute", "6 minutes")."""
    from babel.dates import format_timedelta

    return format_timedelta(
        timedelta(minutes=minutes), granularity="minute", threshold=1000,
        locale=locale.replace("-", "_"),
    )
