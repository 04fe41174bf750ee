"""Malformed catalogs: skipped with one warning at run time, reported by ``painread i18n check``.

A "zoo" directory holds one broken catalog per locale, each broken in its own
way, beside one good catalog. Registered with ``add_translations``, every broken
catalog (or broken unit) costs exactly one :class:`~painread.errors.PainreadWarning`
that names the file, and the line when the fault has one; every other locale,
English included, is served as before. ``painread i18n check`` on the same
directory reports each file with its line and a clear message and exits 1.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import painread
from painread import catalogs
from painread._catalog_file import MAX_CATALOG_BYTES
from painread._pofile import compile_po
from painread.cli import main
from painread.errors import PainreadWarning
from tests.i18n_helpers import ENGLISH, po_text, registry, tagged, whole, write_po
from tests.test_security_corpus import record

__all__ = ["registry"]

TITLE = "article.title"
DISCLAIMER = "disclaimer.text"
GOOD = "it"
HEADER = (
    'msgid ""\nmsgstr ""\n"Language: {locale}\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"X-Painread-Reviewed: no\\n"\n\n'
)


def _po(root: Path, locale: str) -> Path:
    target = root / locale / "LC_MESSAGES" / "painread.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _entry(unit_id: str, text: str) -> str:
    msgid = ENGLISH[unit_id].replace("\\", "\\\\").replace('"', '\\"')
    return f'msgctxt "{unit_id}"\nmsgid "{msgid}"\nmsgstr "{text}"\n\n'


def _raw(content: bytes) -> Callable[[Path, str], Path]:
    def make(root: Path, locale: str) -> Path:
        po = _po(root, locale)
        po.write_bytes(content.replace(b"{locale}", locale.encode()))
        return po

    return make


def _entries(entries: dict[str, str], **options: object) -> Callable[[Path, str], Path]:
    def make(root: Path, locale: str) -> Path:
        return write_po(root, locale, entries, **options)

    return make


def _appended(extra: str) -> Callable[[Path, str], Path]:
    def make(root: Path, locale: str) -> Path:
        po = write_po(root, locale, {TITLE: "Translated title"})
        with po.open("a", encoding="utf-8") as stream:
            stream.write("\n" + extra)
        return po

    return make


def _mixed_encodings(root: Path, locale: str) -> Path:
    po = _po(root, locale)
    text = HEADER.format(locale=locale) + _entry(TITLE, "Caf\u00e9 title")
    po.write_bytes(text.encode() + _entry("summary.p1", "Caf\xe9 summary").encode("latin-1"))
    return po


def _utf16(root: Path, locale: str) -> Path:
    po = _po(root, locale)
    po.write_bytes(po_text({TITLE: "Titel"}, language=locale).encode("utf-16"))
    return po


def _oversized(root: Path, locale: str) -> Path:
    po = write_po(root, locale, {TITLE: "Title"})
    with po.open("a", encoding="utf-8") as stream:
        stream.write("# padding\n" * (MAX_CATALOG_BYTES // 10 + 1))
    return po


def _mo(content: bytes | None) -> Callable[[Path, str], Path]:
    """A lone MO file: ``content``, or a whole compiled catalog cut to 500 bytes."""

    def make(root: Path, locale: str) -> Path:
        po = write_po(root, locale, whole(locale))
        mo = po.with_suffix(".mo")
        compile_po(po, mo)
        po.unlink()
        mo.write_bytes(mo.read_bytes()[:500] if content is None else content)
        return mo

    return make


def _symlinked_file(root: Path, locale: str) -> Path:
    outside = write_po(root.parent / "outside-file", locale, whole(locale))
    po = _po(root, locale)
    po.symlink_to(outside)
    return po


def _symlinked_folder(root: Path, locale: str) -> Path:
    outside = write_po(root.parent / "outside-folder", locale, whole(locale))
    (root / locale).symlink_to(outside.parent.parent, target_is_directory=True)
    return root / locale / "LC_MESSAGES" / "painread.po"


def _stray_quote(root: Path, locale: str) -> Path:
    entries = whole(locale)
    entries["note.promising-avenue.anchor"] = "a quote found nowhere in the paragraph"
    return write_po(root, locale, entries)


@dataclass(frozen=True)
class Bad:
    """One broken catalog: how to make it and what each side must say about it."""

    name: str
    locale: str
    make: Callable[[Path, str], Path]
    message: str
    """A regex both the run-time warning and the ``check`` report must match."""
    line: int | None
    """The line both must name; ``None`` when the fault has no line (0: any line)."""
    skips: str
    """``"catalog"`` (the locale falls back to English) or ``"unit"`` (only the unit does)."""
    check_message: str | None = None


ZOO = [
    Bad(
        "invalid PO syntax",
        "fr",
        _raw(b'msgid ""\nmsgstr ""\n\nmsgctxt "article.title"\nmsgid "unterminated'),
        "invalid PO syntax",
        0,
        "catalog",
    ),
    Bad("not a PO file", "pt", _raw(b"this is not a PO file\n"), "invalid PO syntax", 1, "catalog"),
    Bad(
        "Latin-1 bytes in a UTF-8 catalog",
        "nl",
        _raw(HEADER.encode() + b'msgctxt "article.title"\nmsgid "x"\nmsgstr "Tr\xe8s"\n'),
        "not valid UTF-8",
        9,
        "catalog",
    ),
    Bad("mixed encodings", "sv", _mixed_encodings, "not valid UTF-8", 13, "catalog"),
    Bad("UTF-16", "da", _utf16, "not valid UTF-8", 1, "catalog"),
    Bad(
        "declared charset other than UTF-8",
        "fi",
        _raw(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'),
        "declares charset 'iso-8859-1'",
        1,
        "catalog",
    ),
    Bad(
        "missing header",
        "pl",
        _entries({TITLE: "Tytul"}, header=False),
        r'no header entry \(msgid ""\)',
        1,
        "catalog",
    ),
    Bad(
        "unknown msgctxt",
        "cs",
        _appended('msgctxt "no.such.unit"\nmsgid "x"\nmsgstr "y"\n'),
        "unknown msgctxt 'no.such.unit'",
        14,
        "unit",
    ),
    Bad(
        "entry without msgctxt",
        "sk",
        _appended('msgid "no context"\nmsgstr "y"\n'),
        "unknown msgctxt None",
        13,
        "unit",
        check_message="entry without msgctxt",
    ),
    Bad(
        "duplicate entry",
        "hu",
        _appended(_entry(TITLE, "Second title")),
        "duplicate entry",
        14,
        "unit",
    ),
    Bad(
        "plural entry",
        "ro",
        _appended(
            'msgctxt "summary.p1"\nmsgid "one"\nmsgid_plural "many"\n'
            'msgstr[0] "uno"\nmsgstr[1] "molti"\n'
        ),
        "plural entries are not used by painread",
        14,
        "unit",
    ),
    Bad(
        "blank disclaimer",
        "bg",
        _entries({TITLE: "Translated title", DISCLAIMER: "   "}),
        "the translation is blank",
        0,
        "unit",
    ),
    Bad(
        "1 MB msgstr",
        "el",
        _entries({TITLE: "Translated title", "summary.p1": "x " * 500_000}),
        "longer than 100000 characters",
        0,
        "unit",
    ),
    Bad(
        "control character",
        "tr",
        _entries({TITLE: "Translated title", "ui.notes.heading": "Notes\x1b[31m"}),
        "control character",
        0,
        "unit",
    ),
    Bad(
        "format-string abuse in a label",
        "ru",
        _entries({TITLE: "Translated title", "ui.as-of.label": "As of {date.__class__}"}),
        "placeholders",
        0,
        "unit",
    ),
    Bad(
        "quote missing from its paragraph",
        "uk",
        _stray_quote,
        "the quote does not occur in the translation of 'conclusion.p1'",
        0,
        "unit",
    ),
    Bad("oversized catalog", "he", _oversized, "larger than 4194304 bytes", None, "catalog"),
    Bad("garbage MO", "fa", _mo(b"not a catalog at all"), "not a valid MO file", None, "catalog"),
    Bad(
        "MO with a bad magic number",
        "hi",
        _mo(b"\x95\x04\x12\xdf" + b"\xff" * 40),
        "not a valid MO file",
        None,
        "catalog",
    ),
    Bad("empty MO", "ja", _mo(b""), "not a valid MO file", None, "catalog"),
    Bad("truncated MO", "ko", _mo(None), "not a valid MO file", None, "catalog"),
    Bad(
        "symlinked catalog leading out",
        "vi",
        _symlinked_file,
        "leads outside its translation directory",
        None,
        "catalog",
    ),
    Bad(
        "symlinked locale folder leading out",
        "th",
        _symlinked_folder,
        "leads outside its translation directory",
        None,
        "catalog",
    ),
]


@pytest.fixture
def zoo(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """Every broken catalog, and one good one, in one translation directory."""
    root = tmp_path / "translations"
    write_po(root, GOOD, whole(GOOD))
    files = {bad.locale: bad.make(root, bad.locale) for bad in ZOO}
    return root, files


def _where(bad: Bad, path: Path, text: str) -> bool:
    """Whether ``text`` names the file, the expected line (if any) and the message."""
    if bad.line is None:
        where = re.escape(f"{path}:") + r"(?!\d)"
    elif bad.line == 0:
        where = re.escape(f"{path}:") + r"\d+:"
    else:
        where = re.escape(f"{path}:{bad.line}:")
    return re.search(where + r".*" + bad.message, text) is not None


def test_the_zoo_covers_every_kind_of_damage() -> None:
    assert len(ZOO) >= 20
    assert len({bad.locale for bad in ZOO}) == len(ZOO)
    assert GOOD not in {bad.locale for bad in ZOO}
    assert {bad.skips for bad in ZOO} == {"catalog", "unit"}


def test_each_broken_catalog_costs_one_warning_and_nothing_else_breaks(
    registry: catalogs.Registry, zoo: tuple[Path, dict[str, Path]]
) -> None:
    root, files = zoo
    english_before = painread.render(painread.load("en"), "html")
    spanish_before = painread.render(painread.load("es"), "text")
    painread.add_translations(root)
    warned: dict[str, int] = {}
    for bad in ZOO:
        with pytest.warns(PainreadWarning) as seen:
            article = painread.load(bad.locale)
        messages = [str(w.message) for w in seen]
        warned[bad.name] = len(messages)
        assert len(messages) == 1, (bad.name, messages)
        assert _where(bad, files[bad.locale], messages[0]), (bad.name, messages[0])
        assert article.disclaimer.text
        if bad.skips == "catalog":
            assert article.locale == "en", bad.name
        else:
            assert article.locale == bad.locale, bad.name
            assert article.title.text != ENGLISH[TITLE], bad.name
    good = painread.load(GOOD)
    assert good.locale == GOOD
    assert good.fallbacks == {}
    assert painread.render(painread.load("en"), "html") == english_before
    assert painread.render(painread.load("es"), "text") == spanish_before
    served = painread.available_locales()
    assert GOOD in served
    assert {bad.locale for bad in ZOO if bad.skips == "unit"} <= set(served)
    assert not {bad.locale for bad in ZOO if bad.skips == "catalog"} & set(served)
    record("malformed-runtime", {"catalogs": len(ZOO), "warnings": warned})


def _check(*paths: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(["i18n", "check", *map(str, paths)], stdout=out)
    return code, out.getvalue().splitlines()


def test_check_reports_each_broken_catalog_with_file_line_and_message(
    zoo: tuple[Path, dict[str, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, files = zoo
    code, lines = _check(root)
    assert code == 1
    reported: dict[str, int] = {}
    for bad in ZOO:
        path = files[bad.locale]
        mine = [line for line in lines if line.startswith(f"{path}:")]
        reported[bad.name] = len(mine)
        expected = (
            bad if bad.check_message is None else Bad(**{**vars(bad), "message": bad.check_message})
        )
        assert any(_where(expected, path, line) for line in mine), (bad.name, mine)
    good = root / GOOD / "LC_MESSAGES" / "painread.po"
    assert not [line for line in lines if line.startswith(str(good))]
    err = capsys.readouterr().err
    assert re.fullmatch(rf"painread: error: {len(lines)} problem\(s\) in \d+ file\(s\)\n", err)
    record("malformed-check", {"exit_code": code, "problems_per_catalog": reported})


@pytest.mark.slow
def test_check_in_a_real_process_exits_non_zero_without_a_traceback(
    zoo: tuple[Path, dict[str, Path]],
) -> None:
    root, files = zoo
    done = subprocess.run(
        [sys.executable, "-m", "painread", "i18n", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("painread: error: ")
    for bad in ZOO:
        assert f"{files[bad.locale]}:" in done.stdout, bad.name


@pytest.mark.parametrize(
    ("entries", "fuzzy"),
    [({DISCLAIMER: "Aviso traducido"}, {DISCLAIMER}), ({DISCLAIMER: ""}, set())],
    ids=["fuzzy", "empty"],
)
def test_a_fuzzy_or_empty_disclaimer_is_never_served_and_check_names_its_line(
    registry: catalogs.Registry, tmp_path: Path, entries: dict[str, str], fuzzy: set[str]
) -> None:
    # Other fuzzy or empty units are ordinary work in progress and pass silently;
    # the disclaimer is safety text, so the host is told once, with file and line.
    short = tagged("pt", [TITLE, "ui.disclaimer.short"])
    po = write_po(tmp_path, "pt", {**short, **entries}, fuzzy=fuzzy)
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning) as caught:
        article = painread.load("pt")
    assert len(caught) == 1
    assert re.match(re.escape(f"{po}:") + r"\d+: the disclaimer is ", str(caught[0].message))
    assert article.locale == "pt"
    assert article.title.text == f"[pt] {ENGLISH[TITLE]}"
    assert article.disclaimer.text == ENGLISH[DISCLAIMER]
    assert article.disclaimer.locale == "en"
    assert "translation-unreviewed" in {notice.id for notice in article.notices}
    code, lines = _check(po)
    assert code == 1
    disclaimer = [line for line in lines if "disclaimer" in line]
    assert len(disclaimer) == 1
    assert re.match(re.escape(f"{po}:") + r"\d+: ", disclaimer[0])


def test_a_bad_mo_beside_a_good_po_is_never_read(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    po = write_po(tmp_path, "pt", whole("pt"))
    po.with_suffix(".mo").write_bytes(b"garbage")
    os.utime(po, ns=(1_000_000_000, 1_000_000_000))
    painread.add_translations(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert painread.load("pt").fallbacks == {}


def test_check_reads_a_lone_mo_and_the_units_in_it(tmp_path: Path) -> None:
    po = write_po(tmp_path, "pt", {TITLE: "Titulo", "ui.notes.heading": "Notas {x}"})
    compile_po(po, po.with_suffix(".mo"))
    po.unlink()
    code, lines = _check(tmp_path)
    assert code == 1
    message = "'ui.notes.heading': placeholders {x} do not match the English (none)"
    assert lines == [f"{po.with_suffix('.mo')}: {message}"]
