"""PO files read with Babel, keeping painread's own header, and compiled to MO.

Babel's catalog forgets header fields it does not know, and
``X-Painread-Reviewed`` is one of them: a catalog read, updated or compiled
through plain Babel would silently lose its review status. This module keeps
every ``X-`` field. It needs only Babel and [`painread.errors`][], so the
build hook can compile catalogs before painread is installed.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser, denormalize, write_po

from painread._files import CATALOG_NAME, SOURCE_HEADER, VALIDATED_HEADER, source_digest
from painread.errors import CatalogError

_UTF8 = ("utf-8", "utf8")


class HeaderCatalog(Catalog):
    """A Babel catalog that keeps ``X-`` header fields and notes duplicate entries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        self.header_line: int | None = None
        self.field_lines: dict[str, int] = {}
        self.invalid_language: str | None = None
        self.duplicates: list[Message] = []
        super().__init__(*args, **kwargs)

    def _set_locale(self, locale: Any) -> None:
        """Keep a ``Language`` header that is not a locale for the checks to report."""
        try:
            super()._set_locale(locale)
        except ValueError:
            self.invalid_language = str(locale)
            super()._set_locale(None)

    def field_line(self, name: str) -> int | None:
        """The line of a header field (any case), else the header entry's line."""
        return self.field_lines.get(name.lower(), self.header_line)

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if headers and headers[-1][0] == "Generated-By":
            return [*headers[:-1], *self.extra_headers, headers[-1]]
        return [*headers, *self.extra_headers]

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        self.extra_headers = [
            (name, value.strip()) for name, value in headers if name.lower().startswith("x-")
        ]
        super()._set_mime_headers(headers)

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    def __setitem__(self, id: Any, message: Message) -> None:
        _restore_previous(message)
        if id == "":
            self.header_line = message.lineno
        elif self.get(id, context=message.context) is not None:
            self.duplicates.append(message)
            return
        super().__setitem__(id, message)

    @property
    def headers(self) -> dict[str, str]:
        """Every header field, names lower-cased (as stdlib gettext reports them)."""
        return {name.lower(): value for name, value in self.mime_headers}


def _restore_previous(message: Message) -> None:
    """Babel's parser reads ``#| msgid "..."`` as a user comment; make it a previous msgid."""
    previous = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: dict[str, list[str]] = {}
    keyword = ""
    for line in previous:
        if not line.startswith('"'):
            keyword, _, line = line.partition(" ")
        parts.setdefault(keyword, []).append(line.strip())
    if "msgid" in parts:
        message.previous_id = [denormalize("\n".join(parts["msgid"]))]


def parse_po(data: bytes, *, path: str) -> HeaderCatalog:
    """Parse a PO file that must be UTF-8, refusing anything malformed.

    Raises:
        CatalogError: naming ``path`` and the line, for bad encoding or syntax.
    """
    text = _decode(data, path)
    try:
        _entries_of(_tokens(text))
    except PoSyntaxError as exc:
        raise CatalogError(f"invalid PO syntax: {exc.message}", path=path, line=exc.line) from None
    catalog = HeaderCatalog(domain=CATALOG_NAME)
    parser = PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True)
    try:
        parser.parse(io.StringIO(text))
    except PoFileError as exc:
        raise CatalogError(
            f"invalid PO syntax: {_reason(exc)}", path=path, line=exc.lineno + 1
        ) from None
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise CatalogError(f"invalid PO file: {exc}", path=path) from exc
    if catalog.header_line is not None:
        catalog.field_lines = _field_lines(text, catalog.header_line)
    if catalog.charset.lower() not in _UTF8:
        raise CatalogError(
            f"declares charset {catalog.charset!r}; catalogs must be UTF-8",
            path=path,
            line=catalog.header_line,
        )
    return catalog


