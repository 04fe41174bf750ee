"""The disclaimer invariant, as properties over every format, view and placement.

Generated cases (upper bounds; the spaces are large enough that Hypothesis
reaches them): 700 on the shipped article, 1,400 with hostile disclaimer,
notice and note texts, 200 with hostile source text: 2,300 in all.

FHIR shows the disclaimer in every narrative of its document, so its checks
count per narrative: once per position in each, once in the disclaimer's own
section, and in each exactly the notices that apply to its part.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from painread.models import Article
from painread.renderers import FORMATS, PLACEMENTS, base, get_renderer, render

try:
    from markdown_it import MarkdownIt
except ImportError:  # pragma: no cover - markdown-it-py is a test dependency
    MarkdownIt = None  # type: ignore[assignment,misc]

ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
SPECIALS = (
    "<", ">", "&", '"', "'", "`", "*", "_", "#", "[", "]", "(", ")", "!", "|", "~", "\\",
    "-", "+", "=", "1.", "2)", "> ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "</script>",
    "<script>alert(1)</script>", "<!--", "-->", "&amp;", "&#x3c;", "&lt;", "${x}", "{0}",
    "{date}", "\x00", "\x01", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\u00a0", "\ufffe",
    "\U0001f600", "\u202e", "---", "***", "```", "~~~", "[x](javascript:alert(1))", "]]>",
    "<img src=x onerror=alert(1)>", "**bold**", "_em_", "\\*", "1. ", "# ", "= ",
)  # fmt: skip
_SPACE = re.compile(r"\s+")
# Code points HTML does not allow in text; the HTML format shows U+FFFD instead.
_NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)

hostile_text = (
    st.lists(st.one_of(st.text(max_size=10), st.sampled_from(SPECIALS)), min_size=1, max_size=10)
    .map("".join)
    .map(lambda text: text if text.strip() else f"{text}x")
)
formats = st.sampled_from(FORMATS)
views = st.sampled_from(VIEWS)
placements = st.sampled_from(PLACEMENTS)


def flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def shown(fmt: str, text: str, output: str) -> int:
    """How many times ``text`` appears in ``output``, as that format encodes text."""
    return flat(output).count(flat(get_renderer(fmt).encode(text)))


def copies(fmt: str, placement: str) -> int:
    return 2 if placement == "both" and get_renderer(fmt).positional else 1


# --- the shipped article -------------------------------------------------------------


@settings(max_examples=700, deadline=None)
@given(fmt=formats, view=views, placement=placements, width=st.integers(1, 240))
def test_every_output_carries_the_disclaimer_and_what_applies(
    fmt: str, view: str | None, placement: str, width: int
) -> None:
    output = render(ARTICLE, fmt, section=view, placement=placement, width=width)

    applicable = ARTICLE.notices_for(view)
    if fmt == "fhir":
        _fhir_narratives_carry(output, view, placement)
        for notice in ARTICLE.notices:
            assert (shown(fmt, notice.text.text, output) > 0) == (notice in applicable), notice.id
        for note in ARTICLE.notes_for(view):
            assert shown(fmt, note.text.text, output) >= 1, note.id
        _check_placement(fmt, placement, output)
        return
    assert shown(fmt, ARTICLE.disclaimer.text, output) == copies(fmt, placement)
    for notice in ARTICLE.notices:
        expected = 1 if notice in applicable else 0
        assert shown(fmt, notice.text.text, output) == expected, notice.id
    for note in ARTICLE.notes_for(view):
        assert shown(fmt, note.text.text, output) >= 1, note.id
    _check_placement(fmt, placement, output)


def _fhir_narratives_carry(output: str, view: str | None, placement: str) -> None:
    """Each narrative: the disclaimer once per position, exactly the notices of its part."""
    disclaimer = flat(ARTICLE.disclaimer.text)
    for part, root in fhir_narratives(output):
        blocks = disclaimer_blocks(root)
        assert len(blocks) == (1 if part == "disclaimer" else copies("fhir", placement)), part
        assert all(flat(texts[-1]) == disclaimer for texts in blocks), part
        if part != "disclaimer":
            assert is_disclaimer(root[0]) == (placement in ("top", "both")), part
            assert is_disclaimer(root[-1]) == (placement in ("bottom", "both")), part
        text = flat("".join(root.itertext()))
        for notice in ARTICLE.notices:
            expected = 1 if notice in fhir_part_notices(ARTICLE, part, view) else 0
            assert text.count(flat(notice.text.text)) == expected, (part, notice.id)


def fhir_narratives(output: str) -> list[tuple[str, ET.Element]]:
    """The Composition's narrative (as ``"composition"``) and each section's, parsed."""
    composition = json.loads(output)["entry"][0]["resource"]
    narratives = [("composition", composition["text"]["div"])]
    narratives += [(section["id"], section["text"]["div"]) for section in composition["section"]]
    return [(part, ET.fromstring(div)) for part, div in narratives]


def fhir_part_notices(article: Article, part: str, view: str | None) -> tuple[Any, ...]:
    """The notices that apply to one part of a FHIR document."""
    if part.startswith("section-"):
        return article.notices_for(part.removeprefix("section-"))
    if part == "notices" or view is not None:
        return article.notices_for(view)
    return tuple(notice for notice in article.notices if "article" in notice.applies_to)


def disclaimer_blocks(root: ET.Element) -> list[list[str]]:
    """The text of each paragraph of each disclaimer block in a narrative."""
    return [
        ["".join(child.itertext()) for child in element]
        for element in root.iter()
        if is_disclaimer(element)
    ]


def is_disclaimer(element: ET.Element) -> bool:
    return "painread-disclaimer" in (element.get("class") or "").split()


def _check_placement(fmt: str, placement: str, output: str) -> None:
    if fmt == "fhir":
        sections = [
            section["id"] for section in json.loads(output)["entry"][0]["resource"]["section"]
        ]
        assert sections.count("disclaimer") == 1
        index = 0 if placement in ("top", "both") else len(sections) - 1
        assert sections[index] == "disclaimer"
        return
    if fmt == "json":
        assert json.loads(output)["disclaimer"]["placement"] == placement
        return
    if fmt == "jsonld":
        parts = [part["name"] for part in json.loads(output)["hasPart"]]
        disclaimer_heading = ARTICLE.label("ui.disclaimer.heading")
        assert parts.count(disclaimer_heading) == 1
        index = 0 if placement in ("top", "both") else len(parts) - 1
        assert parts[index] == disclaimer_heading
        return
    encode = get_renderer(fmt).encode
    needle = flat(encode(ARTICLE.disclaimer.text))
    text = flat(output)
    content = [ARTICLE.title.text, *(notice.text.text for notice in ARTICLE.notices)]
    content += [note.text.text for note in ARTICLE.notes]
    positions = [text.find(flat(encode(piece))) for piece in content]
    shown_at = [position for position in positions if position >= 0]
    if placement in ("top", "both"):
        assert text.index(needle) < min(shown_at)
    if placement in ("bottom", "both"):
        assert text.rindex(needle) > max(shown_at)


# --- hostile disclaimer, notice and note texts ----------------------------------------


def with_texts(
    disclaimer: str, notice_texts: list[str], note_texts: list[str], article: Article = ARTICLE
) -> Article:
    """The article with its painread-written texts replaced, bypassing validation."""
    notices = tuple(
        notice.model_copy(update={"text": notice.text.model_copy(update={"text": text})})
        for notice, text in zip(article.notices, notice_texts, strict=True)
    )
    notes = tuple(
        note.model_copy(update={"text": note.text.model_copy(update={"text": text})})
        for note, text in zip(article.notes, note_texts, strict=True)
    )
    return article.model_copy(
        update={
            "disclaimer": article.disclaimer.model_copy(update={"text": disclaimer}),
            "notices": notices,
            "notes": notes,
        }
    )


HOSTILE_CASES = {
    "fmt": formats,
    "view": views,
    "placement": placements,
    "disclaimer": hostile_text,
    "notice_texts": st.lists(
        hostile_text, min_size=len(ARTICLE.notices), max_size=len(ARTICLE.notices)
    ),
    "note_texts": st.lists(hostile_text, min_size=len(ARTICLE.notes), max_size=len(ARTICLE.notes)),
}
HOSTILE_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


def check_hostile_texts(
    fmt: str,
    view: str | None,
    placement: str,
    disclaimer: str,
    notice_texts: list[str],
    note_texts: list[str],
) -> None:
    """Every hostile disclaimer, notice and note is in the output and decodes back as written."""
    article = with_texts(disclaimer, notice_texts, note_texts)
    output = render(article, fmt, section=view, placement=placement)

    notices = [notice.text.text for notice in article.notices_for(view)]
    notes = [note.text.text for note in article.notes_for(view)]
    assert shown(fmt, disclaimer, output) >= copies(fmt, placement)
    for text in notices + notes:
        assert shown(fmt, text, output) >= 1
    DECODED[fmt](output, disclaimer, copies(fmt, placement), notices, notes)


test_hostile_texts_are_still_shown_as_written = settings(max_examples=150, **HOSTILE_SETTINGS)(
    given(**HOSTILE_CASES)(check_hostile_texts)
)
test_many_more_hostile_texts_are_still_shown_as_written = pytest.mark.slow(
    settings(max_examples=1400, **HOSTILE_SETTINGS)(given(**HOSTILE_CASES)(check_hostile_texts))
)


def _text_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    assert flat(output).count(flat(disclaimer)) >= count
    assert all(flat(text) in flat(output) for text in notices + notes)


def _html_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(output)
    assert not root.findall(".//script")
    shown_disclaimers = [
        flat("".join(element.itertext()))
        for element in root.iter("p")
        if element.get("class") == "painread-disclaimer__text"
    ]
    assert shown_disclaimers == [flat(_NOT_IN_HTML.sub("\ufffd", disclaimer))] * count
    visible = flat("".join(root.itertext()))
    for text in notices + notes:
        assert flat(_NOT_IN_HTML.sub("\ufffd", text)) in visible


def _markdown_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    if MarkdownIt is None:  # without a CommonMark parser, the encoded checks above stand
        return
    page = _Text()
    page.feed(MarkdownIt("commonmark").render(output))
    literal = flat(disclaimer.replace("\x00", "\ufffd"))
    assert [flat(quote) for quote in page.quotes].count(f"{_heading()} {literal}") == count
    assert page.tags <= {"h1", "h2", "p", "em", "strong", "ul", "ol", "li", "blockquote"}
    for text in notices + notes:
        assert flat(text.replace("\x00", "\ufffd")) in flat(page.text)


def _json_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    document = json.loads(output)
    assert document["disclaimer"]["text"] == disclaimer
    assert [notice["text"]["text"] for notice in document["notices"]] == notices
    assert sorted(note["text"]["text"] for note in document["notes"]) == sorted(notes)
    assert json.loads(json.dumps(document)) == document


def _jsonld_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    assert "<" not in output
    assert ">" not in output
    parts = json.loads(output)["hasPart"]
    shown_disclaimers = [part["text"] for part in parts if part["name"] == _heading()]
    assert shown_disclaimers == [disclaimer]
    texts = [part["text"] for part in parts]
    assert all(text in texts for text in notices + notes)


def _fhir_shows(
    output: str, disclaimer: str, count: int, notices: list[str], notes: list[str]
) -> None:
    narratives = dict(fhir_narratives(output))
    for part, root in narratives.items():
        expected = 1 if part == "disclaimer" else count
        shown_disclaimers = [flat(texts[-1]) for texts in disclaimer_blocks(root)]
        assert shown_disclaimers == [flat(xml_read(disclaimer))] * expected, part
        assert not [element for element in root.iter() if element.tag.endswith("script")]
    listed = flat("".join(narratives["notices"].itertext())) if notices else ""
    for text in notices:
        assert flat(xml_read(text)) in listed
    explained = flat("".join(narratives["notes"].itertext())) if notes else ""
    for text in notes:
        assert flat(xml_read(text)) in explained


def xml_safe(text: str) -> str:
    """A text with the code points XML (or HTML) forbids as U+FFFD, as FHIR outputs hold it."""
    return _NOT_IN_HTML.sub("\ufffd", text).replace("\x0c", "\ufffd")


def xml_read(text: str) -> str:
    """A text as an XML parser reads it back from a narrative: line breaks as line feeds."""
    return xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")


def _heading() -> str:
    return ARTICLE.label("ui.disclaimer.heading")


class _Text(HTMLParser):
    """The text of rendered Markdown, the text of each block quote, and the tags used."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.quotes: list[str] = []
        self.tags: set[str] = set()
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "blockquote":
            self._depth += 1
            self.quotes.append("")
        self.text += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._depth -= 1
        self.text += " "
        if self._depth:
            self.quotes[-1] += " "

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._depth:
            self.quotes[-1] += data


