"""``painread i18n``: extract, init, update, compile, check, stats; and msgfmt agreeing."""

from __future__ import annotations

import argparse
import copy
import gettext
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.plurals import get_plural

import painread
from painread import _article_data, catalogs, content, translation
from painread._pofile import parse_po
from painread.cli import build_parser, main
from tests.conftest import ROOT
from tests.i18n_helpers import (
    BUNDLED,
    ENGLISH,
    FakeEntryPoint,
    msgfmt_check,
    po_text,
    registry,
    require_msgfmt,
    tagged,
    use_plugins,
    whole,
    write_po,
)

__all__ = ["registry"]

TITLE = "article.title"
EXAMPLE = ROOT / "examples" / "translation-plugin" / "src" / "painread_fr_example" / "locales"


def run(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["i18n", *map(str, argv)], stdout=out)
    return code, out.getvalue()


def entries(po: Path) -> dict[str, Any]:
    return {str(m.context): m for m in parse_po(po.read_bytes(), path=str(po)) if m.id}


@pytest.fixture
def spanish(tmp_path: Path) -> Path:
    """A copy of the bundled Spanish catalog in a tmp directory."""
    target = tmp_path / "locales" / "es" / "LC_MESSAGES" / "painread.po"
    target.parent.mkdir(parents=True)
    shutil.copy(BUNDLED / "es" / "LC_MESSAGES" / "painread.po", target)
    return target


