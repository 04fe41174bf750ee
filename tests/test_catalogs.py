"""Catalog reading (PO and MO), origins and precedence, and untrusted catalogs kept apart."""

from __future__ import annotations

import gettext
import hashlib
import io
import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from painread import catalogs, translation
from painread._catalog_file import MAX_CATALOG_BYTES
from painread._integrity import MAX_UNIT_CHARS
from painread._pofile import compile_po, parse_po
from painread.errors import CatalogError, PainreadWarning
from tests.i18n_helpers import (
    ENGLISH,
    FakeEntryPoint,
    po_text,
    registry,
    tagged,
    use_plugins,
    use_registry,
    whole,
    write_po,
)

__all__ = ["registry"]

TITLE = "article.title"


# --- reading -------------------------------------------------------------------------------------


def test_bundled_catalogs_are_complete_and_unreviewed(registry: catalogs.Registry) -> None:
    for code in ("es", "de", "ar"):
        (catalog,) = registry.catalogs(code)
        assert catalog.origin == "bundled"
        assert set(catalog.units) == set(ENGLISH), code
        assert catalog.reviewed is False


def test_a_po_catalog_serves_only_current_unfuzzy_nonempty_units(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    entries = tagged("it", [TITLE, "ui.sources.label", "ui.summary.heading", "disclaimer.text"])
    entries["ui.contents.heading"] = ""
    write_po(
        tmp_path,
        "it",
        entries,
        fuzzy={"ui.sources.label"},
        msgids={"ui.summary.heading": "An older English text"},
    )
    painread.add_translations(tmp_path)
    (catalog,) = registry.catalogs("it")
    assert set(catalog.units) == {TITLE, "disclaimer.text"}
    assert catalog.origin == f"registered:{tmp_path}"


def test_a_compiled_catalog_is_read_with_gettext(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    po = write_po(tmp_path, "it", tagged("it", [TITLE]), fuzzy=set())
    compile_po(po, po.with_suffix(".mo"))
    po.unlink()
    painread.add_translations(tmp_path)
    (catalog,) = registry.catalogs("it")
    assert catalog.path.endswith("painread.mo")
    assert catalog.units[TITLE] == f"[it] {ENGLISH[TITLE]}"


def test_a_translation_equal_to_the_english_is_still_a_translation(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    po = write_po(tmp_path, "it", {"ui.summary.heading": ENGLISH["ui.summary.heading"]})
    compile_po(po, po.with_suffix(".mo"))
    painread.add_translations(tmp_path)
    (catalog,) = registry.catalogs("it")
    assert "ui.summary.heading" in catalog.units


OLD_NS = 1_000_000_000


def test_a_compiled_catalog_names_the_digest_of_its_po(tmp_path: Path) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    mo = po.with_suffix(".mo")
    compile_po(po, mo)
    compile_po(po, mo)  # compiled again: one digest, not two
    headers = gettext.GNUTranslations(io.BytesIO(mo.read_bytes())).info()
    assert headers["x-painread-source-sha256"] == hashlib.sha256(po.read_bytes()).hexdigest()
    assert mo.read_bytes().count(b"X-Painread-Source-Sha256") == 1


@pytest.mark.parametrize(
    ("edited", "older", "read", "title"),
    [
        (False, "mo", "painread.mo", "Titolo"),  # as installers write a wheel's files
        (False, "po", "painread.mo", "Titolo"),
        (True, "mo", "painread.po", "Nuovo titolo"),
        (True, "po", "painread.po", "Nuovo titolo"),
    ],
)
def test_an_mo_is_read_while_its_po_is_unchanged_whatever_the_times_say(
    registry: catalogs.Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edited: bool,
    older: str,
    read: str,
    title: str,
) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    mo = po.with_suffix(".mo")
    compile_po(po, mo)
    if edited:
        write_po(tmp_path, "it", {TITLE: "Nuovo titolo"})
    os.utime(mo if older == "mo" else po, ns=(OLD_NS, OLD_NS))
    registry = packaged(monkeypatch, tmp_path)
    (catalog,) = registry.catalogs("it")
    assert catalog.path.endswith(read)
    assert painread.load("it").title.text == title


def packaged(monkeypatch: pytest.MonkeyPatch, root: Path) -> catalogs.Registry:
    """Serve ``root`` as if it shipped with painread: its MO files may stand in for PO files."""
    source = translation.TranslationSource("bundled", root, trusted=True, packaged=True)
    return use_registry(monkeypatch, bundled=source)


def _mo_without_digest(po: Path) -> Path:
    """An MO file as other tools write it: no record of its PO file."""
    mo = po.with_suffix(".mo")
    with mo.open("wb") as stream:
        write_mo(stream, parse_po(po.read_bytes(), path=str(po)))
    return mo


@pytest.mark.parametrize(("mo_is_older", "read"), [(True, "painread.po"), (False, "painread.mo")])
def test_an_mo_that_names_no_po_is_judged_by_time(
    registry: catalogs.Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mo_is_older: bool,
    read: str,
) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    mo = _mo_without_digest(po)
    os.utime(mo if mo_is_older else po, ns=(OLD_NS, OLD_NS))
    registry = packaged(monkeypatch, tmp_path)
    assert registry.catalogs("it")[0].path.endswith(read)


@pytest.mark.parametrize("digest", ["matching", "none"])
def test_outside_the_package_an_mo_beside_its_po_is_never_read(
    registry: catalogs.Registry, tmp_path: Path, digest: str
) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    if digest == "matching":
        compile_po(po, po.with_suffix(".mo"))
    else:
        os.utime(_mo_without_digest(po), ns=(OLD_NS * 5, OLD_NS * 5))
    write_po(tmp_path, "it", {TITLE: "Titolo"})  # the same bytes, written after
    painread.add_translations(tmp_path)
    assert registry.catalogs("it")[0].path.endswith("painread.po")


def test_an_mo_whose_po_cannot_be_read_is_judged_by_time(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The PO file leads outside the registered directory, so its digest cannot be checked.
    outside = write_po(tmp_path / "outside", "it", {TITLE: "Titolo"})
    messages = tmp_path / "root" / "it" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    compile_po(outside, messages / "painread.mo")
    (messages / "painread.po").symlink_to(outside)
    os.utime(outside, ns=(OLD_NS, OLD_NS))
    registry = packaged(monkeypatch, tmp_path / "root")
    (catalog,) = registry.catalogs("it")
    assert catalog.path.endswith("painread.mo")
    assert catalog.units[TITLE] == "Titolo"


def test_a_garbage_mo_falls_back_to_its_po_with_one_warning(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    po.with_suffix(".mo").write_bytes(b"\xde\x12\x04\x95" + b"\x00" * 7)
    os.utime(po, ns=(1_000_000_000, 1_000_000_000))
    packaged(monkeypatch, tmp_path)
    with pytest.warns(PainreadWarning, match=r"painread\.mo: not a valid MO file.*instead") as seen:
        assert painread.load("it").title.text == "Titolo"
    assert len(seen) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not a catalog at all",
        b"\xde\x12\x04\x95\x00\x00\x00\x00\xff\xff\xff\x7f" + b"\x00" * 12,
    ],
)
def test_a_garbage_mo_alone_is_skipped(
    registry: catalogs.Registry, tmp_path: Path, garbage: bytes
) -> None:
    mo = tmp_path / "it" / "LC_MESSAGES" / "painread.mo"
    mo.parent.mkdir(parents=True)
    mo.write_bytes(garbage)
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match="catalog skipped"):
        assert painread.load("it").locale == "en"
    assert "it" not in painread.available_locales()


def test_a_truncated_mo_is_skipped(registry: catalogs.Registry, tmp_path: Path) -> None:
    po = write_po(tmp_path, "it", whole("it"))
    mo = po.with_suffix(".mo")
    compile_po(po, mo)
    po.unlink()
    mo.write_bytes(mo.read_bytes()[:500])
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match="not a valid MO file"):
        assert painread.load("it").locale == "en"


# --- broken catalogs are isolated ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'msgid ""\nmsgstr ""\n\nmsgctxt "article.title"\nmsgid "x',
            r"it/LC_MESSAGES/painread.po:\d+: invalid PO syntax",
        ),
        (b"this is not a PO file\n", r"painread.po:1: invalid PO syntax"),
        (
            b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            b'msgctxt "article.title"\nmsgid "Kratom"\nmsgstr "Tr\xe8s"\n',
            r"painread.po:6: not valid UTF-8",
        ),
        (
            b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
            r"painread.po:1: declares charset 'iso-8859-1'",
        ),
    ],
)
def test_a_broken_catalog_is_skipped_with_one_warning_and_the_rest_works(
    registry: catalogs.Registry, tmp_path: Path, content: bytes, message: str
) -> None:
    broken = tmp_path / "it" / "LC_MESSAGES" / "painread.po"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(content)
    write_po(tmp_path, "nl", tagged("nl", [TITLE]))
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match=message) as seen:
        assert painread.load("it").locale == "en"
    assert len(seen) == 1
    assert painread.load("nl").title.text == f"[nl] {ENGLISH[TITLE]}"
    assert painread.load("es").locale == "es"
    assert painread.load().disclaimer.text == ENGLISH["disclaimer.text"]


