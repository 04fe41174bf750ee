"""Reading one catalog (an MO or PO file), checking each unit, and choosing each unit's text.

Catalogs from plugins and registered directories are untrusted text. A catalog
that cannot be read, or a unit that fails `unit_problem`, is skipped with one
[`PainreadWarning`][painread.errors.PainreadWarning] naming the file and line.
Only units whose ``msgid`` is today's English text are served, so no catalog
can change the English source.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

# The standard library's Traversable, without the importlib_resources backport.
if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable as Traversable
else:
    from importlib.abc import Traversable as Traversable

from painread import _article_data
from painread._catalog_file import parse_mo as _parse_mo_file
from painread._catalog_file import read_catalog_bytes as read_catalog_bytes
from painread._files import CATALOG_NAME as CATALOG_NAME
from painread._files import SOURCE_HEADER, VALIDATED_HEADER, source_digest
from painread._integrity import unit_problem as unit_problem
from painread.errors import CatalogError, PainreadWarning
from painread.locales import SOURCE_LOCALE

if TYPE_CHECKING:
    Layers = tuple[tuple[str, tuple["Catalog", ...]], ...]
    """Each locale of a served chain with its catalogs, highest precedence first."""

DISCLAIMER_UNIT = "disclaimer.text"
SHORT_DISCLAIMER_UNIT = "ui.disclaimer.short"
"""The short disclaimer line on every printed page; checked like the disclaimer."""
DISCLAIMER_UNITS = {
    DISCLAIMER_UNIT: "the disclaimer",
    SHORT_DISCLAIMER_UNIT: "the short disclaimer line",
}
"""The units a catalog must translate in full, with what a message calls them."""
REVIEWED_HEADER = "X-Painread-Reviewed"
"""The PO header field that says whether a medical translator reviewed the catalog."""
_SHOWN_PROBLEMS = 5
"""A catalog's warning quotes this many of its problems, then counts the rest."""


@dataclass(frozen=True, eq=False)
class Catalog:
    """One locale's usable units from one origin, already checked."""

    locale: str
    origin: str
    path: str
    reviewed: bool
    units: Mapping[str, str]
    """Unit id -> translated text."""
    validated: bool = False
    """Read from an MO file that passed the build gate for today's source (bundled only)."""


class Choice(NamedTuple):
    """Where one unit's text comes from: a catalog, or the English source (``None``)."""

    text: str
    locale: str
    catalog: Catalog | None


@dataclass(frozen=True)
class TranslationSource:
    """A directory of catalogs and the origin it is reported as."""

    origin: str
    root: Traversable
    trusted: bool = False
    packaged: bool = False
    """Part of painread itself: its compiled catalogs may stand in for their PO files, and
    their `VALIDATED_HEADER` (the build gate's mark) is honoured."""


@dataclass
class _Problems:
    """What went wrong in one catalog, reported as one warning once it has been read."""

    path: str
    found: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, line: int | None, message: str, kind: str, unit_id: str = "") -> None:
        self.kinds[kind] += 1
        if len(self.found) < _SHOWN_PROBLEMS:
            where = f"{self.path}:{line}" if line is not None else f"{self.path} ({unit_id})"
            self.found.append(f"{where}: {message}")

    def report(self) -> None:
        total = sum(self.kinds.values())
        if total == 1:
            warn(self.found[0])
        elif total:
            counts = ", ".join(f"{n:,} {kind}" for kind, n in self.kinds.most_common())
            more = total - len(self.found)
            rest = f"; and {more:,} more" if more else ""
            warn(f"{self.path}: {total:,} problems ({counts}): " + "; ".join(self.found) + rest)


class _Source(NamedTuple):
    """What catalogs are read against, taken from the shipped English document."""

    texts: dict[str, str]
    anchors: dict[str, tuple[str, ...]]
    content_hash: str
    mo_keys: dict[bytes, str]
    """The MO key of each current unit (the only entries worth keeping) -> its id."""


@lru_cache(maxsize=1)
def _source(document: Callable[[], dict[str, Any]]) -> _Source:
    source = document()
    anchors: dict[str, list[str]] = {}
    for note in source["notes"]:
        anchors.setdefault(note["target"], []).append(note["anchor"]["id"])
    texts = {unit["id"]: unit["text"] for unit in _units(source)}
    return _Source(
        texts,
        {target: tuple(ids) for target, ids in anchors.items()},
        str(source["metadata"]["content_hash"]),
        {f"{unit}\x04{text}".encode(): unit for unit, text in texts.items()},
    )


