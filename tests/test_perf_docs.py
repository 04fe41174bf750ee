"""docs/performance.md quotes only figures its generated results table holds.

The table between the page's result markers is written by ``benchmarks/run.py
--write-docs``. Each budget's headline (a ``### N.`` heading, or a bold
``**4a, ...**`` lead and the parenthesis after it) may quote only figures and
verdicts that the table, or the page's comparison of full runs, holds for that
budget; the comparison's latest column must be the table's own figures.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGE = ROOT / "docs" / "performance.md"
FIGURE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)(?:(?:-| to )(\d[\d,]*(?:\.\d+)?))?\s?(x|us|ms|KiB|MiB|B)\b"
)
HEADING = re.compile(r"^### (\d)\. (.*)$", re.MULTILINE)
LEAD = re.compile(r"^\*\*(\d[a-z]), ([^*]*)\*\*\s*(\([^)]*\))?", re.MULTILINE)


def _runner() -> object:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return run


def _block(text: str) -> str:
    run = _runner()
    start = text.index(run.RESULTS_START) + len(run.RESULTS_START)  # type: ignore[attr-defined]
    return text[start : text.index(run.RESULTS_END)]  # type: ignore[attr-defined]


def _rows(block: str) -> list[list[str]]:
    lines = [line for line in block.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def _comparison(text: str) -> dict[str, list[str]]:
    """The table of full runs that follows the results: budget -> cells, the limit last."""
    after = text[text.index("Full runs compared") :].split("\n\n")[1]
    table: dict[str, list[str]] = {}
    for line in after.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        table[cells[0]] = cells[1:]
    return table


def _numbers(text: str) -> set[tuple[float, str]]:
    found = set()
    for match in FIGURE.finditer(text):
        for value in match.group(1, 2):
            if value is not None:
                found.add((float(value.replace(",", "")), match.group(3)))
    return found


def _held(
    key: str, rows: list[list[str]], comparison: dict[str, list[str]]
) -> set[tuple[float, str]]:
    mine = [row for row in rows if row[0] == key or (row[0].startswith(key) and key.isdigit())]
    held = set().union(*(_numbers(" ".join(row[2:])) for row in mine))
    for name, cells in comparison.items():
        if name == key or (key.isdigit() and name.startswith(key)):
            held |= _numbers(" ".join(cells))
    return held


def _verdicts(key: str, rows: list[list[str]]) -> set[str]:
    return {row[4] for row in rows if row[0] == key or (key.isdigit() and row[0].startswith(key))}


def _headlines(text: str) -> list[tuple[str, str]]:
    found = [(m.group(1), m.group(2)) for m in HEADING.finditer(text)]
    found += [(m.group(1), m.group(2) + " " + (m.group(3) or "")) for m in LEAD.finditer(text)]
    return found


def test_the_summary_counts_the_table() -> None:
    run = _runner()
    block = _block(PAGE.read_text(encoding="utf-8"))
    rows = _rows(block)
    assert len(rows) >= 20
    verdicts = [row[4] for row in rows]
    expected = run.summary_line(  # type: ignore[attr-defined]
        [type("Row", (), {"verdict": verdict})() for verdict in verdicts]
    )
    assert block.strip().endswith(expected)


def test_the_latest_full_run_in_the_comparison_is_the_table() -> None:
    text = PAGE.read_text(encoding="utf-8")
    rows = _rows(_block(text))
    for key, cells in _comparison(text).items():
        latest = _numbers(cells[-2])  # the last column before the limit
        held = set().union(*(_numbers(" ".join(row[2:])) for row in rows if row[0] == key))
        assert latest <= held, (key, cells[-2])


@pytest.mark.parametrize(("key", "headline"), _headlines(PAGE.read_text(encoding="utf-8")))
def test_each_headline_quotes_only_what_the_table_holds(key: str, headline: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    rows = _rows(_block(text))
    held = _held(key, rows, _comparison(text))
    limits = {(float(v), "x") for v in re.findall(r"limit (\d+(?:\.\d+)?)x", headline)}
    quoted = _numbers(headline) - limits
    assert quoted <= held, (headline, sorted(quoted - held))
    for word in ("within", "over"):
        if re.search(rf"\b{word}\b", headline):
            assert word in _verdicts(key, rows), (headline, _verdicts(key, rows))


def test_the_check_catches_a_stale_quote() -> None:
    text = PAGE.read_text(encoding="utf-8")
    rows = _rows(_block(text))
    held = _held("5b", rows, _comparison(text))
    quoted = next(row for row in rows if row[0] == "5b")[2]  # the figure the table holds
    assert _numbers(quoted) <= held
    assert (6.3, "us") not in held  # a figure an earlier page quoted


def test_write_results_replaces_only_the_block(tmp_path: Path) -> None:
    run = _runner()
    page = tmp_path / "page.md"
    page.write_text(
        f"before\n{run.RESULTS_START}\nold\n{run.RESULTS_END}\nafter\n",  # type: ignore[attr-defined]
        encoding="utf-8",
    )
    run.write_results(page, "| # |\n|---|\n| 1 |", "0 over, 1 within.")  # type: ignore[attr-defined]
    assert page.read_text(encoding="utf-8") == (
        f"before\n{run.RESULTS_START}\n| # |\n|---|\n| 1 |\n\n0 over, 1 within.\n"  # type: ignore[attr-defined]
        f"{run.RESULTS_END}\nafter\n"  # type: ignore[attr-defined]
    )
