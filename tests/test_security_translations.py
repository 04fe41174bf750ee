"""What a translation cannot do to the disclaimer, the notices and the English source.

Each test is one way a downstream translation (a registered directory or an
installed plugin) tried to change what a reader is told: replacing English
itself, serving invisible, reversed, truncated or number-less safety text,
smuggling terminal control characters, forging a compiled catalog, declaring
another charset in an MO file, or burying the reader's terminal in warnings.
Every attempt must fall back to text that is visibly real, with one warning
that says why, and ``painread i18n check`` must report the same thing.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import painread
from painread.cli import main
from painread.errors import PainreadWarning
from tests.i18n_helpers import (
    ENGLISH,
    FakeEntryPoint,
    po_text,
    registry,
    use_plugins,
    whole,
    write_po,
)
from tests.mo_helpers import mo_bytes, unit_messages, write_mo

__all__ = ["registry"]

DISCLAIMER = "disclaimer.text"
NOTICE = "notice.contamination-adverse-events.text"
HEADING = "ui.disclaimer.heading"
PARAGRAPH = "conclusion.p1"
HIJACK = "This is medical advice from your doctor: kratom is safe at any dose."
C1 = "\x80\x85\x9b\x9c\x9f"


def caught(action: Callable[[], Any]) -> tuple[Any, list[str]]:
    """What ``action`` returns, and the PainreadWarnings it raised (as text)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = action()
    return result, [str(w.message) for w in seen if issubclass(w.category, PainreadWarning)]


def checked(*paths: Path) -> tuple[int, str]:
    """``painread i18n check`` on ``paths``: its exit status and what it printed."""
    out = io.StringIO()
    code = main(["i18n", "check", *map(str, paths)], stdout=out)
    return code, out.getvalue()


def english_sources(root: Path) -> Path:
    """Catalogs for English spelled every way but ``en``, each replacing the safety text."""
    hijack = {DISCLAIMER: HIJACK, "article.title": "HIJACKED", "ui.disclaimer.heading": "Note"}
    for notice in (unit for unit in ENGLISH if unit.startswith("notice.")):
        hijack[notice] = "Nothing to worry about."
    for locale in ("en_US", "en_001", "en_GB", "en-CA"):
        write_po(root, locale, hijack, language=locale.replace("-", "_"))
    return root


# --- 1. English can be replaced ------------------------------------------------------------------


def test_no_outside_catalog_serves_any_english_locale(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = english_sources(tmp_path / "plugin")
    use_plugins(monkeypatch, FakeEntryPoint("en-hijack", lambda: plugin))
    painread.add_translations(english_sources(tmp_path / "registered"))
    english = painread.load()

    def requests() -> tuple[object, ...]:
        return (
            painread.load("en-US"),
            painread.load("en_GB"),
            painread.load("en-001"),
            painread.negotiate("en-US,en;q=0.9"),
            painread.available_locales(),
        )

    (us, gb, world, negotiated, available), seen = caught(requests)
    for article in (us, gb, world):
        assert article is english
    assert negotiated == "en"
    assert available == ("ar", "de", "en", "es")
    refusals = [message for message in seen if "source language" in message]
    assert len(refusals) == 2, seen  # one per origin, naming every folder it refused
    assert all("en_001" in message and "en_US" in message for message in refusals)

    code, report = checked(tmp_path / "registered")
    assert code == 1
    assert report.count("English is the source language") == 4

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    code, _ = caught(lambda: main(["show", "--format", "markdown"], stdout=out))
    assert code == 0
    assert "HIJACKED" not in out.getvalue()
    assert "kratom is safe" not in out.getvalue()
    assert ENGLISH["article.title"] in out.getvalue()


# --- 2. Invisible text counts as text ------------------------------------------------------------

HOSTILE_DISCLAIMERS = {
    "zero-width spaces": "\u200b" * 40,
    "byte order marks": "\ufeff" * 40,
    "Hangul filler": "\u3164" * 40,
    "Braille blank": "\u2800" * 40,
    "soft hyphens": "\u00ad" * 40,
    "a full stop": ".",
    "fillers and format characters mixed": "\u3164\u200b\u2060\u00a0\u180e\u115f\u1160\uffa0 " * 9,
    "reversed with U+202E": "\u202e" + ENGLISH[DISCLAIMER][::-1],
    "wrapped in U+202B": "\u202b" + ENGLISH[DISCLAIMER] + "\u202c",
    "the hijack text": HIJACK,
    "the first sentence only": ENGLISH[DISCLAIMER].split(". ")[0] + ".",
    "the Poison Help number dropped": ENGLISH[DISCLAIMER].replace("1-800-222-1222", "the hotline"),
}


@pytest.fixture(params=sorted(HOSTILE_DISCLAIMERS))
def hostile(request: pytest.FixtureRequest) -> str:
    return HOSTILE_DISCLAIMERS[request.param]


def test_a_safety_unit_that_is_not_visibly_real_text_falls_back_with_file_and_line(
    registry: object, tmp_path: Path, hostile: str
) -> None:
    entries = whole("fr")
    entries[DISCLAIMER] = hostile
    po = write_po(tmp_path, "fr", entries)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("fr"))

    assert article.locale == "fr"
    assert article.disclaimer.text == ENGLISH[DISCLAIMER]
    assert article.disclaimer.locale == "en"
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgctxt "{DISCLAIMER}"') + 2
    assert len(seen) == 1, seen
    assert f"{po}:{line}" in seen[0]
    assert DISCLAIMER in seen[0]
    code, report = checked(tmp_path)
    assert code == 1
    assert f"{po}:{line}" in report


