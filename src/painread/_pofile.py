"""PO files read with msgfmt's grammar into a Babel catalog that keeps painread's header.

One parser reads catalogs and refuses what ``msgfmt --check`` refuses, so a string reads as
msgfmt would compile it. `HeaderCatalog` keeps the ``X-`` header fields Babel's catalog drops,
``X-Painread-Reviewed`` among them, so updating or compiling a catalog keeps its review status.
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
from babel.messages.pofile import write_po

from painread._files import CATALOG_NAME, SOURCE_HEADER, VALIDATED_HEADER, source_digest
from painread.errors import CatalogError


class HeaderCatalog(Catalog):
    """A Babel catalog that keeps ``X-`` header fields and what `parse_po` found where."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        self.header_line: int | None = None
        self.field_lines: dict[str, int] = {}  # header field (lower-cased) -> its line
        self.invalid_language: str | None = None
        self.duplicates: list[Message] = []
        self.entries: list[_Entry] = []
        super().__init__(*args, **kwargs)

    def _set_locale(self, locale: Any) -> None:
        """Keep a ``Language`` header that is not a locale for the checks to report."""
        try:
            super()._set_locale(locale)
        except ValueError:
            self.invalid_language = str(locale)
            super()._set_locale(None)

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

    @property
    def headers(self) -> dict[str, str]:
        """Every header field, names lower-cased (as stdlib gettext reports them)."""
        return {name.lower(): value for name, value in self.mime_headers}


def parse_po(data: bytes, *, path: str) -> HeaderCatalog:
    """Parse a PO file that must be UTF-8, refusing anything malformed.

    Obsolete entries are kept in ``entries`` only, for `po_problems`.

    Raises:
        CatalogError: naming ``path`` and the line, for bad encoding or syntax.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not valid UTF-8", path=path, line=line) from None
    catalog = HeaderCatalog(domain=CATALOG_NAME)
    try:
        catalog.entries = _entries(_tokens(text))
    except PoSyntaxError as exc:
        line, message = exc.args
        raise CatalogError(f"invalid PO syntax: {message}", path=path, line=line) from None
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        if entry.msgid == "":
            catalog.header_line, catalog.field_lines = entry.line, entry.field_lines
        elif catalog.get(entry.msgid, entry.context) is not None:
            catalog.duplicates.append(entry.message())
            continue
        try:
            catalog[entry.msgid] = entry.message()
        except (ValueError, TypeError, IndexError, KeyError) as exc:  # a header Babel cannot read
            raise CatalogError(f"invalid PO file: {exc}", path=path, line=entry.line) from exc
    if catalog.charset.lower() not in ("utf-8", "utf8"):
        message = f"declares charset {catalog.charset!r}; catalogs must be UTF-8"
        raise CatalogError(message, path=path, line=catalog.header_line)
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as PO text, previous msgids (``#|``) included."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, omit_header=False)
    return buffer.getvalue()


def compile_po(po: Path, mo: Path, *, validated: str | None = None) -> None:
    """Compile one PO file to MO (fuzzy entries left out), replacing ``mo`` atomically.

    The MO file records the digest of the PO file's bytes, so readers can tell it is up
    to date without trusting modification times. Only the build gate
    (``painread.i18n.compile_validated``) passes ``validated``: the content hash of the
    source it validated the catalog's article against. A PO file's own copy of either
    field is never carried over.

    Raises:
        CatalogError: if the PO file cannot be read or parsed, or the MO file written.
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
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(buffer.getvalue())
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=str(mo)) from exc


# --- syntax, as GNU msgfmt --check reads it ---------------------------------------------


class PoSyntaxError(Exception):
    """The first thing wrong with a PO file's syntax: its line and what it is."""


class _Token(NamedTuple):
    keyword: str | None
    """``msgid``, ``msgstr[0]``..., ``#`` for a comment; ``None`` for a string."""
    text: str
    line: int
    obsolete: bool
    previous: bool


class _Entry(NamedTuple):
    context: str | None
    line: int
    msgid: str
    plural: str | None
    strings: tuple[str, ...]
    previous: str | None
    """The previous msgid (``#| msgid``), if any."""
    flags: frozenset[str]
    comments: tuple[str, ...]
    obsolete: bool
    field_lines: dict[str, int]
    """Header field name (lower-cased) -> the line of the ``msgstr`` string it starts."""

    def message(self) -> Message:
        plural = self.plural is not None
        return Message(
            (self.msgid, str(self.plural)) if plural else self.msgid,
            self.strings if plural else self.strings[0],
            flags=self.flags,
            auto_comments=[c[2:].strip() for c in self.comments if c[:2] == "#." and c[2:].strip()],
            user_comments=[c[1:].strip() for c in self.comments if c[:2] not in ("#.", "#:", "#,")],
            previous_id=() if self.previous is None else [self.previous],
            lineno=self.line,
            context=self.context,
        )


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPES.update({"\\": "\\", '"': '"'})
_LEXEME = re.compile(r'[ \t\f\v\r]+|#.*|"((?:[^"\\]|\\.)*)"|[A-Za-z_][A-Za-z0-9_\[\]]*')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")
_FIELD = re.compile(r"([A-Za-z0-9-]+):")
_KEYWORDS = re.compile(r"msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\]")
# An entry's keywords in order: '#|' ones (any of them, in this order), then its own.
_START = ("#| msgctxt", "#| msgid", "#| msgid_plural", "msgctxt", "msgid")
_FOLLOWS: dict[str | None, tuple[str, ...]] = {
    None: _START,
    **{keyword: _START[index + 1 :] for index, keyword in enumerate(_START[:3])},
    "msgctxt": ("msgid",),
    "msgid": ("msgstr", "msgid_plural"),
    "msgid_plural": ("msgstr[0]",),
    "msgstr": _START,
}
_FORMAT_FLAGS = {"python-brace-format", "python-format", "c-format"}


