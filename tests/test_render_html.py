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
from painread.models import ARTICLE_WIDE, Article, TextUnit
from painread.renderers import PLACEMENTS, render
from painread.renderers.base import View, displayable, id_prefix, make_view
from painread.renderers.html import _SENTENCE_END, HtmlRenderer, _text, escape_html

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
    h1s = [text_of(element) for element in article.iter("h1")]
    assert h1s == [ARTICLE.label("ui.disclaimer.heading"), ARTICLE.title.text]
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    titles = [text_of(element) for element in article.iter("h2")]
    if view is None:
        assert [section.title.text for section in ARTICLE.sections] == [
            title for title in titles if title in {s.title.text for s in ARTICLE.sections}
        ]
    else:
        assert ARTICLE.section(view).title.text in titles


@pytest.mark.parametrize("view", VIEWS)
def test_notices_show_their_severity_in_words_each_in_full_once(view: str | None) -> None:
    article = article_element(render(ARTICLE, "html", section=view))
    prefix = id_prefix(make_view(ARTICLE, view, "bottom"))
    asides = [element for element in article.iter("aside") if "painread-notice" in classes(element)]
    notices = ARTICLE.notices_for(view)
    assert sorted(aside.get("id") for aside in asides) == sorted(
        f"{prefix}-notice-{notice.id}" for notice in notices
    )
    for notice in notices:
        aside = next(a for a in asides if a.get("id") == f"{prefix}-notice-{notice.id}")
        assert f"painread-notice--{notice.severity.value}" in classes(aside)
        severity = next(aside.iter("strong"))
        label = ARTICLE.label(f"ui.severity.{notice.severity.value}")
        assert text_of(severity) == f"{label}:"
        assert "painread-visually-hidden" not in classes(severity)
        assert notice.text.text in text_of(aside)


@pytest.mark.parametrize("view", VIEWS)
def test_section_notices_sit_in_their_section_and_the_others_open_the_page(
    view: str | None,
) -> None:
    article = article_element(render(ARTICLE, "html", section=view))
    prefix = id_prefix(make_view(ARTICLE, view, "bottom"))
    for section in article.iter("section"):
        if "painread-section" not in classes(section):
            continue
        section_id = section.get("id", "").removeprefix(f"{prefix}-section-")
        inside = {a.get("id") for a in section.iter("aside")}
        assert inside == {
            f"{prefix}-notice-{notice.id}"
            for notice in ARTICLE.notices
            if section_id in notice.applies_to and ARTICLE_WIDE not in notice.applies_to
        }
    leads = [li for li in article.iter("li") if "painread-notice-lead" in classes(li)]
    wide = [notice for notice in ARTICLE.notices_for(view) if ARTICLE_WIDE in notice.applies_to]
    assert len(leads) == len(wide)
    for lead, notice in zip(leads, wide, strict=True):
        link = lead.find("a")
        assert link is not None
        assert link.get("href") == f"#{prefix}-notice-{notice.id}"
        assert notice.text.text.startswith(text_of(lead).split(": ", 1)[1][: -len(text_of(link))])


