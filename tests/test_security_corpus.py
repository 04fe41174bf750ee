"""The hostile locale corpus, shared by the security tests, and where their figures go.

This module imports nothing but the standard library and the ``painread``
package itself (whose ``__init__`` imports nothing heavy), so the audit-hook test
can import it in a fresh interpreter *after* installing its hook and see every
file painread opens, imports included.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import painread
from painread.errors import InvalidLocaleError

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "artifacts" / "security"
MEGABYTE = 1_000_000


def record(name: str, figures: dict[str, Any]) -> None:
    """Keep the figures a test measured, for docs/security.md's Measured table."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2, sort_keys=True) + "\n"
    (FIGURES / f"{name}.json").write_text(text, encoding="utf-8")


# --- the corpus ----------------------------------------------------------------------------------


class ArrayLike:
    """Compares element-wise like a NumPy array: ``==`` gives something with no truth value."""

    def __eq__(self, other: object) -> Any:
        return _Ambiguous()

    __hash__ = None  # type: ignore[assignment]


class _Ambiguous:
    def __bool__(self) -> bool:
        raise ValueError("the truth value of an array with more than one element is ambiguous")


class LooksLikeSpanish:
    """Not a string, but prints as one."""

    def __str__(self) -> str:
        return "es"

    def __fspath__(self) -> str:
        return "../../etc/passwd"


class StrSubclass(str):
    """A string subclass a framework might hand over (e.g. a lazy or marked-safe string)."""


TRAVERSAL = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "..",
    ".",
    "/",
    "/etc/passwd",
    "es/../../etc/passwd",
    "es/../de",
    "es\\..\\de",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%252e%252e%252fetc%252fpasswd",
    "..%c0%af..%c0%afetc%c0%afpasswd",
    "..%5c..%5cwindows",
    "....//....//etc/passwd",
    "file:///etc/passwd",
    "es_ES/../../../etc/shadow",
    "~root",
    "$HOME",
    "${HOME}",
    "`id`",
    "$(id)",
    "es;rm -rf /",
    "es|id",
    "C:\\Windows\\System32",
    "\\\\server\\share\\es",
    "es/LC_MESSAGES/painread.po",
    "LC_MESSAGES",
    "painread",
    "es/",
    "/es",
    "es:es",
    "de\u2215..\u2215..\u2215etc",
    "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc",
]
NUL = ["es\x00", "\x00", "es\x00../../etc/passwd", "\x00es", "es_\x00MX", "de\x00\x00\x00"]
HUGE = [
    "a" * MEGABYTE,
    "es-" * (MEGABYTE // 3),
    "es_" + "A" * MEGABYTE,
    "es-" + "x" * 61,
    "e" * 65,
    "a" * 64,
    "es-MX" + " " * MEGABYTE,
    "\u202e" * MEGABYTE,
]
LOOKALIKES = [
    "\u0435s",  # Cyrillic e
    "\uff45\uff53",  # fullwidth
    "\uff25\uff33",
    "es\u200b",
    "\u202ees",
    "es\u202e",
    "\u200fes",
    "\u200ees",
    "\u2066es\u2069",
    "es\u2028",
    "\ufeffes",
    "e\u0301s",
    "\u1d07s",
    "es\u00ad",
    "\u2170t",  # small roman numeral one
    "\u212aa",  # Kelvin sign
    "\u0131t",  # dotless i
    "\u0130t",
    "d\u0435",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\U0001f1ea\U0001f1f8",
    "es\ufe0f",
    "\u0455\u0440",
    "es\u0000",
]
POSIX = [
    "en_US.UTF-8@euro",
    "de_DE.UTF-8",
    "de_DE@euro",
    "es_ES.ISO-8859-15@euro",
    "C",
    "POSIX",
    "C.UTF-8",
    "en_US.utf8",
    "ar_EG.UTF-8",
    "sr_RS@latin",
    "uz_UZ@cyrillic",
    "ca_ES@valencia",
    "en_US.UTF-8@euro@euro",
    "es.utf8",
    "es@",
    "es.",
    "@euro",
    ".UTF-8",
    "C.utf8@x",
]
BLANK = ["", " ", "\t", "\n", " es", "es ", "es\n", "\r\n", "\u00a0", "\u3000", "\u2003es"]
ODD = [
    "*",
    "es-",
    "-es",
    "es--MX",
    "es__MX",
    "es-MX-",
    "x-private",
    "i-klingon",
    "es-u-ca-gregory",
    "zh-Hant-TW-x-private",
    "en-GB-oed",
    "sgn-BE-FR",
    "und",
    "root",
    "xx",
    "zz-ZZ",
    "qaa",
    "es-419",
    "es_419",
    "zh_Hant_TW",
    "sr-Latn",
    "EN",
    "eN-gB",
    "con",
    "nul",
    "aux",
    "prn",
    "com1",
    "lpt1",
    "es;q=0.9",
    "fr-CA, de;q=0.8",
    "en-US-POSIX",
    "es-ES-valencia-x-y-z-w-v-u",
]
HEADERS = [
    "es;q=abc",
    "es;q=2",
    "es;q=-1",
    "es;q=1.0000",
    "es;q=0.",
    "es;q=",
    "es;;q=1",
    ";q=1",
    ",,,,",
    "es;q=0.5;q=0.9",
    "es;level=1",
    "*;q=1",
    "es-ES;q=0.9, *;q=0.1",
    "q=1",
    "de;q=0.8, es;q=0.9",
    "es;q=1e3",
    "es;q=0x1",
    "es;q=nan",
    "es;q=inf",
    "es;q=\u0661",
    "es,,,,de",
    "es," * 5000,
    ", ".join(f"x{index}" for index in range(5000)),
    "en;q=0.1, " * 5000 + "es",
    "es;q=1" + ";a" * (MEGABYTE // 2),
    "a" * MEGABYTE,
    "," * MEGABYTE,
    "de-DE, " + "\u202e" * 10_000,
    "es\x00;q=1, de",
    "../../etc/passwd;q=1, es;q=0.5",
]
NON_STRINGS: list[object] = [
    0,
    1,
    -1,
    2**100,
    1.5,
    float("nan"),
    float("inf"),
    True,
    False,
    b"es",
    b"../../etc/passwd",
    bytearray(b"es"),
    memoryview(b"es"),
    ["es"],
    ("es",),
    {"es"},
    frozenset({"de"}),
    {"es": 1},
    object(),
    Path("es"),
    Path("../../etc/passwd"),
    PurePosixPath("/etc/passwd"),
    PureWindowsPath("..\\..\\es"),
    1j,
    len,
    type,
    Ellipsis,
    NotImplemented,
    ArrayLike(),
    LooksLikeSpanish(),
    iter(["es"]),
    range(3),
    [None],
    [["es"]],
    [b"es", 1, None, object()],
    ["es"] * 10_000,
]
STRING_SUBCLASSES: list[object] = [StrSubclass("es"), StrSubclass("../../etc/passwd")]


def _generated_traversal() -> Iterator[str]:
    separators = ["/", "\\", "%2f", "%5c", "%252f", "\u2215", "\uff0f"]
    dots = ["..", "%2e%2e", ".%2e", "%2e.", "\u2024\u2024", "\uff0e\uff0e"]
    for prefix in ("", "es", "de_DE", "ar/"):
        for separator in separators:
            for dot in dots:
                yield f"{prefix}{separator}{dot}{separator}{dot}{separator}etc{separator}passwd"


def _generated_random(count: int) -> Iterator[str]:
    rng = random.Random(6)
    alphabet = (
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@;=,*/ \\%\x00"
        "\u200b\u200e\u200f\u202e\u0435\uff45\u0301"
    )
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))