def po_problems(catalog: HeaderCatalog) -> list[tuple[int, str]]:
    """What ``msgfmt --check`` rejects in a parsed PO file beyond syntax, each with its line.

    Duplicate entries (obsolete ones included, as msgfmt counts them), an invalid
    ``Plural-Forms`` header, ``msgid`` and ``msgstr`` that disagree on a leading or trailing
    newline, and format strings flagged ``python-brace-format``, ``python-format`` or
    ``c-format`` whose ``msgstr`` does not use the directives of its ``msgid`` (fuzzy entries
    are exempt from the last two, as in msgfmt). `parse_po` refuses bad syntax; a missing
    header entry, which msgfmt rejects too, is left to the callers.
    """
    problems: list[tuple[int, str]] = []
    live = [entry for entry in catalog.entries if not entry.obsolete]
    if live and live[0].msgid == "" and live[0].context is None:
        problems += _plural_forms_problems(live[0])
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog.entries:
        key = (entry.context, entry.msgid)
        if key in seen:
            shown = entry.context if entry.context is not None else entry.msgid
            problems.append(
                (entry.line, f"duplicate entry for {shown!r} (first defined on line {seen[key]})")
            )
        seen.setdefault(key, entry.line)
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.msgid:
            problems += _message_problems(entry)
    return sorted(problems)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        last = number == len(lines)  # a string open here runs into the end of the file
        line = raw.removesuffix("\r")
        mark = next((mark for mark in ("#~|", "#~", "#|") if line.startswith(mark)), "")
        if not mark and line.startswith("#"):
            tokens.append(_Token("#", line, number, False, False))
            continue
        found = list(_lex_line(line[len(mark) :], number, last))
        if "|" in mark and all(keyword == "#" for keyword, _ in found):
            raise PoSyntaxError(number, "syntax error: '#|' without a keyword or a string")
        tokens += [_Token(k, v, number, "~" in mark, "|" in mark and k != "#") for k, v in found]
    return tokens


def _lex_line(line: str, number: int, last: bool) -> Iterator[tuple[str | None, str]]:
    position = 0
    while position < len(line):
        found = _LEXEME.match(line, position)
        if found is None:
            if line[position] == '"':
                raise PoSyntaxError(number, f"end-of-{'file' if last else 'line'} within string")
            if line[position] == "\ufeff":
                raise PoSyntaxError(number, "a byte order mark (U+FEFF), which msgfmt refuses")
            raise PoSyntaxError(number, f"syntax error at column {position + 1}")
        lexeme, start, position = found[0], position, found.end()
        if lexeme[0] == "#":  # a comment, which ends the entry it follows, as in msgfmt
            yield "#", lexeme
        elif lexeme[0] == '"':
            value = _ESCAPE.sub(
                lambda escape, at=start: _unescape(escape, number, at + 3), found[1]
            )
            if "\x04" in value:
                raise PoSyntaxError(number, "context separator <EOT> within string")
            yield None, value
        elif not lexeme.isspace():
            if not _KEYWORDS.fullmatch(lexeme):
                raise PoSyntaxError(number, f"keyword {lexeme!r} unknown")
            yield lexeme, ""


def _unescape(escape: re.Match[str], number: int, offset: int) -> str:
    octal, hexa, char = escape.groups()
    if octal or hexa:
        return chr(int(octal, 8) & 0xFF) if octal else chr(int(hexa, 16) & 0xFF)
    if char not in _ESCAPES:
        column = offset + escape.start()
        raise PoSyntaxError(number, f"invalid control sequence '\\{char}' at column {column}")
    return _ESCAPES[char]


