"""Locale codes, fallback chains, negotiation, the locale context and the resolver hook."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_skeleton

import painread
from painread import catalogs
from painread.errors import InvalidLocaleError
from painread.loader import requested_locale
from painread.locales import (
    MAX_LOCALE_LENGTH,
    MAX_PREFERENCES,
    candidate_chain,
    display_name,
    format_date,
    format_duration,
    format_month,
    parse_locale,
    text_direction,
    to_bcp47,
)
from tests.i18n_helpers import registry, tagged, write_po

__all__ = ["registry"]


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("es-MX", "es_MX"),
        ("es_mx", "es_MX"),
        ("pt-br", "pt_BR"),
        ("PT_BR", "pt_BR"),
        ("zh-Hant-TW", "zh_Hant_TW"),
        ("zh-hant-tw", "zh_Hant_TW"),
        ("zh_TW", "zh_Hant_TW"),
        ("sr-Latn", "sr_Latn"),
        ("es-419", "es_419"),
        ("en_US.UTF-8", "en_US"),
        ("de_DE@euro", "de_DE"),
        ("ar", "ar"),
    ],
)
def test_bcp47_and_posix_codes_parse_case_insensitively(given: str, canonical: str) -> None:
    assert parse_locale(given) == canonical


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        " ",
        "e",
        "C",
        "POSIX",
        "xx",
        "fr-XX",
        "../../etc/passwd",
        "..\\..\\windows",
        "%2e%2e%2fetc",
        "en\x00",
        "en US",
        "en-",
        "-en",
        "en--US",
        "\u0435n",  # Cyrillic small letter ie, then n
        "\u202een",
        "x" * 10_000,
        "en-" + "a" * 70,
        "i-klingon",
    ],
)
def test_invalid_codes_raise_invalid_locale_error_naming_the_input(hostile: str) -> None:
    with pytest.raises(InvalidLocaleError) as caught:
        parse_locale(hostile)
    assert caught.value.locale == hostile
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, painread.PainreadError)


@pytest.mark.parametrize("value", [None, 42, b"en", ["en"], object()])
def test_non_strings_are_invalid_locales(value: object) -> None:
    with pytest.raises(InvalidLocaleError, match="expected a string"):
        parse_locale(value)


def test_overlong_codes_are_refused_before_babel_sees_them(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise AssertionError("Babel was called")

    monkeypatch.setattr(Locale, "parse", explode)
    for value in ("a" * (MAX_LOCALE_LENGTH + 1), "../etc", "en_US/../../x", "\x00"):
        with pytest.raises(InvalidLocaleError):
            parse_locale(value)


def test_babel_quirks_that_the_chain_works_around() -> None:
    # With sep="_" a hyphenated tag is not split, so it never falls back.
    with pytest.raises(ValueError, match="expected only letters"):
        Locale.parse("es-MX", sep="_")
    assert str(Locale.parse("es-MX", sep="-")) == "es_MX"
    assert Locale.negotiate(["es-MX"], ["es"]) is None
    assert str(Locale.negotiate(["es-MX"], ["es"], sep="-")) == "es"
    # Babel's negotiation never offers a regional variant for a bare language.
    assert Locale.negotiate(["pt"], ["pt_BR"]) is None


@pytest.mark.parametrize(
    ("locale", "installed", "chain"),
    [
        ("en", (), ("en",)),
        ("en_GB", (), ("en_GB", "en_001", "en")),
        ("es_MX", ("es",), ("es_MX", "es_419", "es", "en")),
        ("zh_Hant_TW", (), ("zh_Hant_TW", "zh_Hant", "en")),
        ("zh_Hant_TW", ("zh_Hant_HK", "zh"), ("zh_Hant_TW", "zh_Hant", "zh_Hant_HK", "en")),
        ("pt", ("pt_PT", "pt_BR"), ("pt", "pt_BR", "pt_PT", "en")),
        ("pt_AO", ("pt_BR",), ("pt_AO", "pt_PT", "pt", "pt_BR", "en")),
        ("de_CH", ("de", "de_AT", "fr"), ("de_CH", "de", "de_AT", "en")),
    ],
)
def test_candidate_chain_order(
    locale: str, installed: tuple[str, ...], chain: tuple[str, ...]
) -> None:
    assert candidate_chain(locale, installed) == chain


def test_to_bcp47() -> None:
    assert to_bcp47("zh_Hant_TW") == "zh-Hant-TW"
    assert to_bcp47("en") == "en"


def test_direction_names_and_formats() -> None:
    assert text_direction("ar") == "rtl"
    assert text_direction("he") == "rtl"
    assert text_direction("de") == "ltr"
    assert text_direction("en") == "ltr"
    assert display_name("es") == "español"
    assert display_name("es", "en") == "Spanish"
    assert display_name("pt_BR", "en") == "Portuguese (Brazil)"
    assert format_date(date(2026, 11, 24), "de") == "24. November 2026"
    assert format_duration(1, "es") == "1 minuto"
    assert format_duration(6, "es") == "6 minutos"


@pytest.mark.parametrize("code", ["en", "es", "de", "ar", "fr", "ja", "pt-BR"])
def test_months_are_written_as_babel_writes_a_month_and_year(code: str) -> None:
    for month in range(1, 13):
        value = date(2026, month, 17)
        assert format_month(value, code) == format_skeleton(
            "yMMMM", value, locale=parse_locale(code)
        )
        assert str(value.day) not in format_month(value, code).replace("2026", "")


def test_an_as_of_month_is_the_month_and_year_only() -> None:
    assert format_month(date(2026, 11, 1), "en") == "November 2026"
    assert format_month(date(2026, 11, 1), "es") == "noviembre de 2026"
    assert format_month(date(2026, 11, 1), "de") == "November 2026"


# --- negotiate -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        ("fr-CA;q=0.9, de;q=0.8", "de"),
        ("de;q=0.8, es;q=0.9", "es"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("ar-EG", "ar"),
        ("fr, pt", "en"),
        ("en-GB, de", "en"),
        ("", "en"),
        ("*", "en"),
        ("de;q=0", "en"),
        ("de;q=2, es", "es"),
        ("de;q=abc, es;q=0.1", "es"),
        ("../../etc/passwd, de", "de"),
        ("de;;;q=1, es", "es"),
        (",,,, ;;; ,de", "de"),
        (["fr", "de-AT", "es"], "de"),
        (("xx", 42, None, "es"), "es"),
        (iter(["ar"]), "ar"),
        (None, "en"),
    ],
)
def test_negotiate(preferences: object, expected: str) -> None:
    assert painread.negotiate(preferences) == expected  # type: ignore[arg-type]


@pytest.mark.usefixtures("registry")
def test_negotiate_reads_only_the_first_entries() -> None:
    header = ", ".join(["fr"] * MAX_PREFERENCES + ["de"])
    assert painread.negotiate(header) == "en"
    assert painread.negotiate(", ".join(["fr"] * 5000)) == "en"
    assert painread.negotiate("x" * 1_000_000) == "en"
    assert painread.negotiate(["fr"] * MAX_PREFERENCES + ["de"]) == "en"


def test_negotiate_finds_a_regional_sibling(registry: catalogs.Registry, tmp_path: Path) -> None:
    write_po(tmp_path, "pt_BR", tagged("pt_BR", ["article.title"]))
    painread.add_translations(tmp_path)
    assert painread.negotiate("pt-PT;q=0.9, de;q=0.5") == "pt_BR"
    assert painread.negotiate("pt") == "pt_BR"


# --- use_locale and the resolver -----------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_use_locale_sets_and_restores_the_locale() -> None:
    assert requested_locale() == "en"
    with painread.use_locale("de") as code:
        assert code == "de"
        assert painread.load().locale == "de"
        with painread.use_locale("es-MX"):
            assert painread.load().locale == "es"
        assert painread.load().locale == "de"
        with painread.use_locale(None):
            assert painread.load().locale == "en"
    assert painread.load().locale == "en"


@pytest.mark.usefixtures("registry")
def test_use_locale_restores_after_an_exception() -> None:
    with pytest.raises(RuntimeError), painread.use_locale("ar"):
        raise RuntimeError
    assert painread.load().locale == "en"


def test_use_locale_validates_at_once() -> None:
    with pytest.raises(InvalidLocaleError):
        painread.use_locale("../../etc/passwd")


@pytest.mark.usefixtures("registry")
def test_use_locale_as_a_decorator_of_sync_and_async_functions() -> None:
    @painread.use_locale("de")
    def sync_title() -> str:
        return painread.load().locale

    @painread.use_locale("ar")
    async def async_title() -> str:
        await asyncio.sleep(0)
        return painread.load().locale

    assert sync_title() == "de"
    assert asyncio.run(async_title()) == "ar"
    assert painread.load().locale == "en"


@pytest.mark.usefixtures("registry")
def test_a_decorated_function_may_recurse_and_run_in_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    @painread.use_locale("es")
    def depth(n: int) -> str:
        return depth(n - 1) if n else painread.load().locale

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(depth, range(40))) == {"es"}


@pytest.mark.usefixtures("registry")
def test_resolver_is_used_when_no_locale_is_given() -> None:
    calls: list[int] = []

    def resolver() -> str:
        calls.append(1)
        return "de-AT"

    assert painread.set_locale_resolver(resolver) is None
    assert painread.load().locale == "de"
    assert painread.load("es").locale == "es"
    with painread.use_locale("ar"):
        assert painread.load().locale == "ar"
    assert len(calls) == 1
    assert painread.set_locale_resolver(None) is resolver
    assert painread.load().locale == "en"


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("returned", "served"),
    [(None, "en"), (["fr", "es"], "es"), (("xx-YY", "ar"), "ar"), ([], "en"), ("es", "es")],
)
def test_resolver_may_return_a_locale_preferences_or_none(returned: object, served: str) -> None:
    painread.set_locale_resolver(lambda: returned)  # type: ignore[arg-type,return-value]
    assert painread.load().locale == served


@pytest.mark.usefixtures("registry")
def test_a_resolver_returning_garbage_raises_invalid_locale_error() -> None:
    painread.set_locale_resolver(lambda: 42)  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidLocaleError):
        painread.load()
    painread.set_locale_resolver(lambda: "../../etc")
    with pytest.raises(InvalidLocaleError):
        painread.load()


def test_resolver_must_be_callable() -> None:
    with pytest.raises(TypeError):
        painread.set_locale_resolver("de")  # type: ignore[arg-type]