def _field_lines(text: str, header_line: int) -> dict[str, int]:
    """Header field name (lower-cased) -> the line its string starts on."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")[header_line:], start=header_line + 1):
        if not line.strip():
            break
        field = _FIELD.match(line)
        if field is not None:
            lines.setdefault(field.group(1).lower(), number)
    return lines


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as PO text, previous msgids (``#|``) included."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, omit_header=False)
    return buffer.getvalue()


def compile_po(po: Path, mo: Path, *, validated: str | None = None) -> None:
    """Compile one PO file to MO (fuzzy entries left out), replacing ``mo`` atomically.

    The MO file records the digest of the PO file's bytes, so readers can tell it
    is up to date without trusting modification times. ``validated`` is written
    only by the build gate (``painread.i18n.compile_validated``), which has
    validated the catalog's article against the source whose content hash it
    is; a PO file's own copy of either field is never carried over. Raises
    CatalogError.
    """
    try:
        data = po.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=str(po)) from exc
    catalog = parse_po(data, path=str(po))
    written = {SOURCE_HEADER.lower(), VALIDATED_HEADER.lower()}
    catalog.extra_headers = [
        (name, value) for name, value in catalog.extra_headers if name.lower() not in written
    ]
    catalog.extra_headers.append((SOURCE_HEADER, source_digest(data)))
    if validated is not None:
        catalog.extra_headers.append((VALIDATED_HEADER, validated))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _write_atomically(mo, buffer.getvalue())


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not valid UTF-8", path=path, line=line) from None


def _reason(exc: PoFileError) -> str:
    return str(exc).rsplit(" on ", 1)[0]


def _write_atomically(target: Path, data: bytes) -> None:
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=str(target)) from exc


# --- syntax, as GNU msgfmt --check reads it ---------------------------------------------


class PoProblem(NamedTuple):
    """One thing ``msgfmt --check`` would reject, and the line it is on."""

    line: int
    message: str


class _Token(NamedTuple):
    keyword: str | None
    """``msgid``, ``msgstr[0]``...; ``None`` for a string."""
    text: str
    line: int
    obsolete: bool
    previous: bool


class _Entry(NamedTuple):
    context: str | None
    msgid: str
    plural: str | None
    strings: tuple[str, ...]
    line: int
    flags: frozenset[str]
    obsolete: bool


class PoSyntaxError(Exception):
    """The first thing wrong with a PO file's syntax (internal; reported as a problem)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPES.update({"\\": "\\", '"': '"'})
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")
_FIELD = re.compile(r'\s*(?:msgstr\s*)?"([A-Za-z0-9-]+):')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\[\]]*")
_KEYWORDS = re.compile(r"msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\]")
_PREVIOUS_KEYWORDS = ("msgctxt", "msgid", "msgid_plural")
_FORMAT_FLAGS = ("python-brace-format", "python-format", "c-format")


def po_problems(text: str) -> list[PoProblem]:
    """What ``msgfmt --check`` rejects in a decoded PO file, each with its line.

    Syntax (keywords, strings and their escapes, the order of an entry's
    parts), duplicate entries (obsolete ones included, as msgfmt counts them),
    an invalid ``Plural-Forms`` header, ``msgid`` and
    ``msgstr`` that disagree on a leading or trailing newline, and format
    strings flagged ``python-brace-format``, ``python-format`` or ``c-format``
    whose ``msgstr`` does not use the directives of its ``msgid``. Fuzzy
    entries are exempt from the last two, as they are in msgfmt. A syntax
    error stops the reading, so it is the only problem reported. (A missing
    header entry, which msgfmt rejects too, is left to the callers, which
    refuse it with painread's own message.)
    """
    try:
        entries = _entries_of(_tokens(text))
    except PoSyntaxError as exc:
        return [PoProblem(exc.line, exc.message)]
    return sorted(_entry_problems(entries))


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    lines = text.split("\n")
    ends_with_newline = text.endswith("\n")
    for number, raw in enumerate(lines, start=1):
        last = number == len(lines) and not ends_with_newline
        line = raw[:-1] if raw.endswith("\r") else raw
        obsolete = previous = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:]
            if line.startswith("|"):
                previous, line = True, line[1:]
        elif line.startswith("#|"):
            previous, line = True, line[2:]
        elif line.startswith("#"):
            tokens.append(_Token("#", line, number, False, False))
            continue
        found = list(_lex_line(line, number, last))
        if previous and all(keyword == "#" for keyword, _ in found):
            raise PoSyntaxError(number, "syntax error: '#|' without a keyword or a string")
        tokens.extend(
            _Token(keyword, value, number, obsolete and keyword != "#", previous and keyword != "#")
            for keyword, value in found
        )
    return tokens


def _lex_line(line: str, number: int, last: bool) -> Iterator[tuple[str | None, str]]:
    position = 0
    while position < len(line):
        char = line[position]
        if char in " \t\f\v\r":
            position += 1
        elif char == "#":  # a comment, which ends the entry it follows, as in msgfmt
            yield "#", line[position:]
            return
        elif char == '"':
            value, position = _string(line, position, number, last)
            yield None, value
        elif (word := _WORD.match(line, position)) is not None:
            if not _KEYWORDS.fullmatch(word.group()):
                raise PoSyntaxError(number, f"keyword {word.group()!r} unknown")
            yield word.group(), ""
            position = word.end()
        elif char == "\ufeff":
            raise PoSyntaxError(number, "a byte order mark (U+FEFF), which msgfmt refuses")
        else:
            raise PoSyntaxError(number, f"syntax error at column {position + 1}")


