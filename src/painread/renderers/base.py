"""The one base every renderer derives from; it owns the disclaimer step.

A renderer supplies blocks and a way to join them. The final `Renderer.render` places the
disclaimer (top, bottom or both; page formats show one copy per position, data formats one
copy and the placement as data) and the notices that apply, then checks the output still holds
them and the editorial notes, or raises
[`DisclaimerMissingError`][painread.errors.DisclaimerMissingError]: never a silent page.
"""

from __future__ import annotations

import functools
import re
from abc import ABCMeta, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, Generic, Literal, NamedTuple, TypeVar, final

from painread.errors import (
    DisclaimerMissingError,
    InvalidHeadingLevelError,
    UnknownPlacementError,
    UnknownUnitError,
)
from painread.locales import format_date, format_duration, format_month, text_direction
from painread.models import Article, EditorialNote, SafetyNotice, Section, TextUnit

Placement = Literal["top", "bottom", "both"]
PLACEMENTS: tuple[Placement, ...] = ("top", "bottom", "both")
Block = TypeVar("Block")
Tagged = tuple[str, Any]
"""A data format's block: its kind (header, notices, body, disclaimer) and its value."""
_CACHED_ARTICLES = 64
_SPACE = re.compile(r"\s+")
_FINAL_METHODS = ("render", "_verify")


def displayable(text: str, also: str = "") -> str:
    """``text`` with each code point HTML forbids in text (and each of ``also``) made U+FFFD.

    Those (controls but tab, newlines, form feed; surrogates; noncharacters) never print, so
    a text that prints, line breaks aside, is returned as it is. So must those of ``also``.
    """
    if text.replace("\n", " ").isprintable():
        return text
    return _forbidden(also).sub("\ufffd", text)


@functools.lru_cache(maxsize=2)
def _forbidden(also: str) -> re.Pattern[str]:
    """Compiled on first need, the class being large; HTML and FHIR (the form feed too) use it."""
    also += "".join(chr(point) + chr(point + 1) for point in range(0x1FFFE, 0x110000, 0x10000))
    return re.compile(
        f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{also}]"
    )


class Segment(NamedTuple):
    """A piece of a unit's text; ``note`` is set when the piece ends that note's anchor."""

    text: str
    note: EditorialNote | None = None


class Lookups:
    """What rendering looks up on every call: labels by id, notes in reading order and by unit."""

    __slots__ = ("anchored", "cuts", "fields", "labels", "notes")

    def __init__(self, article: Article) -> None:
        self.fields = tuple(article.__dict__.values())  # held, so no id() in the key is reused
        self.labels = {unit.id: unit.text for unit in reversed(article.labels)}  # first one wins
        where = {unit.id: (index, unit.text) for index, unit in enumerate(article.units())}

        def position(note: EditorialNote) -> tuple[int, int]:
            index, text = where.get(note.target, (len(where), ""))
            return index, text.find(note.anchor.text)

        self.notes = tuple(sorted(article.notes, key=position))
        self.anchored: dict[str, list[EditorialNote]] = {}
        for note in self.notes:
            self.anchored.setdefault(note.target, []).append(note)
        self.cuts: dict[tuple[str, str], tuple[Segment, ...]] = {}  # see `segments`


_LOOKUPS: OrderedDict[tuple[int, ...], Lookups] = OrderedDict()


def lookups(article: Article) -> Lookups:
    """The article's `Lookups`, kept by its fields' identity (a ``model_copy()`` shares them)."""
    key = tuple(map(id, article.__dict__.values()))
    found = _LOOKUPS.get(key)
    if found is None:
        found = _LOOKUPS[key] = Lookups(article)
        while len(_LOOKUPS) > _CACHED_ARTICLES:
            _LOOKUPS.popitem(last=False)
    return found


