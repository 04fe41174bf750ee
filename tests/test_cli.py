"""The command line, through main(argv) and once as a real process."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from markupsafe import escape

import painread
from painread import catalogs
from painread._files import ARTICLE_SCHEMA, data_text
from painread.cli import LOCALE_VARIABLES, environment_locales, main
from painread.errors import PainreadWarning
from tests.i18n_helpers import ENGLISH, registry, tagged, write_po

__all__ = ["registry"]

INSTALLED = "ar, de, en, es"


@pytest.fixture(autouse=True)
def no_locale_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's LANG must not decide what these tests see."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue()


def flat(text: str) -> str:
    return " ".join(text.split())


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def quiet_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in LOCALE_VARIABLES}


def test_show_prints_the_article_with_notices_and_disclaimer(article: painread.Article) -> None:
    code, out = run(["show"])
    assert code == 0
    assert article.title.text in out
    assert "MEDICAL DISCLAIMER" in out
    flat = " ".join(out.split())
    assert article.disclaimer.text in flat
    for notice in article.notices:
        assert notice.text.text in flat


def test_show_wraps_to_the_requested_width() -> None:
    code, out = run(["show", "--width", "40"])
    assert code == 0
    body = [line for line in out.splitlines() if not set(line) <= {"=", "-"}]
    too_long = [line for line in body if len(line) > 40 and " " in line.strip()]
    headings = {section.title.text for section in painread.load()}
    assert [line for line in too_long if line not in headings] == []


def test_show_one_section_keeps_disclaimer_and_section_notices(article: painread.Article) -> None:
    code, out = run(["show", "--section", "mechanisms-of-action", "--placement", "both"])
    flat = " ".join(out.split())
    assert code == 0
    assert flat.count(article.disclaimer.text) == 2
    assert "2 to 6 grams" not in flat
    for notice in article.notices_for("mechanisms-of-action"):
        assert notice.text.text in flat


def test_sections_lists_ids_and_titles(article: painread.Article) -> None:
    code, out = run(["sections"])
    assert code == 0
    assert out.splitlines() == [f"{entry.id}\t{entry.title}" for entry in article.toc]


def test_unknown_section_is_one_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["show", "--section", "nope"])
    err = capsys.readouterr().err
    assert code == 1
    assert out == ""
    assert err.startswith("painread: error: unknown section 'nope'; valid sections: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "--width", "abc"], "not a whole number: 'abc'"),
        (["show", "--width", "5"], "width must be between 20 and 1000, got 5"),
        (["show", "--placement", "side"], "invalid choice: 'side'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["--nope"], "unrecognized arguments: --nope"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_no_command_prints_help_and_exits_2() -> None:
    code, out = run([])
    assert code == 2
    assert "usage: painread" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(["--version"])
    assert code == 0
    assert capsys.readouterr().out.strip() == f"painread {painread.__version__}"


def test_debug_shows_the_traceback() -> None:
    with pytest.raises(painread.UnknownSectionError):
        main(["--debug", "show", "--section", "nope"], stdout=io.StringIO())


@pytest.mark.parametrize(
    "command", [[], ["show"], ["sections"], ["search"], ["locales"], ["schema"], ["i18n"]]
)
def test_help_for_every_command_has_examples(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*command, "--help"])[0] == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith(f"usage: {' '.join(['painread', *command])} ")
    assert "\nexamples:\n  painread " in help_text


def test_module_entry_point_runs_as_a_real_process(article: painread.Article) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "painread", "show", "--section", "dosage-and-safety"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert article.disclaimer.text in " ".join(result.stdout.split())
    bad = subprocess.run(
        [sys.executable, "-m", "painread", "show", "--section", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("painread: error: unknown section 'x'")


# --- show: locales and formats -------------------------------------------------------------


def test_show_in_another_locale() -> None:
    german = painread.load("de")
    code, out = run(["show", "--locale", "de", "--section", "dosage-and-safety"])
    assert code == 0
    assert out.startswith(german.title.text + "\n")
    assert german.label("ui.disclaimer.heading").upper() in out
    assert flat(german.disclaimer.text) in flat(out)


def test_show_locale_is_negotiated_to_what_is_installed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["show", "--locale", "es-MX"])
    assert code == 0
    assert out.startswith(painread.load("es").title.text)
    assert capsys.readouterr().err == ""


def test_show_in_a_locale_not_installed_says_what_it_shows(
    article: painread.Article, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(["show", "--locale", "fr-CA"])
    assert code == 0
    assert out.startswith(article.title.text)
    assert capsys.readouterr().err == (
        f"painread: note: no translation for 'fr-CA' is installed; showing 'en' "
        f"(installed: {INSTALLED})\n"
    )


@pytest.mark.parametrize("command", [["show"], ["sections"], ["search", "kratom"]])
def test_invalid_locale_is_an_error_naming_it(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run([*command, "--locale", "../etc/passwd"])
    assert code == 1
    assert out == ""
    assert capsys.readouterr().err == (
        "painread: error: invalid locale '../etc/passwd': not a valid locale identifier; "
        f"use a code such as 'de', 'pt-BR' or 'pt_BR' (installed: {INSTALLED})\n"
    )


def test_unknown_but_well_formed_locale_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "--locale", "qq"])[0] == 1
    assert capsys.readouterr().err.startswith(
        "painread: error: invalid locale 'qq': unknown locale"
    )


@pytest.mark.parametrize("placement", ["top", "bottom", "both"])
def test_show_markdown_and_html_carry_the_disclaimer(
    placement: str, article: painread.Article
) -> None:
    copies = 2 if placement == "both" else 1
    code, html = run(["show", "--format", "html", "--placement", placement])
    assert code == 0
    assert html.startswith('<article class="painread" lang="en" dir="ltr" ')
    assert html.count(str(escape(article.disclaimer.text))) == copies
    code, markdown = run(["show", "--format", "markdown", "--placement", placement])
    assert code == 0
    assert flat(markdown).count(flat(article.disclaimer.text)) == copies


@pytest.mark.parametrize(("locale", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_show_html_standalone_is_a_complete_styled_page(locale: str, direction: str) -> None:
    code, page = run(["show", "--format", "html", "--standalone", "--locale", locale])
    assert code == 0
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{locale}" dir="{direction}">\n')
    assert f"<style>\n{painread.stylesheet()}</style>" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert painread.render(painread.load(locale), "html") in page
    assert page.rstrip().endswith("</html>")


def test_standalone_applies_only_to_html(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["show", "--standalone"])
    assert code == 2
    assert out == ""
    assert "--standalone applies only to --format html" in capsys.readouterr().err


def test_show_json_and_jsonld_parse_and_carry_the_disclaimer(article: painread.Article) -> None:
    code, out = run(["show", "--format", "json", "--section", "dosage-and-safety"])
    assert code == 0
    assert out.endswith("}\n")
    document = json.loads(out)
    assert document["section"]["id"] == "dosage-and-safety"
    assert document["disclaimer"]["text"] == article.disclaimer.text
    code, out = run(["show", "--format", "jsonld", "--locale", "ar"])
    assert code == 0
    assert painread.load("ar").disclaimer.text in json.dumps(json.loads(out), ensure_ascii=False)


def test_show_output_is_what_render_returns(article: painread.Article) -> None:
    for fmt in painread.FORMATS:
        expected = painread.render(article, fmt, section="mechanisms-of-action", placement="top")
        out = run(
            ["show", "--format", fmt, "--section", "mechanisms-of-action", "--placement", "top"]
        )[1]
        assert out.rstrip("\n") == expected.rstrip("\n")


def test_width_with_another_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["show", "--format", "html", "--width", "40"])
    assert (code, out) == (2, "")
    assert capsys.readouterr().err == (
        "painread show: error: --width applies only to --format text (see 'painread show --help')\n"
    )


@pytest.mark.parametrize(("columns", "expected"), [(50, 50), (300, 100), (10, 20)])
def test_on_a_terminal_text_is_wrapped_to_its_width(
    columns: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((columns, 24)))
    terminal = Terminal()
    assert main(["show", "--section", "dosage-and-safety"], stdout=terminal) == 0
    rules = [line for line in terminal.getvalue().splitlines() if set(line) == {"="}]
    assert {len(rule) for rule in rules} >= {expected}
    disclaimer_rule = rules[-1]
    assert len(disclaimer_rule) == expected


def test_an_explicit_width_beats_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((50, 24)))
    terminal = Terminal()
    assert main(["show", "--width", "70"], stdout=terminal) == 0
    assert terminal.getvalue().rstrip("\n").splitlines()[-1] == "=" * 70


def test_not_a_terminal_wraps_at_80() -> None:
    assert run(["show"])[1].rstrip("\n").splitlines()[-1] == "=" * 80


# --- the locale from the environment --------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, []),
        ({"LANG": "de_DE.UTF-8"}, ["de_DE.UTF-8"]),
        ({"LANGUAGE": "fr:es:", "LANG": "de_DE.UTF-8"}, ["fr", "es"]),
        ({"LC_ALL": "ar_EG.UTF-8", "LC_MESSAGES": "es_ES", "LANG": "de_DE"}, ["ar_EG.UTF-8"]),
        ({"LC_MESSAGES": "es_ES", "LANG": "de_DE"}, ["es_ES"]),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "es_MX.UTF-8"}, ["es_MX.UTF-8"]),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, []),
        ({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, []),
        ({"LANG": "POSIX"}, []),
    ],
)
def test_environment_locales_are_read_in_gettext_order(
    environment: dict[str, str], expected: list[str]
) -> None:
    assert environment_locales(environment) == expected


@pytest.mark.parametrize(
    ("variables", "served"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANGUAGE": "fr:es", "LANG": "de_DE.UTF-8"}, "es"),
        ({"LC_ALL": "ar_EG.UTF-8", "LANG": "de_DE.UTF-8"}, "ar"),
        ({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}, "es"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "not a locale!"}, "en"),
        ({}, "en"),
    ],
)
def test_default_locale_comes_from_the_environment(
    variables: dict[str, str],
    served: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    article = painread.load(served)
    code, out = run(["sections"])
    assert code == 0
    assert out.splitlines() == [f"{entry.id}\t{entry.title}" for entry in article.toc]
    assert capsys.readouterr().err == ""


def test_an_explicit_locale_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert run(["show", "--locale", "es"])[1].startswith(painread.load("es").title.text)


# --- sections, search, locales, schema ------------------------------------------------------


def test_sections_in_another_locale() -> None:
    code, out = run(["sections", "--locale", "ar"])
    assert code == 0
    assert out.splitlines() == [f"{e.id}\t{e.title}" for e in painread.load("ar").toc]


def test_search_prints_each_hit_then_the_disclaimer(article: painread.Article) -> None:
    code, out = run(["search", "opioid receptors"])
    assert code == 0
    hits = article.search("opioid receptors")
    lines = out.splitlines()
    assert lines[: len(hits)] == [
        f"{hit.section_id or 'article'}\t{flat(hit.snippet)}" for hit in hits
    ]
    assert {line.split("\t")[0] for line in lines[: len(hits)]} == {
        "article",
        "understanding-kratom-pills",
        "mechanisms-of-action",
    }
    assert lines[len(hits)] == ""
    assert lines[len(hits) + 1] == "MEDICAL DISCLAIMER"
    assert flat("\n".join(lines[len(hits) + 2 :])) == flat(article.disclaimer.text)


def test_every_search_hit_names_a_place_show_accepts(article: painread.Article) -> None:
    places = {
        line.split("\t")[0] for line in run(["search", "kratom"])[1].splitlines() if "\t" in line
    }
    assert places == {"article", *(section.id for section in article.sections)}
    for place in places - {"article"}:
        assert run(["show", "--section", place])[0] == 0
    whole = flat(run(["show"])[1])
    for part in (article.summary, article.introduction, article.conclusion):
        assert flat(part.paragraphs[0].text)[:60] in whole  # "article" hits: see painread show


@pytest.mark.parametrize("part", ["summary", "introduction", "conclusion"])
def test_show_of_a_part_outside_the_sections_says_where_it_is(
    part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["show", "--section", part]) == (1, "")
    err = capsys.readouterr().err
    assert err.startswith(f"painread: error: unknown section {part!r}; valid sections: ")
    assert err.endswith(f"; the {part} is part of the whole article: run 'painread show'\n")


def test_search_in_another_locale_ignores_accents() -> None:
    german = painread.load("de")
    code, out = run(["search", "schmerzen", "--locale", "de"])
    assert code == 0
    assert out.count("\t") == len(german.search("Schmerzen")) > 0
    assert flat(german.disclaimer.text) in flat(out)
    assert run(["search", "cronico", "--locale", "es"])[1].count("\t") > 0


def test_search_without_matches_says_where_it_searched(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["search", "zzzz"])
    assert (code, out) == (0, "")
    assert capsys.readouterr().err == (
        "painread: no matches for 'zzzz' in locale 'en' (nor in ar, de, es)\n"
    )


def test_search_without_matches_names_the_locales_that_have_some(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["search", "Schmerz"]) == (0, "")
    assert capsys.readouterr().err == (
        "painread: no matches for 'Schmerz' in locale 'en'; matches in: de "
        "(try 'painread search Schmerz --locale de')\n"
    )
    assert run(["search", "Schmerz", "--locale", "de"])[1].count("\t") > 0


def test_a_long_query_is_cut_in_messages(capsys: pytest.CaptureFixture[str]) -> None:
    query = "x" * 100_000
    assert run(["search", query]) == (0, "")
    err = capsys.readouterr().err
    assert err == (
        f"painread: no matches for '{'x' * 40}... (100000 characters)' in locale 'en' "
        "(nor in ar, de, es)\n"
    )
    assert run(["show", "--section", query]) == (1, "")
    err = capsys.readouterr().err
    assert err.startswith(f"painread: error: unknown section '{'x' * 40}... (100000 characters)'")
    assert len(err) < 300


def test_an_empty_query_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["search", "  "])
    assert (code, out) == (1, "")
    assert capsys.readouterr().err == (
        "painread: error: invalid search query: the query is empty; give a word or phrase to find\n"
    )


def test_locales_is_a_table_of_what_is_installed() -> None:
    code, out = run(["locales"])
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows == [
        ["code", "name", "direction", "completeness", "reviewed", "origin"],
        ["ar", "العربية", "rtl", "100%", "no", "bundled"],
        ["de", "Deutsch", "ltr", "100%", "no", "bundled"],
        ["en", "English", "ltr", "100%", "yes", "source"],
        ["es", "español", "ltr", "100%", "no", "bundled"],
    ]
    assert len({line.index("direction") for line in out.splitlines()[:1]}) == 1


def test_schema_prints_the_shipped_schema() -> None:
    code, out = run(["schema"])
    assert code == 0
    assert out == data_text(ARTICLE_SCHEMA)
    assert json.loads(out)["title"] == "Article"


def test_i18n_without_an_action_prints_its_help() -> None:
    code, out = run(["i18n"])
    assert code == 2
    assert out.startswith("usage: painread i18n ")


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["show", "--format", "pdf"],
            "painread show: error: argument --format: invalid choice: 'pdf' (choose from ",
        ),
        (["show", "--locale"], "painread show: error: argument --locale: expected one argument"),
        (["search"], "painread search: error: the following arguments are required: QUERY"),
        (["locales", "extra"], "painread: error: unrecognized arguments: extra"),
        (["show", "--width", "5"], "painread show: error: argument --width: width must be"),
    ],
)
def test_usage_errors_are_one_line_naming_the_help_to_read(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == (2, "")
    err = capsys.readouterr().err
    assert err.startswith(line)
    assert err.count("\n") == 1
    assert err.endswith(" --help')\n")


def test_output_the_terminal_cannot_encode_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = io.BytesIO()
    ascii_terminal = io.TextIOWrapper(raw, encoding="ascii")
    assert main(["show", "--locale", "ar"], stdout=ascii_terminal) == 1
    assert capsys.readouterr().err == (
        "painread: error: nothing was written: the output holds U+062D, which the output "
        "encoding (ascii) cannot represent; set PYTHONIOENCODING=utf-8 (or use a UTF-8 "
        "terminal) and run the command again\n"
    )
    assert raw.getvalue() == b""
    with pytest.raises(UnicodeEncodeError):
        main(["--debug", "show", "--locale", "ar"], stdout=ascii_terminal)


def test_a_command_prints_all_its_output_or_nothing() -> None:
    """Issue case: cp1252 printed 23 German hits, then failed before the disclaimer."""
    command = [sys.executable, "-m", "painread", "search", "schmerz", "--locale", "de"]
    cp1252 = subprocess.run(
        command,
        capture_output=True,
        env={**quiet_environment(), "PYTHONIOENCODING": "cp1252"},
        check=False,
    )
    assert (cp1252.returncode, cp1252.stdout) == (1, b"")
    error = cp1252.stderr.decode("ascii")
    assert error.count("\n") == 1
    assert "(cp1252)" in error
    assert "set PYTHONIOENCODING=utf-8" in error
    assert "--locale en" not in error
    suggested = subprocess.run(
        command,
        capture_output=True,
        env={**quiet_environment(), "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert suggested.returncode == 0
    german = painread.load("de")
    assert flat(german.disclaimer.text) in flat(suggested.stdout.decode("utf-8"))


class FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FailingFlush(io.StringIO):
    def flush(self) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))


@pytest.mark.parametrize(
    ("stream", "reason"),
    [(FullDisk(), os.strerror(errno.ENOSPC)), (FailingFlush(), os.strerror(errno.EIO))],
)
def test_an_os_error_on_output_is_one_line_and_exit_1(
    stream: io.StringIO, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show"], stdout=stream) == 1
    assert capsys.readouterr().err == f"painread: error: cannot write the output: {reason}\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_writing_to_a_full_device_is_one_line_from_a_real_process() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "painread", "show"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=quiet_environment(),
            check=False,
        )
    assert (result.returncode, result.stderr) == (
        1,
        f"painread: error: cannot write the output: {os.strerror(errno.ENOSPC)}\n",
    )


def test_a_closed_stdout_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "painread", "show"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=quiet_environment(),
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert (result.returncode, result.stderr) == (
        1,
        "painread: error: no standard output to write to (is it closed?)\n",
    )


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_a_closed_pipe_ends_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show"], stdout=ClosedPipe()) == 1
    assert capsys.readouterr().err == ""


def test_catalog_errors_from_i18n_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing")
    assert run(["i18n", "stats", "-d", missing]) == (1, "")
    assert capsys.readouterr().err == f"painread: error: {missing}: not a directory\n"


# --- as a real process ----------------------------------------------------------------------


def test_the_installed_command_reads_the_environment_and_closes_quietly() -> None:
    script = shutil.which("painread", path=os.path.dirname(sys.executable))
    command = [script] if script else [sys.executable, "-m", "painread"]
    german = subprocess.run(
        [*command, "sections"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**quiet_environment(), "LANG": "de_DE.UTF-8"},
        check=False,
    )
    assert german.returncode == 0, german.stderr
    assert german.stdout.splitlines()[0].split("\t")[1] == painread.load("de").toc[0].title
    with subprocess.Popen(
        [*command, "show", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=quiet_environment(),
    ) as reader:
        assert reader.stdout is not None
        assert reader.stderr is not None
        reader.stdout.close()  # the reader goes away before anything is written
        error = reader.stderr.read().decode()
        assert reader.wait(timeout=60) == 1
    assert error == ""


def test_the_version_from_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "painread", "--version"],
        capture_output=True,
        text=True,
        env=quiet_environment(),
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"painread {painread.__version__}\n")


# --- previewing translations: --translations and PAINREAD_TRANSLATIONS ----------------------


def _french(root: Path) -> Path:
    """A translator's catalog, started with 'painread i18n init' and partly translated."""
    assert run(["i18n", "init", "-l", "fr", "-d", str(root)])[0] == 0
    entries = tagged("fr", ["article.title", "disclaimer.text"])
    write_po(root, "fr", entries)
    return root