def _string(line: str, start: int, number: int, last: bool) -> tuple[str, int]:
    """The decoded string that starts at a quote, and where it ends."""
    found = _STRING.match(line, start)
    if found is None:
        where = "end-of-file" if last else "end-of-line"
        raise PoSyntaxError(number, f"{where} within string")
    body = found.group(1)
    value = _ESCAPE.sub(lambda escape: _unescape(escape, number, start + 3), body)
    if "\x04" in value:
        raise PoSyntaxError(number, "context separator <EOT> within string")
    return value, found.end()


def _unescape(escape: re.Match[str], number: int, offset: int) -> str:
    octal, hexa, char = escape.groups()
    if octal is not None:
        return chr(int(octal, 8) & 0xFF)
    if hexa is not None:
        return chr(int(hexa, 16) & 0xFF)
    if char in _ESCAPES:
        return _ESCAPES[char]
    column = offset + escape.start()
    raise PoSyntaxError(number, f"invalid control sequence '\\{char}' at column {column}")


def _entries_of(tokens: list[_Token]) -> list[_Entry]:
    entries: list[_Entry] = []
    flags: set[str] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.keyword == "#":
            if token.text.startswith("#,"):
                flags.update(re.split(r"[,\s]+", token.text[2:]))
            index += 1
            continue
        index = _skip_previous(tokens, index)
        entry, index = _entry(tokens, index, frozenset(flags))
        entries.append(entry)
        flags = set()
    return entries


def _skip_previous(tokens: list[_Token], index: int) -> int:
    """Past the ``#|`` lines before an entry, which must be followed by one.

    They hold a previous ``msgctxt``, ``msgid`` and ``msgid_plural``, in that
    order, each with its strings, as msgfmt reads them.
    """
    start = index
    expected = list(_PREVIOUS_KEYWORDS)
    while index < len(tokens) and tokens[index].previous:
        token = tokens[index]
        if token.keyword is None or token.keyword not in expected:
            raise PoSyntaxError(token.line, f"syntax error in '#|': unexpected {_shown(token)}")
        del expected[: expected.index(token.keyword) + 1]
        index += 1
        if index >= len(tokens) or tokens[index].keyword is not None or not tokens[index].previous:
            raise PoSyntaxError(
                token.line, f"syntax error in '#|': {token.keyword} without a string"
            )
        while index < len(tokens) and tokens[index].previous and tokens[index].keyword is None:
            index += 1
    if index > start and (index >= len(tokens) or tokens[index].keyword == "#"):
        raise PoSyntaxError(tokens[index - 1].line, "syntax error: '#|' lines without an entry")
    return index


def _shown(token: _Token) -> str:
    return "a string" if token.keyword is None else repr(token.keyword)


def _entry(tokens: list[_Token], index: int, flags: frozenset[str]) -> tuple[_Entry, int]:
    first = tokens[index]
    context: str | None = None
    if first.keyword == "msgctxt":
        context, index = _strings(tokens, index, first)
    if index >= len(tokens) or tokens[index].keyword != "msgid":
        token = tokens[min(index, len(tokens) - 1)]
        if token.keyword in (None, "#") or index >= len(tokens):
            raise PoSyntaxError(token.line, "syntax error: expected 'msgid'")
        raise PoSyntaxError(token.line, f"syntax error: {token.keyword!r} before 'msgid'")
    msgid_token = tokens[index]
    msgid, index = _strings(tokens, index, first)
    plural: str | None = None
    strings: list[str] = []
    if index < len(tokens) and tokens[index].keyword == "msgid_plural":
        plural, index = _strings(tokens, index, first)
        while index < len(tokens) and (tokens[index].keyword or "").startswith("msgstr["):
            expected = f"msgstr[{len(strings)}]"
            if tokens[index].keyword != expected:
                raise PoSyntaxError(
                    tokens[index].line, f"plural form out of order: expected {expected}"
                )
            text, index = _strings(tokens, index, first)
            strings.append(text)
        if not strings:
            raise PoSyntaxError(msgid_token.line, "missing 'msgstr[]' section")
    elif index < len(tokens) and tokens[index].keyword == "msgstr":
        text, index = _strings(tokens, index, first)
        strings.append(text)
    elif index < len(tokens) and (tokens[index].keyword or "").startswith("msgstr["):
        raise PoSyntaxError(msgid_token.line, "missing 'msgid_plural' section")
    else:
        raise PoSyntaxError(msgid_token.line, "missing 'msgstr' section")
    entry = _Entry(context, msgid, plural, tuple(strings), msgid_token.line, flags, first.obsolete)
    return entry, index


