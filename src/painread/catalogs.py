"""What is installed: the translation catalogs, and which of them serves a locale.

Three origins can supply a locale: catalogs bundled with painread, plugins
(entry-point group ``painread.translations``, discovered on first need) and
directories a host registers with [`add_translations`][painread.add_translations], each laid
out as ``<dir>/<locale>/LC_MESSAGES/painread.po`` (or ``.mo``). A folder or
plugin that cannot be used is skipped with a warning; English cannot be overridden.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from functools import partial
from itertools import count, islice
from pathlib import Path
from typing import TypeVar, Union

from painread._files import CATALOG_NAME, data
from painread.errors import CatalogError, InvalidLocaleError
from painread.locales import (
    SOURCE_LOCALE,
    candidate_chain,
    is_source,
    language_of,
    parse_locale,
    ranked_preferences,
)
from painread.translation import Catalog, TranslationSource, Traversable, read_catalog, warn

ENTRY_POINT_GROUP = "painread.translations"
BUNDLED_ORIGIN = "bundled"
TRANSLATIONS_VARIABLE = "PAINREAD_TRANSLATIONS"
"""Directories to register as [`add_translations`][painread.add_translations] would, separated
by ``os.pathsep``; the first comes first, as in ``PATH``."""
DISABLE_PLUGINS_VARIABLE = "PAINREAD_DISABLE_PLUGINS"
"""Set (to anything but an empty string) to ignore installed translation plugins."""
MAX_LOCALE_DIRS = 5_000
_CACHED_LOCALES = 64
_CACHED_CHAINS = 4096

TranslationRoot = Union[str, "os.PathLike[str]", Traversable]
"""A directory of catalogs: a path, or a Traversable from `importlib.resources`."""

_T = TypeVar("_T")
_Folders = tuple[tuple[TranslationSource, Traversable], ...]
_generations = count(1)
_loading_plugin: ContextVar[str | None] = ContextVar("painread_loading_plugin", default=None)
"""The plugin whose entry point is running, while it runs."""


class Registry:
    """Every translation source, the catalogs read from them, and what they serve.

    Sources come registered (latest first), plugins (by entry-point name), bundled:
    "Precedence between origins" in ``docs/locales.md``. Answers are remembered
    (bounded) until the sources change.
    """

    _index: dict[str, _Folders] | None
    _languages: dict[str, tuple[str, ...]] | None
    _reading: dict[str, threading.Lock]
    _catalogs: OrderedDict[str, tuple[Catalog, ...]]
    _serving: dict[str, bool]
    _chains: dict[str, tuple[str, ...]]

    def __init__(
        self,
        bundled: TranslationSource,
        *,
        plugins: bool = True,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._bundled = bundled
        self._registered: list[TranslationSource] = []
        self._plugins: tuple[TranslationSource, ...] | None = None if plugins else ()
        self._from_environment = (environment or {}).get(TRANSLATIONS_VARIABLE, "")
        self._changed()

    def add(self, directory: TranslationRoot) -> None:
        """Register a directory ahead of every other origin (not while a plugin loads)."""
        root = _as_traversable(directory, "add_translations()")
        if not root.is_dir():
            raise CatalogError("not a directory", path=str(root))
        plugin = _loading_plugin.get()
        if plugin is not None:  # it would vouch for its own catalogs
            warn(
                f"{plugin} called add_translations({str(root)!r}) while being loaded; a plugin "
                "cannot register directories (its catalogs count as the plugin's); ignored"
            )
            return
        _warn_if_no_catalogs(root)
        source = TranslationSource(f"registered:{root}", root, trusted=True)
        with self._lock:
            self._registered = [source, *(s for s in self._registered if s.origin != source.origin)]
            self._changed()

    def sources(self) -> tuple[TranslationSource, ...]:
        """Every source, highest precedence first."""
        with self._lock:
            if self._from_environment:  # behind the directories of calls made before
                value, self._from_environment = self._from_environment, ""
                called, self._registered = self._registered, []
                for entry in reversed([entry for entry in value.split(os.pathsep) if entry]):
                    try:
                        self.add(entry)
                    except CatalogError as exc:  # a variable is no call to catch errors from
                        warn(f"{TRANSLATIONS_VARIABLE}: {exc}; skipped")
                self._registered = [*called, *(s for s in self._registered if s not in called)]
            if self._plugins is None:
                self._plugins = tuple(_discover_plugins())
            return (*self._registered, *self._plugins, self._bundled)

    def locales(self) -> tuple[str, ...]:
        """Every locale some source has a catalog file for (read or not)."""
        return tuple(self._indexed())

    def catalogs(self, locale: str) -> tuple[Catalog, ...]:
        """The readable catalogs of one locale, highest precedence first, read once.

        A slow catalog holds up only the callers of its own locale.
        """
        with self._lock:
            if locale in self._catalogs:
                self._catalogs.move_to_end(locale)
                return self._catalogs[locale]
            folders, generation = self._indexed().get(locale), self.generation
            if not folders:
                return ()
            reading = self._reading.setdefault(locale, threading.Lock())
        with reading:
            with self._lock:
                if locale in self._catalogs and self.generation == generation:
                    return self._catalogs[locale]  # read by the caller it waited for
            read = (
                _isolated(
                    source,
                    f"{folder!s}: cannot read",
                    partial(read_catalog, source, locale, folder),
                )
                for source, folder in folders
            )
            found = tuple(catalog for catalog in read if catalog is not None)
            with self._lock:
                if self.generation == generation:
                    self._catalogs[locale] = found
                    if len(self._catalogs) > _CACHED_LOCALES:
                        self._catalogs.popitem(last=False)
        return found

    def serves(self, locale: str) -> bool:
        """Whether any catalog of ``locale`` has a usable unit."""
        return locale == SOURCE_LOCALE or self._remembered(
            self._serving, locale, lambda: any(catalog.units for catalog in self.catalogs(locale))
        )

    def served_chain(self, locale: str) -> tuple[str, ...]:
        """The installed locales that will serve ``locale``, best first, then English."""
        return self._remembered(
            self._chains,
            locale,
            lambda: tuple(filter(self.serves, candidate_chain(locale, self._siblings(locale)))),
        )

    def _remembered(self, cache: dict[str, _T], key: str, work: Callable[[], _T]) -> _T:
        """``cache[key]``, else ``work()`` (done unlocked) kept unless the sources changed since."""
        found = cache.get(key)
        if found is None:
            generation = self.generation
            found = work()
            with self._lock:
                if self.generation == generation:
                    if len(cache) >= _CACHED_CHAINS:
                        cache.clear()
                    cache[key] = found
        return found

    def _siblings(self, locale: str) -> tuple[str, ...]:
        """The installed locales of ``locale``'s language, indexed so as not to scan them all."""
        with self._lock:
            if self._languages is None:
                languages: dict[str, list[str]] = {}
                for code in self._indexed():
                    languages.setdefault(language_of(code), []).append(code)
                self._languages = {language: tuple(codes) for language, codes in languages.items()}
            return self._languages.get(language_of(locale), ())

    def _indexed(self) -> dict[str, _Folders]:
        with self._lock:
            if self._index is None:
                index: dict[str, _Folders] = {}
                for source in self.sources():
                    where = f"{source.origin} ({source.root!s}): cannot list"
                    for locale, folder in _isolated(source, where, partial(_scan, source)) or ():
                        index[locale] = (*index.get(locale, ()), (source, folder))
                self._index = index
            return self._index

    def _changed(self) -> None:
        self._index = self._languages = None
        self._reading, self._catalogs = {}, OrderedDict()
        self._serving, self._chains = {}, {}
        self.generation = next(_generations)


