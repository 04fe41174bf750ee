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
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser, denormalize, write_po

from painread._files import CATALOG_NAME, SOURCE_HEADER, source_digest
from painread.errors import CatalogError

_UTF8 = ("utf-8", "utf8")


class HeaderCatalog(Catalog):
    """A Babel catalog that keeps ``X-`` header fields and notes duplicate entries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        self.header_line: int | None = None
        self.duplicates: list[Message] = []
        super().__init__(*args, **kwargs)

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
    if catalog.charset.lower() not in _UTF8:
        raise CatalogError(
            f"declares charset {catalog.charset!r}; catalogs must be UTF-8",
            path=path,
            line=catalog.header_line,
        )
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as PO text, previous msgids (``#|``) included."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, omit_header=False)
    return buffer.getvalue()


def compile_po(po: Path, mo: Path) -> None:
    """Compile one PO file to MO (fuzzy entries left out), replacing ``mo`` atomically.

    The MO file records the digest of the PO file's bytes, so readers can tell it
    is up to date without trusting modification times. Raises CatalogError.
    """
    try:
        data = po.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=str(po)) from exc
    catalog = parse_po(data, path=str(po))
    catalog.extra_headers = [
        (name, value)
        for name, value in catalog.extra_headers
        if name.lower() != SOURCE_HEADER.lower()
    ]
    catalog.extra_headers.append((SOURCE_HEADER, source_digest(data)))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _write_atomically(mo, buffer.getvalue())


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
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
