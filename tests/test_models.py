"""Validation rejects broken content, and loaded articles cannot be changed."""

from __future__ import annotations

import copy
import pickle
import re
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import painread
from painread.content import build_article
from painread.errors import ContentError, InvalidQueryError, UnknownSectionError, UnknownUnitError

Edit = Callable[[dict[str, Any]], None]


def _duplicate_unit_id(doc: dict[str, Any]) -> None:
    doc["sections"][1]["paragraphs"][0]["id"] = doc["sections"][0]["paragraphs"][0]["id"]


def _duplicate_section_id(doc: dict[str, Any]) -> None:
    doc["sections"][1]["id"] = doc["sections"][0]["id"]


def _dangling_notice_target(doc: dict[str, Any]) -> None:
    doc["notices"][0]["applies_to"] = ["no-such-section"]


def _dangling_note_target(doc: dict[str, Any]) -> None:
    doc["notes"][0]["target"] = "section.nowhere.p1"


def _missing_anchor(doc: dict[str, Any]) -> None:
    doc["notes"][0]["anchor"]["text"] = "words the article never says"


def _empty_disclaimer(doc: dict[str, Any]) -> None:
    doc["disclaimer"]["text"] = "   "


def _no_disclaimer(doc: dict[str, Any]) -> None:
    del doc["disclaimer"]


def _source_marked_editorial(doc: dict[str, Any]) -> None:
    doc["summary"]["paragraphs"][0]["origin"] = "editorial"


def _editorial_marked_source(doc: dict[str, Any]) -> None:
    doc["notices"][0]["text"]["origin"] = "source"


def _unknown_field(doc: dict[str, Any]) -> None:
    doc["sections"][0]["colour"] = "red"


def _review_due_before_review(doc: dict[str, Any]) -> None:
    doc["metadata"]["review_due"] = "2020-01-01"


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (_duplicate_unit_id, "duplicate unit id 'section.understanding-kratom-pills.p1'"),
        (_duplicate_section_id, "duplicate section id 'understanding-kratom-pills'"),
        (_dangling_notice_target, "notices[0].applies_to names unknown section 'no-such-section'"),
        (_dangling_note_target, "notes[0].target names unknown unit 'section.nowhere.p1'"),
        (_missing_anchor, "notes[0].anchor 'words the article never says' does not occur"),
        (_empty_disclaimer, "disclaimer.text: Value error, text must not be empty"),
        (_no_disclaimer, "disclaimer: Field required"),
        (_source_marked_editorial, "summary.paragraphs[0] ('summary.p1') must have origin"),
        (_editorial_marked_source, "notices[0].text"),
        (_unknown_field, "sections.0.colour: Extra inputs are not permitted"),
        (_review_due_before_review, "review_due must come after last_reviewed"),
    ],
)
def test_invalid_content_is_rejected_naming_the_field(
    document: dict[str, Any], edit: Edit, named: str
) -> None:
    edit(document)
    with pytest.raises(ContentError) as caught:
        build_article(document=document)
    assert named in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value.__cause__, pydantic.ValidationError)


def test_models_reject_invalid_data_directly(article: painread.Article) -> None:
    data = article.model_dump()
    data["notes"][0]["anchor"]["text"] = "not in the text"
    with pytest.raises(pydantic.ValidationError, match="does not occur verbatim"):
        painread.Article.model_validate(data)


def test_valid_dump_round_trips(article: painread.Article) -> None:
    assert painread.Article.model_validate_json(article.model_dump_json()) == article


def test_assigning_a_field_raises_and_leaves_the_cached_article_unchanged() -> None:
    article = painread.load()
    before = article.model_dump()
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        article.title = article.disclaimer  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        article.sections += article.sections  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        article.sections[0].title.text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        article.sections.append(article.sections[0])  # type: ignore[attr-defined]
    assert painread.load() is article
    assert article.model_dump() == before


def test_fallbacks_mapping_is_read_only(article: painread.Article) -> None:
    with pytest.raises(TypeError):
        article.fallbacks["article.title"] = "de"  # type: ignore[index]
    assert dict(article.fallbacks) == {}


def test_section_lookup_names_the_valid_ids(article: painread.Article) -> None:
    assert article.section("mechanisms-of-action").title.text.startswith("The Science Behind")
    with pytest.raises(UnknownSectionError) as caught:
        article.section("nope")
    assert isinstance(caught.value, LookupError)
    assert caught.value.section_id == "nope"
    assert "dosage-and-safety" in str(caught.value)
    assert caught.value.valid == tuple(section.id for section in article)


def test_iterating_an_article_yields_its_sections(article: painread.Article) -> None:
    assert list(article) == list(article.sections)
    assert len(article.toc) == 3


def test_unit_lookup(article: painread.Article) -> None:
    assert article.unit("disclaimer.text") is article.disclaimer
    with pytest.raises(UnknownUnitError, match="nope"):
        article.unit("nope")


def test_labels_format_placeholders(article: painread.Article) -> None:
    assert article.label("ui.as-of.label", date="1 May") == "As of 1 May"
    assert article.label("ui.notices.heading") == "Safety notices"
    with pytest.raises(UnknownUnitError):
        article.label("ui.nope")


def test_labels_without_placeholders_still_unescape_braces(article: painread.Article) -> None:
    labels = tuple(
        unit.model_copy(update={"text": "Safety {{notices}}"})
        if unit.id == "ui.notices.heading"
        else unit
        for unit in article.labels
    )
    patched = article.model_copy(update={"labels": labels})
    assert patched.label("ui.notices.heading") == "Safety {notices}"


