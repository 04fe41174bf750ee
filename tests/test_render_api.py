from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

import pytest
from babel.dates import format_date as babel_format_date

import painread
from painread.errors import (
    DisclaimerMissingError,
    PainreadError,
    UnknownFormatError,
    UnknownPlacementError,
    UnknownSectionError,
)
from painread.locales import babel_duration, format_date, format_duration
from painread.models import TextUnit
from painread.renderers import FORMATS, PLACEMENTS, get_renderer, render
from painread.renderers.base import Segment, View, make_view, segments
from painread.renderers.html import HtmlRenderer
from painread.renderers.text import TextRenderer
from tests.fresh_process import run_fresh

ARTICLE = painread.load()
SECTION_IDS = tuple(section.id for section in ARTICLE.sections)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_formats_and_placements_are_the_documented_ones() -> None:
    assert FORMATS == ("text", "markdown", "html", "json", "jsonld", "fhir")
    assert PLACEMENTS == ("top", "bottom", "both")
    assert painread.render is render
    assert painread.FORMATS == FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_the_whole_article_with_its_disclaimer(fmt: str) -> None:
    output = render(ARTICLE, fmt)
    renderer = get_renderer(fmt)
    assert _flat(renderer.encode(ARTICLE.disclaimer.text)) in _flat(output)
    assert renderer.name == fmt


@pytest.mark.parametrize("fmt", ["pdf", "HTML", "", "txt", None, 3])
def test_unknown_format_names_the_valid_ones(fmt: object) -> None:
    with pytest.raises(UnknownFormatError) as caught:
        render(ARTICLE, fmt)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, PainreadError)
    assert error.valid == FORMATS
    for name in FORMATS:
        assert repr(name) in str(error)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_section_names_the_valid_ones(fmt: str) -> None:
    with pytest.raises(UnknownSectionError) as caught:
        render(ARTICLE, fmt, section="no-such-section")
    assert isinstance(caught.value, LookupError)
    assert caught.value.valid == SECTION_IDS
    for section_id in SECTION_IDS:
        assert repr(section_id) in str(caught.value)


@pytest.mark.parametrize("placement", ["middle", "TOP", "", None])
def test_unknown_placement_names_the_valid_ones(placement: object) -> None:
    with pytest.raises(UnknownPlacementError) as caught:
        render(ARTICLE, "html", placement=placement)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.valid == PLACEMENTS
    assert "'top', 'bottom', 'both'" in str(caught.value)


def test_width_applies_to_text_only() -> None:
    narrow = render(ARTICLE, "text", width=40)
    assert max(len(line) for line in narrow.splitlines() if " " in line.strip()) <= 40
    assert render(ARTICLE, "html", width=40) == render(ARTICLE, "html")


def test_a_section_alone_carries_only_its_notices_and_notes() -> None:
    view = make_view(ARTICLE, "mechanisms-of-action", "bottom")
    assert {notice.id for notice in view.notices} == {
        "interactions-sedatives",
        "dependence-withdrawal",
        "contamination-adverse-events",
        "seven-oh-products",
    }
    assert [note.id for note in view.notes] == [
        "morphine-not-endogenous",
        "sedation-dependency-comparison",
    ]
    html = render(ARTICLE, "html", section="mechanisms-of-action")
    assert "painread-notice-legal-status" not in html
    assert "painread-mechanisms-of-action-en-notice-seven-oh-products" in html


def test_views_are_immutable_records_equal_by_what_they_show() -> None:
    view = make_view(ARTICLE, "mechanisms-of-action", "bottom")
    again = make_view(ARTICLE, "mechanisms-of-action", "bottom")
    assert view == again
    assert hash(view) == hash(again)
    assert view != make_view(ARTICLE, "mechanisms-of-action", "top")
    assert view != "mechanisms-of-action"
    assert repr(view).startswith("View(article=Article(")
    with pytest.raises(AttributeError):
        view.placement = "top"  # type: ignore[misc]
    assert view.placement == "bottom"


