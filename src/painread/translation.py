"""One catalog's translated units: reading an MO or PO file, and the checks each unit must pass.

Catalogs from plugins and registered directories are untrusted text. A catalog
that cannot be read, or a unit that fails `unit_problem`, is skipped with
one [`PainreadWarning`][painread.errors.PainreadWarning] naming the file and line. Only
units of the current source can be served (the ``msgid`` must equal today's
English text), so no catalog can change the English source.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# The standard library's resources API: the same Traversables as the
# importlib_resources backport, without its extra modules.
if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable as Traversable
else:
    from importlib.abc import Traversable as Traversable

from painread._catalog_file import MAX_CATALOG_BYTES, read_bounded, read_confined
from painread._catalog_file import parse_mo as _parse_mo_file
from painread._files import CATALOG_NAME as CATALOG_NAME
from painread._files import SOURCE_HEADER, VALIDATED_HEADER, source_digest
from painread._integrity import unit_problem as unit_problem
from painread.errors import CatalogError, PainreadWarning

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

_NO_HEADER = 'no header entry (msgid ""), so no declared charset or language'
_SHOWN_PROBLEMS = 5
"""A catalog's warning quotes this many of its problems, then counts the rest."""


@dataclass(frozen=True)
class Entry:
    """One usable translated unit and where it was read."""

    text: str
    line: int | None


@dataclass(frozen=True, eq=False)
class Catalog:
    """One locale's usable units from one origin, already checked."""

    locale: str
    origin: str
    path: str
    reviewed: bool
    units: Mapping[str, Entry]
    validated: bool = False
    """Read from an MO file that passed the build gate for today's source (bundled only)."""


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

    def add(self, where: str, message: str, kind: str) -> None:
        self.kinds[kind] += 1
        if len(self.found) < _SHOWN_PROBLEMS:
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


@lru_cache(maxsize=1)
def _source() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The English units and note anchors, read from the shipped document itself."""
    from painread._article_data import document

    source = document()
    anchors: dict[str, list[str]] = {}
    for note in source["notes"]:
        anchors.setdefault(note["target"], []).append(note["anchor"]["id"])
    units = {unit["id"]: unit["text"] for unit in _units(source)}
    return units, {target: tuple(ids) for target, ids in anchors.items()}


def _units(node: object) -> Iterator[Mapping[str, str]]:
    """Every translatable unit of the document, in document order."""
    if isinstance(node, dict) and "id" in node and "text" in node and "origin" in node:
        yield node
    elif isinstance(node, (dict, list)):
        for value in node.values() if isinstance(node, dict) else node:
            yield from _units(value)


def source_texts() -> dict[str, str]:
    """Unit id -> current English text, in document order."""
    return _source()[0]


def note_anchors() -> dict[str, tuple[str, ...]]:
    """Target unit id -> the ids of the note anchors quoted from it."""
    return _source()[1]


@lru_cache(maxsize=1)
def source_hash() -> str:
    """The content hash of the shipped English source, which the build gate's mark names."""
    from painread._article_data import document

    return str(document()["metadata"]["content_hash"])


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
    if mo.is_file() and (source.packaged or not has_po):
        mo_path = _shown_path(mo)
        try:
            headers, units = parse_mo(_read(source, mo), path=mo_path)
        except CatalogError as exc:
            if not has_po:
                warn(f"{exc}; catalog skipped")
                return None
            warn(f"{exc}; reading {_shown_path(po)} instead")
        else:
            if not has_po or _compiled_from(source, headers, mo, po):
                found = {unit: (text, None) for unit, text in units.items()}
                gated = source.packaged and headers.get(VALIDATED_HEADER.lower()) == source_hash()
                return _catalog(
                    source, locale, mo_path, headers, found, _Problems(mo_path), validated=gated
                )
    if not has_po:
        return None
    try:
        return _from_po(source, locale, po)
    except CatalogError as exc:
        warn(f"{exc}; catalog skipped")
        return None


def _compiled_from(
    source: TranslationSource, headers: Mapping[str, str], mo: Traversable, po: Traversable
) -> bool:
    """Whether the MO file holds what the PO file says now.

    An MO file painread compiled names its PO file's digest; one compiled
    by other tools (or whose PO file cannot be read) is judged by time.
    """
    digest = headers.get(SOURCE_HEADER.lower())
    if digest is not None:
        try:
            return digest == source_digest(_read(source, po))
        except CatalogError:
            pass
    return not _older(mo, po)


def _older(mo: Traversable, po: Traversable) -> bool:
    if not isinstance(mo, Path) or not isinstance(po, Path):
        return False
    try:
        return mo.stat().st_mtime_ns < po.stat().st_mtime_ns
    except OSError:
        return True


def is_reviewed(headers: Mapping[str, str]) -> bool:
    """Whether a header (names lower-cased) says a medical translator reviewed it."""
    return headers.get(REVIEWED_HEADER.lower(), "").strip().lower() == "yes"


def _read(source: TranslationSource, resource: Traversable) -> bytes:
    """The bytes of one catalog file, checked on the descriptor that reads them."""
    if isinstance(resource, Path) and isinstance(source.root, Path):
        return read_confined(resource, source.root)
    return read_catalog_bytes(resource)


