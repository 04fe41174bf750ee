"""Reading untrusted catalog files: opened once, bounded, and parsed in linear time.

A catalog path is opened once; every check (a regular file, inside its
translation directory, within the size cap) is made on the opened descriptor,
so a file swapped for a symlink, a FIFO or a device between a check and the
open is never read. A Traversable that is not a path (a zipped plugin) is read
through its stream, at most :data:`MAX_CATALOG_BYTES` plus one bytes, so the
cap holds before a compressed file is inflated. Compiled (MO) catalogs are
parsed here rather than by :mod:`gettext`, whose header parsing is quadratic
in the number of header lines. This module depends on nothing of painread but
:mod:`painread.errors`.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from painread.errors import CatalogError

__all__ = [
    "MAX_CATALOG_BYTES",
    "MoCatalog",
    "parse_mo",
    "read_bounded",
    "read_confined",
]

MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""Catalogs larger than this are refused: a whole translation is about 40 KB."""

_MO_MAGIC = 0x950412DE
_UTF8 = ("utf-8", "utf8")
_CONTEXT_SEPARATOR = "\x04"


class MoCatalog:
    """What an MO file holds: header fields (names lower-cased) and its messages.

    ``messages`` maps ``(msgctxt or None, msgid)`` to the translation; plural
    entries are counted in ``plurals`` and not kept.
    """

    __slots__ = ("headers", "messages", "plurals")

    def __init__(
        self, headers: dict[str, str], messages: dict[tuple[str | None, str], str], plurals: int
    ) -> None:
        self.headers = headers
        self.messages = messages
        self.plurals = plurals


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
    data = read(MAX_CATALOG_BYTES + 1)
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
    return data


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


def parse_mo(data: bytes, *, path: str) -> MoCatalog:
    """Parse an MO file in time linear in its size.

    The strings may not overlap more than twice over (the format allows
    sharing, but a file whose entries all point at one large string would
    cost the square of its size to decode), and must be UTF-8, as PO files must.

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
    if sum(length for _, length in keys) + sum(length for _, length in values) > 2 * size:
        raise CatalogError("not a valid MO file (its strings overlap)", path=path)
    raw = [
        (_slice(data, key), _slice(data, value)) for key, value in zip(keys, values, strict=True)
    ]
    headers = _headers(next((value for key, value in raw if key == b""), b""), path)
    messages: dict[tuple[str | None, str], str] = {}
    plurals = 0
    for key, value in raw:
        if key == b"":
            continue
        if b"\x00" in key:
            plurals += 1
            continue
        text = _decode(key, path)
        context, separator, msgid = text.rpartition(_CONTEXT_SEPARATOR)
        messages[(context if separator else None, msgid)] = _decode(value, path)
    return MoCatalog(headers, messages, plurals)


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
    if offset + 8 * count > len(data):
        raise CatalogError("not a valid MO file (a table lies past its end)", path=path)
    entries = []
    for index in range(count):
        length, start = struct.unpack_from(f"{order}2I", data, offset + 8 * index)
        if start + length > len(data):
            raise CatalogError("not a valid MO file (a string lies past its end)", path=path)
        entries.append((start, length))
    return entries


def _slice(data: bytes, entry: tuple[int, int]) -> bytes:
    start, length = entry
    return data[start : start + length]


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogError("not valid UTF-8", path=path) from None


def _headers(raw: bytes, path: str) -> dict[str, str]:
    """The header fields, one per line; a charset other than UTF-8 is refused, as in PO files."""
    headers: dict[str, str] = {}
    for line in _decode(raw, path).split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            headers[name.strip().lower()] = value.strip()
    charset = _charset(headers.get("content-type", ""))
    if charset is not None and charset not in _UTF8:
        raise CatalogError(f"declares charset {charset[:40]!r}; catalogs must be UTF-8", path=path)
    return headers


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().lower()
    return None
