"""One catalog's translated units: reading an MO or PO file, and the checks each unit must pass.

Catalogs from plugins and registered directories are untrusted text. A catalog
that cannot be read, or a unit that fails :func:`unit_problem`, is skipped with
one :class:`~painread.errors.PainreadWarning` naming the file and line. Only
units of the current source can be served (the ``msgid`` must equal today's
English text), so no catalog can change the English source.
"""

from __future__ import annotations

import gettext
import io
import re
import string
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The standard library's resources API: the same Traversables as the
# importlib_resources backport, without its extra modules.
if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable as Traversable
else:
    from importlib.abc import Traversable as Traversable

from painread._files import CATALOG_NAME as CATALOG_NAME
from painread._files import SOURCE_HEADER, VALIDATED_HEADER, source_digest
from painread.errors import CatalogError, PainreadWarning

DISCLAIMER_UNIT = "disclaimer.text"
MAX_UNIT_CHARS = 100_000
"""Longer translated units are refused: the longest English one has about 2,000."""
MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""Catalogs larger than this are refused unread: a whole translation is about 40 KB."""
REVIEWED_HEADER = "X-Painread-Reviewed"
"""The PO header field that says whether a medical translator reviewed the catalog."""

_NO_HEADER = 'no header entry (msgid ""), so no declared charset or language'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    gated: bool = False
    """Whether its MO files' :data:`VALIDATED_HEADER` is honoured (the bundled catalogs only)."""

    def confine(self, resource: Traversable) -> bool:
        """Whether ``resource`` stays inside the root (symlinks are followed to check)."""
        if not isinstance(resource, Path) or not isinstance(self.root, Path):
            return True
        try:
            return resource.resolve().is_relative_to(self.root.resolve())
        except (OSError, RuntimeError):
            return False


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


def unit_problem(unit_id: str, text: str, english: str) -> str | None:
    """Why a translated unit cannot be served, or ``None`` if it can.

    Labels (``ui.*``) are formatted with ``str.format``, so a translation must
    use exactly the English placeholders, with no format spec or conversion
    that could be abused (``{date.__class__}``, ``{date:>99999999}``).
    """
    if not text.strip():
        return "the translation is blank"
    if len(text) > MAX_UNIT_CHARS:
        return f"the translation is longer than {MAX_UNIT_CHARS} characters"
    if _CONTROL.search(text):
        return "the translation contains a control character"
    if unit_id.startswith("ui.") or "{" in english:
        expected, found = _placeholders(english), _placeholders(text)
        if found != expected:
            return f"placeholders {_shown(found)} do not match the English {_shown(expected)}"
    return None


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


def _placeholders(text: str) -> tuple[str, ...] | None:
    try:
        parsed = [(n, c, f) for _, n, f, c in string.Formatter().parse(text) if n is not None]
    except ValueError:
        return None
    return tuple(
        sorted(f"{{{n}{f'!{c}' if c else ''}{f':{f}' if f else ''}}}" for n, c, f in parsed)
    )


def _shown(fields: tuple[str, ...] | None) -> str:
    if fields is None:
        return "(unbalanced braces)"
    return ", ".join(fields) if fields else "(none)"


def warn(message: str) -> None:
    """Report a problem painread worked around."""
    warnings.warn(message, PainreadWarning, stacklevel=3)


def read_catalog(source: TranslationSource, locale: str, folder: Traversable) -> Catalog | None:
    """The usable units of one locale folder, or ``None`` (with a warning) if unreadable.

    The MO file is read unless the PO file beside it changed after it was
    compiled; then the PO file is, so an edit shows at once.
    """
    messages = folder / "LC_MESSAGES"
    po, mo = messages / f"{CATALOG_NAME}.po", messages / f"{CATALOG_NAME}.mo"
    has_po = po.is_file()
    if mo.is_file():
        mo_path = str(mo)
        try:
            headers, units = parse_mo(_read(source, mo), path=mo_path)
        except CatalogError as exc:
            if not has_po:
                warn(f"{exc}; catalog skipped")
                return None
            warn(f"{exc}; reading {po!s} instead")
        else:
            if not has_po or _compiled_from(source, headers, mo, po):
                found = {unit: (text, None) for unit, text in units.items()}
                gated = source.gated and headers.get(VALIDATED_HEADER.lower()) == source_hash()
                return _catalog(source, locale, mo_path, headers, found, validated=gated)
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
    if not source.confine(resource):
        raise CatalogError("leads outside its translation directory", path=str(resource))
    return read_catalog_bytes(resource)


