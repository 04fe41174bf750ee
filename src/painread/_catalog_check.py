"""What ``painread i18n check`` reports: every problem in a catalog file, with its line.

The rules are the ones the run-time loader applies (`painread._integrity`),
plus what GNU ``msgfmt --check`` rejects, so a catalog that passes serves every
unit it translates.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from painread.errors import CatalogError, InvalidLocaleError
from painread.locales import SOURCE_LOCALE, language_of, parse_locale
from painread.translation import (
    CATALOG_NAME,
    DISCLAIMER_UNITS,
    REVIEWED_HEADER,
    Traversable,
    anchors_fit,
    note_anchors,
    parse_mo,
    read_catalog_bytes,
    source_texts,
    unit_problem,
)

if TYPE_CHECKING:
    from babel.messages.catalog import Message

    from painread._pofile import HeaderCatalog

PO_PATH = f"LC_MESSAGES/{CATALOG_NAME}.po"
"""Where a locale's catalog sits in its folder, as ``pybabel`` lays it out."""

_Found = Iterator[tuple[int | None, str]]
_Usable = dict[str, "Message"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, where it is."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


def check(paths: Sequence[Path]) -> tuple[list[Problem], int]:
    """Every problem in the catalogs at ``paths`` (PO or MO files, or directories searched).

    In a directory, a catalog that is a symlink leading out of it is reported
    and not read, as the run-time loader refuses it too.

    Returns:
        The problems, in file and line order, and how many files were checked.
    """
    problems: list[Problem] = []
    files = 0
    for path in paths:
        found = _to_check(path)
        if not found:
            problems.append(Problem(str(path), None, "no PO files found"))
        for catalog in found:
            files += 1
            problems.extend(_check_one(catalog, path if path.is_dir() else None))
    return problems, files


def bidi_warnings(paths: Sequence[Path]) -> list[Problem]:
    """Translations in right-to-left locales whose left-to-right runs would be reordered.

    painread's HTML, text and Markdown isolate such runs, so readers of those
    see them as written; a viewer showing the catalog text as it is (an editor,
    a host laying out JSON itself) would not. These are warnings, not errors.

    Raises:
        ImportError: if python-bidi (the ``i18n`` extra) is not installed.
    """
    from painread.bidi import reordered_runs
    from painread.locales import text_direction

    warnings: list[Problem] = []
    for po in (po for path in paths for po in _to_check(path) if po.suffix == ".po"):
        if text_direction(locale_or_empty(po.parents[1].name) or SOURCE_LOCALE) != "rtl":
            continue
        try:
            usable = _entries_read(parse_catalog(po))[1]
        except CatalogError:
            continue
        warnings += [
            Problem(
                str(po),
                message.lineno,
                f"warning: {message.context!r}: {run!r} would be reordered where "
                "right-to-left text is shown without isolation",
            )
            for message in usable.values()
            for run in reordered_runs(str(message.string))
        ]
    return warnings


def _to_check(path: Path) -> list[Path]:
    """The PO files, and the lone MO files the loader serves, at ``path``."""
    if not path.is_dir():
        return [path]
    found = {*path.rglob("*.po"), *path.rglob("*.mo")}
    # rglob does not enter symlinked folders, which the loader reads
    found.update(path.glob(f"*/{PO_PATH}"), path.glob(f"*/{PO_PATH[:-3]}.mo"))
    return sorted(f for f in found if f.suffix == ".po" or f.with_suffix(".po") not in found)


def _check_one(catalog: Path, root: Path | None) -> list[Problem]:
    if root is not None:  # the loader never reads a file that leads out of its directory
        try:
            target = catalog.resolve()
            inside = target.is_relative_to(root.resolve())
        except (OSError, RuntimeError) as exc:
            return [Problem(str(catalog), None, f"cannot resolve: {exc}")]
        if not inside:
            where = f"leads outside its translation directory (to {target}); never read"
            return [Problem(str(catalog), None, where)]
    folder = catalog.parents[1].name if catalog.parent.name == "LC_MESSAGES" else ""
    if language_of(locale_or_empty(folder)) == SOURCE_LOCALE:
        message = "English is the source language and cannot be replaced; never read"
        return [Problem(str(catalog), None, message)]
    return check_mo(catalog) if catalog.suffix == ".mo" else check_file(catalog)


def locale_or_empty(name: str) -> str:
    """The locale ``name`` names (canonical), else ``""``."""
    try:
        return parse_locale(name)
    except InvalidLocaleError:
        return ""


def check_mo(mo: Path) -> list[Problem]:
    """Every problem in one compiled catalog; an MO file has no lines to point at."""
    try:
        _, units = parse_mo(read_catalog_bytes(mo), path=str(mo))
    except CatalogError as exc:
        return [Problem(exc.path, exc.line, exc.message)]
    english = source_texts()
    return [
        Problem(str(mo), None, f"{unit_id!r}: {problem}")
        for unit_id, text in units.items()
        if (problem := unit_problem(unit_id, text, english[unit_id])) is not None
    ]


def check_file(po: Path) -> list[Problem]:
    """Every problem in one PO file, each with its line when it has one.

    First what GNU ``msgfmt --check`` rejects (see
    `painread._pofile.po_problems`), then painread's own rules.
    """
    from painread._pofile import po_problems

    try:
        catalog = parse_catalog(po)
    except CatalogError as exc:
        return [Problem(exc.path, exc.line, exc.message)]
    found, usable = _entries_read(catalog)
    found += [
        *po_problems(catalog),
        *_header_problems(po, catalog),
        *_disclaimer_problems(catalog, usable),
        *_anchor_problems(usable),
    ]
    found.sort(key=lambda problem: problem[0] or 0)
    return [Problem(str(po), line, message) for line, message in found]


def _header_problems(po: Path, catalog: HeaderCatalog) -> _Found:
    if catalog.header_line is None:
        yield 1, 'no header entry (msgid "")'
        return
    reviewed = catalog.headers.get(REVIEWED_HEADER.lower())
    if reviewed is None:
        yield catalog.header_line, f"no {REVIEWED_HEADER} header (read as 'no')"
    elif reviewed.strip().lower() not in ("yes", "no"):
        message = f"{REVIEWED_HEADER} must be 'yes' or 'no', not {reviewed!r}"
        yield catalog.field_lines.get(REVIEWED_HEADER.lower(), catalog.header_line), message
    if po.parent.name != "LC_MESSAGES":
        return
    folder = po.parents[1].name
    try:
        expected = parse_locale(folder)
    except InvalidLocaleError as exc:
        yield None, f"the folder name is not a locale: {exc}"
        return
    declared = catalog.invalid_language or catalog.headers.get("language", "")
    line = catalog.field_lines.get("language", catalog.header_line)
    if catalog.invalid_language is not None:
        yield line, f"Language header {declared!r} is not a locale; expected {folder!r}"
    elif locale_or_empty(declared) != expected:
        yield line, f"Language header {declared!r} does not match {folder!r}"


def _entries_read(catalog: HeaderCatalog) -> tuple[list[tuple[int | None, str]], _Usable]:
    """The problem of each entry, and the entries served (unit id -> entry)."""
    english = source_texts()
    problems: list[tuple[int | None, str]] = []
    usable: _Usable = {}
    for message in catalog:
        context = message.context
        if message.id == "":
            continue
        if not isinstance(message.id, str):
            problem = "plural entries are not used by painread"
        elif context is None:
            problem = "entry without msgctxt (each painread unit has one)"
        elif context not in english:
            problem = f"unknown msgctxt {context!r}"
        elif message.id != english[context]:
            problem = f"stale: the English text of {context!r} has changed; "
            problem += "run 'painread i18n update'"
        elif message.fuzzy:
            problem = f"fuzzy translation of {context!r} is never served; "
            problem += "review it, then drop the flag"
        elif message.string:
            found = unit_problem(context, str(message.string), english[context])
            if found is None:
                usable[context] = message
                continue
            problem = f"{context!r}: {found}"
        else:
            continue
        problems.append((message.lineno, problem))
    return problems, usable


def _disclaimer_problems(catalog: HeaderCatalog, usable: _Usable) -> _Found:
    for unit_id, what in DISCLAIMER_UNITS.items():
        entry = next((m for m in entries(catalog) if m.context == unit_id), None)
        if entry is None:
            yield None, f"no {unit_id!r} entry: {what} must be translated"
        elif unit_id not in usable and not entry.string:
            yield entry.lineno, f"{what} is empty"


def _anchor_problems(usable: _Usable) -> _Found:
    for target, anchor_ids in note_anchors().items():
        if target not in usable:
            continue
        line, text = usable[target].lineno, str(usable[target].string)
        for anchor_id in anchor_ids:
            anchor = usable.get(anchor_id)
            if anchor is None:
                untranslated = f"{target!r} is translated but its quote {anchor_id!r} is not"
                yield line, f"{untranslated} (the paragraph would be served in English)"
            elif str(anchor.string) not in text:
                where = f"the translation of {target!r} (line {line})"
                yield anchor.lineno, f"the quote does not occur in {where}"
        quotes = [str(usable[a].string) for a in anchor_ids if a in usable]
        if all(q in text for q in quotes) and not anchors_fit(text, quotes):
            yield line, f"the quotes in {target!r} overlap"


def entries(catalog: HeaderCatalog) -> Iterator[Message]:
    return (m for m in catalog if m.id != "" and isinstance(m.id, str))


def parse_catalog(po: Traversable) -> HeaderCatalog:
    from painread._pofile import parse_po

    return parse_po(read_catalog_bytes(po), path=str(po))