def _as_traversable(root: object, what: str) -> Traversable:
    if isinstance(root, (str, os.PathLike)):
        return Path(os.fspath(root))
    if all(hasattr(root, name) for name in ("iterdir", "joinpath", "is_dir", "read_bytes")):
        return root  # type: ignore[return-value]
    raise CatalogError(
        f"expected a directory (str, os.PathLike or Traversable), got {type(root).__name__}",
        path=what,
    )


def _warn_if_no_catalogs(root: Traversable) -> None:
    """Warn of a directory registered one level too deep (``locales/fr``), the usual slip."""
    try:
        if any(_has_catalog(folder) for folder in islice(root.iterdir(), MAX_LOCALE_DIRS)):
            return
        nested = (root / "LC_MESSAGES").is_dir()
    except OSError:
        return  # reported when the directory is indexed
    expected = f"<locale>/LC_MESSAGES/{CATALOG_NAME}.po (or .mo)"
    hint = "; it looks like one locale's folder: register the directory above it" if nested else ""
    warn(f"{root}: no catalogs found, expected {expected} inside{hint}")


def _has_catalog(folder: Traversable) -> bool:
    messages = folder / "LC_MESSAGES"
    try:
        return any((messages / f"{CATALOG_NAME}.{ext}").is_file() for ext in ("po", "mo"))
    except OSError:
        return False


