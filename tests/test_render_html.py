from __future__ import annotations

import itertools
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

import painread
from painread.models import Article, TextUnit
from painread.renderers import PLACEMENTS, render
from painread.renderers import html as html_module
from painread.renderers.base import View, displayable, make_view
from painread.renderers.html import (
    HtmlRenderer,
    _allowed,
    _escape_all,
    _escape_displayable,
    escape_html,
)

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
CASES = list(itertools.product(VIEWS, PLACEMENTS))
FORBIDDEN_ELEMENTS = {"script", "style", "link", "img", "iframe", "object", "embed", "base", "meta"}
# Written out independently of the module: code points HTML does not allow in text.
NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)
EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))


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
    assert times["2026-11"] == "November 2026"  # "as of" facts are dated to the month
    assert "2026-11-01" not in times
    byline = next(p for p in article.iter("p") if "painread-byline" in classes(p))
    assert "Reading time: 10 minutes" in text_of(byline)


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


def test_the_quick_check_finds_every_code_point_html_forbids() -> None:
    forbidden = NOT_IN_HTML.findall(EVERY_CODE_POINT)
    assert len(forbidden) == 28 + 33 + 2048 + 32 + 34
    for char in forbidden:
        assert _allowed(f"a{char}b") == "a\ufffdb", hex(ord(char))
        assert _allowed(char * 3) == "\ufffd" * 3, hex(ord(char))


def test_every_code_point_is_replaced_or_kept_as_before() -> None:
    expected = NOT_IN_HTML.sub("\ufffd", EVERY_CODE_POINT)
    assert _allowed(EVERY_CODE_POINT) == expected
    assert str(escape_html(EVERY_CODE_POINT)) == str(escape(expected))
    for plane in range(17):
        start = plane * 0x10000
        chunk = EVERY_CODE_POINT[start : start + 0x10000]
        assert _allowed(chunk) == NOT_IN_HTML.sub("\ufffd", chunk)


texts = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["\x00", "a\x00b", "<&>\"'", "\ud800", "\U0010ffff", "\u00b7", ""]),
    ),
    max_size=8,
)


@given(texts=texts)
def test_escaping_texts_together_is_escaping_each(texts: list[str]) -> None:
    assert _escape_all(texts) == [str(escape_html(text)) for text in texts]


displayable_texts = st.lists(
    st.one_of(
        st.text(max_size=12).filter(displayable),
        st.sampled_from(["<&>\"'", "'" * 17, "a&b", "\u00b7", "", "\t\n"]),
    ),
    max_size=8,
)


@given(texts=displayable_texts)
def test_escaping_displayable_texts_finds_what_the_full_check_finds(texts: list[str]) -> None:
    assert _escape_displayable(texts) == _escape_all(texts)
    assert _escape_displayable([Markup(text) for text in texts]) == _escape_all(texts)