DECODED: dict[str, Any] = {
    "text": _text_shows,
    "markdown": _markdown_shows,
    "html": _html_shows,
    "json": _json_shows,
    "jsonld": _jsonld_shows,
    "fhir": _fhir_shows,
}


# --- hostile source text: every character that needs escaping is escaped --------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, paragraph=hostile_text, view=views)
def test_hostile_source_text_is_escaped_in_html(
    title: str, paragraph: str, view: str | None
) -> None:
    section = ARTICLE.sections[0]
    changed = section.model_copy(
        update={"paragraphs": (section.paragraphs[0].model_copy(update={"text": paragraph}),)}
    )
    article = ARTICLE.model_copy(
        update={
            "title": ARTICLE.title.model_copy(update={"text": title}),
            "sections": (changed, *ARTICLE.sections[1:]),
        }
    )
    output = render(article, "html", section=view)
    encoded = get_renderer("html").encode(title)

    assert not re.search(r"[<>\"']", encoded)
    assert not re.search(r"&(?!(amp|lt|gt|#34|#39);)", encoded)
    assert encoded in output
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(output)
    assert not root.findall(".//script")
    assert flat("".join(root.find(".//h1").itertext())) == flat(_NOT_IN_HTML.sub("\ufffd", title))
    if view in (None, section.id):
        assert flat(_NOT_IN_HTML.sub("\ufffd", paragraph)) in flat("".join(root.itertext()))


