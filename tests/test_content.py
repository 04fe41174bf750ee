"""The shipped content: verbatim source, editorial text marked as ours, hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tools.gen_article import content_hash, read_document

import painread
from painread.models import Origin
from painread.translation import source_texts
from tests.conftest import ROOT, SOURCE_TEXT

SHARED_SOURCE = ROOT.parent / "shared" / "source" / "kratom-pills-chronic-pain.txt"


def _source_paragraphs_and_headings(lines: list[str]) -> list[str]:
    """The source without its bulleted table of contents (painread derives that)."""
    return [line for line in lines if not line.startswith("- ")]


def test_every_paragraph_and_heading_ships_verbatim_and_in_order(
    article: painread.Article, source_lines: list[str]
) -> None:
    shipped = [unit.text for unit in article.source_units()]
    assert shipped == _source_paragraphs_and_headings(source_lines)


def test_source_units_are_marked_as_source(article: painread.Article) -> None:
    assert {unit.origin for unit in article.source_units()} == {Origin.SOURCE}


def test_everything_painread_wrote_is_marked_editorial(article: painread.Article) -> None:
    ours = [article.title, article.disclaimer, *article.labels]
    ours += [notice.text for notice in article.notices]
    ours += [note.text for note in article.notes]
    assert {unit.origin for unit in ours} == {Origin.EDITORIAL}


def test_table_of_contents_is_derived_and_matches_the_source_list(
    article: painread.Article, source_lines: list[str]
) -> None:
    listed = [line[2:] for line in source_lines if line.startswith("- ")]
    assert [entry.title for entry in article.toc] == listed


def test_summary_introduction_and_conclusion_map_to_source_positions(
    article: painread.Article, source_lines: list[str]
) -> None:
    assert article.summary.text == source_lines[0]
    assert article.introduction.text == source_lines[1]
    assert article.conclusion.text == source_lines[-1]
    assert [section.id for section in article] == [
        "understanding-kratom-pills",
        "mechanisms-of-action",
        "dosage-and-safety",
    ]


def test_content_hash_is_sha256_of_the_source_text_without_its_contents_list(
    article: painread.Article, source_lines: list[str]
) -> None:
    canonical = "".join(f"{line}\n" for line in _source_paragraphs_and_headings(source_lines))
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert article.metadata.content_hash == expected == content_hash(read_document())


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="upstream source folder not checked out")
def test_repository_copy_of_the_source_matches_upstream() -> None:
    assert SOURCE_TEXT.read_bytes() == Path(SHARED_SOURCE).read_bytes()


def test_every_editorial_note_anchor_occurs_in_its_target(article: painread.Article) -> None:
    assert len(article.notes) == 9
    for note in article.notes:
        assert note.anchor.text in article.unit(note.target).text, note.id


def test_notices_cover_the_required_topics(article: painread.Article) -> None:
    assert 5 <= len(article.notices) <= 8
    assert {notice.category.value for notice in article.notices} >= {
        "dosing",
        "interactions",
        "dependence",
        "adverse-events",
        "legal",
    }
    legal = [notice for notice in article.notices if notice.category.value == "legal"]
    assert legal
    assert all(notice.as_of is not None for notice in legal)
    assert any("7-OH" in notice.text.text for notice in legal)


def test_disclaimer_says_what_it_must(article: painread.Article) -> None:
    text = article.disclaimer.text
    for phrase in (
        "not medical advice",
        "qualified health professional",
        "emergency",
        "has not been clinically reviewed",
        "not approved by the U.S. Food and Drug Administration (FDA) for any medical use",
    ):
        assert phrase in text
    assert article.disclaimer.locale == "en"
    assert article.disclaimer.version


def test_metadata_states_there_was_no_clinical_review(article: painread.Article) -> None:
    metadata = article.metadata
    assert metadata.reviewed_by is None
    assert metadata.clinically_reviewed is False
    assert "not clinically reviewed" in metadata.review_status.lower()
    assert metadata.source_locale == "en"
    assert metadata.review_due > metadata.last_reviewed
    assert metadata.reading_time_minutes == -(-metadata.word_count // 238)


def test_unit_ids_are_unique_and_cover_every_unit(article: painread.Article) -> None:
    ids = [unit.id for unit in article.units()]
    assert len(ids) == len(set(ids))
    assert set(source_texts()) == set(ids)


def test_no_invented_urls_in_editorial_text(article: painread.Article) -> None:
    for unit in article.units():
        if unit.origin is Origin.EDITORIAL:
            assert "http" not in unit.text
            assert "www." not in unit.text
    for item in (*article.notices, *article.notes):
        for source in item.sources:
            assert "http" not in source


def _english_words_shown(article: painread.Article) -> int:
    texts = [unit.text for unit in article.units()]
    texts += [source for item in (*article.notices, *article.notes) for source in item.sources]
    return sum(len(text.split()) for text in texts)


def test_word_count_is_everything_a_reader_is_shown_in_english(article: painread.Article) -> None:
    words = _english_words_shown(article)
    source_only = sum(len(unit.text.split()) for unit in article.source_units())
    assert article.metadata.word_count == words > source_only
    assert article.metadata.reading_time_minutes == -(-words // 238) == 10


@pytest.mark.parametrize("locale", ["es", "de", "ar"])
def test_a_faithful_translation_takes_as_long_to_read_as_the_english(
    article: painread.Article, locale: str
) -> None:
    translated = painread.load(locale)
    assert translated.locale == locale
    assert translated.metadata.word_count == article.metadata.word_count
    assert translated.metadata.reading_time_minutes == article.metadata.reading_time_minutes
