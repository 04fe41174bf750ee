"""Fallback by CLDR's parent locales, never across scripts (docs/locales.md, "Fallback rules").

Each row installs complete translations for some locales (beside the bundled
``ar``, ``de`` and ``es``), asks for one tag, and says which locale is served
and whether ``strict=True`` refuses it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import painread
from tests.i18n_helpers import registry, whole, write_po

__all__ = ["registry"]

ROWS = [
    # Traditional Chinese readers never get Simplified Chinese
    (("zh_Hans",), "zh-Hant-TW", "en", True),
    (("zh_Hans",), "zh-Hant", "en", True),
    (("zh_Hans",), "zh-TW", "en", True),
    (("zh_Hans",), "zh-HK", "en", True),
    (("zh_Hans",), "zh-Hans", "zh_Hans", False),
    (("zh_Hans",), "zh", "zh_Hans", False),
    (("zh_Hans",), "zh-CN", "zh_Hans", False),
    (("zh_Hant",), "zh-Hant-TW", "zh_Hant", False),
    (("zh_Hant",), "zh-TW", "zh_Hant", False),
    (("zh_Hant",), "zh-HK", "zh_Hant", False),
    (("zh_Hant",), "zh-Hans", "en", True),
    (("zh_Hant",), "zh", "en", True),
    (("zh_Hant_HK", "zh_Hans"), "zh-TW", "zh_Hant_HK", False),
    # Serbian in Latin and Cyrillic script
    (("sr",), "sr-Latn", "en", True),
    (("sr",), "sr-Cyrl", "sr", False),
    (("sr",), "sr-RS", "sr", False),
    (("sr_Latn",), "sr-Latn", "sr_Latn", False),
    (("sr_Latn",), "sr-Latn-RS", "sr_Latn", False),
    (("sr_Latn",), "sr-Cyrl", "en", True),
    (("sr_Latn",), "sr", "en", True),
    # regions of one language and script serve each other
    (("pt_BR",), "pt-PT", "pt_BR", False),
    (("pt_PT",), "pt-BR", "pt_PT", False),
    (("pt_BR", "pt_PT"), "pt", "pt_BR", False),
    (("pt_BR", "pt_PT"), "pt-AO", "pt_PT", False),
    # CLDR's explicit parents
    (("es_419",), "es-MX", "es_419", False),
    (("es_419",), "es-419", "es_419", False),
    (("es_419",), "es-ES", "es", False),
    ((), "es-419", "es", False),
    ((), "en-GB", "en", False),
    ((), "en-001", "en", False),
    # English is the source in every region; an en_001 catalog is never read (security.md)
    (("en_001",), "en-GB", "en", False),
    (("en_001",), "en-001", "en", False),
    (("en_001",), "en-AU", "en", False),
    (("en_001",), "en-US", "en", False),
    # Norwegian: nb's CLDR parent is no, another language subtag
    (("no",), "nb", "no", True),
    (("nb",), "nb", "nb", False),
    (("nb",), "nb-NO", "nb", False),
    (("nb",), "no", "en", True),
]


def install(root: Path, codes: tuple[str, ...]) -> None:
    for code in codes:
        write_po(root, code, whole(code))
    if codes:
        painread.add_translations(root)


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(("installed", "tag", "served", "strict_raises"), ROWS)
def test_served_locale_follows_cldr_parents_within_the_script(
    installed: tuple[str, ...], tag: str, served: str, strict_raises: bool, tmp_path: Path
) -> None:
    install(tmp_path, installed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        article = painread.load(tag)
    assert article.locale == served
    assert article.disclaimer.locale == served
    assert painread.locale_info(tag).code == served
    if strict_raises:
        with pytest.raises(painread.IncompleteTranslationError):
            painread.load(tag, strict=True)
    else:
        assert painread.load(tag, strict=True) is article


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("installed", "header", "chosen"),
    [
        (("zh_Hans",), "zh-Hant-TW, zh;q=0.5", "zh_Hans"),
        (("zh_Hans",), "zh-Hant-TW, de;q=0.5", "de"),
        (("sr",), "sr-Latn, es;q=0.5", "es"),
        (("sr",), "sr-Latn", "en"),
    ],
)
def test_negotiation_skips_a_preference_no_locale_of_its_script_serves(
    installed: tuple[str, ...], header: str, chosen: str, tmp_path: Path
) -> None:
    install(tmp_path, installed)
    assert painread.negotiate(header) == chosen


def test_no_nb_is_not_a_locale() -> None:
    with pytest.raises(painread.InvalidLocaleError):
        painread.load("no-NB")
    assert painread.negotiate("no-NB, es;q=0.5") == "es"


def _script(code: str) -> str | None:
    """The script of ``code``, or the one CLDR says its language most likely has."""
    from babel import Locale
    from babel.core import get_global

    parsed = Locale.parse(code)
    likely = get_global("likely_subtags")
    return parsed.script or Locale.parse(likely.get(code) or likely[parsed.language]).script


@pytest.mark.parametrize("language", ["zh", "sr", "pt", "az", "uz", "pa", "bs", "ms"])
def test_no_chain_changes_script_whatever_is_installed(language: str) -> None:
    from babel.localedata import locale_identifiers

    from painread.locales import candidate_chain, cldr_parents, parse_locale

    codes = sorted(
        {
            parse_locale(code)
            for code in locale_identifiers()
            if code.split("_")[0] == language and code != "en"
        }
    )
    for code in codes:
        chain = candidate_chain(code, codes)
        assert (chain[0], chain[-1]) == (code, "en")
        lineage = set(cldr_parents(code))
        for served in chain[:-1]:
            assert _script(served) == _script(code), (code, chain)
            assert served.split("_")[0] == language or served in lineage, (code, chain)
