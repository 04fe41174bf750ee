"""painread's own MO parser agrees with the standard library's on every valid catalog.

:mod:`gettext` is the plain reference: it parses the same files, but its header
parsing is quadratic, so painread cannot use it on untrusted files. Catalogs
written by Babel (an independent writer) and the bundled ones must read the
same through both. The integrity rules' arithmetic is checked on known texts.
"""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from hypothesis import given, settings
from hypothesis import strategies as st

from painread._catalog_file import parse_mo
from painread._integrity import numbers, unit_problem, visible_weight
from painread.errors import CatalogError
from tests.i18n_helpers import BUNDLED, ENGLISH

TEXT = st.text(st.characters(blacklist_characters="\x00\x04", blacklist_categories=("Cs",)))


def _reference(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


@pytest.mark.parametrize("locale", ["ar", "de", "es"])
def test_bundled_catalogs_read_the_same_as_with_gettext(locale: str) -> None:
    data = (BUNDLED / locale / "LC_MESSAGES" / "painread.mo").read_bytes()
    ours, reference = parse_mo(data, path=locale), _reference(data)
    assert ours.headers == {name.lower(): value for name, value in reference.info().items()}
    for unit_id, english in ENGLISH.items():
        assert ours.get(unit_id, english) == reference.pgettext(unit_id, english)


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
        found = ours.get(context, msgid)
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
