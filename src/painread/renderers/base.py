"""The one base every renderer derives from; it owns the disclaimer step.

A renderer supplies blocks (header, notices, body, disclaimer) and a way to join
them. :meth:`Renderer.render` is final: it alone decides that the disclaimer is
placed (top, bottom or both) and that the notices which apply are included, then
checks the finished output still contains them, and the editorial notes too. A
format that drops any of them gets :class:`~painread.errors.DisclaimerMissingError`,
never a silent page.

Page formats (text, Markdown, HTML) show the disclaimer once per position, so
``"both"`` means two copies. Data formats (JSON, JSON-LD) set
:attr:`Renderer.positional` to ``False``: they carry the disclaimer once and
record the placement as data for the host to honour; at least one copy is still
required.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Generic, Literal, NamedTuple, TypeVar, final

from pydantic import BaseModel

from painread.errors import DisclaimerMissingError, UnknownPlacementError, UnknownUnitError
from painread.locales import format_date, format_duration, format_month
from painread.models import Article, EditorialNote, SafetyNotice, Section, TextUnit

Placement = Literal["top", "bottom", "both"]
PLACEMENTS: tuple[Placement, ...] = ("top", "bottom", "both")
Block = TypeVar("Block")
_CACHED_ARTICLES = 64
_SPACE = re.compile(r"\s+")

# Code points no output may carry; they are those HTML forbids in text. A text
# with one is still a valid unit: the HTML format replaces them.
_FORBIDDEN_BMP = (
    "\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f-\\x9f"  # controls but tab, newlines, form feed
    "\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff"  # surrogates, noncharacters
)
_NONCHARACTERS = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 0x11))
FORBIDDEN = f"[{_FORBIDDEN_BMP}{_NONCHARACTERS}]"
"""A regular expression for one forbidden code point."""
FORBIDDEN_BMP = f"[{_FORBIDDEN_BMP}]"
""":data:`FORBIDDEN` within the Basic Multilingual Plane (a far faster expression)."""
# UTF-8 bytes that cannot belong to a forbidden code point: tab, line feed, form
# feed, carriage return and printable ASCII; continuation bytes; and the lead bytes
# of U+00C0-U+CFFF and U+E000-U+EFFF. A forbidden code point is one of the other
# ASCII bytes or starts with C2 (C1 controls), ED (surrogates), EF (U+FDD0-U+FDEF,
# U+FFFE, U+FFFF) or F0-F4 (the noncharacters of the other planes).
HARMLESS_UTF8 = bytes(
    [0x09, 0x0A, 0x0C, 0x0D, *range(0x20, 0x7F), *range(0x80, 0xC0), *range(0xC3, 0xED), 0xEE]
)
_FIRST_ASTRAL_LEAD = 0xF0


class Segment(NamedTuple):
    """A piece of a unit's text; ``note`` is set when the piece ends that note's anchor."""

    text: str
    note: EditorialNote | None = None


class Lookups:
    """What rendering looks up on every call: labels by id, notes in reading order and by unit."""

    __slots__ = ("_displayable", "anchored", "fields", "labels", "notes")

    def __init__(self, article: Article) -> None:
        """Index the labels (the first of an id wins) and order the notes."""
        self.fields = tuple(article.__dict__.values())
        self.labels = {unit.id: unit.text for unit in reversed(article.labels)}
        self.notes = _in_reading_order(article)
        self.anchored: dict[str, list[EditorialNote]] = {}
        for note in self.notes:
            self.anchored.setdefault(note.target, []).append(note)
        self._displayable: bool | None = None

    def displayable(self) -> bool:
        """Whether no string of the article holds a forbidden code point (worked out once)."""
        if self._displayable is None:
            self._displayable = displayable("\n".join(_strings(self.fields)))
        return self._displayable


_LOOKUPS: OrderedDict[tuple[int, ...], Lookups] = OrderedDict()


def lookups(article: Article) -> Lookups:
    """The article's :class:`Lookups`, kept for the last articles by their field values' identity.

    A ``model_copy()`` shares its original's (immutable) values, so it shares their
    lookups. Each entry holds its values, so their ``id()`` cannot be reused meanwhile.
    """
    key = tuple(map(id, article.__dict__.values()))
    found = _LOOKUPS.get(key)
    if found is None:
        found = _LOOKUPS[key] = Lookups(article)
        while len(_LOOKUPS) > _CACHED_ARTICLES:
            _LOOKUPS.popitem(last=False)
    return found


def suspect_bytes(text: str) -> bytes:
    """The UTF-8 bytes of a text that may belong to a forbidden code point."""
    return text.encode("utf-8", "surrogatepass").translate(None, HARMLESS_UTF8)


def forbidden_pattern(suspects: bytes) -> str:
    """:data:`FORBIDDEN`, or the faster :data:`FORBIDDEN_BMP` if these suspects allow it."""
    return FORBIDDEN if max(suspects) >= _FIRST_ASTRAL_LEAD else FORBIDDEN_BMP


def displayable(text: str) -> bool:
    """Whether a text holds no forbidden code point."""
    suspects = suspect_bytes(text)
    return not suspects or re.search(forbidden_pattern(suspects), text) is None


def _strings(value: object) -> list[str]:
    """Every string in a model's field values, however deeply nested in models and tuples."""
    found: list[str] = []
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, BaseModel):
            pending.extend(value.__dict__.values())
        elif isinstance(value, tuple | list | dict):
            pending.extend(value.items() if isinstance(value, dict) else value)
    return found