# --- the presence check accepts exactly what the whitespace-normalised check did -------

WHITESPACE = (" ", "  ", "\n", "\t", " \n ", "\u00a0", "\u2028", "\r\n")
words = st.text(alphabet="ab<&;" + "".join(WHITESPACE), max_size=8)


def is_shown(output: str, needle: str, times: int = 1, *, from_end: bool = False) -> bool:
    return base.Searched(output).holds(needle, times, from_end=from_end)


def normalised_count(output: str, needle: str) -> int:
    """How the check counted before: both sides whitespace-normalised with a regex."""
    return _SPACE.sub(" ", output).count(_SPACE.sub(" ", needle).strip())


long_words = st.text(alphabet="ab<&;" + "".join(WHITESPACE), min_size=33, max_size=70)


@st.composite
def outputs_and_needles(
    draw: st.DrawFn, needles_from: st.SearchStrategy[str] = words
) -> tuple[str, list[str]]:
    """An output made of noise, the needles, the needles rewrapped, and (for needles long
    enough to be searched by their first 32 characters) their beginnings as decoys."""
    needles = draw(st.lists(needles_from, min_size=1, max_size=4))
    kinds = ["noise", "verbatim", "rewrapped"]
    if min(map(len, needles)) > 32:
        kinds.append("decoy")
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        needle = draw(st.sampled_from(needles))
        kind = draw(st.sampled_from(kinds))
        if kind == "noise":
            parts.append(draw(words))
        elif kind == "verbatim":
            parts.append(needle)
        elif kind == "rewrapped":
            parts.append(_SPACE.sub(lambda _: draw(st.sampled_from(WHITESPACE)), needle))
        else:
            parts.append(needle[: draw(st.integers(32, len(needle) - 1))] + draw(words))
    return "".join(parts), needles


