"""Translator tooling behind ``painread i18n``: extract, init, update, compile, check, stats.

Catalogs are laid out as ``pybabel`` makes them (``<dir>/<locale>/LC_MESSAGES/painread.po``);
each entry's ``msgctxt`` is a unit id and its ``msgid`` the English text. ``check`` applies
the run-time loader's rules, so a catalog that passes serves every unit it translates.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painread import __version__, _catalog_check, translation
from painread._catalog_check import PO_PATH, Problem, bidi_warnings, check, check_file, check_mo
from painread.errors import CatalogError, PainreadWarning
from painread.locales import SOURCE_LOCALE, parse_locale
from painread.translation import Traversable, source_texts

if TYPE_CHECKING:
    from painread._pofile import HeaderCatalog

__all__ = [
    "POT_FILE",
    "LocaleStats",
    "Problem",
    "bidi_warnings",
    "check",
    "check_file",
    "check_mo",
    "compile_catalogs",
    "compile_validated",
    "extract",
    "init",
    "stats",
    "template",
    "template_bytes",
    "update",
]

POT_FILE = "painread.pot"
_HEADER_COMMENT = (
    "# {what} of painread.\n"
    "# This file is distributed under the same license as the painread project."
)


@dataclass(frozen=True)
class LocaleStats:
    """How much of the source one catalog translates; fuzzy and stale never count."""

    locale: str
    path: str
    translated: int
    fuzzy: int
    stale: int
    untranslated: int
    invalid: int
    origin: str = "directory"

    @property
    def total(self) -> int:
        """Every source unit."""
        return self.translated + self.fuzzy + self.stale + self.untranslated + self.invalid


def template() -> HeaderCatalog:
    """The catalog template: one entry per unit of the current English source."""
    return _new_catalog("Translations template", copyright_holder="painread maintainers")


def _new_catalog(what: str, **headers: Any) -> HeaderCatalog:
    """A catalog of every source unit, untranslated, with comments for translators."""
    from painread._pofile import HeaderCatalog

    catalog = HeaderCatalog(
        domain=translation.CATALOG_NAME,
        header_comment=_HEADER_COMMENT.format(what=what),
        project="painread",
        version=__version__,
        fuzzy=False,
        **headers,
    )
    for unit_id, text in source_texts().items():
        catalog.add(text, "", context=unit_id, auto_comments=list(_comments(unit_id)))
    return catalog


def _comments(unit_id: str) -> Iterator[str]:
    from painread.loader import load

    yield f"origin: {load(SOURCE_LOCALE).unit(unit_id).origin.value}"
    anchored = translation.note_anchors()
    for target, anchors in anchored.items():
        if unit_id in anchors:
            yield f"quote from {target}: must occur verbatim in its translation"
    if unit_id in anchored:
        yield "quoted by " + ", ".join(anchored[unit_id]) + ": keep those quotes verbatim"
    if unit_id.startswith("ui.") and "{" in source_texts()[unit_id]:
        yield "keep every {placeholder} exactly as it is"
    if unit_id == translation.DISCLAIMER_UNIT:
        yield "the medical disclaimer: translate it in full"
    if unit_id == translation.SHORT_DISCLAIMER_UNIT:
        yield "the short disclaimer line on every printed page: translate it in full"


def extract(output: Path) -> Path:
    """Write the template (``painread.pot``) to ``output``; a CatalogError if it cannot."""
    _write(output, template())
    return output


def template_bytes() -> bytes:
    """The template as PO text."""
    from painread._pofile import po_bytes

    return po_bytes(template())


def init(locale: str, directory: Path) -> Path:
    """Start a new, empty, unreviewed catalog for ``locale`` under ``directory``.

    Raises:
        InvalidLocaleError: if ``locale`` is not a valid locale.
        CatalogError: if the catalog exists already or cannot be written.
    """
    code = parse_locale(locale)
    target = directory / code / PO_PATH
    if code == SOURCE_LOCALE:
        raise CatalogError(
            "English is the source language; there is nothing to translate", path=str(target)
        )
    if target.exists():
        raise CatalogError("exists already; use 'painread i18n update'", path=str(target))
    catalog = _new_catalog(f"{code} translation", locale=code, language_team=code)
    catalog.extra_headers = [(translation.REVIEWED_HEADER, "no")]
    _write(target, catalog)
    return target


def update(directory: Path) -> list[Path]:
    """Bring every catalog under ``directory`` in line with the current source.

    New units are added empty; a unit whose English changed keeps its translation,
    marked fuzzy (never served until reviewed) beside the previous msgid (``#|``);
    units the source no longer has become obsolete (``#~``).
    """
    pot = template()
    paths = _catalog_paths(directory)
    for po in paths:
        _write(po, _merged(_catalog_check.parse_catalog(po), pot))
    return paths


def _merged(catalog: HeaderCatalog, pot: HeaderCatalog) -> HeaderCatalog:
    from painread._pofile import HeaderCatalog

    fresh = HeaderCatalog(
        domain=translation.CATALOG_NAME, header_comment=catalog.header_comment, fuzzy=False
    )
    fresh.mime_headers = catalog.mime_headers
    fresh.project, fresh.version = pot.project, pot.version
    fresh.creation_date = pot.creation_date
    # A unit with duplicate entries keeps its first one.
    previous = {m.context: m for m in reversed([*_catalog_check.entries(catalog)])}
    for message in _catalog_check.entries(pot):
        old = previous.get(message.context)
        flags: set[str] = set()
        previous_id: tuple[str, ...] = ()
        string = ""
        if old is not None and old.string:
            string, flags = str(old.string), set(old.flags)
            if old.id != message.id:
                flags.add("fuzzy")
                previous_id = (str(old.id),)
        fresh.add(
            message.id,
            string,
            context=message.context,
            auto_comments=message.auto_comments,
            user_comments=old.user_comments if old is not None else (),
            flags=flags,
            previous_id=previous_id,
        )
    wanted = set(source_texts())
    for message in _catalog_check.entries(catalog):
        if message.context not in wanted:
            context = message.context
            fresh.obsolete[(str(message.id), context) if context else str(message.id)] = message
    return fresh


def compile_validated(po: Path, mo: Path) -> None:
    """The gate of a catalog that ships: validate it in full, then compile it, marked.

    Anything `check_file` reports, or any unit the run-time reader would skip,
    refuses the catalog; then its article is built with full validation. Only
    then is the MO file written, its `painread._files.VALIDATED_HEADER` naming
    the hash of today's English source, so the loader trusts that article
    without validating it again while the mark matches. The build hook compiles
    every bundled catalog this way.

    Raises:
        CatalogError: naming the file and line, if the catalog has a problem.
        ContentError: naming the field, if its article fails validation.
    """
    from painread._pofile import compile_po
    from painread.loader import validated_article

    problems = check_file(po)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise CatalogError(first.message + more, path=first.path, line=first.line)
    locale = parse_locale(po.parent.parent.name)
    source = translation.TranslationSource("gate", po.parent.parent.parent)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PainreadWarning)
        try:
            catalog = translation.catalog_from_po(source, locale, po)
        except PainreadWarning as exc:
            raise CatalogError(str(exc), path=str(po)) from None
    validated_article(locale, catalog)
    compile_po(po, mo, validated=translation.source_hash())


def compile_catalogs(directory: Path) -> list[Path]:
    """Compile every catalog under ``directory`` to MO beside it (fuzzy entries left out)."""
    from painread._pofile import compile_po

    compiled = []
    for po in _catalog_paths(directory):
        compile_po(po, mo := po.with_suffix(".mo"))
        compiled.append(mo)
    return compiled


def stats(directory: Path | Traversable | None = None) -> list[LocaleStats]:
    """Per catalog, how much is translated.

    Args:
        directory: The catalogs to count; ``None`` counts every origin painread
            reads (the bundled catalogs, installed plugins, directories
            registered with ``add_translations`` or ``PAINREAD_TRANSLATIONS``),
            sorted by locale, highest precedence first within a locale.

    Raises:
        CatalogError: if ``directory`` holds no catalog, or one cannot be read.
    """
    if directory is not None:
        return [_stats(po, "directory") for po in _catalog_files(directory)]
    from painread.catalogs import registry

    found = [
        (_locale_of(po), rank, source.origin, po)
        for rank, source in enumerate(registry().sources())
        for po in _po_files(source.root)
    ]
    return [_stats(po, origin) for _, _, origin, po in sorted(found, key=lambda f: f[:2])]


def _stats(po: Traversable, origin: str) -> LocaleStats:
    catalog = _catalog_check.parse_catalog(po)
    counts = dict.fromkeys(("translated", "fuzzy", "stale", "untranslated", "invalid"), 0)
    for unit_id, english in source_texts().items():
        found = [m for m in _catalog_check.entries(catalog) if m.context == unit_id]
        message = next((m for m in found if m.id == english), found[0] if found else None)
        if message is None or not message.string:
            counts["untranslated"] += 1
        elif message.fuzzy:
            counts["fuzzy"] += 1
        elif message.id != english:
            counts["stale"] += 1
        elif translation.unit_problem(unit_id, str(message.string), english) is not None:
            counts["invalid"] += 1
        else:
            counts["translated"] += 1
    return LocaleStats(locale=_locale_of(po), path=str(po), origin=origin, **counts)


def _locale_of(po: Traversable) -> str:
    folder = str(po).replace("\\", "/").split("/")[-3]
    return _catalog_check.locale_or_empty(folder) or folder


def _catalog_files(directory: Path | Traversable) -> list[Traversable]:
    if not directory.is_dir():
        raise CatalogError("not a directory", path=str(directory))
    found = _po_files(directory)
    if not found:
        raise CatalogError(f"no catalogs found (expected <locale>/{PO_PATH})", path=str(directory))
    return found


def _po_files(directory: Path | Traversable) -> list[Traversable]:
    folders = sorted(directory.iterdir(), key=lambda entry: entry.name)
    return [po for folder in folders if (po := folder / PO_PATH).is_file()]


def _catalog_paths(directory: Path) -> list[Path]:
    return [Path(str(po)) for po in _catalog_files(directory)]


def _write(target: Path, catalog: HeaderCatalog) -> None:
    from painread._pofile import po_bytes

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(po_bytes(catalog))
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=str(target)) from exc
