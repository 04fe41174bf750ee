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

import operator
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Generic, Literal, TypeVar, final

from painread.errors import DisclaimerMissingError, UnknownPlacementError, UnknownUnitError
from painread.models import (
    Article,
    EditorialNote,
    Run,
    SafetyNotice,
    Section,
    TextUnit,
    anchor_order,
    lookups,
    notes_by_target,
    runs_of,
)

__all__ = [
    "PLACEMENTS",
    "Placement",
    "Renderer",
    "Segment",
    "View",
    "annotate",
    "make_view",
    "runs",
]

Placement = Literal["top", "bottom", "both"]
PLACEMENTS: tuple[Placement, ...] = ("top", "bottom", "both")
Block = TypeVar("Block")
_SPACE = re.compile(r"\s+")
_PREFIX = 32
"""Characters of a long needle searched for first (below the 100 that start an analysis)."""


class _Record:
    """A small immutable record, equal, hashed and shown by its ``_fields``.

    A plain slotted class: defining a dataclass costs about 0.5 ms, paid by
    every process on its first render.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")


class View(_Record):
    """What one render shows: the article or one section, and what must go with it."""

    __slots__ = (
        "_anchored",
        "_labels",
        "_numbers",
        "_runs",
        "article",
        "notes",
        "notices",
        "placement",
        "section",
    )
    _fields = ("article", "section", "notices", "notes", "placement")

    article: Article
    section: Section | None
    notices: tuple[SafetyNotice, ...]
    notes: tuple[EditorialNote, ...]
    placement: Placement
    _numbers: dict[int, int]
    _anchored: dict[str, tuple[EditorialNote, ...]]
    _labels: dict[str, str]
    _runs: dict[str, tuple[str, tuple[Run, ...]]]

    def __init__(
        self,
        article: Article,
        section: Section | None,
        notices: tuple[SafetyNotice, ...],
        notes: tuple[EditorialNote, ...],
        placement: Placement,
    ) -> None:
        """Index the notes once, so each lookup while rendering is a dict hit.

        The labels, and each unit's text cut at its anchors, come from the
        article's :class:`~painread.models.Lookups`, derived when it was built;
        the cuts serve only units whose notes here are those the article has.
        """
        derived = lookups(article)
        count = len(notes)
        numbers = dict(zip(map(id, reversed(notes)), range(count, 0, -1), strict=True))
        if notes is derived.notes:
            anchored, cut = derived.anchored, derived.runs
        else:
            anchored = notes_by_target(notes)
            cut = {
                target: derived.runs[target]
                for target, group in anchored.items()
                if target in derived.runs and _identical(derived.anchored.get(target, ()), group)
            }
        values = {
            "article": article,
            "section": section,
            "notices": notices,
            "notes": notes,
            "placement": placement,
            "_numbers": numbers,
            "_anchored": anchored,
            "_labels": derived.labels,
            "_runs": cut,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

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
        number = self._numbers.get(id(note))
        return number if number is not None else self.notes.index(note) + 1

    def notes_in(self, unit: TextUnit) -> tuple[EditorialNote, ...]:
        """The notes anchored in one unit, in the order their anchors occur."""
        return anchor_order(unit.text, self._anchored.get(unit.id, ()))

    def label(self, label_id: str, **values: str) -> str:
        """The article's label, as :meth:`~painread.models.Article.label` gives it.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        text = self._labels.get(label_id) or self.template(label_id)
        if values or "{" in text or "}" in text:
            return text.format(**values)
        return text

    def template(self, label_id: str) -> str:
        """A label's unformatted text, for formats that fill its placeholders with markup.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        text = self._labels.get(label_id)
        if text is None:
            raise UnknownUnitError(label_id)
        return text


def _identical(these: tuple[object, ...], those: tuple[object, ...]) -> bool:
    """The same objects in the same order (equal notes may still be other objects)."""
    return len(these) == len(those) and all(map(operator.is_, these, those))


class Segment(_Record):
    """A run of a unit's text; ``note`` is set when the run ends an anchor."""

    __slots__ = ("note", "text")
    _fields = ("text", "note")

    text: str
    note: EditorialNote | None

    def __init__(self, text: str, note: EditorialNote | None = None) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "note", note)


def annotate(view: View, unit: TextUnit) -> tuple[Segment, ...]:
    """Split a unit's text at the end of each note anchor, so formats can mark them."""
    return tuple(Segment(text, note) for text, note in runs(view, unit))


