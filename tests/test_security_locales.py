"""Hostile locale strings and Accept-Language headers: outcomes, files opened, bounded caches.

Every input of the corpus (``tests/test_security_corpus.py``) goes through the
four public entry points that take a locale (``load``, ``negotiate``,
``locale_info`` and ``use_locale``). Each must give a served result or
:class:`~painread.errors.InvalidLocaleError`, nothing else. A subprocess with an
audit hook then proves that no such input makes painread open or list a path
outside the places it is allowed to read, and a cycle through thousands of
distinct valid locales shows every cache keyed by locale stays bounded.
"""

from __future__ import annotations

import gc
import importlib.machinery
import itertools
import json
import os
import random
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from painread import catalogs
from painread.errors import InvalidLocaleError
from painread.locales import parse_locale
from tests.i18n_helpers import registry, whole, write_po
from tests.test_security_corpus import (
    ENTRY_POINTS,
    MEGABYTE,
    ROOT,
    ArrayLike,
    StrSubclass,
    hostile_corpus,
    outcome,
    record,
)

__all__ = ["registry"]


@pytest.fixture
def italian(registry: catalogs.Registry, tmp_path: Path) -> Path:
    """A registered Italian translation, so negotiation has more than the bundled locales."""
    write_po(tmp_path, "it", whole("it"))
    painread.add_translations(tmp_path)
    return tmp_path


def test_every_hostile_input_gives_a_served_result_or_invalid_locale_error(italian: Path) -> None:
    corpus = hostile_corpus()
    tally: Counter[str] = Counter()
    unexpected = []
    for category, value in corpus:
        for name, call in ENTRY_POINTS.items():
            result = outcome(call, value)
            tally[f"{name} {result.split(':')[0]}"] += 1
            if result.startswith("UNEXPECTED"):
                unexpected.append((category, repr(value)[:80], name, result))
    assert unexpected == []
    for name in ENTRY_POINTS:
        assert tally[f"{name} served"] + tally[f"{name} InvalidLocaleError"] == len(corpus)
    assert tally["load InvalidLocaleError"] > len(corpus) // 2
    assert tally["negotiate served"] == len(corpus)
    record(
        "hostile-locales",
        {
            "inputs": len(corpus),
            "calls": len(corpus) * len(ENTRY_POINTS),
            "by_category": dict(Counter(category for category, _ in corpus)),
            "outcomes": dict(tally),
            "other_exceptions": len(unexpected),
        },
    )


def test_a_hostile_display_locale_is_an_invalid_locale_too(italian: Path) -> None:
    def shown_in(value: object) -> str:
        return painread.locale_info("es", display=value).display_name  # type: ignore[arg-type]

    results = Counter(outcome(shown_in, value).split(":")[0] for _, value in hostile_corpus())
    assert set(results) <= {"served", "InvalidLocaleError"}, results
    assert results["InvalidLocaleError"] > results["served"] > 0


@pytest.mark.parametrize(
    ("value", "served"),
    [
        ("en_US.UTF-8@euro", "en"),
        ("es_ES.ISO-8859-15@euro", "es"),
        ("de_DE@euro", "de"),
        ("EN", "en"),
        ("es-419", "es"),
        ("it-CH", "it"),
        (StrSubclass("es"), "es"),
    ],
)
def test_posix_and_unusual_but_valid_forms_are_served(
    italian: Path, value: str, served: str
) -> None:
    assert painread.load(value).locale == served
    assert painread.locale_info(value).code == served
    with painread.use_locale(value):
        assert painread.load().locale == served


@pytest.mark.parametrize("value", ["C", "POSIX", "C.UTF-8", "", " ", "es\x00", "../es", "\u0435s"])
def test_c_posix_blank_and_lookalike_locales_are_invalid_and_name_the_input(value: str) -> None:
    with pytest.raises(InvalidLocaleError) as raised:
        painread.load(value)
    assert raised.value.locale == value
    assert isinstance(raised.value, ValueError)
    assert painread.negotiate(value) == "en"