def test_notices_and_notes_for_a_section(article: painread.Article) -> None:
    dosage = article.notices_for("dosage-and-safety")
    assert {notice.id for notice in dosage} >= {"dosing-variability", "legal-status"}
    assert all(notice.applies_to_section("dosage-and-safety") for notice in dosage)
    assert article.section("dosage-and-safety").notice_ids == tuple(n.id for n in dosage)
    assert [note.id for note in article.notes_for("dosage-and-safety")] == [
        "starting-dose-figure",
        "no-recommended-dose",
    ]
    assert article.notices_for(None) == article.notices
    assert article.notes_for() == article.notes


def test_search_ignores_case_accents_and_typographic_quotes(article: painread.Article) -> None:
    hits = article.search("MU-OPIOID")
    assert {hit.unit_id for hit in hits} >= {"summary.p1", "section.mechanisms-of-action.p1"}
    for hit in hits:
        assert article.unit(hit.unit_id).text[hit.start : hit.end].lower() == "mu-opioid"
    assert article.search("kratom's")  # the source has a typographic apostrophe here
    assert article.search("MÍTRAGYNINE")
    assert article.search("zzz not there") == ()


def test_search_reports_the_section(article: painread.Article) -> None:
    (hit,) = article.search("2 to 6 grams")
    assert hit.section_id == "dosage-and-safety"
    assert "2 to 6 grams" in hit.snippet


@pytest.mark.parametrize("query", ["", "   ", "\u0301"])
def test_search_rejects_empty_queries(article: painread.Article, query: str) -> None:
    with pytest.raises(InvalidQueryError, match="empty"):
        article.search(query)


def test_search_rejects_non_strings(article: painread.Article) -> None:
    with pytest.raises(InvalidQueryError, match="expected a string"):
        article.search(42)  # type: ignore[arg-type]


def test_search_treats_regex_metacharacters_literally(article: painread.Article) -> None:
    assert article.search(".*") == ()
    assert article.search("(FDA)") == ()


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_substring_of_a_source_unit_is_found(
    article: painread.Article, data: st.DataObject
) -> None:
    units = list(article.source_units())
    unit = data.draw(st.sampled_from(units))
    start = data.draw(st.integers(0, len(unit.text) - 1))
    end = data.draw(st.integers(start + 1, min(len(unit.text), start + 60)))
    query = unit.text[start:end]
    if not query.strip():
        return
    hits = article.search(query.swapcase())
    assert any(hit.unit_id == unit.id for hit in hits)


def test_a_copy_with_replaced_fields_renders_them(article: painread.Article) -> None:
    labels = tuple(
        unit.model_copy(update={"text": "Warnings"}) if unit.id == "ui.notices.heading" else unit
        for unit in article.labels
    )
    relabelled = article.model_copy(update={"labels": labels, "notes": article.notes[:2]})
    assert relabelled.label("ui.notices.heading") == "Warnings"
    shown = painread.render(relabelled, "markdown")
    assert "## Warnings" in shown
    assert "3\\]" not in shown
    assert "2\\]" in shown
    assert article.label("ui.notices.heading") == "Safety notices"
    assert "## Safety notices" in painread.render(article, "markdown")


def test_copies_and_pickles_are_equal_and_render_the_same(article: painread.Article) -> None:
    stale = article.model_copy(update={"notes": article.notes[:1]})
    fresh = painread.Article.model_validate(stale.model_dump())
    assert stale == fresh
    assert hash(stale) == hash(fresh)
    for copied in (copy.deepcopy(article), pickle.loads(pickle.dumps(article))):
        assert copied == article
        assert painread.render(copied, "html") == painread.render(article, "html")


def test_the_first_label_of_an_id_wins(article: painread.Article) -> None:
    first = article.labels[0]
    shadow = first.model_copy(update={"text": "shadowed"})
    doubled = article.model_copy(update={"labels": (*article.labels, shadow)})
    assert doubled.label(first.id) == first.text.format()


# Written out independently of the module: what HTML forbids in text.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)


def _in_title(article: painread.Article, text: str) -> painread.Article:
    return article.model_copy(update={"title": article.title.model_copy(update={"text": text})})


def _in_section_id(article: painread.Article, text: str) -> painread.Article:
    first = article.sections[0].model_copy(update={"id": text})
    return article.model_copy(update={"sections": (first, *article.sections[1:])})


def _in_note_source(article: painread.Article, text: str) -> painread.Article:
    last = article.notes[-1].model_copy(update={"sources": (text,)})
    return article.model_copy(update={"notes": (*article.notes[:-1], last)})


def _in_notice_id(article: painread.Article, text: str) -> painread.Article:
    first = article.notices[0].model_copy(update={"id": text})
    return article.model_copy(update={"notices": (first, *article.notices[1:])})


def _in_label(article: painread.Article, text: str) -> painread.Article:
    label = article.labels[0].model_copy(update={"text": text})
    return article.model_copy(update={"labels": (label, *article.labels[1:])})


def _in_disclaimer(article: painread.Article, text: str) -> painread.Article:
    return article.model_copy(
        update={"disclaimer": article.disclaimer.model_copy(update={"text": text})}
    )


PLACES = [_in_title, _in_section_id, _in_note_source, _in_notice_id, _in_label, _in_disclaimer]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x85", "\ud800", "\ufffe", "\U0010ffff"])
def test_a_forbidden_code_point_in_any_string_never_reaches_the_html(
    article: painread.Article, place: Callable[[painread.Article, str], painread.Article], char: str
) -> None:
    hostile = place(article, f"text{char}text")
    for copied in (hostile, copy.deepcopy(hostile)):
        page = painread.render(copied, "html", placement="both")
        assert FORBIDDEN.search(page) is None
        assert "text\ufffdtext" in page