def runs(view: View, unit: TextUnit) -> list[Run]:
    """:func:`annotate` as plain pairs, for formats that render many units per call."""
    text = unit.text
    known = view._runs.get(unit.id)
    if known is not None and known[0] is text:
        return list(known[1])
    return list(runs_of(text, view.notes_in(unit)))


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
    notes = lookups(article).notes
    if chosen is not None:
        shown = {id(note) for note in article.notes_for(section)}
        notes = tuple(note for note in notes if id(note) in shown)
    return View(
        article=article,
        section=chosen,
        notices=article.notices_for(section),
        notes=notes,
        placement=placement,
    )


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
        and note at least once. Most formats write the encoded text verbatim,
        which a plain substring search finds; the output is whitespace-normalised
        only when that fails, and the normalised search decides.
        """
        required = [view.article.disclaimer.text]
        required += [notice.text.text for notice in view.notices]
        required += [note.text.text for note in view.notes]
        encoded = self.encode_all(required)
        if len(encoded) != len(required):
            raise DisclaimerMissingError(self.name)
        disclaimer = encoded[0]
        notices = encoded[1 : len(view.notices) + 1]
        notes = encoded[len(view.notices) + 1 :]
        shown = _Shown(output)
        copies = 2 if view.placement == "both" and self.positional else 1
        if not shown.at_least(disclaimer, copies, near_end=view.placement == "bottom"):
            raise DisclaimerMissingError(self.name)
        if not all(map(shown.somewhere, notices)):
            raise DisclaimerMissingError(self.name)
        if not all(map(shown.somewhere_before, reversed(notes))):
            raise DisclaimerMissingError(self.name)


class _Shown:
    """Finds encoded text in an output, verbatim first, then whitespace-insensitively.

    A verbatim occurrence of text that is not all whitespace is also a
    whitespace-insensitive one (collapsing runs of whitespace maps disjoint
    occurrences to disjoint occurrences), so trying the verbatim search first
    accepts exactly what the normalised search alone would, and the normalised
    output is built only when some text needs it.
    """

    def __init__(self, output: str) -> None:
        self._output = output
        self._flat: str | None = None
        self._cursor = 0
        self._end = len(output)

    def at_least(self, needle: str, times: int, *, near_end: bool = False) -> bool:
        """Whether ``needle`` occurs ``times`` times (without overlap), whitespace aside.

        ``near_end`` says where one copy is expected, so the search starts there.
        """
        if not needle.strip():  # counted as the empty string in the normalised output
            return len(_SPACE.sub(" ", self._output)) + 1 >= times
        if _occurs(self._output, needle, times, near_end):
            return True
        return _occurs(self._flattened(), _flat(needle), times, near_end)

    def somewhere(self, needle: str) -> bool:
        """Whether ``needle`` occurs at all, whitespace aside.

        Formats show notices in order, so the search starts where the previous
        text was found, and covers the whole output only if that fails. A long
        needle is looked for by its first characters first: searching for 100
        characters or more starts with an analysis of the whole needle, which
        costs more here than the search itself.
        """
        output = self._output
        if len(needle) > _PREFIX:  # the first place the prefix occurs usually has it all
            found = output.find(needle[:_PREFIX], self._cursor)
            if found >= 0 and output.startswith(needle, found):
                self._cursor = found + len(needle)
                return True
        found = output.find(needle, self._cursor)
        if found >= 0:
            self._cursor = found + len(needle)
            return True
        return needle in output or _flat(needle) in self._flattened()

    def somewhere_before(self, needle: str) -> bool:
        """:meth:`somewhere`, for texts shown near the end, checked last to first.

        Formats list the notes after the text, so the search runs backwards
        from where the previous (later) note was found.
        """
        found = self._output.rfind(needle, 0, self._end)
        if found >= 0:
            self._end = found
            return True
        return needle in self._output or _flat(needle) in self._flattened()

    def _flattened(self) -> str:
        if self._flat is None:
            self._flat = _flat(self._output)
        return self._flat


def _occurs(haystack: str, needle: str, times: int, near_end: bool) -> bool:
    """``haystack.count(needle) >= times``, stopping as soon as that is known."""
    if times == 1:
        return (haystack.rfind(needle) if near_end else haystack.find(needle)) >= 0
    if times == 2 and needle:
        first = haystack.find(needle)
        return first >= 0 and haystack.rfind(needle) >= first + len(needle)
    return haystack.count(needle) >= times


def _flat(text: str) -> str:
    """Runs of whitespace as one space, none at either end."""
    return " ".join(text.split())
