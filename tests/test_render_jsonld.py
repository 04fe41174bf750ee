from __future__ import annotations

import itertools
import json
import re
from typing import Any

import html5lib
import pytest

import painread
from painread.renderers import PLACEMENTS, render

ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
CASES = list(itertools.product(VIEWS, PLACEMENTS))


def page(view: str | None = None, placement: str = "bottom", article: Any = ARTICLE) -> Any:
    return json.loads(render(article, "jsonld", section=view, placement=placement))


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_is_a_medical_web_page(view: str | None, placement: str) -> None:
    data = page(view, placement)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["inLanguage"] == "en"
    assert data["dateModified"] == "2026-11-24"
    assert data["description"] == ARTICLE.label("ui.page.description")
    assert data["about"]["name"] == "Kratom"
    assert data["audience"]["@type"] == "MedicalAudience"
    assert all(part["@type"] == "WebPageElement" for part in data["hasPart"])
    expected_name = ARTICLE.title.text if view is None else ARTICLE.section(view).title.text
    assert data["name"] == expected_name


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_disclaimer_is_a_visible_text_part(view: str | None, placement: str) -> None:
    parts = page(view, placement)["hasPart"]
    disclaimers = [part for part in parts if part.get("cssSelector") == ".painread-disclaimer"]
    assert len(disclaimers) == 1
    assert disclaimers[0]["text"] == ARTICLE.disclaimer.text
    assert disclaimers[0]["name"] == ARTICLE.label("ui.disclaimer.heading")


@pytest.mark.parametrize("view", VIEWS)
def test_sections_notices_and_notes_are_parts(view: str | None) -> None:
    parts = page(view)["hasPart"]
    texts = [part["text"] for part in parts]
    sections = ARTICLE.sections if view is None else (ARTICLE.section(view),)
    for section in sections:
        assert {"name": section.title.text, "text": section.text}.items() <= next(
            part for part in parts if part["name"] == section.title.text
        ).items()
    for notice in ARTICLE.notices_for(view):
        assert notice.text.text in texts
    for note in ARTICLE.notes_for(view):
        assert note.text.text in texts


def test_reviewed_by_is_omitted_until_someone_reviews() -> None:
    assert "reviewedBy" not in page()
    reviewed = ARTICLE.model_copy(
        update={"metadata": ARTICLE.metadata.model_copy(update={"reviewed_by": "Dr. A. Person"})}
    )
    assert page(article=reviewed)["reviewedBy"] == {"@type": "Person", "name": "Dr. A. Person"}


def test_a_section_page_is_part_of_the_article() -> None:
    data = page("dosage-and-safety")
    assert data["isPartOf"] == {"@type": "MedicalWebPage", "name": ARTICLE.title.text}
    assert "isPartOf" not in page()


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_round_trips_and_is_safe_inside_a_script_element(view: str | None, placement: str) -> None:
    output = render(ARTICLE, "jsonld", section=view, placement=placement)
    data = json.loads(output)
    assert json.loads(json.dumps(data)) == data
    assert not re.search(r"[<>&]", output)


def test_hostile_text_cannot_close_the_script_element() -> None:
    hostile = "</script><script>alert(1)</script> & <!--"
    title = ARTICLE.sections[0].title.model_copy(update={"text": hostile})
    section = ARTICLE.sections[0].model_copy(update={"title": title})
    article = ARTICLE.model_copy(update={"sections": (section, *ARTICLE.sections[1:])})
    output = render(article, "jsonld", section=section.id)
    assert "</script" not in output
    assert json.loads(output)["name"] == hostile


@pytest.mark.parametrize("view", VIEWS)
def test_css_selectors_point_into_the_html_fragment(view: str | None) -> None:
    fragment = render(ARTICLE, "html", section=view)
    root = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    ids = {element.get("id") for element in root.iter()}
    classes = {name for element in root.iter() for name in (element.get("class") or "").split()}
    for part in page(view)["hasPart"]:
        selector = part["cssSelector"]
        assert selector[1:] in (ids if selector.startswith("#") else classes), selector


@pytest.mark.parametrize("locale", ["en", "es", "de", "ar"])
def test_the_description_is_our_own_and_repeats_no_claim_of_the_source(locale: str) -> None:
    article = painread.load(locale)
    data = page(article=article)
    description = data["description"]
    assert description == article.label("ui.page.description")
    assert description != article.summary.text
    for note in article.notes:
        assert note.anchor.text not in description
    assert "FDA" in description


@pytest.mark.parametrize("view", VIEWS)
def test_no_date_claims_a_review_while_no_clinician_reviewed(view: str | None) -> None:
    assert ARTICLE.metadata.reviewed_by is None
    data = page(view)
    assert "lastReviewed" not in data
    assert "reviewedBy" not in data
    assert data["datePublished"] == "2026-11-24"


def test_a_named_reviewer_brings_the_review_date() -> None:
    metadata = ARTICLE.metadata.model_copy(update={"reviewed_by": "Reviewer Name (test value)"})
    reviewed = ARTICLE.model_copy(update={"metadata": metadata})
    data = page(article=reviewed)
    assert data["lastReviewed"] == "2026-11-24"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Reviewer Name (test value)"}


def test_notice_dates_keep_the_precision_of_their_facts() -> None:
    parts = page()["hasPart"]
    dated = {part["cssSelector"]: part["dateModified"] for part in parts if "dateModified" in part}
    assert dated == {
        "#painread-article-en-notice-legal-status": "2026-11",
        "#painread-article-en-notice-seven-oh-products": "2026-11",
    }
