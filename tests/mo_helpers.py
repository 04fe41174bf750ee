"""MO files written byte by byte, so a test controls every header field and offset."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path

from tests.i18n_helpers import ENGLISH

UTF8_HEADER = (
    "Language: {locale}\nContent-Type: text/plain; charset=UTF-8\nX-Painread-Reviewed: no\n"
)


def mo_bytes(messages: Mapping[bytes, bytes]) -> bytes:
    """An MO file holding ``messages`` (raw msgid -> raw msgstr), keys sorted as msgfmt does."""
    keys = sorted(messages)
    count = len(keys)
    originals, translations = 28, 28 + 8 * count
    start = translations + 8 * count
    blob = bytearray()
    tables: list[list[tuple[int, int]]] = [[], []]
    for index, strings in enumerate((keys, [messages[key] for key in keys])):
        for string in strings:
            tables[index].append((len(string), start + len(blob)))
            blob += string + b"\x00"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals, translations, 0, 0)
    packed = b"".join(struct.pack("<2I", *entry) for table in tables for entry in table)
    return head + packed + bytes(blob)


def unit_messages(
    entries: Mapping[str, str], *, header: str = UTF8_HEADER, locale: str = "xx"
) -> dict[bytes, bytes]:
    """The MO messages translating ``entries`` (unit id -> text), with a header."""
    messages = {b"": header.format(locale=locale).encode("utf-8")}
    for unit_id, text in entries.items():
        key = f"{unit_id}\x04{ENGLISH[unit_id]}".encode()
        messages[key] = text.encode("utf-8")
    return messages


def write_mo(root: Path, locale: str, entries: Mapping[str, str], **options: str) -> Path:
    """Write ``<root>/<locale>/LC_MESSAGES/painread.mo`` and return its path."""
    target = root / locale / "LC_MESSAGES" / "painread.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(mo_bytes(unit_messages(entries, locale=locale, **options)))
    return target
