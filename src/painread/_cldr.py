"""CLDR facts of the bundled locales, written out so serving one from cold needs no Babel.

A first German render would otherwise import Babel and load three sets of its
CLDR data (the likely-subtags table for the fallback chain, the locale's own
data for the writing direction, then :mod:`babel.dates` for the review date
and reading time): about 15 ms and 4 MiB on every cold start. A bundled locale
needs only the few answers below, which :mod:`painread.locales` uses when it
can; everything else (other locales, sibling locales from plugins, reading
times of 100 minutes or more) still goes to Babel.

The table lives in :mod:`painread._cldr_data`, generated from the installed
Babel with ``python -m painread._cldr > src/painread/_cldr_data.py``; a test
holds it equal to what Babel answers, so a Babel or catalog change that would
alter any output fails the suite instead of drifting.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from painread.locales import Direction

__all__ = ["FAST_MINUTES", "Facts", "bundled_codes", "compute", "facts", "generate"]

FAST_MINUTES = 60
"""Reading times from 1 to this many minutes are written out; longer ones ask Babel."""
DATE_FIELDS = frozenset({"d", "MMMM", "y"})
"""The date pattern fields the written-out long date may use (day, month name, year)."""


class Facts(NamedTuple):
    """What serving a bundled locale needs from CLDR, as Babel answers it."""

    chain: tuple[str, ...]
    """:func:`~painread.locales.candidate_chain` with no other locale of its language installed."""
    direction: Direction
    """The writing direction of the locale's script."""
    date_format: str | None
    """The CLDR long date as a ``%`` format of the fields d, MMMM and y (``None``: ask Babel)."""
    months: tuple[str, ...]
    """Wide month names, January first, as the long date uses them."""
    minute_patterns: tuple[str, ...]
    """The locale's patterns for a number of minutes (``{0}`` stands for the number)."""
    minute_forms: str
    """For n = 1 to :data:`FAST_MINUTES`, the digit of the pattern Babel uses for n minutes."""

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


def facts(locale: str) -> Facts | None:
    """The written-out facts of a bundled locale's canonical code, else ``None``."""
    return _table().get(locale)


@lru_cache(maxsize=1)
def _table() -> dict[str, Facts]:
    """The generated table, imported on first use (English never needs it)."""
    from painread._cldr_data import FACTS

    return FACTS


def compute(locale: str) -> Facts:
    """Ask Babel for every fact of one locale (what the table must equal)."""
    from babel.dates import get_date_format, get_month_names

    from painread import locales

    # Babel annotates ``format`` as a DateTimeFormat; it is the pattern as a
    # ``%`` format string, e.g. "%(d)s. %(MMMM)s %(y)s".
    date_format = str(get_date_format("long", locale=locale).format)
    names = set(re.findall(r"%\((\w+)\)", date_format.replace("%%", "")))
    wide = get_month_names("wide", context="format", locale=locale)
    patterns, forms = _minute_patterns(locale)
    return Facts(
        chain=locales.babel_chain(locale, ()),
        direction=locales.babel_direction(locale),
        date_format=date_format if names <= DATE_FIELDS else None,
        months=tuple(wide[month] for month in range(1, 13)),
        minute_patterns=patterns,
        minute_forms=forms,
    )


def _minute_patterns(locale: str) -> tuple[tuple[str, ...], str]:
    """Babel's reading times of 1 to :data:`FAST_MINUTES` minutes as patterns and digits.

    Each pattern is Babel's answer with the number put back as ``{0}`` (some
    plural forms, like Arabic's "one minute", have no number); the digits say
    which pattern each number takes.
    """
    from painread import locales

    patterns: list[str] = []
    forms = ""
    for minutes in range(1, FAST_MINUTES + 1):
        text = locales.babel_duration(minutes, locale)
        pattern = text.replace(str(minutes), "{0}", 1)
        if pattern.replace("{0}", str(minutes)) != text:
            raise ValueError(f"{locale}: cannot write {text!r} as a pattern")
        if pattern not in patterns:
            patterns.append(pattern)
        forms += str(patterns.index(pattern))
    if len(patterns) > 10:
        raise ValueError(f"{locale}: more than 10 patterns for minutes")
    return tuple(patterns), forms


def generate(codes: list[str]) -> str:
    """The source of :mod:`painread._cldr_data` for ``codes``."""
    from painread._pysource import quoted  # build tooling, not needed to serve

    lines = [
        '"""Generated by ``python -m painread._cldr``: CLDR facts of the bundled locales."""',
        "",
        "from painread._cldr import Facts",
        "",
        "FACTS: dict[str, Facts] = {",
    ]
    for code in sorted(codes):
        lines.append(f"    {quoted(code)}: Facts(")
        for name, value in compute(code)._asdict().items():
            lines.extend(_field(name, value))
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _field(name: str, value: object) -> list[str]:
    """One keyword argument, laid out the way ``ruff format`` leaves it."""
    from painread._pysource import literal

    if value is not None and not isinstance(value, tuple):
        value = str(value)
    return [f"        {name}={literal(value, depth=2)},"]


def bundled_codes() -> list[str]:
    """The codes of the locales painread ships catalogs for (their folder names)."""
    root = files("painread") / "data" / "locales"
    return sorted(folder.name for folder in root.iterdir() if (folder / "LC_MESSAGES").is_dir())


if __name__ == "__main__":
    print(generate(bundled_codes()), end="")