@pytest.mark.parametrize(
    ("unit_id", "text", "message"),
    [
        ("ui.summary.heading", "   ", "blank"),
        ("ui.summary.heading", "Sommario\x00", "control character"),
        ("ui.summary.heading", "Sommario\x1b[31m", "control character"),
        ("ui.summary.heading", "x" * (MAX_UNIT_CHARS + 1), "longer than"),
        ("ui.as-of.label", "Al {data}", r"placeholders \{data\} do not match the English \{date\}"),
        ("ui.as-of.label", "Al", r"placeholders \(none\)"),
        ("ui.as-of.label", "Al {date.__class__}", "placeholders"),
        ("ui.as-of.label", "Al {date:>999999999}", "placeholders"),
        ("ui.as-of.label", "Al {date!r}", "placeholders"),
        ("ui.as-of.label", "Al {0}", "placeholders"),
        ("ui.as-of.label", "Al {date", r"unbalanced braces"),
        ("ui.summary.heading", "Sommario {x}", "placeholders"),
    ],
)
def test_an_invalid_unit_is_skipped_with_a_warning_naming_file_and_line(
    registry: catalogs.Registry, tmp_path: Path, unit_id: str, text: str, message: str
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo", unit_id: text})
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match=rf"painread\.po:\d+: .*{message}") as seen:
        article = painread.load("it")
    assert len(seen) == 1
    assert article.title.text == "Titolo"
    assert article.unit(unit_id).text == ENGLISH[unit_id]
    assert article.unit(unit_id).locale == "en"


