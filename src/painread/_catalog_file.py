"""Reading untrusted catalog files: opened once, bounded, and parsed in linear time.

A catalog path is opened once; every check (a regular file, inside its
translation directory, within the size cap) is made on the opened descriptor,
so a file swapped for a symlink, a FIFO or a device between a check and the
open is never read. A Traversable that is not a path (a zipped plugin) is read
through its stream, at most `MAX_CATALOG_BYTES` plus one bytes, so the
cap holds before a compressed file is inflated. Compiled (MO) catalogs are
parsed here rather than by `gettext`, whose header parsing is quadratic
in the number of header lines. This module depends on nothing of painread but
`painread.errors`.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO

from painread.errors import CatalogError

MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""Catalogs larger than this are refused: a whole translation is about 40 KB."""

_MO_MAGIC = 0x950412DE
_UTF8 = ("utf-8", "utf8")
_CONTEXT_SEPARATOR = "\x04"
_HEADER_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:(.*)$", re.MULTILINE)


class MoCatalog:
    """What an MO file holds: header fields (names lower-cased) and its raw messages.

    Messages are decoded when looked up, so a file of 200,000 entries costs
    one pass over its tables, whatever painread asks of it.
    """

    __slots__ = ("_messages", "headers", "path")

    def __init__(self, headers: dict[str, str], messages: dict[bytes, bytes], path: str) -> None:
        self.headers = headers
        self._messages = messages
        self.path = path

    def get(self, context: str | None, msgid: str) -> str | None:
        """The translation of ``msgid`` in ``context``, or ``None`` if there is none.

        Raises:
            CatalogError: if the translation is not UTF-8.
        """
        key = msgid if context is None else f"{context}{_CONTEXT_SEPARATOR}{msgid}"
        raw = self._messages.get(key.encode("utf-8"))
        return None if raw is None else _decode(raw, self.path)


