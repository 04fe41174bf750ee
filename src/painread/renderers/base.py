"""The one base every renderer derives from; it owns the disclaimer step.

A renderer supplies blocks (header, notices, body, disclaimer) and a way to join
them. `Renderer.render` is final: it alone decides that the disclaimer is
placed (top, bottom or both) and that the notices which apply are included, then
checks the finished output still contains them, and the editorial notes too. A
format that drops any of them gets
[`DisclaimerMissingError`][painread.errors.DisclaimerMissingError], never a silent page.

Page formats (text, Markdown, HTML) show the disclaimer once per position, so
``"both"`` means two copies. Data formats (JSON, JSON-LD) set
`Renderer.positional` to ``False``: they carry the disclaimer once and
record the placement as data for the host to honour; at least one copy is still
required.
"""

from __future__ import annotations

import functools
import re
from abc import ABCMeta, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Generic, Literal, NamedTuple, TypeVar, final

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
_CACHED_ARTICLES = 64
_SPACE = re.compile(r"\s+")
FORBIDDEN_IN_TEXT = (
    "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(
        chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)
    )
)
"""The code points HTML forbids in text, as the body of a regular-expression class: controls
(but tab, newlines, form feed), surrogates, noncharacters. Markup formats replace them."""


def displayable(text: str, also: str = "") -> str:
    """``text`` with each code point of `FORBIDDEN_IN_TEXT` (and of ``also``) made U+FFFD.

    Every forbidden code point is one Python does not print (a control, a
    surrogate, a noncharacter), so a text that prints, line breaks aside, has
    none and comes back as it is; only others are searched. ``also`` must hold
    only code points Python does not print either.
    """
    if text.replace("\n", " ").isprintable():
        return text
    return _forbidden(also).sub("\ufffd", text)


@functools.lru_cache(maxsize=2)
def _forbidden(also: str) -> re.Pattern[str]:
    # Compiled on first use: the class is large, and text that prints never needs it.
    # Two callers: HTML (nothing more) and FHIR (the form feed too).
    return re.compile(f"[{FORBIDDEN_IN_TEXT}{also}]")


_FINAL_METHODS = ("render", "_verify")
"""The disclaimer step: no subclass may define these."""


class Segment(NamedTuple):
    """A piece of a unit's text; ``note`` is set when the piece ends that note's anchor."""

    text: str
    note: EditorialNote | None = None


class Lookups:
    """What rendering looks up on every call: labels by id, notes in reading order and by unit."""

    __slots__ = ("anchored", "cuts", "fields", "labels", "notes")

    def __init__(self, article: Article) -> None:
        """Index the labels (the first of an id wins) and order the notes."""
        self.fields = tuple(article.__dict__.values())
        self.labels = {unit.id: unit.text for unit in reversed(article.labels)}
        self.notes = _in_reading_order(article)
        self.anchored: dict[str, list[EditorialNote]] = {}
        for note in self.notes:
            self.anchored.setdefault(note.target, []).append(note)
        self.cuts: dict[tuple[str, str], tuple[Segment, ...]] = {}
        """`segments` of a unit (by id and text) in a view that shows every note."""


_LOOKUPS: OrderedDict[tuple[int, ...], Lookups] = OrderedDict()


