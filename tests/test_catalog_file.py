"""painread's own MO parser agrees with the standard library's on every valid catalog.

:mod:`gettext` is the plain reference: it parses the same files, but its header
parsing is quadratic, so painread cannot use it on untrusted files. Catalogs
written by Babel (an independent writer) and the bundled ones must read the
same through both. The integrity rules' arithmetic is checked on known texts.
"""

from __future__ import annotations

import gettext
import io
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from hypothesis import given, settings
from hypothesis import strategies as st

from painread import _catalog_file
from painread._catalog_file import MAX_CATALOG_BYTES, parse_mo, read_catalog_bytes
from painread._integrity import numbers, unit_problem, visible_weight
from painread.errors import CatalogError
from tests.i18n_helpers import BUNDLED, ENGLISH

TEXT = st.text(st.characters(blacklist_characters="\x00\x04", blacklist_categories=("Cs",)))


def _reference(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


def _get(messages: dict[bytes, str], context: str | None, msgid: str) -> str | None:
    return messages.get((msgid if context is None else f"{context}\x04{msgid}").encode())


@pytest.mark.parametrize("locale", ["ar", "de", "es"])
def test_bundled_catalogs_read_the_same_as_with_gettext(locale: str) -> None:
    data = (BUNDLED / locale / "LC_MESSAGES" / "painread.mo").read_bytes()
    ours, reference = parse_mo(data, path=locale), _reference(data)
    assert ours[0] == {name.lower(): value for name, value in reference.info().items()}
    for unit_id, english in ENGLISH.items():
        assert _get(ours[1], unit_id, english) == reference.pgettext(unit_id, english)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.one_of(st.none(), TEXT.filter(bool)), TEXT.filter(bool)), TEXT, max_size=30
    )
)
def test_babel_written_catalogs_read_the_same_as_with_gettext(
    entries: dict[tuple[str | None, str], str],
) -> None:
    catalog = Catalog(locale="fr", charset="utf-8")
    for (context, msgid), msgstr in entries.items():
        catalog.add(msgid, msgstr, context=context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    data = buffer.getvalue()
    ours, reference = parse_mo(data, path="x"), _reference(data)
    for context, msgid in entries:
        expected = (
            reference.gettext(msgid) if context is None else reference.pgettext(context, msgid)
        )
        found = _get(ours[1], context, msgid)
        assert (found or msgid) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xde\x12\x04\x95" + b"\x00" * 7,
        b"\xde\x12\x04\x95\x00\x00\x00\x00\xff\xff\xff\x7f" + b"\x00" * 12,
        b"not an MO file at all, but long enough",
    ],
)
def test_garbage_is_refused_with_a_catalog_error(data: bytes) -> None:
    with pytest.raises(CatalogError):
        parse_mo(data, path="x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Poison Help is 1-800-222-1222.", ("1", "800", "222", "1222")),
        ("27,338 cases; 1.4 mg", ("27338", "14")),
        ("27.338 Fälle; 1,4 mg", ("27338", "14")),
        ("27\u202f338 cas; 1,4 mg", ("27338", "14")),
        ("\u0662\u0667\u066c\u0663\u0663\u0668 \u0661\u066b\u0664", ("27338", "14")),
        ("2 to 6 grams", ("2", "6")),
    ],
)
def test_numbers_are_compared_by_their_digits(text: str, expected: tuple[str, ...]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("Warning", 7),
        ("\u200b\ufeff\u00ad\u3164\u2800 .", 0),
        ("注意", 6),
        ("शिक्षा", 6),
    ],
)
def test_visible_weight_counts_letters_digits_and_marks_by_script(text: str, weight: int) -> None:
    assert visible_weight(text) == weight


def test_the_english_source_passes_its_own_rules() -> None:
    problems = {unit: unit_problem(unit, text, text) for unit, text in ENGLISH.items()}
    assert problems == dict.fromkeys(ENGLISH)


# --- reading ------------------------------------------------------------------------------------


def test_a_confined_read_refuses_what_is_not_a_regular_file_inside(tmp_path: Path) -> None:
    inside = tmp_path / "inside.po"
    inside.write_bytes(b"text")
    assert read_catalog_bytes(inside, tmp_path) == b"text"
    fifo = tmp_path / "fifo.po"
    os.mkfifo(fifo)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.po"
    outside.write_bytes(b"secret")
    link = tmp_path / "link.po"
    link.symlink_to(outside)
    big = tmp_path / "big.po"
    with big.open("wb") as stream:
        stream.truncate(MAX_CATALOG_BYTES + 1)
    cases = {
        tmp_path / "missing.po": "cannot read",
        fifo: "not a regular file",
        link: "leads outside",
        big: f"larger than {MAX_CATALOG_BYTES} bytes",
    }
    for path, reason in cases.items():
        with pytest.raises(CatalogError, match=reason):
            read_catalog_bytes(path, tmp_path)