def test_segments_split_text_at_anchor_ends_and_are_records() -> None:
    view = make_view(ARTICLE, None, "bottom")
    note = view.notes[0]
    unit = ARTICLE.unit(note.target)
    pieces = segments(view, unit)
    assert "".join(segment.text for segment in pieces) == unit.text
    assert pieces[0] == Segment(pieces[0].text, note)
    assert pieces[0].text.endswith(note.anchor.text)
    assert repr(Segment("x")) == "Segment(text='x', note=None)"
    with pytest.raises(AttributeError):
        pieces[0].text = "changed"  # type: ignore[misc]


def test_notes_are_numbered_in_reading_order() -> None:
    view = make_view(ARTICLE, None, "bottom")
    assert [note.id for note in view.notes] == [
        "fewer-side-effects",
        "different-risk-profile",
        "natural-alternative",
        "opioid-side-effects-comparison",
        "morphine-not-endogenous",
        "sedation-dependency-comparison",
        "starting-dose-figure",
        "no-recommended-dose",
        "promising-avenue",
    ]
    text = render(ARTICLE, "text")
    assert text.index("[1]") < text.index("[2]") < text.index("[3]") < text.index("[9]")


class _Dropping(TextRenderer):
    """A format that forgets part of what must travel with the text."""

    def __init__(self, drop: Literal["disclaimer", "notice", "note", "second"]) -> None:
        super().__init__()
        self.drop = drop

    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
        if self.drop == "disclaimer" or (self.drop == "second" and position == "bottom"):
            return "(disclaimer omitted)"
        return super().disclaimer_block(view, position)

    def notices_block(self, view: View) -> str:
        if self.drop == "notice":
            return "\n\n".join(notice.text.text for notice in view.notices[1:])
        return super().notices_block(view)

    def join(self, view: View, blocks: Sequence[str]) -> str:
        output = super().join(view, blocks)
        if self.drop == "note":
            return output.replace(view.notes[0].text.text.split()[-1], "")
        return output


@pytest.mark.parametrize("drop", ["disclaimer", "notice", "note"])
def test_a_format_that_drops_what_must_travel_gets_no_output(drop: str) -> None:
    renderer = _Dropping(drop)  # type: ignore[arg-type]
    with pytest.raises(DisclaimerMissingError) as caught:
        renderer.render(make_view(ARTICLE, "dosage-and-safety", "bottom"))
    assert caught.value.format == "text"
    assert isinstance(caught.value, PainreadError)


def test_both_means_two_copies_in_page_formats() -> None:
    renderer = _Dropping("second")
    assert renderer.render(make_view(ARTICLE, None, "top"))
    with pytest.raises(DisclaimerMissingError):
        renderer.render(make_view(ARTICLE, None, "both"))


class _HtmlDropping(HtmlRenderer):
    """An HTML format whose page loses text after it was escaped and checked off."""

    def __init__(self, drop: Literal["disclaimer", "notice", "note", "second"]) -> None:
        super().__init__()
        self.drop = drop

    def join(self, view: View, blocks: Sequence[object]) -> str:  # type: ignore[override]
        if self.drop == "second" and view.placement == "both":
            blocks = blocks[:-1]
        output = super().join(view, blocks)  # type: ignore[arg-type]
        if self.drop == "second":
            return output
        lost = {
            "disclaimer": view.article.disclaimer.text,
            "notice": view.notices[-1].text.text,
            "note": view.notes[-1].text.text,
        }[self.drop]
        return output.replace(self.encode(lost), "")


@pytest.mark.parametrize("drop", ["disclaimer", "notice", "note"])
def test_html_that_drops_what_must_travel_gets_no_output(drop: str) -> None:
    assert HtmlRenderer().render(make_view(ARTICLE, "dosage-and-safety", "bottom"))
    with pytest.raises(DisclaimerMissingError) as caught:
        _HtmlDropping(drop).render(make_view(ARTICLE, "dosage-and-safety", "bottom"))  # type: ignore[arg-type]
    assert caught.value.format == "html"