def test_a_valid_label_keeps_its_placeholders_and_formats(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {"ui.as-of.label": "{{Stato}} al {date}"})
    painread.add_translations(tmp_path)
    assert painread.load("it").label("ui.as-of.label", date="oggi") == "{Stato} al oggi"


def test_a_one_megabyte_msgstr_is_refused_but_the_catalog_still_serves(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo", "summary.p1": "x " * 500_000})
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match="longer than"):
        article = painread.load("it")
    assert article.title.text == "Titolo"
    assert article.summary.paragraphs[0].locale == "en"


def test_an_oversized_catalog_is_not_read(registry: catalogs.Registry, tmp_path: Path) -> None:
    po = write_po(tmp_path, "it", {TITLE: "Titolo"})
    with po.open("a", encoding="utf-8") as stream:
        stream.write("# padding\n" * (MAX_CATALOG_BYTES // 10 + 1))
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match="larger than"):
        assert painread.load("it").locale == "en"


def test_unknown_and_duplicate_entries_are_reported_and_skipped(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    text = po_text({TITLE: "Titolo", "no.such.unit": "Niente"}, language="it")
    text += f'\nmsgctxt "{TITLE}"\nmsgid "{ENGLISH[TITLE]}"\nmsgstr "Altro"\n'
    text += '\nmsgid "no context"\nmsgstr "senza contesto"\n'
    po = tmp_path / "it" / "LC_MESSAGES" / "painread.po"
    po.parent.mkdir(parents=True)
    po.write_text(text, encoding="utf-8")
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning) as seen:
        article = painread.load("it")
    (message,) = (str(w.message) for w in seen)  # one warning for the catalog, all three named
    assert "3 problems (2 unknown msgctxt, 1 duplicate)" in message
    assert "unknown msgctxt 'no.such.unit'" in message
    assert "unknown msgctxt None" in message
    assert "duplicate entry 'article.title'; first one used" in message
    assert article.title.text == "Titolo"


def test_a_symlink_out_of_the_translation_directory_is_not_followed(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    outside = write_po(tmp_path / "outside", "it", {TITLE: "Fuori"})
    root = tmp_path / "translations"
    (root / "it" / "LC_MESSAGES").mkdir(parents=True)
    (root / "it" / "LC_MESSAGES" / "painread.po").symlink_to(outside)
    (root / "nl").symlink_to(outside.parent.parent)
    painread.add_translations(root)
    with pytest.warns(PainreadWarning, match="leads outside its translation directory") as seen:
        served = (painread.load("it").locale, painread.load("nl").locale)
    assert served == ("en", "en")
    assert len(seen) == 2


def test_folder_names_must_be_locales_and_english_cannot_be_replaced(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "..evil", {TITLE: "x"})
    write_po(tmp_path, "xx_YY", {TITLE: "x"})
    write_po(tmp_path, "en", {TITLE: "Hijacked title", "disclaimer.text": "Nothing to see."})
    write_po(tmp_path, "it", {TITLE: "Titolo"})
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "README.txt").write_text("not a locale", encoding="utf-8")
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning) as seen:
        assert painread.available_locales() == ("ar", "de", "en", "es", "it")
    assert len(seen) == 3
    assert any("English is the source and cannot be replaced" in str(w.message) for w in seen)
    english = painread.load("en")
    assert english.title.text == ENGLISH[TITLE]
    assert painread.load("en-GB").disclaimer.text == ENGLISH["disclaimer.text"]