class View(NamedTuple):
    """What one render shows: the article or one section, and what must go with it."""

    article: Article
    section: Section | None
    notices: tuple[SafetyNotice, ...]
    notes: tuple[EditorialNote, ...]
    placement: Placement
    derived: Lookups | None = None

    @property
    def lookups(self) -> Lookups:
        """The article's `Lookups`, which `make_view` looks up once per view."""
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
        for number, known in enumerate(self.notes, 1):
            if known is note:
                return number
        return self.notes.index(note) + 1

    def notes_in(self, unit: TextUnit) -> tuple[EditorialNote, ...]:
        """The notes of this view anchored in one unit, in the order their anchors occur."""
        derived = self.lookups
        if self.notes is derived.notes:
            notes: Sequence[EditorialNote] = derived.anchored.get(unit.id, ())
        else:
            notes = [note for note in self.notes if note.target == unit.id]
        return tuple(sorted(notes, key=lambda note: unit.text.find(note.anchor.text)))

    def isolated(self, text: str) -> str:
        """Text as the page shows it: `isolate`d if right to left, so numbers keep their order."""
        if text_direction(self.article.locale) != "rtl":
            return text
        from painread.bidi import isolate

        return isolate(text)

    def label(self, label_id: str, **values: str) -> str:
        """The article's label, as [`label`][painread.Article.label] gives it.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        text = self.template(label_id)
        return text.format(**values) if values or "{" in text or "}" in text else text

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
    """A unit's text cut after each note's anchor (searched for from the previous cut).

    A note whose anchor is not found gets no piece; the text after the last anchor is a piece
    without a note. Pieces in views with all of an article's notes are worked out once.
    """
    derived, key = view.lookups, (unit.id, unit.text)
    every = view.notes is derived.notes
    found = derived.cuts.get(key) if every else None
    if found is not None:
        return found
    pieces: list[Segment] = []
    cursor = 0
    for note in view.notes_in(unit):
        start = unit.text.find(note.anchor.text, cursor)
        if start >= 0:
            end = start + len(note.anchor.text)
            pieces.append(Segment(unit.text[cursor:end], note))
            cursor = end
    if cursor < len(unit.text):
        pieces.append(Segment(unit.text[cursor:]))
    cut = tuple(pieces)
    if every:
        derived.cuts[key] = cut
    return cut


def byline(view: View) -> str:
    """The last editorial review and, for the whole article, the reading time ("A · B")."""
    article = view.article
    reviewed = format_date(article.metadata.last_reviewed, article.locale)
    parts = [article.label("ui.last-reviewed.label", date=reviewed)]
    if view.whole_article:
        duration = format_duration(article.metadata.reading_time_minutes, article.locale)
        parts.append(article.label("ui.reading-time.label", duration=duration))
    return " · ".join(parts)


def details(view: View, as_of: date | None, sources: tuple[str, ...]) -> str:
    """A notice's or note's "As of November 2026. Sources: ..." as the page shows it, or ""."""
    article, shown = view.article, []
    if as_of is not None:
        shown.append(article.label("ui.as-of.label", date=format_month(as_of, article.locale)))
    if sources:
        shown.append(f"{article.label('ui.sources.label')}: {'; '.join(sources)}")
    return view.isolated(". ".join(shown))


def gathered(blocks: Sequence[Tagged]) -> tuple[Any, list[Any]]:
    """The header's value, and the other blocks' items in order with the disclaimer once."""
    header: Any = None
    items: list[Any] = []
    placed = False
    for kind, value in blocks:
        if kind == "header":
            header = value
        elif kind != "disclaimer":
            items += value
        elif not placed:  # placed at both ends: the first copy
            items.append(value)
            placed = True
    return header, items


def checked_heading_level(level: object) -> int:
    """``level`` if it can be a top heading's level (an integer from 1 to 6).

    Raises:
        InvalidHeadingLevelError: otherwise.
    """
    if type(level) is not int or not 1 <= level <= 6:
        raise InvalidHeadingLevelError(level)
    return level


def id_prefix(view: View) -> str:
    """The view's own prefix of ids in HTML (and JSON-LD): ``painread-{section|article}-{tag}``."""
    shown = view.section.id if view.section is not None else "article"
    return f"painread-{shown}-{view.article.locale.replace('_', '-').lower()}"