def _units(node: object) -> Iterator[Mapping[str, str]]:
    """Every translatable unit of the document, in document order."""
    if isinstance(node, dict) and "id" in node and "text" in node and "origin" in node:
        yield node
    elif isinstance(node, (dict, list)):
        for value in node.values() if isinstance(node, dict) else node:
            yield from _units(value)


def source_texts() -> dict[str, str]:
    """Unit id -> current English text, in document order."""
    return _source(_article_data.document).texts


def note_anchors() -> dict[str, tuple[str, ...]]:
    """Target unit id -> the ids of the note anchors quoted from it."""
    return _source(_article_data.document).anchors


def source_hash() -> str:
    """The content hash of the shipped English source, which the build gate's mark names."""
    return _source(_article_data.document).content_hash


def anchors_fit(text: str, anchors: Iterable[str]) -> bool:
    """Whether every quote occurs in ``text`` and they can be marked in order without overlap.

    Renderers mark each note's quote where it occurs; overlapping quotes would
    leave a note unmarked, so such a combination is never served.
    """
    cursor = 0
    for anchor in sorted(anchors, key=text.find):
        start = text.find(anchor, cursor)
        if start < 0:
            return False
        cursor = start + len(anchor)
    return True


def choose(layers: Layers) -> dict[str, Choice]:
    """Each unit's text from the first layer that has it, else English.

    A note's target and its quoted anchors are chosen together: the first text
    of the target in which each anchor has a text that occurs (preferring the
    target's locale) and the quotes can be marked without overlap.
    """
    english, anchored = source_texts(), note_anchors()

    def candidates(unit_id: str) -> list[Choice]:
        found = [(code, c) for code, catalogs in layers for c in catalogs if unit_id in c.units]
        texts = [Choice(catalog.units[unit_id], code, catalog) for code, catalog in found]
        return [*texts, Choice(english[unit_id], SOURCE_LOCALE, None)]

    together = {anchor for ids in anchored.values() for anchor in ids} | anchored.keys()
    choices = {unit_id: candidates(unit_id)[0] for unit_id in english if unit_id not in together}
    for target, anchor_ids in anchored.items():
        options = {anchor: candidates(anchor) for anchor in anchor_ids}
        for candidate in candidates(target):  # English last: if even it fails, English stays
            chosen = {}
            for anchor, found in options.items():
                fitting = [option for option in found if option.text in candidate.text]
                same = [option for option in fitting if option.locale == candidate.locale]
                if fitting:
                    chosen[anchor] = (same or fitting)[0]
            quotes = [choice.text for choice in chosen.values()]
            if len(chosen) == len(anchor_ids) and anchors_fit(candidate.text, quotes):
                choices.update({target: candidate, **chosen})
                break
    return choices


def warn(message: str) -> None:
    """Report a problem painread worked around."""
    warnings.warn(message, PainreadWarning, stacklevel=3)


def read_catalog(source: TranslationSource, locale: str, folder: Traversable) -> Catalog | None:
    """The usable units of one locale folder, or ``None`` (with a warning) if unreadable.

    Outside the package the PO file is the translator's source and is read
    whenever it exists: anyone can write an MO file that claims to be its
    compiled form. painread's own MO files are read unless the PO file beside
    them changed after they were compiled, so an edit shows at once.
    """
    messages = folder / "LC_MESSAGES"
    po, mo = messages / f"{CATALOG_NAME}.po", messages / f"{CATALOG_NAME}.mo"
    has_po = po.is_file()
    try:
        if mo.is_file() and (source.packaged or not has_po):
            try:
                headers, units = parse_mo(read_catalog_bytes(mo, source.root), path=str(mo))
            except CatalogError as exc:
                if not has_po:
                    raise
                warn(f"{exc}; reading {po} instead")
            else:
                if not has_po or _compiled_from(source, headers, mo, po):
                    found = {unit: (text, None) for unit, text in units.items()}
                    mark = headers.get(VALIDATED_HEADER.lower())
                    gated = source.packaged and mark == source_hash()
                    return _catalog(source, locale, headers, found, _Problems(str(mo)), gated)
        return catalog_from_po(source, locale, po) if has_po else None
    except CatalogError as exc:
        warn(f"{exc}; catalog skipped")
        return None