def test_a_blank_disclaimer_cannot_remove_the_disclaimer(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo", "disclaimer.text": " \n "})
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match="blank"):
        article = painread.load("it")
    assert article.disclaimer.text == ENGLISH["disclaimer.text"]
    assert article.disclaimer.locale == "en"
    assert len(article.notices) == len(painread.load("en").notices) + 1


# --- add_translations ----------------------------------------------------------------------------


def test_add_translations_refuses_what_is_not_a_directory(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    with pytest.raises(CatalogError, match="not a directory"):
        painread.add_translations(tmp_path / "missing")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(CatalogError, match="not a directory"):
        painread.add_translations(str(tmp_path / "file"))
    with pytest.raises(CatalogError, match="expected a directory"):
        painread.add_translations(42)  # type: ignore[arg-type]


def test_adding_translations_invalidates_cached_articles(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    before = painread.load("it")
    assert before.locale == "en"
    write_po(tmp_path, "it", {TITLE: "Titolo"})
    painread.add_translations(tmp_path)
    after = painread.load("it")
    assert after is not before
    assert after.title.text == "Titolo"
    assert painread.load("it") is after


def test_the_same_directory_added_twice_is_registered_once(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo"})
    painread.add_translations(tmp_path)
    painread.add_translations(str(tmp_path))
    assert len(registry.catalogs("it")) == 1


# --- precedence ----------------------------------------------------------------------------------


def test_precedence_is_registered_then_plugin_then_bundled_unit_by_unit(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin_dir, early, late = tmp_path / "plugin", tmp_path / "early", tmp_path / "late"
    write_po(plugin_dir, "es", {TITLE: "plugin title", "ui.notes.heading": "plugin notes"})
    write_po(early, "es", {TITLE: "early title", "ui.summary.heading": "early summary"})
    write_po(late, "es", {TITLE: "late title"})
    registry = use_plugins(monkeypatch, FakeEntryPoint("es-extra", lambda: plugin_dir))
    painread.add_translations(early)
    painread.add_translations(late)
    article = painread.load("es")
    bundled = registry.catalogs("es")[-1].units
    assert article.title.text == "late title"
    assert article.label("ui.summary.heading") == "early summary"
    assert article.label("ui.notes.heading") == "plugin notes"
    assert article.label("ui.contents.heading") == bundled["ui.contents.heading"]
    assert article.fallbacks == {}
    info = painread.locale_info("es")
    assert info.origins == (
        f"registered:{late}",
        f"registered:{early}",
        "plugin:es-extra",
        "bundled",
    )
    assert info.origin == f"registered:{late}"


def test_a_missing_unit_falls_through_origins_of_its_locale_before_the_next_locale(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "es_MX", {TITLE: "título mexicano"})
    write_po(
        tmp_path, "es_419", {TITLE: "título latinoamericano", "ui.summary.heading": "Resumen LA"}
    )
    painread.add_translations(tmp_path)
    article = painread.load("es-MX")
    assert article.locale == "es_MX"
    assert article.title.text == "título mexicano"
    assert article.label("ui.summary.heading") == "Resumen LA"
    assert article.fallbacks["ui.summary.heading"] == "es_419"
    assert article.fallbacks["disclaimer.text"] == "es"
    assert article.disclaimer.locale == "es"


# --- plugins -------------------------------------------------------------------------------------


def test_plugins_are_discovered_lazily_and_not_for_english(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo"})
    calls: list[str] = []

    def factory() -> Path:
        calls.append("called")
        return tmp_path

    use_plugins(monkeypatch, FakeEntryPoint("it", factory))
    assert painread.load().locale == "en"
    assert painread.load("en").locale == "en"
    assert calls == []
    assert painread.load("it").title.text == "Titolo"
    assert painread.load("it-CH").title.text == "Titolo"
    assert calls == ["called"]
    assert painread.locale_info("it").origin == "plugin:it"


def test_a_plugin_may_return_str_pathlike_or_a_zip_traversable(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path / "a", "it", {TITLE: "Titolo"})
    write_po(tmp_path / "b", "nl", {TITLE: "Titel"})
    archive = tmp_path / "plugin.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "pkg/locales/fi/LC_MESSAGES/painread.po", po_text({TITLE: "Otsikko"}, language="fi")
        )
    use_plugins(
        monkeypatch,
        FakeEntryPoint("a", lambda: str(tmp_path / "a")),
        FakeEntryPoint("b", lambda: tmp_path / "b"),
        FakeEntryPoint("c", lambda: zipfile.Path(archive, "pkg/locales/")),
    )
    assert painread.available_locales() == ("ar", "de", "en", "es", "fi", "it", "nl")
    assert painread.load("fi").title.text == "Otsikko"
    assert painread.load("nl").title.text == "Titel"


@pytest.mark.parametrize(
    ("compiled_by", "po_title", "read", "served"),
    [
        ("painread", "Otsikko", "painread.po", "Otsikko"),
        ("painread", "Uusi otsikko", "painread.po", "Uusi otsikko"),
        ("other tools", "Uusi otsikko", "painread.po", "Uusi otsikko"),
    ],
)
def test_a_zipped_plugin_is_read_from_its_po_whatever_its_mo_claims(
    registry: catalogs.Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    compiled_by: str,
    po_title: str,
    read: str,
    served: str,
) -> None:
    po = write_po(tmp_path, "fi", {TITLE: "Otsikko"})
    mo = po.with_suffix(".mo")
    if compiled_by == "painread":
        compile_po(po, mo)
    else:
        _mo_without_digest(po)
    archive = tmp_path / "plugin.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("locales/fi/LC_MESSAGES/painread.mo", mo.read_bytes())
        zf.writestr("locales/fi/LC_MESSAGES/painread.po", po_text({TITLE: po_title}, language="fi"))
    registry = use_plugins(
        monkeypatch, FakeEntryPoint("z", lambda: zipfile.Path(archive, "locales/"))
    )
    (catalog,) = registry.catalogs("fi")
    assert catalog.path.endswith(read)
    assert catalog.units[TITLE] == served


def test_misbehaving_plugins_are_isolated(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path / "good", "it", {TITLE: "Titolo"})
    (tmp_path / "a-file").write_text("x", encoding="utf-8")

    def boom() -> Path:
        raise RuntimeError("plugin bug")

    class BrokenEntryPoint(FakeEntryPoint):
        def load(self) -> Callable[[], object]:
            raise ImportError("No module named 'gone'")

    use_plugins(
        monkeypatch,
        FakeEntryPoint("raises", boom),
        BrokenEntryPoint("unimportable", boom),
        FakeEntryPoint("missing", lambda: tmp_path / "nowhere"),
        FakeEntryPoint("file", lambda: tmp_path / "a-file"),
        FakeEntryPoint("number", lambda: 42),
        FakeEntryPoint("good", lambda: tmp_path / "good"),
    )
    with pytest.warns(PainreadWarning) as seen:
        assert painread.load("it").title.text == "Titolo"
    text = "\n".join(str(w.message) for w in seen)
    assert len(seen) == 5
    for name in ("raises", "unimportable", "missing", "file", "number"):
        assert f"translation plugin {name!r}" in text
    assert "RuntimeError: plugin bug" in text
    assert painread.load().locale == "en"
    assert painread.load("es").locale == "es"


def test_a_plugin_cannot_claim_to_be_reviewed(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path / "plugin", "it", whole("it"), reviewed="yes")
    write_po(tmp_path / "host", "nl", whole("nl"), reviewed="yes")
    use_plugins(monkeypatch, FakeEntryPoint("it", lambda: tmp_path / "plugin"))
    painread.add_translations(tmp_path / "host")
    italian, dutch = painread.load("it"), painread.load("nl")
    assert "translation-unreviewed" in {notice.id for notice in italian.notices}
    assert painread.locale_info("it").reviewed is False
    assert "translation-unreviewed" not in {notice.id for notice in dutch.notices}
    assert painread.locale_info("nl").reviewed is True
    assert dutch.fallbacks == {}


# --- fuzzing the parsers -------------------------------------------------------------------------


_PO_LINES = st.sampled_from(
    [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=x; plural=(n != 1);\\n"',
        '"X-Painread-Reviewed: yes\\n"',
        'msgctxt "article.title"',
        f'msgid "{ENGLISH[TITLE]}"',
        'msgstr "Titolo"',
        'msgid_plural "many"',
        'msgstr[0] "uno"',
        'msgstr[9] "nove"',
        "#, fuzzy",
        '#| msgid "old"',
        '#~ msgid "gone"',
        '"continued"',
        "",
        "garbage",
        '"\\x"',
    ]
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_PO_LINES | st.text(max_size=20), max_size=20))
def test_the_po_parser_raises_only_catalog_errors(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        parse_po(data, path="fuzz.po")
    except CatalogError as exc:
        error: CatalogError | None = exc
    else:
        error = None
    assert error is None or error.path == "fuzz.po"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_the_mo_reader_refuses_garbage_with_a_warning_only(tmp_path: Path, data: bytes) -> None:
    mo = tmp_path / "it" / "LC_MESSAGES" / "painread.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    mo.write_bytes(b"\xde\x12\x04\x95" + data)
    source = translation.TranslationSource("registered:fuzz", tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PainreadWarning)
        catalog = translation.read_catalog(source, "it", tmp_path / "it")
    assert catalog is None or isinstance(catalog.units, dict)


# --- registering: mistakes named, the environment, plugins switched off ---------------------


def test_registering_one_level_too_deep_warns_naming_what_was_expected(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "fr", tagged("fr", [TITLE]))
    with pytest.warns(PainreadWarning) as seen:
        painread.add_translations(tmp_path / "fr")
    assert [str(w.message) for w in seen] == [
        f"{tmp_path / 'fr'}: no catalogs found, expected <locale>/LC_MESSAGES/painread.po "
        "(or .mo) inside; it looks like one locale's folder: register the directory above it"
    ]
    assert "fr" not in painread.available_locales()
    painread.add_translations(tmp_path)  # the right level: no warning
    assert "fr" in painread.available_locales()


def test_registering_an_empty_directory_warns(registry: catalogs.Registry, tmp_path: Path) -> None:
    with pytest.warns(PainreadWarning, match=r"no catalogs found, expected <locale>/LC_MESSAGES"):
        painread.add_translations(tmp_path)


def test_the_translations_variable_registers_directories_in_path_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_po(first, "fr", {TITLE: "Premier"})
    write_po(second, "fr", {TITLE: "Second"})
    explicit = tmp_path / "explicit"
    write_po(explicit, "fr", {"summary.p1": "Résumé."})
    variable = os.pathsep.join(["", str(first), str(tmp_path / "nowhere"), str(second)])
    fresh = use_registry(monkeypatch, environment={catalogs.TRANSLATIONS_VARIABLE: variable})
    fresh.add(explicit)  # a call before the first lookup still comes first
    with pytest.warns(PainreadWarning) as seen:
        origins = [source.origin for source in fresh.sources()]
    assert origins == [
        f"registered:{explicit}",
        f"registered:{first}",
        f"registered:{second}",
        "bundled",
    ]
    assert [str(w.message) for w in seen] == [
        f"{catalogs.TRANSLATIONS_VARIABLE}: {tmp_path / 'nowhere'}: not a directory; skipped"
    ]
    assert [c.units[TITLE] for c in fresh.catalogs("fr") if TITLE in c.units] == [
        "Premier",
        "Second",
    ]
    assert fresh.sources() == fresh.sources()  # read once


def test_plugins_can_be_switched_off(
    registry: catalogs.Registry, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_po(tmp_path, "fi", whole("fi"))
    use_plugins(monkeypatch, FakeEntryPoint("fi", lambda: tmp_path))
    assert "fi" in painread.available_locales()
    use_registry(monkeypatch)
    assert "fi" not in painread.available_locales()


def test_the_suite_never_sees_installed_plugins() -> None:
    assert os.environ[catalogs.DISABLE_PLUGINS_VARIABLE] == "1"
    assert [source.origin for source in catalogs.registry().sources()] == ["bundled"]
