"""Translation catalogs: where they come from, how they are read, what they may serve.

Three origins can supply a locale: catalogs bundled with painread, plugins
(entry-point group ``painread.translations``, discovered on first need) and
directories a host registers with :func:`add_translations`. Each is laid out
as ``<dir>/<locale>/LC_MESSAGES/painread.po`` (or ``.mo``).

Catalogs from plugins and registered directories are untrusted text. A catalog
that cannot be read, or a unit that fails the checks in :func:`unit_problem`,
is skipped with one :class:`~painread.errors.PainreadWarning` naming the file
and line; nothing else stops working. Only units of the current source can be
served (the ``msgid`` must equal today's English text), so no catalog can
change the English source, and the English locale itself cannot be overridden.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import string
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import count
from pathlib import Path
from typing import TypeVar, Union

# The standard library's resources API, as in painread.content: the same
# Traversables as the importlib_resources backport, without its extra modules.
if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

from painread._mo_source import SOURCE_HEADER, source_digest
from painread.errors import CatalogError, InvalidLocaleError, PainreadWarning
from painread.locales import SOURCE_LOCALE, candidate_chain, language_of, parse_locale

__all__ = [
    "DISCLAIMER_UNIT",
    "ENTRY_POINT_GROUP",
    "MAX_CATALOG_BYTES",
    "MAX_UNIT_CHARS",
    "REVIEWED_HEADER",
    "Catalog",
    "Entry",
    "Registry",
    "TranslationSource",
    "Traversable",
    "add_translations",
    "anchors_fit",
    "available_locales",
    "generation",
    "is_reviewed",
    "negotiate",
    "note_anchors",
    "parse_mo",
    "registry",
    "served_chain",
    "source_texts",
    "unit_problem",
    "warn",
]

ENTRY_POINT_GROUP = "painread.translations"
DISCLAIMER_UNIT = "disclaimer.text"
CATALOG_NAME = "painread"
MAX_UNIT_CHARS = 100_000
"""Longer translated units are refused: the longest English one has about 2,000."""
MAX_LOCALE_DIRS = 5_000
MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""Catalogs larger than this are refused unread: a whole translation is about 40 KB."""
REVIEWED_HEADER = "X-Painread-Reviewed"
"""The PO header field that says whether a medical translator reviewed the catalog."""
_CACHED_LOCALES = 64
_CACHED_NEGOTIATIONS = 256
_CACHED_CHAINS = 4096

TranslationRoot = Union[str, "os.PathLike[str]", Traversable]
"""A directory of catalogs: a path, or a Traversable from :mod:`importlib.resources`."""

_NO_HEADER = 'no header entry (msgid ""), so no declared charset or language'
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_generations = count(1)


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


@dataclass(frozen=True)
class TranslationSource:
    """A directory of catalogs and the origin it is reported as."""

    origin: str
    root: Traversable
    trusted: bool = False

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
    from painread.content import source_document, source_units

    document = source_document()
    anchors: dict[str, list[str]] = {}
    for note in document["notes"]:
        anchors.setdefault(note["target"], []).append(note["anchor"]["id"])
    return source_units(document), {target: tuple(ids) for target, ids in anchors.items()}


def source_texts() -> dict[str, str]:
    """Unit id -> current English text, in document order."""
    return _source()[0]