def read_confined(path: Path, root: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file inside ``root`` when opened.

    Raises:
        CatalogError: naming ``path``, if it cannot be read, is not a regular
            file, leads outside ``root`` or is larger than the cap.
    """
    shown = str(path)
    try:
        fd = os.open(
            path, os.O_RDONLY | _flag("O_NONBLOCK") | _flag("O_NOCTTY") | _flag("O_CLOEXEC")
        )
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=shown) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CatalogError("not a regular file; never read", path=shown)
        if not _inside(fd, info, path, root):
            raise CatalogError("leads outside its translation directory; never read", path=shown)
        if info.st_size > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return _bounded(stream.read, shown)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=shown) from exc
    finally:
        os.close(fd)


def read_bounded(opened: Callable[[], IO[bytes]], shown: str) -> bytes:
    """The bytes of a stream (a Traversable's ``open("rb")``), never read past the cap.

    Raises:
        CatalogError: naming ``shown``, if it is larger than the cap or cannot be read.
    """
    try:
        with opened() as stream:
            return _bounded(stream.read, shown)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=shown) from exc


def _bounded(read: Callable[[int], bytes], shown: str) -> bytes:
    """Everything ``read`` gives, asking never more than one byte past the cap in all."""
    chunks: list[bytes] = []
    total = 0
    while chunk := read(MAX_CATALOG_BYTES + 1 - total):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
    return b"".join(chunks)


def _flag(name: str) -> int:
    return int(getattr(os, name, 0))


def _inside(fd: int, info: os.stat_result, path: Path, root: Path) -> bool:
    """Whether the file open on ``fd`` lies inside ``root``.

    The descriptor's own path is asked of the system where it can tell
    (Linux, macOS). Elsewhere the path is resolved and must still name the
    very file that is open.
    """
    try:
        base = root.resolve()
    except (OSError, RuntimeError):
        return False
    opened = _descriptor_path(fd)
    if opened is not None:
        return Path(opened).is_relative_to(base)
    try:
        real = path.resolve()
        now = os.stat(real)
    except (OSError, RuntimeError):
        return False
    same = (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino)
    return same and real.is_relative_to(base)


def _descriptor_path(fd: int) -> str | None:
    if sys.platform.startswith("linux"):
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return None
    if sys.platform == "darwin":
        import fcntl

        try:
            buffer = fcntl.fcntl(fd, 50, b"\0" * 1024)  # F_GETPATH
        except OSError:
            return None
        return os.fsdecode(buffer.split(b"\0", 1)[0])
    return None


def parse_mo(data: bytes, *, path: str, wanted: Collection[bytes] | None = None) -> MoCatalog:
    """Parse an MO file in time linear in its size.

    The strings may not overlap more than twice over (the format allows
    sharing, but a file whose entries all point at one large string would
    cost the square of its size to copy), and the header must not declare a
    charset other than UTF-8, as PO files must not.

    Args:
        data: The file's bytes.
        path: How to name the file in errors.
        wanted: The only raw keys to keep (context, EOT separator, msgid), if given.

    Raises:
        CatalogError: naming ``path``, if the bytes are not a valid UTF-8 MO file.
    """
    size = len(data)
    if size < 20:
        raise CatalogError("not a valid MO file (too short)", path=path)
    order = _byte_order(data, path)
    _, count, originals, translations = struct.unpack_from(f"{order}4I", data, 4)
    if count > (size - 20) // 16:
        raise CatalogError(f"not a valid MO file ({count} entries do not fit)", path=path)
    keys = _table(data, order, originals, count, path)
    values = _table(data, order, translations, count, path)
    if sum(length for length, _ in keys) + sum(length for length, _ in values) > 2 * size:
        raise CatalogError("not a valid MO file (its strings overlap)", path=path)
    keep = None if wanted is None else {b"", *wanted}
    lengths = None if keep is None else {len(key) for key in keep}
    messages: dict[bytes, bytes] = {}
    for (key_length, key_start), (length, start) in zip(keys, values, strict=True):
        if lengths is not None and key_length not in lengths:
            continue
        key = data[key_start : key_start + key_length]
        if keep is None or key in keep:
            messages[key] = data[start : start + length]
    headers = _headers(messages.pop(b"", b""), path)
    return MoCatalog(headers, messages, path)


def _byte_order(data: bytes, path: str) -> str:
    (magic,) = struct.unpack_from("<I", data)
    if magic == _MO_MAGIC:
        order = "<"
    elif struct.unpack_from(">I", data)[0] == _MO_MAGIC:
        order = ">"
    else:
        raise CatalogError("not a valid MO file (bad magic number)", path=path)
    (revision,) = struct.unpack_from(f"{order}I", data, 4)
    if revision >> 16 not in (0, 1):
        raise CatalogError(f"not a valid MO file (unknown revision {revision >> 16})", path=path)
    return order


def _table(data: bytes, order: str, offset: int, count: int, path: str) -> list[tuple[int, int]]:
    """The (length, offset) pairs of one string table, each checked to lie inside the file."""
    end = offset + 8 * count
    if end > len(data):
        raise CatalogError("not a valid MO file (a table lies past its end)", path=path)
    entries = list(struct.iter_unpack(f"{order}2I", data[offset:end]))
    if entries and max(length + start for length, start in entries) > len(data):
        raise CatalogError("not a valid MO file (a string lies past its end)", path=path)
    return entries


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogError("not valid UTF-8", path=path) from None


def _headers(raw: bytes, path: str) -> dict[str, str]:
    """The header fields, one per line; a charset other than UTF-8 is refused, as in PO files."""
    headers = {
        name.lower(): value.strip() for name, value in _HEADER_FIELD.findall(_decode(raw, path))
    }
    charset = _charset(headers.get("content-type", ""))
    if charset is not None and charset.lower() not in _UTF8:
        raise CatalogError(f"declares charset {charset[:40]!r}; catalogs must be UTF-8", path=path)
    return headers


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip()
    return None
