"""The command line, through main(argv) and once as a real process."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import painread
from painread.cli import main


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out)
    return code, out.getvalue()


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


def test_help_for_every_command_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["show", "--help"], ["sections", "--help"]):
        assert run(argv)[0] == 0
        assert "example" in capsys.readouterr().out


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
