"""Negotiation through the remembered chains stays exact.

The registry remembers, until its sources change, which locales serve and the
chain of each requested locale; a negotiation is then a few lookups per
preference. These tests hold the answers equal to working everything out
afresh, and check that every change of the sources (a registration, plugin
discovery) is seen at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.localedata import locale_identifiers

import painread
from painread import catalogs, locales
from tests.i18n_helpers import FakeEntryPoint, registry, tagged, use_plugins, write_po

__all__ = ["registry"]

TITLE = "article.title"
EXTRA = ("it", "pt_BR", "pt_PT", "zh_Hant", "zh_Hant_HK", "fr_CA", "sr_Latn")
PREFERENCES = (
    "pt",
    "pt-PT;q=0.9, de;q=0.5",
    "zh-Hant-TW, en;q=0.1",
    "zh-TW",
    "fr, it;q=0.2",
    "fr-CH",
    "sr-Latn-RS, es;q=0.1",
    "xx, tlh, ar-EG;q=0.3",
    "en-GB, de",
    "*, de;q=0.1",
)


def _fresh_chain(registry: catalogs.Registry, locale: str) -> tuple[str, ...]:
    """The served chain worked out from scratch: every installed locale, nothing remembered."""
    every = registry.locales()
    chain = locales.babel_chain(locale, every)
    return tuple(
        code
        for code in chain
        if code == "en" or any(catalog.units for catalog in registry.catalogs(code))
    )


def _fresh_negotiate(registry: catalogs.Registry, header: str) -> str:
    for tag in locales.ranked_preferences(header):
        try:
            locale = locales.parse_locale(tag)
        except painread.InvalidLocaleError:
            continue
        served = _fresh_chain(registry, locale)[0]
        if served != "en" or locales.language_of(locale) == "en":
            return served
    return "en"


@pytest.fixture
def installed(registry: catalogs.Registry, tmp_path: Path) -> catalogs.Registry:
    for code in EXTRA:
        write_po(tmp_path, code, tagged(code, [TITLE]))
    painread.add_translations(tmp_path)
    return registry


def test_negotiation_equals_working_it_out_afresh(installed: catalogs.Registry) -> None:
    for header in PREFERENCES:
        expected = _fresh_negotiate(installed, header)
        assert painread.negotiate(header) == expected, header
        assert painread.negotiate(header) == expected, header  # remembered


def test_served_chains_equal_working_them_out_afresh(installed: catalogs.Registry) -> None:
    for tag in ("pt", "pt_BR", "zh_Hant_TW", "zh", "fr_CH", "sr_Latn_RS", "de_AT", "ar", "it"):
        locale = locales.parse_locale(tag)
        assert installed.served_chain(locale) == _fresh_chain(installed, locale), tag


def test_a_registration_is_seen_by_the_next_negotiation(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    assert painread.negotiate("nl, de;q=0.5") == "de"
    assert "nl" not in painread.available_locales()
    write_po(tmp_path, "nl", tagged("nl", [TITLE]))
    painread.add_translations(tmp_path)
    assert painread.negotiate("nl, de;q=0.5") == "nl"
    assert "nl" in painread.available_locales()


def test_plugin_discovery_is_seen_by_the_next_negotiation(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "pt_BR", tagged("pt_BR", [TITLE]))

    use_plugins(
        monkeypatch, FakeEntryPoint("example", lambda: tmp_path)
    )  # not discovered yet: the first negotiation discovers
    assert painread.negotiate("pt") == "pt_BR"


def test_a_catalog_without_usable_units_never_serves(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", tagged("it", [TITLE]), fuzzy=[TITLE])
    painread.add_translations(tmp_path)
    for _ in range(3):
        assert painread.negotiate("it, de;q=0.5") == "de"
        assert "it" not in painread.available_locales()


def test_remembered_answers_stay_bounded(
    registry: catalogs.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogs, "_CACHED_CHAINS", 5)
    for code in sorted(locale_identifiers())[:40]:
        registry.served_chain(code)
    assert 0 < len(registry._chains) <= 5
    assert 0 < len(registry._serving) <= 5


def test_an_answer_that_raced_a_registration_is_not_kept(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "nl", tagged("nl", [TITLE]))
    original = catalogs.candidate_chain

    def registering_meanwhile(locale: str, installed: tuple[str, ...]) -> tuple[str, ...]:
        chain = original(locale, installed)
        painread.add_translations(tmp_path)  # another thread, between lookup and store
        return chain

    monkeypatch.setattr(catalogs, "candidate_chain", registering_meanwhile)
    registry.served_chain("nl")  # worked out (partly) for the old sources
    monkeypatch.setattr(catalogs, "candidate_chain", original)
    assert registry.served_chain("nl") == ("nl", "en")
    assert painread.negotiate("nl") == "nl"
