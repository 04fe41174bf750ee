from __future__ import annotations

import itertools
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from markupsafe import escape

import painread
from painread.models import Article
from painread.renderers import PLACEMENTS, render
from painread.renderers.html import escape_html

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
CASES = list(itertools.product(VIEWS, PLACEMENTS))
FORBIDDEN_ELEMENTS = {"script", "style", "link", "img", "iframe", "object", "embed", "base", "meta"}


def parse(fragment: str) -> Element:
    """Parse strictly: any HTML5 parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root: Element = parser.parseFragment(fragment)
    assert parser.errors == []
    return root


def article_element(fragment: str) -> Element:
    root = parse(fragment)
    children = list(root)
    assert len(children) == 1
    assert not (root.text or "").strip()
    return children[0]


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def text_of(element: Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_fragment_is_one_well_formed_article(view: str | None, placement: str) -> None:
    fragment = render(ARTICLE, "html", section=view, placement=placement)
    article = article_element(fragment)
    assert article.tag == "article"
    assert article.get("class") == "painread"
    assert article.get("lang") == "en"
    assert article.get("dir") == "ltr"
    assert "<html" not in fragment
    assert "<body" not in fragment


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_no_script_style_or_external_resource(view: str | None, placement: str) -> None:
    fragment = render(ARTICLE, "html", section=view, placement=placement)
    elements = list(article_element(fragment).iter())
    assert not {element.tag for element in elements} & FORBIDDEN_ELEMENTS
    for element in elements:
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        assert "src" not in element.attrib
        href = element.get("href")
        assert href is None or href.startswith("#")
    assert "<script" not in fragment.lower()


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_disclaimer_is_a_note_aside_at_its_placement(view: str | None, placement: str) -> None:
    article = article_element(render(ARTICLE, "html", section=view, placement=placement))
    children = list(article)
    asides = [child for child in children if "painread-disclaimer" in classes(child)]
    expected = {"top": ["top"], "bottom": ["bottom"], "both": ["top", "bottom"]}[placement]
    assert [aside.get("class", "").rsplit("--", 1)[1] for aside in asides] == expected
    for aside in asides:
        assert aside.tag == "aside"
        assert aside.get("role") == "note"
        assert ARTICLE.disclaimer.text in text_of(aside)
        assert ARTICLE.label("ui.disclaimer.heading") in text_of(aside)
    assert "alert" not in {element.get("role") for element in article.iter()}
    if placement != "bottom":
        assert children[0] is asides[0]
    if placement != "top":
        assert children[-1] is asides[-1]


@pytest.mark.parametrize("view", VIEWS)
def test_headings_are_in_order(view: str | None) -> None:
    article = article_element(render(ARTICLE, "html", section=view, placement="both"))
    levels = [
        int(element.tag[1]) for element in article.iter() if re.fullmatch(r"h[1-6]", element.tag)
    ]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    titles = [text_of(element) for element in article.iter("h2")]
    if view is None:
        assert [section.title.text for section in ARTICLE.sections] == [
            title for title in titles if title in {s.title.text for s in ARTICLE.sections}
        ]
    else:
        assert ARTICLE.section(view).title.text in titles


@pytest.mark.parametrize("view", VIEWS)
def test_notices_have_a_hidden_severity_prefix(view: str | None) -> None:
    article = article_element(render(ARTICLE, "html", section=view))
    asides = [element for element in article.iter("aside") if "painread-notice" in classes(element)]
    notices = ARTICLE.notices_for(view)
    assert len(asides) == len(notices)
    for aside, notice in zip(asides, notices, strict=True):
        assert f"painread-notice--{notice.severity.value}" in classes(aside)
        assert aside.get("id") == f"painread-notice-{notice.id}"
        hidden = [
            span for span in aside.iter("span") if "painread-visually-hidden" in classes(span)
        ]
        label = ARTICLE.label(f"ui.severity.{notice.severity.value}")
        assert [text_of(span) for span in hidden] == [f"{label}:"]
        assert notice.text.text in text_of(aside)


@pytest.mark.parametrize("view", VIEWS)
def test_note_markers_and_notes_link_to_each_other(view: str | None) -> None:
    article = article_element(render(ARTICLE, "html", section=view))
    ids = [element.get("id") for element in article.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for element in article.iter("a"):
        assert element.get("href", "")[1:] in ids
    notes = ARTICLE.notes_for(view)
    markers = [sup for sup in article.iter("sup") if "painread-ref" in classes(sup)]
    items = [li for li in article.iter("li") if "painread-note" in classes(li)]
    assert len(markers) == len(items) == len(notes)
    for number, (marker, item) in enumerate(zip(markers, items, strict=True), 1):
        link = marker.find("a")
        assert link is not None
        assert link.get("href") == f"#painread-note-{number}"
        assert link.get("id") == f"painread-ref-{number}"
        assert item.get("id") == f"painread-note-{number}"
        back = item.find(".//a")
        assert back is not None
        assert back.get("href") == f"#painread-ref-{number}"
    assert {note.text.text for note in notes} == {
        text_of(item).split(": ", 1)[1].split(" Sources: ")[0] for item in items
    }


def test_byline_has_machine_readable_dates() -> None:
    article = article_element(render(ARTICLE, "html"))
    times = {element.get("datetime"): text_of(element) for element in article.iter("time")}
    assert times["2026-11-24"] == "November 24, 2026"
    assert times["2026-11-01"] == "November 1, 2026"
    byline = next(p for p in article.iter("p") if "painread-byline" in classes(p))
    assert "Reading time: 6 minutes" in text_of(byline)


def test_every_character_that_needs_escaping_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & \"quoted\" <b onclick=x>"
    title = ARTICLE.title.model_copy(update={"text": hostile})
    fragment = render(ARTICLE.model_copy(update={"title": title}), "html")
    assert str(escape(hostile)) in fragment
    assert "<script" not in fragment
    assert "<b " not in fragment
    h1 = next(article_element(fragment).iter("h1"))
    assert text_of(h1) == hostile


def test_code_points_html_forbids_are_replaced() -> None:
    assert (
        str(escape_html("a\x00b\x0bc\x7fd\ufffee\U0010ffff"))
        == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"
    )
    assert str(escape_html("tab\tnewline\nform\x0creturn\r")) == "tab\tnewline\nform\x0creturn\r"


def _in_locale(locale: str) -> Article:
    return ARTICLE.model_copy(update={"locale": locale})


def test_right_to_left_locale_gets_dir_rtl() -> None:
    article = article_element(render(_in_locale("ar"), "html", section="dosage-and-safety"))
    assert article.get("dir") == "rtl"
    assert article.get("lang") == "ar"


def test_lang_is_a_bcp47_tag() -> None:
    assert article_element(render(_in_locale("pt_BR"), "html")).get("lang") == "pt-BR"


def test_every_class_is_documented() -> None:
    used: set[str] = set()
    for view in VIEWS:
        for element in article_element(
            render(ARTICLE, "html", section=view, placement="both")
        ).iter():
            used |= classes(element)
    docs = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    module_doc = painread.renderers.html.__doc__ or ""
    for name in sorted(used):
        generic = re.sub(r"--[a-z]+$", "--", name)
        assert generic in docs, f"{name} not documented in docs/embedding.md"
        assert generic in module_doc, f"{name} not documented in painread.renderers.html"