def test_without_the_descriptor_s_path_the_resolved_file_must_be_the_one_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_catalog_file, "_descriptor_path", lambda fd: None)
    inside = tmp_path / "inside.po"
    inside.write_bytes(b"text")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.po"
    outside.write_bytes(b"secret")
    (tmp_path / "link.po").symlink_to(outside)
    assert read_catalog_bytes(inside, tmp_path) == b"text"
    with pytest.raises(CatalogError, match="leads outside"):
        read_catalog_bytes(tmp_path / "link.po", tmp_path)


def test_a_bounded_read_gathers_short_reads_and_stops_past_the_cap() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left = size

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            step = min(self.left, 4096, size if size >= 0 else self.left)
            self.left -= step
            return b"x" * step

    class Resource:
        def __init__(self, size: int | None) -> None:
            self.size = size

        def open(self, mode: str = "rb") -> Trickle:
            if self.size is None:
                raise OSError("gone")
            return Trickle(self.size)

    assert read_catalog_bytes(Resource(10_000)) == b"x" * 10_000  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="larger than"):
        read_catalog_bytes(Resource(MAX_CATALOG_BYTES * 2))  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="cannot read"):
        read_catalog_bytes(Resource(None))  # type: ignore[arg-type]


# --- parsing ------------------------------------------------------------------------------------


def _mo(messages: dict[bytes, bytes]) -> bytes:
    from tests.mo_helpers import mo_bytes

    return mo_bytes(messages)


def test_big_endian_catalogs_are_read() -> None:
    little = _mo({b"": b"Content-Type: text/plain; charset=UTF-8\n", b"a": b"b"})
    words = struct.unpack_from("<7I", little)
    big = (
        struct.pack(">7I", *words)
        + b"".join(
            struct.pack(">2I", *struct.unpack_from("<2I", little, offset))
            for offset in range(28, 28 + 8 * 2 * words[2], 8)
        )
        + little[28 + 16 * words[2] :]
    )
    assert parse_mo(big, path="x")[1] == {b"a": "b"}


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[:4] + struct.pack("<I", 2 << 16) + data[8:], "unknown revision"),
        (lambda data: data[:8] + struct.pack("<I", 10**6) + data[12:], "do not fit"),
        (lambda data: data[:12] + struct.pack("<I", len(data) - 4) + data[16:], "table"),
        (lambda data: data[:28] + struct.pack("<2I", 5, len(data)) + data[36:], "past its end"),
    ],
)
def test_damaged_tables_are_refused(damage: Callable[[bytes], bytes], reason: str) -> None:
    data = _mo({b"": b"Content-Type: text/plain; charset=UTF-8\n", b"a": b"b"})
    with pytest.raises(CatalogError, match=reason):
        parse_mo(damage(data), path="x")


def test_entries_sharing_one_large_string_are_refused() -> None:
    count, big = 8, b"y" * 65_536
    keys = [b"k%d" % index for index in range(count)]
    start = 28 + 16 * count
    key_table, blob = b"", b""
    for key in keys:
        key_table += struct.pack("<2I", len(key), start + len(blob))
        blob += key + b"\x00"
    shared = struct.pack("<2I", len(big), start + len(blob)) * count
    head = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    with pytest.raises(CatalogError, match="overlap"):
        parse_mo(head + key_table + shared + blob + big, path="x")


def test_text_must_be_utf_8() -> None:
    header = b"Content-Type: text/plain; charset=UTF-8\n"
    with pytest.raises(CatalogError, match="UTF-8"):
        parse_mo(_mo({b"": header, b"ctx\x04a": b"\xff"}), path="x")
    with pytest.raises(CatalogError, match="UTF-8"):
        parse_mo(_mo({b"": b"Language: \xff\n"}), path="x")
    latin = b"Content-Type: text/plain; charset=ISO-8859-1\n"
    with pytest.raises(CatalogError, match="ISO-8859-1"):
        parse_mo(_mo({b"": latin}), path="x")
