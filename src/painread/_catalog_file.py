"""Reading untrusted catalog files: opened once, bounded, and parsed in linear time.

A path's checks (regular file, inside its translation directory, under the
cap) are made on the opened descriptor, so a file swapped for a symlink, FIFO
or device is never read; other Traversables (a zipped plugin) are read through
their stream, never past the cap, before any inflation. MO files are parsed
here, as `gettext` parses headers in quadratic time. Of painread, it imports
only `painread.errors`.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import sys
from collections.abc import Collection
from pathlib import Path
from typing import IO, TYPE_CHECKING

from painread.errors import CatalogError

if TYPE_CHECKING:
    from importlib.abc import Traversable

MAX_CATALOG_BYTES = 4 * 1024 * 1024
"""Catalogs larger than this are refused: a whole translation is about 40 KB."""

_MO_MAGIC = 0x950412DE
_HEADER_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:(.*)$", re.MULTILINE)
_CHARSET = re.compile(r";\s*charset\s*=([^;]*)", re.IGNORECASE)


def read_catalog_bytes(resource: Traversable, root: Traversable | None = None) -> bytes:
    """The bytes of a catalog file: a regular file, never read past `MAX_CATALOG_BYTES`.

    A path is opened once and checked on its descriptor (no FIFO or device),
    inside ``root`` (by default its folder); any other Traversable is read
    through its stream, so a zipped file is never inflated past the cap.

    Raises:
        CatalogError: naming the file, if it is too large or cannot be read.
    """
    shown = str(resource)
    if isinstance(resource, Path):
        if not isinstance(root, Path):
            try:
                root = resource.resolve().parent
            except (OSError, RuntimeError) as exc:
                raise CatalogError(f"cannot resolve: {exc}", path=shown) from exc
        return _read_confined(resource, root, shown)
    if not callable(getattr(resource, "open", None)):  # a Traversable of a plugin's own making
        data = resource.read_bytes()
        if len(data) > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
        return data
    try:
        with resource.open("rb") as stream:
            return _bounded(stream, shown)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=shown) from exc


def _read_confined(path: Path, root: Path, shown: str) -> bytes:
    """The bytes of ``path``, which must be a regular file inside ``root`` when opened."""
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"):  # where the system has them
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise CatalogError("not a regular file; never read", path=shown)
            if not _inside(fd, info, path, root):
                raise CatalogError(
                    "leads outside its translation directory; never read", path=shown
                )
            if info.st_size > MAX_CATALOG_BYTES:
                raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
            with os.fdopen(fd, "rb", closefd=False) as stream:
                return _bounded(stream, shown)
        finally:
            os.close(fd)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=shown) from exc


def _bounded(stream: IO[bytes], shown: str) -> bytes:
    """Everything the stream gives, asking never more than one byte past the cap in all."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(MAX_CATALOG_BYTES + 1 - total):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_CATALOG_BYTES:
            raise CatalogError(f"larger than {MAX_CATALOG_BYTES} bytes", path=shown)
    return b"".join(chunks)


def _inside(fd: int, info: os.stat_result, path: Path, root: Path) -> bool:
    """Whether the file open on ``fd`` lies inside ``root``.

    The system names the descriptor's own path where it can (Linux, macOS);
    elsewhere the resolved path must still name the very file that is open.
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
    try:
        if sys.platform.startswith("linux"):
            return os.readlink(f"/proc/self/fd/{fd}")
        if sys.platform == "darwin":
            import fcntl

            buffer = fcntl.fcntl(fd, 50, b"\0" * 1024)  # F_GETPATH
            return os.fsdecode(buffer.split(b"\0", 1)[0])
    except OSError:
        return None
    return None


def parse_mo(
    data: bytes, *, path: str, wanted: Collection[bytes] | None = None
) -> tuple[dict[str, str], dict[bytes, str]]:
    """An MO file's header fields (names lower-cased) and messages (by raw key), in linear time.

    Only the ``wanted`` keys are kept if given. Its strings may not overlap more than
    twice over (entries all sharing one large string would cost the square of its size
    to copy), and its header may declare no charset but UTF-8, as PO files may not.
    ``path`` names the file in errors.

    Raises:
        CatalogError: naming ``path``, if the bytes are not a valid UTF-8 MO file.
    """
    size = len(data)
    if size < 20:
        raise CatalogError("not a valid MO file (too short)", path=path)
    order = "<" if struct.unpack_from("<I", data)[0] == _MO_MAGIC else ">"
    magic, revision, count, originals, translations = struct.unpack_from(f"{order}5I", data)
    if magic != _MO_MAGIC:
        raise CatalogError("not a valid MO file (bad magic number)", path=path)
    if revision >> 16 not in (0, 1):
        raise CatalogError(f"not a valid MO file (unknown revision {revision >> 16})", path=path)
    if count > (size - 20) // 16:
        raise CatalogError(f"not a valid MO file ({count} entries do not fit)", path=path)
    keys = _table(data, order, originals, count, path)
    values = _table(data, order, translations, count, path)
    if sum(length for length, _ in keys) + sum(length for length, _ in values) > 2 * size:
        raise CatalogError("not a valid MO file (its strings overlap)", path=path)
    keep = None if wanted is None else {b"", *wanted}
    lengths = None if keep is None else {len(key) for key in keep}
    messages: dict[bytes, str] = {}
    for (key_length, key_start), (length, start) in zip(keys, values, strict=True):
        if lengths is not None and key_length not in lengths:
            continue
        key = data[key_start : key_start + key_length]
        if keep is None or key in keep:
            messages[key] = _decode(data[start : start + length], path)
    header = messages.pop(b"", "")
    headers = {name.lower(): value.strip() for name, value in _HEADER_FIELD.findall(header)}
    charset = _CHARSET.search(headers.get("content-type", ""))
    if charset is not None and charset[1].strip().lower() not in ("utf-8", "utf8"):
        declared = charset[1].strip()[:40]
        raise CatalogError(f"declares charset {declared!r}; catalogs must be UTF-8", path=path)
    return headers, messages


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