@pytest.fixture
def changed_source(registry: catalogs.Registry, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The source document with the first label's English text changed."""
    document = copy.deepcopy(dict(content.source_document()))
    document["labels"][0]["text"] = "Medical disclaimer (please read)"
    monkeypatch.setattr(_article_data, "document", lambda: document)
    return document


# --- extract and init ----------------------------------------------------------------------------


def test_extract_writes_one_entry_per_unit(tmp_path: Path) -> None:
    target = tmp_path / "out" / "painread.pot"
    code, out = run("extract", "-o", target)
    assert code == 0
    assert str(target) in out
    found = entries(target)
    assert list(found) == list(ENGLISH)
    assert all(found[unit].id == text and not found[unit].string for unit, text in ENGLISH.items())
    assert "origin: editorial" in found["disclaimer.text"].auto_comments


def test_extract_to_stdout_and_the_default_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run("extract", "-o", "-")
    assert code == 0
    assert 'msgctxt "disclaimer.text"' in out
    monkeypatch.chdir(tmp_path)
    assert run("extract")[0] == 0
    assert (tmp_path / "painread.pot").is_file()


def test_init_starts_an_empty_unreviewed_catalog(tmp_path: Path) -> None:
    code, out = run("init", "-l", "pt-BR", "-d", tmp_path)
    assert code == 0
    po = tmp_path / "pt_BR" / "LC_MESSAGES" / "painread.po"
    assert str(po) in out
    catalog = parse_po(po.read_bytes(), path=str(po))
    assert catalog.headers["x-painread-reviewed"] == "no"
    assert catalog.headers["language"] == "pt_BR"
    # The locale's rule from CLDR (it changes between releases), not Babel's placeholder.
    assert catalog.headers["plural-forms"] == get_plural("pt_BR").plural_forms
    assert "nplurals=INTEGER" not in catalog.headers["plural-forms"]
    assert len([m for m in catalog if m.id]) == len(ENGLISH)
    problems = run("check", po)
    assert problems[0] == 1
    assert "the disclaimer is empty" in problems[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("-l", "xx"), "invalid locale 'xx'"),
        (("-l", "../etc"), "invalid locale '../etc'"),
        (("-l", "EN"), "English is the source language"),
    ],
)
def test_init_refuses_bad_locales(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    assert run("init", *argv, "-d", tmp_path)[0] == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("init", "-l", "fr", "-d", tmp_path)[0] == 0
    assert run("init", "-l", "fr", "-d", tmp_path)[0] == 1
    assert "exists already" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [("init", "-d", "x"), ("update",), ("check",), ("compile",), ("nope",), ("stats", "--bogus")],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(*argv)[0] == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("action", ["extract", "init", "update", "compile", "check", "stats"])
def test_every_action_has_a_description_option_help_and_an_example(
    action: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(action, "--help")[0] == 0
    help_text = capsys.readouterr().out
    usage, description, *_ = help_text.split("\n\n")
    assert usage.startswith(f"usage: painread i18n {action} ")
    assert len(description.split()) >= 10
    assert f"\nexamples:\n  painread i18n {action}" in help_text
    (parser,) = [
        choice
        for group in _subparsers(build_parser())
        for name, command in group.choices.items()
        if name == "i18n"
        for actions in _subparsers(command)
        for key, choice in actions.choices.items()
        if key == action
    ]
    undocumented = [a.dest for a in parser._actions if not a.help or a.help == argparse.SUPPRESS]
    assert undocumented == []


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction[Any]]:
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def test_the_template_and_new_catalogs_carry_the_package_version(tmp_path: Path) -> None:
    version = f"painread {painread.__version__}"
    template = parse_po(run("extract", "-o", "-")[1].encode(), path="pot").headers
    assert template["project-id-version"] == version
    po = tmp_path / "fr" / "LC_MESSAGES" / "painread.po"
    assert run("init", "-l", "fr", "-d", tmp_path)[0] == 0
    assert parse_po(po.read_bytes(), path="po").headers["project-id-version"] == version
    po.write_text(po.read_text("utf-8").replace(version, "painread 0.0.1"), "utf-8")
    assert run("update", "-d", tmp_path)[0] == 0
    assert parse_po(po.read_bytes(), path="po").headers["project-id-version"] == version
    for bundled in BUNDLED.glob("*/LC_MESSAGES/painread.po"):
        assert parse_po(bundled.read_bytes(), path="b").headers["project-id-version"] == version


def test_i18n_without_an_action_prints_help() -> None:
    code, out = run()
    assert code == 2
    assert "extract" in out
    assert "stats" in out


# --- update --------------------------------------------------------------------------------------


def test_update_marks_changed_units_fuzzy_and_keeps_the_previous_msgid(spanish: Path) -> None:
    text = spanish.read_text(encoding="utf-8")
    old = "Kratom pills and chronic pain management"
    text = text.replace(f'msgid "{old}"', 'msgid "Kratom pills and pain"', 1)
    text += '\nmsgctxt "gone.unit"\nmsgid "Removed from the source"\nmsgstr "Eliminado"\n'
    text = text.replace(
        '#. origin: editorial\nmsgctxt "ui.sources.label"',
        '# a translator\'s note\n#. origin: editorial\nmsgctxt "ui.sources.label"',
    )
    spanish.write_text(text, encoding="utf-8")
    counts = run("stats", "-d", spanish.parents[2])[1].split("\n")[1].split()[1:4]
    assert counts == [str(len(ENGLISH) - 1), "0", "1"]

    code, out = run("update", "-d", spanish.parents[2])
    assert code == 0
    assert str(spanish) in out
    updated = entries(spanish)
    title = updated[TITLE]
    assert title.id == old
    assert title.fuzzy
    assert title.previous_id == ["Kratom pills and pain"]
    assert "gone.unit" not in updated
    assert '#~ msgctxt "gone.unit"' in spanish.read_text(encoding="utf-8")
    assert "a translator's note" in updated["ui.sources.label"].user_comments
    header = parse_po(spanish.read_bytes(), path="x").headers
    assert header["x-painread-reviewed"] == "no"
    assert header["language"] == "es"
    rows = run("stats", "-d", spanish.parents[2])[1].splitlines()
    assert rows[1].split() == [
        "es",
        str(len(ENGLISH) - 1),
        "1",
        "0",
        "0",
        "0",
        str(len(ENGLISH)),
        "directory",
    ]


def test_update_adds_missing_units_empty(tmp_path: Path) -> None:
    po = write_po(tmp_path, "it", tagged("it", [TITLE]))
    assert run("update", "-d", tmp_path)[0] == 0
    updated = entries(po)
    assert list(updated) == list(ENGLISH)
    assert updated[TITLE].string == f"[it] {ENGLISH[TITLE]}"
    assert not updated["summary.p1"].string


def test_update_after_the_source_changed(spanish: Path, changed_source: dict[str, Any]) -> None:
    label = changed_source["labels"][0]
    assert run("update", "-d", spanish.parents[2])[0] == 0
    message = entries(spanish)[label["id"]]
    assert message.fuzzy
    assert message.id == label["text"]
    assert message.previous_id == ["Medical disclaimer"]
    assert f'#| msgid "Medical disclaimer"\nmsgctxt "{label["id"]}"' in spanish.read_text("utf-8")
    assert entries(spanish)[label["id"]].user_comments == []


# --- stale and fuzzy, served and counted ---------------------------------------------------------


def test_a_unit_whose_source_changed_is_stale_never_served_and_counted(
    changed_source: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    label = changed_source["labels"][0]
    article = painread.load("es")
    assert article.unit(label["id"]).text == label["text"]
    assert article.fallbacks == {label["id"]: "en"}
    code, out = run("stats")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert rows["es"] == [str(len(ENGLISH) - 1), "0", "1", "0", "0", str(len(ENGLISH)), "bundled"]
    code, out = run("check", BUNDLED)
    assert code == 1
    assert out.count("stale") == 3
    assert "1 problem" not in capsys.readouterr().err


def test_stats_counts_fuzzy_stale_untranslated_and_invalid(tmp_path: Path) -> None:
    units = list(ENGLISH)
    translated = tagged("it", units[:10])
    translated["ui.as-of.label"] = "Al {data}"
    write_po(
        tmp_path,
        "it",
        translated,
        fuzzy=set(units[:3]),
        msgids={units[3]: "old text", units[4]: "older text"},
    )
    code, out = run("stats", "-d", tmp_path)
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == [
        "locale",
        "translated",
        "fuzzy",
        "stale",
        "untranslated",
        "invalid",
        "total",
        "origin",
    ]
    assert row.split() == [
        "it",
        "5",
        "3",
        "2",
        str(len(units) - 11),
        "1",
        str(len(units)),
        "directory",
    ]


def test_stats_of_the_bundled_catalogs() -> None:
    code, out = run("stats")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert {"ar", "de", "es"} <= set(rows)
    total = str(len(ENGLISH))
    for code_ in ("ar", "de", "es"):
        assert rows[code_] == [total, "0", "0", "0", "0", total, "bundled"]


def test_stats_counts_every_origin(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin, registered = tmp_path / "plugin", tmp_path / "registered"
    write_po(plugin, "fr", tagged("fr", [TITLE]))
    write_po(plugin, "es", tagged("es", [TITLE]))
    write_po(registered, "es", tagged("es", list(ENGLISH)[:3]))
    use_plugins(monkeypatch, FakeEntryPoint("example", lambda: plugin))
    painread.add_translations(registered)
    rows = [line.split() for line in run("stats")[1].splitlines()[1:]]
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("ar", str(len(ENGLISH)), "bundled"),
        ("de", str(len(ENGLISH)), "bundled"),
        ("es", "3", f"registered:{registered}"),
        ("es", "1", "plugin:example"),
        ("es", str(len(ENGLISH)), "bundled"),
        ("fr", "1", "plugin:example"),
    ]


def test_stats_of_a_directory_without_catalogs_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stats", "-d", tmp_path)[0] == 1
    assert "no catalogs found" in capsys.readouterr().err
    assert run("stats", "-d", tmp_path / "missing")[0] == 1
    assert "not a directory" in capsys.readouterr().err


# --- compile -------------------------------------------------------------------------------------


def test_compile_writes_mo_files_gettext_reads(tmp_path: Path) -> None:
    write_po(
        tmp_path,
        "it",
        tagged("it", [TITLE, "ui.summary.heading"]),
        fuzzy={"ui.summary.heading"},
        reviewed="yes",
    )
    code, out = run("compile", "-d", tmp_path)
    assert code == 0
    mo = tmp_path / "it" / "LC_MESSAGES" / "painread.mo"
    assert str(mo) in out
    with mo.open("rb") as stream:
        translations = gettext.GNUTranslations(stream)
    assert translations.pgettext(TITLE, ENGLISH[TITLE]) == f"[it] {ENGLISH[TITLE]}"
    assert translations.pgettext("ui.summary.heading", ENGLISH["ui.summary.heading"]) == "Summary"
    assert translations.info()["x-painread-reviewed"] == "yes"


def test_compile_reports_a_broken_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = tmp_path / "it" / "LC_MESSAGES" / "painread.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "x"\nmsgstr "y"\nmsgid "broken', encoding="utf-8")
    assert run("compile", "-d", tmp_path)[0] == 1
    err = capsys.readouterr().err
    assert f"{po}:3: invalid PO syntax" in err
    assert err.count("\n") == 1


# --- check ---------------------------------------------------------------------------------------


def test_check_passes_the_bundled_and_example_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("check", BUNDLED, EXAMPLE)
    assert code == 0, out
    assert "4 file(s) checked, no problems" in out


def _bad_catalog(tmp_path: Path) -> Path:
    good = whole("it")
    broken = {
        TITLE: good[TITLE],
        "summary.p1": good["summary.p1"],
        "note.fewer-side-effects.anchor": "una citazione inventata",
        "note.different-risk-profile.anchor": good["note.different-risk-profile.anchor"],
        "introduction.p1": good["introduction.p1"],
        "ui.as-of.label": "Al {data}",
        "ui.notes.heading": "Note",
        "ui.sources.label": "Fonti",
        "no.such.unit": "niente",
        "disclaimer.text": "",
        "ui.disclaimer.short": good["ui.disclaimer.short"],
    }
    return write_po(
        tmp_path,
        "it",
        broken,
        fuzzy={"ui.notes.heading"},
        msgids={"ui.sources.label": "Old sources"},
        reviewed="maybe",
        language="fr",
    )


def test_check_reports_every_problem_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = _bad_catalog(tmp_path)
    code, out = run("check", tmp_path)
    assert code == 1
    lines = out.splitlines()
    expected = [
        "X-Painread-Reviewed must be 'yes' or 'no', not 'maybe'",
        "Language header 'fr' does not match 'it'",
        "the quote does not occur in the translation of 'summary.p1'",
        "'introduction.p1' is translated but its quote 'note.natural-alternative.anchor' is not",
        "'ui.as-of.label': placeholders {data} do not match the English {date}",
        "fuzzy translation of 'ui.notes.heading' is never served",
        "stale: the English text of 'ui.sources.label' has changed",
        "unknown msgctxt 'no.such.unit'",
        "the disclaimer is empty",
    ]
    for message in expected:
        matching = [line for line in lines if message in line]
        assert len(matching) == 1, (message, lines)
        assert matching[0].startswith(f"{po}:"), matching[0]
        assert matching[0].split(":")[1].isdigit(), matching[0]
    assert len(lines) == len(expected)
    err = capsys.readouterr().err
    assert err == f"painread: error: {len(expected)} problem(s) in 1 file(s)\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage\n", ":1: invalid PO syntax"),
        (
            b'msgid ""\nmsgstr ""\n"Language: it\\n"\n\nmsgid "\xff"\nmsgstr ""\n',
            ":5: not valid UTF-8",
        ),
        (
            b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
            ":1: declares charset 'iso-8859-1'; catalogs must be UTF-8",
        ),
    ],
)
def test_check_reports_syntax_and_encoding_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    po = tmp_path / "it" / "LC_MESSAGES" / "painread.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(content)
    code, out = run("check", po)
    assert code == 1
    assert out.startswith(f"{po}{message}")