def _strings(tokens: list[_Token], index: int, first: _Token) -> tuple[str, int]:
    """The keyword at ``index`` and the strings that follow it, joined."""
    keyword = tokens[index]
    if keyword.obsolete != first.obsolete:
        raise PoSyntaxError(keyword.line, "inconsistent use of #~")
    index += 1
    parts: list[str] = []
    while index < len(tokens) and tokens[index].keyword is None and not tokens[index].previous:
        if tokens[index].obsolete != first.obsolete:
            raise PoSyntaxError(tokens[index].line, "inconsistent use of #~")
        parts.append(tokens[index].text)
        index += 1
    if not parts:
        raise PoSyntaxError(keyword.line, f"syntax error: {keyword.keyword} without a string")
    return "".join(parts), index


def _entry_problems(entries: list[_Entry]) -> Iterator[PoProblem]:
    live = [entry for entry in entries if not entry.obsolete]
    if live and live[0].msgid == "" and live[0].context is None:
        yield from _plural_forms_problems(live[0])
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        key = (entry.context, entry.msgid)
        if key in seen:
            shown = entry.context if entry.context is not None else entry.msgid
            yield PoProblem(
                entry.line, f"duplicate entry for {shown!r} (first defined on line {seen[key]})"
            )
        else:
            seen[key] = entry.line
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.msgid:
            yield from _message_problems(entry)


def _plural_forms_problems(header: _Entry) -> Iterator[PoProblem]:
    """Msgfmt's check: where the header has ``nplurals=`` and ``plural=``, both must be valid."""
    import gettext

    text = header.strings[0]
    count_at, rule_at = text.find("nplurals="), text.find("plural=")
    if count_at < 0 or rule_at < 0:
        return
    count = re.match(r"\s*(\d+)", text[count_at + len("nplurals=") :])
    if count is None or int(count.group(1)) < 1:
        yield PoProblem(header.line, "invalid nplurals value in the Plural-Forms header")
        return
    rule = re.split(r"[;\n]", text[rule_at + len("plural=") :], maxsplit=1)[0]
    try:
        plural = gettext.c2py(rule)
        largest = max(plural(n) for n in range(1000))
    except (ValueError, RecursionError, ZeroDivisionError):
        yield PoProblem(header.line, f"invalid plural expression {rule.strip()!r}")
        return
    if largest >= int(count.group(1)):
        yield PoProblem(
            header.line,
            f"nplurals is {count.group(1)}, but the plural expression gives {largest}",
        )


def _message_problems(entry: _Entry) -> Iterator[PoProblem]:
    for text in entry.strings:
        if not text:
            continue
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(text, "\n"):
                yield PoProblem(
                    entry.line, f"'msgid' and 'msgstr' entries do not both {where} with '\\n'"
                )
        for flag in _FORMAT_FLAGS:
            if flag in entry.flags:
                problem = _format_problem(flag, entry.msgid, text)
                if problem is not None:
                    yield PoProblem(entry.line, problem)


def _format_problem(flag: str, msgid: str, msgstr: str) -> str | None:
    directives = _brace_fields if flag == "python-brace-format" else _percent_directives
    expected, found = directives(msgid), directives(msgstr)
    if found is None:
        return f"'msgstr' is not a valid {flag} string, unlike 'msgid'"
    if expected is not None and set(found) != set(expected):
        return (
            f"{flag} directives {sorted(set(found))} in 'msgstr' do not match "
            f"{sorted(set(expected))} in 'msgid'"
        )
    return None


def _brace_fields(text: str) -> list[str] | None:
    """The ``{...}`` fields of a Python brace format, read as leniently as msgfmt reads them.

    ``{{`` and ``}}`` are literal braces and a lone ``}`` is text; a ``{``
    that is never closed makes the string invalid (``None``).
    """
    fields: list[str] = []
    position = 0
    while (start := text.find("{", position)) >= 0:
        if text.startswith("{{", start):
            position = start + 2
            continue
        end = text.find("}", start + 1)
        if end < 0:
            return None
        fields.append(text[start + 1 : end])
        position = end + 1
    return fields


_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +'-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<kind>[diouxXeEfFgGaAcsprS%])?"
)


def _percent_directives(text: str) -> list[str] | None:
    found = []
    for match in _PERCENT.finditer(text):
        kind = match.group("kind")
        if kind is None:
            return None
        if kind != "%":
            found.append(f"{match.group('name') or ''}{kind}")
    return found