def read_catalog_bytes(resource: Traversable) -> bytes:
    """The bytes of a catalog file: a regular file, never read past `MAX_CATALOG_BYTES`.

    A path is opened once and checked on its descriptor (no FIFO or device is
    read); any other Traversable is read through its stream, so a zipped file
    is never inflated past the cap.

    Raises:
        CatalogError: naming the file, if it is too large or cannot be read.
    """
    shown = _shown_path(resource)
    if isinstance(resource, Path):
        try:
            folder = resource.resolve().parent
        except (OSError, RuntimeError) as exc:
            raise CatalogError(f"cannot resolve: {exc}", path=shown) from exc
        return read_confined(resource, folder)
    if not callable(getattr(resource, "open", None)):  # a Traversable of a plugin's own making
        data = resource.read_bytes()
        if len(data) > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
        return data
    return read_bounded(lambda: resource.open("rb"), shown)


def parse_mo(data: bytes, *, path: str) -> tuple[dict[str, str], dict[str, str]]:
    """The header fields (names lower-cased) and non-empty translated units of an MO file.

    Shared by the run-time reader and ``painread i18n check``, so both refuse
    the same files.

    Raises:
        CatalogError: naming ``path``, if the bytes are not a valid UTF-8 MO file.
    """
    parsed = _parse_mo_file(data, path=path, wanted=_mo_keys())
    units = {}
    for unit_id, english in source_texts().items():
        text = parsed.get(unit_id, english)
        if text:
            units[unit_id] = text
    return parsed.headers, units


@lru_cache(maxsize=1)
def _mo_keys() -> frozenset[bytes]:
    """The MO keys of the current source units: the only entries worth keeping."""
    return frozenset(f"{unit}\x04{text}".encode() for unit, text in source_texts().items())


def catalog_from_po(source: TranslationSource, locale: str, po: Traversable) -> Catalog:
    """One locale's catalog read from its PO file, whatever MO file lies beside it.

    Raises:
        CatalogError: naming the file and line, if the file cannot be read or parsed.
    """
    return _from_po(source, locale, po)


def _from_po(source: TranslationSource, locale: str, resource: Traversable) -> Catalog:
    from painread._pofile import parse_po

    path = _shown_path(resource)
    parsed = parse_po(_read(source, resource), path=path)
    if parsed.header_line is None:
        raise CatalogError(_NO_HEADER, path=path, line=1)
    english = source_texts()
    problems = _Problems(path)
    found: dict[str, tuple[str, int | None]] = {}
    for message in parsed:
        if message.id == "":
            continue
        context = message.context
        where = f"{path}:{message.lineno}"
        if not isinstance(message.id, str):
            problems.add(where, "plural entries are not used by painread; skipped", "plural")
        elif context not in english:
            problems.add(where, f"unknown msgctxt {context!r}; entry skipped", "unknown msgctxt")
        elif not message.fuzzy and message.id == english[context] and message.string:
            found[context] = (str(message.string), message.lineno)
        elif context in DISCLAIMER_UNITS and message.id == english[context]:
            problems.add(where, _unusable_disclaimer(context, message.fuzzy), "unusable disclaimer")
    for duplicate in parsed.duplicates:
        problems.add(
            f"{path}:{duplicate.lineno}",
            f"duplicate entry {duplicate.context!r}; first one used",
            "duplicate",
        )
    return _catalog(source, locale, path, parsed.headers, found, problems)


def _unusable_disclaimer(unit_id: str, fuzzy: bool) -> str:
    state = "marked fuzzy" if fuzzy else "not translated"
    what = DISCLAIMER_UNITS[unit_id]
    return f"{what} is {state}; the next locale's {what.removeprefix('the ')} is served"


def _catalog(
    source: TranslationSource,
    locale: str,
    path: str,
    headers: Mapping[str, str],
    found: Mapping[str, tuple[str, int | None]],
    problems: _Problems,
    *,
    validated: bool = False,
) -> Catalog:
    english = source_texts()
    units: dict[str, Entry] = {}
    for unit_id, (text, line) in found.items():
        problem = unit_problem(unit_id, text, english[unit_id])
        if problem is None:
            units[unit_id] = Entry(text, line)
        else:
            where = _where(path, line, unit_id)
            problems.add(where, f"{problem}; unit {unit_id!r} skipped", "units skipped")
    _drop_stray_anchors(units, path, problems)
    problems.report()
    reviewed = source.trusted and is_reviewed(headers)
    return Catalog(locale, source.origin, path, reviewed, units, validated)


def _drop_stray_anchors(units: dict[str, Entry], path: str, problems: _Problems) -> None:
    for target, anchor_ids in note_anchors().items():
        if target not in units:
            continue
        for anchor_id in anchor_ids:
            anchor = units.get(anchor_id)
            if anchor is not None and anchor.text not in units[target].text:
                problems.add(
                    _where(path, anchor.line, anchor_id),
                    f"the quote does not occur in the translation of {target!r}; "
                    f"unit {anchor_id!r} skipped",
                    "units skipped",
                )
                del units[anchor_id]


def _where(path: str, line: int | None, unit_id: str) -> str:
    return f"{path}:{line}" if line is not None else f"{path} ({unit_id})"


def _shown_path(resource: Traversable) -> str:
    return str(resource)