def note_anchors() -> dict[str, tuple[str, ...]]:
    """Target unit id -> the ids of the note anchors quoted from it."""
    return _source()[1]


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
        fields = [
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
            for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError:
        return None
    return tuple(sorted(fields))


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
                return _catalog(source, locale, mo_path, headers, found)
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
    path = _shown_path(resource)
    if not source.confine(resource):
        raise CatalogError("leads outside its translation directory", path=path)
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

    Shared by the run-time reader and ``painread i18n check``, so both refuse
    the same files.

    Raises:
        CatalogError: naming ``path``, if the bytes are not a valid MO file.
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


def _from_po(source: TranslationSource, locale: str, resource: Traversable) -> Catalog:
    from painread._pofile import parse_po

    path = _shown_path(resource)
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
    return Catalog(locale, source.origin, path, reviewed, units)


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


def _shown_path(resource: Traversable) -> str:
    return str(resource)


def _as_traversable(root: object, what: str) -> Traversable:
    if isinstance(root, (str, os.PathLike)):
        return Path(os.fspath(root))
    if all(hasattr(root, name) for name in ("iterdir", "joinpath", "is_dir", "read_bytes")):
        return root  # type: ignore[return-value]
    raise CatalogError(
        f"expected a directory (str, os.PathLike or Traversable), got {type(root).__name__}",
        path=what,
    )


class Registry:
    """Every translation source, and the catalogs loaded from them (bounded cache).

    Precedence, per unit and per locale: directories registered with
    :func:`add_translations` (the latest first), then plugins (by entry-point
    name), then the bundled catalogs. A unit missing from one origin falls
    through to the next origin of the same locale before the next locale.
    """

    def __init__(self, bundled: TranslationSource | None = None) -> None:
        self._lock = threading.RLock()
        self._bundled = bundled
        self._registered: list[TranslationSource] = []
        self._plugins: tuple[TranslationSource, ...] | None = None
        self._index: dict[str, tuple[tuple[TranslationSource, Traversable], ...]] | None = None
        self._catalogs: OrderedDict[str, tuple[Catalog, ...]] = OrderedDict()
        self._negotiated: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._languages: dict[str, tuple[str, ...]] | None = None
        self._serving: dict[str, bool] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self.generation = next(_generations)

    def add(self, directory: TranslationRoot) -> TranslationSource:
        """Register a directory ahead of every other origin."""
        root = _as_traversable(directory, "add_translations()")
        shown = _shown_path(root)
        if not root.is_dir():
            raise CatalogError("not a directory", path=shown)
        source = TranslationSource(f"registered:{shown}", root, trusted=True)
        with self._lock:
            self._registered = [source, *(s for s in self._registered if s.origin != source.origin)]
            self._changed()
        return source

    def sources(self) -> tuple[TranslationSource, ...]:
        """Every source, highest precedence first."""
        with self._lock:
            if self._plugins is None:
                self._plugins = tuple(_discover_plugins())
            bundled = (self._bundled,) if self._bundled is not None else ()
            return (*self._registered, *self._plugins, *bundled)

    def locales(self) -> tuple[str, ...]:
        """Every locale some source has a catalog file for (read or not)."""
        return tuple(self._indexed())

    def catalogs(self, locale: str) -> tuple[Catalog, ...]:
        """The readable catalogs of one locale, highest precedence first."""
        with self._lock:
            if locale in self._catalogs:
                self._catalogs.move_to_end(locale)
                return self._catalogs[locale]
            folders = self._indexed().get(locale)
            if not folders:
                return ()
            found = tuple(
                catalog
                for source, folder in folders
                if (catalog := _read_isolated(source, locale, folder)) is not None
            )
            self._catalogs[locale] = found
            if len(self._catalogs) > _CACHED_LOCALES:
                self._catalogs.popitem(last=False)
            return found

    def serves(self, locale: str) -> bool:
        """Whether any catalog of ``locale`` has at least one usable unit.

        Remembered per locale until the sources change: the catalogs of 1,000
        locales do not fit the catalog cache, and negotiation asks again and again.
        """
        if locale == SOURCE_LOCALE:
            return True
        known = self._serving.get(locale)
        if known is None:
            generation = self.generation
            known = any(catalog.units for catalog in self.catalogs(locale))
            self._keep(self._serving, locale, known, generation)
        return known

    def available(self) -> tuple[str, ...]:
        """Sorted codes of every locale that can be served, English included."""
        return tuple(sorted({SOURCE_LOCALE, *filter(self.serves, self._indexed())}))

    def served_chain(self, locale: str) -> tuple[str, ...]:
        """The installed locales that will serve ``locale``, best first, then English.

        Remembered per locale until the sources change, so a negotiation costs a
        few dictionary lookups per preference, whatever the number of locales.
        """
        chain = self._chains.get(locale)
        if chain is None:
            generation = self.generation
            candidates = candidate_chain(locale, self._same_language(locale))
            chain = tuple(code for code in candidates if self.serves(code))
            self._keep(self._chains, locale, chain, generation)
        return chain

    def _keep(self, cache: dict[_Key, _Value], key: _Key, value: _Value, generation: int) -> None:
        """Remember an answer worked out for ``generation``, unless the sources changed since.

        Answers are worked out without the lock (they may need Babel); one that
        raced a registration would describe the old sources, so it is dropped.
        """
        with self._lock:
            if self.generation != generation:
                return
            if len(cache) >= _CACHED_CHAINS:
                cache.clear()
            cache[key] = value

    def negotiate(self, preferences: tuple[str, ...]) -> str:
        """The best served locale for preferences already ordered by weight."""
        with self._lock:
            generation = self.generation
            if preferences in self._negotiated:
                return self._negotiated[preferences]
        chosen = self._negotiate(preferences)
        with self._lock:
            if self.generation != generation:
                return chosen
            self._negotiated[preferences] = chosen
            if len(self._negotiated) > _CACHED_NEGOTIATIONS:
                self._negotiated.popitem(last=False)
        return chosen

    def _negotiate(self, preferences: tuple[str, ...]) -> str:
        for preference in preferences:
            try:
                locale = parse_locale(preference)
            except InvalidLocaleError:
                continue
            served = self.served_chain(locale)[0]
            if served != SOURCE_LOCALE or language_of(locale) == SOURCE_LOCALE:
                return served
        return SOURCE_LOCALE

    def _same_language(self, locale: str) -> tuple[str, ...]:
        """The installed locales of ``locale``'s language: its only possible siblings."""
        with self._lock:
            if self._languages is None:
                by_language: dict[str, list[str]] = {}
                for code in self._indexed():
                    by_language.setdefault(language_of(code), []).append(code)
                self._languages = {lang: tuple(codes) for lang, codes in by_language.items()}
            return self._languages.get(language_of(locale), ())

    def _indexed(self) -> dict[str, tuple[tuple[TranslationSource, Traversable], ...]]:
        with self._lock:
            if self._index is None:
                index: dict[str, list[tuple[TranslationSource, Traversable]]] = {}
                for source in self.sources():
                    for locale, folder in _scan_isolated(source):
                        index.setdefault(locale, []).append((source, folder))
                self._index = {locale: tuple(found) for locale, found in index.items()}
            return self._index

    def _changed(self) -> None:
        self._index = None
        self._languages = None
        self._catalogs.clear()
        self._negotiated.clear()
        self._serving.clear()
        self._chains.clear()
        self.generation = next(_generations)


def _third_party(source: TranslationSource) -> bool:
    """Whether the source's directory object runs code painread does not own.

    A plugin may hand over any Traversable (a zip archive, its own class); its
    methods can fail with any exception, not only :class:`OSError`. Paths are
    painread's own (pathlib) code, whose unexpected failures must stay visible.
    """
    return not isinstance(source.root, Path)


def _read_isolated(source: TranslationSource, locale: str, folder: Traversable) -> Catalog | None:
    """:func:`read_catalog`, with a third-party Traversable's own failure turned into a warning."""
    if not _third_party(source):
        return read_catalog(source, locale, folder)
    try:
        return read_catalog(source, locale, folder)
    except Exception as exc:  # a plugin's own code failing must not break painread
        warn(f"{_shown_path(folder)}: cannot read: {type(exc).__name__}: {exc}; catalog skipped")
        return None


def _scan_isolated(source: TranslationSource) -> list[tuple[str, Traversable]]:
    """:func:`_scan`, with a third-party Traversable's own failure skipping that source.

    The listing is gathered whole before use, so a failure half-way leaves no
    half-indexed source behind.
    """
    if not _third_party(source):
        return list(_scan(source))
    try:
        return list(_scan(source))
    except Exception as exc:  # a plugin's own code failing must not break painread
        shown = f"{source.origin} ({_shown_path(source.root)})"
        warn(f"{shown}: cannot list: {type(exc).__name__}: {exc}; skipped")
        return []


def _scan(source: TranslationSource) -> Iterator[tuple[str, Traversable]]:
    seen: set[str] = set()
    try:
        folders = sorted(source.root.iterdir(), key=lambda folder: folder.name)
    except OSError as exc:
        warn(f"{_shown_path(source.root)}: cannot list: {exc.strerror or exc}; skipped")
        return
    if len(folders) > MAX_LOCALE_DIRS:
        warn(f"{_shown_path(source.root)}: more than {MAX_LOCALE_DIRS} entries; the rest skipped")
    for folder in folders[:MAX_LOCALE_DIRS]:
        locale = _locale_folder(source, folder)
        if locale is not None and locale not in seen:
            seen.add(locale)
            yield locale, folder


def _locale_folder(source: TranslationSource, folder: Traversable) -> str | None:
    messages = folder / "LC_MESSAGES"
    try:
        if not any((messages / f"{CATALOG_NAME}.{ext}").is_file() for ext in ("po", "mo")):
            return None
    except OSError:
        return None
    try:
        locale = parse_locale(folder.name)
    except InvalidLocaleError as exc:
        warn(f"{_shown_path(folder)}: {exc}; skipped")
        return None
    if locale == SOURCE_LOCALE:
        warn(f"{_shown_path(folder)}: English is the source and cannot be replaced; skipped")
        return None
    return locale


def _discover_plugins() -> Iterator[TranslationSource]:
    from importlib.metadata import entry_points

    try:
        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    except Exception as exc:  # broken metadata of some other installed distribution
        warn(f"translation plugins cannot be listed ({type(exc).__name__}: {exc}); none used")
        return
    for entry_point in found:
        shown = f"translation plugin {entry_point.name!r} ({entry_point.value})"
        try:
            root = _as_traversable(entry_point.load()(), shown)
            usable = root.is_dir()
        except Exception as exc:  # a plugin's own code failing must not break painread
            warn(f"{shown} failed: {type(exc).__name__}: {exc}; skipped")
            continue
        if not usable:
            warn(f"{shown} returned {_shown_path(root)!r}, which is not a directory; skipped")
            continue
        yield TranslationSource(f"plugin:{entry_point.name}", root)


def _bundled() -> TranslationSource:
    return TranslationSource("bundled", files("painread") / "data" / "locales", trusted=True)


_registry = Registry(_bundled())


def registry() -> Registry:
    """The process-wide registry."""
    return _registry


def generation() -> int:
    """A number that changes whenever the set of translations changes."""
    return _registry.generation


def served_chain(locale: str) -> tuple[str, ...]:
    """The installed locales that will serve ``locale``, best first, then English."""
    return _registry.served_chain(locale)


def negotiate(preferences: tuple[str, ...]) -> str:
    """The best served locale for preferences already ordered by weight."""
    return _registry.negotiate(preferences)


def available_locales() -> tuple[str, ...]:
    """Sorted codes of every locale painread can serve, ``"en"`` included.

    A locale counts when at least one of its catalogs (bundled, plugin or
    registered) is readable and has a usable unit.
    """
    return _registry.available()


def add_translations(directory: TranslationRoot) -> None:
    """Register a directory of catalogs (``<locale>/LC_MESSAGES/painread.po`` or ``.mo``).

    Registered catalogs take precedence over plugins and bundled ones, unit by
    unit; the latest registration comes first. The host vouches for a
    registered directory, so its ``X-Painread-Reviewed: yes`` is honoured,
    unlike a plugin's.

    Raises:
        CatalogError: if ``directory`` is not a directory.
    """
    _registry.add(directory)