def anchor_order(text: str, notes: Sequence[EditorialNote]) -> tuple[EditorialNote, ...]:
    """The notes of one unit in the order their anchors first occur in its text."""
    return tuple(sorted(notes, key=lambda note: text.find(note.anchor.text)))


def cut(text: str, notes: tuple[EditorialNote, ...]) -> tuple[Segment, ...]:
    """The text cut after each note's anchor, searched for from the previous cut.

    A note whose anchor is not found there gets no piece; the text after the
    last anchor is a piece without a note.
    """
    pieces: list[Segment] = []
    cursor = 0
    for note in notes:
        start = text.find(note.anchor.text, cursor)
        if start < 0:
            continue
        end = start + len(note.anchor.text)
        pieces.append(Segment(text[cursor:end], note))
        cursor = end
    if cursor < len(text):
        pieces.append(Segment(text[cursor:]))
    return tuple(pieces)


def _in_reading_order(article: Article) -> tuple[EditorialNote, ...]:
    """The notes as a reader meets their markers, not as the data lists them."""
    notes = article.notes
    if not notes:
        return notes
    targets = {note.target for note in notes}
    units = list(article.units())
    found = {unit.id: (index, unit.text) for index, unit in enumerate(units) if unit.id in targets}
    missing = (len({unit.id for unit in units}), "")

    def position(note: EditorialNote) -> tuple[int, int]:
        index, text = found.get(note.target) or missing
        return index, text.find(note.anchor.text)

    return tuple(sorted(notes, key=position))


class View(NamedTuple):
    """What one render shows: the article or one section, and what must go with it."""

    article: Article
    section: Section | None
    notices: tuple[SafetyNotice, ...]
    notes: tuple[EditorialNote, ...]
    placement: Placement
    derived: Lookups | None = None
    """The article's :class:`Lookups`, which :func:`make_view` looks up once per view."""

    @property
    def lookups(self) -> Lookups:
        """The article's :class:`Lookups`."""
        return self.derived or lookups(self.article)

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections shown: all of them, or the one selected."""
        return (self.section,) if self.section is not None else self.article.sections

    @property
    def whole_article(self) -> bool:
        """True when the whole article is shown, not one section."""
        return self.section is None

    def note_number(self, note: EditorialNote) -> int:
        """The 1-based number of a note within this view (for footnote markers)."""
        for number, candidate in enumerate(self.notes, 1):
            if candidate is note:
                return number
        return self.notes.index(note) + 1

    def notes_in(self, unit: TextUnit) -> tuple[EditorialNote, ...]:
        """The notes of this view anchored in one unit, in the order their anchors occur."""
        derived = self.lookups
        if self.notes is derived.notes:
            return anchor_order(unit.text, derived.anchored.get(unit.id, ()))
        return anchor_order(unit.text, [note for note in self.notes if note.target == unit.id])

    def label(self, label_id: str, **values: str) -> str:
        """The article's label, as :meth:`~painread.models.Article.label` gives it.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        text = self.template(label_id)
        if values or "{" in text or "}" in text:
            return text.format(**values)
        return text

    def template(self, label_id: str) -> str:
        """A label's unformatted text, for formats that fill its placeholders with markup.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        text = self.lookups.labels.get(label_id)
        if text is None:
            raise UnknownUnitError(label_id)
        return text


def segments(view: View, unit: TextUnit) -> tuple[Segment, ...]:
    """A unit's text cut at the end of each note anchor, so formats can mark the notes."""
    return cut(unit.text, view.notes_in(unit))


def make_view(article: Article, section: str | None, placement: str) -> View:
    """Select what is shown, with the notices and notes that must accompany it.

    Notes are numbered in the order a reader meets their anchors, so markers
    run 1, 2, 3 down the page in every format.

    Raises:
        UnknownSectionError: if ``section`` is not one of the article's sections.
        UnknownPlacementError: if ``placement`` is not top, bottom or both.
    """
    if placement not in PLACEMENTS:
        raise UnknownPlacementError(placement, PLACEMENTS)
    chosen = article.section(section) if section is not None else None
    derived = lookups(article)
    notes = derived.notes
    if chosen is not None:
        shown = {id(note) for note in article.notes_for(section)}
        notes = tuple(note for note in notes if id(note) in shown)
    return View(article, chosen, article.notices_for(section), notes, placement, derived)