def test_both_means_two_copies_in_html() -> None:
    assert _HtmlDropping("second").render(make_view(ARTICLE, None, "top"))
    assert _HtmlDropping("second").render(make_view(ARTICLE, None, "bottom"))
    with pytest.raises(DisclaimerMissingError):
        _HtmlDropping("second").render(make_view(ARTICLE, None, "both"))


class _Forgetful(TextRenderer):
    """A format that says it writes a unit in a way it did not write it."""

    def encode_unit(self, view: View, unit: TextUnit) -> str:
        return f"[{unit.text}]"


def test_encodings_must_answer_for_every_text_checked() -> None:
    with pytest.raises(DisclaimerMissingError):
        _Forgetful().render(make_view(ARTICLE, "dosage-and-safety", "bottom"))


@pytest.mark.parametrize("fmt", ["json", "jsonld"])
def test_data_formats_carry_the_disclaimer_once_whatever_the_placement(fmt: str) -> None:
    renderer = get_renderer(fmt)
    output = render(ARTICLE, fmt, placement="both")
    assert not renderer.positional
    assert output.count(renderer.encode(ARTICLE.disclaimer.text)) == 1


@pytest.mark.parametrize("day", [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 366, 17)])
def test_english_dates_match_babel(day: date) -> None:
    assert format_date(day, "en") == babel_format_date(day, "long", locale="en")


@pytest.mark.parametrize("minutes", [1, 2, 6, 59, 60, 61, 119, 120, 500, 999, 1000, 60000])
def test_english_durations_match_babel(minutes: int) -> None:
    assert format_duration(minutes, "en") == babel_duration(minutes, "en")


def test_other_locales_use_babel() -> None:
    assert format_date(date(2026, 11, 24), "de") == "24. November 2026"
    assert format_duration(6, "de") == "6 Minuten"


def test_rendering_english_imports_neither_babel_nor_other_formats() -> None:
    code = (
        "import painread\n"
        "out = painread.render(painread.load(), 'text')\n"
        "assert 'Medical disclaimer'.upper() in out\n"
    )
    _, loaded = run_fresh(code)
    assert "painread.renderers.text" in loaded
    assert not loaded & {
        "babel",
        "markupsafe",
        "painread.renderers.html",
        "painread.renderers.jsonld",
        "painread.renderers.fhir",
    }


def test_html_in_english_does_not_import_babel() -> None:
    code = (
        "import painread\n"
        "out = painread.render(painread.load(), 'html')\n"
        "assert 'painread-disclaimer' in out\n"
    )
    _, loaded = run_fresh(code)
    assert "painread.renderers.html" in loaded
    assert "babel" not in loaded


def _uncut(view: View) -> View:
    """The same view with its notes in a tuple of their own, so its units are cut anew."""
    return view._replace(notes=(*view.notes,))


def test_cut_texts_from_the_article_match_cutting_them_now() -> None:
    for section in (None, *SECTION_IDS):
        view = make_view(ARTICLE, section, "bottom")
        for unit in ARTICLE.units():
            assert segments(view, unit) == segments(_uncut(view), unit)
    whole = make_view(ARTICLE, None, "top")
    assert any(len(segments(whole, unit)) > 1 for unit in ARTICLE.units())


def test_a_view_with_other_notes_cuts_texts_at_those_notes_only() -> None:
    whole = make_view(ARTICLE, None, "bottom")
    kept = whole.notes[1:]
    view = View(ARTICLE, None, whole.notices, kept, "bottom")
    dropped = whole.notes[0]
    unit = ARTICLE.unit(dropped.target)
    pieces = segments(view, unit)
    assert all(note is not dropped for _, note in pieces)
    assert "".join(text for text, _ in pieces) == unit.text
    foreign = unit.model_copy(update={"text": unit.text.upper()})
    assert segments(whole, foreign) == segments(_uncut(whole), foreign)
    assert "".join(text for text, _ in segments(whole, foreign)) == foreign.text
