"""Plain language, measured: painread's own English text reads at about grade 6-8.

How units are chosen and proper names treated: see tests/readability.py.
"""

from __future__ import annotations

import statistics

import pytest

import painread
from painread.models import Origin
from tests.conftest import ROOT
from tests.readability import MIN_WORDS, PROPER_NAMES, Unit, fk_grade, own_units, table

MEAN_LIMIT = 8.0
UNIT_LIMIT = 10.0
ARTICLE = painread.load()
UNITS = list(own_units(ARTICLE))


def test_the_mean_grade_of_painreads_own_text_is_at_most_8() -> None:
    grades = [fk_grade(unit.text) for unit in UNITS]
    assert statistics.fmean(grades) <= MEAN_LIMIT


@pytest.mark.parametrize("unit", UNITS, ids=[unit.id for unit in UNITS])
def test_every_unit_is_at_most_grade_10(unit: Unit) -> None:
    assert fk_grade(unit.text) <= UNIT_LIMIT


def test_every_notice_note_and_the_disclaimer_is_graded() -> None:
    graded = {unit.id for unit in UNITS}
    assert {notice.text.id for notice in ARTICLE.notices} <= graded
    assert {note.text.id for note in ARTICLE.notes} <= graded
    assert {ARTICLE.title.id, ARTICLE.disclaimer.id, "ui.page.description"} <= graded


def test_only_headings_and_short_labels_go_ungraded() -> None:
    graded = {unit.id for unit in UNITS}
    for label in ARTICLE.labels:
        if label.id not in graded:
            assert len(label.text.split()) < MIN_WORDS, label.id


def test_proper_names_count_as_ordinary_words_not_as_hard_ones() -> None:
    assert fk_grade("Kratom is a plant.") == fk_grade("Mitragynine is a plant.")
    assert all(name in " ".join(u.text for u in ARTICLE.units()) for name in PROPER_NAMES)


def test_the_grade_would_catch_the_old_dense_wording() -> None:
    old = (
        "Human evidence on kratom for pain is limited to small studies and self-reported "
        "surveys without comparison groups, and no head-to-head human trial against opioids "
        "was found. Comparative claims of fewer side effects are not established, and serious "
        "adverse events, including liver toxicity and seizures, have been reported with kratom."
    )
    assert fk_grade(old) > UNIT_LIMIT


def test_docs_list_every_editorial_unit_and_the_current_readability_table() -> None:
    content = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    assert table() in content
    for unit in ARTICLE.units():
        if unit.origin is Origin.EDITORIAL and not unit.id.startswith("ui."):
            assert f"`{unit.id}`" in content, unit.id
    assert "`ui.page.description`" in content