def _entries(tokens: list[_Token]) -> list[_Entry]:
    """The entries, read by msgfmt's grammar: a PoSyntaxError at the first fault."""
    entries: list[_Entry] = []
    comments: list[str] = []
    parts: dict[str, list[_Token]] = {}  # the entry's keywords, each with its strings
    state: str | None = None  # the last of them
    obsolete: bool | None = None  # whether its lines are in '#~'
    end = _Token("#", "", tokens[-1].line if tokens else 1, False, False)
    for token in [*tokens, end]:
        if token.keyword is None:
            if state is None or token.previous != state.startswith("#|"):
                raise PoSyntaxError(token.line, "syntax error: a string without a keyword")
            if token.obsolete != obsolete:
                raise PoSyntaxError(token.line, "inconsistent use of #~")
            parts[state].append(token)
            continue
        if state is not None and len(parts[state]) == 1:
            raise PoSyntaxError(parts[state][0].line, f"syntax error: {state} without a string")
        keyword = f"#| {token.keyword}" if token.previous else token.keyword
        ended = state is not None and state.startswith("msgstr")
        if ended and (keyword == "#" or keyword in _START):
            entries.append(_entry(parts, comments))
            comments, parts, state, obsolete = [], {}, None, None
        if keyword == "#" and state is None:
            comments.append(token.text)
            continue
        follows = _FOLLOWS.get(state) or (f"msgstr[{int(str(state)[7:-1]) + 1}]", *_START)
        if keyword not in follows:
            shown = "end of file" if token is end else "a comment" if keyword == "#" else keyword
            wanted = " or ".join(repr(k) for k in follows if k[0] != "#")
            raise PoSyntaxError(token.line, f"syntax error: {shown!r} before {wanted}")
        obsolete = token.obsolete if obsolete is None else obsolete
        if token.obsolete != obsolete:
            raise PoSyntaxError(token.line, "inconsistent use of #~")
        parts[keyword] = [token]
        state = keyword
    return entries


def _entry(parts: dict[str, list[_Token]], comments: list[str]) -> _Entry:
    def text(keyword: str) -> str | None:
        return "".join(t.text for t in parts[keyword]) if keyword in parts else None

    fields = {
        found.group(1).lower(): token.line
        for token in reversed(parts.get("msgstr", [])[1:])
        if (found := _FIELD.match(token.text)) is not None
    }
    return _Entry(
        text("msgctxt"),
        parts["msgid"][0].line,
        str(text("msgid")),
        text("msgid_plural"),
        tuple(str(text(keyword)) for keyword in parts if keyword.startswith("msgstr")),
        text("#| msgid"),
        frozenset(f for c in comments if c[:2] == "#," for f in re.split(r"[,\s]+", c[2:]) if f),
        tuple(comments),
        parts["msgid"][0].obsolete,
        fields,
    )


def _plural_forms_problems(header: _Entry) -> Iterator[tuple[int, str]]:
    """Msgfmt's check: where the header has ``nplurals=`` and ``plural=``, both must be valid."""
    import gettext

    count = re.search(r"nplurals=\s*(\d*)", header.strings[0])
    rule = re.search(r"plural=([^;\n]*)", header.strings[0])
    if count is None or rule is None:
        return
    if not count[1] or int(count[1]) < 1:
        yield header.line, "invalid nplurals value in the Plural-Forms header"
        return
    try:
        plural = gettext.c2py(rule[1])
        largest = max(plural(n) for n in range(1000))
    except (ValueError, RecursionError, ZeroDivisionError):
        yield header.line, f"invalid plural expression {rule[1].strip()!r}"
        return
    if largest >= int(count[1]):
        yield header.line, f"nplurals is {count[1]}, but the plural expression gives {largest}"


def _message_problems(entry: _Entry) -> Iterator[tuple[int, str]]:
    for text in filter(None, entry.strings):
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(text, "\n"):
                yield entry.line, f"'msgid' and 'msgstr' entries do not both {where} with '\\n'"
        for flag in entry.flags & _FORMAT_FLAGS:
            directives = _brace_fields if flag == "python-brace-format" else _percent_directives
            expected, found = directives(entry.msgid), directives(text)
            if found is None:
                yield entry.line, f"'msgstr' is not a valid {flag} string, unlike 'msgid'"
            elif expected is not None and found != expected:
                yield (
                    entry.line,
                    (
                        f"{flag} directives {sorted(found)} in 'msgstr' do not match "
                        f"{sorted(expected)} in 'msgid'"
                    ),
                )


_BRACE = re.compile(r"\{\{|\{([^}]*)(\}?)")
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +'-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<kind>[diouxXeEfFgGaAcsprS%])?"
)


def _brace_fields(text: str) -> set[str] | None:
    """The ``{...}`` fields, read as leniently as msgfmt reads them.

    ``{{`` is a literal brace and a lone ``}`` is text; a ``{`` that is never
    closed makes the string invalid (``None``).
    """
    found = [match.groups() for match in _BRACE.finditer(text) if match[0] != "{{"]
    return None if any(not close for _, close in found) else {name for name, _ in found}


def _percent_directives(text: str) -> set[str] | None:
    found = list(_PERCENT.finditer(text))
    if any(match["kind"] is None for match in found):
        return None
    return {f"{match['name'] or ''}{match['kind']}" for match in found if match["kind"] != "%"}