@pytest.mark.parametrize("locale", ["en", "de", "es", "ar"])
def test_pages_of_displayable_articles_equal_those_checked_in_full(
    locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = painread.load(locale)
    views = [make_view(article, view, placement) for view, placement in CASES]
    quick = [HtmlRenderer().render(view) for view in views]
    monkeypatch.setattr(html_module, "_shows_displayable_text", lambda view: False)
    assert [HtmlRenderer().render(view) for view in views] == quick


def test_text_a_view_brings_from_elsewhere_is_still_checked_in_full() -> None:
    hostile = "a\x00b\ufffe"
    note = ARTICLE.notes[0].model_copy(
        update={"text": ARTICLE.notes[0].text.model_copy(update={"text": hostile})}
    )
    notice = ARTICLE.notices[0].model_copy(update={"sources": (hostile,)})
    section = ARTICLE.sections[0].model_copy(update={"id": hostile})
    own = make_view(ARTICLE, None, "bottom")
    views = [
        View(ARTICLE, None, own.notices, (note, *own.notes[1:]), "bottom"),
        View(ARTICLE, None, (notice, *own.notices[1:]), own.notes, "bottom"),
        View(ARTICLE, section, own.notices, own.notes, "bottom"),
    ]
    for view in views:
        page = HtmlRenderer().render(view)
        assert "a\ufffdb\ufffd" in page
        assert NOT_IN_HTML.search(page) is None


@given(texts=texts)
def test_encode_all_is_encode_of_each_before_and_after_a_render(texts: list[str]) -> None:
    renderer = HtmlRenderer()
    assert renderer.encode_all(texts) == [renderer.encode(text) for text in texts]
    view = make_view(ARTICLE, None, "both")
    renderer.render(view)
    required = [view.article.disclaimer.text, *(notice.text.text for notice in view.notices)]
    required += [note.text.text for note in view.notes]
    for batch in (required, texts, required + texts):
        assert renderer.encode_all(batch) == [renderer.encode(text) for text in batch]


def test_text_that_is_already_markup_is_still_escaped() -> None:
    assert str(escape_html(Markup("<b>bold</b>"))) == "&lt;b&gt;bold&lt;/b&gt;"
    title = ARTICLE.title.model_copy(update={"text": Markup("<b>bold</b>")})
    fragment = render(ARTICLE.model_copy(update={"title": title}), "html")
    assert "&lt;b&gt;bold&lt;/b&gt;" in fragment
    assert "<b>" not in fragment


HOSTILE = "<script>alert(1)</script><b title='x\" onclick=y'>&amp;"
ALLOWED_TAGS = {"article", "header", "h1", "h2", "p", "time", "section", "aside", "span"}
ALLOWED_TAGS |= {"strong", "nav", "ol", "li", "a", "sup", "q"}
ALLOWED_ATTRIBUTES = {"class", "id", "href", "lang", "dir", "role", "datetime"}


def _hostile(unit: TextUnit, keep: bool = False) -> TextUnit:
    return unit.model_copy(update={"text": HOSTILE + (unit.text if keep else "")})


def _hostile_everywhere() -> Article:
    """Every text, label, id and source replaced by markup, bypassing validation."""
    sections = tuple(
        section.model_copy(
            update={
                "id": f"{section.id}{HOSTILE}",
                "title": _hostile(section.title),
                "paragraphs": tuple(_hostile(unit, keep=True) for unit in section.paragraphs),
            }
        )
        for section in ARTICLE.sections
    )
    notices = tuple(
        notice.model_copy(
            update={"id": HOSTILE, "text": _hostile(notice.text), "sources": (HOSTILE,)}
        )
        for notice in ARTICLE.notices
    )
    notes = tuple(
        note.model_copy(update={"text": _hostile(note.text), "sources": (HOSTILE, HOSTILE)})
        for note in ARTICLE.notes
    )
    passages = {
        name: getattr(ARTICLE, name).model_copy(
            update={
                "paragraphs": tuple(
                    _hostile(unit, keep=True) for unit in getattr(ARTICLE, name).paragraphs
                )
            }
        )
        for name in ("summary", "introduction", "conclusion")
    }
    return ARTICLE.model_copy(
        update={
            "title": _hostile(ARTICLE.title),
            "sections": sections,
            "notices": notices,
            "notes": notes,
            "disclaimer": _hostile(ARTICLE.disclaimer),
            "labels": tuple(_hostile(label, keep=True) for label in ARTICLE.labels),
            **passages,
        }
    )


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_markup_in_every_text_label_id_and_source_stays_text(placement: str) -> None:
    article = _hostile_everywhere()
    for view in (None, *(section.id for section in article.sections)):
        fragment = render(article, "html", section=view, placement=placement)
        elements = list(article_element(fragment).iter())
        assert {element.tag for element in elements} <= ALLOWED_TAGS
        assert {name for element in elements for name in element.attrib} <= ALLOWED_ATTRIBUTES
        assert HOSTILE in text_of(article_element(fragment))
        assert str(escape(HOSTILE)) in fragment


def _relabelled(**texts: str) -> Article:
    labels = tuple(
        unit.model_copy(update={"text": texts[unit.id]}) if unit.id in texts else unit
        for unit in ARTICLE.labels
    )
    return ARTICLE.model_copy(update={"labels": labels})


def test_labels_read_as_the_article_gives_them() -> None:
    article = _relabelled(**{"ui.notices.heading": "Safety {{notices}}"})
    view = make_view(article, None, "bottom")
    for unit in article.labels:
        values = {"date": "today", "duration": "6 minutes"}
        assert view.label(unit.id, **values) == article.label(unit.id, **values)
    assert view.label("ui.notices.heading") == "Safety {notices}"
    headings = [text_of(h2) for h2 in article_element(render(article, "html")).iter("h2")]
    assert "Safety {notices}" in headings


def test_a_date_label_with_braces_is_formatted_as_markup() -> None:
    article = _relabelled(**{"ui.last-reviewed.label": "Reviewed {{on}} <{date}>"})
    byline = next(
        p
        for p in article_element(render(article, "html")).iter("p")
        if "painread-byline" in classes(p)
    )
    assert text_of(byline).startswith("Reviewed {on} <November 24, 2026>")
    assert "Reviewed {on} \\<November 24, 2026\\>" in render(article, "markdown")


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