def make_view(article: Article, section: str | None, placement: str) -> View:
    """Select what is shown, with the notices and notes (in reading order) that must go with it.

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


def _refuse_final(owner: object, *names: str) -> None:
    for name in _FINAL_METHODS:
        if name in names:
            shown = owner.__qualname__ if isinstance(owner, type) else type(owner).__qualname__
            raise TypeError(
                f"{shown} may not override Renderer.{name}: "
                "the base places and checks the disclaimer, notices and notes"
            )


class _Sealed(ABCMeta):
    """Keeps the disclaimer step of a renderer class from being replaced after creation."""

    def __setattr__(cls, name: str, value: object) -> None:
        _refuse_final(cls, name)
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        _refuse_final(cls, name)
        super().__delattr__(name)


class Renderer(Generic[Block], metaclass=_Sealed):
    """Base of all formats: subclasses make blocks, the base places the disclaimer.

    The disclaimer step (`render` and its check) is final at run time too: a subclass that
    defines it, and any later assignment of it to a class or an instance, raises `TypeError`.
    """

    name: ClassVar[str]
    positional: ClassVar[bool] = True
    """True when the disclaimer is laid out once per position (pages, not data)."""
    notices_last: ClassVar[bool] = False
    """True when the notices are shown whole after the text: the check looks from the end."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        _refuse_final(cls, *vars(cls))

    def __setattr__(self, name: str, value: object) -> None:
        _refuse_final(self, name)
        super().__setattr__(name, value)

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

    def encode_unit(self, view: View, unit: TextUnit) -> str:
        """How a unit of this view appears in the output (for the check): `encode` of its text.

        Formats that mark runs inside a unit (language, direction) say here how they wrote it.
        """
        return self.encode(unit.text)

    @final
    def _verify(self, view: View, output: str) -> None:
        """Withhold output without each disclaimer copy, notice and note, whitespace aside.

        Notices come early in most formats and notes late, so each is looked for from there.
        """
        searched = Searched(output)
        copies = 2 if view.placement == "both" and self.positional else 1
        wanted: list[tuple[TextUnit, int, bool]] = [
            (view.article.disclaimer, copies, view.placement == "bottom")
        ]
        wanted += [(notice.text, 1, self.notices_last) for notice in view.notices]
        wanted += [(note.text, 1, True) for note in view.notes]
        if not all(
            searched.holds(self.encode_unit(view, unit), times, from_end=from_end)
            for unit, times, from_end in wanted
        ):
            raise DisclaimerMissingError(self.name)


class Searched:
    """An output being checked; its whitespace is collapsed once, when first needed."""

    def __init__(self, text: str) -> None:
        self.text = text

    @functools.cached_property
    def flat(self) -> str:
        """The text with each run of whitespace as one space."""
        return _SPACE.sub(" ", self.text)

    def holds(self, needle: str, times: int = 1, *, from_end: bool = False) -> bool:
        """Whether ``needle`` occurs ``times`` times without overlap, whitespace aside.

        A verbatim occurrence is one with whitespace collapsed too, so the text is collapsed
        only when that fails. ``from_end`` only says where to start looking.
        """
        if needle.strip() and _found(self.text, needle, times, from_end):
            return True
        return _found(self.flat, _SPACE.sub(" ", needle).strip(), times, from_end)


def _found(haystack: str, needle: str, times: int, from_end: bool) -> bool:
    if times == 1 and needle:  # one find, from where the needle is likely, not a count
        return (haystack.rfind(needle) if from_end else haystack.find(needle)) >= 0
    return haystack.count(needle) >= times