def test_check_reports_missing_headers_disclaimer_duplicates_and_overlaps(tmp_path: Path) -> None:
    first, second = translation.note_anchors()["summary.p1"]
    body = po_text(
        {"summary.p1": "uno due tre quattro", first: "uno due tre", second: "due tre quattro"},
        header=False,
    )
    duplicate = '\nmsgctxt "summary.p1"\nmsgid "x"\nmsgstr "y"\n'
    body += duplicate + duplicate.replace('"y"', '"z"')
    po = tmp_path / "painread.po"
    po.write_text(body, encoding="utf-8")
    code, out = run("check", po)
    assert code == 1
    assert f"{po}:1: no header entry" in out
    assert f"{po}: no 'disclaimer.text' entry" in out
    assert "the quotes in 'summary.p1' overlap" in out
    assert "duplicate entry for 'summary.p1'" in out
    reviewed = write_po(tmp_path / "r", "it", {TITLE: "x"}, reviewed=None)
    assert "no X-Painread-Reviewed header" in run("check", reviewed)[1]


def test_check_of_missing_paths_and_empty_directories(tmp_path: Path) -> None:
    code, out = run("check", tmp_path / "missing.po", tmp_path)
    assert code == 1
    assert "missing.po: cannot read" in out
    assert f"{tmp_path}: no PO files found" in out