def _generated_mangled() -> Iterator[str]:
    for code in ("es", "es_MX", "de_AT", "ar_EG", "zh_Hant_TW", "pt_BR", "sr_Latn_RS"):
        yield code.upper()
        yield code.lower()
        yield code.replace("_", "-").swapcase()
        yield code + ".UTF-8@euro"
        yield code + ".utf8"
        yield code + "@latin"
        yield code + "_POSIX"
        yield code + "-x-" + "y" * 8


def hostile_corpus() -> list[tuple[str, object]]:
    """Every hostile input, with its category; at least 300 of them."""
    handwritten = {
        "traversal": TRAVERSAL,
        "nul": NUL,
        "huge": HUGE,
        "lookalike": LOOKALIKES,
        "posix": POSIX,
        "blank": BLANK,
        "odd": ODD,
        "accept-language": HEADERS,
        "non-string": NON_STRINGS,
        "str-subclass": STRING_SUBCLASSES,
    }
    corpus = [(category, value) for category, values in handwritten.items() for value in values]
    corpus += [("traversal-generated", value) for value in _generated_traversal()]
    corpus += [("random-generated", value) for value in _generated_random(150)]
    corpus += [("mangled-generated", value) for value in _generated_mangled()]
    return corpus


# --- outcomes ------------------------------------------------------------------------------------


def _via_load(value: object) -> str:
    article = painread.load(value)  # type: ignore[arg-type]
    assert article.disclaimer.text
    return article.locale


def _via_negotiate(value: object) -> str:
    chosen = painread.negotiate(value)  # type: ignore[arg-type]
    assert chosen in painread.available_locales()
    return chosen


def _via_locale_info(value: object) -> str:
    info = painread.locale_info(value)  # type: ignore[arg-type]
    assert info.code in painread.available_locales()
    return info.code


def _via_use_locale(value: object) -> str:
    with painread.use_locale(value):  # type: ignore[arg-type]
        article = painread.load()
    assert article.disclaimer.text
    return article.locale


ENTRY_POINTS: dict[str, Callable[[object], str]] = {
    "load": _via_load,
    "negotiate": _via_negotiate,
    "locale_info": _via_locale_info,
    "use_locale": _via_use_locale,
}


def outcome(call: Callable[[object], str], value: object) -> str:
    """``served:<locale>``, ``InvalidLocaleError``, or ``UNEXPECTED <type>: <message>``."""
    try:
        return f"served:{call(value)}"
    except InvalidLocaleError:
        return "InvalidLocaleError"
    except Exception as exc:  # the very thing this test looks for
        return f"UNEXPECTED {type(exc).__name__}: {str(exc)[:200]}"


def test_the_corpus_is_large_and_varied() -> None:
    corpus = hostile_corpus()
    categories = Counter(category for category, _ in corpus)
    assert len(corpus) >= 300
    assert all(count >= 2 for count in categories.values()), categories
    assert any(isinstance(value, str) and len(value) >= MEGABYTE for _, value in corpus)
    assert any(isinstance(value, str) and "\x00" in value for _, value in corpus)
    assert sum(not isinstance(value, str) for _, value in corpus) >= 30
    assert len(ENTRY_POINTS) == 4