@pytest.mark.parametrize("view", VIEWS)
def test_note_markers_and_notes_link_to_each_other(view: str | None) -> None:
    article = article_element(render(ARTICLE, "html", section=view))
    prefix = id_prefix(make_view(ARTICLE, view, "bottom"))
    ids = [element.get("id") for element in article.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert all(str(element_id).startswith(f"{prefix}-") for element_id in ids)
    for element in article.iter("a"):
        assert element.get("href", "")[1:] in ids
    notes = ARTICLE.notes_for(view)
    markers = [sup for sup in article.iter("sup") if "painread-ref" in classes(sup)]
    items = [li for li in article.iter("li") if "painread-note" in classes(li)]
    assert len(markers) == len(items) == len(notes)
    for number, (marker, item) in enumerate(zip(markers, items, strict=True), 1):
        link = marker.find("a")
        assert link is not None
        assert link.get("href") == f"#{prefix}-note-{number}"
        assert link.get("id") == f"{prefix}-ref-{number}"
        assert item.get("id") == f"{prefix}-note-{number}"
        back = item.findall(".//a")[-1]
        assert back.get("href") == f"#{prefix}-ref-{number}"
        assert text_of(back) == f"Back to note {number} in the text"
    assert {note.text.text for note in notes} == {
        text_of(item.find("p")).split(": ", 1)[1] for item in items
    }


def test_two_views_on_one_page_share_no_id() -> None:
    fragments = [render(ARTICLE, "html"), render(ARTICLE, "html", section="dosage-and-safety")]
    fragments.append(render(painread.load("de"), "html"))
    ids = [e.get("id") for f in fragments for e in article_element(f).iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("level", [1, 2, 3, 5, 6])
def test_heading_level_sets_the_top_heading(level: int) -> None:
    article = article_element(render(ARTICLE, "html", heading_level=level))
    levels = [int(e.tag[1]) for e in article.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == level
    assert min(levels) == level
    assert max(levels) == min(level + 1, 6)
    assert painread.load().embed(heading_level=level).html().count(f"<h{level} ") >= 1


@pytest.mark.parametrize("level", [0, 7, "2", 2.0, True, None])
def test_a_bad_heading_level_is_refused(level: object) -> None:
    with pytest.raises(painread.InvalidHeadingLevelError) as caught:
        render(ARTICLE, "html", heading_level=level)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.level == level
    with pytest.raises(painread.InvalidHeadingLevelError):
        ARTICLE.embed(heading_level=level)  # type: ignore[arg-type]


def test_the_disclaimer_is_a_named_note_with_a_real_heading() -> None:
    article = article_element(render(ARTICLE, "html", placement="both"))
    for aside in (a for a in article.iter("aside") if "painread-disclaimer" in classes(a)):
        heading = aside.find(f".//*[@id='{aside.get('aria-labelledby')}']")
        assert heading is not None
        assert re.fullmatch(r"h[1-6]", heading.tag)
        assert text_of(heading) == ARTICLE.label("ui.disclaimer.heading")


def test_the_contents_landmark_is_named() -> None:
    article = article_element(render(ARTICLE, "html"))
    nav = next(article.iter("nav"))
    heading = nav.find(f".//*[@id='{nav.get('aria-labelledby')}']")
    assert heading is not None
    assert text_of(heading) == ARTICLE.label("ui.contents.heading")


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_a_link_to_the_disclaimer_comes_before_the_text_when_it_is_after(placement: str) -> None:
    fragment = render(ARTICLE, "html", placement=placement)
    article = article_element(fragment)
    links = [p for p in article.iter("p") if "painread-disclaimer-link" in classes(p)]
    if placement != "bottom":
        assert links == []
        return
    (link,) = links
    anchor = link.find("a")
    assert anchor is not None
    target = anchor.get("href", "")[1:]
    assert fragment.index(f'id="{target}"') > fragment.index("painread-summary")
    assert fragment.index("painread-disclaimer-link") < fragment.index("painread-summary")


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


def test_the_page_check_replaces_exactly_the_code_points_html_forbids() -> None:
    forbidden = NOT_IN_HTML.findall(EVERY_CODE_POINT)
    assert len(forbidden) == 28 + 33 + 2048 + 32 + 34
    assert displayable(EVERY_CODE_POINT) == NOT_IN_HTML.sub("\ufffd", EVERY_CODE_POINT)
    assert escape_html(EVERY_CODE_POINT) == str(escape(NOT_IN_HTML.sub("\ufffd", EVERY_CODE_POINT)))


@given(text=st.text())
def test_the_quick_page_check_is_the_plain_one(text: str) -> None:
    assert displayable(text) == NOT_IN_HTML.sub("\ufffd", text)
    assert escape_html(text) == str(escape(NOT_IN_HTML.sub("\ufffd", text)))


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


def test_text_that_is_already_markup_is_still_escaped() -> None:
    assert str(escape_html(Markup("<b>bold</b>"))) == "&lt;b&gt;bold&lt;/b&gt;"
    title = ARTICLE.title.model_copy(update={"text": Markup("<b>bold</b>")})
    fragment = render(ARTICLE.model_copy(update={"title": title}), "html")
    assert "&lt;b&gt;bold&lt;/b&gt;" in fragment
    assert "<b>" not in fragment


HOSTILE = "<script>alert(1)</script><b title='x\" onclick=y'>&amp;"
ALLOWED_TAGS = {"article", "header", "h1", "h2", "p", "time", "section", "aside", "span"}
ALLOWED_TAGS |= {"strong", "nav", "ol", "ul", "li", "a", "sup", "q", "bdi"}
ALLOWED_ATTRIBUTES = {"class", "id", "href", "lang", "dir", "role", "datetime", "aria-labelledby"}


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
        values = {
            "date": "today",
            "duration": "6 minutes",
            "page": "1",
            "pages": "2",
            "number": "1",
        }
        values["version"] = "1.0.0"
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
    for name in sorted(used):
        generic = re.sub(r"--[a-z]+$", "--", name)
        assert generic in docs, f"{name} not documented in docs/embedding.md"


@given(text=st.text(alphabet="AUa.!?\u061f\u3002 \n\u00a0"))
def test_a_notice_lead_ends_where_the_plain_sentence_end_is(text: str) -> None:
    plain = re.search(r"(?<![A-Z])[.!?\u061f\u3002](?=\s)", text)
    found = _SENTENCE_END.search(text)
    assert (found and found.span()) == (plain and plain.span())


class _Html(str):
    def __html__(self) -> str:
        return "<b>not escaped</b>"


@given(text=st.text(alphabet=st.sampled_from("&<>'\"a \u00e9\u2019\x00")) | st.text())
def test_a_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    assert _text(text) == str(escape(text))
    assert type(_text(text)) is str
    assert _text(_Html(text)) == str(escape(text))