def test_errors_are_one_line_without_traceback_in_a_real_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "painread", "i18n", "init", "-l", "zz-ZZ", "-d", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "painread: error: invalid locale 'zz-ZZ': unknown locale\n"


# --- msgfmt agrees -------------------------------------------------------------------------------


def _shipped() -> list[Path]:
    return sorted([*BUNDLED.glob("*/LC_MESSAGES/*.po"), *EXAMPLE.glob("*/LC_MESSAGES/*.po")])


@pytest.mark.slow
@pytest.mark.parametrize("po", _shipped(), ids=lambda path: path.parts[-3])
def test_shipped_catalogs_pass_msgfmt_check(po: Path) -> None:
    require_msgfmt()
    result = msgfmt_check(po)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_catalogs_written_by_the_tools_pass_msgfmt_check(tmp_path: Path, spanish: Path) -> None:
    require_msgfmt()
    run("extract", "-o", tmp_path / "painread.pot")
    run("init", "-l", "zh-Hant-TW", "-d", tmp_path / "new")
    text = spanish.read_text(encoding="utf-8").replace(
        'msgid "Summary"', 'msgid "Summary of it"', 1
    )
    spanish.write_text(text, encoding="utf-8")
    run("update", "-d", spanish.parents[2])
    for po in (
        tmp_path / "painread.pot",
        tmp_path / "new" / "zh_Hant_TW" / "LC_MESSAGES" / "painread.po",
        spanish,
    ):
        result = msgfmt_check(po)
        assert result.returncode == 0, (po, result.stderr)


def test_check_warns_about_left_to_right_runs_arabic_would_reorder() -> None:
    code, out = run("check", BUNDLED)
    assert code == 0, out
    warnings = [line for line in out.splitlines() if ": warning: " in line]
    assert len(warnings) == 3
    assert all("ar/LC_MESSAGES/painread.po" in line for line in warnings)
    assert "'notice.seven-oh-products.text': '7-OH' would be reordered" in warnings[0]
    assert "'disclaimer.text': '1-800-222-1222' would be reordered" in warnings[1]
    assert "'ui.disclaimer.short': '1-800-222-1222' would be reordered" in warnings[2]
    assert "3 warning(s)" in out


def test_a_run_isolated_in_the_catalog_is_not_reported() -> None:
    from painread.bidi import isolate, reordered_runs

    text = painread.load("ar").disclaimer.text
    assert reordered_runs(text) == ("1-800-222-1222",)
    assert reordered_runs(isolate(text)) == ()