@pytest.mark.parametrize(
    ("unit", "text"),
    [
        (NOTICE, "\u200b" * 80),
        (NOTICE, ENGLISH[NOTICE].replace("27,338", "many")),
        (NOTICE, "\u202e" + ENGLISH[NOTICE]),
        ("note.starting-dose-figure.text", "\u2800"),
        (HEADING, "\u3164\u3164"),
        ("ui.severity.warning", "\u00ad"),
        ("ui.notes.heading", "\u202eseton"),
    ],
)
def test_notices_notes_and_their_labels_get_the_same_rules(
    registry: object, tmp_path: Path, unit: str, text: str
) -> None:
    entries = whole("fr")
    entries[unit] = text
    write_po(tmp_path, "fr", entries)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("fr"))

    assert article.unit(unit).text == ENGLISH[unit]
    assert len(seen) == 1
    assert unit in seen[0]
    assert checked(tmp_path)[0] == 1


def test_numbers_may_be_written_the_locale_s_way(registry: object, tmp_path: Path) -> None:
    entries = whole("de")
    entries[NOTICE] = ENGLISH[NOTICE].replace("27,338", "27.338")
    entries[DISCLAIMER] = ENGLISH[DISCLAIMER] + " (Deutsch)"
    write_po(tmp_path, "de", entries)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("de"))

    assert seen == []
    assert "27.338" in article.unit(NOTICE).text
    assert article.disclaimer.text.endswith("(Deutsch)")


# --- 3. C1 controls pass -------------------------------------------------------------------------


@pytest.mark.parametrize("control", [*C1, "\r", "\x1b", "\x7f"])
def test_control_characters_are_refused_in_every_unit(
    registry: object, tmp_path: Path, control: str
) -> None:
    entries = whole("fr")
    entries[PARAGRAPH] = f"{entries[PARAGRAPH]}{control}2J{control}H"
    write_po(tmp_path, "fr", entries)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("fr"))

    assert article.unit(PARAGRAPH).text == ENGLISH[PARAGRAPH]
    assert len(seen) == 1
    assert f"U+{ord(control):04X}" in seen[0]
    for fmt in painread.FORMATS:
        rendered = painread.render(article, fmt)
        assert control not in rendered
        assert not any(char in rendered for char in C1)
    assert checked(tmp_path)[0] == 1


# --- 6. Forged compiled catalogs -----------------------------------------------------------------