def read_catalog_bytes(resource: Traversable) -> bytes:
    """The bytes of a catalog file, refusing one over :data:`MAX_CATALOG_BYTES` unread.

    Raises:
        CatalogError: naming the file, if it is too large or cannot be read.
    """
    path = str(resource)
    try:
        if isinstance(resource, Path) and resource.stat().st_size > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=path)
        data = resource.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=path)
    return data


class _Absent(gettext.NullTranslations):
    """Answers every lookup with one marker, so a missing entry is told from a copy."""

    MARKER = "\x00absent\x00"

    def pgettext(self, context: str, message: str) -> str:
        return self.MARKER


def parse_mo(data: bytes, *, path: str) -> tuple[dict[str, str], dict[str, str]]:
    """The header fields (names lower-cased) and non-empty translated units of an MO file.

    Shared with ``painread i18n check``, so both refuse the same files; raises
    CatalogError, naming ``path``, if the bytes are not a valid MO file.
    """
    try:
        translations = gettext.GNUTranslations(io.BytesIO(data))
    except Exception as exc:  # untrusted bytes: any parser failure means unusable
        raise CatalogError(f"not a valid MO file ({exc})", path=path) from exc
    translations.add_fallback(_Absent())
    units = {}
    for unit_id, english in source_texts().items():
        text = translations.pgettext(unit_id, english)
        if text is not _Absent.MARKER and text:
            units[unit_id] = text
    headers = {name.lower(): str(value) for name, value in translations.info().items()}
    return headers, units


def catalog_from_po(source: TranslationSource, locale: str, po: Traversable) -> Catalog:
    """One locale's catalog read from its PO file, whatever MO file lies beside it.

    Raises:
        CatalogError: naming the file and line, if the file cannot be read or parsed.
    """
    return _from_po(source, locale, po)


def _from_po(source: TranslationSource, locale: str, resource: Traversable) -> Catalog:
    from painread._pofile import parse_po

    path = str(resource)
    parsed = parse_po(_read(source, resource), path=path)
    if parsed.header_line is None:
        raise CatalogError(_NO_HEADER, path=path, line=1)
    english = source_texts()
    found: dict[str, tuple[str, int | None]] = {}
    for message in parsed:
        if message.id == "":
            continue
        context = message.context
        if not isinstance(message.id, str):
            warn(f"{path}:{message.lineno}: plural entries are not used by painread; skipped")
        elif context not in english:
            warn(f"{path}:{message.lineno}: unknown msgctxt {context!r}; entry skipped")
        elif not message.fuzzy and message.id == english[context] and message.string:
            found[context] = (str(message.string), message.lineno)
        elif context == DISCLAIMER_UNIT and message.id == english[context]:
            warn(f"{path}:{message.lineno}: {_unusable_disclaimer(message.fuzzy)}")
    for duplicate in parsed.duplicates:
        warn(f"{path}:{duplicate.lineno}: duplicate entry {duplicate.context!r}; first one used")
    return _catalog(source, locale, path, parsed.headers, found)


def _unusable_disclaimer(fuzzy: bool) -> str:
    state = "marked fuzzy" if fuzzy else "not translated"
    return f"the disclaimer is {state}; the next locale's disclaimer is served"


def _catalog(
    source: TranslationSource,
    locale: str,
    path: str,
    headers: Mapping[str, str],
    found: Mapping[str, tuple[str, int | None]],
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
            warn(f"{_where(path, line, unit_id)}: {problem}; unit {unit_id!r} skipped")
    _drop_stray_anchors(units, path)
    reviewed = source.trusted and is_reviewed(headers)
    return Catalog(locale, source.origin, path, reviewed, units, validated)


def _drop_stray_anchors(units: dict[str, Entry], path: str) -> None:
    for target, anchor_ids in note_anchors().items():
        if target not in units:
            continue
        for anchor_id in anchor_ids:
            anchor = units.get(anchor_id)
            if anchor is not None and anchor.text not in units[target].text:
                warn(
                    f"{_where(path, anchor.line, anchor_id)}: the quote does not occur in "
                    f"the translation of {target!r}; unit {anchor_id!r} skipped"
                )
                del units[anchor_id]


def _where(path: str, line: int | None, unit_id: str) -> str:
    return f"{path}:{line}" if line is not None else f"{path} ({unit_id})"