def _compiled_from(
    source: TranslationSource, headers: Mapping[str, str], mo: Traversable, po: Traversable
) -> bool:
    """Whether the MO file holds what the PO file says now: by the digest it names, else by time."""
    digest = headers.get(SOURCE_HEADER.lower())
    if digest is not None:
        try:
            return digest == source_digest(read_catalog_bytes(po, source.root))
        except CatalogError:
            pass
    if not isinstance(mo, Path) or not isinstance(po, Path):
        return True
    try:
        return mo.stat().st_mtime_ns >= po.stat().st_mtime_ns
    except OSError:
        return False


def parse_mo(data: bytes, *, path: str) -> tuple[dict[str, str], dict[str, str]]:
    """The header fields (names lower-cased) and non-empty translated units of an MO file.

    Shared by the run-time reader and ``painread i18n check``, so both refuse
    the same files.

    Raises:
        CatalogError: naming ``path``, if the bytes are not a valid UTF-8 MO file.
    """
    keys = _source(_article_data.document).mo_keys
    headers, messages = _parse_mo_file(data, path=path, wanted=keys)
    return headers, {unit: text for key, unit in keys.items() if (text := messages.get(key))}


def catalog_from_po(source: TranslationSource, locale: str, po: Traversable) -> Catalog:
    """One locale's catalog read from its PO file, whatever MO file lies beside it.

    Raises:
        CatalogError: naming the file and line, if the file cannot be read or parsed.
    """
    from painread._pofile import parse_po

    problems = _Problems(str(po))
    parsed = parse_po(read_catalog_bytes(po, source.root), path=problems.path)
    if parsed.header_line is None:
        no_header = 'no header entry (msgid ""), so no declared charset or language'
        raise CatalogError(no_header, path=problems.path, line=1)
    english = source_texts()
    found: dict[str, tuple[str, int | None]] = {}
    for message in parsed:
        unit_id, line = message.context, message.lineno
        if message.id == "":
            continue
        if not isinstance(message.id, str):
            problems.add(line, "plural entries are not used by painread; skipped", "plural")
        elif unit_id not in english:
            problems.add(line, f"unknown msgctxt {unit_id!r}; entry skipped", "unknown msgctxt")
        elif message.id != english[unit_id]:
            continue  # translates an older English text
        elif message.string and not message.fuzzy:
            found[unit_id] = (str(message.string), line)
        elif unit_id in DISCLAIMER_UNITS:
            what = DISCLAIMER_UNITS[unit_id]
            state = "marked fuzzy" if message.fuzzy else "not translated"
            served = f"the next locale's {what.removeprefix('the ')} is served"
            problems.add(line, f"{what} is {state}; {served}", "unusable disclaimer")
    for duplicate in parsed.duplicates:
        entry = f"duplicate entry {duplicate.context!r}"
        problems.add(duplicate.lineno, f"{entry}; first one used", "duplicate")
    return _catalog(source, locale, parsed.headers, found, problems)


def _catalog(
    source: TranslationSource,
    locale: str,
    headers: Mapping[str, str],
    found: Mapping[str, tuple[str, int | None]],
    problems: _Problems,
    validated: bool = False,
) -> Catalog:
    """The units that pass `unit_problem` and whose quotes occur in their note's target."""
    english = source_texts()
    units: dict[str, str] = {}
    for unit_id, (text, line) in found.items():
        problem = unit_problem(unit_id, text, english[unit_id])
        if problem is None:
            units[unit_id] = text
        else:
            problems.add(line, f"{problem}; unit {unit_id!r} skipped", "units skipped", unit_id)
    for target, anchor_ids in note_anchors().items():
        for anchor_id in anchor_ids if target in units else ():
            if anchor_id in units and units[anchor_id] not in units[target]:
                quote = f"the quote does not occur in the translation of {target!r}"
                skipped = f"{quote}; unit {anchor_id!r} skipped"
                problems.add(found[anchor_id][1], skipped, "units skipped", anchor_id)
                del units[anchor_id]
    problems.report()
    reviewed = source.trusted and headers.get(REVIEWED_HEADER.lower(), "").strip().lower() == "yes"
    return Catalog(locale, source.origin, problems.path, reviewed, units, validated)