@settings(max_examples=500, deadline=None)
@given(case=outputs_and_needles(), times=st.integers(1, 3), near_end=st.booleans())
def test_counting_copies_agrees_with_the_normalised_check(
    case: tuple[str, list[str]], times: int, near_end: bool
) -> None:
    output, needles = case
    for needle in needles:
        found = is_shown(output, needle, times, from_end=near_end)
        assert found == (normalised_count(output, needle) >= times)


@settings(max_examples=1000, deadline=None)
@given(case=st.one_of(outputs_and_needles(), outputs_and_needles(long_words)))
def test_finding_texts_in_turn_agrees_with_the_normalised_check(
    case: tuple[str, list[str]],
) -> None:
    output, needles = case
    for needle in needles + needles[::-1]:
        assert is_shown(output, needle) == (normalised_count(output, needle) >= 1)
        assert is_shown(output, needle, from_end=True) == (normalised_count(output, needle) >= 1)


def test_a_decoy_beginning_does_not_hide_the_text_after_it() -> None:
    needle = "x" * 40 + "the rest of a long notice"
    output = "<p>" + needle[:35] + "something else</p><p>" + needle + "</p>"
    assert is_shown(output, needle)
    assert not is_shown(output.replace(needle + "<", "<"), needle)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_render_collapses_the_whitespace_of_its_output_at_most_once(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    collapsed: list[int] = []

    class Counting(base.Searched):
        @functools.cached_property
        def flat(self) -> str:
            collapsed.append(len(self.text))
            return str(super().flat)

    monkeypatch.setattr(base, "Searched", Counting)
    output = render(ARTICLE.model_copy(), fmt, placement="both")
    assert sum(length == len(output) for length in collapsed) <= 1
