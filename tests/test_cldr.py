"""The written-out CLDR facts of the bundled locales answer exactly as Babel does.

Only what painread serves from the table is compared: a Babel release that
changes other CLDR data passes; one that changes a served answer fails with
the command that regenerates the table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import babel
import pytest
from babel import Locale
from babel.dates import format_date as babel_format_date
from tools.gen_cldr import COMMAND, bundled_codes, compute

from painread import locales
from painread._cldr_data import FACTS

BUNDLED = bundled_codes()


def _require_current(code: str) -> None:
    """Fail with the fix when Babel now answers a served question differently."""
    changed = sorted(
        name for name, value in compute(code).items() if FACTS.get(code, {}).get(name) != value
    )
    assert not changed, (
        f"Babel {babel.__version__} changed what painread serves for {code!r} ({changed}): "
        f"regenerate with `{COMMAND}`"
    )


def test_the_table_covers_the_bundled_locales() -> None:
    assert sorted(FACTS) == BUNDLED, f"regenerate with `{COMMAND}`"


@pytest.mark.parametrize("code", BUNDLED)
def test_the_table_is_what_babel_computes_now(code: str) -> None:
    _require_current(code)


@pytest.mark.parametrize("code", BUNDLED)
def test_long_dates_match_babel_every_day(code: str) -> None:
    _require_current(code)
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
    _require_current(code)
    for minutes in range(locales.FAST_MINUTES + 50):
        assert locales.format_duration(minutes, code) == locales.babel_duration(minutes, code)


@pytest.mark.parametrize("code", BUNDLED)
def test_direction_and_canonical_code_match_babel(code: str) -> None:
    _require_current(code)
    assert locales.text_direction(code) == locales.babel_direction(code)
    assert str(Locale.parse(code)) == code
    assert locales.parse_locale(code) == code


@pytest.mark.parametrize("code", BUNDLED)
@pytest.mark.parametrize(
    "installed",
    [(), ("de", "es", "ar"), ("de_AT", "de_CH", "es_MX", "es_419", "ar_EG", "ar_SA"), ("it",)],
)
def test_fallback_chains_match_babel_with_and_without_siblings(
    code: str, installed: tuple[str, ...]
) -> None:
    _require_current(code)
    assert locales.candidate_chain(code, installed) == locales.babel_chain(code, installed)
    assert locales.candidate_chain(code, iter(installed)) == locales.babel_chain(code, installed)


def test_other_locales_still_ask_babel() -> None:
    assert "fr" not in FACTS
    assert "de_AT" not in FACTS
    assert locales.format_date(date(2026, 11, 24), "fr") == "24 novembre 2026"
    assert locales.text_direction("he") == "rtl"
