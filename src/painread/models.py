"""The article's typed, immutable shape, and the checks that keep content honest.

Every piece of text is a [`TextUnit`][painread.TextUnit] with a stable id (the ``msgctxt``
of its translations), the locale it is actually in, and its origin: verbatim from the source
article, or written by painread's editors. The integrity check on [`Article`][painread.Article]
refuses content that would let a host show text without its context: duplicate ids, dangling
references, editorial notes whose quoted anchor is not in the text, an empty disclaimer.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import date
from enum import Enum
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from painread.errors import InvalidQueryError, UnknownSectionError, UnknownUnitError

if TYPE_CHECKING:
    from painread.renderers.base import Placement
    from painread.renderers.embed import Embed

ARTICLE_WIDE = "article"
"""The ``applies_to`` target meaning "the whole article", not one section."""

UNIT_ID_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SNIPPET_CONTEXT = 40
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Origin(str, Enum):
    """Who wrote a unit: the source article (shipped verbatim) or painread."""

    SOURCE = "source"
    EDITORIAL = "editorial"


class Severity(str, Enum):
    """How strongly a notice should stand out; hosts may style each level."""

    INFO = "info"
    CAUTION = "caution"
    WARNING = "warning"


class NoticeCategory(str, Enum):
    """What a safety notice is about, so hosts can filter or group them."""

    DOSING = "dosing"
    INTERACTIONS = "interactions"
    DEPENDENCE = "dependence"
    ADVERSE_EVENTS = "adverse-events"
    LEGAL = "legal"
    TRANSLATION = "translation"


class TextUnit(_Frozen):
    """One translatable piece of text and where it came from."""

    id: str = Field(pattern=UNIT_ID_PATTERN)
    text: str
    locale: str = Field(min_length=1)
    origin: Origin

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text must not be empty or whitespace")
        return text

    def __str__(self) -> str:
        return self.text


class Disclaimer(TextUnit):
    """The medical disclaimer that travels with every rendered output."""

    id: str = Field(default="disclaimer.text", pattern=UNIT_ID_PATTERN)
    origin: Origin = Origin.EDITORIAL
    version: str = Field(min_length=1)

    @field_validator("origin")
    @classmethod
    def _ours(cls, origin: Origin) -> Origin:
        if origin is not Origin.EDITORIAL:
            raise ValueError("the disclaimer is written by painread: origin must be 'editorial'")
        return origin


class Passage(_Frozen):
    """A run of paragraphs without a heading of its own (introduction, conclusion)."""

    id: str = Field(pattern=SLUG_PATTERN)
    paragraphs: tuple[TextUnit, ...] = Field(min_length=1)

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(paragraph.text for paragraph in self.paragraphs)


class Summary(Passage):
    """The article's own summary: its first paragraph."""


class Section(_Frozen):
    """A headed section; ``notice_ids`` lists every notice that applies to it."""

    id: str = Field(pattern=SLUG_PATTERN)
    title: TextUnit
    paragraphs: tuple[TextUnit, ...] = Field(min_length=1)
    notice_ids: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines (the heading excluded)."""
        return "\n\n".join(paragraph.text for paragraph in self.paragraphs)

    def units(self) -> Iterator[TextUnit]:
        """The heading, then each paragraph."""
        yield self.title
        yield from self.paragraphs

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        """Jupyter display: the section with its notices, notes and the disclaimer."""
        from painread.renderers.embed import section_embed  # finds the article; on use only

        return section_embed(self)._repr_mimebundle_(include, exclude)


class SafetyNotice(_Frozen):
    """A safety fact written by painread that must accompany the text it applies to."""

    id: str = Field(pattern=SLUG_PATTERN)
    severity: Severity
    category: NoticeCategory
    text: TextUnit
    applies_to: tuple[str, ...] = Field(min_length=1)
    as_of: date | None = None
    sources: tuple[str, ...] = ()

    def applies_to_section(self, section_id: str) -> bool:
        """Whether the notice must be shown with the given section."""
        return ARTICLE_WIDE in self.applies_to or section_id in self.applies_to


class EditorialNote(_Frozen):
    """painread's comment on a contested claim, anchored to an exact quote."""

    id: str = Field(pattern=SLUG_PATTERN)
    anchor: TextUnit
    target: str = Field(pattern=UNIT_ID_PATTERN)
    text: TextUnit
    sources: tuple[str, ...] = ()


class Metadata(_Frozen):
    """Facts about this edition of the content, including what has not been done."""

    version: str = Field(min_length=1)
    source_locale: str = Field(min_length=1)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    published: date
    last_reviewed: date
    review_due: date
    reviewed_by: str | None = None
    review_status: str = Field(min_length=1)
    license: str = Field(min_length=1)
    attribution: str = Field(min_length=1)
    word_count: int = Field(ge=1)
    reading_time_minutes: int = Field(ge=1)

    @property
    def clinically_reviewed(self) -> bool:
        """False until a named clinician has reviewed the text (it has not)."""
        return self.reviewed_by is not None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Metadata:
        if self.review_due <= self.last_reviewed:
            raise ValueError("review_due must come after last_reviewed")
        return self


