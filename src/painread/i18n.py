"""Translator tooling behind ``painread i18n``: extract, init, update, compile, check, stats.

Catalogs are laid out as ``pybabel`` makes them (``<dir>/<locale>/LC_MESSAGES/
painread.po``); each entry's ``msgctxt`` is a unit id and its ``msgid`` the
English text. The checks here are the ones the run-time loader applies, so a
catalog that passes ``check`` serves every unit it translates.
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
    DISCLAIMER_UNIT,
    REVIEWED_HEADER,
    SHORT_DISCLAIMER_UNIT,
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
    from painread.models import Article

POT_FILE = "painread.pot"
_HEADER_COMMENT = (
    "# {what} of painread.\n"
    "# This file is distributed under the same license as the painread project."
)
_PO = f"LC_MESSAGES/{CATALOG_NAME}.po"
_SOURCE_FOLDER = "English is the source language and cannot be replaced; never read"
_SHORT = "the short disclaimer line"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, where it is."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


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
    from painread._pofile import HeaderCatalog

    catalog = HeaderCatalog(
        domain=CATALOG_NAME,
        header_comment=_HEADER_COMMENT.format(what="Translations template"),
        project="painread",
        version=_package_version(),
        copyright_holder="painread maintainers",
        fuzzy=False,
    )
    for unit_id, text in source_texts().items():
        catalog.add(text, "", context=unit_id, auto_comments=list(_comments(unit_id)))
    return catalog


def _english() -> Article:
    from painread.loader import load

    return load(SOURCE_LOCALE)


def _package_version() -> str:
    """The painread release the template comes from, as ``Project-Id-Version`` states it."""
    from painread import __version__

    return __version__


def _comments(unit_id: str) -> Iterator[str]:
    yield f"origin: {_english().unit(unit_id).origin.value}"
    anchored = note_anchors()
    for target, anchors in anchored.items():
        if unit_id in anchors:
            yield f"quote from {target}: must occur verbatim in its translation"
    if unit_id in anchored:
        yield "quoted by " + ", ".join(anchored[unit_id]) + ": keep those quotes verbatim"
    if unit_id.startswith("ui.") and "{" in source_texts()[unit_id]:
        yield "keep every {placeholder} exactly as it is"
    if unit_id == DISCLAIMER_UNIT:
        yield "the medical disclaimer: translate it in full"
    if unit_id == SHORT_DISCLAIMER_UNIT:
        yield "the short disclaimer line on every printed page: translate it in full"


def extract(output: Path) -> Path:
    """Write the template (``painread.pot``) to ``output``; a CatalogError if it cannot."""
    _write(output, template_bytes())
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
    from painread._pofile import HeaderCatalog, po_bytes

    code = parse_locale(locale)
    target = directory / code / _PO
    if code == SOURCE_LOCALE:
        raise CatalogError(
            "English is the source language; there is nothing to translate", path=str(target)
        )
    if target.exists():
        raise CatalogError("exists already; use 'painread i18n update'", path=str(target))
    pot = template()
    catalog = HeaderCatalog(
        locale=code,
        domain=CATALOG_NAME,
        header_comment=_HEADER_COMMENT.format(what=f"{code} translation"),
        project=pot.project,
        version=pot.version,
        language_team=code,
        fuzzy=False,
    )
    catalog.extra_headers = [(REVIEWED_HEADER, "no")]
    for message in _entries(pot):
        catalog.add(message.id, "", context=message.context, auto_comments=message.auto_comments)
    _write(target, po_bytes(catalog))
    return target


def update(directory: Path) -> list[Path]:
    """Bring every catalog under ``directory`` in line with the current source.

    New units are added empty. A unit whose English text changed keeps its
    translation, marked fuzzy with the previous msgid (``#|``) beside it, so it
    is not served until a translator has looked at it. Units the source no
    longer has become obsolete (``#~``).
    """
    from painread._pofile import po_bytes

    pot = template()
    updated = []
    for po in _catalog_paths(directory):
        catalog = _parse(po)
        _write(po, po_bytes(_merged(catalog, pot)))
        updated.append(po)
    return updated


def _merged(catalog: HeaderCatalog, pot: HeaderCatalog) -> HeaderCatalog:
    from painread._pofile import HeaderCatalog

    fresh = HeaderCatalog(domain=CATALOG_NAME, header_comment=catalog.header_comment, fuzzy=False)
    fresh.mime_headers = catalog.mime_headers
    fresh.project, fresh.version = pot.project, pot.version
    fresh.creation_date = pot.creation_date
    previous: dict[str | None, Message] = {}
    for entry in _entries(catalog):
        previous.setdefault(entry.context, entry)
    wanted = {message.context for message in _entries(pot)}
    for message in _entries(pot):
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
    for message in _entries(catalog):
        if message.context not in wanted:
            context = message.context
            fresh.obsolete[(str(message.id), context) if context else str(message.id)] = message
    return fresh


def compile_validated(po: Path, mo: Path) -> None:
    """The gate of a catalog that ships: validate it in full, then compile it, marked.

    Everything `check_file` reports refuses the catalog, and so does any
    unit the run-time reader would skip; then the article the catalog serves
    on its own is built with full validation. Only then is the MO file written,
    with `painread._files.VALIDATED_HEADER` naming the content hash of
    today's English source. The build hook compiles every bundled catalog this
    way; the run-time loader builds such a catalog's article without
    validating it again while the mark matches the source, and validates
    everything else.

    Raises:
        CatalogError: naming the file and line, if the catalog has a problem.
        ContentError: naming the field, if its article fails validation.
    """
    import warnings

    from painread import translation
    from painread._pofile import compile_po
    from painread.errors import PainreadWarning
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
        compile_po(po, po.with_suffix(".mo"))
        compiled.append(po.with_suffix(".mo"))
    return compiled


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
        found = _to_check(path) if path.is_dir() else [path]
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
    for path in paths:
        for po in _to_check(path) if path.is_dir() else [path]:
            try:
                locale = parse_locale(po.parents[1].name)
                rtl = po.suffix == ".po" and text_direction(locale) == "rtl"
                usable = _usable(_parse(po)) if rtl else {}
            except (InvalidLocaleError, CatalogError):
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


def _to_check(directory: Path) -> list[Path]:
    """The catalogs below ``directory``: PO files, and MO files that have no PO beside them.

    A lone MO file is what the loader serves, so it is checked. ``rglob`` does not
    descend into symlinked folders, which the loader reads, so those are globbed too.
    """
    found = {*directory.rglob("*.po"), *directory.rglob("*.mo")}
    found.update(directory.glob(f"*/{_PO}"))
    found.update(directory.glob(f"*/{_PO[:-3]}.mo"))
    return sorted(f for f in found if f.suffix == ".po" or f.with_suffix(".po") not in found)


def _check_one(catalog: Path, root: Path | None) -> list[Problem]:
    escape = _escape(catalog, root) if root is not None else None
    if escape is not None:
        return [escape]
    if _for_source_language(catalog):
        return [Problem(str(catalog), None, _SOURCE_FOLDER)]
    return check_mo(catalog) if catalog.suffix == ".mo" else check_file(catalog)


def _for_source_language(catalog: Path) -> bool:
    """Whether ``catalog`` sits in a locale folder of English, which the loader never reads."""
    if catalog.parent.name != "LC_MESSAGES":
        return False
    try:
        return language_of(parse_locale(catalog.parent.parent.name)) == SOURCE_LOCALE
    except InvalidLocaleError:
        return False


def _escape(catalog: Path, root: Path) -> Problem | None:
    """A problem if ``catalog`` leads out of ``root``: the loader never reads such a file."""
    try:
        target = catalog.resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError) as exc:
        return Problem(str(catalog), None, f"cannot resolve: {exc}")
    if inside:
        return None
    return Problem(
        str(catalog), None, f"leads outside its translation directory (to {target}); never read"
    )


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
        catalog = _parse(po)
    except CatalogError as exc:
        return [Problem(exc.path, exc.line, exc.message)]
    problems = [
        *(Problem(str(po), p.line, p.message) for p in po_problems(_text(po))),
        *_header_problems(po, catalog),
        *_entry_problems(po, catalog),
        *_disclaimer_problems(po, catalog),
        *_anchor_problems(po, catalog),
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)


def _header_problems(po: Path, catalog: HeaderCatalog) -> Iterator[Problem]:
    line = catalog.header_line
    if line is None:
        yield Problem(str(po), 1, 'no header entry (msgid "")')
        return
    reviewed = catalog.headers.get(REVIEWED_HEADER.lower())
    if reviewed is None:
        yield Problem(str(po), line, f"no {REVIEWED_HEADER} header (read as 'no')")
    elif reviewed.strip().lower() not in ("yes", "no"):
        yield Problem(
            str(po),
            catalog.field_line(REVIEWED_HEADER),
            f"{REVIEWED_HEADER} must be 'yes' or 'no', not {reviewed!r}",
        )
    yield from _language_problems(po, catalog)


def _language_problems(po: Path, catalog: HeaderCatalog) -> Iterator[Problem]:
    if po.parent.name != "LC_MESSAGES":
        return
    folder = po.parent.parent.name
    try:
        expected = parse_locale(folder)
    except InvalidLocaleError as exc:
        yield Problem(str(po), None, f"the folder name is not a locale: {exc}")
        return
    declared = catalog.invalid_language or catalog.headers.get("language", "")
    try:
        matches = bool(declared) and parse_locale(declared) == expected
    except InvalidLocaleError:
        matches = False
    if catalog.invalid_language is not None:
        message = f"Language header {declared!r} is not a locale; expected {folder!r}"
    elif not matches:
        message = f"Language header {declared!r} does not match {folder!r}"
    else:
        return
    yield Problem(str(po), catalog.field_line("language"), message)


def _entry_problems(po: Path, catalog: HeaderCatalog) -> Iterator[Problem]:
    english = source_texts()
    for message in catalog:
        if message.id == "":
            continue
        problem = _entry_problem(message, english)
        if problem is not None:
            yield Problem(str(po), message.lineno, problem)


def _entry_problem(message: Message, english: dict[str, str]) -> str | None:
    context = message.context
    if not isinstance(message.id, str):
        return "plural entries are not used by painread"
    if context is None:
        return "entry without msgctxt (each painread unit has one)"
    if context not in english:
        return f"unknown msgctxt {context!r}"
    if message.id != english[context]:
        return f"stale: the English text of {context!r} has changed; run 'painread i18n update'"
    if message.fuzzy:
        return f"fuzzy translation of {context!r} is never served; review it, then drop the flag"
    if message.string:
        problem = unit_problem(context, str(message.string), english[context])
        return None if problem is None else f"{context!r}: {problem}"
    return None


def _usable(catalog: HeaderCatalog) -> dict[str, Message]:
    english = source_texts()
    return {
        m.context: m
        for m in _entries(catalog)
        if m.context in english
        and m.id == english[m.context]
        and m.string
        and not m.fuzzy
        and unit_problem(m.context, str(m.string), english[m.context]) is None
    }


def _disclaimer_problems(po: Path, catalog: HeaderCatalog) -> Iterator[Problem]:
    usable = _usable(catalog)
    for unit_id, what in ((DISCLAIMER_UNIT, "the disclaimer"), (SHORT_DISCLAIMER_UNIT, _SHORT)):
        if unit_id in usable:
            continue
        entry = next((m for m in _entries(catalog) if m.context == unit_id), None)
        if entry is None:
            yield Problem(str(po), None, f"no {unit_id!r} entry: {what} must be translated")
        elif not entry.string:
            yield Problem(str(po), entry.lineno, f"{what} is empty")


def _anchor_problems(po: Path, catalog: HeaderCatalog) -> Iterator[Problem]:
    usable = _usable(catalog)
    for target, anchor_ids in note_anchors().items():
        if target not in usable:
            continue
        text = str(usable[target].string)
        for anchor_id in anchor_ids:
            anchor = usable.get(anchor_id)
            if anchor is None:
                yield Problem(
                    str(po),
                    usable[target].lineno,
                    f"{target!r} is translated but its quote {anchor_id!r} is not "
                    "(the paragraph would be served in English)",
                )
            elif str(anchor.string) not in text:
                yield Problem(
                    str(po),
                    anchor.lineno,
                    f"the quote does not occur in the translation of "
                    f"{target!r} (line {usable[target].lineno})",
                )
        quotes = [str(usable[a].string) for a in anchor_ids if a in usable]
        if all(q in text for q in quotes) and not anchors_fit(text, quotes):
            yield Problem(str(po), usable[target].lineno, f"the quotes in {target!r} overlap")


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
    catalog = _parse(po)
    counts = dict.fromkeys(("translated", "fuzzy", "stale", "untranslated", "invalid"), 0)
    for unit_id, english in source_texts().items():
        counts[_status(catalog, unit_id, english)] += 1
    return LocaleStats(locale=_locale_of(po), path=str(po), origin=origin, **counts)


def _status(catalog: HeaderCatalog, unit_id: str, english: str) -> str:
    found = [m for m in _entries(catalog) if m.context == unit_id]
    message = next((m for m in found if m.id == english), found[0] if found else None)
    if message is None or not message.string:
        return "untranslated"
    if message.fuzzy:
        return "fuzzy"
    if message.id != english:
        return "stale"
    if unit_problem(unit_id, str(message.string), english) is not None:
        return "invalid"
    return "translated"


def _locale_of(po: Traversable) -> str:
    folder = str(po).replace("\\", "/").split("/")[-3]
    try:
        return parse_locale(folder)
    except InvalidLocaleError:
        return folder


def _entries(catalog: HeaderCatalog) -> Iterator[Message]:
    return (m for m in catalog if m.id != "" and isinstance(m.id, str))


def _catalog_files(directory: Path | Traversable) -> list[Traversable]:
    if not directory.is_dir():
        raise CatalogError("not a directory", path=str(directory))
    found = _po_files(directory)
    if not found:
        raise CatalogError(f"no catalogs found (expected <locale>/{_PO})", path=str(directory))
    return found


def _po_files(directory: Path | Traversable) -> list[Traversable]:
    folders = sorted(directory.iterdir(), key=lambda entry: entry.name)
    return [po for folder in folders if (po := folder / _PO).is_file()]


def _catalog_paths(directory: Path) -> list[Path]:
    _catalog_files(directory)
    return sorted(directory.glob(f"*/{_PO}"))


def _parse(po: Traversable) -> HeaderCatalog:
    from painread._pofile import parse_po

    return parse_po(read_catalog_bytes(po), path=str(po))


def _text(po: Path) -> str:
    """A PO file that `_parse` read, as text."""
    return po.read_bytes().decode("utf-8")


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=str(target)) from exc