def test_a_translator_previews_a_catalog_with_translations(
    registry: catalogs.Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The newcomer path: init a catalog, translate, preview with --translations."""
    locales = _french(tmp_path / "locales")
    code, out = run(["show", "--locale", "fr", "--translations", str(locales)])
    assert code == 0
    assert out.startswith(f"[fr] {ENGLISH['article.title']}\n")
    assert flat(f"[fr] {ENGLISH['disclaimer.text']}") in flat(out)
    assert capsys.readouterr().err == ""
    table = run(["locales", "--translations", str(locales)])[1]
    assert f"registered:{locales}" in next(row for row in table.splitlines() if row[:3] == "fr ")


@pytest.mark.parametrize("command", [["sections"], ["search", "kratom"], ["locales"]])
def test_every_reading_command_takes_translations(
    command: list[str],
    registry: catalogs.Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    locales = _french(tmp_path)
    locale = ["--locale", "fr"] if command != ["locales"] else []
    assert run([*command, *locale, "--translations", str(locales)])[0] == 0
    assert "no translation for 'fr'" not in capsys.readouterr().err
    assert "fr" in painread.available_locales()


def test_translations_can_be_repeated_and_the_last_one_wins(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    write_po(first, "fr", {"article.title": "Premier"})
    write_po(second, "fr", {"article.title": "Second"})
    argv = ["show", "--locale", "fr", "--translations", str(first), "--translations", str(second)]
    assert run(argv)[1].startswith("Second\n")


def test_translations_that_are_not_a_directory_is_an_error(
    registry: catalogs.Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing"
    assert run(["show", "--translations", str(missing)]) == (1, "")
    assert capsys.readouterr().err == f"painread: error: {missing}: not a directory\n"


def test_translations_one_level_too_deep_warns_naming_what_was_expected(
    registry: catalogs.Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locales = _french(tmp_path)
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("default", PainreadWarning)
        assert run(["sections", "--translations", str(locales / "fr")])[0] == 0
    assert capsys.readouterr().err == (
        f"painread: warning: {locales / 'fr'}: no catalogs found, expected "
        "<locale>/LC_MESSAGES/painread.po (or .mo) inside; it looks like one locale's folder: "
        "register the directory above it\n"
    )


def test_the_translations_variable_previews_from_a_real_process(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_po(first, "fr", {"article.title": "Premier"})
    write_po(second, "fr", {"article.title": "Second"})
    write_po(second, "it", {"article.title": "Titolo"})
    variable = os.pathsep.join([str(first), str(tmp_path / "missing"), str(second)])
    result = subprocess.run(
        [sys.executable, "-m", "painread", "locales"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**quiet_environment(), catalogs.TRANSLATIONS_VARIABLE: variable},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    origins = {row.split()[0]: row.split()[-1] for row in result.stdout.splitlines()[1:]}
    assert origins["fr"] == f"registered:{first}"  # the first entry comes first, as in PATH
    assert origins["it"] == f"registered:{second}"
    assert result.stderr == (
        f"painread: warning: {catalogs.TRANSLATIONS_VARIABLE}: {tmp_path / 'missing'}: "
        "not a directory; skipped\n"
    )


def test_the_help_names_the_translations_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "--help"])[0] == 0
    assert catalogs.TRANSLATIONS_VARIABLE in " ".join(capsys.readouterr().out.split())