class TocEntry(_Frozen):
    """One line of the table of contents."""

    id: str
    title: str


class SearchHit(_Frozen):
    """Where a search query matched: the unit, its section, and a snippet."""

    unit_id: str
    section_id: str | None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    snippet: str


class Article(_Frozen):
    """The whole article in one locale, with everything that must travel with it."""

    id: str = Field(pattern=SLUG_PATTERN)
    title: TextUnit
    summary: Summary
    introduction: Passage
    sections: tuple[Section, ...] = Field(min_length=1)
    conclusion: Passage
    notices: tuple[SafetyNotice, ...]
    notes: tuple[EditorialNote, ...]
    disclaimer: Disclaimer
    labels: tuple[TextUnit, ...] = ()
    locale: str = Field(min_length=1)
    metadata: Metadata

    @model_validator(mode="after")
    def _check_integrity(self) -> Article:
        units = list(_units_with_paths(self))
        _require_unique("unit id", ((path, unit.id) for path, unit in units))
        for field in ("sections", "notices", "notes"):
            items = enumerate(getattr(self, field))
            _require_unique(f"{field[:-1]} id", ((f"{field}[{i}]", item.id) for i, item in items))
        for path, unit in units:
            source = path.startswith(("summary", "introduction", "sections", "conclusion"))
            expected = Origin.SOURCE if source or path.endswith(".anchor") else Origin.EDITORIAL
            if unit.origin is not expected:
                raise ValueError(f"{path} ({unit.id!r}) must have origin {expected.value!r}")
        section_ids = {section.id for section in self.sections}
        for n, notice in enumerate(self.notices):
            for target in notice.applies_to:
                if target != ARTICLE_WIDE and target not in section_ids:
                    raise ValueError(
                        f"notices[{n}].applies_to names unknown section {target!r}; "
                        f"valid: {ARTICLE_WIDE!r} or one of {sorted(section_ids)}"
                    )
        for s, section in enumerate(self.sections):
            applying = (notice for notice in self.notices if notice.applies_to_section(section.id))
            if section.notice_ids != (expected_ids := tuple(notice.id for notice in applying)):
                raise ValueError(
                    f"sections[{s}].notice_ids is {section.notice_ids}, but the notices that apply "
                    f"to {section.id!r} are {expected_ids}"
                )
        texts = {unit.id: unit.text for _, unit in units}
        for n, note in enumerate(self.notes):
            if note.target not in texts:
                raise ValueError(f"notes[{n}].target names unknown unit {note.target!r}")
            if (quote := note.anchor.text) not in texts[note.target]:
                raise ValueError(
                    f"notes[{n}].anchor {quote!r} does not occur verbatim in {note.target!r}"
                )
        return self

    def __iter__(self) -> Iterator[Section]:  # type: ignore[override]
        """Iterate over the sections, in reading order."""
        return iter(self.sections)

    def embed(
        self, section: str | None = None, placement: Placement = "bottom", heading_level: int = 1
    ) -> Embed:
        """The article or one section, ready for a template, a notebook or an API.

        ``heading_level`` (1-6) is the level of the HTML fragment's top heading.

        Raises:
            UnknownSectionError: if ``section`` is not one of the article's sections.
            UnknownPlacementError: if ``placement`` is not top, bottom or both.
            InvalidHeadingLevelError: if ``heading_level`` is not an integer from 1 to 6.
        """
        from painread.renderers.embed import Embed  # the declared upward import, on use only

        return Embed(self, section, placement, heading_level)

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        """Jupyter display: the whole article with its notices and the disclaimer."""
        return self.embed()._repr_mimebundle_(include, exclude)

    def source_units(self) -> Iterator[TextUnit]:
        """The source article's units, in reading order (headings included)."""
        yield from self.summary.paragraphs
        yield from self.introduction.paragraphs
        for section in self.sections:
            yield from section.units()
        yield from self.conclusion.paragraphs

    def units(self) -> Iterator[TextUnit]:
        """Every translatable unit: the title, the source units, then painread's own."""
        yield self.title
        yield from self.source_units()
        for notice in self.notices:
            yield notice.text
        for note in self.notes:
            yield note.anchor
            yield note.text
        yield self.disclaimer
        yield from self.labels

    def label(self, label_id: str, **values: str) -> str:
        """A UI label (heading, severity name) in the article's locale, formatted.

        Labels are always ``str.format`` templates (catalogs reject translations whose
        placeholders differ from the English), so ``{{`` always means ``{``.

        Raises:
            UnknownUnitError: if there is no such label.
        """
        for unit in self.labels:
            if unit.id == label_id:
                return unit.text.format(**values)
        raise UnknownUnitError(label_id)

    def unit(self, unit_id: str) -> TextUnit:
        """The unit with this id.

        Raises:
            UnknownUnitError: if the article has no such unit.
        """
        for candidate in self.units():
            if candidate.id == unit_id:
                return candidate
        raise UnknownUnitError(unit_id)

    @property
    def fallbacks(self) -> MappingProxyType[str, str]:
        """Unit id -> locale, for every unit not served in `locale`."""
        return MappingProxyType(
            {unit.id: unit.locale for unit in self.units() if unit.locale != self.locale}
        )

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        """The table of contents, derived from the sections."""
        # Unvalidated, from this checked article: validating would build a schema on first render.
        return tuple(
            TocEntry.model_construct(id=section.id, title=section.title.text)
            for section in self.sections
        )

    def section(self, section_id: str) -> Section:
        """The section with this id.

        Raises:
            UnknownSectionError: naming the valid ids, if there is no such section.
        """
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownSectionError(section_id, (section.id for section in self.sections))

    def notices_for(self, section_id: str | None = None) -> tuple[SafetyNotice, ...]:
        """The notices to show with one section, or with the whole article (``None``)."""
        if section_id is None:
            return self.notices
        self.section(section_id)
        return tuple(notice for notice in self.notices if notice.applies_to_section(section_id))

    def notes_for(self, section_id: str | None = None) -> tuple[EditorialNote, ...]:
        """The editorial notes whose anchors fall in one section, or all of them."""
        if section_id is None:
            return self.notes
        unit_ids = {unit.id for unit in self.section(section_id).units()}
        return tuple(note for note in self.notes if note.target in unit_ids)

    def search(self, query: str) -> tuple[SearchHit, ...]:
        """Find a phrase, ignoring case, accents and typographic quotes.

        Raises:
            InvalidQueryError: if the query is not a string or has nothing to find.
        """
        if not isinstance(query, str):
            raise InvalidQueryError(query, f"expected a string, got {type(query).__name__}")
        needle = _fold(query.strip())[0]
        if not needle:
            raise InvalidQueryError(query, "the query is empty")
        section_of = {unit.id: section.id for section in self.sections for unit in section.units()}
        units = (self.title, *self.source_units())
        return tuple(
            hit for unit in units for hit in _find_all(unit, section_of.get(unit.id), needle)
        )