class Renderer(ABC, Generic[Block]):
    """Base of all formats: subclasses make blocks, the base places the disclaimer."""

    name: ClassVar[str]
    positional: ClassVar[bool] = True
    """True when the disclaimer is laid out once per position (pages, not data)."""

    @final
    def render(self, view: View) -> str:
        """Render a view with its disclaimer and notices, or raise; never without them.

        Raises:
            DisclaimerMissingError: if the format lost the disclaimer, a notice or a note.
        """
        blocks: list[Block] = []
        if view.placement in ("top", "both"):
            blocks.append(self.disclaimer_block(view, "top"))
        blocks.append(self.header_block(view))
        if view.notices:
            blocks.append(self.notices_block(view))
        blocks.append(self.body_block(view))
        if view.placement in ("bottom", "both"):
            blocks.append(self.disclaimer_block(view, "bottom"))
        output = self.join(view, blocks)
        self._verify(view, output)
        return output

    @abstractmethod
    def header_block(self, view: View) -> Block:
        """The title (article or section) and anything shown before the notices."""

    @abstractmethod
    def notices_block(self, view: View) -> Block:
        """Every notice in ``view.notices``, marked with its severity."""

    @abstractmethod
    def body_block(self, view: View) -> Block:
        """The text itself, with the editorial notes at (or after) their anchors."""

    @abstractmethod
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Block:
        """The disclaimer, set apart from the text."""

    @abstractmethod
    def join(self, view: View, blocks: Sequence[Block]) -> str:
        """Assemble the blocks, in the order given, into the final output."""

    def encode(self, text: str) -> str:
        """How a plain string appears in this format's output (escaped, quoted)."""
        return text

    def encode_all(self, texts: Sequence[str]) -> list[str]:
        """:meth:`encode` of each text, in order; a format may do them in one pass."""
        return [self.encode(text) for text in texts]

    @final
    def _verify(self, view: View, output: str) -> None:
        """Withhold output that lacks a disclaimer copy, a notice or a note.

        Each text must appear as this format encodes it, whitespace aside (so a
        format may wrap lines): the disclaimer once per position, every notice
        and note at least once.
        """
        notices, notes = view.notices, view.notes
        required = [view.article.disclaimer.text, *(notice.text.text for notice in notices)]
        encoded = self.encode_all([*required, *(note.text.text for note in notes)])
        copies = 2 if view.placement == "both" and self.positional else 1
        bottom = view.placement == "bottom"
        if len(encoded) != len(required) + len(notes):
            raise DisclaimerMissingError(self.name)
        if not shown(output, encoded[0], copies, from_end=bottom):
            raise DisclaimerMissingError(self.name)
        # Notices come early in every format and notes late, so each is looked for from there.
        if not all(shown(output, text) for text in encoded[1 : len(required)]):
            raise DisclaimerMissingError(self.name)
        if not all(shown(output, text, from_end=True) for text in encoded[len(required) :]):
            raise DisclaimerMissingError(self.name)


def shown(output: str, needle: str, times: int = 1, *, from_end: bool = False) -> bool:
    """Whether ``needle`` occurs ``times`` times in ``output`` without overlap, whitespace aside.

    A verbatim occurrence of text that is not all whitespace is also one with
    whitespace collapsed, so the output is collapsed only when the verbatim
    search fails. ``from_end`` only says where to start looking.
    """
    if needle.strip() and _count(output, needle, times, from_end) >= times:
        return True
    flat_needle = _SPACE.sub(" ", needle).strip()
    return _count(_SPACE.sub(" ", output), flat_needle, times, from_end) >= times


def _count(haystack: str, needle: str, times: int, from_end: bool) -> int:
    """``haystack.count(needle)``, or 1 once one is found when only one is asked for."""
    if times == 1 and needle:
        return int((haystack.rfind(needle) if from_end else haystack.find(needle)) >= 0)
    return haystack.count(needle)


def byline(view: View) -> str:
    """The last editorial review and, for the whole article, the reading time ("A · B")."""
    article = view.article
    meta = article.metadata
    reviewed = format_date(meta.last_reviewed, article.locale)
    parts = [article.label("ui.last-reviewed.label", date=reviewed)]
    if view.whole_article:
        duration = format_duration(meta.reading_time_minutes, article.locale)
        parts.append(article.label("ui.reading-time.label", duration=duration))
    return " · ".join(parts)


def details(article: Article, as_of: date | None, sources: tuple[str, ...]) -> str:
    """A notice's or note's "As of November 2026. Sources: ..." ("" when it has neither).

    An as-of date is shown to the month: the facts behind it are not dated to a day.
    """
    shown: list[str] = []
    if as_of is not None:
        shown.append(article.label("ui.as-of.label", date=format_month(as_of, article.locale)))
    if sources:
        shown.append(f"{article.label('ui.sources.label')}: {'; '.join(sources)}")
    return ". ".join(shown)