def test_a_megabyte_locale_is_refused_with_a_short_message() -> None:
    with pytest.raises(InvalidLocaleError) as raised:
        painread.load("es" * (MEGABYTE // 2))
    assert len(str(raised.value)) < 200


def test_an_array_like_locale_is_an_invalid_locale_not_a_value_error_of_its_own() -> None:
    for call in (painread.load, painread.locale_info, painread.use_locale):
        with pytest.raises(InvalidLocaleError, match="expected a string, got ArrayLike"):
            call(ArrayLike())  # type: ignore[operator]
    assert painread.negotiate(ArrayLike()) == "en"  # type: ignore[arg-type]


def test_a_header_with_thousands_of_entries_reads_only_the_first_ones(italian: Path) -> None:
    late = "en;q=0.1, " * 5000 + "it;q=1"
    assert painread.negotiate(late) == "en"
    early = "it;q=0.9, " + "xx;q=1, " * 5000
    assert painread.negotiate(early) == "it"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.text(max_size=100)
    | st.from_regex(
        r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}(\.[A-Za-z0-9-]{1,8})?", fullmatch=True
    )
    | st.binary(max_size=20)
    | st.integers()
    | st.none()
    | st.lists(st.text(max_size=10), max_size=5)
)
def test_property_any_value_is_served_or_an_invalid_locale(italian: Path, value: object) -> None:
    for name, call in ENTRY_POINTS.items():
        result = outcome(call, value)
        assert not result.startswith("UNEXPECTED"), (name, value, result)


# --- files opened: an audit hook in a subprocess (hooks cannot be removed) ----------------------

AUDIT_SCRIPT = r"""
import json
import os
import sys

events = []


def hook(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if isinstance(path, (str, bytes, os.PathLike)):
        events.append((event, os.path.abspath(os.fsdecode(path))))


sys.addaudithook(hook)
root, registered, canary = sys.argv[1:4]
sys.path.insert(0, root)

from tests.test_security_corpus import ENTRY_POINTS, hostile_corpus, outcome

import painread

painread.add_translations(registered)
corpus = hostile_corpus()
results = [outcome(call, value) for _, value in corpus for call in ENTRY_POINTS.values()]
with open(canary, "rb") as stream:
    stream.read()

import babel
import zoneinfo

report = {
    "events": events,
    "results": results,
    "sys_path": [os.path.abspath(entry) for entry in sys.path if entry],
    "prefixes": [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix],
    "package": os.path.dirname(painread.__file__),
    "babel": os.path.dirname(babel.__file__),
    "tzpath": list(zoneinfo.TZPATH),
}
sys.stdout.write(json.dumps(report))
"""

IMPORT_SUFFIXES = (*importlib.machinery.all_suffixes(), ".pth")


def _under(path: str, root: str) -> bool:
    root = os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class AllowedRoots:
    """The places painread may read, as the audited interpreter saw them."""

    def __init__(self, report: dict[str, Any], registered: Path) -> None:
        self.package = report["package"]
        self.registered = str(registered)
        self.babel_data = os.path.join(report["babel"], "locale-data")
        self.babel_global = os.path.realpath(os.path.join(report["babel"], "global.dat"))
        self.python = [p for p in {*report["sys_path"], *report["prefixes"]} if os.path.isdir(p)]
        self.entries = {os.path.realpath(entry) for entry in report["sys_path"]}
        self.timezones = [*report["tzpath"], "/etc/localtime", "/etc/timezone"]

    def classify(self, event: str, path: str) -> str:
        """Which allowed root ``path`` falls under, or ``"disallowed"``.

        Python's own imports are allowed only as imports: files with an import
        suffix, or directory listings, under ``sys.path`` or the prefixes. Babel
        reads the system time zone once, when ``babel.dates`` is imported.
        """
        real = os.path.realpath(path)
        if _under(real, self.package):
            return "package"
        if _under(real, self.registered):
            return "registered"
        if _under(real, self.babel_data) or real == self.babel_global:
            return "babel-data"
        if any(_under(real, zone) for zone in self.timezones):
            return "babel-localtime"  # babel.dates finds the system time zone at import
        if real in self.entries:  # the import system probes every sys.path entry (zips too)
            return "python-import"
        in_python = any(_under(real, root) for root in self.python)
        metadata = any(part.endswith((".dist-info", ".egg-info")) for part in Path(real).parts)
        if in_python and metadata:
            return "dist-info"
        if in_python and (event != "open" or real.endswith(IMPORT_SUFFIXES)):
            return "python-import"
        return "disallowed"