def _units_with_paths(node: BaseModel, path: str = "") -> Iterator[tuple[str, TextUnit]]:
    """Every text unit under a model, with where it is (``sections[2].title``), in field order."""
    for name, value in node.__dict__.items():
        where = f"{path}.{name}" if path else name
        items = enumerate(value) if isinstance(value, tuple) else ((None, value),)
        for index, item in items:
            here = where if index is None else f"{where}[{index}]"
            if isinstance(item, TextUnit):
                yield here, item
            elif isinstance(item, BaseModel):
                yield from _units_with_paths(item, here)


def _require_unique(kind: str, ids: Iterator[tuple[str, str]]) -> None:
    """Refuse an id used twice, naming both places."""
    seen: dict[str, str] = {}
    for path, value in ids:
        if value in seen:
            raise ValueError(f"duplicate {kind} {value!r} at {path} (first used at {seen[value]})")
        seen[value] = path


@lru_cache(maxsize=4096)
def _fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Case-, accent- and quote-fold text, keeping each folded char's source index."""
    import unicodedata  # only searches need it; not worth a module on every import

    folded = [
        (char, position)
        for position, original in enumerate(text.translate(_TYPOGRAPHIC))
        for part in unicodedata.normalize("NFKD", original)
        if not unicodedata.combining(part)
        for char in part.casefold()
    ]
    return "".join(char for char, _ in folded), tuple(position for _, position in folded)


def _find_all(unit: TextUnit, section_id: str | None, needle: str) -> Iterator[SearchHit]:
    text = unit.text
    haystack, index = _fold(text)
    position = haystack.find(needle)
    while position != -1:
        start, end = index[position], index[position + len(needle) - 1] + 1
        left, right = max(0, start - _SNIPPET_CONTEXT), min(len(text), end + _SNIPPET_CONTEXT)
        snippet = (
            f"{'…' if left else ''}{text[left:right].strip()}{'…' if right < len(text) else ''}"
        )
        # Computed here from checked text (offsets are never negative): no validation.
        yield SearchHit.model_construct(
            unit_id=unit.id, section_id=section_id, start=start, end=end, snippet=snippet
        )
        position = haystack.find(needle, position + len(needle))
