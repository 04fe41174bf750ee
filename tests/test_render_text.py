"""The text format gives a bot or terminal reader the context the web formats give."""

from __future__ import annotations

import re

import pytest

import painread
from painread.locales import format_date, format_duration, format_month

LOCALES = ("en", "es", "de", "ar")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("locale", LOCALES)
def test_notices_show_their_sources_and_as_of_month(locale: str) -> None:
    article = painread.load(locale)
    shown = _flat(painread.render(article, "text", width=60))
    for notice in article.notices:
        for source in notice.sources:
            assert _flat(source) in shown, (notice.id, source)
        if notice.as_of is not None:
            month = format_month(notice.as_of, locale)
            assert _flat(article.label("ui.as-of.label", date=month)) in shown


@pytest.mark.parametrize("locale", LOCALES)
def test_the_byline_shows_the_review_date_and_reading_time(locale: str) -> None:
    article = painread.load(locale)
    meta = article.metadata
    shown = _flat(painread.render(article, "text"))
    reviewed = article.label("ui.last-reviewed.label", date=format_date(meta.last_reviewed, locale))
    minutes = format_duration(meta.reading_time_minutes, locale)
    assert _flat(reviewed) in shown
    assert _flat(article.label("ui.reading-time.label", duration=minutes)) in shown
    assert shown.index(_flat(reviewed)) < shown.index(_flat(article.label("ui.notices.heading")))


def test_a_section_view_has_the_byline_without_a_reading_time() -> None:
    article = painread.load()
    shown = _flat(painread.render(article, "text", section="dosage-and-safety"))
    assert "Last editorial review: November 24, 2026" in shown
    assert "Reading time" not in shown


def test_text_shows_what_markdown_shows_of_each_notice() -> None:
    article = painread.load()
    text = _flat(painread.render(article, "text"))
    markdown = painread.render(article, "markdown")
    notices = [line for line in markdown.splitlines() if line.startswith("- **")]
    details = [
        m.group(1) for line in notices if (m := re.search(r" \(((?:As of|Sources).*)\)$", line))
    ]
    assert len(details) == sum(1 for notice in article.notices if notice.sources or notice.as_of)
    for detail in details:
        assert _flat(detail.replace("\\", "")) in text