@pytest.mark.slow
def test_no_hostile_input_opens_a_file_outside_the_allowed_roots(tmp_path: Path) -> None:
    registered = tmp_path / "translations"
    write_po(registered, "it", whole("it"))
    canary = tmp_path / "canary.txt"
    canary.write_text("the hook must see this open", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", "-B", "-c", AUDIT_SCRIPT, str(ROOT), str(registered), str(canary)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert not [r for r in report["results"] if r.startswith("UNEXPECTED")]
    allowed = AllowedRoots(report, registered)
    kinds: Counter[str] = Counter()
    disallowed = []
    for event, path in report["events"]:
        kind = allowed.classify(event, path)
        kinds[f"{event} {kind}"] += 1
        if kind == "disallowed" and path != str(canary):
            disallowed.append((event, path))
    assert disallowed == [], disallowed
    assert kinds["open disallowed"] == 1, "the hook must have caught the canary open"
    assert kinds["open registered"] >= 1
    assert kinds["open package"] >= 1
    assert not any("passwd" in path or "shadow" in path for _, path in report["events"])
    record(
        "audit",
        {
            "inputs": len(report["results"]) // len(ENTRY_POINTS),
            "calls": len(report["results"]),
            "events": dict(kinds),
            "disallowed": len(disallowed),
            "canary_detected": kinds["open disallowed"] == 1,
        },
    )


# --- caches keyed by locale stay bounded --------------------------------------------------------


def distinct_valid_locales(count: int) -> list[str]:
    """``count`` distinct strings that are all well-formed, known locales, in many spellings."""
    from babel.localedata import locale_identifiers

    spellings: list[Callable[[str], str]] = [
        lambda code: code,
        lambda code: code.replace("_", "-"),
        str.lower,
        str.upper,
        lambda code: code + ".UTF-8",
        lambda code: code.replace("_", "-").lower() + "@euro",
        lambda code: code.swapcase() + ".utf8",
        lambda code: code + ".ISO-8859-1@x",
        lambda code: code.lower() + ".utf-8",
        lambda code: code.replace("_", "-").upper() + "@valencia",
        lambda code: code.title() + ".UTF-8@euro",
    ]
    found: list[str] = []
    seen: set[str] = set()
    for spell in spellings:
        for code in sorted(locale_identifiers()):
            candidate = spell(code)
            if candidate not in seen and len(candidate) <= 64:
                seen.add(candidate)
                found.append(candidate)
    random.Random(6).shuffle(found)
    valid = []
    for candidate in found:
        try:
            parse_locale(candidate)
        except InvalidLocaleError:
            continue
        valid.append(candidate)
        if len(valid) == count:
            break
    return valid


def _caches() -> dict[str, Any]:
    """Every module-level cache of the modules that see locales: lru_caches and dicts."""
    import painread.loader
    import painread.locales
    import painread.renderers

    modules: list[ModuleType] = [painread.locales, painread.loader, painread.catalogs]
    modules += [m for name, m in sys.modules.items() if name.startswith("painread.renderers")]
    found: dict[str, Any] = {}
    for module in modules:
        for name, value in vars(module).items():
            private = name.startswith("_") and not name.startswith("__")
            if hasattr(value, "cache_info") or (isinstance(value, dict) and private):
                found[f"{module.__name__}.{name}"] = value
    registry = catalogs.registry()
    for name, value in vars(registry).items():
        if isinstance(value, dict):
            found[f"Registry.{name}"] = value
    return found


def _size(cache: Any) -> tuple[int, int | None]:
    if hasattr(cache, "cache_info"):
        info = cache.cache_info()
        return info.currsize, info.maxsize
    return len(cache), None


def _cycle(locales: list[str]) -> None:
    for code in locales:
        assert painread.load(code).disclaimer.text
        painread.negotiate(f"{code};q=0.9, xx;q=0.1")
        painread.locale_info(code)
        with painread.use_locale(code):
            painread.load()


@pytest.mark.slow
def test_caches_stay_bounded_while_thousands_of_locales_are_cycled(italian: Path) -> None:
    batch = 2_500
    locales = distinct_valid_locales(4 * batch)
    assert len(locales) == 4 * batch
    tracemalloc.start()
    try:
        _cycle(locales[:batch])
        gc.collect()
        memory = [tracemalloc.get_traced_memory()[0]]
        for start in range(batch, 4 * batch, batch):
            _cycle(locales[start : start + batch])
            gc.collect()
            memory.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    sizes = {name: _size(cache) for name, cache in _caches().items()}
    assert len(sizes) >= 5, sizes
    for name, (size, maxsize) in sizes.items():
        # Bounded: an lru_cache declares its maximum; a dict never keeps one entry per locale.
        if hasattr(_caches()[name], "cache_info"):
            assert maxsize is not None, f"{name} is an unbounded lru_cache"
            assert size <= maxsize, name
        else:
            assert size < len(locales) // 2, (name, size)
    growth = [after - before for before, after in itertools.pairwise(memory)]
    # Bounded caches: after the first batch filled them, new locales replace old ones.
    assert memory[-1] - memory[0] < 8 * 1024 * 1024, memory
    assert growth[-1] < 2 * 1024 * 1024, growth
    record(
        "bounded-caches",
        {
            "distinct_locales": len(locales),
            "calls": len(locales) * 5,
            "cache_sizes": {name: list(size) for name, size in sorted(sizes.items())},
            "traced_memory_after_each_batch": memory,
            "growth_after_first_batch": memory[-1] - memory[0],
        },
    )