def _forged(root: Path) -> Path:
    """A PO file with a good disclaimer, and an MO beside it claiming to be its compiled form."""
    po = write_po(root, "fr", whole("fr"))
    forged = whole("fr")
    forged[DISCLAIMER] = HIJACK + " " + ENGLISH[DISCLAIMER]
    digest = hashlib.sha256(po.read_bytes()).hexdigest()
    header = (
        "Language: fr\nContent-Type: text/plain; charset=UTF-8\nX-Painread-Reviewed: no\n"
        f"X-Painread-Source-Sha256: {digest}\n"
    )
    po.with_suffix(".mo").write_bytes(mo_bytes(unit_messages(forged, header=header)))
    return po


def test_a_compiled_catalog_claiming_its_po_s_digest_is_not_trusted(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forged(tmp_path / "registered")
    plugin = tmp_path / "plugin"
    _forged(plugin)
    entry = FakeEntryPoint("forger", lambda: plugin)
    write_po(plugin, "it", whole("it"))
    (plugin / "it" / "LC_MESSAGES" / "painread.mo").write_bytes(
        (tmp_path / "registered" / "fr" / "LC_MESSAGES" / "painread.mo").read_bytes()
    )
    use_plugins(monkeypatch, entry)
    painread.add_translations(tmp_path / "registered")

    served, _ = caught(lambda: (painread.load("fr"), painread.load("it")))

    for article in served:
        assert HIJACK not in article.disclaimer.text
        assert (
            article.disclaimer.text == whole("fr" if article.locale == "fr" else "it")[DISCLAIMER]
        )
    assert checked(tmp_path / "registered")[0] == 0  # the PO it approves is what is served


# --- 11. Charsets and warning floods -------------------------------------------------------------


def test_a_compiled_catalog_with_another_charset_is_refused_like_its_po(
    registry: object, tmp_path: Path
) -> None:
    entries = {unit: text for unit, text in whole("fr").items() if text.isascii()}
    header = "Language: fr\nContent-Type: text/plain; charset=ISO-8859-1\n"
    write_mo(tmp_path, "fr", entries, header=header)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("fr"))

    assert article.locale == "en"
    assert len(seen) == 1
    assert "ISO-8859-1" in seen[0].upper()
    assert "UTF-8" in seen[0]
    code, report = checked(tmp_path)
    assert code == 1
    assert "UTF-8" in report


def _flooded(root: Path, unknown: int) -> Path:
    po = write_po(root, "fr", whole("fr"))
    with po.open("a", encoding="utf-8") as stream:
        for index in range(unknown):
            stream.write(f'\nmsgctxt "unknown.{index}"\nmsgid "x"\nmsgstr "y"\n')
    return po


def test_one_catalog_costs_one_warning_with_counts_and_first_locations(
    registry: object, tmp_path: Path
) -> None:
    po = _flooded(tmp_path, 60_000)
    painread.add_translations(tmp_path)

    article, seen = caught(lambda: painread.load("fr"))

    assert article.disclaimer.text == whole("fr")[DISCLAIMER]
    assert len(seen) == 1
    assert "60000" in seen[0].replace(",", "")
    assert str(po) in seen[0]
    assert len(re.findall(r"painread\.po:\d+", seen[0])) <= 5
    assert len(seen[0]) < 2_000


def test_the_warning_summary_names_each_kind_of_problem(registry: object, tmp_path: Path) -> None:
    entries = whole("fr")
    entries[DISCLAIMER] = "\u200b"
    entries[PARAGRAPH] = entries[PARAGRAPH] + "\x9b"
    po = tmp_path / "fr" / "LC_MESSAGES" / "painread.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        po_text(entries, language="fr") + '\nmsgctxt "unknown.one"\nmsgid "x"\nmsgstr "y"\n',
        encoding="utf-8",
    )
    painread.add_translations(tmp_path)

    _, seen = caught(lambda: painread.load("fr"))

    assert len(seen) == 1
    for expected in (DISCLAIMER, PARAGRAPH, "unknown.one", "U+009B", "3 problems"):
        assert expected in seen[0], seen[0]
