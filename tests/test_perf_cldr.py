"""The written-out CLDR facts of the bundled locales answer exactly as Babel does.

If Babel's data or a bundled locale changes, these fail; regenerate with
``python -m painread._cldr > src/painread/_cldr_data.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from babel import Locale
from babel.dates import format_date as babel_format_date

from painread import _cldr, locales
from painread._cldr_data import FACTS

BUNDLED = _cldr.bundled_codes()


def test_the_table_is_what_babel_computes_now() -> None:
    assert sorted(FACTS) == BUNDLED
    assert {code: _cldr.compute(code) for code in BUNDLED} == FACTS


def test_the_generated_module_is_what_the_generator_writes() -> None:
    from importlib.resources import files

    shipped = (files("painread") / "_cldr_data.py").read_text(encoding="utf-8")
    assert shipped == _cldr.generate(BUNDLED)


@pytest.mark.parametrize("code", BUNDLED)
def test_long_dates_match_babel_every_day(code: str) -> None:
    day = date(2024, 1, 1)
    while day < date(2026, 1, 1):
        assert locales.format_date(day, code) == babel_format_date(day, "long", locale=code)
        day += timedelta(days=1)
    for value in (date(1, 1, 1), date(999, 12, 31), date(9999, 12, 31)):
        assert locales.format_date(value, code) == babel_format_date(value, "long", locale=code)
    moment = datetime(2026, 11, 24, 23, 59)
    assert locales.format_date(moment, code) == babel_format_date(moment, "long", locale=code)


@pytest.mark.parametrize("code", BUNDLED)
def test_reading_times_match_babel(code: str) -> None:
    for minutes in range(_cldr.FAST_MINUTES + 50):
        assert locales.format_duration(minutes, code) == locales.babel_duration(minutes, code)


@pytest.mark.parametrize("code", BUNDLED)
def test_direction_and_canonical_code_match_babel(code: str) -> None:
    assert locales.text_direction(code) == locales.babel_direction(code)
    parsed = Locale.parse(code)
    assert str(parsed) == code
    assert locales.parse_locale(code) == code


@pytest.mark.parametrize("code", BUNDLED)
@pytest.mark.parametrize(
    "installed",
    [(), ("de", "es", "ar"), ("de_AT", "de_CH", "es_MX", "es_419", "ar_EG", "ar_SA"), ("it",)],
)
def test_fallback_chains_match_babel_with_and_without_siblings(
    code: str, installed: tuple[str, ...]
) -> None:
    assert locales.candidate_chain(code, installed) == locales.babel_chain(code, installed)
    assert locales.candidate_chain(code, iter(installed)) == locales.babel_chain(code, installed)


def test_other_locales_still_ask_babel() -> None:
    assert _cldr.facts("fr") is None
    assert _cldr.facts("de_AT") is None
    assert locales.format_date(date(2026, 11, 24), "fr") == "24 novembre 2026"
    assert locales.text_direction("he") == "rtl"