def lookups(article: Article) -> Lookups:
    """The article's `Lookups`, kept for the last articles by their field values' identity.

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
    """The article's `Lookups`, which `make_view` looks up once per view."""

    @property
    def lookups(self) -> Lookups:
        """The article's `Lookups`."""
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
        """The article's label, as [`label`][painread.Article.label] gives it.

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
    """A unit's text cut at the end of each note anchor, so formats can mark the notes.

    Views that show all of an article's notes cut a unit alike, so its pieces
    are worked out once per article.
    """
    derived = view.lookups
    if view.notes is not derived.notes:
        return cut(unit.text, view.notes_in(unit))
    key = (unit.id, unit.text)
    pieces = derived.cuts.get(key)
    if pieces is None:
        pieces = derived.cuts[key] = cut(unit.text, view.notes_in(unit))
    return pieces


def isolated_in(locale: str, text: str) -> str:
    """Text as a page in ``locale`` shows it: `isolate`d if it is right to left.

    Bidi-aware terminals and editors then keep "1-800-222-1222" in its order;
    left-to-right pages are left as they are (and never import `painread.bidi`).
    """
    if text_direction(locale) != "rtl":
        return text
    from painread.bidi import isolate

    return isolate(text)


def checked_heading_level(level: object) -> int:
    """``level`` if it can be a top heading's level (an integer from 1 to 6).

    Raises:
        InvalidHeadingLevelError: otherwise.
    """
    if type(level) is not int or not 1 <= level <= 6:
        raise InvalidHeadingLevelError(level)
    return level


def id_prefix(view: View) -> str:
    """The prefix of every id in the view's HTML: ``painread-{section or 'article'}-{tag}``.

    Derived from what the view shows, so fragments of different views share a
    host page without clashing ids; JSON-LD points into the HTML with it.
    """
    shown = view.section.id if view.section is not None else "article"
    return f"painread-{shown}-{view.article.locale.replace('_', '-').lower()}"


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


class _Sealed(ABCMeta):
    """Keeps the disclaimer step of a renderer class from being replaced after creation."""

    def __setattr__(cls, name: str, value: object) -> None:
        _refuse_final(cls, name)
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        _refuse_final(cls, name)
        super().__delattr__(name)


def _refuse_final(owner: object, name: str) -> None:
    if name in _FINAL_METHODS:
        shown = owner.__qualname__ if isinstance(owner, type) else type(owner).__qualname__
        raise TypeError(
            f"{shown} may not override Renderer.{name}: "
            "the base places and checks the disclaimer, notices and notes"
        )


class Renderer(Generic[Block], metaclass=_Sealed):
    """Base of all formats: subclasses make blocks, the base places the disclaimer.

    The disclaimer step (`render` and its check) is final at run time as
    well as for type checkers: a subclass that defines it, and any later
    assignment of it to a class or an instance, raises `TypeError`.
    """

    name: ClassVar[str]
    positional: ClassVar[bool] = True
    """True when the disclaimer is laid out once per position (pages, not data)."""
    notices_last: ClassVar[bool] = False
    """True when the notices are shown whole after the text: the check looks from the end."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Refuse, at class creation, a subclass that replaces the disclaimer step.

        ``@final`` binds type checkers only; this holds at run time too, so no
        format can skip the placement and the check of its output.

        Raises:
            TypeError: naming the class and the method it may not define.
        """
        super().__init_subclass__(**kwargs)
        for method in _FINAL_METHODS:
            if method in vars(cls):
                _refuse_final(cls, method)

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
        """How a unit of this view appears in the output: `encode` of its text.

        Formats that mark runs inside a unit (language, direction) write it
        differently in different views; they say so here, so the check finds
        the unit as it was written.
        """
        return self.encode(unit.text)

    @final
    def _verify(self, view: View, output: str) -> None:
        """Withhold output that lacks a disclaimer copy, a notice or a note.

        Each unit must appear as this format writes it, whitespace aside (so a
        format may wrap lines): the disclaimer once per position, every notice
        and note at least once.
        """
        notices, notes = view.notices, view.notes
        required = [view.article.disclaimer, *(notice.text for notice in notices)]
        encoded = [self.encode_unit(view, unit) for unit in (*required, *(n.text for n in notes))]
        copies = 2 if view.placement == "both" and self.positional else 1
        bottom = view.placement == "bottom"
        searched = Searched(output)
        if not shown(searched, encoded[0], copies, from_end=bottom):
            raise DisclaimerMissingError(self.name)
        # Notices come early in most formats and notes late, so each is looked for from there.
        late = self.notices_last
        if not all(shown(searched, text, from_end=late) for text in encoded[1 : len(required)]):
            raise DisclaimerMissingError(self.name)
        if not all(shown(searched, text, from_end=True) for text in encoded[len(required) :]):
            raise DisclaimerMissingError(self.name)


class Searched:
    """An output being checked, and the same with whitespace collapsed, made once if needed."""

    __slots__ = ("_flat", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._flat: str | None = None

    @property
    def flat(self) -> str:
        """The text with each run of whitespace as one space."""
        if self._flat is None:
            self._flat = _SPACE.sub(" ", self.text)
        return self._flat


def shown(output: str | Searched, needle: str, times: int = 1, *, from_end: bool = False) -> bool:
    """Whether ``needle`` occurs ``times`` times in ``output`` without overlap, whitespace aside.

    A verbatim occurrence of text that is not all whitespace is also one with
    whitespace collapsed, so the output is collapsed only when the verbatim
    search fails, and once for all the needles of a `Searched` output.
    ``from_end`` only says where to start looking.
    """
    searched = output if isinstance(output, Searched) else Searched(output)
    if needle.strip() and _count(searched.text, needle, times, from_end) >= times:
        return True
    flat_needle = _SPACE.sub(" ", needle).strip()
    return _count(searched.flat, flat_needle, times, from_end) >= times


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