def _isolated(source: TranslationSource, where: str, run: Callable[[], _T]) -> _T | None:
    """``run()``, or a warning and ``None`` when a plugin's own Traversable fails (in any way).

    Failures of paths are painread's own and must stay visible.
    """
    if isinstance(source.root, Path):
        return run()
    try:
        return run()
    except KeyboardInterrupt:  # what the user asked for; a plugin's SystemExit is contained
        raise
    except BaseException as exc:  # a plugin's own code failing must not break painread
        warn(f"{where}: {_failure(exc)}; skipped")
        return None


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _scan(source: TranslationSource) -> list[tuple[str, Traversable]]:
    """The source's locale folders, listed whole, so a failure half-way indexes none."""
    try:
        folders = sorted(source.root.iterdir(), key=lambda folder: folder.name)
    except OSError as exc:
        warn(f"{source.root!s}: cannot list: {exc.strerror or exc}; skipped")
        return []
    if len(folders) > MAX_LOCALE_DIRS:
        warn(f"{source.root!s}: more than {MAX_LOCALE_DIRS} entries; the rest skipped")
    found: dict[str, Traversable] = {}
    english: list[str] = []
    for folder in folders[:MAX_LOCALE_DIRS]:
        if not _has_catalog(folder):
            continue
        try:
            locale = parse_locale(folder.name)
        except InvalidLocaleError as exc:
            warn(f"{folder!s}: {exc}; skipped")
            continue
        if is_source(locale):
            english.append(folder.name)
        else:
            found.setdefault(locale, folder)
    if english:
        warn(
            f"{source.origin} ({source.root!s}): English is the source and cannot be "
            f"replaced; catalogs for the source language skipped: {', '.join(english)}"
        )
    return list(found.items())


def _discover_plugins() -> Iterator[TranslationSource]:
    from importlib.metadata import entry_points

    try:
        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # broken metadata of some other installed distribution
        warn(f"translation plugins cannot be listed ({_failure(exc)}); none used")
        return
    for entry_point in found:
        shown = f"translation plugin {entry_point.name!r} ({entry_point.value})"
        loading = _loading_plugin.set(shown)
        try:
            root = _as_traversable(entry_point.load()(), shown)
            usable = root.is_dir()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a plugin's own code failing must not break painread
            warn(f"{shown} failed: {_failure(exc)}; skipped")
            continue
        finally:
            _loading_plugin.reset(loading)
        if not usable:
            warn(f"{shown} returned {str(root)!r}, which is not a directory; skipped")
            continue
        yield TranslationSource(f"plugin:{entry_point.name}", root)


def _bundled() -> TranslationSource:
    return TranslationSource(BUNDLED_ORIGIN, data() / "locales", trusted=True, packaged=True)


_registry = Registry(
    _bundled(),
    plugins=not os.environ.get(DISABLE_PLUGINS_VARIABLE),
    environment={TRANSLATIONS_VARIABLE: os.environ.get(TRANSLATIONS_VARIABLE, "")},
)


def registry() -> Registry:
    """The process-wide registry."""
    return _registry


def generation() -> int:
    """A number that changes whenever the set of translations changes."""
    return _registry.generation


def served_chain(locale: str) -> tuple[str, ...]:
    """The installed locales that will serve ``locale`` (a canonical code), then English."""
    return (SOURCE_LOCALE,) if is_source(locale) else _registry.served_chain(locale)


def negotiate(preferences: str | Iterable[str] | None) -> str:
    """The best installed locale for an ``Accept-Language`` header or a list of tags.

    Entries are taken by q-value (ties keep their order); malformed entries, unknown
    locales and ``*`` are ignored, and only the first `MAX_PREFERENCES` are read. A
    preference that no installed locale can serve is skipped, so
    ``"fr-CA;q=0.9, de;q=0.8"`` gives ``"de"`` when French is not installed.

    Returns:
        A canonical code from [`painread.available_locales`][]; ``"en"`` when
        nothing better matches.
    """
    for preference in ranked_preferences(preferences):
        try:
            locale = parse_locale(preference)
        except InvalidLocaleError:
            continue
        if is_source(locale):  # English needs no catalog, so no plugin is looked for
            return SOURCE_LOCALE
        if (served := _registry.served_chain(locale)[0]) != SOURCE_LOCALE:
            return served
    return SOURCE_LOCALE


def available_locales() -> tuple[str, ...]:
    """Sorted codes of every locale painread can serve, ``"en"`` included.

    A locale counts when at least one of its catalogs (bundled, plugin or
    registered) is readable and has a usable unit.
    """
    return tuple(sorted({SOURCE_LOCALE, *filter(_registry.serves, _registry.locales())}))


def add_translations(directory: TranslationRoot) -> None:
    """Register a directory of catalogs (``<locale>/LC_MESSAGES/painread.po`` or ``.mo``).

    Registered catalogs take precedence over plugins and bundled ones, unit by
    unit; the latest registration comes first. The host vouches for a
    registered directory, so its ``X-Painread-Reviewed: yes`` is honoured,
    unlike a plugin's. Directories listed in ``PAINREAD_TRANSLATIONS`` are
    registered the same way before the first translation is looked up.

    Example:
        With catalogs at ``locales/fr/LC_MESSAGES/painread.po``, register
        ``locales``, the directory that holds the locale folders:

            painread.add_translations("locales")
            painread.load("fr")

    Warns:
        PainreadWarning: if ``directory`` holds no
            ``<locale>/LC_MESSAGES/painread.po`` (or ``.mo``), so a directory
            registered one level too deep does not go unnoticed.

    Raises:
        CatalogError: if ``directory`` is not a directory.
    """
    _registry.add(directory)
