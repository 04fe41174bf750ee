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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, Literal, TypeVar, final

from painread.errors import DisclaimerMissingError, UnknownPlacementError
from painread.models import Article, EditorialNote, SafetyNotice, Section, TextUnit

__all__ = [
    "PLACEMENTS",
    "Placement",
    "Renderer",
    "Segment",
    "View",
    "annotate",
    "make_view",
]

Placement = Literal["top", "bottom", "both"]
PLACEMENTS: tuple[Placement, ...] = ("top", "bottom", "both")
Block = TypeVar("Block")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class View:
    """What one render shows: the article or one section, and what must go with it."""

    article: Article
    section: Section | None
    notices: tuple[SafetyNotice, ...]
    notes: tuple[EditorialNote, ...]
    placement: Placement

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
        return self.notes.index(note) + 1

    def notes_in(self, unit: TextUnit) -> tuple[EditorialNote, ...]:
        """The notes anchored in one unit, in the order their anchors occur."""
        anchored = [note for note in self.notes if note.target == unit.id]
        return tuple(sorted(anchored, key=lambda note: unit.text.find(note.anchor.text)))


@dataclass(frozen=True)
class Segment:
    """A run of a unit's text; ``note`` is set when the run ends an anchor."""

    text: str
    note: EditorialNote | None = None


def annotate(view: View, unit: TextUnit) -> tuple[Segment, ...]:
    """Split a unit's text at the end of each note anchor, so formats can mark them."""
    segments: list[Segment] = []
    cursor = 0
    for note in view.notes_in(unit):
        start = unit.text.find(note.anchor.text, cursor)
        if start < 0:
            continue
        end = start + len(note.anchor.text)
        segments.append(Segment(unit.text[cursor:end], note))
        cursor = end
    if cursor < len(unit.text):
        segments.append(Segment(unit.text[cursor:]))
    return tuple(segments)


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
    return View(
        article=article,
        section=chosen,
        notices=article.notices_for(section),
        notes=_in_reading_order(article, article.notes_for(section)),
        placement=placement,
    )


def _in_reading_order(
    article: Article, notes: tuple[EditorialNote, ...]
) -> tuple[EditorialNote, ...]:
    """Number notes as a reader meets their markers, not as the data lists them."""
    units = {unit.id: (index, unit.text) for index, unit in enumerate(article.units())}

    def position(note: EditorialNote) -> tuple[int, int]:
        index, text = units.get(note.target, (len(units), ""))
        return index, text.find(note.anchor.text)

    return tuple(sorted(notes, key=position))


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

    @final
    def _verify(self, view: View, output: str) -> None:
        haystack = _SPACE.sub(" ", output)
        expected = 2 if view.placement == "both" and self.positional else 1
        if haystack.count(self._needle(view.article.disclaimer.text)) < expected:
            raise DisclaimerMissingError(self.name)
        required = [notice.text.text for notice in view.notices]
        required += [note.text.text for note in view.notes]
        for text in required:
            if self._needle(text) not in haystack:
                raise DisclaimerMissingError(self.name)

    def _needle(self, text: str) -> str:
        return _SPACE.sub(" ", self.encode(text)).strip()
